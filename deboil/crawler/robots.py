"""robots.txt, read once per host.

Scrapy's RobotsTxtMiddleware fetches each host's robots.txt before the first request to it.
This parser keeps the file's body, so the spider reads its `Sitemap:` lines from the same
fetch (signal `robots_parsed`) instead of asking the host for the file a second time.
"""
from __future__ import annotations

from scrapy.robotstxt import ProtegoRobotParser


class SitemapKeepingRobotParser(ProtegoRobotParser):
    """Scrapy's default parser (Protego), plus the raw body for its Sitemap: lines."""

    def __init__(self, robotstxt_body: bytes, spider):
        super().__init__(robotstxt_body, spider)
        self.body = robotstxt_body
