"""Downloader middlewares: the origin guard, conditional requests, redirect guard, retries
with back-off (and Retry-After)."""
from __future__ import annotations

import email.utils
from datetime import datetime, timezone
from urllib.parse import urljoin, urlsplit

from scrapy import Request, signals
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse
from scrapy.utils.defer import deferred_to_future
from w3lib.url import safe_url_string

from deboil.db.validators import StoredValidators

from deboil.crawler.origins import Origins

REDIRECT_CODES = {301, 302, 303, 307, 308}


class ConditionalRequestMiddleware:
    """Send If-None-Match / If-Modified-Since from the validators stored with a page."""

    def __init__(self, db_path: str | None):
        self.stored = StoredValidators(db_path) if db_path else None

    @classmethod
    def from_crawler(cls, crawler):
        mw = cls(crawler.settings.get("DEBOIL_DB"))
        crawler.signals.connect(mw.spider_closed, signal=signals.spider_closed)
        return mw

    def validators(self, url: str) -> tuple[str | None, str | None]:
        return self.stored.validators(url) if self.stored else (None, None)

    def process_response(self, request, response):
        """A 304 has no body; give the spider the stored one so it still finds the links."""
        if response.status != 304 or not self.stored:
            return response
        found = self.stored.stored_body(response.url)
        if not found:
            return response
        body, content_type = found
        return HtmlResponse(response.url, status=304, headers={"Content-Type": content_type or "text/html"},
                            body=body, request=request)

    def process_request(self, request):
        if "frontier_url" not in request.meta or urlsplit(request.url).path == "/robots.txt":
            return None
        # Set afresh each time: a redirected request arrives with its origin's headers.
        request.headers.pop(b"If-None-Match", None)
        request.headers.pop(b"If-Modified-Since", None)
        etag, last_modified = self.validators(request.url)
        if etag:
            request.headers["If-None-Match"] = etag
        if last_modified:
            request.headers["If-Modified-Since"] = last_modified
        return None

    def spider_closed(self, spider):
        if self.stored:
            self.stored.close()


def _job_origins(crawler) -> Origins | None:
    job = getattr(crawler.spider, "job", None)
    return job.origins() if job is not None else None


class OriginGuardMiddleware:
    """Drop every request that is not http(s) on an allowed origin, whatever made it: a
    seed, a link, a sitemap or feed entry, a robots.txt, a 3xx, a meta refresh. The first
    downloader middleware, so nothing else sees such a request (and the settings leave the
    downloader no handler for other schemes either)."""

    def __init__(self, crawler):
        self.crawler = crawler
        self._origins: Origins | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_request(self, request):
        if self._origins is None:
            self._origins = _job_origins(self.crawler)
        if self._origins is not None and self._origins.allows(request.url):
            return None
        if self._origins is None and urlsplit(request.url).scheme in ("http", "https"):
            return None  # not a deboil spider: only the scheme rule applies
        if request.meta.get("redirect_urls"):
            raise IgnoreRequest(f"redirect to another origin not followed: {request.url}")
        raise IgnoreRequest(f"not on an allowed origin, not requested: {request.url}")


class RedirectGuardMiddleware:
    """Refuse 3xx redirects off the allowed origins and redirect loops, before
    RedirectMiddleware (order it above 600). Meta refreshes and anything else that makes a
    new request meet OriginGuardMiddleware.

    Requests bypass Scrapy's dupe and offsite filters (the spider keeps its own `seen`
    set), so this is where a redirect loop is stopped.
    """

    def __init__(self, crawler):
        self.crawler = crawler
        self._origins: Origins | None = None

    @classmethod
    def from_crawler(cls, crawler):
        return cls(crawler)

    def process_response(self, request, response):
        if response.status not in REDIRECT_CODES or b"Location" not in response.headers:
            return response
        if request.meta.get("dont_redirect"):
            return response
        location = safe_url_string(response.headers["Location"].decode("latin-1"))
        target = urljoin(request.url, location)
        if self._origins is None:
            self._origins = _job_origins(self.crawler)
        if self._origins is not None and not self._origins.allows(target):
            raise IgnoreRequest(f"redirect to another origin not followed: {target}")
        if target == request.url or target in request.meta.get("redirect_urls", []):
            raise IgnoreRequest(f"redirect loop: {request.url} -> {target}")
        return response


class BackoffRetryMiddleware(RetryMiddleware):
    """RetryMiddleware that waits before each retry: RETRY_BACKOFF seconds, doubling, or
    as long as a 429/503 answer's Retry-After asks (capped at RETRY_AFTER_MAX seconds,
    so one server cannot stall a scheduled job)."""

    def __init__(self, settings):
        super().__init__(settings)
        self.backoff = settings.getfloat("RETRY_BACKOFF", 0.0)
        self.retry_after_max = settings.getfloat("RETRY_AFTER_MAX", 60.0)

    async def process_response(self, request, response):
        result = super().process_response(request, response)
        asked = retry_after(response) if response.status in (429, 503) else None
        await self._wait(result, asked)
        return result

    async def process_exception(self, request, exception):
        result = super().process_exception(request, exception)
        await self._wait(result)
        return result

    async def _wait(self, result, asked: float | None = None) -> None:
        if not isinstance(result, Request):
            return  # no retry scheduled
        tries = result.meta.get("retry_times", 1)
        delay = self.backoff * 2 ** (tries - 1) if self.backoff > 0 else 0.0
        if asked is not None:
            delay = min(max(delay, asked), self.retry_after_max)
        if delay <= 0:
            return
        from twisted.internet import reactor  # the one Scrapy installed
        from twisted.internet.task import deferLater

        await deferred_to_future(deferLater(reactor, delay, lambda: None))


def retry_after(response) -> float | None:
    """Seconds a Retry-After header asks for (delay-seconds or an HTTP date), else None."""
    value = response.headers.get(b"Retry-After")
    if not value:
        return None
    text = value.decode("latin-1").strip()
    if text.isdigit():
        return float(text)
    try:
        when = email.utils.parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=timezone.utc)
    return max(0.0, (when - datetime.now(timezone.utc)).total_seconds())
