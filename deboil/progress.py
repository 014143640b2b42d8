"""What a run prints: a progress bar on a terminal, one dated summary line for logs.

On a terminal (stderr is a TTY) `load`, `reclean` and `crawl` draw a bar with the count, the
total when known, the rate, the ETA and the failures so far; failure lines are printed above
it, never into it. Without a terminal nothing is drawn. Either way a run ends with one line
that starts with an ISO 8601 UTC timestamp and names the command, the job and the run, so an
appended cron log tells the nights apart.
"""
from __future__ import annotations

import sys
import threading
import time
from collections import Counter

from rich.console import Console
from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

from deboil.models import utc_now

# Counts that mean "this input is done", whatever became of it.
DONE_KEYS = ("new", "changed", "unchanged", "failed", "skipped", "not_modified", "robots_skipped")


def done(counts: Counter) -> int:
    # Stored pages are counted a batch at a time; `seen` (cleaned or read) moves page by page.
    # Fixed keys only, no iteration: another thread may be adding keys meanwhile.
    finished = sum(counts.get(k, 0) for k in DONE_KEYS)
    return max(finished, counts.get("seen", 0) + counts.get("skipped", 0))


class RunProgress:
    """A rich progress bar on stderr while a run goes; inert when stderr is no terminal.

    Use as a context manager; `update` takes the run's counts (Runner's progress callback),
    `err` is a stream for failure lines that prints them above the bar.
    """

    def __init__(self, label: str, total: int | None = None, *, quiet: bool = False,
                 console: Console | None = None):
        self.console = console or Console(stderr=True)
        self.enabled = self.console.is_terminal and not quiet
        self.label = label
        self.total = total
        self._t0 = time.monotonic()
        self._progress: Progress | None = None
        self._task = None
        self._watched: Counter | None = None
        self._stop = threading.Event()
        self._ticker: threading.Thread | None = None

    def __enter__(self) -> "RunProgress":
        if self.enabled:
            # Without a total (a crawl, WARC archives) there is no ETA to show.
            eta = (TextColumn("ETA"), TimeRemainingColumn()) if self.total else ()
            self._progress = Progress(
                TextColumn("[bold]{task.description}"),
                BarColumn(),
                MofNCompleteColumn() if self.total else TextColumn("{task.completed}"),
                TextColumn("{task.fields[rate]}"),
                *eta,
                TextColumn("{task.fields[failed]}"),
                console=self.console, transient=False, redirect_stdout=False,
                redirect_stderr=False, refresh_per_second=8)
            self._progress.start()
            self._task = self._progress.add_task(self.label, total=self.total, rate="",
                                                 failed="failed 0")
        return self

    def watch(self, counts: Counter) -> None:
        """Redraw from these (live) counts a few times a second, between the run's updates."""
        self._watched = counts
        if self._progress is not None and self._ticker is None:
            self._ticker = threading.Thread(target=self._tick, name="deboil-progress", daemon=True)
            self._ticker.start()

    def _tick(self) -> None:
        while not self._stop.wait(0.25):
            self.update(self._watched)

    def update(self, counts: Counter) -> None:
        if self._progress is None:
            return
        n = done(counts)
        elapsed = max(time.monotonic() - self._t0, 1e-6)
        self._progress.update(self._task, completed=n, rate=f"{n / elapsed:,.1f}/s",
                              failed=f"failed {counts.get('failed', 0)}")

    @property
    def err(self):
        """Where failure lines go: above the bar on a terminal, plain stderr otherwise."""
        return _AboveBar(self._progress.console) if self._progress is not None else sys.stderr

    def __exit__(self, *exc) -> None:
        self._stop.set()
        if self._ticker is not None:
            self._ticker.join()
        if self._progress is not None:
            if self._watched is not None:
                self.update(self._watched)
            self._progress.stop()


class _AboveBar:
    def __init__(self, console: Console):
        self.console = console

    def write(self, text: str) -> None:
        text = text.rstrip("\n")
        if text:
            self.console.print(text, markup=False, highlight=False, soft_wrap=True)

    def flush(self) -> None:
        pass


def summary_line(command: str, result, *, job: str | None = None, resumed: bool = False,
                 keys: tuple[str, ...] | None = None) -> str:
    """`2026-12-06T04:00:00Z crawl nightly: run 12 ok in 3.2s: new 5, ..., failed 2`."""
    counts = result.counts
    if keys is None:
        keys = tuple(k for k in sorted(counts) if counts[k])
    shown = ", ".join(f"{k} {counts.get(k, 0)}" for k in keys) or "nothing to do"
    name = f"{command} {job}" if job else command
    return (f"{utc_now()} {name}{' (resumed)' if resumed else ''}: run {result.run_id} "
            f"{result.status} in {result.duration:.1f}s: {shown}")


def failure_summary(result, top: int = 8) -> str | None:
    """One stderr line for the failures counted by reason instead of printed one by one."""
    reasons: Counter = result.failure_reasons
    if not reasons:
        return None
    shown = ", ".join(f"{reason} x{n}" for reason, n in reasons.most_common(top))
    more = len(reasons) - top
    return (f"deboil: {sum(reasons.values())} fetch failures: {shown}"
            f"{f', and {more} other reasons' if more > 0 else ''}"
            f" (list them: deboil failures --run {result.run_id})")
