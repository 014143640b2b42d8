"""htmldate's page-wide date patterns, run over a squeezed copy of the page.

When no element names a date, htmldate's `search_page` runs up to nine patterns over the
whole serialised page (~100 KB on a wcxb page), one `findall` each; five of them,
`\\D(X)\\D` with X made of digits and the separators `/ . -` only, cost ~4-8 ms a call,
as the regex engine tries every position of the markup. Every character outside the
digits (any script's: `\\D` is Unicode) and those separators matches only `\\D`, and in a
run of three or more of them only the first (a match's closing `\\D`) and the last (the
opening one) can take part in a match. So each such run is squeezed to two spaces once a
page (~20 % of the length left), and those five patterns read the squeezed copy: the same
matches in the same order, hence the same candidates and the same dates. Patterns whose
match holds other characters (the `\\D` around a date string, the copyright sign) read the
page as before.
"""
from __future__ import annotations

import re
import threading

from htmldate import core as htmldate_core

# The five patterns as htmldate 1.11.0 compiles them; a pattern htmldate changes is left alone.
_SQUEEZABLE = {
    "SELECT_YMD_PATTERN": r"\D([0-3]?[0-9][/.-][0-1]?[0-9][/.-][0-9]{4})\D",
    "SLASHES_PATTERN": r"\D([0-3]?[0-9]/[0-1]?[0-9]/[0129][0-9]|[0-3][0-9]\.[01][0-9]\.[0129][0-9])\D",
    "YYYYMM_PATTERN": r"\D([12][0-9]{3}[/.-](?:1[0-2]|0[1-9]))\D",
    "MMYYYY_PATTERN": r"\D([0-1]?[0-9][/.-][12][0-9]{3})\D",
    "THREE_LOOSE_PATTERN": r"\D([0-9]{4}[/.-][0-9]{2}[/.-][0-9]{2})\D",
}
# A run of 3+ characters none of these patterns can hold but as a bounding \D
_LONG_RUN = re.compile(r"[^\d./-]{3,}")

_page = threading.local()  # .source / .squeezed: the page search_page is reading
_installed = False


def squeeze(page: str) -> str:
    """The page with every run of 3+ characters other than digits and `/ . -` cut to two
    spaces: what the squeezable patterns find in it is what they find in the page."""
    return _LONG_RUN.sub("  ", page)


def squeezable() -> frozenset[re.Pattern]:
    """htmldate's compiled patterns that may read the squeezed page."""
    return frozenset(getattr(htmldate_core, name) for name, source in _SQUEEZABLE.items()
                     if getattr(getattr(htmldate_core, name, None), "pattern", None) == source
                     and getattr(htmldate_core, name).flags == re.UNICODE)


def install() -> None:
    """Wrap search_page (to know the page) and plausible_year_filter (its findall)."""
    global _installed
    patterns = squeezable()
    if _installed or not patterns:
        return
    search_page = htmldate_core.search_page
    year_filter = htmldate_core.plausible_year_filter

    def squeezed_search_page(htmlstring, options):
        _page.source, _page.squeezed = htmlstring, None
        try:
            return search_page(htmlstring, options)
        finally:
            _page.source = _page.squeezed = None  # nothing outlives the page

    def squeezed_year_filter(htmlstring, *, pattern, yearpat, earliest, latest):
        if pattern in patterns and htmlstring is getattr(_page, "source", None):
            if _page.squeezed is None:
                _page.squeezed = squeeze(htmlstring)
            htmlstring = _page.squeezed
        return year_filter(htmlstring, pattern=pattern, yearpat=yearpat, earliest=earliest, latest=latest)

    squeezed_search_page.__wrapped__ = search_page
    htmldate_core.search_page = squeezed_search_page
    htmldate_core.plausible_year_filter = squeezed_year_filter
    _installed = True
