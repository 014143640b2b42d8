"""The one stored form of a page's dates (`published`, `updated`), from what the page states.

- a date with a time and a zone: `YYYY-MM-DDTHH:MM:SS+HH:MM` with the page's own offset
  (`Z` for UTC), so the date part is the page's calendar date;
- a date alone: `YYYY-MM-DD`;
- a time stated without a zone: no zone is invented. An offset the same page states for
  the same date elsewhere (another date meta, another dateline) is used if there is one;
  otherwise the field keeps the date alone and the wall-clock time goes to
  `published_local` / `updated_local` as `YYYY-MM-DDTHH:MM:SS` (zone unknown).

Used by the HTML metadata path, the capture dateline path and the database migration of
older files, so every writer stores the same form. Imports nothing of deboil.
"""
from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Iterable

# the first ISO-like date in a value, with the time and zone that follow it, if any
_ISO = re.compile(
    r"(\d{4})-(\d{2})-(\d{2})"
    r"(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?(?:[.,]\d+)?"
    r"\s*(Z(?![A-Za-z])|[+-]\d{2}(?::?\d{2})?(?!\d)|(?i:GMT|UTC)(?:\s*[+-]\d{1,2}(?::?\d{2})?)?)?)?")
_ZONE = re.compile(r"^(?:(Z)|(?i:GMT|UTC)|(?:(?i:GMT|UTC)\s*)?([+-])(\d{1,2})(?::?(\d{2}))?)$")
YEARS = (1990, 2100)  # outside these a "date" is a product number or a placeholder
MAX_OFFSET_HOURS = 14  # UTC+14 is the farthest zone in use


@dataclass(frozen=True)
class Stated:
    """A date as a page states it: the calendar date, the wall-clock time, the zone."""

    date: str  # YYYY-MM-DD
    time: str | None = None  # HH:MM:SS
    offset: str | None = None  # "+03:00", "-05:30" or "Z"


def offset_of(zone: str | None) -> str | None:
    """A zone as written ("+0300", "+03", "GMT+3", "UTC", "Z") as `+HH:MM`, or `Z` for UTC;
    None when it is no zone or an impossible one."""
    if not zone:
        return None
    m = _ZONE.match(zone.strip())
    if not m:
        return None
    if m.group(1) or not m.group(2):
        return "Z"
    hours, minutes = int(m.group(3)), int(m.group(4) or 0)
    if hours > MAX_OFFSET_HOURS or minutes >= 60:
        return None
    if hours == minutes == 0:
        return "Z"
    return f"{m.group(2)}{hours:02d}:{minutes:02d}"


def stated(date: str, hour: int | None = None, minute: int | None = None, second: int = 0,
           zone: str | None = None) -> Stated | None:
    """A Stated from its parts; None for an impossible date. An impossible time leaves the
    date alone; an impossible zone leaves the time without one."""
    y, mo, d = (int(x) for x in date.split("-"))
    if not (YEARS[0] <= y <= YEARS[1] and 1 <= mo <= 12 and 1 <= d <= 31):
        return None
    day = f"{y:04d}-{mo:02d}-{d:02d}"
    if hour is None or minute is None or not (hour < 24 and minute < 60 and second < 60):
        return Stated(day)
    return Stated(day, f"{hour:02d}:{minute:02d}:{second:02d}", offset_of(zone))


def read_iso(value) -> Stated | None:
    """The first ISO 8601-like date in a value (JSON-LD, <meta>, <time datetime>, a stored
    field), with its time and zone when given; None when there is none."""
    if not isinstance(value, str):
        return None
    m = _ISO.search(value)
    if not m:
        return None
    y, mo, d, h, mi, s, zone = m.groups()
    if h is None:
        return stated(f"{y}-{mo}-{d}")
    return stated(f"{y}-{mo}-{d}", int(h), int(mi), int(s or 0), zone)


def offsets_by_date(dates: Iterable[Stated | None]) -> dict[str, str]:
    """Date -> the first offset the page states for a time on that date."""
    found: dict[str, str] = {}
    for s in dates:
        if s is not None and s.offset and s.time:
            found.setdefault(s.date, s.offset)
    return found


def stored(date: Stated | None, offsets: dict[str, str] | None = None) -> tuple[str | None, str | None]:
    """(field value, local wall-clock time or None) in the stored form (module docstring)."""
    if date is None:
        return None, None
    if date.time is None:
        return date.date, None
    offset = date.offset or (offsets or {}).get(date.date)
    if offset:
        return f"{date.date}T{date.time}{offset}", None
    return date.date, f"{date.date}T{date.time}"


def restored(value: str | None) -> tuple[str | None, str | None]:
    """A value stored by an older deboil in the stored form: "2020-12-20T21:46" becomes
    ("2020-12-20", "2020-12-20T21:46:00"); text that holds no date is kept as it is."""
    s = read_iso(value)
    if s is None:
        return value, None
    return stored(s)
