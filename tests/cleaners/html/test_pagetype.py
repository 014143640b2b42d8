"""Page type on small hand-written pages, from structured data, the URL and the DOM."""
from __future__ import annotations

import json

from lxml import html as lxml_html

from deboil.cleaners.html.pagetype import detect_page_type
from deboil.cleaners.html.structured import read_signals


def _ptype(html: str, url: str = "https://example.org/x/y") -> str:
    tree = lxml_html.fromstring(html)
    return detect_page_type(tree, read_signals(tree), url)


def _ld(obj: dict) -> str:
    return f'<script type="application/ld+json">{json.dumps(obj)}</script>'


def test_pagetype_from_jsonld():
    assert _ptype(f"<html><head>{_ld({'@type': 'Product', 'name': 'Mug'})}</head><body><p>x</p></body></html>") \
        == "product"
    assert _ptype(f"<html><head>{_ld({'@type': 'DiscussionForumPosting'})}</head><body></body></html>") == "forum"
    assert _ptype(f"<html><head>{_ld({'@graph': [{'@type': 'NewsArticle'}]})}</head><body></body></html>") \
        == "article"
    many = {"@type": "ItemList", "itemListElement": [{"@type": "Product", "name": str(i)} for i in range(5)]}
    assert _ptype(f"<html><head>{_ld(many)}</head><body></body></html>") == "collection"


def test_pagetype_from_og_url_and_dom():
    assert _ptype('<html><head><meta property="og:type" content="article"></head><body></body></html>') \
        == "article"
    docs = "<html><body>" + "<pre>code</pre>" * 4 + "</body></html>"
    assert _ptype(docs, "https://example.org/docs/install") == "documentation"
    assert _ptype("<html><body><p>hi</p></body></html>", "https://example.org/threads/123-help") == "forum"
    cart = '<html><body><h1>Lamp</h1><button>Add to cart</button></body></html>'
    assert _ptype(cart, "https://shop.example/p/lamp-42") == "product"
    cards = "<html><body>" + "<article><h2><a href='/a'>Story</a></h2></article>" * 8 + "</body></html>"
    assert _ptype(cards, "https://news.example/section/world/") == "listing"
    assert _ptype("<html><body><p>Plain page.</p></body></html>") == "article"
    # a headline-like slug outweighs a weak service cue (a publisher's LD type)
    svc = '<html><head>' + _ld({"@type": "LocalBusiness"}) + '</head><body><p>x</p></body></html>'
    assert _ptype(svc, "https://lms.example/center/what-is-an-online-course/") == "article"
    assert _ptype(svc, "https://lms.example/center/courses/") == "service"
    # a page named "List of ..." is a list, whatever the schema says
    art = '<html><head>' + _ld({"@type": "Article"}) + '</head><body><p>x</p></body></html>'
    assert _ptype(art, "https://wiki.example/wiki/List_of_Nobel_laureates") == "listing"
