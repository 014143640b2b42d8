"""A line function's results kept for the most recent short lines, across pages.

Short lines recur from page to page of a site (menus, footers, share bars, bylines): their
results are kept in a bounded cache (a few MB at most). Long lines rarely recur and are
computed each time. The function must be pure: a kept result is returned as it is.
"""
from __future__ import annotations

from functools import lru_cache
from typing import Callable, TypeVar

MAX_CHARS = 150
MAX_LINES = 4096

R = TypeVar("R")


def for_recent_lines(fn: Callable[..., R]) -> Callable[..., R]:
    """`fn(line, *args)`, its results for lines of at most MAX_CHARS characters kept
    for the MAX_LINES most recently used (line, args)."""
    kept = lru_cache(maxsize=MAX_LINES)(fn)

    def call(line: str, *args) -> R:
        return kept(line, *args) if len(line) <= MAX_CHARS else fn(line, *args)

    call.cache_clear, call.cache_info = kept.cache_clear, kept.cache_info  # (for tests)
    return call
