"""Run one crawl job in this process: lock, frontier, writer thread, Scrapy, summary.

Exit codes (as for `deboil load`, plus busy): 0 ok, 1 some urls failed (see `failures`),
2 usage error or unusable database, 3 the job is already running.
"""
from __future__ import annotations

import fcntl
import logging
import os
import re
import sys
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass
from typing import Callable

from deboil.db import Store, UnusableDatabase

from deboil.db.frontier import Frontier
from deboil.crawler.jobs import Job
from deboil.crawler.settings import crawl_settings
from deboil.crawler.spider import robots_url

from deboil.run.counters import CHANGED, NEW
from deboil.run.crawl_sink import CrawlSink

EXIT_OK, EXIT_FAILURES, EXIT_USAGE, EXIT_BUSY = 0, 1, 2, 3


class Busy(Exception):
    """Another run of the same job holds its lock."""


@dataclass
class CrawlOutcome:
    result: object  # deboil.runner.RunResult
    resumed: bool
    finish_reason: str | None

    @property
    def exit_code(self) -> int:
        return self.result.exit_code


_held_locks: set[int] = set()


def _drop_locks_in_child() -> None:
    # A forked cleaning process must not keep a job lock alive after its parent is killed.
    for fd in list(_held_locks):
        try:
            os.close(fd)
        except OSError:
            pass
    _held_locks.clear()


os.register_at_fork(after_in_child=_drop_locks_in_child)


def lock_path(db_path: str, job_name: str) -> str:
    """Beside the real database file: the same file reached through a symlink or another
    relative path must meet the same lock."""
    real = os.path.realpath(db_path)
    return f"{real}.{re.sub(r'[^A-Za-z0-9._-]+', '_', job_name)}.lock"


@contextmanager
def job_lock(db_path: str, job_name: str):
    """An OS lock per (database, job): released by the kernel even if the run is SIGKILLed."""
    path = lock_path(db_path, job_name)
    try:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
    except OSError as exc:
        raise UnusableDatabase(f"{db_path}: cannot create the lock file {path}: {exc}") from exc
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            holder = os.pread(fd, 32, 0).decode(errors="replace").strip()
            raise Busy(f"job {job_name!r} is already running"
                       f"{' (pid ' + holder + ')' if holder else ''}; lock {path}") from None
        _held_locks.add(fd)
        os.ftruncate(fd, 0)
        os.pwrite(fd, f"{os.getpid()}\n".encode(), 0)  # for people, not for the lock
        yield path
    finally:
        _held_locks.discard(fd)
        os.close(fd)


def seed_entries(job: Job) -> list[tuple[str, int]]:
    """The seeds, after the robots.txt of each seed host (for its Sitemap: lines) when the
    job does not obey robots.txt. When it does, Scrapy fetches the file anyway, and the
    spider reads the Sitemap: lines from that fetch (DeboilSpider.robots_parsed)."""
    entries: list[tuple[str, int]] = []
    if job.sitemaps and not job.obey_robots:
        for url in dict.fromkeys(robots_url(s) for s in job.seeds):
            entries.append((url, 0))
    entries += [(s, 0) for s in dict.fromkeys(job.seeds)]
    return entries


def run_crawl(job: Job, db_path: str, *, workers: int = 1, clean_timeout: float = 60.0,
              progress: Callable | None = None, err=None, log_level: str = "ERROR",
              fresh: bool = False) -> CrawlOutcome:
    """Crawl once. Raises Busy, db.UnusableDatabase. Call at most once per process
    (Twisted's reactor cannot be restarted)."""
    from scrapy.crawler import CrawlerProcess

    from deboil.crawler.spider import DeboilSpider

    with ExitStack() as held:
        try:
            held.enter_context(job_lock(db_path, job.name))
        except Busy as exc:
            record_busy(db_path, job, str(exc))
            raise
        store = Store(db_path)
        try:
            # We hold the job's lock: a crawl of this job still 'running' died (SIGKILL, power).
            store.mark_dead_runs("crawl", job.name)
            resume = Frontier(store.conn, job.name).start_cycle(seed_entries(job), fresh)
        finally:
            store.close()
        # The writer starts (and forks its cleaning processes) before the reactor runs.
        sink = CrawlSink(db_path, job, workers=workers, timeout=clean_timeout,
                         progress=progress, err=err)
        sink.start()
        process = CrawlerProcess(crawl_settings(job, db_path, log_level))
        # An unreachable robots.txt is logged with a traceback; its host's pages fail and are
        # recorded anyway, so keep the cron log to deboil's one line per failure.
        if log_level == "ERROR":
            logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
        try:
            crawler = process.create_crawler(DeboilSpider)
            sink.on_error = lambda: _stop_from_thread(process)
            process.crawl(crawler, job=job, resume=resume, sink=sink)
            process.start()
        except BaseException:
            sink.close("aborted")  # store what was cleaned and close the runs row, then fail
            raise
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
        status = "interrupted" if reason == "shutdown" else None
        result = sink.close(status)
        if (result.counts[NEW] or result.counts[CHANGED]) and status is None:
            # As `load` does: re-clean this run's pages with the template it learned.
            from deboil.run.templates_pass import reclean_template_sites

            store = Store(db_path)
            try:
                reclean_template_sites(store, result, workers=workers, timeout=clean_timeout,
                                       changed_only=True)
            finally:
                store.close()
        return CrawlOutcome(result, resume.resumed, reason)


def record_busy(db_path: str, job: Job, reason: str) -> None:
    """A runs row for a run that did not start (status `busy`), so a scheduler's history
    shows the skipped slot, not a gap. Best effort: the busy exit itself is what matters,
    so a failure to record it is reported and does not change the exit."""
    try:
        store = Store(db_path)
        try:
            store.record_run("crawl", {**job.options(), "busy": reason}, job.name, "busy")
        finally:
            store.close()
    except Exception as exc:  # noqa: BLE001
        print(f"deboil: could not record the busy run in {db_path}: {exc}", file=sys.stderr)


def _stop_from_thread(process) -> None:
    from twisted.internet import reactor

    reactor.callFromThread(process.stop)
