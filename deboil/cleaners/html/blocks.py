"""Every visible text block of a page, with the features a block classifier reads.

The walk keeps what a reader sees (no script, style, form controls), one block per
block-level element run, in document order: headings, list items, table cells and code
blocks each a block of their own. For each block: its size, link density
and punctuation, the tags and class/id words of its ancestors (split into words: "postBody"
is "post body"), repetition among its siblings (cards), its position, the heading above
it, and how much of it each reading given (the rules', the DOM pass's) holds. No
site name and no page text beyond these counts. `_feature_names` gives the model's input order.
"""
from __future__ import annotations

import math
import re
from dataclasses import dataclass, field

from deboil.cleaners.html.fallback import split_camel
from deboil.cleaners.html.sections import section_reason

_NEVER = {"script", "style", "noscript", "template", "svg", "head", "title", "meta", "link", "select",
          "option", "button", "textarea", "input", "iframe", "canvas", "object", "map"}
_BLOCK_TAGS = {"p", "div", "section", "article", "main", "li", "ul", "ol", "dl", "dt", "dd", "h1", "h2",
               "h3", "h4", "h5", "h6", "blockquote", "pre", "table", "thead", "tbody", "tfoot", "tr",
               "figure", "figcaption", "address", "details", "summary", "hr", "br", "fieldset", "legend",
               "caption", "center", "header", "footer", "nav", "aside", "form", "body", "td", "th"}
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
OWN_TAGS = ("p", "li", "h1", "h2", "h3", "h4", "td", "th", "div", "pre", "dd", "dt", "blockquote",
            "figcaption", "span", "a", "section", "article")
UP_TAGS = ("nav", "header", "footer", "aside", "form", "li", "table", "a", "article", "main", "section",
           "h1", "h2", "h3", "blockquote", "pre", "figure", "details", "label", "strong")
_WORDS_SPLIT = re.compile(r"[^a-z0-9]+")
NAME_GROUPS = {
    "chrome": {"nav", "navbar", "navigation", "menu", "megamenu", "breadcrumb", "breadcrumbs", "header",
               "masthead", "footer", "sidebar", "widget", "banner", "toolbar", "topbar", "offcanvas",
               "drawer", "skip", "utility"},
    "social": {"share", "sharing", "social", "follow", "newsletter", "subscribe", "subscription", "signup",
               "login", "modal", "popup", "cookie", "cookies", "consent", "gdpr", "promo", "ad", "ads",
               "advert", "advertisement", "sponsored", "cta"},
    "related": {"related", "recommended", "recommendations", "popular", "trending", "more", "latest",
                "recent", "similar", "suggested", "also"},
    "comment": {"comment", "comments", "reply", "replies", "respond", "disqus", "discussion", "reaction"},
    "content": {"content", "article", "post", "entry", "body", "main", "text", "story", "prose", "markdown",
                "rte", "richtext", "wysiwyg", "description", "detail", "details", "page", "single", "blog",
                "doc", "docs", "documentation"},
    "meta": {"author", "byline", "date", "meta", "tag", "tags", "category", "categories", "time",
             "published", "posted", "info"},
    "card": {"card", "item", "items", "tile", "grid", "list", "listing", "teaser", "product", "products",
             "result", "results", "feed", "thumb", "thumbnail", "price"},
    "review": {"review", "reviews", "rating", "ratings", "stars", "testimonial"},
    "hidden": {"hidden", "hide", "sr", "visually", "screen", "invisible", "collapse", "collapsed", "none"},
    "forum": {"message", "messages", "thread", "topic", "postbody", "postcontent", "answer", "question",
              "signature", "avatar", "user", "username", "member"},
}
_HIDDEN_STYLE = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
_DIGIT = re.compile(r"\d")
_PUNCT = re.compile(r"[,.;:]")
_SENT_END = re.compile(r"[.!?…]['\"”’)]*$")


@dataclass
class Block:
    text: str
    owner: object  # the innermost block-level element the block's first text sits in
    words: int = 0
    link_words: int = 0
    index: int = 0
    words_before: int = 0
    heading_reason: bool = False
    features: list = field(default_factory=list)


def _names_of(el) -> set[str]:
    raw = (el.get("class") or "") + " " + (el.get("id") or "")
    if not raw.strip():
        return set()
    return {w for w in _WORDS_SPLIT.split(split_camel(raw).lower()) if w}


def _visible(el) -> bool:
    if el.get("hidden") is not None or el.get("aria-hidden") == "true":
        return False
    style = el.get("style")
    return not (style and _HIDDEN_STYLE.search(style))


def walk_blocks(tree) -> list[Block]:
    body = tree.find(".//body")
    root = body if body is not None else tree
    blocks: list[Block] = []
    buf: list[tuple[str, bool, object]] = []

    def flush():
        if not buf:
            return
        text = " ".join("".join(t for t, _, _ in buf).split()).strip(" |")
        if text and any(c.isalnum() for c in text):
            b = Block(text=text, owner=buf[0][2])
            b.words = len(text.split())
            b.link_words = sum(len(t.split()) for t, in_link, _ in buf if in_link)
            blocks.append(b)
        buf.clear()

    def visit(el, owner, in_link, hidden):
        tag = el.tag
        is_block = tag in _BLOCK_TAGS
        if is_block:
            flush()
            owner = el
        in_link = in_link or tag == "a"
        if el.text and not hidden:
            buf.append((el.text, in_link, owner))
        for child in el:
            ctag = child.tag
            if isinstance(ctag, str) and ctag not in _NEVER:
                visit(child, owner, in_link, hidden or not _visible(child))
            if child.tail and not hidden:
                buf.append((child.tail, in_link, owner))
            if ctag in ("td", "th"):
                buf.append((" | ", False, owner))
        if is_block:
            flush()

    visit(root, root, False, False)
    return blocks


def _shingles(text: str, n: int = 3) -> set:
    toks = re.findall(r"\w+", text.lower())
    if len(toks) < n:
        return {tuple(toks)} if toks else set()
    return {tuple(toks[i:i + n]) for i in range(len(toks) - n + 1)}


def reading_index(text: str) -> tuple[set, set]:
    """A reading's 3-word shingles and word set, for `held`."""
    toks = re.findall(r"\w+", (text or "").lower())
    sh = {tuple(toks[i:i + 3]) for i in range(len(toks) - 2)}
    return sh, set(toks)


def held(block_sh: set, block_toks: list, index: tuple[set, set]) -> float:
    """Share of the block that the reading holds (3-word shingles; words for tiny blocks)."""
    sh, toks = index
    if len(block_toks) >= 3:
        return sum(s in sh for s in block_sh) / max(1, len(block_sh))
    return sum(t in toks for t in block_toks) / max(1, len(block_toks))


def _feature_names(readings: tuple[str, ...], types: tuple[str, ...]) -> list[str]:
    names = ["log_words", "link_share", "punct_per_word", "sent_end", "digit_share", "upper_start",
             "depth", "pos_block", "pos_words", "sib_same", "sib_same_parent", "heading_reason",
             "is_heading", "hidden_up", "log_page_words", "n_blocks_log", "owner_words_log"]
    names += [f"own_{t}" for t in OWN_TAGS] + [f"up_{t}" for t in UP_TAGS]
    names += [f"near_{g}" for g in NAME_GROUPS] + [f"any_{g}" for g in NAME_GROUPS]
    names += [f"in_{r}" for r in readings] + [f"prev_in_{r}" for r in readings] + [f"next_in_{r}" for r in readings]
    names += ["prev_link_share", "next_link_share"] + [f"type_{t}" for t in types]
    names += [f"read_share_{r}" for r in readings]
    return names


def block_features(tree, readings: dict[str, str], page_type: str, types: tuple[str, ...]) -> list[Block]:
    """The page's blocks, each with `features` in `_feature_names(tuple(readings), types)` order."""
    blocks = walk_blocks(tree)
    if not blocks:
        return blocks
    total = sum(b.words for b in blocks)
    names_cache: dict = {}
    up_cache: dict = {}
    indexes = {r: reading_index(t) for r, t in readings.items()}
    read_len = {r: len(re.findall(r"\w+", t or "")) for r, t in readings.items()}
    heading_flag = False
    before = 0
    held_rows = []
    for i, b in enumerate(blocks):
        b.index, b.words_before = i, before
        before += b.words
        if b.owner.tag in _HEADINGS:
            heading_flag = section_reason(b.text) is not None
        b.heading_reason = heading_flag
        toks = re.findall(r"\w+", b.text.lower())
        sh = _shingles(b.text)
        held_rows.append([held(sh, toks, indexes[r]) for r in readings])
    sib_cache: dict = {}

    def groups(el) -> frozenset:
        if el not in names_cache:
            ws = _names_of(el)
            names_cache[el] = frozenset(g for g, group in NAME_GROUPS.items() if ws & group) if ws else frozenset()
        return names_cache[el]

    def info(el):
        """(tags, groups of any ancestor, depth, hidden) of el and its ancestors, memoised
        down the tree: each element is looked at once per page."""
        got = up_cache.get(el)
        if got is None:
            parent = el.getparent()
            ptags, pgroups, pdepth, phidden = info(parent) if parent is not None else (frozenset(), frozenset(), 0, False)
            got = (ptags | {el.tag}, pgroups | groups(el), pdepth + 1, phidden or not _visible(el))
            up_cache[el] = got
        return got

    def same_siblings(el) -> int:
        parent = el.getparent()
        if parent is None:
            return 0
        if parent not in sib_cache:
            counts: dict = {}
            for c in parent:
                k = (c.tag, c.get("class"))
                counts[k] = counts.get(k, 0) + 1
            sib_cache[parent] = counts
        return sib_cache[parent].get((el.tag, el.get("class")), 0)

    owner_cache: dict = {}
    for i, b in enumerate(blocks):
        owner = b.owner
        if owner not in owner_cache:
            tags, anyg, depth, hidden = info(owner)
            near = set()
            el = owner
            for _ in range(4):
                if el is None:
                    break
                near |= groups(el)
                el = el.getparent()
            parent = owner.getparent()
            owner_cache[owner] = (tags, near, anyg, depth, hidden, same_siblings(owner),
                                  same_siblings(parent) if parent is not None else 0)
        tags, near, anyg, depth, hidden, same, same_p = owner_cache[owner]
        t = b.text
        n = max(1, b.words)
        f = [math.log1p(b.words), b.link_words / n, len(_PUNCT.findall(t)) / n,
             float(bool(_SENT_END.search(t))), len(_DIGIT.findall(t)) / max(1, len(t)),
             float(t[:1].isupper()), depth, i / len(blocks), b.words_before / max(1, total),
             math.log1p(same), math.log1p(same_p), float(b.heading_reason), float(owner.tag in _HEADINGS),
             float(hidden), math.log1p(total), math.log1p(len(blocks)), 0.0]
        f += [float(owner.tag == o) for o in OWN_TAGS] + [float(u in tags) for u in UP_TAGS]
        f += [float(g in near) for g in NAME_GROUPS] + [float(g in anyg) for g in NAME_GROUPS]
        f += held_rows[i]
        f += held_rows[i - 1] if i else [0.0] * len(readings)
        f += held_rows[i + 1] if i + 1 < len(blocks) else [0.0] * len(readings)
        prev_b = blocks[i - 1] if i else None
        next_b = blocks[i + 1] if i + 1 < len(blocks) else None
        f += [prev_b.link_words / max(1, prev_b.words) if prev_b else 0.0,
              next_b.link_words / max(1, next_b.words) if next_b else 0.0]
        f += [float(page_type == ty) for ty in types]
        f += [read_len[r] / max(1, total) for r in readings]
        b.features = f
    return blocks
