"""`deboil crawl --redis`: one crawler process of a job shared by any number of them.

No database and no job lock: the job's state is in Redis (frontier.py), its pages go to
the job's stream for `deboil ingest`. Any number of these, on any machines, share the work.
"""
from __future__ import annotations

import logging
import os
import secrets
import socket
import time
from collections import Counter
from dataclasses import dataclass

import redis

from ..models import ResumeState
from ..crawler.jobs import Job
from ..crawler.settings import crawl_settings

from .frontier import RedisFrontier
from .keys import JOBS, RedisUnavailable, connect
from .leases import LeaseBook
from .stream_sink import StreamSink

LEASE_SECONDS = 60.0


@dataclass
class DistributedOutcome:
    counts: Counter
    duration: float
    resumed: bool
    finish_reason: str | None

    @property
    def exit_code(self) -> int:
        if self.finish_reason == "shutdown":
            return 130
        return 1 if self.counts["failed"] else 0


def redis_settings(job: Job, redis_url: str, log_level: str, lease_seconds: float) -> dict:
    settings = crawl_settings(job, None, log_level)
    middlewares = dict(settings["DOWNLOADER_MIDDLEWARES"])
    middlewares.pop("deboil.crawler.middlewares.ConditionalRequestMiddleware", None)
    middlewares["deboil.distributed.spider.RedisConditionalMiddleware"] = 560
    return {**settings, "DOWNLOADER_MIDDLEWARES": middlewares,
            "SCHEDULER": "deboil.distributed.scheduler.RedisScheduler",
            "DEBOIL_REDIS": redis_url, "DEBOIL_JOB": job.name,
            "DEBOIL_LEASE_SECONDS": lease_seconds}


def run_distributed_crawl(job: Job, redis_url: str, *, workers: int = 1,
                          clean_timeout: float = 60.0, lease_seconds: float = LEASE_SECONDS,
                          err=None, log_level: str = "ERROR") -> DistributedOutcome:
    """Crawl until the job's shared frontier is empty. Raises keys.RedisUnavailable.
    Call at most once per process (Twisted's reactor cannot be restarted)."""
    from scrapy.crawler import CrawlerProcess

    from ..run.crawl import seed_entries
    from .spider import DistributedSpider

    t0 = time.monotonic()
    client = connect(redis_url)
    holder = f"{socket.gethostname()}:{os.getpid()}:{secrets.token_hex(3)}"
    frontier = RedisFrontier(client, job.name, holder, delay=job.delay, lease_seconds=lease_seconds)
    client.sadd(JOBS, job.name)  # `deboil ingest` without --job reads every announced job
    resumed = frontier.start_cycle(seed_entries(job))
    book = LeaseBook()
    sink = StreamSink(redis_url, job, holder, book, workers=workers, timeout=clean_timeout,
                      lease_seconds=lease_seconds, err=err)
    sink.start()  # forks the cleaning processes before the reactor runs
    process = CrawlerProcess(redis_settings(job, redis_url, log_level, lease_seconds))
    if log_level == "ERROR":
        logging.getLogger("scrapy.downloadermiddlewares.robotstxt").setLevel(logging.CRITICAL)
    reason = None
    try:
        crawler = process.create_crawler(DistributedSpider)
        sink.on_error = lambda: _stop_from_thread(process)
        # Seeds are in the frontier already: the spider starts from nothing and takes work
        # from Redis like every other crawler of the job.
        process.crawl(crawler, job=job, resume=ResumeState(resumed), sink=sink,
                      frontier=frontier, book=book)
        process.start()
        reason = crawler.stats.get_value("finish_reason") if crawler.stats else None
    finally:
        try:
            counts = sink.close()
        except redis.RedisError as exc:
            raise RedisUnavailable(f"{redis_url}: {exc}") from exc
        finally:
            # Leases of requests Scrapy dropped while closing (max_pages, SIGTERM): back now.
            frontier.give_back(book.take_all())
            client.close()
    return DistributedOutcome(counts, time.monotonic() - t0, resumed, reason)


def _stop_from_thread(process) -> None:
    from twisted.internet import reactor

    reactor.callFromThread(process.stop)
