"""One run: sources -> cleaner pool -> single writer, with counts and a `runs` row.

Used by `load`, `reclean` and `crawl` alike, so all three record failures, timings and
counts the same way.
"""
from __future__ import annotations

import sys
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Callable

from deboil.cleaners import RawPage, default_pipeline
from deboil.cleaners.capture.template import line_hash
from deboil.models import PageRecord
from deboil.cleaners.pipeline import StepTimes
from deboil.run.counters import FAILED, SEEN, SKIPPED, WARNINGS
from deboil.crawler.files import PageFile
from deboil.crawler.sources import Failed, Skipped
from deboil.db import Store
from deboil.db.store import StorageError
from deboil.run.echo import printable, storable

from deboil.run.cores import usable_cores
from deboil.run.pool import CleanerPool, Outcome

# Pages per transaction: each commit costs a lookup, a WAL sync of touched pages and an FTS5
# segment to merge later; 1,000 small pages store ~25% faster than 200 (bench/speed.py).
BATCH = 1000
# ... or fewer when the pages are big: a batch holds raw bytes until it is written, so its
# size, not its count, bounds the writer's memory (1,000 pages near --max-bytes would be 10 GB).
BATCH_BYTES = 8 * 1024 * 1024
# Issue codes that mean the input itself was damaged: the page is stored, and the damage is
# reported like a failure (level "warning") so scheduled jobs notice it.
INPUT_DAMAGE = {
    "invalid_utf8": "not valid UTF-8 and no usable declaration; decoded as {enc}",
    "charset_mismatch": "declared charset contradicted by the bytes; decoded as {enc}",
}


@dataclass(frozen=True)
class SavedLines:
    """What the template pass needs of a saved capture page: its line fingerprints and
    those already removed as template."""

    url: str
    site: str
    outcome: str  # "new", "changed" or "unchanged"
    hashes: frozenset
    template_removed: frozenset


def saved_lines(page, outcome: str) -> SavedLines | None:
    if not page.site or not page.line_hashes:
        return None
    removed = frozenset(line_hash(r.text) for r in page.removed if r.reason == "template")
    return SavedLines(page.url, page.site, outcome, frozenset(page.line_hashes), removed)


@dataclass
class RunResult:
    run_id: int
    counts: Counter
    steps: dict
    duration: float
    status: str
    sites: set = field(default_factory=set)
    saved_lines: list[SavedLines] = field(default_factory=list)
    failure_reasons: Counter = field(default_factory=Counter)  # of the summarised stages

    @property
    def exit_code(self) -> int:
        return 1 if self.counts[FAILED] else 0


class Runner:
    def __init__(self, store: Store, command: str, options: dict, *, workers: int = 1,
                 timeout: float = 60.0, job: str | None = None, err=None,
                 progress: Callable[[Counter], None] | None = None, save_raw: bool = True,
                 amend_run: int | None = None, pipeline_factory=default_pipeline,
                 kinds: frozenset[str] | None = None):
        self.store = store
        self.err = err or sys.stderr
        self.progress = progress
        self.save_raw = save_raw
        self.amend_run = amend_run
        self.counts: Counter = Counter()
        self.sites: set = set()
        self.saved_lines: list[SavedLines] = []  # for the template pass after the run
        self.steps = StepTimes()  # per-step figures the workers report, page by page
        self._batch: list[PageRecord] = []  # for Store.save_batch
        self._batch_bytes = 0
        self._t0 = time.monotonic()
        store.close_dead_runs()
        self.run_id = store.begin_run(command, options, job)
        # Reading files (`reads_files`), compressing and hashing raw bodies go to the workers
        # only when they have every core: then the writer competes with them, and its CPU per
        # page is their loss. With a core to spare the writer does this work beside them, and
        # a worker doing it would only be slower (--workers 1 on 2 cores: ~1.5 ms a page).
        self.reads_files = workers >= usable_cores()
        self.pool = CleanerPool(workers, store.path, timeout, pipeline_factory,
                                seal=save_raw and self.reads_files, kinds=kinds)
        self.on_saved: Callable | None = None
        # Failures of these stages are counted by reason instead of a stderr line each (a
        # crawl's broken links); each still gets its `failures` row.
        self.summarised_stages: set[str] = set()
        self.failure_reasons: Counter = Counter()

    # --- inputs ----------------------------------------------------------------------
    def feed(self, item: RawPage | PageFile | Skipped | Failed) -> None:
        if isinstance(item, Skipped):
            self.counts[SKIPPED] += 1
        elif isinstance(item, Failed):
            self.fail(item.url, item.stage, item.reason)
        else:
            if isinstance(item, RawPage):  # a PageFile counts once its worker has read it
                self.counts[SEEN] += 1
            self._handle(self.pool.submit(item))

    def fail(self, url: str, stage: str, reason: str) -> None:
        """Record a failure: one line on stderr and a `failures` row; the run goes on."""
        self.counts[FAILED] += 1
        if stage in self.summarised_stages:
            self.failure_reasons[reason] += 1
        else:
            print(printable(f"deboil: {url}: {stage}: {reason}"), file=self.err)
        self.store.fail(storable(url), stage, storable(reason), self.run_id)

    def warn(self, url: str, stage: str, reason: str) -> None:
        """Stored, but the input was damaged: say so on stderr and in `failures`."""
        self.counts[WARNINGS] += 1
        print(printable(f"deboil: {url}: {stage}: warning: {reason}"), file=self.err)
        self.store.fail(storable(url), stage, storable(reason), self.run_id, level="warning")

    def count(self, key: str, n: int = 1) -> None:
        self.counts[key] += n

    # --- outcomes --------------------------------------------------------------------
    def _handle(self, outcomes: list[Outcome]) -> None:
        for o in outcomes:
            if o.from_file and o.stage != "read":
                self.counts[SEEN] += 1
            if o.steps:
                self.steps.merge_page(o.steps)
            if o.page is None:
                self.fail(o.raw.url, o.stage or "clean", o.reason or "unknown error")
                continue
            if not o.page.text.strip():
                self.fail(o.raw.url, "extract", "no body text found")
                continue
            for code, reason in INPUT_DAMAGE.items():
                if o.page.issues.get(code) and self.save_raw:  # a re-clean already reported it
                    self.warn(o.raw.url, "decode", reason.format(enc=o.page.encoding))
            self._batch.append(PageRecord(o.page, o.raw if self.save_raw else None, o.packed, o.signature))
            self._batch_bytes += (o.packed.size if o.packed else len(o.raw.body)) + len(o.page.text)
            if o.raw.site:
                self.sites.add(o.raw.site)
            if len(self._batch) >= BATCH or self._batch_bytes >= BATCH_BYTES:
                self.flush()

    def flush(self) -> None:
        if not self._batch:
            return
        try:
            stored = list(zip(self._batch, self.store.save_batch(self._batch, self.run_id,
                                                                 self.amend_run)))
        except StorageError:
            stored = self._save_one_by_one()
        for record, saved in stored:
            self.counts[saved.outcome] += 1
            if (lines := saved_lines(record.page, saved.outcome)) is not None:
                self.saved_lines.append(lines)
            if self.on_saved:
                self.on_saved(saved)
        self._batch = []
        self._batch_bytes = 0
        if self.progress:
            self.progress(self.counts)

    def _save_one_by_one(self) -> list:
        """A batch the database refused for one bad value (a number too large for SQLite,
        ...): the rolled-back batch is stored page by page, and only the bad page fails."""
        stored = []
        for record in self._batch:
            try:
                stored += zip([record], self.store.save_batch([record], self.run_id, self.amend_run))
            except StorageError as exc:
                self.fail(record.page.url, "store", f"cannot be stored: {exc}")
        return stored

    def poll(self) -> None:
        """Store what the pool has finished so far: a long crawl commits as it goes."""
        self._handle(self.pool.collect())
        self.flush()

    def finish(self, status: str | None = None) -> RunResult:
        try:
            self._handle(self.pool.drain())
            self.flush()
        finally:
            self.pool.close()
        duration = time.monotonic() - self._t0
        status = status or ("failed" if self.counts[FAILED] else "ok")
        steps = self.steps.report()
        self.store.end_run(self.run_id, status, dict(self.counts), steps, round(duration, 3))
        return RunResult(self.run_id, self.counts, steps, duration, status, self.sites,
                         self.saved_lines, self.failure_reasons)

    def abort(self, reason: str) -> None:
        """Stop early (interrupted): keep what was cleaned, mark the run."""
        self.pool.close()
        self.flush()
        self.store.end_run(self.run_id, f"aborted: {reason}", dict(self.counts),
                           self.steps.report(), round(time.monotonic() - self._t0, 3))
