"""The hand rules that steer and filter trafilatura's reading, by name, so each can be
measured out of fold (tools/html_rules_audit.py turns them off one at a time).

All are on by default. Code asks `enabled(name)` only where the rule would change the
reading, so the rules asked about while reading a page are the ones that fired on it
(`consulted` collects them: the audit re-reads a page only with those turned off).
`DEBOIL_HTML_RULES_OFF=name,name` (read at import) or the `rules_off(...)` context manager
turns named rules off; an unknown name is an error, so a measurement never silently runs
the shipped set.
"""
from __future__ import annotations

import os
from contextlib import contextmanager

RULES = {
    "news-precision": "news articles read in trafilatura's precision mode (other articles: recall mode)",
    "boilerplate-lines": "lines of the shared boilerplate phrase list (share rows, cookie notices, ...)",
    "phrases-in-prose": "a line of the phrase list that reads as a sentence of the body's prose stays",
    "cta-lines": "short calls to action and result counters",
    "ui-lines": "skip links, 'was this helpful', inline 'Related:' teasers, doubled phrases",
    "title-line": "a leading line that repeats the title",
    "never-empty": "a page the line filters (and the learned pass) would leave empty keeps the lines they dropped; "
                   "one they would leave without a sentence, the dropped lines that end one",
    "link-lines": "on articles, paragraphs that are only the text of a link to another page",
    "forum-widgets": "forums: poster cards, taglines, signatures, similar threads",
    "product-recall": "products: trafilatura's recall reading when longer than its balanced one",
    "product-widgets": "products: reviews, ratings, promoted items, disclaimers, popovers",
    "article-widgets": "articles and products: author boxes, calls to action, sign-up forms",
    "repeats": "forums, listings, collections, products: a long paragraph met again",
    "product-name": "products: the product's name put in front of the text",
}


def _parse(value: str | None) -> frozenset[str]:
    names = frozenset(n.strip() for n in (value or "").split(",") if n.strip())
    unknown = names - RULES.keys()
    if unknown:
        raise ValueError(f"unknown HTML rule(s): {', '.join(sorted(unknown))} (known: {', '.join(RULES)})")
    return names


_off: set[str] = set(_parse(os.environ.get("DEBOIL_HTML_RULES_OFF")))
_asked: list[set[str]] = []  # while `consulted` runs: the names asked about


def enabled(name: str) -> bool:
    if name not in RULES:
        raise KeyError(f"unknown HTML rule: {name}")
    if _asked:
        _asked[-1].add(name)
    return name not in _off


@contextmanager
def consulted():
    """Collects the names of the rules asked about within this block (yields the set)."""
    names: set[str] = set()
    _asked.append(names)
    try:
        yield names
    finally:
        _asked.pop()


@contextmanager
def rules_off(*names: str):
    """Within this block the named rules are off (the others as they were)."""
    saved = set(_off)
    _off.update(_parse(",".join(names)))
    try:
        yield
    finally:
        _off.clear()
        _off.update(saved)
