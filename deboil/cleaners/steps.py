"""The default cleaning steps, in order: the one place that names every step.

Building a pipeline installs deboil's patches of trafilatura, htmldate, jusText and lxml
(`patches.install`); importing this module does not.
"""
from __future__ import annotations

from deboil.cleaners.pipeline import Pipeline
from deboil.models import CleanPage, Context, RawPage


def default_pipeline() -> Pipeline:
    from deboil.cleaners import patches
    from deboil.cleaners.encoding.decode import decode
    from deboil.cleaners.encoding.mojibake import fix_mojibake
    from deboil.cleaners.encoding.repair import repair_text
    from deboil.cleaners.finalize import finalize
    from deboil.cleaners.html.extract import extract_html
    from deboil.cleaners.language import detect_language

    patches.install()

    return Pipeline(
        decode,
        [
            ("mojibake", fix_mojibake),
            ("extract_html", extract_html),
            ("clean_capture", _clean_capture),
            ("repair", repair_text),
            ("language", detect_language),
            ("finalize", finalize),
        ],
    )


def _clean_capture(page: CleanPage, ctx: Context) -> CleanPage:
    """The capture step, imported on the first text page: its line classifier, stop-word
    lists and regexes cost ~0.2 s of a start that a load of HTML files never needs."""
    if page.kind != "text":
        return page
    from deboil.cleaners.capture.lines import clean_capture

    return clean_capture(page, ctx)


def clean(raw: RawPage, ctx: Context | None = None) -> CleanPage:
    """Clean one page with the default pipeline (convenience for tests and scripts)."""
    return default_pipeline().run(raw, ctx)


_WARM_HTML = [
    RawPage(url="about:warm-up", kind="html", body=(
        "<html><head><title>Warm-up</title></head><body><article><p>Models load on first use; "
        "cleaning one small page loads them all.</p><p>Модели загружаются один раз.</p>"
        # Long enough that trafilatura keeps its own text: a shorter one would send it to
        # jusText, whose first call costs ~0.2 s (the union of ~100 stop-word lists,
        # lower-cased) that news pages never need; a worker that does need it pays it once.
        "<p>The text of this paragraph is here only to make the page long enough for the "
        "extractor to trust what it found, as it does on any real article with a few "
        "sentences in it, so that no fallback runs while the models load.</p>"
        "</article></body></html>").encode("utf-8")),
]
_WARM_TEXT = [
    RawPage(url="about:warm-up.txt", kind="text",
            body="Warm-up\n\nA capture line so that the line classifier loads its model too.\n".encode()),
    RawPage(url="about:warm-up-legacy.txt", kind="text",  # undeclared legacy bytes: the detector
            body="Модели загружаются один раз, при первой странице.\n".encode("cp1251")),
]


def warm_up(kinds: frozenset[str] | None = None) -> None:
    """Load the lazily loaded models that pages of these kinds ("html", "text") need; None:
    all of them. A pool calls this before forking its workers so they share one copy
    (copy-on-write) instead of each loading its own. Text captures bring the line classifier
    and the legacy-bytes detector (~0.2 s, ~26 MB), which HTML pages declaring or in UTF-8
    never use; a worker that meets one anyway loads it then."""
    from deboil.cleaners.encoding.plausibility import bigram_model

    pipeline = default_pipeline()
    bigram_model()  # mojibake checks of HTML pages read it too (the text pages loaded it before)
    pages = (_WARM_HTML if kinds is None or "html" in kinds else []) + \
        (_WARM_TEXT if kinds is None or "text" in kinds else [])
    for raw in pages:
        pipeline.run(raw)
