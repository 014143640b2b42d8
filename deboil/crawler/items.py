"""What the spider yields for the item pipeline: one item per frontier url it handled.

Every item names the frontier url it settles (`url`, the url as requested: a redirect may
have landed elsewhere) and the links it discovered, so the frontier is written in one place.
"""
from __future__ import annotations

from dataclasses import dataclass, field

from deboil.models import RawPage


@dataclass
class Fetched:
    """A page to clean and store."""

    url: str
    raw: RawPage
    links: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class NotModified:
    """A 304 for a conditional request: the stored page is current."""

    url: str
    page_url: str  # where the page is stored (the url answered, after any redirect)
    links: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class Processed:
    """robots.txt, a sitemap or a feed: read for links, nothing to store."""

    url: str
    links: list[tuple[str, int]] = field(default_factory=list)


@dataclass
class FetchFailed:
    """A fetch that produced no page; `skipped` for robots.txt rules, limits and duplicates."""

    url: str
    reason: str
    skipped: bool = False
    counter: str | None = None  # e.g. robots_skipped
