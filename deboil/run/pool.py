"""A pool of cleaning processes: one pipe per worker, a deadline per page.

Why not ProcessPoolExecutor: one crashed worker breaks the whole executor, and a hung task
cannot be cancelled. Here a worker that dies or overruns its deadline is killed and
replaced, and only the page it held is lost (reported as a failure). Each worker has its own
pipe, so killing one can never leave a shared queue's lock held.
"""
from __future__ import annotations

import fcntl
import gc
import itertools
import multiprocessing as mp
import signal
import time
from collections import deque
from dataclasses import dataclass, replace
from multiprocessing.connection import wait
from multiprocessing.reduction import ForkingPickler

from deboil.cleaners import Context, RawPage, default_pipeline
from deboil.cleaners.steps import warm_up
from deboil.models import CleanPage
from deboil.db.codec import Packed, seal
from deboil.near_dups import signature

from deboil.run.templates import TemplateSource


@dataclass
class Outcome:
    raw: RawPage  # or, for a file whose reading failed or was cut short, what was submitted
    page: CleanPage | None = None
    stage: str | None = None  # set when reading or cleaning failed
    reason: str | None = None
    steps: list | None = None  # what each step did (pipeline.StepRun), for the run report
    packed: Packed | None = None  # raw.body sealed for storage (pools built with seal=True)
    from_file: bool = False  # submitted as a file to read (crawler.files.PageFile)
    signature: tuple | None = None  # (text_hash, near_dups.Signature) of the page's text


def _clean_one(pipeline, templates: TemplateSource, task, sealing: bool = False) -> Outcome:
    """Clean one task. A page read from a file task comes back without its body (the parent
    stores `packed`, never the bytes); a RawPage task comes back with `raw` None (the parent
    has it, and sending it back would cost a copy)."""
    from_file = not isinstance(task, RawPage)
    if from_file:  # a file: read and gunzipped here, in parallel
        raw = task.read()
        if not isinstance(raw, RawPage):  # Failed
            return Outcome(None, stage=raw.stage, reason=raw.reason, from_file=True)
    else:
        raw = task
    sent = _bodiless(raw) if from_file else None
    try:
        page = pipeline.run(raw, Context(template=templates.get(raw.site)))
    except Exception as exc:  # one bad page must not stop the run
        return Outcome(sent, stage="clean", reason=f"{type(exc).__name__}: {exc}",
                       steps=pipeline.last_run, from_file=from_file)
    # Compressing and hashing the raw body here takes ~0.9 ms a page off the single writer;
    # only pages that will be stored (some text) are worth it.
    packed = seal(raw.body) if sealing and page.text.strip() else None
    # The near-duplicate signature likewise (~50 us a page): the writer is one process for
    # all workers, and its index lookups are what is left for it to do.
    signed = (page.text_hash, signature(page.text)) if page.text.strip() else None
    return Outcome(sent, page, steps=pipeline.last_run, packed=packed, from_file=from_file,
                   signature=signed)


def _bodiless(raw: RawPage) -> RawPage:
    return replace(raw, body=b"")


def _worker_main(tasks, results, db_path: str | None, factory, parent_ends=(),
                 sealing: bool = False, templates_from=TemplateSource) -> None:
    # Ctrl-C reaches the whole process group: the parent stops the run and closes the
    # pool; a worker that took it too would only print a traceback of its own.
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    for end in parent_ends:
        # Forked holding the parent's ends of its own pipes: close them, or recv() never
        # sees EOF and the worker outlives a parent killed with SIGKILL.
        end.close()
    pipeline = factory()
    templates = templates_from(db_path)
    while True:
        try:
            task = tasks.recv()
        except (EOFError, OSError):
            return
        if task is None:
            return
        tid, raw = task
        results.send((tid, _clean_one(pipeline, templates, raw, sealing)))


# A page is usually bigger than a pipe's default 64 KB buffer. With a buffer that holds the
# page queued behind the current one, the parent's send returns at once instead of blocking
# until this worker is done (leaving the other workers unfed meanwhile). A reader thread in
# the worker did the same but cost ~3 ms of CPU a page in GIL hand-overs.
PIPE_BUFFER = 1 << 20


def _widen(conn) -> int:
    """Grow a pipe's buffer toward PIPE_BUFFER; the size it has."""
    size = PIPE_BUFFER
    while size > 1 << 16:
        try:
            fcntl.fcntl(conn.fileno(), fcntl.F_SETPIPE_SZ, size)
            return size
        except (AttributeError, OSError):  # not Linux, or above fs.pipe-max-size
            size //= 2
    return 1 << 16


def _dumps(obj) -> memoryview:
    """What Connection.send writes (recv reads it back), pickled ahead to know its size."""
    return ForkingPickler.dumps(obj)


class _Worker:
    def __init__(self, ctx, db_path, factory, sealing=False, templates_from=TemplateSource):
        task_in, self.task_out = ctx.Pipe(duplex=False)
        self.conn, result_out = ctx.Pipe(duplex=False)
        # A task that fits in half the buffer never blocks the parent's send: the pipe holds at
        # most it and the one before it. A bigger one goes only to an idle worker (one that is
        # reading). Sent to a busy worker, the parent could block on that send while the
        # worker blocks sending a result bigger than the result pipe: both wait for ever.
        self.room = _widen(self.task_out) // 2
        _widen(self.conn)
        self.proc = ctx.Process(target=_worker_main,
                                args=(task_in, result_out, db_path, factory, (self.task_out, self.conn), sealing,
                                      templates_from),
                                daemon=True)
        self.proc.start()
        task_in.close()
        result_out.close()
        # Pages sent and not yet answered, oldest first: [id, raw, deadline]. The head is
        # being cleaned; its deadline runs from when the worker took it up.
        self.tasks: deque[list] = deque()

    def close(self) -> None:
        self.task_out.close()
        self.conn.close()


# Pages a worker holds at once: the one it cleans and one queued behind it, so it never
# waits while the parent reads files or writes a batch to the database.
DEPTH = 2


class CleanerPool:
    """Submit raw pages; get back outcomes in completion order.

    `workers=0` cleans in this process (no isolation; for debugging and tiny runs).
    `pipeline_factory` builds each worker's pipeline (a different step list, in tests).
    `seal`: workers also compress and hash each raw body (Outcome.packed), for the writer.
    `templates_from(db_path)` builds each worker's template source (default: the database;
    a crawler on Redis reads what the writer published there).
    `kinds`: the kinds of pages to come ("html", "text"), whose models are loaded before the
    workers fork (None: all).
    """

    def __init__(self, workers: int, db_path: str | None = None, timeout: float = 60.0,
                 pipeline_factory=default_pipeline, seal: bool = False,
                 templates_from=TemplateSource, kinds: frozenset[str] | None = None):
        self.timeout = timeout
        self.templates_from = templates_from
        self.sealing = seal
        self.db_path = db_path
        self.factory = pipeline_factory
        self._ids = itertools.count()
        self._workers: list[_Worker] = []
        if workers <= 0:
            self._inline = (pipeline_factory(), templates_from(db_path))
            return
        self._inline = None
        if pipeline_factory is default_pipeline:
            warm_up(kinds)  # load models once here; forked workers share them
        # Keep what exists now out of the collector's reach: its scans would write to every
        # object and turn the pages the workers share copy-on-write into private copies.
        gc.collect()
        gc.freeze()
        self._ctx = mp.get_context("fork")
        self._workers = [_Worker(self._ctx, db_path, pipeline_factory, seal, templates_from)
                         for _ in range(workers)]

    def submit(self, raw: RawPage) -> list[Outcome]:
        """Hand one page to an idle worker, first collecting whatever has finished."""
        if self._inline:
            pipeline, templates = self._inline
            return [self._outcome(raw, _clean_one(pipeline, templates, raw, self.sealing))]
        tid = next(self._ids)
        data = _dumps((tid, raw))
        done = self._collect(block=False)
        while not (ready := [w for w in self._workers if len(w.tasks) < DEPTH
                             and (len(data) <= w.room or not w.tasks)]):
            done += self._collect(block=True)
        worker = min(ready, key=lambda w: len(w.tasks))
        return done + self._send(worker, [tid, raw, None], data)

    def collect(self) -> list[Outcome]:
        """Outcomes finished so far, without waiting (for sources that run for long)."""
        return [] if self._inline else self._collect(block=False)

    def drain(self) -> list[Outcome]:
        done: list[Outcome] = []
        while any(w.tasks for w in self._workers):
            done += self._collect(block=True)
        return done

    def close(self) -> None:
        for w in self._workers:
            try:
                w.task_out.send(None)
            except OSError:
                pass
        for w in self._workers:
            w.proc.join(timeout=2)
            if w.proc.is_alive():
                w.proc.kill()
                w.proc.join()
        self._workers = []

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    # --- internals -------------------------------------------------------------------
    @staticmethod
    def _outcome(task, outcome: Outcome) -> Outcome:
        """The worker's outcome, with what was submitted where it sent no page back."""
        if outcome.raw is None:
            outcome.raw = task
        return outcome

    def _send(self, w: _Worker, task: list, data: memoryview | None = None) -> list[Outcome]:
        if not w.tasks:
            task[2] = time.monotonic() + self.timeout  # it starts on it at once
        w.tasks.append(task)
        try:
            w.task_out.send_bytes(_dumps((task[0], task[1])) if data is None else data)
        except (BrokenPipeError, OSError):
            return self._replace(w, "worker died before taking the page")
        return []

    def _collect(self, block: bool) -> list[Outcome]:
        busy = [w for w in self._workers if w.tasks]
        if not busy:
            return []
        now = time.monotonic()
        wait_for = max(0.0, min(w.tasks[0][2] for w in busy) - now) if block else 0.0
        ready = set(wait([w.conn for w in busy] + [w.proc.sentinel for w in busy],
                         timeout=min(wait_for, 1.0)))
        done: list[Outcome] = []
        for w in busy:
            if w.conn in ready:
                try:
                    tid, result = w.conn.recv()
                except (EOFError, OSError):
                    done += self._replace(w, f"worker crashed (exit code {w.proc.exitcode})")
                    continue
                _, raw, _ = w.tasks.popleft()
                done.append(self._outcome(raw, result))
                if w.tasks:
                    w.tasks[0][2] = time.monotonic() + self.timeout  # the next one starts now
            elif w.proc.sentinel in ready:
                w.proc.join(timeout=1)
                done += self._replace(w, f"worker crashed (exit code {w.proc.exitcode})")
            elif time.monotonic() > w.tasks[0][2]:
                done += self._replace(w, f"timed out after {self.timeout:g}s")
        return done

    def _replace(self, w: _Worker, reason: str) -> list[Outcome]:
        """Kill a worker that died or hung: the page it was cleaning becomes a failure, the
        pages queued behind it go to its fresh replacement."""
        if w.proc.is_alive():
            w.proc.kill()
        w.proc.join()
        w.close()
        lost = w.tasks.popleft() if w.tasks else None
        fresh = _Worker(self._ctx, self.db_path, self.factory, self.sealing, self.templates_from)
        self._workers[self._workers.index(w)] = fresh
        done = ([self._outcome(lost[1], Outcome(None, stage="clean", reason=reason,
                                                 from_file=not isinstance(lost[1], RawPage)))]
                if lost is not None else [])
        for task in w.tasks:
            done += self._send(fresh, [task[0], task[1], None])
        return done
