"""trafilatura's raw-tree prunes answered in Python, same elements in the same order.

Before extracting, trafilatura prunes the whole page with RAW_TREE_PRUNE_XPATH and
REMOVE_COMMENTS_AND_LISTS_XPATH. Their EXSLT `re:test` calls back into Python for every
div/section/aside/list the page holds: ~4 ms a page, a quarter of the extraction. The
same tests in Python over lxml's tag-filtered iteration, with the very same regular
expressions, select the same elements in document order in a fraction of that. Each
mirror replaces its XPath in trafilatura's list (its only use is `expression(tree)`)
only when the XPath's text is the one mirrored: any change in trafilatura and its
XPath stays.
"""
from __future__ import annotations

import re

from trafilatura import xpaths

# mvp theme's appended posts, infinite-scroll containers (kept when they hold the <h1>)
_SCROLL = re.compile(r"mvp-post-add-(?:box|wrap)|infinite-?scroll")
_MVP = re.compile(r"mvp-post-add-(?:box|wrap)")
_COMMENTS_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_COMMENTS_CLASS = re.compile(r"^[Cc]omment(?!ary)|(?:article|post)-comments")
_COMMENTS_LIST_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol)")


def _appended_posts(tree) -> list:
    out = []
    for el in tree.iterdescendants("div", "section", "aside"):
        id_, cls = el.get("id") or "", el.get("class") or ""
        if (_SCROLL.search(id_) or _SCROLL.search(cls)) and (
                next(el.iterdescendants("h1"), None) is None or _MVP.search(id_) or _MVP.search(cls)):
            out.append(el)
    return out


def _share_buttons(tree) -> list:
    return [el for el in tree.iterdescendants("div", "section", "aside")
            if "elementor-share-buttons" in (el.get("class") or "")]


def _comments(tree) -> list:
    out = []
    for el in tree.iterdescendants("div", "list", "section", "details", "ol", "ul"):
        id_, cls = el.get("id") or "", el.get("class") or ""
        if (_COMMENTS_ID.search(id_) or _COMMENTS_CLASS.search(cls)) and (
                el.tag not in ("ol", "ul") or _COMMENTS_LIST_ID.search(id_) or _COMMENTS_CLASS.search(cls)):
            out.append(el)
    return out


class _Mirror:
    """Called as trafilatura calls its XPath: `expression(tree)` -> list of elements."""

    def __init__(self, xpath, select):
        self.path, self.select = xpath.path, select  # `path` for anyone who reads it

    def __call__(self, tree) -> list:
        return self.select(tree)


# (list, index, the XPath text mirrored, whitespace-squashed, Python selection)
_MIRRORS = [
    (xpaths.RAW_TREE_PRUNE_XPATH, 0,
     ".//*[self::div or self::section or self::aside][ re:test(@id, 'mvp-post-add-(?:box|wrap)|infinite-?scroll') "
     "or re:test(@class, 'mvp-post-add-(?:box|wrap)|infinite-?scroll')][ not(.//h1) or re:test(@id, "
     "'mvp-post-add-(?:box|wrap)') or re:test(@class, 'mvp-post-add-(?:box|wrap)')]", _appended_posts),
    (xpaths.RAW_TREE_PRUNE_XPATH, 1,
     ".//*[self::div or self::section or self::aside][contains(@class, 'elementor-share-buttons')]", _share_buttons),
    (xpaths.REMOVE_COMMENTS_AND_LISTS_XPATH, 0,
     ".//*[self::div or self::list or self::section or self::details or self::ol or self::ul][ re:test(@id, "
     "'^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or re:test(@class, '^[Cc]omment(?!ary)|"
     "(?:article|post)-comments')][ not(self::ol or self::ul) or re:test(@id, '^(?:[Cc]omment(?!ary)|comol)') "
     "or re:test(@class, '^[Cc]omment(?!ary)|(?:article|post)-comments')]", _comments),
]


def install() -> int:
    """Put the mirrors in trafilatura's lists; returns how many were installed."""
    n = 0
    for xlist, i, path, select in _MIRRORS:
        current = xlist[i] if i < len(xlist) else None
        if isinstance(current, _Mirror):
            n += 1
        elif current is not None and re.sub(r"\s+", " ", current.path).strip() == path:
            xlist[i] = _Mirror(current, select)
            n += 1
    return n
