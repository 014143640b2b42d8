"""HTML to body text and metadata: trafilatura, steered by what the page looks like.

One lxml parse per page and one trafilatura run (a second on product pages, and when
recall mode kept a sliver of a big page). From cheap cues (JSON-LD, og:type, URL words,
DOM counts) we guess the page type, then:
- articles (precision mode for news, recall mode otherwise), documentation, products:
  trafilatura, built for prose (products read in balanced and recall mode, the longer
  reading kept once its widget lines are out, the product's name in front);
- listings, collections, services: our DOM extractor (`html_fallback`) over the main
  region, keeping the short, link-dense blocks (item names, prices, feature lists)
  trafilatura throws away, unless it finds far more than trafilatura (then it is chrome);
- forums: the DOM pass when trafilatura kept only the opening post;
- any type: a rescue when trafilatura kept a sliver of a large page.
The choice compares word counts of trafilatura's output and the DOM pass.
Every kept line then passes the shared boilerplate filter (share rows, cookie notices,
"related" headings) and a call-to-action filter (articles and products also lose their
author, call-to-action and dialog boxes, products their review, disclaimer and popover
widgets, forums their poster cards); on pages gathered from many boxes (forums, listings,
collections, products) a long paragraph met again is a copy and goes. What is removed is
recorded on the page with a reason.
"""
from __future__ import annotations

import bisect
import itertools
import re
from typing import Callable

import trafilatura
from trafilatura.metadata import META_URL, examine_meta, extract_meta_json, extract_sitename, extract_title
from trafilatura.settings import set_date_params
from trafilatura import utils as trafilatura_utils
from lxml import etree

from deboil.cleaners.encoding.characters import trim_invisible
from deboil.cleaners.lexicon.boilerplate import boilerplate_reasons
from deboil.cleaners.lexicon.scripts import ends_sentence, spaced_words
from deboil.cleaners.lexicon.stopwords import page_stopwords
from deboil.cleaners.phrases_in_prose import PHRASE_REASONS, line_prose, spare_phrases_in_prose
from deboil.cleaners.html.byline import byline
from deboil.cleaners.html.fallback import (DomReading, blocks_of, blocks_under, class_and_id_values, dom_blocks,
                            drop_tooltips, main_region, place_streamed_parts, region_of,
                            reveal_collapsed_panels, split_camel, squash, visible_words)
from deboil.cleaners.html.meta import (canonical_url, declared_author, headline, modified_date, published_date,
                        site_name, stated_offsets)
from deboil.cleaners.html.fragment import load_page
from deboil.cleaners.html.date_recheck import find_dates
from deboil.cleaners.html.layout_tables import ROWS_MIN_SHARE, row_share, unwrap_layout_tables
from deboil.cleaners.html.layout_wrappers import unmask_layout_wrappers
from deboil.cleaners.html.left_out import left_out
from deboil.cleaners.html.learned import refine_page
from deboil.cleaners.html.trafilatura_xpaths import page_names
from deboil.models import CleanPage, Removed
from deboil.stored_dates import read_iso, stored
from deboil.cleaners.html.pagetype import cue_url, detect_page_type
from deboil.models import Context
from deboil.cleaners.html.sections import cta_reason, drop_link_lines, link_texts, ui_reason
from deboil.cleaners.html.structured import read_signals
from deboil.cleaners.html.rules import enabled

# Thresholds on the ratio of words the DOM extractor finds in the main region to words
# trafilatura kept (tuned on WCXB fold A, checked on fold B and article-extraction).
MIN_WORDS = 40  # below this trafilatura found (next to) nothing: take the DOM ...
RESCUE_MIN_GAIN = 100  # ... when it holds clearly more (a small page is just small)
RESCUE_SHORT_WORDS = 200  # a short article ...
RESCUE_SHORT_RATIO = 4  # ... on a page with this many times more text: re-read its region
RESCUE_RATIO = 10  # trafilatura kept a sliver of a big page, whatever the type
FORUM_RATIO = 3.5  # trafilatura kept the first post(s) only
LIST_RATIO = 4  # listing/collection/service: the DOM keeps the items unless it is huge
LIST_SHORT_WORDS = 100


_NEWS_TYPES = {"NewsArticle", "ReportageNewsArticle", "OpinionNewsArticle", "AnalysisNewsArticle"}
_DATE_PATH = re.compile(r"/(?:19|20)\d\d/\d{1,2}/")


# class/id words of widgets on commerce pages whose text is not the product's: customer
# reviews and ratings (the visitors' words), cookie dialogs, promoted items, the legal
# small print of footnoted claims ("disclaimer": on a product page it is the maker's terms,
# not the product; the article filter keeps it, as articles quote theirs), and the hidden
# layers a shop writes into the page for later (popovers, overlays, tooltips, dialogs:
# shipping and seller explanations, "why this ad", report forms)
_PRODUCT_WIDGETS = re.compile(
    r"(?:^|[\s_-])(reviews?|ratings?|cookies?|consent|gdpr|sponsored|promoted|ads?|recs|recommendations?|"
    r"disclaimers?|popovers?|overlays?|tooltips?|dialogs?)(?:$|[\s_-])", re.I)


PREFIX_CHARS = 50  # a line's first 50 characters (about 8 words) name the block it came from


# class/id words of the furniture around forum posts: the poster's card (title, badges,
# post counts, join date), a post's tagline (poster, points, age) and its row of action
# buttons (permalink, reply, report), signatures, lists of similar threads, the thread's
# status notice ("locked", "not open for further replies")
_FORUM_WIDGETS = re.compile(
    r"(?:^|[\s_-])(?:(?:user|author|poster|member)[\s_-]?(?:info|details|extras|title|banner|stats|"
    r"block|card|meta|profile)|postprofile|signature|avatar|badges?|similar|suggested|tagline|"
    r"buttons|status)(?:$|[\s_-])", re.I)

# class/id words of the boxes trafilatura keeps around an article's text that are not
# about its topic: the writer's box (name, role, biography), calls to action and sign-up
# forms with their hidden sent/failed messages (not disclaimers: some benchmarks count
# them as the text, and one service page keeps its offer terms in them)
_ARTICLE_WIDGETS = re.compile(
    r"(?:^|[\s_-])(?:(?:author|writer|contributor)s?[\s_-]?(?:bio|biography|box|info|details?|card|profile|"
    r"about|desc|description)|about[\s_-]?(?:the[\s_-]?)?author|bio[\s_-]?box|"
    r"cta|newsletter|signup|subscribe|subscription|modal|popup|form[\s_-]?(?:done|fail))"
    r"(?:$|[\s_-])", re.I)
# The same pattern without re.I, for lower-cased ASCII text: on ASCII, ignoring case is
# exactly lower-casing (re.I's extra Unicode foldings, like the long s, need non-ASCII
# text), and case-sensitive matching scans a third faster.
_ARTICLE_WIDGETS_LOWER = re.compile(_ARTICLE_WIDGETS.pattern)
# "/descendant::*" selects what "//*" does ("//" is /descendant-or-self::node()/child::),
# without visiting every text node on the way: libxml2 answers ~40% faster.
_NAMED = etree.XPath("/descendant::*[@class or @id]")
ARTICLE_WIDGET_MAX_SHARE = 0.5  # a larger element so named wraps the article itself ...
ARTICLE_WIDGETS_MAX_SHARE = 0.3  # ... and so many widget lines are the page's cards


def article_widgets(tree, body_words: int, names: set[str] | None = None) -> list:
    """Elements whose class or id is named like an article widget, each smaller than
    `ARTICLE_WIDGET_MAX_SHARE` of the body trafilatura kept, in document order. `names`:
    the page's class and id values, if already read (names no longer in the tree are
    harmless: they select no element)."""
    named = article_widget_names(class_and_id_values(tree) if names is None else names)
    if not named:
        return []
    return [el for el in _NAMED(tree)
            if (el.get("class") in named or el.get("id") in named)
            and el.tag not in ("html", "body", "main", "article")
            and len(el.text_content().split()) < ARTICLE_WIDGET_MAX_SHARE * body_words]


# Between names: a boundary for the pattern's word edges that none of its optional
# separators ([\s_-]?) can step over, so no match spans two names.
_GAP = " \x00 "


# Every match of _ARTICLE_WIDGETS holds one of these letter runs (the "about the author"
# one holds "author", "form done/fail" holds "done" or "fail"), unbroken by the camelCase
# split (which only adds spaces): a name without any is never a widget name.
_ARTICLE_WIDGET_KEYS = ("author", "writer", "contributor", "bio", "cta", "newsletter", "signup", "subscri",
                        "modal", "popup", "done", "fail")


def article_widget_names(values: set[str]) -> set[str]:
    """The class/id values named like an article widget. On ASCII names only those holding
    a key run are scanned (~6 % of a page's names; a substring search per key rather than
    the scan over all of them)."""
    if not values:
        return set()
    values = [v for v in values if "\x00" not in v]
    text = _GAP.join(values)
    if not text.isascii():
        return _widget_names_scan(values)
    low = text.lower()
    hits = []
    for key in _ARTICLE_WIDGET_KEYS:
        at = low.find(key)
        while at >= 0:
            hits.append(at)
            at = low.find(key, at + 1)
    if not hits:
        return set()
    ends = list(itertools.accumulate(len(v) + len(_GAP) for v in values))
    return _widget_names_scan({values[bisect.bisect_right(ends, at)] for at in hits})


def _widget_names_scan(values) -> set[str]:
    """`article_widget_names` by scanning every name: all at once (one camelCase split, one
    scan) rather than one regex call per name. `values` hold no NUL (the gap's marker)."""
    values = list(values)
    text = split_camel(_GAP.join(values))
    # a match may start on the gap before its name; its last character is always its own
    scan = _ARTICLE_WIDGETS_LOWER.finditer(text.lower()) if text.isascii() else _ARTICLE_WIDGETS.finditer(text)
    lasts = [m.end() - 1 for m in scan]
    if not lasts:
        return set()
    ends = list(itertools.accumulate(len(p) + len(_GAP) for p in text.split(_GAP)))
    return {values[bisect.bisect_right(ends, last)] for last in lasts}


_widget_named = article_widget_names  # the private name, still importable


# testimonials are quotes the seller picked and publishes as its own copy (a course's
# "what learners say"), not the visitors' review widget, even when also named "review"
_TESTIMONIAL = re.compile(r"testimonial", re.I)


def widget_names(names: str) -> bool:
    """Class/id words of a product page widget; camelCase names are split into words."""
    return _PRODUCT_WIDGETS.search(split_camel(names)) is not None and not _TESTIMONIAL.search(names)


def forum_widget_names(names: str) -> bool:
    return _FORUM_WIDGETS.search(split_camel(names)) is not None


def drop_widget_lines(page: CleanPage, lines: list[str], widget: set[str],
                      keys: list[str] | None = None) -> list[str]:
    """trafilatura keeps these widgets on commerce pages: drop its lines that are a
    block of one, or start like one (trafilatura leaves out a badge or a link inside).
    `keys`: the lines' `squash` keys, when the caller has them."""
    heads = {key[:PREFIX_CHARS] for key in widget if len(key) >= PREFIX_CHARS}
    kept = []
    for line, key in zip(lines, map(squash, lines) if keys is None else keys):
        if key in widget or (len(key) >= PREFIX_CHARS and key[:PREFIX_CHARS] in heads):
            page.drop(line, "widget")
        else:
            kept.append(line)
    return kept


def _lines(text: str | None) -> list[str]:
    return [" ".join(line.split()) for line in map(trim_invisible, (text or "").split("\n")) if line.strip()]


def _trafilatura(tree, url: str | None, recall: bool = False, precision: bool = False,
                 names: set[str] | None = None):
    # `names`: the page's class and id values, read before (see trafilatura_xpaths.page_names).
    # Metadata is read separately (see fill_metadata): most pages declare it, and
    # trafilatura's own pass costs about a third of its extraction time.
    # Precision mode skips trafilatura's comparison with readability/justext ("fast"): that
    # comparison only ever swaps in a *longer* text, which precision mode exists to avoid;
    # on the 132 benchmark news pages it changed nothing and cost a third of the extraction.
    with page_names(names):
        return trafilatura.bare_extraction(
            tree, url=url, include_comments=False, with_metadata=False, include_formatting=False,
            include_tables=True, favor_recall=recall, favor_precision=precision, fast=precision,
        )


_DATE_PARAMS = set_date_params(True)
# htmldate's extensive search ends by reading a year alone (a copyright line, a bare "2024")
# as 1 January of it: a 1 January it alone finds is that guess, not a publication date.
_STATED_DATE_PARAMS = set_date_params(False)
# Page types that carry a publication date and a byline. On the others (products, listings,
# services, documentation) a date found by searching the page is a copyright year or a price
# update, and a "byline" a reviewer or an item's author: only declared ones (JSON-LD, <meta>)
# are taken.
DATED_TYPES = {"article", "forum"}


def _declared_author(tree) -> str | None:
    """trafilatura's reading of <meta> and JSON-LD authors (more name keys than ours)."""
    meta = examine_meta(tree)
    if meta.author and " " not in meta.author:
        meta.author = None  # a lone word in <meta> is a handle more often than a name
    return extract_meta_json(tree, meta).author


def fill_metadata(page: CleanPage, tree, url: str | None) -> None:
    """trafilatura's metadata heuristics, only for the fields structured data left empty
    (its whole pass also reads categories, tags and licences we do not store: ~14 ms)."""
    try:
        page.title = page.title or extract_title(tree)
        if not page.published and page.page_type in DATED_TYPES:
            found, stated = find_dates(tree, url, _DATE_PARAMS, _STATED_DATE_PARAMS)
            if found and found[4:10] == "-01-01" and stated() != found:
                found = None
            page.published, page.published_local = stored(read_iso(found))
        if not page.site_name and (name := (extract_sitename(tree) or "").lstrip("@")):
            page.site_name = name if "." in name or name[0].isupper() else name.title()
        if not page.site_name and url and (m := META_URL.match(url)):
            page.site_name = m[1]
        if not page.author:
            page.author = _declared_author(tree) or (
                # a byline search elsewhere finds reviewers, item authors and team blurbs
                byline(tree) if page.page_type in DATED_TYPES else None)
    except Exception:  # heuristics over arbitrary markup: a gap is better than a failure
        pass


def _count(lines: list[str]) -> int:
    # (word units in unspaced scripts: by spaces a Japanese body is smaller than its chrome)
    return sum(map(spaced_words, lines))


def body_blocks(tree, page_type: str, traf_lines: list[str],
                retry: Callable[[], list[str]] | None = None, reading: DomReading | None = None,
                total: int | None = None, nt: int | None = None) -> tuple[list[str], str]:
    """Choose the body blocks for this page type; returns (blocks, method).

    `retry` runs trafilatura again in its balanced mode: recall mode sometimes keeps
    *less*, so when the first result looks cut short we try once more before re-reading
    the DOM.

    The DOM pass is a single walk, but it is skipped where no rule could pick it: the
    words in the main region bound what it can find (`total`: the page's visible words,
    when the caller has them). `reading`: the page's word counts and DOM pass, made once
    for the passes after this one too. `nt`: the words of `traf_lines`, when counted.
    """
    nt = _count(traf_lines) if nt is None else nt
    if page_type == "product" and nt >= MIN_WORDS:
        return traf_lines, "trafilatura"
    if page_type in ("article", "documentation") and nt >= MIN_WORDS:
        # the usual case, decided without the per-element counts: the whole page's
        # visible words bound its main region's (a noscript copy counts only below 100)
        total = visible_words(tree) if total is None else total
        if 100 <= total < RESCUE_SHORT_RATIO * nt:
            return traf_lines, "trafilatura"
    reading = DomReading(tree) if reading is None else reading
    wc = reading.counts()
    if page_type in ("article", "documentation"):
        bound = wc.get(main_region(tree, wc), 0)
        if nt >= MIN_WORDS and bound < RESCUE_SHORT_RATIO * nt:
            return traf_lines, "trafilatura"
    dom = reading.blocks(keep_comments=page_type == "forum")  # replies are a forum's body
    nd = _count(dom)
    ratio = nd / max(1, nt)

    def region() -> list[str]:
        reg = region_of(tree, traf_lines)
        return dom_blocks(tree, reg, wc=wc) if reg is not None else dom

    if nt < MIN_WORDS and nd >= max(3 * nt, nt + RESCUE_MIN_GAIN):
        return dom, "dom-rescue"
    if page_type in ("article", "documentation"):
        if ratio >= RESCUE_SHORT_RATIO and nt < RESCUE_SHORT_WORDS:
            second = retry() if retry else []
            if _count(second) >= 2 * max(nt, 1):
                return second, "trafilatura-balanced"
            return region(), "region-rescue"  # a news brief, or a list trafilatura cut short
        if ratio >= RESCUE_RATIO:
            return dom, "dom-rescue"
        return traf_lines, "trafilatura"
    if page_type == "forum":
        return (dom, "dom") if nd >= FORUM_RATIO * max(1, nt) else (traf_lines, "trafilatura")
    if page_type == "product":
        # re-reading the region was tried (ratio <= 2..3): it gains specs on some shops and
        # loses as much to reviews and recommendations on others; trafilatura is steadier
        return traf_lines, "trafilatura"
    # listing, collection, service: the items are the content
    if 0 < ratio <= LIST_RATIO or nt < LIST_SHORT_WORDS:
        return dom, "dom"
    return traf_lines, "trafilatura"


_LINE_RULES = (("cta-lines", cta_reason), ("ui-lines", ui_reason))


def _line_reason(block: str, known: str | None) -> str | None:
    """The first rule that drops this line (`known`: the boilerplate list's reason)."""
    if known and enabled("boilerplate-lines"):
        return known
    for rule, reason_of in _LINE_RULES:
        reason = reason_of(block)
        if reason and enabled(rule):
            return reason
    return None


# In the body trafilatura keeps, newsletter sign-ups and cookie or privacy-policy notices are
# the site's message to every reader written as sentences, inside the run of prose (an
# italic "Sign up for our newsletter ..." between paragraphs): they stay named even there
# (on wcxb-dev and article-extraction 6 of the 7 pages where they were spared lost F1).
HTML_SPARED_REASONS = PHRASE_REASONS - {"newsletter", "cookie"}


def spare_sentences_in_prose(blocks: list[str], reasons: list[str | None]) -> None:
    """A line a phrase rule names that reads as a sentence of the body's prose, beside or
    between lines kept, stays: its reason is cleared (`phrases_in_prose`, as in captures)."""
    # only a line ending a sentence can be spared (prose ends one too)
    near = {j for k, r in enumerate(reasons) if r in HTML_SPARED_REASONS and ends_sentence(blocks[k])
            for j in (k - 1, k, k + 1)}
    if not near:  # most pages: no such line, no stop words needed
        return
    stop = page_stopwords(blocks)
    prose, units = [False] * len(blocks), [0.0] * len(blocks)
    for j in near.intersection(range(len(blocks))):  # only the lines the rule looks at
        prose[j], units[j] = line_prose(blocks[j], stop)
    spared = list(reasons)
    if spare_phrases_in_prose(blocks, spared, [True] * len(blocks), prose, units, between_prose=True,
                              spared_reasons=HTML_SPARED_REASONS) and enabled("phrases-in-prose"):
        reasons[:] = spared


def title_suffix(html_title: str | None, title: str | None) -> str | None:
    """What the page's <title> adds after the headline: "Headline | Example Media" ->
    "Example Media" (the site's name)."""
    if not html_title or not title or not html_title.startswith(title):
        return None
    return html_title[len(title):].strip(" |-–—:·•»") or None


def filter_blocks(page: CleanPage, blocks: list[str], title: str | None,
                  links: set[str] | None = None, news: bool = False, site: str | None = None) -> list[str]:
    """Drop known boilerplate and call-to-action lines and a leading repeat of the title
    (a field, not body), and before it the site's name `site` (a logo's text: a table
    layout's first cell). With `links` (prose pages only) also drop paragraphs that are
    only a link."""
    kept: list[str] = []
    norm_title = " ".join((title or "").split()).casefold()
    # the page's lines at once
    reasons = [_line_reason(block, known) for block, known in zip(blocks, boilerplate_reasons(blocks))]
    spare_sentences_in_prose(blocks, reasons)
    if (site and len(blocks) > 1 and reasons[0] is None and norm_title and blocks[0].casefold() == site.casefold()
            and blocks[1].casefold() == norm_title and enabled("title-line")):
        reasons[0] = "header"
    for block, reason in zip(blocks, reasons):
        if reason is None and not kept and norm_title and block.casefold() == norm_title and enabled("title-line"):
            reason = "title"
        if reason:
            page.drop(block, reason)
        else:
            kept.append(block)
    if links is not None:
        rest, dropped = drop_link_lines(kept, links, keep_list_items=not news)
        if dropped and enabled("link-lines"):
            kept = rest
            for line, reason in dropped:
                page.drop(line, reason)
    return kept


def keep_filtered_lines(page: CleanPage, blocks: list[str], since: int) -> list[str]:
    """The body lines the filters dropped (the records from `since` on), taken back: when
    nothing else is left they are the page's text (a one-line page saying "All rights
    reserved.", a note that is only its title), not its chrome."""
    dropped = {r.text for r in page.removed[since:]}
    del page.removed[since:]
    return [b for b in blocks if b in dropped]


# A page left with no line ending a sentence and this few words (its headline, a menu
# word) has lost its body: the sentences the filters dropped are its text.
NO_BODY_MAX_WORDS = 10


def has_no_body(kept: list[str]) -> bool:
    return not any(map(ends_sentence, kept)) and _count(kept) <= NO_BODY_MAX_WORDS


def filtered_sentences_back(dropped: list[Removed], blocks: list[str],
                            kept: list[str]) -> tuple[list[str], list[Removed]] | None:
    """`kept` with the lines ending a sentence among those the filters `dropped` taken back
    in their place (a page whose one sentence starts "Foto:" or reads "Todos los derechos
    reservados."), and the records left; None when no dropped line ends a sentence."""
    back = {r.text for r in dropped if ends_sentence(r.text)}
    if not back:
        return None
    out, i = [], 0
    for block in blocks:  # the kept lines come in the blocks' order
        if i < len(kept) and block == kept[i]:
            out.append(block)
            i += 1
        elif block in back:
            out.append(block)
    return out + kept[i:], [r for r in dropped if r.text not in back]


def longer_reading(page: CleanPage, lines: list[str], other: list[str], widget: set[str]) -> list[str]:
    """Of two trafilatura readings of a product page, the one holding more words once
    the widget lines (reviews, promoted items, ...) are out; its drops are recorded."""
    first, second = CleanPage(url=page.url), CleanPage(url=page.url)
    kept, alt = drop_widget_lines(first, lines, widget), drop_widget_lines(second, other, widget)
    longer = _count(alt) > _count(kept) and enabled("product-recall")  # (consulted when it matters)
    chosen, best = (second, alt) if longer else (first, kept)
    page.removed.extend(chosen.removed)
    return best


def product_recall_lines(tree, url: str | None, names: set[str] | None = None) -> list[str]:
    """trafilatura's balanced mode stops at a shop's short spec rows and tabbed panels; its
    recall mode keeps them on some shops and collapses to a few lines on others: a product
    page is read both ways and the longer reading kept (the second run: product pages only)."""
    doc = _trafilatura(tree, url, recall=True, names=names)
    return _lines(doc.text) if doc is not None else []


# Page types whose text is gathered from many boxes (posts, cards, tabs), where a long
# paragraph met again is a second copy: a quoted post, a teaser of the opening post, a
# mobile and a desktop version of one block. (Short lines repeat for real on them: item
# labels, prices; and prose pages repeat nothing worth this pass.)
REPEAT_TYPES = {"forum", "listing", "collection", "product"}
REPEAT_MIN_WORDS = 10


def drop_repeated_paragraphs(page: CleanPage, lines: list[str]) -> list[str]:
    """Keep the first copy of each paragraph of `REPEAT_MIN_WORDS` words or more."""
    seen: set[str] = set()
    kept = []
    for line in lines:
        key = " ".join(line.split()).casefold()
        if key in seen and len(line.split()) >= REPEAT_MIN_WORDS:
            page.drop(line, "repeat")
            continue
        seen.add(key)
        kept.append(line)
    return kept


def with_product_name(blocks: list[str], title: str | None) -> list[str]:
    """A product page's name is its first line of content, not only a field (unlike an
    article's headline): put it back in front when trafilatura left it in the page's head."""
    if not title or not blocks:
        return blocks
    name = squash(title)
    if not name or any(name in squash(b) for b in blocks):
        return blocks
    return [title, *blocks]


# Elements nested deeper than this are unwrapped into their ancestor at this depth: their
# text stays, in order, and no recursive pass (ours or trafilatura's) meets a chain of
# thousands of levels. Real pages stay far below it.
MAX_DEPTH = 256


# Beyond 2,048 levels libxml2 stops building the tree and the rest of the text is lost;
# such a page is parsed again without its layout tags (only text-bearing ones are kept).
_LAYOUT_TAG = re.compile(r"</?(?!(?:html|head|body|title|meta|link|script|style|p|h[1-6]|br|pre)\b)"
                         r"[a-zA-Z][^>]*>")


# libxml2 checks each attribute against the others of its element: 100,000 attributes on
# one element took a minute of CPU. A tag past these bounds keeps its name only.
_HUGE_TAG = re.compile(r"<([a-zA-Z][\w:-]*)[^<>]{65536,}>")
# What any _HUGE_TAG match starts with, found in one pass: _HUGE_TAG's own search backtracks
# into every tag's name (~0.7 ms a page), this one does not (~0.3 ms).
_HUGE_TAG_START = re.compile(r"<[a-zA-Z][^<>]{65536}")
MAX_ATTRIBUTES = 1000


# A _HUGE_TAG_START match ends in 65,536 characters without "<" or ">", which cover one of
# the document's aligned windows of half that size whole, and it starts at the last bracket
# before that window. Looking for a bracket in each window is a memchr: most pages have one
# in every window and skip the regex scan of the whole page.
_WINDOW = 32768


def _huge_tag_start(doc: str) -> bool:
    """`_HUGE_TAG_START.search(doc) is not None`, testing only where a match can start."""
    for start in range(0, len(doc) - _WINDOW + 1, _WINDOW):
        end = start + _WINDOW
        if doc.find("<", start, end) < 0 and doc.find(">", start, end) < 0:
            before = max(doc.rfind("<", 0, start), doc.rfind(">", 0, start))
            if before >= 0 and _HUGE_TAG_START.match(doc, before):
                return True
    return False


def _trim_huge_tags(doc):
    if not isinstance(doc, str) or len(doc) < 65536 or not _huge_tag_start(doc):
        return doc
    return _HUGE_TAG.sub(lambda m: f"<{m.group(1)}>" if m.group(0).count("=") > MAX_ATTRIBUTES
                         else m.group(0), doc)


def _too_deep() -> bool:
    return any(e.type_name == "ERR_RESOURCE_LIMIT" for e in trafilatura_utils.HTML_PARSER.error_log)


# True when the tree has an element MAX_DEPTH levels below its root (depth MAX_DEPTH + 1):
# libxml2 answers in C (~0.1 ms a page) what the walk below takes ~0.5 ms to find out.
_HAS_DEEP = etree.XPath("boolean(" + "/".join(["*"] * MAX_DEPTH) + ")")


def flatten_deep(tree) -> None:
    if not _HAS_DEEP(tree):
        return
    deep, depth = [], 0
    for event, el in etree.iterwalk(tree, events=("start", "end")):
        if event == "start":
            depth += 1
            if depth > MAX_DEPTH and isinstance(el.tag, str):
                deep.append(el)
        else:
            depth -= 1
    for el in reversed(deep):  # children before their parents
        el.drop_tag()


def extract_html(page: CleanPage, ctx: Context) -> CleanPage:
    if page.kind != "html":
        return page
    url = page.url if page.url.startswith("http") else None
    try:
        tree = load_page(_trim_huge_tags(page.document))
        if tree is not None and _too_deep():
            tree = load_page(_LAYOUT_TAG.sub(" ", page.document))
    except (TypeError, ValueError):
        tree = None
    if tree is None:
        page.flag("low_text")
        return page
    flatten_deep(tree)
    reveal_collapsed_panels(tree)  # an accordion's closed answers are text, not hidden chrome
    place_streamed_parts(tree)  # a React page's late parts, hidden at the end until swapped in
    names = class_and_id_values(tree)  # read once: the tooltip, trafilatura and article widget passes
    drop_tooltips(tree, names)  # hover bubbles read inline split the sentence they explain
    sig = read_signals(tree)
    cues = cue_url(page.url, canonical_url(sig, page.url))
    page.page_type = detect_page_type(tree, sig, cues)
    news = (page.page_type == "article" and bool(_NEWS_TYPES.intersection(sig.ld_types) or _DATE_PATH.search(cues))
            and enabled("news-precision"))  # (news only steers articles)
    recall = page.page_type == "article" and not news

    def first_reading() -> list[str]:
        doc = _trafilatura(tree, url, recall=recall, precision=page.page_type == "article" and news, names=names)
        return _lines(doc.text) if doc is not None else []

    traf_lines = first_reading()
    # per-element word counts: the widget filters and the DOM pass need them; on articles
    # and documentation body_blocks computes them only when its usual case cannot be decided
    reading = DomReading(tree)
    total = (visible_words(tree) if page.page_type in ("article", "documentation")
             else reading.counts()[tree])
    traf_words = _count(traf_lines)  # (counted once: the body choice and the widget pass read it too)
    # a sliver of the page: trafilatura may have deleted a body wrapper named like chrome
    if traf_words * RESCUE_SHORT_RATIO <= total:
        if unmask_layout_wrappers(tree, total, reading.counts()):
            traf_lines = first_reading()
            traf_words = _count(traf_lines)
    # the page read as table rows: a table that lays the page out holds its text
    if row_share(traf_lines) >= ROWS_MIN_SHARE:
        if unwrap_layout_tables(tree, total, reading.counts()):
            reading = DomReading(tree)
            traf_lines = first_reading()
            traf_words = _count(traf_lines)

    def retry() -> list[str]:
        with page_names(names):
            again = trafilatura.bare_extraction(tree, url=url, include_comments=False, include_formatting=False)
        return _lines(again.text) if again is not None else []

    blocks, method = body_blocks(tree, page.page_type, traf_lines, retry if recall else None, reading, total,
                                 traf_words)
    if page.page_type == "product" and method == "trafilatura":
        # read here, not before: product pages the DOM pass takes never need it (trafilatura
        # cleans a copy of the tree it is given, so the two readings share one tree)
        widget = blocks_under(tree, widget_names, reading.counts())
        widget = widget if widget and enabled("product-widgets") else set()
        blocks = longer_reading(page, blocks, product_recall_lines(tree, url, names), widget)
    elif page.page_type == "forum":
        widget = blocks_under(tree, forum_widget_names, reading.counts())
        if widget and enabled("forum-widgets"):
            blocks = drop_widget_lines(page, blocks, widget)
    if page.page_type in ("article", "product") and method.startswith("trafilatura"):
        words = traf_words if blocks is traf_lines else _count(blocks)  # (no list is edited in place)
        widget = blocks_of(article_widgets(tree, words, names))
        # no widget (most pages): nothing to drop, no need for each line's key
        if widget:
            keys = [squash(b) for b in blocks]  # made once, for the share and the drop
            if _count([b for b, key in zip(blocks, keys) if key in widget]) <= ARTICLE_WIDGETS_MAX_SHARE * words \
                    and enabled("article-widgets"):
                blocks = drop_widget_lines(page, blocks, widget, keys)
    if method.endswith("rescue"):
        page.flag("extract_rescued")  # trafilatura kept next to nothing: a doubt worth showing

    page.site_name = site_name(sig)
    page.title = headline(tree, sig, page.site_name, page.url)
    # prose filters: on item pages short lines after a heading, and lone links, are items
    prose = method.startswith("trafilatura") and page.page_type == "article"
    links = link_texts(tree, 5, page.url) if prose else None
    before_filters = len(page.removed)
    kept = filter_blocks(page, blocks, page.title, links, news, title_suffix(sig.html_title, page.title))
    if page.page_type in REPEAT_TYPES:
        probe = CleanPage(url=page.url)
        once = drop_repeated_paragraphs(probe, kept)
        if probe.removed and enabled("repeats"):
            kept = once
            page.removed.extend(probe.removed)
    if page.page_type == "product":
        named = with_product_name(kept, page.title)
        if named is not kept and enabled("product-name"):
            kept = named
    kept = refine_page(page, tree, kept, reading)  # the learned block pass: adds and takes lines
    if not kept and len(page.removed) > before_filters and enabled("never-empty"):
        kept = keep_filtered_lines(page, blocks, before_filters)
    elif has_no_body(kept):
        back = filtered_sentences_back(page.removed[before_filters:], blocks, kept)
        if back is not None and enabled("never-empty"):
            kept, page.removed[before_filters:] = back
    kept = [line for line in map(trim_invisible, kept) if line]  # (the DOM pass reads "<p>&zwj;</p>" too)
    page.text = "\n\n".join(kept)
    # what the extractor itself left out (nav, footers, share rows, ...), after what was
    # removed above; read before fill_metadata, which may prune the tree
    page.removed.extend(left_out(tree, kept, page.removed, page.title))
    page.author = declared_author(sig)
    published = published_date(sig)
    if published is None and page.page_type == "forum":
        published = read_iso(sig.first_time)  # a thread's first <time> dates its opening post
    offsets = stated_offsets(sig)
    page.published, page.published_local = stored(published, offsets)
    page.updated, page.updated_local = stored(modified_date(sig), offsets)
    page.canonical_url = canonical_url(sig, page.url)
    if not (page.title and page.published and page.author and page.site_name):
        fill_metadata(page, tree, url)  # last use of the tree: it may prune it
    return page
