"""Language of the clean text: langdetect, seeded, `und` when unsure."""
from __future__ import annotations

from langdetect import DetectorFactory, detect_langs
from langdetect.lang_detect_exception import LangDetectException

from .models import CleanPage
from .pipeline import Context

DetectorFactory.seed = 0
MIN_CHARS = 20
MIN_PROB = 0.6


def detect_language(page: CleanPage, ctx: Context) -> CleanPage:
    text = page.text
    if len(text.strip()) < MIN_CHARS:
        page.lang, page.lang_confidence = "und", 0.0
        return page
    try:
        best = detect_langs(text[:4000])[0]
    except LangDetectException:
        page.lang, page.lang_confidence = "und", 0.0
        return page
    lang = best.lang.split("-")[0]
    page.lang = lang if best.prob >= MIN_PROB else "und"
    page.lang_confidence = round(best.prob, 4)
    return page
