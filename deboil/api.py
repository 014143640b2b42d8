"""deboil from Python: clean a page in memory, or read a corpus that `deboil` built.

    import deboil
    page = deboil.clean("<html>...</html>", url="https://example.org/a")
    page.text, page.title, page.lang, page.removed

    with deboil.open_corpus("corpus.db") as corpus:
        for rec in corpus.pages(lang="en"):
            ...
"""
from __future__ import annotations

from typing import Iterator

from deboil.cleaners.steps import default_pipeline
from deboil.models import CleanPage, Context, RawPage, SiteTemplate

_pipeline = None


def _run(raw: RawPage, template: SiteTemplate | None) -> CleanPage:
    global _pipeline
    if _pipeline is None:  # built once: its steps keep their loaded models
        _pipeline = default_pipeline()
    page = _pipeline.run(raw, Context(template=template))
    page.document = ""  # the decoded source, needed only while cleaning
    return page


def _raw(body: str | bytes, url: str | None, kind: str, site: str | None,
         headers: dict[str, str] | None) -> RawPage:
    headers = {k.lower(): v for k, v in (headers or {}).items()}
    if isinstance(body, str):
        # Already decoded: say so, so a stale <meta charset> inside cannot mislead decoding.
        body = body.encode("utf-8")
        mime = "text/html" if kind == "html" else "text/plain"
        headers["content-type"] = f"{mime}; charset=utf-8"
    elif not isinstance(body, (bytes, bytearray, memoryview)):
        raise TypeError(f"expected str or bytes, got {type(body).__name__}")
    return RawPage(url=url or "about:blank", body=bytes(body), kind=kind, site=site,
                   source="api", headers=headers)


def clean(html: str | bytes, url: str | None = None, *, site: str | None = None,
          headers: dict[str, str] | None = None,
          template: SiteTemplate | None = None) -> CleanPage:
    """Clean one HTML page: its text, metadata, language, issues, and what was removed.

    `html` as text, or as the bytes a server sent (the encoding is then read from
    `headers`' Content-Type, the page's own declaration, or guessed). `url` is recorded on
    the page and helps metadata; `site` and `template` are for site-template learning.
    """
    return _run(_raw(html, url, "html", site, headers), template)


def clean_capture(text: str | bytes, url: str | None = None, *, site: str | None = None,
                  template: SiteTemplate | None = None) -> CleanPage:
    """Clean a plain-text capture of a page (the lines a browser or scraper copied out):
    navigation, share prompts, cookie notices and other furniture lines are dropped."""
    return _run(_raw(text, url, "text", site, None), template)


class Corpus:
    """A deboil database, opened read-only. Records are plain dicts with the export's fields."""

    def __init__(self, path: str):
        from deboil.db import Store

        self.path = str(path)
        self._store = Store(self.path, readonly=True)

    def pages(self, *, site: str | None = None, lang: str | None = None,
              page_type: str | None = None, kind: str | None = None,
              since: str | None = None, until: str | None = None,
              date_field: str = "published") -> Iterator[dict]:
        """Every page (one record each, by url), optionally filtered as `deboil export` is."""
        from deboil.db.export import Filters, records

        return records(self._store, filters=Filters(
            site=site, lang=lang, page_type=page_type, kind=kind, since=since, until=until,
            date_field=date_field))

    def page(self, url: str) -> dict | None:
        """One page with its versions and failures, or None."""
        from deboil.db import queries

        return queries.page(self._store, url)

    def search(self, query: str, limit: int = 20, *, site: str | None = None,
               lang: str | None = None) -> list[dict]:
        """Full-text search, best match first, with snippets (FTS5 syntax, as `deboil search`)."""
        from deboil.db import queries

        return queries.search(self._store, query, limit=limit, site=site, lang=lang)

    def __len__(self) -> int:
        from deboil.db import queries

        return queries.count_pages(self._store)

    def __iter__(self) -> Iterator[dict]:
        return self.pages()

    def close(self) -> None:
        self._store.close()

    def __enter__(self) -> "Corpus":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


def open_corpus(path: str) -> Corpus:
    """Open a database written by `deboil load` or `deboil crawl`, read-only."""
    import os

    if not os.path.exists(path):
        raise FileNotFoundError(f"{path}: no such database")
    return Corpus(path)
