"""The cleaning pipeline: an ordered list of small pure steps, each timed and counted.

A step is `step(page, ctx) -> page` with no I/O. State that spans pages (what a site's
template looks like) arrives in `ctx`; `db/` persists it between runs.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Callable, Mapping

from deboil.models import CleanPage, RawPage


@dataclass
class SiteTemplate:
    """What earlier pages of one site looked like: line hash -> number of pages it was on."""

    pages: int = 0
    line_pages: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Context:
    template: SiteTemplate | None = None
    options: dict = field(default_factory=dict)


Step = Callable[[CleanPage, Context], CleanPage]


@dataclass
class StepStats:
    seconds: float = 0.0
    pages: int = 0
    changed: int = 0  # pages whose text, issues or removed lines the step altered

    def as_dict(self) -> dict:
        return {"seconds": round(self.seconds, 4), "pages": self.pages, "changed": self.changed}


class StepTimes(dict):
    """Step name -> StepStats, in the order steps were first seen: what a run reports."""

    def add(self, name: str, seconds: float, changed: bool) -> None:
        st = self.setdefault(name, StepStats())
        st.seconds += seconds
        st.pages += 1
        st.changed += changed

    def merge_page(self, last_run: list[tuple[str, float, bool]]) -> None:
        """Add one page's step figures, measured here or in a worker process."""
        for name, seconds, changed in last_run:
            self.add(name, seconds, changed)

    def report(self) -> dict[str, dict]:
        return {name: st.as_dict() for name, st in self.items()}


def _fingerprint(page: CleanPage) -> tuple:
    return (len(page.text), hash(page.text), sum(page.issues.values()), len(page.removed), page.title)


class Pipeline:
    """Runs the steps in order over one raw page; keeps per-step statistics for the run."""

    def __init__(self, start: Callable[[RawPage], CleanPage], steps: list[tuple[str, Step]]):
        self.start = start
        self.steps = steps
        self.stats = StepTimes({"decode": StepStats()})
        self.stats.update({name: StepStats() for name, _ in steps})
        self.last_run: list[tuple[str, float, bool]] = []

    def run(self, raw: RawPage, ctx: Context | None = None) -> CleanPage:
        ctx = ctx or Context()
        self.last_run = []  # (step, seconds, changed) for this page, for pools to merge
        t0 = time.perf_counter()
        page = self.start(raw)
        self._count("decode", time.perf_counter() - t0, bool(page.issues))
        for name, step in self.steps:
            before = _fingerprint(page)
            t0 = time.perf_counter()
            page = step(page, ctx)
            self._count(name, time.perf_counter() - t0, _fingerprint(page) != before)
        page.document = ""  # the source stays in `raw`; no need to carry it further
        return page

    def _count(self, name: str, seconds: float, changed: bool) -> None:
        self.stats.add(name, seconds, changed)
        self.last_run.append((name, seconds, changed))

    def report(self) -> dict[str, dict]:
        return self.stats.report()



def default_pipeline() -> Pipeline:
    from deboil.cleaners.capture.lines import clean_capture
    from deboil.cleaners.encoding.decode import decode
    from deboil.cleaners.finalize import finalize
    from deboil.cleaners.html.extract import extract_html
    from deboil.cleaners.language import detect_language
    from deboil.cleaners.encoding.mojibake import fix_mojibake
    from deboil.cleaners.encoding.repair import repair_text

    return Pipeline(
        decode,
        [
            ("mojibake", fix_mojibake),
            ("extract_html", extract_html),
            ("clean_capture", clean_capture),
            ("repair", repair_text),
            ("language", detect_language),
            ("finalize", finalize),
        ],
    )


def clean(raw: RawPage, ctx: Context | None = None) -> CleanPage:
    """Clean one page with the default pipeline (convenience for tests and scripts)."""
    return default_pipeline().run(raw, ctx)


_WARM_PAGES = [
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
    RawPage(url="about:warm-up.txt", kind="text",
            body="Warm-up\n\nA capture line so that the line classifier loads its model too.\n".encode()),
    RawPage(url="about:warm-up-legacy.txt", kind="text",  # undeclared legacy bytes: the detector
            body="Модели загружаются один раз, при первой странице.\n".encode("cp1251")),
]


def warm_up() -> None:
    """Load every lazily loaded model now. A pool calls this before forking its workers so
    they share one copy (copy-on-write) instead of each loading its own."""
    pipeline = default_pipeline()
    for raw in _WARM_PAGES:
        pipeline.run(raw)
