"""robots.txt: read once per origin, checked before every request to it.

Scrapy 2.19's RobotsTxtMiddleware lets concurrent requests to a host wait on one shared
Deferred, through a callback that returns None: the first waiter gets the parser, every
later one gets None and goes out unchecked (three seeds on one host, or a resumed queue, is
enough). `RobotsMiddleware` gives each waiter its own Deferred, and keys the files by origin
(scheme, host and port: each origin has its own robots.txt).

The parser keeps the file's body, so the spider reads its `Sitemap:` lines from the same
fetch (signal `robots_parsed`) instead of asking the host for the file a second time.
"""
from __future__ import annotations

import logging

from scrapy.downloadermiddlewares.robotstxt import RobotsTxtMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Request
from scrapy.http.request import NO_CALLBACK
from scrapy.robotstxt import ProtegoRobotParser
from scrapy.utils.defer import maybe_deferred_to_future
from scrapy.utils.httpobj import urlparse_cached
from twisted.internet.defer import Deferred

logger = logging.getLogger(__name__)


class RobotsDisallowed(IgnoreRequest):
    """The url is disallowed by its origin's robots.txt."""


class SitemapKeepingRobotParser(ProtegoRobotParser):
    """Scrapy's default parser (Protego), plus the raw body for its Sitemap: lines."""

    def __init__(self, robotstxt_body: bytes, spider):
        super().__init__(robotstxt_body, spider)
        self.body = robotstxt_body


class RobotsMiddleware(RobotsTxtMiddleware):
    """Scrapy's middleware with one robots.txt per origin, handed to every waiting request.

    Uses the parent's `_parsers`, `_parse_robots` and `_robots_error`: Scrapy is pinned to
    the version this was tested with (constraints.txt), and tests/test_crawl_politeness.py
    fails if concurrent requests are let through unchecked.
    """

    async def process_request(self, request: Request, spider=None) -> None:
        if request.meta.get("dont_obey_robotstxt"):
            return
        rp = await self.robot_parser(request)
        try:
            self.process_request_2(rp, request)
        except IgnoreRequest as exc:
            raise RobotsDisallowed(str(exc)) from None

    async def robot_parser(self, request: Request):
        url = urlparse_cached(request)
        key = f"{url.scheme}://{url.netloc}"
        if key not in self._parsers:
            self._parsers[key] = Deferred()
            robotsreq = Request(f"{key}/robots.txt", priority=self.DOWNLOAD_PRIORITY,
                                meta={"dont_obey_robotstxt": True}, callback=NO_CALLBACK)
            try:
                resp = await self.crawler.engine.download_async(robotsreq)
                await self._parse_robots(resp, key, request)
            except Exception as exc:  # noqa: BLE001 - as Scrapy: no robots.txt, no rules
                if not isinstance(exc, IgnoreRequest):
                    logger.error("Error downloading %s: %s", robotsreq, exc)
                self._robots_error(exc, key)
            self._stats.inc_value("robotstxt/request_count")
        parser = self._parsers[key]
        if isinstance(parser, Deferred):
            mine: Deferred = Deferred()

            def relay(result):
                mine.callback(result)
                return result  # the next waiter gets the parser too

            parser.addCallback(relay)
            return await maybe_deferred_to_future(mine)
        return parser
