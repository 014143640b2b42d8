"""`deboil load PATH... --redis URL`: clean captured files here, store them through the writer.

The same files, sources and cleaning as `deboil load`; each cleaned page (or failure) goes
to the job's stream instead of a database, so a large WARC collection can be split over
several machines and still end in one corpus written by `deboil ingest`.
"""
from __future__ import annotations

import sys
import time
from collections import Counter

from ..crawler.files import iter_files
from ..crawler.sources import Failed, Skipped
from ..run.cores import usable_cores
from ..run.pool import CleanerPool
from .entries import fail_entry, page_entry
from .keys import JOBS, JobKeys, connect
from .published import redis_templates
from .stream_sink import MAX_BACKLOG

SEND_EVERY = 100  # entries per pipeline round trip


class StreamLoader:
    def __init__(self, redis_url: str, job: str, *, workers: int, timeout: float, err=None,
                 max_backlog: int = MAX_BACKLOG):
        self.r = connect(redis_url)
        self.r.sadd(JOBS, job)
        self.stream = JobKeys(job).stream
        self.err = err or sys.stderr
        self.max_backlog = max_backlog
        self.counts: Counter = Counter()
        self.lazy = workers >= usable_cores()  # as Runner: workers read files when they have every core
        self.pool = CleanerPool(workers, None, timeout, seal=True,
                                templates_from=redis_templates(redis_url))
        self._pending: list[dict] = []

    def feed(self, item) -> None:
        if isinstance(item, Skipped):
            self.counts["skipped"] += 1
        elif isinstance(item, Failed):
            self._fail(item.url, item.stage, item.reason)
        else:
            self._handle(self.pool.submit(item))

    def finish(self) -> Counter:
        try:
            self._handle(self.pool.drain())
            self._send()
        finally:
            self.pool.close()
            self.r.close()
        return self.counts

    def _handle(self, outcomes) -> None:
        for o in outcomes:
            self.counts["seen"] += 1
            if o.page is None:
                self._fail(o.raw.url, o.stage or "clean", o.reason or "unknown error")
            elif not o.page.text.strip():
                self._fail(o.raw.url, "extract", "no body text found")
            else:
                from ..db.codec import seal

                self.counts["sent"] += 1
                self._queue(page_entry(o.raw.url, o.page, o.raw, o.packed or seal(o.raw.body)))

    def _fail(self, url: str, stage: str, reason: str) -> None:
        self.counts["failed"] += 1
        print(f"deboil: {url}: {stage}: {reason}", file=self.err)
        self._queue(fail_entry(url, stage, reason))

    def _queue(self, fields: dict) -> None:
        self._pending.append(fields)
        if len(self._pending) >= SEND_EVERY:
            self._send()

    def _send(self) -> None:
        if not self._pending:
            return
        while self.r.xlen(self.stream) > self.max_backlog:  # the writer is behind: wait
            time.sleep(0.5)
        with self.r.pipeline(transaction=False) as p:
            for fields in self._pending:
                p.xadd(self.stream, fields)
            p.execute()
        self._pending = []


def load_to_stream(paths, redis_url: str, job: str, *, site: str | None, workers: int,
                   timeout: float, max_bytes: int, err=None) -> Counter:
    loader = StreamLoader(redis_url, job, workers=workers, timeout=timeout, err=err)
    try:
        for item in iter_files(paths, site=site, max_bytes=max_bytes, lazy=loader.lazy):
            loader.feed(item)
    finally:
        counts = loader.finish()
    return counts
