"""The deboil spider: seeds, robots.txt sitemaps, sitemaps, feeds and links, within a job.

One callback sorts responses by what they are (robots.txt, sitemap, feed, HTML page, or
something else, which is a failure) and yields one item per requested url; the errback turns
every fetch error into a `FetchFailed` item. Persistence, cleaning and limits on politeness
live elsewhere (pipeline, sink, settings): the spider only decides what to fetch next.
"""
from __future__ import annotations

import re
import zlib
from urllib.parse import urldefrag, urlsplit

import scrapy
from scrapy import signals
from scrapy.exceptions import (
    CannotResolveHostError,
    CloseSpider,
    DownloadCancelledError,
    DownloadConnectionRefusedError,
    DownloadTimeoutError,
    IgnoreRequest,
)
from scrapy.linkextractors import LinkExtractor
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.sitemap import Sitemap, sitemap_urls_from_robots
from twisted.internet.error import ConnectionRefusedError as TxConnectionRefused
from twisted.internet.error import TimeoutError as TxTimeoutError
from twisted.internet.error import TCPTimedOutError
from twisted.internet.defer import CancelledError
from twisted.internet.threads import deferToThread

from deboil.models import RawPage

from deboil.models import ResumeState
from deboil.crawler.items import Fetched, FetchFailed, NotModified, Processed
from deboil.crawler.jobs import Job
from deboil.crawler.robots import RobotsDisallowed

HTML_TYPES = {"text/html", "application/xhtml+xml"}
# Where sites keep a feed they do not link: asked for once per host when a seed page of
# the host links none. A guess that is missing or not a feed is no failure.
FEED_GUESSES = ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml")
XML_TYPES = {"application/xml", "text/xml", "application/rss+xml", "application/atom+xml",
             "application/rdf+xml", "application/x-gzip", "application/gzip"}


def robots_url(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/robots.txt"


class DeboilSpider(scrapy.Spider):
    name = "deboil"
    handle_httpstatus_list = [304]  # conditional requests answered "not modified"

    def __init__(self, job: Job, resume: ResumeState, sink, **kwargs):
        super().__init__(**kwargs)
        self.job = job
        self.resume = resume
        self.sink = sink
        self.allowed_domains = list(job.allowed_domains)
        # Origins are checked by `follow` (LinkExtractor's allow_domains misses IP hosts
        # and ports), and again by OriginGuardMiddleware for every request.
        self.origins = job.origins()
        self.links = LinkExtractor(allow=job.allow, deny=job.deny)
        self._allow = [re.compile(p) for p in job.allow]
        self._deny = [re.compile(p) for p in job.deny]
        self.seen: set[str] = set(resume.handled)
        self.pages = 0
        self.feed_guess_hosts: set[str] = set()

    @classmethod
    def from_crawler(cls, crawler, *args, **kwargs):
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider.robots_parsed, signal=signals.robots_parsed)
        return spider

    # --- what to fetch ------------------------------------------------------------------
    async def start(self):
        for url, depth in self.resume.queued:
            self.seen.add(url)
            yield self.request(url, depth)

    def request(self, url: str, depth: int) -> scrapy.Request:
        # dont_filter: `seen` is the dupe filter (it also knows what an interrupted run of
        # this cycle handled); RedirectGuardMiddleware keeps redirects on the allowed hosts.
        return scrapy.Request(url, callback=self.parse, errback=self.failed, dont_filter=True,
                              meta={"frontier_url": url, "crawl_depth": depth})

    def wanted(self, url: str) -> bool:
        """A page url inside the job: allowed origin, matching allow/deny patterns."""
        if not self.origins.allows(url):
            return False
        if any(p.search(url) for p in self._deny):
            return False
        return not self._allow or any(p.search(url) for p in self._allow)

    def follow(self, urls, depth: int, pages: bool = True) -> list[tuple[str, int]]:
        """New (url, depth) pairs worth fetching; the caller yields their requests.

        `pages=False` for sitemaps and feeds: they need an allowed origin, not the patterns.
        """
        out = []
        if depth > self.job.depth:
            return out
        for url in urls:
            url = urldefrag(url)[0]
            if url in self.seen or not self.origins.allows(url):
                continue
            if pages and not self.wanted(url):
                continue
            self.seen.add(url)
            out.append((url, depth))
        return out

    # --- responses ----------------------------------------------------------------------
    def parse(self, response):
        url = response.meta["frontier_url"]
        depth = response.meta["crawl_depth"]
        if self.job.max_pages and self.pages >= self.job.max_pages:
            return  # arrived while closing: it stays queued for the next run
        if response.status == 304:
            # ConditionalRequestMiddleware put the stored page in the body: follow its links.
            links = self.page_links(response, depth) if response.body else []
            yield NotModified(url, response.url, links)
            yield from (self.request(u, d) for u, d in links)
            self._count_page()
            return
        kind = self.kind_of(response)
        if kind not in ("feed", "sitemap") and self.is_feed_guess(url):
            yield Processed(url)  # a guessed feed location that holds something else
            return
        try:
            links = self.links_of(kind, response, depth)
        except TooLarge as exc:
            yield FetchFailed(url, str(exc))
            return
        if kind == "html":
            yield Fetched(url, self.raw_page(response), links)
            yield from (self.request(u, d) for u, d in links)
            self._count_page()
            return
        if kind == "other":
            ctype = response.headers.get("Content-Type", b"").decode("latin-1") or "none"
            yield FetchFailed(url, f"not HTML: content type {ctype}")
            return
        yield Processed(url, links)
        yield from (self.request(u, d) for u, d in links)

    def links_of(self, kind: str, response, depth: int) -> list[tuple[str, int]]:
        if kind == "robots":
            found = sitemap_urls_from_robots(response.body, base_url=response.url)
            return self.follow(found, depth, pages=False) if self.job.sitemaps else []
        if kind == "sitemap":
            locs, is_index = self.sitemap_locs(response)
            return self.follow(locs, depth, pages=not is_index)
        if kind == "feed":
            return self.follow(self.feed_links(response), depth)
        if kind == "html":
            return self.page_links(response, depth)
        return []

    def robots_parsed(self, robotparser, request):
        """A host's robots.txt as fetched by RobotsTxtMiddleware (before the first request to
        the host): its Sitemap: lines are followed from here, so the file is asked for once."""
        body = getattr(robotparser, "body", None)  # None: ROBOTSTXT_PARSER was changed
        if not self.job.sitemaps or body is None:
            return None
        url = robots_url(request.url)
        if url in self.seen:  # read by this cycle already (a resumed run)
            return None
        self.seen.add(url)
        links = self.follow(sitemap_urls_from_robots(body, base_url=url), 0, pages=False)
        # Through the sink like any item (the frontier records the links), then fetched.
        done = deferToThread(self.sink.put, Processed(url, links))
        done.addCallback(lambda _: [self.crawler.engine.crawl(self.request(u, d)) for u, d in links])
        return done

    def page_links(self, response, depth: int) -> list[tuple[str, int]]:
        links = self.follow([link.url for link in self.links.extract_links(response)], depth + 1)
        if self.job.feeds:
            feeds = response.css('link[rel="alternate"][type*="rss"]::attr(href),'
                                 'link[rel="alternate"][type*="atom"]::attr(href)').getall()
            links += self.follow([response.urljoin(f) for f in feeds], depth, pages=False)
            if not feeds and response.meta.get("frontier_url") in self.job.seeds:
                links += self.guess_feeds(response.url)
        return links

    def guess_feeds(self, url: str) -> list[tuple[str, int]]:
        parts = urlsplit(url)
        if parts.netloc in self.feed_guess_hosts:
            return []
        self.feed_guess_hosts.add(parts.netloc)
        return self.follow([f"{parts.scheme}://{parts.netloc}{p}" for p in FEED_GUESSES], 0,
                           pages=False)

    @staticmethod
    def is_feed_guess(url: str) -> bool:
        return urlsplit(url).path in FEED_GUESSES

    def _count_page(self) -> None:
        self.pages += 1
        if self.job.max_pages and self.pages >= self.job.max_pages:
            raise CloseSpider("max_pages")

    @staticmethod
    def kind_of(response) -> str:
        if response.meta.get("robots") or urlsplit(response.url).path == "/robots.txt":
            return "robots"
        ctype = response.headers.get("Content-Type", b"").decode("latin-1").split(";")[0].strip().lower()
        head = response.body[:1024].lstrip().lower()
        if ctype in XML_TYPES or ctype.endswith("+xml") or head.startswith(b"<?xml") or head[:2] == b"\x1f\x8b":
            body = _gunzip_head(response.body, 2048)  # a sniff never inflates the whole body
            if b"<urlset" in body or b"<sitemapindex" in body:
                return "sitemap"
            if b"<rss" in body or b"<feed" in body or b"<rdf:rdf" in body.lower():
                return "feed"
        if ctype in HTML_TYPES or (not ctype and b"<html" in head):
            return "html"
        return "other"

    def sitemap_locs(self, response) -> tuple[list[str], bool]:
        sitemap = Sitemap(gunzip_bounded(response.body, self.job.max_bytes))
        locs = [response.urljoin(entry["loc"]) for entry in sitemap if entry.get("loc")]
        return locs, sitemap.type == "sitemapindex"

    def feed_links(self, response) -> list[str]:
        if response.body[:2] == b"\x1f\x8b":
            text = gunzip_bounded(response.body, self.job.max_bytes).decode("utf-8", "replace")
        else:
            text = response.text
        sel = scrapy.Selector(text=text, type="xml")
        sel.remove_namespaces()
        links = sel.xpath("//item/link/text()").getall()  # RSS 1.0 and 2.0
        links += sel.xpath("//entry/link[not(@rel) or @rel='alternate']/@href").getall()  # Atom
        return [response.urljoin(l.strip()) for l in links if l.strip()]

    def raw_page(self, response) -> RawPage:
        headers = {k.decode("latin-1").lower(): b", ".join(v).decode("latin-1")
                   for k, v in response.headers.items()}
        return RawPage(url=response.url, body=response.body, kind="html", site=self.job.site,
                       source="crawl", status=response.status, headers=headers)

    # --- failures -----------------------------------------------------------------------
    def failed(self, failure):
        request = failure.request
        url = request.meta.get("frontier_url", request.url)
        exc = failure.value
        if isinstance(exc, RobotsDisallowed):
            yield FetchFailed(url, "disallowed by robots.txt", skipped=True, counter="robots_skipped")
            return
        if urlsplit(url).path == "/robots.txt" or self.is_feed_guess(url):
            yield Processed(url)  # no robots.txt or no feed there: nothing failed
            return
        yield FetchFailed(url, describe(exc, self.job))


def describe(exc: BaseException, job: Job) -> str:
    """A short, stable reason for a failed fetch."""
    if isinstance(exc, HttpError):
        return f"HTTP {exc.response.status}"
    if isinstance(exc, (DownloadTimeoutError, TxTimeoutError, TCPTimedOutError)):
        return f"timed out after {job.timeout:g}s"
    if isinstance(exc, (DownloadConnectionRefusedError, TxConnectionRefused)):
        return "connection refused"
    if isinstance(exc, CannotResolveHostError):
        return "host not found"
    if isinstance(exc, (DownloadCancelledError, CancelledError)):
        return f"too large: over the {job.max_bytes:,}-byte limit (max_bytes)"
    if isinstance(exc, IgnoreRequest):
        return str(exc) or "request ignored"
    return f"{type(exc).__name__}: {exc}"


class TooLarge(ValueError):
    """A compressed body that inflates past the job's max_bytes."""


def gunzip_bounded(body: bytes, limit: int) -> bytes:
    """`body` inflated if it is gzip (every member), never to more than `limit` bytes:
    a small gzip body (no Content-Encoding, so Scrapy's own limit does not apply) can hold
    gigabytes. A corrupt or truncated stream gives what inflated cleanly."""
    if body[:2] != b"\x1f\x8b":
        return body
    out = bytearray()
    data = body
    while data[:2] == b"\x1f\x8b":
        inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
        try:
            out += inflater.decompress(data, limit + 1 - len(out))  # never 0 (unbounded)
        except zlib.error:
            if out:
                break
            return body  # not gzip after all
        if len(out) > limit or inflater.unconsumed_tail:
            raise TooLarge(f"too large: inflates to over the {limit:,}-byte limit (max_bytes)")
        if not inflater.eof:
            break
        data = inflater.unused_data
    return bytes(out)


def _gunzip_head(body: bytes, size: int) -> bytes:
    """The first `size` bytes of `body`, inflated first if it is gzip."""
    if body[:2] != b"\x1f\x8b":
        return body[:size]
    try:
        return zlib.decompressobj(16 + zlib.MAX_WBITS).decompress(body, size)
    except zlib.error:
        return body[:size]
