"""The cleaning pipeline: an ordered list of small pure steps, each timed and counted.

A step is `step(page, ctx) -> page` with no I/O. State that spans pages (what a site's
template looks like) arrives in `ctx`; `deboil.db` persists it between runs. This module
imports only the data contract: `steps.py` is the one place that names the steps.
"""
from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from deboil.models import CleanPage, Context, RawPage


Step = Callable[[CleanPage, Context], CleanPage]


@dataclass
class StepStats:
    seconds: float = 0.0
    pages: int = 0
    changed: int = 0  # pages whose text, issues or removed lines the step altered
    issues: Counter = field(default_factory=Counter)  # issue codes the step added
    removed: Counter = field(default_factory=Counter)  # lines the step removed, by reason

    def as_dict(self) -> dict:
        return {"seconds": round(self.seconds, 4), "pages": self.pages, "changed": self.changed,
                "issues": dict(sorted(self.issues.items())), "removed": dict(sorted(self.removed.items()))}


@dataclass
class StepRun:
    """What one step did to one page: sent from a worker process to the run that merges it."""

    name: str
    seconds: float
    changed: bool
    issues: dict = field(default_factory=dict)
    removed: dict = field(default_factory=dict)


class StepTimes(dict):
    """Step name -> StepStats, in the order steps were first seen: what a run reports."""

    def add(self, run: StepRun) -> None:
        st = self.setdefault(run.name, StepStats())
        st.seconds += run.seconds
        st.pages += 1
        st.changed += run.changed
        st.issues.update(run.issues)
        st.removed.update(run.removed)

    def merge_page(self, last_run: list[StepRun]) -> None:
        """Add one page's step figures, measured here or in a worker process."""
        for run in last_run:
            self.add(run)

    def report(self) -> dict[str, dict]:
        return {name: st.as_dict() for name, st in self.items()}


def _fingerprint(page: CleanPage) -> tuple:
    return (len(page.text), hash(page.text), sum(page.issues.values()), len(page.removed), page.title)


def _added_issues(before: dict, page: CleanPage) -> dict:
    return {code: n - before.get(code, 0) for code, n in page.issues.items() if n > before.get(code, 0)}


def _removed_since(count: int, page: CleanPage) -> dict:
    return dict(Counter(r.reason for r in page.removed[count:]))


class Pipeline:
    """Runs the steps in order over one raw page; keeps per-step statistics for the run."""

    def __init__(self, start: Callable[[RawPage], CleanPage], steps: list[tuple[str, Step]]):
        self.start = start
        self.steps = steps
        self.stats = StepTimes({"decode": StepStats()})
        self.stats.update({name: StepStats() for name, _ in steps})
        self.last_run: list[StepRun] = []

    def run(self, raw: RawPage, ctx: Context | None = None) -> CleanPage:
        ctx = ctx or Context()
        self.last_run = []  # what each step did to this page, for pools to merge
        t0 = time.perf_counter()
        page = self.start(raw)
        self._count(StepRun("decode", time.perf_counter() - t0, bool(page.issues), dict(page.issues),
                            _removed_since(0, page)))
        for name, step in self.steps:
            before, issues, removed = _fingerprint(page), dict(page.issues), len(page.removed)
            t0 = time.perf_counter()
            page = step(page, ctx)
            seconds = time.perf_counter() - t0
            self._count(StepRun(name, seconds, _fingerprint(page) != before, _added_issues(issues, page),
                                _removed_since(removed, page)))
        page.document = ""  # the source stays in `raw`; no need to carry it further
        return page

    def _count(self, run: StepRun) -> None:
        self.stats.add(run)
        self.last_run.append(run)

    def report(self) -> dict[str, dict]:
        return self.stats.report()
