"""Last step: tidy whitespace and flag pages with too little text to be worth trusting."""
from __future__ import annotations

from deboil.models import CleanPage
from deboil.models import Context

LOW_TEXT_WORDS = 20


def finalize(page: CleanPage, ctx: Context) -> CleanPage:
    paragraphs = [p.strip() for p in page.text.split("\n\n")]
    page.text = "\n\n".join(p for p in paragraphs if p)
    if page.word_count < LOW_TEXT_WORDS:
        page.flag("low_text")
    return page
