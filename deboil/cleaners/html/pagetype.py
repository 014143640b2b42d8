"""Guess what kind of page this is, from cues that cost one pass over the tree.

Types: article, forum, product, listing, collection, documentation, service. The guess
picks the extraction strategy (trafilatura handles articles well and the rest less so),
so every cue is general: schema.org types, og:type, URL path words and DOM counts.
Each cue adds points to one type; the highest total wins, article on a tie or no cue.
"""
from __future__ import annotations

import re
from collections import Counter
from urllib.parse import urlsplit

from lxml import html as lxml_html

from deboil.cleaners.html.structured import PageSignals

TYPES = ("article", "forum", "product", "listing", "collection", "documentation", "service")

_LD_WEIGHTS = {
    "product": {"Product": 3, "ProductGroup": 3, "IndividualProduct": 3, "ProductModel": 2},
    "forum": {"DiscussionForumPosting": 4, "QAPage": 4, "SocialMediaPosting": 2},
    "collection": {"CollectionPage": 3, "OfferCatalog": 2},
    "listing": {"ItemList": 1},
    "article": {"Article": 2, "NewsArticle": 3, "BlogPosting": 3, "Report": 2, "ScholarlyArticle": 2,
                "OpinionNewsArticle": 3, "ReportageNewsArticle": 3, "LiveBlogPosting": 2},
    "documentation": {"TechArticle": 2, "APIReference": 4, "HowTo": 1},
    "service": {"Service": 3, "SoftwareApplication": 2, "WebApplication": 2, "LocalBusiness": 1,
                "ProfessionalService": 2, "FinancialService": 2, "MobileApplication": 2},
}
_OG_TYPES = {"article": ("article", 2), "product": ("product", 3), "product.item": ("product", 3),
             "product.group": ("collection", 3), "book": ("documentation", 1), "profile": ("service", 0)}

# URL path words (whole segments) that sites across the web use for each kind of page
_PATH_WORDS = {
    "forum": {"thread", "threads", "t", "topic", "topics", "forum", "forums", "discussion",
              "discussions", "questions", "comments", "viewtopic.php", "showthread.php", "community",
              "showtopic"},
    "product": {"product", "products", "p", "dp", "item", "itm", "app", "listing", "produkt", "produit"},
    "collection": {"c", "collections", "collection", "category", "categories", "shop", "browse", "cat",
                   "product-category", "cp", "department", "store"},
    "documentation": {"docs", "doc", "documentation", "manual", "man-pages", "wiki", "reference",
                      "api", "library", "howto", "tutorial", "guide", "handbook", "learn"},
    "article": {"blog", "blogs", "news", "article", "articles", "story", "stories", "posts", "post",
                "pulse", "insights"},
    "service": {"services", "service", "features", "feature", "solutions", "pricing", "tools",
                "calculators", "seminars", "training", "w"},
    "listing": {"hub", "sections", "section", "trending", "tag", "tags", "archive", "issues",
                "list", "directory", "schedule", "magazine"},
}
_SLUG_SPLIT = re.compile(r"[-_+]+")
SLUG_WORDS = 5  # words in the last path segment that make it read like a headline
_DATE_IN_PATH = re.compile(r"/(19|20)\d\d/\d{1,2}/")
_CART = re.compile(r"add[\s_-]*to[\s_-]*(cart|bag|basket|trolley)|buy[\s_-]*now|in den warenkorb|"
                   r"ajouter au panier|añadir al carrito|aggiungi al carrello", re.I)
_DOCS_GENERATOR = re.compile(r"sphinx|mkdocs|docusaurus|gitbook|vuepress|hugo-book|docfx|jekyll-docs|"
                             r"readthedocs|antora|mdbook|nextra|starlight", re.I)


def _path_segments(url: str) -> list[str]:
    try:
        path = urlsplit(url).path
    except ValueError:
        return []
    return [s.lower() for s in path.split("/") if s]


def cue_url(url: str, declared: str | None) -> str:
    """The url whose words and dates say what a page is. A saved file's folders name the
    reader's disk, not the site ("docs", "news", "w" would steer the type): a file is read by
    the url it declares (canonical, og:url), else by its file name alone."""
    if not url or url.startswith(("http://", "https://")):
        return url
    return declared or "file:///" + url.rstrip("/").rsplit("/", 1)[-1]


def _is_cart(el) -> bool:
    """A button or link labelled like "Add to cart" (text, value, name or aria-label)."""
    label = " ".join(((el.text or "") + " " + (el.get("value") or "") + " " + (el.get("name") or "")
                      + " " + (el.get("aria-label") or "")).split())
    return bool(label) and len(label) < 60 and _CART.search(label) is not None


def detect_page_type(tree: lxml_html.HtmlElement, sig: PageSignals, url: str = "") -> str:
    score: Counter = Counter()
    ld = Counter(sig.ld_types)
    for kind, weights in _LD_WEIGHTS.items():
        for t, w in weights.items():
            if ld.get(t):
                score[kind] += w
    # many products on one page is a catalogue, not a product page
    if ld.get("Product", 0) + ld.get("ProductGroup", 0) >= 3:
        score["collection"] += 4
    if ld.get("Question") and not ld.get("FAQPage") and not ld.get("QAPage"):
        score["forum"] += 1
    og = (sig.first_meta("og:type") or "").lower()
    if og in _OG_TYPES:
        kind, w = _OG_TYPES[og]
        score[kind] += w
    elif og.endswith(":product") or og.endswith(":item"):
        score["product"] += 2

    segs = _path_segments(url)
    for kind, words in _PATH_WORDS.items():
        if any(s in words for s in segs[:-1] or segs):
            score[kind] += 2
    if _DATE_IN_PATH.search(url or ""):
        score["article"] += 2
    slug = _SLUG_SPLIT.split(segs[-1].rsplit(".", 1)[0]) if segs else []
    if slug[:2] == ["list", "of"]:
        score["listing"] += 3  # "List_of_Nobel_laureates": a list is the page
    elif len(slug) >= SLUG_WORDS:
        score["article"] += 1  # a headline-like slug: "what-is-an-online-course"
    if url.startswith("http") and not segs:
        # a site's home page introduces a service or lists its latest items
        score["service"] += 1
        score["listing"] += 1

    if _DOCS_GENERATOR.search(sig.first_meta("generator") or ""):
        score["documentation"] += 3
    # one walk for the three tags (three count() XPaths walked the page three times)
    tags = Counter(el.tag for el in tree.iter("pre", "article", "time"))
    n_pre, n_article, n_time = tags["pre"], tags["article"], tags["time"]
    if any(_is_cart(el) for el in tree.iter("button", "a", "input")):
        score["product"] += 2
    if n_pre >= 3:
        score["documentation"] += 1 + (n_pre >= 8)
    # (post/reply class counts were tried as a forum cue: blogs with comment threads
    # look the same, so they are not used)
    if n_article >= 6:
        score["listing"] += 2
    if n_time >= 8:
        score["listing"] += 1
    if not score:
        return "article"
    best = max(TYPES, key=lambda k: (score[k], k == "article"))
    return best if score[best] > 0 else "article"
