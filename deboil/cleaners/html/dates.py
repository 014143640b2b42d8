"""Route htmldate's free-text date fallback to our own parser (`cleaners.dates`).

htmldate (trafilatura's date finder) hands textual dates it cannot read ("Dec. 19, 2025")
to dateparser. dateparser's first call in a process compiles regexes for some 200 locales:
seconds per worker process, paid again by every scheduled run, for no correct date gained
on the benchmark pages (481 pages: same date accuracy with the fallback switched off).
Our month-name parser reads the same expressions in the languages we support, in
microseconds. Installed once, at import of the HTML step.

htmldate also gathers the month names of all dateparser locales (to tell whether a string
may hold a date): importing those 200 locale modules took ~0.3 s in every worker process
that met a page without a declared date. The set now comes from the model cache.
"""
from __future__ import annotations

from datetime import datetime

import htmldate.extractors

from deboil.cleaners.cache import cached
from deboil.cleaners.lexicon.dates import find_date


def parse_text_date(string: str) -> datetime | None:
    """The date (and time) a free-text expression names, or None."""
    found = find_date(string)
    if found is None:
        return None
    return datetime.fromisoformat(found.iso)


_parse_text_date = parse_text_date  # the private name, still importable


def install() -> None:
    """Replace htmldate's dateparser hook; fails loudly if htmldate renames it."""
    if not callable(getattr(htmldate.extractors, "_external_date", None)):
        raise RuntimeError("htmldate changed: no extractors._external_date to replace")
    htmldate.extractors._external_date = parse_text_date
    if not callable(getattr(htmldate.extractors, "month_words", None)):
        raise RuntimeError("htmldate changed: no extractors.month_words to replace")
    months = cached("month-words", htmldate.extractors.month_words,
                    libraries=("htmldate", "dateparser"))
    htmldate.extractors.month_words = lambda: months
