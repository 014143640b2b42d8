"""Plain-text captures: decide line by line what is body and what is clutter."""
from __future__ import annotations

from .models import CleanPage
from .pipeline import Context


def clean_capture(page: CleanPage, ctx: Context) -> CleanPage:
    if page.kind != "text":
        return page
    kept = []
    for line in page.document.splitlines():
        line = line.strip()
        if not line:
            continue
        if len(line.split()) < 4:
            page.drop(line, "short-fragment")
        else:
            kept.append(line)
    page.text = "\n\n".join(kept)
    return page
