"""The cleaning pipeline: an ordered list of small pure steps, each timed and counted.

A step is `step(page, ctx) -> page` with no I/O. State that spans pages (what a site's
template looks like) arrives in `ctx`; `deboil.db` persists it between runs. This module
imports only the data contract: `steps.py` is the one place that names the steps.
"""
from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

from deboil.models import CleanPage, Context, RawPage


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
