"""A crawler's sink on Redis: cleans what the spider yields and sends it to the job's stream.

The same `put` as the single-machine CrawlSink (the spider cannot tell them apart), but no
database: links go to the shared frontier at once, pages are cleaned in this crawler's
worker pool (sealed: the raw body compressed and hashed there), and each url's outcome is
XADDed to the stream before its lease ends, in one pipeline per flush. A crawler killed
anywhere in between leaves the lease to expire, and the url is fetched again elsewhere.
"""
from __future__ import annotations

import queue
import sys
import threading
import time
from collections import Counter

from ..crawler.items import Fetched, FetchFailed, NotModified, Processed

from ..run.crawl_sink import stop_thread
from ..run.pool import CleanerPool
from .entries import fail_entry, page_entry, skip_entry, touch_entry
from .frontier import RedisFrontier
from .keys import connect
from .leases import LeaseBook
from .published import redis_templates

FLUSH_SECONDS = 0.1
FLUSH_ENTRIES = 50
# Stream entries not yet stored by the writer above which crawlers wait: a stopped writer
# must not let the stream fill Redis's memory (entries hold compressed raw pages).
MAX_BACKLOG = 20_000
_STOP = object()


class StreamSink:
    def __init__(self, redis_url: str, job, holder: str, book: LeaseBook, *, workers: int,
                 timeout: float = 60.0, lease_seconds: float = 60.0, err=None,
                 maxsize: int = 64, max_backlog: int = MAX_BACKLOG):
        self.redis_url = redis_url
        self.job = job
        self.holder = holder
        self.book = book
        self.workers = workers
        self.timeout = timeout
        self.lease_seconds = lease_seconds
        self.err = err or sys.stderr
        self.max_backlog = max_backlog
        self.counts: Counter = Counter()
        for key in ("fetched", "sent", "not_modified", "failed", "robots_skipped"):
            self.counts[key] += 0
        self.queue: queue.Queue = queue.Queue(maxsize=maxsize)
        self.error: BaseException | None = None
        self.on_error = None
        self._busy = 0  # items put and not yet settled (links added, outcome queued to send)
        self._busy_lock = threading.Lock()
        self._inflight: dict[int, tuple] = {}  # id(raw) -> (frontier url, outlinks)
        self._entries: list[dict] = []  # to XADD at the next flush
        self._releases: list[str] = []  # leases to end after those XADDs
        self._ready = threading.Event()
        self._thread = threading.Thread(target=self._main, name="deboil-stream", daemon=True)

    # --- called from other threads ------------------------------------------------------
    def start(self) -> None:
        self._thread.start()
        self._ready.wait()
        if self.error:
            raise self.error

    def put(self, item) -> None:
        if self.error is None:
            with self._busy_lock:
                self._busy += 1
            self.queue.put(item)

    def idle(self) -> bool:
        """Nothing queued, cleaning or unsent: every outcome so far is in the stream."""
        return self._busy == 0 and not self._entries and not self._releases

    def close(self) -> Counter:
        stop_thread(self.queue, self._thread, _STOP)
        if self.error:
            raise self.error
        return self.counts

    # --- the sink thread ----------------------------------------------------------------
    def _main(self) -> None:
        try:
            self.r = connect(self.redis_url)
            self.frontier = RedisFrontier(self.r, self.job.name, self.holder,
                                          delay=self.job.delay, lease_seconds=self.lease_seconds)
            self.stream = self.frontier.keys.stream
            self.pool = CleanerPool(self.workers, None, self.timeout, seal=True,
                                    templates_from=redis_templates(self.redis_url))
        except BaseException as exc:
            self.error = exc
            self._ready.set()
            return
        self._ready.set()
        try:
            self._loop()
            self._emit(self.pool.drain())
            self._flush()
        except BaseException as exc:  # Redis went away for good: stop the crawl
            self.error = exc
            self._drain_queue()
            if self.on_error:
                self.on_error()
        finally:
            self.pool.close()
            self.r.close()

    def _loop(self) -> None:
        last_flush = time.monotonic()
        while True:
            try:
                item = self.queue.get(timeout=FLUSH_SECONDS / 2)
            except queue.Empty:
                item = None
            if item is _STOP:
                return
            if item is not None:
                self._handle(item)
            self._emit(self.pool.collect())
            if len(self._entries) >= FLUSH_ENTRIES or (
                    time.monotonic() - last_flush >= FLUSH_SECONDS and (self._entries or self._releases)):
                self._flush()
                last_flush = time.monotonic()

    def _handle(self, item) -> None:
        links = getattr(item, "links", None)
        if links:
            self.frontier.add(links)  # before the lease ends: a crash here loses no link
        if isinstance(item, Fetched):
            self.counts["fetched"] += 1
            self._inflight[id(item.raw)] = (item.url, getattr(item, "outlinks", None))
            self._emit(self.pool.submit(item.raw))
            return
        if isinstance(item, NotModified):
            self.counts["not_modified"] += 1
            self._send(item.url, touch_entry(item.url, item.page_url))
        elif isinstance(item, FetchFailed):
            if item.skipped:
                self.counts[item.counter or "skipped"] += 1
                self._send(item.url, skip_entry(item.url, item.reason, item.counter or "skipped"))
            else:
                self._fail(item.url, item.url, "fetch", item.reason)
        elif isinstance(item, Processed):
            self._send(item.url, None)

    def _emit(self, outcomes) -> None:
        for o in outcomes:
            url, outlinks = self._inflight.pop(id(o.raw), (o.raw.url, None))
            if o.page is None:
                self._fail(url, o.raw.url, o.stage or "clean", o.reason or "unknown error")
            elif not o.page.text.strip():
                self._fail(url, o.raw.url, "extract", "no body text found")
            else:
                from ..db.codec import seal

                packed = o.packed or seal(o.raw.body)
                self.counts["sent"] += 1
                self._send(url, page_entry(url, o.page, o.raw, packed, outlinks))

    def _fail(self, url: str, page_url: str, stage: str, reason: str) -> None:
        self.counts["failed"] += 1
        print(f"deboil: {page_url}: {stage}: {reason}", file=self.err)
        self._send(url, fail_entry(page_url, stage, reason))

    def _send(self, url: str, fields: dict | None) -> None:
        """Queue the outcome of frontier url `url` (None: nothing to store) and its lease's end."""
        if fields is not None:
            self._entries.append(fields)
        lease = self.book.end(url)
        if lease:
            self._releases.append(lease)
        with self._busy_lock:
            self._busy -= 1

    def _flush(self) -> None:
        if not (self._entries or self._releases):
            return
        self._wait_for_writer()
        with self.r.pipeline(transaction=False) as p:
            for fields in self._entries:
                p.xadd(self.stream, fields)
            self.frontier.release(self._releases, pipe=p)
            p.execute()
        self._entries, self._releases = [], []

    def _wait_for_writer(self) -> None:
        while self.r.xlen(self.stream) > self.max_backlog:
            time.sleep(0.5)

    def _drain_queue(self) -> None:
        while True:
            try:
                self.queue.get_nowait()
            except queue.Empty:
                return
