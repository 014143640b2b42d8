"""Dates written on pages ("20 Dec, 2020 21:03", "Update: October 31, 2021, 9:21 a.m.",
"21.12.2020", "20 декабря 2020", "2020-12-20T21:46") -> ISO 8601, in many languages.

A small regex parser with month-name tables: dateparser handles more but costs milliseconds
per call, and a capture has hundreds of lines to test. Pure functions only.
"""
from __future__ import annotations

import re
from dataclasses import dataclass

from deboil.cleaners.lexicon.scripts import for_lowered_ascii

# Month names and abbreviations (nominative and genitive forms), lower-cased.
_MONTHS: dict[int, tuple[str, ...]] = {
    1: ("january", "jan", "januar", "jänner", "janvier", "janv", "enero", "ene", "janeiro", "gennaio",
        "gen", "januari", "января", "январь", "янв", "stycznia", "styczeń", "ocak", "ianuarie",
        "leden", "ledna", "tammikuuta", "january"),
    2: ("february", "feb", "februar", "février", "fevrier", "févr", "fevr", "febrero", "fevereiro", "fev",
        "febbraio", "februari", "февраля", "февраль", "фев", "lutego", "luty", "şubat", "subat",
        "februarie", "únor", "února", "helmikuuta"),
    3: ("march", "mar", "märz", "maerz", "mars", "marzo", "março", "marco", "maart", "марта", "март",
        "мар", "marca", "marzec", "mart", "martie", "březen", "března", "maaliskuuta"),
    4: ("april", "apr", "avril", "avr", "abril", "abr", "aprile", "апреля", "апрель", "апр",
        "kwietnia", "kwiecień", "nisan", "aprilie", "duben", "dubna", "huhtikuuta"),
    5: ("may", "mai", "mayo", "maio", "maggio", "mag", "mei", "мая", "май", "maja", "maj", "mayıs",
        "mayis", "květen", "května", "toukokuuta"),
    6: ("june", "jun", "juni", "juin", "junio", "junho", "giugno", "giu", "июня", "июнь", "июн",
        "czerwca", "czerwiec", "haziran", "iunie", "červen", "června", "kesäkuuta"),
    7: ("july", "jul", "juli", "juillet", "juil", "julio", "julho", "luglio", "lug", "июля", "июль",
        "июл", "lipca", "lipiec", "temmuz", "iulie", "červenec", "července", "heinäkuuta"),
    8: ("august", "aug", "août", "aout", "agosto", "ago", "augustus", "августа", "август", "авг",
        "sierpnia", "sierpień", "ağustos", "agustos", "srpen", "srpna", "elokuuta"),
    9: ("september", "sep", "sept", "septembre", "septiembre", "setembro", "set", "settembre",
        "сентября", "сентябрь", "сен", "сент", "września", "wrzesień", "eylül", "eylul",
        "septembrie", "září", "syyskuuta"),
    10: ("october", "oct", "oktober", "okt", "octobre", "octubre", "outubro", "out", "ottobre", "ott",
         "октября", "октябрь", "окт", "października", "październik", "ekim", "octombrie", "říjen",
         "října", "lokakuuta"),
    11: ("november", "nov", "novembre", "noviembre", "novembro", "ноября", "ноябрь", "ноя",
         "listopada", "listopad", "kasım", "kasim", "noiembrie", "marraskuuta"),
    12: ("december", "dec", "dezember", "dez", "décembre", "decembre", "déc", "diciembre", "dic",
         "dezembro", "dicembre", "декабря", "декабрь", "дек", "grudnia", "grudzień", "aralık",
         "aralik", "decembrie", "prosinec", "prosince", "joulukuuta"),
}
_MONTH_OF = {name: num for num, names in _MONTHS.items() for name in names}
_MONTH_RX = "|".join(sorted((re.escape(n) for n in _MONTH_OF), key=len, reverse=True))

_YEAR = r"((?:19|20)\d\d)"
_DAY = r"(\d{1,2})"
_ORD = r"(?:st|nd|rd|th|er|º|°|\.)?"
_MON = rf"({_MONTH_RX})\.?"

# Each pattern yields named parts through a small adapter (order of groups differs).
_PATTERNS: list[tuple[re.Pattern, str]] = [
    (re.compile(rf"\b{_YEAR}-(\d{{1,2}})-(\d{{1,2}})(?:[t ]\s*(\d{{1,2}}):(\d{{2}}))?", re.I), "ymd"),
    (re.compile(rf"\b{_YEAR}\s*년\s*(\d{{1,2}})\s*월\s*(\d{{1,2}})\s*일"), "ymd"),
    (re.compile(rf"\b{_YEAR}\s*年\s*(\d{{1,2}})\s*月\s*(\d{{1,2}})\s*日"), "ymd"),
    (re.compile(rf"\b{_YEAR}[./](\d{{1,2}})[./](\d{{1,2}})\b"), "ymd"),
    (re.compile(rf"\b{_DAY}\.(\d{{1,2}})\.{_YEAR}\b"), "dmy"),
    (re.compile(rf"\b{_DAY}/(\d{{1,2}})/{_YEAR}\b"), "slash"),
    (re.compile(rf"\b{_DAY}{_ORD}\s*(?:de\s+|of\s+)?{_MON}(?:\s*,)?\s*(?:de\s+|del\s+)?{_YEAR}\b", re.I), "d_mon_y"),
    (re.compile(rf"(?<!\w){_MON}\s*{_DAY}{_ORD}\s*,?\s*{_YEAR}\b", re.I), "mon_d_y"),
]
# The patterns that ignore case, case-sensitive, for lower-cased ASCII text: IGNORECASE
# makes re enter each of the ~250 month names at every word start, while literal first
# letters let it skip them. The same matches on ASCII text: the names are lower case, and
# the Turkish dotless ı, which matches "i" ignoring case, gets that letter beside it.
_ASCII_PATTERNS: list[re.Pattern | None] = [
    for_lowered_ascii(rx.pattern) if rx.flags & re.I else None for rx, _ in _PATTERNS]
_TIME = re.compile(
    r"(?<![\d:.])(\d{1,2})[:h.](\d{2})(?::\d{2})?(?![\d:])\s*(a\.?\s?m\.?|p\.?\s?m\.?)?(?!\w)", re.I)

_UPDATED = re.compile(
    r"\b(?:update[ds]?|last (?:updated|modified)|modified|aktualisiert|zuletzt aktualisiert|"
    r"mis à jour|mise à jour|actualizado|actualización|atualizado|atualização|aggiornato|"
    r"bijgewerkt|обновлено|обновлен|zaktualizowano|güncelleme|güncellendi|diperbarui)\b", re.I)

# Words that may surround a date on a dateline without making it a sentence.
_DATELINE_WORDS = re.compile(
    r"\b(?:published|posted|updated?|last|modified|on|at|by|date|time|am|pm|a\.m|p\.m|gmt|utc|"
    r"est|edt|pst|pdt|cet|cest|ist|msk|uhr|um|veröffentlicht|aktualisiert|stand|vom|am|"
    r"publié|publiée|mis|à|jour|le|publicado|publicada|actualizado|atualizado|el|em|às|as|a|las|"
    r"pubblicato|aggiornato|il|alle|ore|gepubliceerd|op|опубликовано|обновлено|в|от|г|года|"
    r"opublikowano|yayınlanma|tarihi|diterbitkan|de|del|of|the|и|und|et|y|e|"
    r"monday|tuesday|wednesday|thursday|friday|saturday|sunday|mon|tue|tues|wed|thu|thur|thurs|"
    r"fri|sat|sun|montag|dienstag|mittwoch|donnerstag|freitag|samstag|sonntag|lundi|mardi|"
    r"mercredi|jeudi|vendredi|samedi|dimanche|lunes|martes|miércoles|miercoles|jueves|viernes|"
    r"sábado|sabado|domingo|segunda|terça|terca|quarta|quinta|sexta|feira|lunedì|martedì|"
    r"mercoledì|giovedì|venerdì|sabato|domenica|понедельник|вторник|среда|четверг|пятница|"
    r"суббота|воскресенье|today|yesterday|heute|gestern|aujourd'hui|hier|hoy|ayer|hoje|ontem|"
    r"сегодня|вчера)\b", re.I)


# Every pattern needs a four-digit year: lines without one are skipped cheaply.
_HAS_YEAR = re.compile(r"(?:19|20)\d\d")


# a zone written right after a time: "21:46 GMT", "09:21 UTC+3", "21:46:00+03:00", "10:00Z"
_ZONE_AFTER = re.compile(
    r"(?::\d{2}(?:[.,]\d+)?)?\s*(Z(?![A-Za-z])|[+-]\d{2}:?\d{2}(?!\d)|(?i:GMT|UTC)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?(?![\w]))")


@dataclass(frozen=True)
class FoundDate:
    iso: str  # "2020-12-20" or "2020-12-20T21:46" (local time as written)
    has_time: bool
    updated: bool  # the text calls it an update/modification time
    start: int
    end: int
    zone: str | None = None  # the zone written after the time, as written ("GMT+3", "+03:00")


def _valid(y: int, m: int, d: int) -> bool:
    return 1 <= m <= 12 and 1 <= d <= 31 and 1990 <= y <= 2100


def _ymd(kind: str, g: tuple) -> tuple[int, int, int] | None:
    if kind == "ymd":
        return int(g[0]), int(g[1]), int(g[2])
    if kind == "dmy":
        return int(g[2]), int(g[1]), int(g[0])
    if kind == "slash":  # 20/12/2020 is unambiguous; 12/11/2020 is read US-style.
        a, b, y = int(g[0]), int(g[1]), int(g[2])
        return (y, b, a) if a > 12 else (y, a, b)
    if kind == "d_mon_y":
        return int(g[2]), _MONTH_OF[g[1].lower()], int(g[0])
    if kind == "mon_d_y":
        return int(g[2]), _MONTH_OF[g[0].lower()], int(g[1])
    return None


def find_date(text: str) -> FoundDate | None:
    """The first calendar date in `text` (with the time that follows it, if any)."""
    best = None
    low = text.lower() if text.isascii() else None  # (same length: the positions hold)
    for (rx, kind), ascii_rx in zip(_PATTERNS, _ASCII_PATTERNS):
        m = ascii_rx.search(low) if ascii_rx is not None and low is not None else rx.search(text)
        if not m or (best and m.start() >= best[0].start()):
            continue
        ymd = _ymd(kind, m.groups())
        if ymd and _valid(*ymd):
            best = (m, ymd, kind)
    if not best:
        return None
    m, (y, mo, d), kind = best
    iso, end, has_time = f"{y:04d}-{mo:02d}-{d:02d}", m.end(), False
    hour_minute = None
    if kind == "ymd" and m.lastindex and m.lastindex >= 5 and m.group(4):
        hour_minute = int(m.group(4)), int(m.group(5))
    else:  # a time shortly after the date: "2020 21:03", "2021, 9:21 a.m.", "às 0:13"
        t = _TIME.search(text, m.end(), m.end() + 16)
        if t:
            h, mi = int(t.group(1)), int(t.group(2))
            ampm = (t.group(3) or "").lower().replace(".", "").replace(" ", "")
            if ampm == "pm" and h < 12:
                h += 12
            elif ampm == "am" and h == 12:
                h = 0
            hour_minute = (h, mi)
            end = t.end()
    zone = None
    if hour_minute and hour_minute[0] < 24 and hour_minute[1] < 60:
        iso += f"T{hour_minute[0]:02d}:{hour_minute[1]:02d}"
        has_time = True
        z = _ZONE_AFTER.match(text, end)
        if z:
            zone, end = z.group(1), z.end()
    updated = bool(_UPDATED.search(text[:m.start()] or "")) or bool(_UPDATED.match(text.strip()))
    return FoundDate(iso, has_time, updated, m.start(), end, zone)


def parse_dateline(line: str, max_extra_words: int = 3) -> FoundDate | None:
    """The date when the whole line is a dateline (a date plus a few framing words).

    "Published: 20 Dec, 2020 21:03" and "Sunday، 20 December 2020 09:46 PM" are datelines;
    "December 20th local time, the Green Zone was attacked" is a sentence that holds a date.
    """
    if len(line) > 120 or not _HAS_YEAR.search(line) or "@" in line:  # "@handle" = a quote's credit
        return None
    found = find_date(line)
    if not found:
        return None
    rest = line[:found.start] + " " + line[found.end:]
    rest = _DATELINE_WORDS.sub(" ", rest)
    words = re.findall(r"[^\W\d_]{2,}", rest)
    return found if len(words) <= max_extra_words else None
