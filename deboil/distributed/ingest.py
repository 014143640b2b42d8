"""`deboil ingest`: the one writer from the jobs' Redis streams into SQLite.

Why a consumer group and not scrapy-redis's item list: an entry read from a list is gone,
so a writer killed before its commit loses it. Here an entry stays pending in the group
until this writer acknowledges it, which it does after the batch holding it committed. A
writer that starts claims (XAUTOCLAIM) whatever a dead writer left pending. The last stored
id of each stream is committed with the batch (table `stream_offsets`), so an entry that
comes again because the writer died between its commit and its XACK is skipped: a replay
adds no row and no version.
"""
from __future__ import annotations

import os
import signal
import socket
import sys
import time
from collections import Counter
from dataclasses import dataclass

from ..db import Store
from ..db.ingest import BatchExtras, stream_id, stream_offsets
from ..models import PageRecord

from ..run.runner import INPUT_DAMAGE
from .entries import FAIL, PAGE, SKIP, TOUCH, BadEntry, decode, entry_url
from .keys import GROUP, JOBS, JobKeys
from .published import pack_known, pack_template, publish

READ_COUNT = 500  # entries per batch (one transaction)
BLOCK_MS = 500  # a read waits this long for entries; a SIGTERM is seen within it
TEMPLATE_EVERY = 5.0  # seconds between publishing one site's template again


@dataclass
class IngestResult:
    run_id: int
    counts: Counter
    duration: float
    status: str


def stream_job(stream: str) -> str:
    """The job a stream key belongs to (deboil:JOB:stream)."""
    return stream[len("deboil:"):-len(":stream")]


class Writer:
    def __init__(self, client, store: Store, jobs: list[str] | None = None, *,
                 idle_exit: float | None = None, err=None, progress=None,
                 read_count: int = READ_COUNT):
        self.r = client
        self.store = store
        self.jobs = jobs
        self.idle_exit = idle_exit
        self.err = err or sys.stderr
        self.progress = progress
        self.read_count = read_count
        self.me = f"{socket.gethostname()}:{os.getpid()}"
        self.counts: Counter = Counter()
        self.stopping = False
        self.streams: list[str] = []
        self._template_sent: dict[str, float] = {}
        self._offsets = stream_offsets(store.conn)

    # --- streams ----------------------------------------------------------------------
    def discover(self) -> list[str]:
        """The streams to read: the given jobs', else every job crawlers announced."""
        jobs = self.jobs or sorted(j.decode() for j in self.r.smembers(JOBS))
        streams = [JobKeys(j).stream for j in jobs]
        for s in streams:
            if s not in self.streams:
                try:
                    self.r.xgroup_create(s, GROUP, id="0", mkstream=True)
                except Exception as exc:  # BUSYGROUP: it exists (the usual case)
                    if "BUSYGROUP" not in str(exc):
                        raise
                self.streams.append(s)
        return self.streams

    # --- the loop ---------------------------------------------------------------------
    def run(self) -> None:
        self.discover()
        for stream in list(self.streams):
            self.claim(stream)
        idle_since = time.monotonic()
        last_discover = time.monotonic()
        while not self.stopping:
            if not self.jobs and time.monotonic() - last_discover > 5:
                self.discover()
                last_discover = time.monotonic()
            if not self.streams:
                time.sleep(BLOCK_MS / 1000)
                got = []
            else:
                got = self.r.xreadgroup(GROUP, self.me, {s: ">" for s in self.streams},
                                        count=self.read_count, block=BLOCK_MS)
            entries = [(s.decode(), i.decode(), f) for s, items in got for i, f in items]
            if entries:
                self.store_batch(entries)
                idle_since = time.monotonic()
            elif self.idle_exit is not None and time.monotonic() - idle_since >= self.idle_exit:
                return

    def claim(self, stream: str) -> None:
        """Take over and store what a dead writer read and did not acknowledge."""
        cursor = "0-0"
        while not self.stopping:
            cursor, items, *_ = self.r.xautoclaim(stream, GROUP, self.me, min_idle_time=0,
                                                  start_id=cursor, count=self.read_count)
            entries = [(stream, i.decode(), f) for i, f in items if f]
            if entries:
                self.store_batch(entries)
            if isinstance(cursor, bytes):
                cursor = cursor.decode()
            if cursor == "0-0":
                return

    # --- one batch --------------------------------------------------------------------
    def store_batch(self, entries: list[tuple[str, str, dict]]) -> None:
        extras = BatchExtras(self.run_id)
        items, known_by_job, done = [], {}, []
        sites = set()
        counts: Counter = Counter()
        for stream, eid, data in entries:
            done.append((stream, eid))
            if stream_id(eid) <= self._offsets.get(stream, (0, -1)):
                counts["replayed"] += 1  # committed by a writer that died before its XACK
                # ... and perhaps before it published the page's validators: publish them
                # again (idempotent), or the next cycle fetches the page whole.
                self._replayed_known(stream, data, known_by_job)
                continue
            extras.offsets[stream] = eid
            try:
                e = decode(data)
            except BadEntry as exc:
                self._fail(extras, counts, entry_url(data), "ingest", str(exc))
                continue
            if e.kind == PAGE:
                items.append(PageRecord(e.page, e.raw, e.packed))
                for code, reason in INPUT_DAMAGE.items():
                    if e.page.issues.get(code):
                        counts["warnings"] += 1
                        extras.failures.append((e.raw.url, "decode", "warning",
                                                reason.format(enc=e.page.encoding)))
                _add_known(known_by_job, stream, e)
                if e.page.site:
                    sites.add(e.page.site)
            elif e.kind == FAIL:
                self._fail(extras, counts, e.url, e.stage, e.reason)
            elif e.kind == TOUCH:
                counts["not_modified"] += 1
                extras.touched.append(e.reason)
            elif e.kind == SKIP:
                counts[e.counter or "skipped"] += 1
        saved = self.store.save_batch(items, self.run_id, also=extras) if (items or extras.offsets) else []
        for s in saved:
            counts[s.outcome] += 1
        for stream, eid in extras.offsets.items():
            self._offsets[stream] = stream_id(eid)
        # Publish before acknowledging: a writer killed in between leaves the entries
        # pending, and the one that claims them publishes their validators again.
        self._publish(known_by_job, sites)
        self._acknowledge(done)
        self.counts.update(counts)
        if self.progress:
            self.progress(self.counts)

    @staticmethod
    def _replayed_known(stream: str, data: dict, known_by_job: dict[str, dict]) -> None:
        try:
            e = decode(data)
        except BadEntry:
            return  # recorded as a failure by the writer that committed it
        if e.kind == PAGE:
            _add_known(known_by_job, stream, e)

    def _fail(self, extras: BatchExtras, counts: Counter, url: str, stage: str, reason: str) -> None:
        counts["failed"] += 1
        extras.failures.append((url, stage, "error", reason))
        print(f"deboil: {url}: {stage}: {reason}", file=self.err)

    def _acknowledge(self, done: list[tuple[str, str]]) -> None:
        """After the commit: acknowledge, then delete (the stream holds raw bytes; what is
        stored need not stay in Redis's memory)."""
        by_stream: dict[str, list[str]] = {}
        for stream, eid in done:
            by_stream.setdefault(stream, []).append(eid)
        with self.r.pipeline(transaction=False) as p:
            for stream, ids in by_stream.items():
                p.xack(stream, GROUP, *ids)
                p.xdel(stream, *ids)
            p.execute()

    def _publish(self, known_by_job: dict[str, dict], sites: set[str]) -> None:
        now = time.monotonic()
        templates = {}
        for site in sites:
            if now - self._template_sent.get(site, -1e9) >= TEMPLATE_EVERY:
                self._template_sent[site] = now
                templates[site] = pack_template(self.store.site_template(site))
        for job, known in known_by_job.items():
            publish(self.r, job, known, {})
        if templates:
            publish(self.r, "-", {}, templates)

    # --- run bookkeeping --------------------------------------------------------------
    def open_run(self, options: dict) -> None:
        self.run_id = self.store.begin_run("ingest", options, ",".join(self.jobs or []) or None)
        self._t0 = time.monotonic()

    def close_run(self, status: str) -> IngestResult:
        # Templates of the last few seconds' sites, so the next crawl starts with them.
        self._template_sent.clear()
        duration = time.monotonic() - self._t0
        self.store.end_run(self.run_id, status, dict(self.counts), {}, round(duration, 3))
        return IngestResult(self.run_id, self.counts, duration, status)


def run_ingest(redis_url: str, db_path: str, jobs: list[str] | None = None, *,
               idle_exit: float | None = None, err=None, progress=None) -> IngestResult:
    """Raises deboil.crawl.Busy (another writer on this database), db.UnusableDatabase,
    keys.RedisUnavailable."""
    from ..run.crawl import job_lock
    from .keys import RedisUnavailable, connect

    client = connect(redis_url)
    with job_lock(db_path, "ingest"):
        store = Store(db_path)
        writer = Writer(client, store, jobs, idle_exit=idle_exit, err=err, progress=progress)
        writer.open_run({"redis": _safe_url(redis_url), "jobs": jobs, "idle_exit": idle_exit})

        def stop(signum, frame):
            writer.stopping = True  # the batch in hand is stored and acknowledged first

        old = {s: signal.signal(s, stop) for s in (signal.SIGTERM, signal.SIGINT)}
        status = "ok"
        try:
            writer.run()
        except BaseException as exc:
            status = f"aborted: {type(exc).__name__}: {exc}"
            import redis

            if isinstance(exc, redis.RedisError):
                raise RedisUnavailable(f"{_safe_url(redis_url)}: {exc}") from exc
            raise
        finally:
            for s, handler in old.items():
                signal.signal(s, handler)
            try:
                result = writer.close_run("stopped" if writer.stopping and status == "ok" else status)
            finally:
                store.close()
                client.close()
        return result


def _safe_url(url: str) -> str:
    """The url without its password, for the runs row."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    if parts.password:
        netloc = f"{parts.username or ''}:***@{parts.hostname}" + (f":{parts.port}" if parts.port else "")
        return urlunsplit(parts._replace(netloc=netloc))
    return url


def _add_known(known_by_job: dict[str, dict], stream: str, e) -> None:
    """The page's validators and outlinks, for the crawlers' conditional requests."""
    etag, modified = e.raw.headers.get("etag"), e.raw.headers.get("last-modified")
    if (etag or modified) and e.outlinks is not None:
        known_by_job.setdefault(stream_job(stream), {})[e.raw.url] = pack_known(etag, modified, e.outlinks)
