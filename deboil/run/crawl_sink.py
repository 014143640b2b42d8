"""The crawl's single writer: a thread that cleans and stores what the spider yields.

Scrapy's reactor must never wait for cleaning, and Runner and Store are not thread-safe. So
items cross a bounded queue to this thread, which alone owns the Store connection, the
Runner (whose CleanerPool cleans in worker processes) and the frontier. It commits every
second or every few pages, so a killed crawl loses at most the pages in flight, and those
stay queued in the frontier for the next run.
"""
from __future__ import annotations

import queue
import threading
import time
from typing import Callable

from deboil.db import Store
from deboil.db.frontier import DONE, FAILED, SKIPPED, Frontier
from deboil.crawler.items import Fetched, FetchFailed, NotModified, Processed
from deboil.crawler.jobs import Job

from deboil.run import counters
from deboil.run.counters import CRAWL, FETCHED, NOT_MODIFIED
from deboil.run.runner import Runner, RunResult

FLUSH_SECONDS = 1.0
FLUSH_PAGES = 5
_STOP = object()


def stop_thread(items: queue.Queue, thread: threading.Thread, stop) -> None:
    """Queue `stop` for a consumer thread and wait for it; a thread that already died on
    an error takes nothing more, so a full queue never blocks this for ever."""
    while thread.is_alive():
        try:
            items.put(stop, timeout=0.5)
            break
        except queue.Full:
            continue
    thread.join()


class CrawlRunner(Runner):
    """A Runner that also settles the frontier url of each page it stores or fails."""

    def __init__(self, *args, frontier: Frontier, **kwargs):
        super().__init__(*args, **kwargs)
        self.frontier = frontier
        self.requested: dict[str, str] = {}  # page url -> frontier url (they differ after a redirect)
        self.on_saved = self._saved
        self.summarised_stages = {"fetch"}  # a site's broken links: counted by reason
        for key in CRAWL:
            self.counts[key] += 0  # present in the runs row even when zero

    def settle(self, page_url: str, state: str, reason: str | None = None,
               requested: str | None = None) -> None:
        """Mark the frontier url(s) of a page: as requested, and as answered."""
        url = requested or self.requested.pop(page_url, page_url)
        self.frontier.mark(url, state, reason)
        if url != page_url:
            self.frontier.mark(page_url, state, reason)

    def _saved(self, saved) -> None:
        self.settle(saved.url, DONE)

    def fail(self, url: str, stage: str, reason: str) -> None:
        super().fail(url, stage, reason)
        self.settle(url, FAILED, f"{stage}: {reason}")


class CrawlSink:
    def __init__(self, db_path: str, job: Job, *, workers: int, timeout: float,
                 progress: Callable | None = None, err=None, maxsize: int = 64):
        self.db_path = db_path
        self.job = job
        self.workers = workers
        self.timeout = timeout
        self.progress = progress
        self.err = err
        self.queue: queue.Queue = queue.Queue(maxsize=maxsize)
        self.error: BaseException | None = None
        self.on_error: Callable[[], None] | None = None  # e.g. stop the crawl
        self.result: RunResult | None = None
        self._status: str | None = None
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="deboil-writer", daemon=True)

    # --- called from other threads ------------------------------------------------------
    def start(self) -> None:
        """Start the writer; its Store, Runner and cleaning processes exist on return."""
        self._thread.start()
        self._ready.wait()
        if self.error:
            raise self.error

    def put(self, item) -> None:
        """Hand over one item; blocks while the queue is full (back-pressure on the crawl)."""
        if self.error is None:
            self.queue.put(item)

    def close(self, status: str | None = None) -> RunResult | None:
        self._status = status
        stop_thread(self.queue, self._thread, _STOP)
        if self.error:
            raise self.error
        return self.result

    # --- the writer thread --------------------------------------------------------------
    def _main(self) -> None:
        try:
            store = Store(self.db_path)
            frontier = Frontier(store.conn, self.job.name)
            runner = CrawlRunner(store, "crawl", self.job.options(), workers=self.workers,
                                 timeout=self.timeout, job=self.job.name, err=self.err,
                                 progress=self.progress, frontier=frontier)
        except BaseException as exc:
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop(runner, frontier, store)
            self.result = runner.finish(self._status)
        except BaseException as exc:  # the database failed under us: stop, keep what we have
            self.error = exc
            self._drain()
            if self.on_error:
                self.on_error()
            try:
                runner.abort(f"{type(exc).__name__}: {exc}")
            except Exception:
                pass
        finally:
            store.close()

    def _loop(self, runner: CrawlRunner, frontier: Frontier, store: Store) -> None:
        last_flush, pages = time.monotonic(), 0
        while True:
            try:
                item = self.queue.get(timeout=0.25)
            except queue.Empty:
                item = None
            if item is _STOP:
                return
            if item is not None:
                pages += self._handle(item, runner, frontier, store)
            if pages >= FLUSH_PAGES or time.monotonic() - last_flush >= FLUSH_SECONDS:
                runner.poll()
                if self.progress:  # also when only 304s came in (nothing to flush)
                    self.progress(runner.counts)
                last_flush, pages = time.monotonic(), 0

    def _handle(self, item, runner: CrawlRunner, frontier: Frontier, store: Store) -> int:
        frontier.add(getattr(item, "links", None) or [])
        if isinstance(item, Fetched):
            runner.count(FETCHED)
            runner.requested[item.raw.url] = item.url
            runner.feed(item.raw)
            return 1
        if isinstance(item, NotModified):
            runner.count(NOT_MODIFIED)
            store.touch(item.page_url, runner.run_id)
            runner.settle(item.page_url, DONE, requested=item.url)
            return 1
        if isinstance(item, FetchFailed):
            if item.skipped:
                runner.count(item.counter or counters.SKIPPED)
                frontier.mark(item.url, SKIPPED, item.reason)
            else:
                runner.fail(item.url, "fetch", item.reason)
            return 0
        if isinstance(item, Processed):
            frontier.mark(item.url, DONE)
        return 0

    def _drain(self) -> None:
        """Empty the queue so no crawl thread stays blocked on a full one."""
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                return
