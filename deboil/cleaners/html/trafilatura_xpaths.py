"""trafilatura's costliest XPaths answered in Python, same elements in the same order.

trafilatura prunes the whole raw page with RAW_TREE_PRUNE_XPATH and
REMOVE_COMMENTS_AND_LISTS_XPATH (or REMOVE_COMMENTS_XPATH), each cleaned tree with
OVERALL_DISCARD_XPATH (and captions, bottom links), looks for the article's container
with BODY_XPATH, and cleans the pages its baseline, jusText and the recall escalation's
page measure read with BASIC_CLEAN_XPATH (~7 ms a call on a WCXB page). Their EXSLT
`re:test` calls back into Python for every div/section/span the page holds, and libxml2
evaluates their long `or` chains slowly: ~7 ms a page, a third of the extraction. The
same tests in Python over lxml's tag-filtered iteration, with the very same regular
expressions, select the same elements in document order in a fraction of that. Each
mirror replaces its XPath in trafilatura's list (whose only use is `expression(tree)`)
only when the XPath's text is the one mirrored: any change in trafilatura and its XPath
stays.
"""
from __future__ import annotations

import importlib
import re
from contextlib import contextmanager
from contextvars import ContextVar

from lxml import etree
from trafilatura import xpaths

# the module: `trafilatura.baseline` is also a function the package exports under that name
trafilatura_baseline = importlib.import_module("trafilatura.baseline")

# mvp theme's appended posts, infinite-scroll containers (kept when they hold the <h1>)
_SCROLL = re.compile(r"mvp-post-add-(?:box|wrap)|infinite-?scroll")
_MVP = re.compile(r"mvp-post-add-(?:box|wrap)")
_COMMENTS_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)")
_COMMENTS_CLASS = re.compile(r"^[Cc]omment(?!ary)|(?:article|post)-comments")
_COMMENTS_LIST_ID = re.compile(r"^(?:[Cc]omment(?!ary)|comol)")


# The page's class and id values, "\n"-joined, while deboil's own trafilatura readings run
# (see page_names): a mirror that selects by a name no value holds returns [] without its walk
_PAGE_NAMES: ContextVar[str | None] = ContextVar("deboil_page_names", default=None)


@contextmanager
def page_names(names: set[str] | None):
    """Within it, every tree the mirrors are handed holds no class or id value outside
    `names` (None: unknown). True of the trees trafilatura derives from a page whose values
    were read before: it copies, prunes and renames elements, and the attributes it sets
    are never a class or id of its own making (only ones copied from the page's elements)."""
    if names is None:
        yield
        return
    token = _PAGE_NAMES.set("\n".join(names))
    try:
        yield
    finally:
        _PAGE_NAMES.reset(token)


def _may_hold(found_in) -> bool:
    """False when `found_in(text)` is false of the page's names joined: then no single
    value holds what it looks for (each test below needs no more than one value, and none
    reads across the newline)."""
    text = _PAGE_NAMES.get()
    return text is None or bool(found_in(text))


def _scroll_words(text: str) -> bool:
    return _SCROLL.search(text) is not None


def _share_words(text: str) -> bool:
    return "elementor-share-buttons" in text


# every match of _COMMENTS_ID or _COMMENTS_CLASS holds one of these ("dsq-comments" and
# "article-comments" hold "comment" not followed by "ary"), found anywhere in a value
_COMMENT_WORDS = re.compile(r"[Cc]omment(?!ary)|comol|disqus_thread")


def _comment_words(text: str) -> bool:
    return _COMMENT_WORDS.search(text) is not None


def _caption_words(text: str) -> bool:
    return "caption" in text


def _appended_posts(tree) -> list:
    if not _may_hold(_scroll_words):
        return []
    out = []
    for el in tree.iterdescendants("div", "section", "aside"):
        id_, cls = el.get("id"), el.get("class")
        if ((id_ and _SCROLL.search(id_)) or (cls and _SCROLL.search(cls))) and (
                next(el.iterdescendants("h1"), None) is None or (id_ and _MVP.search(id_))
                or (cls and _MVP.search(cls))):
            out.append(el)
    return out


def _share_buttons(tree) -> list:
    if not _may_hold(_share_words):
        return []
    return [el for el in tree.iterdescendants("div", "section", "aside")
            if "elementor-share-buttons" in (el.get("class") or "")]


def _named_comments(id_: str | None, cls: str | None) -> bool:
    """The id/class test both comment prunes share."""
    return bool((id_ and _COMMENTS_ID.search(id_)) or (cls and _COMMENTS_CLASS.search(cls)))


def _comments(tree) -> list:
    if not _may_hold(_comment_words):
        return []
    out = []
    for el in tree.iterdescendants("div", "list", "section", "details", "ol", "ul"):
        id_, cls = el.get("id"), el.get("class")
        if _named_comments(id_, cls) and (
                el.tag not in ("ol", "ul") or (id_ and _COMMENTS_LIST_ID.search(id_))
                or (cls and _COMMENTS_CLASS.search(cls))):
            out.append(el)
    return out


def _first_of(el, names: tuple[str, str]) -> str:
    """The value `re:test(@a|@b, ...)` reads: lxml passes the union's first node, the one of
    the two attributes written first (libxml2 keeps attributes in source order)."""
    for name, value in el.items():
        if name in names:
            return value
    return ""


class _OverallDiscard:
    """OVERALL_DISCARD_XPATH[0], its regular expressions read from trafilatura's own text."""

    TEMPLATE = (".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
                "@data-lp-replacement-content or contains(translate(@role, 'N', 'n'), 'nav') or "
                "contains(@data-component, 'MostPopularStories') or re:test(@id|@class, '{}') or "
                "re:test(@id, '{}') or re:test(@class, '{}')]")

    def __init__(self, both: str, id_: str, class_: str):
        self.both, self.id, self.cls = re.compile(both), re.compile(id_), re.compile(class_)

    def __call__(self, tree) -> list:
        out = []
        for el in tree.iterdescendants("div", "item", "list", "p", "section", "span"):
            id_, cls = el.get("id"), el.get("class")
            if ((id_ and self.id.search(id_)) or (cls and self.cls.search(cls))
                    or ((id_ or cls) and self.both.search(_first_of(el, ("id", "class"))))
                    or el.get("data-lp-replacement-content") is not None
                    or "nav" in (el.get("role") or "").replace("N", "n")
                    or "MostPopularStories" in (el.get("data-component") or "")):
                out.append(el)
        return out


class _HiddenDiscard:
    """OVERALL_DISCARD_XPATH[1], its regular expressions read from trafilatura's own text."""

    TEMPLATE = (".//*[@class='comments-title' or starts-with(@id|@class, 'reply-') or "
                "re:test(@id|@style, '{}') or contains(@style, 'display:none') or "
                "contains(@style, 'display: none') or re:test(@id, '{}') or re:test(@class, '{}') or "
                "@aria-hidden='true']")

    def __init__(self, id_style: str, id_: str, class_: str):
        self.id_style, self.id, self.cls = re.compile(id_style), re.compile(id_), re.compile(class_)

    def __call__(self, tree) -> list:
        out = []
        for el in tree.iterdescendants(etree.Element):
            id_, cls, style = el.get("id"), el.get("class"), el.get("style")
            if ((id_ or cls) and (cls == "comments-title" or _first_of(el, ("id", "class")).startswith("reply-")
                                  or (id_ and self.id.search(id_)) or (cls and self.cls.search(cls)))
                    or ((id_ or style) and self.id_style.search(_first_of(el, ("id", "style"))))
                    or (style and ("display:none" in style or "display: none" in style))
                    or el.get("aria-hidden") == "true"):
                out.append(el)
        return out


class _FirstBody:
    """BODY_XPATH[0]: the trailing [1] applies to each parent's children, so it selects the
    first matching child of each parent (_extract reads the first in document order)."""

    TEMPLATE = (".//*[self::article or self::div or self::main or self::section][ @class='post' or "
                "@class='entry' or @itemprop='articleBody' or @id='articleContent' or re:test(@id, '{}') or "
                "re:test(@class, '{}') ][1]")

    def __init__(self, id_: str, class_: str):
        self.id, self.cls = re.compile(id_), re.compile(class_)

    def __call__(self, tree) -> list:
        out, parents = [], set()
        for el in tree.iterdescendants("article", "div", "main", "section"):
            id_, cls = el.get("id"), el.get("class")
            if (cls in ("post", "entry") or el.get("itemprop") == "articleBody" or id_ == "articleContent"
                    or (id_ and self.id.search(id_)) or (cls and self.cls.search(cls))):
                parent = el.getparent()
                if parent not in parents:
                    parents.add(parent)
                    out.append(el)
        return out


class _FirstOf:
    """`(...)[1]`: the first element, in document order, that `matches` (at most one)."""

    TAGS = ("article", "div", "main", "section")

    def __call__(self, tree) -> list:
        for el in tree.iterdescendants(*self.TAGS):
            if self.matches(el):
                return [el]
        return []


class _StoryBody(_FirstOf):
    """BODY_XPATH[2]; re:test's "i" flag is re.IGNORECASE, as lxml compiles it."""

    TEMPLATE = ("(.//*[self::article or self::div or self::main or self::section][ @role='article' or "
                "@id='article' or @id='story' or @class='postarea' or @class='art-postcontent' or "
                "@class='text' or @class='cell' or @class='story' or re:test(@id, '{}') or "
                "re:test(@class, 'fulltext', 'i') or re:test(@class, '{}') ])[1]")
    _FULLTEXT = re.compile("fulltext", re.I)

    def __init__(self, id_: str, class_: str):
        self.id, self.cls = re.compile(id_), re.compile(class_)

    def matches(self, el) -> bool:
        id_, cls = el.get("id"), el.get("class")
        return bool(el.get("role") == "article" or id_ in ("article", "story")
                    or cls in ("postarea", "art-postcontent", "text", "cell", "story")
                    or (id_ and self.id.search(id_))
                    or (cls and (self._FULLTEXT.search(cls) or self.cls.search(cls))))


class _ContentBody(_FirstOf):
    """BODY_XPATH[3]; translate() lower-cases the letters it names."""

    TEMPLATE = ("(.//*[self::article or self::div or self::main or self::section][ @id='content' or "
                "@class='content' or re:test(@id, '{}') or re:test(@class, '{}') or "
                "contains(translate(@id, 'CM','cm'), 'main-content') or "
                "contains(translate(@class, 'CM','cm'), 'main-content') or "
                "contains(translate(@class, 'CP','cp'), 'page-content') ])[1]")

    def __init__(self, id_: str, class_: str):
        self.id, self.cls = re.compile(id_), re.compile(class_)

    def matches(self, el) -> bool:
        id_, cls = el.get("id"), el.get("class")
        return bool(id_ == "content" or cls == "content"
                    or (id_ and (self.id.search(id_)
                                 or "main-content" in id_.replace("C", "c").replace("M", "m")))
                    or (cls and (self.cls.search(cls)
                                 or "main-content" in cls.replace("C", "c").replace("M", "m")
                                 or "page-content" in cls.replace("C", "c").replace("P", "p"))))


class _Captions:
    """DISCARD_IMAGE_ELEMENTS[0]."""

    TEMPLATE = (".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
                "contains(@id, 'caption') or contains(@class, 'caption')]")

    def __call__(self, tree) -> list:
        if not _may_hold(_caption_words):
            return []
        return [el for el in tree.iterdescendants("div", "item", "list", "p", "section", "span")
                if "caption" in (el.get("id") or "") or "caption" in (el.get("class") or "")]


class _BottomLinks:
    """PRECISION_DISCARD_XPATH[1]."""

    TEMPLATE = (".//*[self::div or self::item or self::list or self::p or self::section or self::span][ "
                "re:test(@id|@class, '{}') or re:test(@id|@class, '{}') or contains(@style, 'border')]")

    def __init__(self, bottom: str, link: str):
        self.bottom, self.link = re.compile(bottom), re.compile(link)

    def __call__(self, tree) -> list:
        out = []
        for el in tree.iterdescendants("div", "item", "list", "p", "section", "span"):
            first = _first_of(el, ("id", "class"))
            if ((first and (self.bottom.search(first) or self.link.search(first)))
                    or "border" in (el.get("style") or "")):
                out.append(el)
        return out


# BASIC_CLEAN_XPATH's tags selected whatever their attributes
_BASIC_TAGS = frozenset({"aside", "fencedframe", "footer", "script", "style", "svg", "template"})


class _BasicClean:
    """settings.BASIC_CLEAN_XPATH (read by baseline.basic_cleaning): a union, so each
    element once, in document order; re:test's "i" flag is re.IGNORECASE. Most pages have
    no class or id the cookie patterns match: then the union's other branches, which need
    no callback, are the whole answer, left to libxml2."""

    TEMPLATE = (".//aside|.//div[contains(@class|@id, 'footer')]|.//fencedframe|.//footer|.//script|"
                ".//style|.//svg|.//template|.//*[re:test(@class, '{}', 'i') or re:test(@id, '{}', 'i')]")
    _PLAIN = etree.XPath(TEMPLATE[:TEMPLATE.index("|.//*[")])
    _CLASSES = etree.XPath("descendant::*/@class", smart_strings=False)  # as .//*[...] reads them
    _IDS = etree.XPath("descendant::*/@id", smart_strings=False)

    def __init__(self, class_: str, id_: str):
        self.cls, self.id = re.compile(class_, re.I), re.compile(id_, re.I)
        # for lower-cased ASCII text (patterns in lower case, see install): the same matches
        self.cls_lower, self.id_lower = re.compile(class_), re.compile(id_)

    @staticmethod
    def _any(values: list[str], pattern: re.Pattern, lower: re.Pattern) -> bool:
        """Whether a value matches: one search over all of them, joined (with no anchor or
        lookaround in the patterns, see install, a value's match is a match there too)."""
        text = "\n".join(values)
        return bool(lower.search(text.lower()) if text.isascii() else pattern.search(text))

    def __call__(self, tree) -> list:
        if not (self._any(self._CLASSES(tree), self.cls, self.cls_lower)
                or self._any(self._IDS(tree), self.id, self.id_lower)):
            return self._PLAIN(tree)
        out = []
        for el in tree.iterdescendants(etree.Element):
            if el.tag in _BASIC_TAGS:
                out.append(el)
                continue
            cls, id_ = el.get("class"), el.get("id")
            if (cls or id_) and ((cls and self.cls.search(cls)) or (id_ and self.id.search(id_))
                                 or (el.tag == "div" and "footer" in _first_of(el, ("class", "id")))):
                out.append(el)
        return out


def _patterns(path: str, template: str) -> list[str] | None:
    """The quoted regular expressions at the template's {} places, if `path` (squashed)
    is the template."""
    parts = template.split("{}")
    m = re.fullmatch("([^']*)".join(map(re.escape, parts)), path)
    return list(m.groups()) if m else None


def _comment_containers(tree) -> list:
    """REMOVE_COMMENTS_XPATH[0]: the comment part of REMOVE_COMMENTS_AND_LISTS_XPATH."""
    if not _may_hold(_comment_words):
        return []
    return [el for el in tree.iterdescendants("div", "list", "section", "details")
            if _named_comments(el.get("id"), el.get("class"))]


# The mirrors test an attribute's value only when it is there and not empty: re:test reads
# an absent one as "", which none of these patterns (nor the templated ones, see install)
# can match.
_FIXED = (_SCROLL, _MVP, _COMMENTS_ID, _COMMENTS_CLASS, _COMMENTS_LIST_ID)


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
    (xpaths.REMOVE_COMMENTS_XPATH, 0,
     ".//*[self::div or self::list or self::section or self::details][ re:test(@id, "
     "'^(?:[Cc]omment(?!ary)|comol|disqus_thread|dsq-comments)') or re:test(@class, '^[Cc]omment(?!ary)|"
     "(?:article|post)-comments')]", _comment_containers),
]


# (list, index, class whose TEMPLATE the XPath text must be, with its patterns in the {})
_TEMPLATED = [
    (xpaths.OVERALL_DISCARD_XPATH, 0, _OverallDiscard),
    (xpaths.OVERALL_DISCARD_XPATH, 1, _HiddenDiscard),
    (xpaths.BODY_XPATH, 0, _FirstBody),
    (xpaths.BODY_XPATH, 2, _StoryBody),
    (xpaths.BODY_XPATH, 3, _ContentBody),
    (xpaths.DISCARD_IMAGE_ELEMENTS, 0, _Captions),
    (xpaths.PRECISION_DISCARD_XPATH, 1, _BottomLinks),
]


# what lets a pattern's match depend on the text around it: anchors, escapes (\b), lookarounds
_CONTEXT = re.compile(r"[\^$\\]|\(\?<?[=!]")


def _install_basic_clean() -> int:
    """BASIC_CLEAN_XPATH is a module constant, looked up by basic_cleaning at each call."""
    current = trafilatura_baseline.BASIC_CLEAN_XPATH
    if isinstance(current, _Mirror):
        return 1
    found = _patterns(re.sub(r"\s+", " ", current.path).strip(), _BasicClean.TEMPLATE)
    if found is None or any(re.search(pattern, "", re.I) or _CONTEXT.search(pattern) or pattern != pattern.lower()
                            for pattern in found):
        return 0  # the mirror needs patterns that match no absent value, read no context, in lower case
    trafilatura_baseline.BASIC_CLEAN_XPATH = _Mirror(current, _BasicClean(*found))
    return 1


def install() -> int:
    """Put the mirrors in trafilatura's lists; returns how many were installed."""
    n = _install_basic_clean()
    for xlist, i, cls in _TEMPLATED:
        current = xlist[i] if i < len(xlist) else None
        if isinstance(current, _Mirror):
            n += 1
        elif current is not None and (found := _patterns(re.sub(r"\s+", " ", current.path).strip(),
                                                         cls.TEMPLATE)) is not None:
            if any(re.search(pattern, "") for pattern in found):
                continue  # the mirrors skip absent attributes: right only if "" never matches
            xlist[i] = _Mirror(current, cls(*found))
            n += 1
    for xlist, i, path, select in _MIRRORS:
        current = xlist[i] if i < len(xlist) else None
        if isinstance(current, _Mirror):
            n += 1
        elif current is not None and re.sub(r"\s+", " ", current.path).strip() == path:
            xlist[i] = _Mirror(current, select)
            n += 1
    return n
