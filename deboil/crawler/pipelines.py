"""Item pipeline: where items leave Scrapy for deboil's writer thread."""
from __future__ import annotations

from scrapy.utils.defer import deferred_to_future
from twisted.internet.threads import deferToThread


class SinkPipeline:
    """Hand each item to the spider's CrawlSink.

    The sink's queue is bounded; putting from a pool thread lets a full queue slow the
    crawl down (back-pressure) without ever blocking the reactor.
    """

    def __init__(self, crawler):
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    async def process_item(self, item):
        await deferred_to_future(deferToThread(self.crawler.spider.sink.put, item))
        return item
