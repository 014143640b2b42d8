"""Layout wrappers named like page chrome.

Before it looks for the text, trafilatura deletes every block whose class or id contains
one of its chrome words, as a substring: "footer", "sidebar", "bar", "widget", "meta"...
Some pages name the wrapper of their own body so: after the layout it sits in
("page1-footer": the part of a post below its lead), or by a word that merely holds a
chrome word ("bard": an editor's rich-text block, which holds "bar"). A block so named that
holds a large share of the page's visible words is no footer, bar or widget (the DOM pass
draws the same line, `CHROME_MAX_SHARE`). When trafilatura kept a sliver of the page, such
a wrapper may be what it threw away: its names are taken off and trafilatura reads the
page again (see `html.extract_html`).
"""
from __future__ import annotations

from lxml import etree
from trafilatura.xpaths import OVERALL_DISCARD_XPATH, REGEXP_NS

from deboil.cleaners.html.fallback import _CHROME_TAGS, CHROME_MAX_SHARE

# trafilatura's deletion by class/id/role words (its first discard expression; the second
# one deletes hidden elements, which stay hidden), asked of one element at a time ("self::"
# for its ".//"): its regular expressions are Python calls, slow over a whole page
_NAMED_LIKE_CHROME = etree.XPath(OVERALL_DISCARD_XPATH[0].path.replace(".//*", "self::*", 1),
                                 namespaces={"re": REGEXP_NS})


def _beside_main(el, ups: list, mains: list) -> bool:
    """The page marks its body with <main> and `el` (whose ancestors are `ups`) neither
    holds it nor sits in it: real chrome, however many words it holds (a shop's footer of
    product grids)."""
    return bool(mains) and not any(m is el or m in ups or el in m.iterancestors() for m in mains)


def unmask_layout_wrappers(tree, total: int, wc: dict) -> int:
    """Take the class, id and role off the elements trafilatura deletes by name that sit
    outside the page chrome and hold more than `CHROME_MAX_SHARE` of the page's `total`
    visible words (`wc`: `word_counts(tree)`); in place. Returns how many changed."""
    limit = CHROME_MAX_SHARE * total
    mains = None
    n = 0
    for el, words in wc.items():
        if words <= limit or el.tag in ("html", "body") or not isinstance(el.tag, str) \
                or not _NAMED_LIKE_CHROME(el):
            continue
        ups = list(el.iterancestors())
        if any(a.tag in _CHROME_TAGS for a in ups):
            continue
        mains = list(tree.iter("main")) if mains is None else mains
        if _beside_main(el, ups, mains):
            continue
        for attr in ("class", "id", "role"):
            el.attrib.pop(attr, None)
        n += 1
    return n
