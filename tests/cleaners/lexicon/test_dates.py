"""Datelines and dates inside text, in the languages the captures use."""
from __future__ import annotations

import pytest

from deboil.cleaners.lexicon.dates import find_date, parse_dateline


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
