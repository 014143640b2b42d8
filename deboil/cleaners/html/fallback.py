"""A DOM extraction of our own for pages that are not articles.

Trafilatura is tuned for running prose: it drops link-dense blocks, short lines and
repeated cards, which on a product, listing, collection or forum page *are* the content
(item names, prices, specs, short replies). This extractor keeps every visible text block
inside the page's main region and skips the page chrome (navigation, header, footer,
sidebars, dialogs, cookie banners) by element semantics and class names, never by text.
It reads the tree without changing it. `region_of` maps another extractor's lines back
to the element that holds them, for re-reading just that region.
"""
from __future__ import annotations

import re
from functools import lru_cache

from lxml import etree
from lxml import html as lxml_html

from deboil.cleaners.html.sections import section_reason

# subtrees that never hold body text
_SKIP_TAGS = {"script", "style", "noscript", "template", "svg", "nav", "header", "footer", "aside",
              "iframe", "button", "select", "option", "dialog", "form", "label", "input", "textarea",
              "title", "meta", "link", "canvas", "video", "audio", "picture", "map", "object"}
_SKIP_ROLES = {"navigation", "banner", "contentinfo", "complementary", "dialog", "alertdialog",
               "search", "menu", "menubar", "toolbar", "tooltip"}
# class/id words of page chrome, matched as whole dash/underscore-separated words
_CHROME = re.compile(
    r"(?:^|[\s_-])(nav|navbar|navigation|menu|megamenu|breadcrumbs?|header|masthead|footer|sidebar|"
    r"cookies?|consent|gdpr|newsletter|subscribe|subscription|signup|sign-in|login|modal|popup|"
    r"overlay|drawer|share|sharing|social|related|recommended|recommendations|promo|advert|ads|"
    r"banner|skip|toolbar|offcanvas|off-canvas|visually-hidden|sr-only|screen-reader-text|"
    r"announcement|toast|tooltip)(?:$|[\s_-])", re.I)
# block-level elements: each one starts a new paragraph
_BLOCKS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
           "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
           "figure", "figcaption", "address", "details", "summary", "hr", "br", "fieldset", "legend",
           "caption", "center"}
_CELLS = {"td", "th"}
_CHROME_TAGS = {"nav", "header", "footer", "aside"}  # page chrome by element semantics
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# never text, whatever their size
_NEVER_TEXT = {"script", "style", "noscript", "template", "svg", "title", "meta", "link",
               "canvas", "select", "option", "button", "textarea", "input", "iframe"}
# a "chrome" element holding this share of the region's words is not chrome: it is a
# page-wide <form> (ASP.NET), a wrapper with a class like "has-sidebar", or a popup whose
# unclosed tag swallowed the page
CHROME_MAX_SHARE = 0.4


# a <form> with something to fill in or press; one with hidden inputs only wraps text
# (a thread's comments, each in the form that edits it)
_FORM_FIELD = etree.XPath("boolean(.//textarea | .//select | .//button | .//input[not(@type='hidden')])")


def _is_chrome(el) -> bool:
    tag = el.tag
    if not isinstance(tag, str) or (tag in _SKIP_TAGS and (tag != "form" or _FORM_FIELD(el))):
        return True
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return True
    if (el.get("role") or "").lower() in _SKIP_ROLES:
        return True
    style = el.get("style")
    if style and _HIDDEN_STYLE.search(style):
        return True
    names = (el.get("class") or "") + " " + (el.get("id") or "")
    if names.strip() and tag not in ("body", "html", "main", "article") and _chrome_names(names):
        return True
    return False


@lru_cache(maxsize=4096)
def _chrome_names(names: str) -> bool:
    """Class/id strings repeat a lot within a page and across a site's pages."""
    return _CHROME.search(names) is not None


_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def _non_body_sections(root, total: int, wc: dict, keep_comments: bool = False) -> set:
    """Containers headed by a "related"/"comments"/... heading: climb from the heading
    while it stays the container's first heading and the container stays small."""
    found = set()
    for h in root.iter(*_HEADINGS):
        reason = section_reason(h.text_content())
        if not reason or (keep_comments and reason == "comment-form"):
            continue
        cur = h
        for parent in h.iterancestors():
            if parent is root or parent.tag in ("body", "main", "html"):
                break
            first = next(parent.iter(*_HEADINGS), None)
            if first is not h or wc.get(parent, 0) >= CHROME_MAX_SHARE * total:
                break
            cur = parent
        found.add(cur)
    return found


def _skip(el, total: int, wc: dict, drop: set = frozenset()) -> bool:
    if el in drop:
        return True
    if not _is_chrome(el):
        return False
    if el.tag in _NEVER_TEXT or total <= 0:
        return True
    return wc.get(el, 0) < CHROME_MAX_SHARE * total


def _collect(el, blocks: list[str], buf: list[str], total: int, wc: dict, drop: set) -> None:
    """Depth-first walk appending text; a block element flushes the current line."""
    tag = el.tag if isinstance(el.tag, str) else ""
    if tag:
        is_block = tag in _BLOCKS
        if is_block:
            _flush(blocks, buf)
        if el.text:
            buf.append(el.text)
        for child in el:
            if isinstance(child.tag, str) and not _skip(child, total, wc, drop):
                _collect(child, blocks, buf, total, wc, drop)
            elif not isinstance(child.tag, str):
                pass  # comments and processing instructions carry no text
            if child.tail:
                buf.append(child.tail)
            if child.tag in _CELLS:
                buf.append(" | ")
        if is_block:
            _flush(blocks, buf)


def _flush(blocks: list[str], buf: list[str]) -> None:
    if buf:
        text = " ".join("".join(buf).split()).strip(" |")
        buf.clear()
        if text and any(c.isalnum() for c in text):
            blocks.append(text)


_ROLE_MAIN = etree.XPath("/descendant::*[@role='main']")  # as //*, faster (see html._NAMED)
_INVISIBLE = {"script", "style", "noscript", "template"}


def word_counts(tree) -> dict:
    """Visible words under every element, in one bottom-up pass (script and style bodies
    excluded); lookups replace repeated subtree walks."""
    counts: dict = {}
    for el in reversed(list(tree.iter())):
        tag = el.tag
        n = 0
        if isinstance(tag, str) and tag not in _INVISIBLE:
            if el.text:
                n += len(el.text.split())
            for child in el:
                n += counts.get(child, 0)
                if child.tail:
                    n += len(child.tail.split())
        counts[el] = n
    return counts


# Text nodes outside script and style bodies: a test of each node's parent only. Testing
# every ancestor for all four hidden tags cost twice as much.
_TEXT_OUTSIDE_CODE = etree.XPath("descendant-or-self::text()[not(parent::script or parent::style)]",
                                 smart_strings=False)


def _words(texts: list[str]) -> int:
    return len(" ".join(texts).split())


def visible_words(tree) -> int:
    """`word_counts(tree)[tree]` for when only the total is needed: the words of all text
    outside script and style bodies, less those inside the outermost <noscript> and
    <template> elements (and any script or style that holds elements, which the HTML
    parser never makes)."""
    n = _words(_TEXT_OUTSIDE_CODE(tree))
    top = None  # the last hidden subtree subtracted: the ones nested in it are counted there
    for el in tree.iter("script", "style", "noscript", "template"):
        if (el.tag in ("script", "style") and not len(el)) or (
                top is not None and any(a is top for a in el.iterancestors())):
            continue
        top = el
        n -= _words(_TEXT_OUTSIDE_CODE(el))
    return n


def main_region(tree: lxml_html.HtmlElement, wc: dict | None = None):
    """The element holding the page's own content: <main> or role=main when present
    and substantial, else <body> (else the whole document, when a stray tag made the
    parser put the content in <head>)."""
    wc = word_counts(tree) if wc is None else wc
    root = tree.find(".//body")
    total = wc.get(tree, 0)
    if total < 100:
        # script-rendered page: some frameworks put a crawler copy inside <noscript>
        copies = [(len(" ".join(el.itertext()).split()), el) for el in tree.iter("noscript")]
        if copies:
            words, copy = max(copies, key=lambda c: c[0])
            if words > 2 * total:
                return copy
    if root is None or wc.get(root, 0) < 0.5 * total:
        root = tree
    candidates = list(tree.iter("main"))
    candidates += _ROLE_MAIN(tree)
    if candidates:
        best = max(candidates, key=lambda el: wc.get(el, 0))
        # a <main> that holds a sliver of the page is a wrapper for one widget; but a <main>
        # the parser put inside a header or footer (an unclosed tag swallowed the page) is
        # measured against the words outside the other chrome (the footer came along too)
        n = wc.get(best, 0)
        if n >= max(30, 0.25 * total) or (
                n >= 30 and _in_chrome(best) and n >= 0.25 * words_outside_chrome(tree, best, wc)):
            return best
    return root


def _in_chrome(el) -> bool:
    return any(a.tag in ("header", "footer") for a in el.iterancestors())


def words_outside_chrome(tree, el, wc: dict) -> int:
    """The page's words less those in header/footer/nav/aside elements that do not wrap
    `el` (an unclosed <header> may wrap the whole page, <main> included)."""
    wraps = set(el.iterancestors())
    n = wc.get(tree, 0)
    for chrome in tree.iter(*_CHROME_TAGS):
        ups = list(chrome.iterancestors())
        if chrome in wraps or any(a is el or (a.tag in _CHROME_TAGS and a not in wraps) for a in ups):
            continue  # wraps `el`, inside it, or counted with an outer one
        n -= wc.get(chrome, 0)
    return n


def dom_blocks(tree: lxml_html.HtmlElement, root=None, keep_comments: bool = False,
               wc: dict | None = None) -> list[str]:
    """Visible text blocks of the main region, chrome skipped, in document order.
    `wc` is `word_counts(tree)` when the caller already has it."""
    wc = word_counts(tree) if wc is None else wc
    root = main_region(tree, wc) if root is None else root
    blocks: list[str] = []
    buf: list[str] = []
    total = wc.get(root, 0)
    _collect(root, blocks, buf, total, wc, _non_body_sections(root, total, wc, keep_comments))
    _flush(blocks, buf)
    return blocks


class DomReading:
    """`word_counts(tree)` and the DOM pass over the main region, each made once for every
    pass of a page that reads them (the body choice, the widget filters, the learned block
    pass): the passes between those reads leave the tree as it is, or take names only
    (`unmask_layout_wrappers`, before any DOM pass), which the counts do not read."""

    def __init__(self, tree: lxml_html.HtmlElement):
        self.tree = tree
        self._counts: dict | None = None
        self._blocks: dict[bool, list[str]] = {}

    def counts(self) -> dict:
        if self._counts is None:
            self._counts = word_counts(self.tree)
        return self._counts

    def blocks(self, keep_comments: bool = False) -> list[str]:
        """`dom_blocks(tree, keep_comments=keep_comments)`; the list is shared: not to be
        changed in place."""
        if keep_comments not in self._blocks:
            self._blocks[keep_comments] = dom_blocks(self.tree, keep_comments=keep_comments, wc=self.counts())
        return self._blocks[keep_comments]


def dom_text(tree: lxml_html.HtmlElement) -> str:
    return "\n\n".join(dom_blocks(tree))


def _key(text: str) -> str:
    return " ".join(text.split())[:60].casefold()


def region_of(tree: lxml_html.HtmlElement, lines: list[str], share: float = 0.8):
    """The deepest element holding `share` of the source blocks behind `lines` (an
    extractor's output): where that extractor found the body. None when too few match."""
    wanted = {_key(line.lstrip("-*# ")) for line in lines if len(line.split()) >= 4}
    wanted.discard("")
    if not wanted:
        return None
    hits = []
    for el in tree.iter("p", "li", "h1", "h2", "h3", "h4", "h5", "h6", "td", "dd", "blockquote", "pre",
                        "div", "span"):
        if el.text and el.text.strip() or len(el):
            key = _key(el.text_content())
            if key and key in wanted:
                hits.append(el)
    if len(hits) < 2:
        return None
    counts: dict = {}
    depth: dict = {}
    for el in hits:
        for d, anc in enumerate(reversed([el, *el.iterancestors()])):
            counts[anc] = counts.get(anc, 0) + 1
            depth[anc] = d
    need = share * len(hits)
    best = max((a for a, c in counts.items() if c >= need), key=lambda a: depth[a])
    return best


def blocks_under(tree, is_widget, wc: dict, max_share: float = CHROME_MAX_SHARE) -> set[str]:
    """Text blocks (lower-cased words only) inside the elements whose class/id string
    passes `is_widget`, when such an element holds less than `max_share` of the page's words
    (a larger one is a page wrapper, not a widget). Matches nested in a match are read
    again on their own: their blocks are finer keys (a review's text without its stars)."""
    limit = max_share * wc.get(tree, 0)
    out: set[str] = set()
    stack = [tree]
    while stack:
        el = stack.pop()
        n = wc.get(el, 0)
        if not n or el.tag in _NEVER_TEXT:
            continue
        names_ = (el.get("class") or "") + " " + (el.get("id") or "")
        if n < limit and names_.strip() and el.tag not in ("html", "body", "main") and is_widget(names_):
            _add_blocks(out, el, wc)
        stack.extend(child for child in el if isinstance(child.tag, str))
    out.discard("")
    return out


def blocks_of(elements) -> set[str]:
    """Text blocks (lower-cased words only) of these elements, each element also as one
    line; chrome inside them is skipped as in the DOM pass."""
    out: set[str] = set()
    for el in elements:
        _add_blocks(out, el, {})
    out.discard("")
    return out


def _add_blocks(out: set[str], el, wc: dict) -> None:
    """Add the text blocks of one widget to `out` (lower-cased words only), and the whole
    widget as one line (trafilatura may keep it as a single list item)."""
    blocks: list[str] = []
    buf: list[str] = []
    _collect(el, blocks, buf, 0, wc, frozenset())
    _flush(blocks, buf)
    out.update(squash(b) for b in blocks)
    out.add(squash(" ".join(blocks)))


_WORD = re.compile(r"\w+")


_CAMEL = re.compile(r"([a-z])([A-Z])")


def split_camel(names: str) -> str:
    """Class and id names written in camelCase hold words too: "userInfo" -> "user Info"."""
    return _CAMEL.sub(r"\1 \2", names)


def squash(text: str) -> str:
    """Lower-cased words only: a key that survives spacing and punctuation changes."""
    return " ".join(_WORD.findall(text.casefold()))


# A disclosure widget (accordion, FAQ, "read more"): a control carrying aria-expanded names
# the panel it opens in aria-controls. A collapsed panel is marked hidden (aria-hidden,
# `hidden`) until clicked, yet it is the page's text (the FAQ's answers), unlike a
# decorative duplicate that is hidden for good. Menus open the same way: panels inside
# navigation and page chrome stay hidden.
# (the aria-controls attributes, then a test on their few owners: cheaper than testing
# every element for both; the values go into a set, so their order does not matter)
_DISCLOSURE_CONTROLS = etree.XPath("/descendant::*/@aria-controls[../@aria-expanded]", smart_strings=False)
_HIDDEN_WITH_ID = etree.XPath("/descendant::*[@id and (@aria-hidden='true' or @hidden)]")


def reveal_collapsed_panels(tree) -> int:
    """Unhide the collapsed panels of disclosure widgets outside the page chrome, in place
    (trafilatura and the DOM pass both drop hidden elements); returns how many."""
    controlled = {i for value in _DISCLOSURE_CONTROLS(tree) for i in value.split()}
    if not controlled:
        return 0
    n = 0
    for el in _HIDDEN_WITH_ID(tree):
        if el.get("id") not in controlled or el.tag in _CHROME_TAGS:
            continue
        if any(a.tag in _CHROME_TAGS or (a.get("role") or "").lower() in _SKIP_ROLES for a in el.iterancestors()):
            continue
        el.attrib.pop("aria-hidden", None)
        el.attrib.pop("hidden", None)
        n += 1
    return n


# React's streaming server rendering sends the parts of a page that were not ready in time
# at the end of the document, each as a hidden <div id="S:n">, which a script then moves
# into its placeholder: <template id="B:n"> (a <Suspense> boundary) or <template id="P:n">
# (a segment; parts nest: a part may hold another's placeholder). The browser shows them
# in place; left at the end, trafilatura reads them as trailing text or not at all.
_STREAMED = etree.XPath("/descendant::div[@hidden and starts-with(@id, 'S:')]")
_PLACEHOLDERS = etree.XPath("/descendant::template[starts-with(@id, 'B:') or starts-with(@id, 'P:')]")


def place_streamed_parts(tree) -> int:
    """Move each streamed part, unhidden, to its placeholder, in place; returns how many."""
    parts = _STREAMED(tree)
    if not parts:
        return 0
    holders = {t.get("id")[2:]: t for t in _PLACEHOLDERS(tree)}
    n = 0
    for part in parts:
        holder = holders.get(part.get("id")[2:])
        if holder is None or any(a is part for a in holder.iterancestors()):
            continue
        del part.attrib["hidden"]
        part.drop_tree()  # the text after it stays where it was...
        part.tail = None  # ...and does not travel with it
        holder.addprevious(part)
        n += 1
    return n


# A tooltip (a glossary term's definition, a help bubble) sits inside the sentence it
# explains and shows on hover: read inline, it splices its definition into the prose.
_TOOLTIP_CANDIDATES = etree.XPath(
    "/descendant::*[@role='tooltip' or contains(@class, 'ooltip') or contains(@id, 'ooltip')]")
_TOOLTIP = re.compile(r"(?:^|[\s_-])tooltips?(?:$|[\s_-])", re.I)
TOOLTIP_MAX_WORDS = 60  # a larger element so named wraps more than a bubble


_ROLE_VALUES = etree.XPath("/descendant::*/@role", smart_strings=False)
_CLASS_VALUES = etree.XPath("/descendant::*/@class", smart_strings=False)
_ID_VALUES = etree.XPath("/descendant::*/@id", smart_strings=False)


def class_and_id_values(tree) -> set[str]:
    """Every class and id value of the page ("/descendant::*" rather than "//*": libxml2
    answers ~40% faster without visiting the text nodes; a set needs no union)."""
    values = set(_CLASS_VALUES(tree))
    values.update(_ID_VALUES(tree))
    return values


def drop_tooltips(tree, names: set[str] | None = None) -> int:
    """Remove tooltip bubbles (role=tooltip, or a class/id word "tooltip") of up to
    `TOOLTIP_MAX_WORDS` words, in place, their tail text kept; returns how many.
    `names` are the page's class and id values when the caller has them: most pages have
    no "ooltip" in them and no role=tooltip, told without testing each element (the
    candidate XPath's three tests an element cost ~0.9 ms a page)."""
    if names is not None and "tooltip" not in _ROLE_VALUES(tree) and not any("ooltip" in v for v in names):
        return 0
    n = 0
    for el in _TOOLTIP_CANDIDATES(tree):
        names = split_camel((el.get("class") or "") + " " + (el.get("id") or ""))  # "termTooltip"
        if el.tag in ("html", "body") or not ((el.get("role") or "").lower() == "tooltip" or _TOOLTIP.search(names)):
            continue
        if el.getparent() is None or len(el.text_content().split()) > TOOLTIP_MAX_WORDS:
            continue
        el.drop_tree()  # the text after it stays
        n += 1
    return n
