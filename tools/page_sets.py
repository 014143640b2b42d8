"""The page sets the speed tools share: the article pages, repeated, or a quarter of wcxb-dev."""
from __future__ import annotations

from pathlib import Path

from bench.paths import find_shared


def page_files(which: str, article_copies: int = 3) -> list[Path]:
    """`articles`: the 181 article-extraction pages `article_copies` times over;
    `wcxb`: every fourth wcxb-dev page (340), spread over all page types."""
    bench = find_shared() / "bench"
    if which == "articles":
        return sorted((bench / "article-extraction" / "html").glob("*.html.gz")) * article_copies
    return sorted((bench / "wcxb-dev" / "html").glob("*.html.gz"))[::4]


def warm_pipeline_and_pages(which: str, article_copies: int):
    """This checkout's warmed-up HTML pipeline and the set's pages read into memory."""
    from deboil.cleaners.steps import default_pipeline, warm_up
    from deboil.crawler.files import read_page

    warm_up(frozenset({"html"}))
    raws = [read_page(f, "html", None, 10 << 20) for f in page_files(which, article_copies)]
    return default_pipeline(), raws
