"""HTML to body text and metadata with trafilatura."""
from __future__ import annotations

import trafilatura

from .models import CleanPage
from .pipeline import Context


def extract_html(page: CleanPage, ctx: Context) -> CleanPage:
    if page.kind != "html":
        return page
    doc = trafilatura.bare_extraction(
        page.document, url=page.url if page.url.startswith("http") else None,
        include_comments=False, with_metadata=True,
    )
    if doc is None:
        page.flag("low_text")
        return page
    page.text = doc.text or ""
    page.title = doc.title
    page.author = doc.author
    page.published = doc.date
    page.site_name = doc.sitename
    page.canonical_url = doc.url if doc.url and doc.url != page.url else None
    return page
