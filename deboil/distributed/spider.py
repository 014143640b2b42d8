"""The deboil spider on a shared frontier, and its conditional requests from Redis.

It decides what a response holds exactly as the single-machine spider does; it differs in
where things go: links leave with the items (the stream sink adds them to the frontier, so
they are never lost between a fetch and its lease's end), and a 304 follows the outlinks
the writer published for the page instead of a stored body this crawler does not have.
"""
from __future__ import annotations

import scrapy

from ..crawler.items import Fetched, NotModified
from ..crawler.spider import DeboilSpider

from .published import unpack_known


class DistributedSpider(DeboilSpider):
    name = "deboil-redis"

    def __init__(self, job, resume, sink, frontier, book, **kwargs):
        super().__init__(job, resume, sink, **kwargs)
        self.frontier = frontier
        self.book = book

    def parse(self, response):
        if response.status == 304:
            yield from self._not_modified(response)
            return
        for out in super().parse(response):
            if isinstance(out, scrapy.Request):
                continue  # its url is in the item's links: the sink queues it in Redis
            if isinstance(out, Fetched):
                out.outlinks = response.meta.get("deboil_outlinks")
            yield out

    def _not_modified(self, response):
        url, depth = response.meta["frontier_url"], response.meta["crawl_depth"]
        if self.job.max_pages and self.pages >= self.job.max_pages:
            return
        links, feeds = response.meta.get("deboil_known_outlinks") or ([], [])
        found = self.follow(links, depth + 1)
        if self.job.feeds:
            found += self.follow(feeds, depth, pages=False)
        yield NotModified(url, response.url, found)
        self._count_page()

    def page_links(self, response, depth: int) -> list[tuple[str, int]]:
        links = [link.url for link in self.links.extract_links(response)]
        feeds = []
        if self.job.feeds:
            feeds = [response.urljoin(f) for f in response.css(
                'link[rel="alternate"][type*="rss"]::attr(href),'
                'link[rel="alternate"][type*="atom"]::attr(href)').getall()]
        response.meta["deboil_outlinks"] = [links, feeds]  # for a 304 of a later run
        found = self.follow(links, depth + 1)
        return found + (self.follow(feeds, depth, pages=False) if feeds else [])

    def robots_parsed(self, robotparser, request):
        body = getattr(robotparser, "body", None)
        if not self.job.sitemaps or body is None:
            return None
        from scrapy.utils.sitemap import sitemap_urls_from_robots
        from twisted.internet.threads import deferToThread

        from ..crawler.items import Processed
        from ..crawler.spider import robots_url

        url = robots_url(request.url)
        if url in self.seen:
            return None
        self.seen.add(url)
        links = self.follow(sitemap_urls_from_robots(body, base_url=url), 0, pages=False)
        return deferToThread(self.sink.put, Processed(url, links))  # the sink queues them


class RedisConditionalMiddleware:
    """If-None-Match / If-Modified-Since from what the writer published for the url; its
    outlinks ride along in the request's meta for a 304."""

    def __init__(self, client, known_key: str):
        self.r = client
        self.known_key = known_key

    @classmethod
    def from_crawler(cls, crawler):
        from .keys import JobKeys, connect

        settings = crawler.settings
        return cls(connect(settings.get("DEBOIL_REDIS")), JobKeys(settings.get("DEBOIL_JOB")).known)

    def process_request(self, request):
        from urllib.parse import urlsplit

        if "frontier_url" not in request.meta or urlsplit(request.url).path == "/robots.txt":
            return None
        request.headers.pop(b"If-None-Match", None)
        request.headers.pop(b"If-Modified-Since", None)
        value = self.r.hget(self.known_key, request.url)
        if not value:
            return None
        try:
            etag, last_modified, outlinks = unpack_known(value)
        except Exception:  # an unreadable value: fetch in full
            return None
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        request.meta["deboil_known_outlinks"] = outlinks
        return None
