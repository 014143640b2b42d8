"""The page sets the speed tools share: the article pages, repeated, or a quarter of wcxb-dev."""
from __future__ import annotations

from pathlib import Path

from bench.paths import find_shared


def page_files(which: str, article_copies: int = 3) -> list[Path]:
    """`articles`: the 181 article-extraction pages `article_copies` times over;
    `wcxb`: every fourth wcxb-dev page (340), spread over all page types; `all`: every
    wcxb-dev page, then the article pages once (the 1,539 the output checks read)."""
    bench = find_shared() / "bench"
    articles = sorted((bench / "article-extraction" / "html").glob("*.html.gz"))
    wcxb = sorted((bench / "wcxb-dev" / "html").glob("*.html.gz"))
    if which == "articles":
        return articles * article_copies
    if which == "all":
        return wcxb + articles
    return wcxb[::4]


def warm_pipeline_and_pages(which: str, article_copies: int):
    """This checkout's warmed-up HTML pipeline and the set's pages read into memory."""
    from deboil.cleaners.steps import default_pipeline, warm_up
    from deboil.crawler.files import read_page

    warm_up(frozenset({"html"}))
    raws = [read_page(f, "html", None, 10 << 20) for f in page_files(which, article_copies)]
    return default_pipeline(), raws
