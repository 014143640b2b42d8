"""Datelines and dates inside text, in the languages the captures use."""
from __future__ import annotations

import pytest

from deboil.cleaners.lexicon.dates import find_date, parse_dateline
from deboil.cleaners.lexicon.scripts import ASCII_FOLDS


@pytest.mark.parametrize("text,iso,updated", [
    ("20 Dec, 2020 21:03", "2020-12-20T21:03", False),
    ("Update: October 31, 2021, 9:21 a.m.", "2021-10-31T09:21", True),
    ("Sunday\u060c 20 December 2020 09:46 PM", "2020-12-20T21:46", False),
    ("21.12.2020", "2020-12-21", False),
    ("20 декабря 2020", "2020-12-20", False),
    ("Опубликовано: 20 декабря 2020 в 14:30", "2020-12-20T14:30", False),
    ("Обновлено 3 марта 2021", "2021-03-03", True),
    ("2020-12-20T21:46", "2020-12-20T21:46", False),
    ("Published 2019-11-19", "2019-11-19", False),
    ("Veröffentlicht am 20. Dezember 2020, 14:30 Uhr", "2020-12-20T14:30", False),
    ("Aktualisiert am 4. März 2021", "2021-03-04", True),
    ("Publié le 12 décembre 2020 à 14h30", "2020-12-12T14:30", False),
    ("Mis à jour le 1er février 2021", "2021-02-01", True),
    ("Publicado el 5 de mayo de 2020", "2020-05-05", False),
    ("segunda-feira, 22 de janeiro de 2018 às 0:13", "2018-01-22T00:13", False),
    ("Updated 12:05 PM ET, Tue November 19, 2019", "2019-11-19", True),
    ("2019년 11월 20일 14:30", "2019-11-20T14:30", False),
    ("Monday, 21 December 2020", "2020-12-21", False),
])
def test_datelines(text, iso, updated):
    found = parse_dateline(text)
    assert found is not None, text
    assert found.iso == iso
    assert found.updated == updated


@pytest.mark.parametrize("text", [
    "December 20th local time, the Green Zone of Baghdad was attacked by several rockets.",
    "On December 10, 2020, two convoys transporting logistical equipment were targeted.",
    "— Josh Apte (@joshapte) November 3, 2019",
    "1a etapa: 10 de março – Interlagos",
    "Call 02-751-1500 for tickets",
])
def test_sentences_with_dates_are_not_datelines(text):
    assert parse_dateline(text) is None


def test_find_date_inside_text():
    assert find_date("as announced on 3 March 2021 by the ministry").iso == "2021-03-03"
    assert find_date("no date here") is None


def test_ascii_lines_lower_cased_find_the_same_dates():
    """find_date searches lower-cased ASCII text case-sensitively with the patterns that
    ignore case: the same while no pattern letter is upper case and every non-ASCII letter
    that matches an ASCII one ignoring case (the dotless ı) has that letter beside it."""
    import re

    from deboil.cleaners.lexicon import dates as d
    from tests.support import samples

    for (rx, _), fast in zip(d._PATTERNS, d._ASCII_PATTERNS):
        if fast is None:
            assert not rx.flags & re.I
            continue
        literal = re.sub(r"\\.", "", rx.pattern)
        assert literal == literal.lower()
        folds = {c: [chr(a) for a in range(128) if chr(a) == chr(a).lower()
                     and re.fullmatch(re.escape(c), chr(a), re.I)] for c in set(rx.pattern) if not c.isascii()}
        folds = {c: found for c, found in folds.items() if found}
        assert folds == {"ı": ["i"]} or folds == {}
        assert all(ASCII_FOLDS[c] == f"[{c}{''.join(found)}]" for c, found in folds.items())
    lines = ["Published: DECEMBER 20, 2020 9:21 A.M.", "20 MAYIS 2021", "3 Kasim 2019 Pazar", "2020-12-20T21:46",
             "Updated Oct. 3rd, 2021 at 10:00 GMT", "on 1st of MARCH 2022", "12/11/2020", "21.12.2020 um 10h30",
             "Sept 9 2019", "The 2020 season", "MAY 5TH 2020", "15 de Enero de 2020"]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    found = 0
    for line in (line for line in lines if line.isascii()):
        expected = None
        for rx, kind in d._PATTERNS:  # the patterns as written, searched in the line itself
            m = rx.search(line)
            if m and (expected is None or m.start() < expected[0]):
                ymd = d._ymd(kind, m.groups())
                if ymd and d._valid(*ymd):
                    expected = (m.start(), m.end(), ymd)
        got = d.find_date(line)
        assert (got and got.start) == (expected and expected[0])
        if got:
            found += 1
            assert got.iso[:10] == "%04d-%02d-%02d" % expected[2]
    assert found >= 10
