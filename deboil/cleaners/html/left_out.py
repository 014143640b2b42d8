"""What the extractor left out of an HTML page, recorded in `removed` with a reason.

trafilatura (or the DOM pass) decides what the body is; the navigation, share rows,
related boxes, footers, banners and forms it did not keep would otherwise leave no trace.
One walk over the tree already parsed cuts the visible text into blocks (a paragraph, a
list item, a table row, a heading, ...) and compares each with the text kept: a block
found there, already recorded as removed, or equal to the title is accounted for; the
others are listed.

The reason comes from the block itself: the innermost region it sits in (an HTML5 element
such as <nav>, <footer>, <aside>, <header>, <form>; an ARIA role; class and id words such
as "share", "related", "comments", "cookie-banner"), else the shared boilerplate phrasing,
the heading above it ("Related stories"), its link density, and `not-extracted` when
nothing names it. Consecutive left-out blocks of one region are one entry.

Bounded, so a huge page costs no more than a big one: at most `MAX_ENTRIES` entries a
page, each cut to `MAX_CHARS` characters.
"""
from __future__ import annotations

import re
from bisect import bisect_right
from functools import lru_cache

from lxml import etree

from deboil.cleaners.html.fallback import split_camel
from deboil.cleaners.html.sections import section_reason
from deboil.cleaners.lexicon.boilerplate import MAX_WORDS_ANYWHERE, boilerplate_reasons
from deboil.models import Removed

MAX_ENTRIES = 60
MAX_CHARS = 300
ELLIPSIS = " …"

# Blocks shorter than this (in words) are accounted for only by a whole kept line: a
# one-word menu item ("News") is found as a word in most articles.
MIN_SUBSTRING_WORDS = 4
# A block of this many words is also accounted for when its first and its last
# `EDGE_WORDS` words are in the kept text (trafilatura kept it but left out a link inside).
PARTLY_MIN_WORDS = 12
EDGE_WORDS = 5
_MARKS = " -*•|"
# A region holding none of the kept lines this long is left out whole (a shorter kept line,
# "Share", may well be a menu item's word too)
MIN_REGION_LINE = 8
# elements whose text a reader never sees as text
_NO_TEXT = ("script", "style", "noscript", "template", "svg", "textarea", "select")
_INNER = (*_NO_TEXT, "nav", "menu", "footer", "header", "aside", "form", "dialog")
# Of a block outside any named region: this share of its words in links makes it a list of
# links; with this many words a link on average they are headlines (related stories).
LINK_SHARE = 0.6
# an unnamed block this short, not a sentence, right after a named one is read as part of it
SHORT_WORDS = 12
_SENTENCE_END = re.compile(r"[.!?…][\"'”’»)]*$")
HEADLINE_LINK_WORDS = 4

_NEVER = {"script", "style", "noscript", "template", "svg", "head", "title", "meta", "link", "select",
          "option", "button", "textarea", "input", "iframe", "canvas", "object", "map", "datalist"}
# each starts a block of its own; table cells do not (a row is one block, as trafilatura
# writes it: "| Name | Value |")
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
               "figure", "figcaption", "address", "details", "summary", "hr", "br", "fieldset", "legend",
               "caption", "center", "header", "footer", "nav", "aside", "form", "body", "dialog", "menu"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)

# elements whose own semantics name the region
_TAG_REASONS = {"nav": "nav", "menu": "nav", "footer": "footer", "header": "header", "aside": "sidebar",
                "form": "form", "dialog": "dialog"}
_ROLE_REASONS = {"navigation": "nav", "menu": "nav", "menubar": "nav", "toolbar": "nav", "search": "form",
                 "banner": "header", "contentinfo": "footer", "complementary": "sidebar", "form": "form",
                 "dialog": "dialog", "alertdialog": "dialog"}
# class/id words, most specific first: a <div class="footer-share"> is a share row, a
# "comment-form-cookies-consent" box part of the comment form
_NAME_REASONS = [
    ("comments", {"comment", "comments", "disqus", "respond", "replies", "discussion"}),
    ("cookie", {"cookie", "cookies", "consent", "gdpr", "cmp"}),
    ("share", {"share", "sharing", "social", "sharebar", "addthis", "sharethis"}),
    ("related", {"related", "recommended", "recommendations", "popular", "trending", "suggested",
                 "similar", "outbrain", "taboola", "teasers"}),
    ("newsletter", {"newsletter", "subscribe", "subscription", "signup"}),
    ("login", {"login", "signin", "register"}),
    ("byline", {"byline", "dateline"}),
    ("nav", {"nav", "navbar", "navigation", "menu", "megamenu", "breadcrumb", "breadcrumbs", "pagination",
             "pager", "toc", "skip"}),
    ("footer", {"footer", "colophon"}),
    ("header", {"header", "masthead", "topbar"}),
    ("sidebar", {"sidebar", "rail", "widget", "widgets"}),
    ("ad", {"ad", "ads", "advert", "advertisement", "sponsored", "promo"}),
]
_NAME_SPLIT = re.compile(r"[^a-z0-9]+")
# named like chrome but the page's own wrapper: never a region
_WRAPPER_TAGS = {"html", "body", "main", "article"}


_RANK = {reason: rank for rank, (reason, _) in enumerate(_NAME_REASONS)}


@lru_cache(maxsize=16384)
def _name_reason(value: str) -> str | None:
    """The reason one class or id value names (values repeat within a page and across a
    site's pages: each is read once)."""
    words = set(_NAME_SPLIT.split(split_camel(value).lower()))
    for reason, group in _NAME_REASONS:
        if words & group:
            return reason
    return None


def _region_reason(attrib, tag: str) -> str | None:
    """The reason an element (its attributes, its tag) names for everything inside it."""
    role = attrib.get("role")
    if role and (reason := _ROLE_REASONS.get(role.strip().lower())):
        return reason
    cls, ident = attrib.get("class"), attrib.get("id")
    by_class = _name_reason(cls) if cls else None
    by_id = _name_reason(ident) if ident else None
    by_name = by_class or by_id
    if by_class and by_id and _RANK[by_id] < _RANK[by_class]:
        by_name = by_id
    if tag in _TAG_REASONS:
        # a share row or related box in a sidebar is named more precisely by its own words
        return by_name if by_name in ("cookie", "share", "comments", "related", "newsletter") else _TAG_REASONS[tag]
    return by_name if tag not in _WRAPPER_TAGS else None


def _hidden(attrib) -> bool:
    if "hidden" in attrib or attrib.get("aria-hidden") == "true":
        return True
    style = attrib.get("style")
    return bool(style and _HIDDEN_STYLE.search(style))


class _Block:
    __slots__ = ("index", "text", "words", "link_words", "region", "reason", "heading")

    def __init__(self, index, text, words, link_words, region, reason, heading):
        self.index, self.text, self.words, self.link_words = index, text, words, link_words
        # `heading`: the last heading block before this one in the same region (itself
        # for a heading), whose section reason is read only if this block is left out
        self.region, self.reason, self.heading = region, reason, heading


def _walk(root, accounted: "_Accounted") -> list[_Block]:
    """The visible blocks under `root` in document order, each with its innermost region
    (element, reason) and the section reason of the heading above it (within that region:
    a "Related" heading in a sidebar says nothing of the text after the sidebar).

    One iterwalk (lxml's C walker, with comment events for the text after a comment)
    rather than a recursive visit: the walk is most of this pass's cost."""
    blocks: list[_Block] = []
    parts: list[str] = []
    link_words = 0
    links = 0  # depth of <a> elements around the current text
    regions: list[tuple] = [(None, None)]  # (element, reason), innermost last
    heading: list = [None]  # the last heading block

    def flush(is_heading: bool) -> None:
        nonlocal link_words
        joined = "".join(parts)
        parts.clear()
        if joined.isspace():  # the layout's line breaks between two blocks: most flushes
            link_words = 0
            return
        text = " ".join(joined.split()).strip(" |")
        if text and any(c.isalnum() for c in text):
            region, reason = regions[-1]
            last = heading[0]
            block = _Block(len(blocks), text, len(text.split()), link_words, region, reason,
                           last if last is not None and last.region is region else None)
            if is_heading:
                block.heading = heading[0] = block
            blocks.append(block)
        link_words = 0

    holders = _inner_holders(root)
    walker = etree.iterwalk(root, events=("start", "end", "comment"))
    skipped = None
    for event, el in walker:
        if event == "start":
            tag = el.tag
            attrib = el.attrib
            if tag in _NEVER or (attrib and _hidden(attrib)):
                walker.skip_subtree()
                skipped = el
                continue
            own = _region_reason(attrib, tag) if attrib else _TAG_REASONS.get(tag)
            if own == "form" and tag == "form" and not _has_fields(el):
                own = None  # a form with hidden inputs only wraps text (a thread's comments)
            if parts and (own is not None or tag in _BLOCK_TAGS):
                flush(False)
            if own is not None:
                whole = None if el in holders else accounted.whole_region(el)
                if whole is not None:  # nothing of it kept: one block, read in C, not walked
                    if whole:
                        blocks.append(_Block(len(blocks), whole, len(whole.split()), 0, el, own, None))
                    walker.skip_subtree()
                    skipped = el
                    continue
                regions.append((el, own))
            if tag == "a":
                links += 1
            text = el.text
            if text:
                parts.append(text)
                if links:
                    link_words += len(text.split())
            continue
        if event == "end":
            if el is skipped:
                skipped = None
            else:
                tag = el.tag
                if (tag in _BLOCK_TAGS or regions[-1][0] is el) and parts:
                    flush(tag in _HEADINGS)
                if regions[-1][0] is el:
                    regions.pop()
                if tag == "a":
                    links -= 1
                elif tag == "td" or tag == "th":
                    parts.append(" | ")
        tail = el.tail  # after an element or a comment: text of the parent's flow
        if tail and el is not root:
            parts.append(tail)
            if links:
                link_words += len(tail.split())
    if parts:
        flush(False)
    return blocks


def _inner_holders(root) -> set:
    """The elements holding one of `_INNER` (a script, a nested region): a region among
    them is walked, not read whole. One pass up from each such element, which stops at an
    ancestor already found, rather than a search down from every region."""
    holders: set = set()
    for el in root.iter(*_INNER):
        for above in el.iterancestors():
            if above in holders:
                break
            holders.add(above)
    return holders


def _has_fields(form) -> bool:
    for el in form.iter("textarea", "select", "button", "input"):
        if el.tag != "input" or (el.get("type") or "").lower() != "hidden":
            return True
    return False


class _Accounted:
    """The text the page keeps or has already explained, to test blocks against.

    Compared case-folded, spacing already normalised on both sides; trafilatura writes a
    list item "- item" and a table row "| a | b |", so kept lines lose those marks for
    the whole-line test, and a longer block may be found anywhere in the kept text (lines
    run together: a <br> splits one block into two lines)."""

    def __init__(self, lines: list[str]):
        folded = [" ".join(line.split()).casefold() for line in lines]
        self.lines = {line.strip(_MARKS) for line in folded}
        self.blob = " " + " ".join(folded) + " "
        # shortest first, with their lengths: a region's text is searched only for the lines
        # no longer than it
        self.long_lines = sorted((line for line in self.lines if len(line) >= MIN_REGION_LINE), key=len)
        self.long_lengths = [len(line) for line in self.long_lines]

    def whole_region(self, el) -> str | None:
        """A region's text, its pieces joined by " | " (cut at MAX_CHARS), when none of the
        text accounted for is in it (a menu, a footer, a comment thread); None when some
        is: then its blocks are walked one by one, as are those of a region holding elements
        whose text is no text (scripts) or regions of their own (the <nav> in a <header>),
        which the walk does not ask about. Its text is read in C (tostring), the pieces only
        as far as shown."""
        folded = " ".join(etree.tostring(el, method="text", encoding=str, with_tail=False).split()).casefold()
        fitting = self.long_lines[:bisect_right(self.long_lengths, len(folded))]
        if any(line in folded for line in fitting):
            return None
        pieces, size = [], 0
        for t in el.itertext():
            if not t.isspace():
                pieces.append(" ".join(t.split()))
                size += len(pieces[-1]) + 3
                if size > MAX_CHARS + 3:  # past the cut: the entry shows it was cut
                    break
        return " | ".join(pieces)

    def has(self, text: str, words: int) -> bool:
        key = text.casefold()
        if key in self.lines:
            return True
        if words < MIN_SUBSTRING_WORDS:
            return False
        if f" {key}" in self.blob:
            return True
        if words < PARTLY_MIN_WORDS:
            return False
        # kept with a piece left out inside (a link, a footnote mark): its first and last
        # words are both in the kept text
        toks = key.split()
        return (" ".join(toks[:EDGE_WORDS]) in self.blob
                and " ".join(toks[-EDGE_WORDS:]) in self.blob)


def _loose_reason(block: _Block, known: str | None) -> str:
    """The reason of a left-out block outside any named region."""
    if known:
        return known
    if block.heading is not None and (reason := _section_reason(block.heading.text)):
        return reason
    if block.words and block.link_words >= LINK_SHARE * block.words:
        return "related" if block.words >= HEADLINE_LINK_WORDS else "nav"
    return "not-extracted"


@lru_cache(maxsize=4096)
def _section_reason(heading: str) -> str | None:
    return section_reason(heading)


def _together(b: _Block, reason: str, last: _Block, last_reason: str) -> bool:
    """One entry for the next block of one region, for a run of blocks with one reason
    (a menu's items each named "menu-item"), and for a short unnamed block after a named
    one (a teaser's date and section under its headline); longer paragraphs nothing
    names stay entries of their own."""
    if b.region is not None and b.region is last.region:
        return True
    if reason == "not-extracted":
        return (last_reason != "not-extracted" and b.words <= SHORT_WORDS
                and not _SENTENCE_END.search(b.text))
    return reason == last_reason


def _cut(text: str) -> str:
    return text if len(text) <= MAX_CHARS else text[:MAX_CHARS - len(ELLIPSIS)].rstrip() + ELLIPSIS


def left_out(tree, kept: list[str], removed: list[Removed], title: str | None) -> list[Removed]:
    """Removed entries for the visible blocks of `tree` that are neither in `kept` nor in
    `removed` nor the title; at most MAX_ENTRIES, in document order."""
    body = tree.find(".//body")
    accounted = _Accounted([*kept, *(r.text for r in removed), title or ""])
    blocks = _walk(body if body is not None else tree, accounted)
    if not blocks:
        return []
    out_blocks = [b for b in blocks if not accounted.has(b.text, b.words)]
    loose = [b for b in out_blocks if b.region is None and b.words <= MAX_WORDS_ANYWHERE]
    known = dict(zip(map(id, loose), boilerplate_reasons([b.text for b in loose])))
    entries: list[Removed] = []
    last = None
    for b in out_blocks:
        reason = b.reason if b.region is not None else _loose_reason(b, known.get(id(b)))
        if last is not None and b.index == last.index + 1 and _together(b, reason, last, entries[-1].reason):
            prev, last = entries[-1], b  # the next block of the same region or run: one entry
            if not prev.text.endswith(ELLIPSIS):
                prev.text = _cut(f"{prev.text} | {b.text}")
            continue
        if len(entries) == MAX_ENTRIES:
            break
        last = b
        entries.append(Removed(_cut(b.text), reason))
    return entries
