"""Layout wrappers named like page chrome.

trafilatura deletes every block whose class or id contains "footer" or "sidebar" before it
looks for the text. Some themes name the wrapper of the page's own body after the layout
it sits in: "page1-footer" (the part of a post below its lead), "content-sidebar-wrap" (the
column beside a sidebar). An element so named that holds more than half of the page's
visible words is not a footer or a sidebar; when trafilatura kept less than half of the
page, that wrapper may be what it threw away: its chrome word is taken out of its names
and trafilatura reads the page again.
"""
from __future__ import annotations

import re

from lxml import etree

from .html_fallback import _CHROME_TAGS, _TEXT_OUTSIDE_CODE, _words

# trafilatura's own test: a substring of the class or id, whatever the word around it
_WRAPPER_WORD = re.compile(r"footer|sidebar", re.I)
_PRUNED_TAGS = {"div", "section", "span", "p"}  # the elements trafilatura deletes so
WRAPPER_MIN_SHARE = 0.5  # of the page's visible words: more than any footer or sidebar holds

_NAMED = etree.XPath("/descendant::*[@class or @id]")
_CLASS_VALUES = etree.XPath("/descendant::*/@class", smart_strings=False)
_ID_VALUES = etree.XPath("/descendant::*/@id", smart_strings=False)


def _named_like_chrome(tree) -> set[str]:
    values = set(_CLASS_VALUES(tree))
    values.update(_ID_VALUES(tree))
    return {v for v in values if _WRAPPER_WORD.search(v)}


def _beside_main(el, mains: list) -> bool:
    """The page marks its body with <main> and `el` neither holds it nor sits in it:
    a real footer or sidebar, however many words it holds (a shop's product grids)."""
    if not mains:
        return False
    ups = set(el.iterancestors())
    return not any(m is el or m in ups or any(a is el for a in m.iterancestors()) for m in mains)


def unmask_layout_wrappers(tree, kept_words: int, total: int) -> int:
    """Take "footer"/"sidebar" out of the class and id of elements outside the page chrome
    holding more than `WRAPPER_MIN_SHARE` of the page's `total` visible words, when the
    extractor kept fewer than that (`kept_words`); in place. Returns how many changed."""
    limit = WRAPPER_MIN_SHARE * total
    if kept_words >= limit:
        return 0  # trafilatura cannot have deleted such an element
    names = _named_like_chrome(tree)
    if not names:
        return 0
    mains = list(tree.iter("main"))
    n = 0
    for el in _NAMED(tree):
        if el.tag not in _PRUNED_TAGS or not (el.get("class") in names or el.get("id") in names):
            continue
        if any(a.tag in _CHROME_TAGS for a in el.iterancestors()) or _beside_main(el, mains):
            continue
        if _words(_TEXT_OUTSIDE_CODE(el)) <= limit:
            continue
        for attr in ("class", "id"):
            value = el.get(attr)
            if value and _WRAPPER_WORD.search(value):
                kept = " ".join(t for t in value.split() if not _WRAPPER_WORD.search(t))
                if kept:
                    el.set(attr, kept)
                else:
                    del el.attrib[attr]
        n += 1
    return n
