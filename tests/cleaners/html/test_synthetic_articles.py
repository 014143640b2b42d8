"""Synthetic article pages in 14 languages and 13 scripts keep every paragraph, and lose
their chrome (issues #15, #16).

The pages of `python -m bench html_articles`, built by the same code (five templates:
semantic HTML5, div soup, a blog, a table layout, right-to-left), from the first 15
sentences of 14 languages of ../shared/bench/language/sentences (Apache 2.0),
tests/data/html/synthetic_article_sentences.json; paragraphs of one language or mixed.
Before the word counts of unspaced scripts (Chinese, Japanese, Thai) were word units, the
English related links of a Japanese or Chinese page outweighed its body and were kept;
before layout tables were read as <div>s, a table-laid page came out as one line, and the
site's name in its first cell stayed above the headline.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.html_articles import LOGOS, judge, synthetic_pages

SENTENCES = json.loads((Path(__file__).parents[2] / "data" / "html" / "synthetic_article_sentences.json")
                       .read_text(encoding="utf-8"))
PAGES = synthetic_pages(SENTENCES, pages=1, seed=0)


def test_the_pages_span_the_scripts_and_templates():
    assert len(SENTENCES) >= 14
    assert {p.template for p in PAGES} == {"html5", "divsoup", "blog", "legacy", "rtl"}


@pytest.mark.parametrize("page", PAGES, ids=lambda p: f"{p.lang}-{p.template}-{'mixed' if p.mixed else 'one'}")
def test_every_paragraph_stays_and_the_chrome_goes(page):
    out = judge(page)
    assert out.missing == []
    assert out.apart
    # a headline holding a title separator ("1 - ...", "... :") does not read back whole
    # from "Headline | Site", so the site's name above it is not known for one (see html_articles)
    assert out.leak == [] or (page.template == "legacy" and out.leak == LOGOS[:1]
                              and any(sep in page.headline for sep in (" - ", ":")))
