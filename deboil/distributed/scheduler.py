"""A Scrapy scheduler on the shared frontier, with leases.

Requests come from Redis, not from the spider: a feeder call takes leased entries while
this crawler has room (leases held below `capacity`) and injects them with `engine.crawl`,
which wakes the engine at once. The spider's own link requests never reach the scheduler
(the stream sink adds links to the frontier); seeds do, and go to Redis like any link.
A request carrying a lease (a redirect or retry of a taken url) stays local.

The spider closes when this crawler holds nothing, its sink has sent everything, and the
shared frontier has nothing queued or leased by anyone: other crawlers' pages may still
add links, and a dead crawler's leases come back when they expire.
"""
from __future__ import annotations

from collections import deque

from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from twisted.internet import task

from .frontier import parse_entry

FEED_SECONDS = 0.05


class RedisScheduler:
    def __init__(self, crawler):
        self.crawler = crawler
        self.local: deque = deque()
        self.capacity = 2 * crawler.settings.getint("CONCURRENT_REQUESTS", 16)
        self.lease_seconds = crawler.settings.getfloat("DEBOIL_LEASE_SECONDS", 60.0)
        self.closing = False
        self._calls: list[task.LoopingCall] = []

    @classmethod
    def from_crawler(cls, crawler):
        scheduler = cls(crawler)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider):
        self.spider = spider
        self.frontier = spider.frontier
        self.book = spider.book
        for call, every in ((self._feed, FEED_SECONDS), (self._renew, self.lease_seconds / 3)):
            lc = task.LoopingCall(call)
            lc.start(every, now=False)
            self._calls.append(lc)

    def close(self, reason):
        self.closing = True
        for lc in self._calls:
            if lc.running:
                lc.stop()
        # Taken but never downloaded: back to the queue now, not after the lease time.
        unfetched = [r.meta["lease"] for r in self.local]
        for r in self.local:
            self.book.end(r.meta["frontier_url"])
        self.frontier.give_back(unfetched)
        self.local.clear()

    def has_pending_requests(self) -> bool:
        return bool(self.local)

    def enqueue_request(self, request) -> bool:
        if "lease" in request.meta:
            self.local.append(request)
        else:
            self.frontier.add([(request.meta.get("frontier_url", request.url),
                                request.meta.get("crawl_depth", 0))])
        return True

    def next_request(self):
        """The first taken request whose host has room in the downloader. Scrapy counts a
        request waiting in a busy host's slot against the whole crawler's concurrency, so
        handing out requests in taken order would leave idle hosts waiting behind it; a
        download that ends asks again."""
        downloader = self.crawler.engine.downloader
        for i, request in enumerate(self.local):
            slot = downloader.slots.get(downloader.get_slot_key(request))
            if slot is None or len(slot.active) < slot.concurrency:
                del self.local[i]
                return request
        return None

    # --- the shared frontier ------------------------------------------------------------
    def _feed(self) -> None:
        if self.closing:
            return
        room = self.capacity - len(self.book)
        taken = []
        if room > 0:
            taken, _, _ = self.frontier.take(min(room, 100))
        for entry in taken:
            url, depth = parse_entry(entry)
            self.book.hold(url, entry)
            request = self.spider.request(url, depth)
            request.meta["lease"] = entry
            self.crawler.engine.crawl(request)
        if not taken and self._finished():
            self.closing = True
            from scrapy.utils.defer import deferred_from_coro

            deferred_from_coro(self.crawler.engine.close_spider_async(reason="finished"))

    def _renew(self) -> None:
        self.frontier.renew(self.book.entries())

    def _finished(self) -> bool:
        if len(self.book) or self.local or not self.spider.sink.idle():
            return False
        if not self.crawler.engine.spider_is_idle():
            return False
        return self.frontier.pending() == (0, 0)

    def spider_idle(self, spider):
        if not self._finished():
            raise DontCloseSpider
