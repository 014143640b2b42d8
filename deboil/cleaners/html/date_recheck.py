"""htmldate's fast-mode answer for a page, taken from its extensive run where it can be.

fill_metadata keeps a 1 January date htmldate's extensive search found only if its fast mode
gives the same; a second find_date copied, pruned and read the page again (~4.7 ms a call,
31 of 340 wcxb pages). The modes differ in three places: try_date_expr's free-text parser
(extensive only), the candidate elements (fast mode's: a subset, by the same test) and the
last step (free text and the page-wide patterns, or a bare date in the pruned text). When the
extensive run reached its free-text step (so every earlier step found nothing) and no date
it read came from the free-text parser, the fast run would make the same readings with the
same results up to its last step: its answer is then the fast candidates' (read only when
the extensive ones were too many to be read at all) or the bare date in the text of the
pruned tree the extensive run left. Otherwise, or if htmldate's code is not the one this
was written against, find_date runs again.
"""
from __future__ import annotations

import hashlib
import inspect
import threading
from typing import Callable

from htmldate import core as htmldate_core
from htmldate import extractors as htmldate_extractors
from htmldate.utils import Extractor, clean_html
from htmldate.validators import get_max_date, get_min_date

# sha256 of the htmldate functions whose flow the derivation follows (htmldate 1.11.0)
_EXPECTED_DIGEST = "f36e3b95d58a4bb5"


class _Run:
    """What one extensive find_date run did that the fast answer depends on."""

    __slots__ = ("tree", "candidates", "free_text", "parsed_text")

    def __init__(self):
        self.tree = None  # the pruned copy the element and text steps read
        self.candidates = 0  # how many candidate elements the extensive test found
        self.free_text = False  # reached the free-text step
        self.parsed_text = False  # a reading before that step came from the free-text parser


_recording = threading.local()  # .run: the extensive run under way in this thread, if any
_installed = False


def _source_digest() -> str:
    sources = (htmldate_core.find_date, htmldate_core.date_candidates,
               htmldate_extractors.try_date_expr.__wrapped__)
    return hashlib.sha256("".join(map(inspect.getsource, sources)).encode()).hexdigest()[:16]


def install() -> None:
    """Record, during the extensive run fill_metadata makes, what the derivation needs."""
    global _installed
    if _installed or _source_digest() != _EXPECTED_DIGEST:
        return
    try_date_expr = htmldate_extractors.try_date_expr
    date_candidates = htmldate_core.date_candidates
    free_text = htmldate_core.FREE_TEXT_EXPRESSIONS

    def recorded_try_date_expr(string, outputformat, extensive_search, min_date, max_date):
        result = try_date_expr(string, outputformat, extensive_search, min_date, max_date)
        run = getattr(_recording, "run", None)
        if (run is not None and extensive_search and result is not None and not run.free_text
                and not run.parsed_text and try_date_expr(string, outputformat, False, min_date, max_date) != result):
            run.parsed_text = True
        return result

    def recorded_date_candidates(tree, extensive_search):
        found = date_candidates(tree, extensive_search)
        run = getattr(_recording, "run", None)
        if run is not None and extensive_search:
            run.tree, run.candidates = tree, len(found)
        return found

    def recorded_free_text(tree):
        run = getattr(_recording, "run", None)
        if run is not None:
            run.free_text = True
        return free_text(tree)

    recorded_try_date_expr.cache_clear = try_date_expr.cache_clear  # htmldate's reset_caches
    htmldate_extractors.try_date_expr = htmldate_core.try_date_expr = recorded_try_date_expr
    htmldate_core.date_candidates = recorded_date_candidates
    htmldate_core.FREE_TEXT_EXPRESSIONS = recorded_free_text
    _installed = True


def find_dates(tree, url: str | None, extensive: dict, fast: dict) -> tuple[str | None, Callable[[], str | None]]:
    """(find_date's extensive answer, a function giving its fast-mode answer); `extensive`
    and `fast`: find_date's parameters for each mode, the same but for extensive_search."""
    run = _Run() if _installed else None
    _recording.run = run
    try:
        found = htmldate_core.find_date(tree, **dict(extensive, url=url))
    finally:
        _recording.run = None

    def fast_answer() -> str | None:
        if run is None or not run.free_text or run.parsed_text or run.tree is None:
            return htmldate_core.find_date(tree, **dict(fast, url=url))
        options = Extractor(False, get_max_date(fast.get("max_date")), get_min_date(fast.get("min_date")),
                            fast.get("original_date", False), fast.get("outputformat", "%Y-%m-%d"))
        if run.candidates > htmldate_core.MAX_POSSIBLE_CANDIDATES:
            result = htmldate_core.examine_elements(htmldate_core.date_candidates(run.tree, False), options)
            if result is not None:
                return result
        clean_html(run.tree, ["script", "style"])
        text = " ".join(run.tree.itertext())
        return htmldate_core.pattern_search(text, htmldate_core.TIMESTAMP_LOOSE_PATTERN, options)

    return found, fast_answer
