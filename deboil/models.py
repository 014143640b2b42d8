"""Data contracts between the three stages: crawler -> cleaners -> db.

`RawPage` is what a source produced; `CleanPage` is what storage keeps; `Context` carries
what spans pages (a site's `SiteTemplate`) into the steps. All are plain dataclasses so they
pickle cheaply across worker processes. This module imports nothing of deboil.
"""
from __future__ import annotations

import hashlib
from collections import Counter
from dataclasses import dataclass, field
from datetime import datetime, timezone
from typing import Any, Mapping


def utc_now() -> str:
    return datetime.now(timezone.utc).replace(microsecond=0).isoformat().replace("+00:00", "Z")


@dataclass
class RawPage:
    """One page as a source delivered it, before any cleaning."""

    url: str
    body: bytes
    kind: str = "html"  # "html" or "text" (a plain-text capture)
    site: str | None = None
    source: str = "file"  # "file", "warc" or "crawl"
    fetched_at: str = field(default_factory=utc_now)
    status: int | None = None
    headers: dict[str, str] = field(default_factory=dict)  # names lower-cased


@dataclass
class Removed:
    """A line or block stripped from the body, and why."""

    text: str
    reason: str


@dataclass
class CleanPage:
    """A page on its way through the cleaners; the last step leaves it ready to store.

    `document` holds the decoded source (HTML or capture text) until extraction has
    turned it into `text`; storage never reads it.
    """

    url: str
    kind: str = "html"
    site: str | None = None
    source: str = "file"
    fetched_at: str | None = None
    document: str = ""
    text: str = ""
    title: str | None = None
    author: str | None = None
    published: str | None = None  # ISO 8601, one form (deboil/stored_dates.py)
    updated: str | None = None  # ISO 8601, one form
    published_local: str | None = None  # a time stated without a zone, naive ISO 8601
    updated_local: str | None = None
    canonical_url: str | None = None
    site_name: str | None = None
    page_type: str | None = None
    lang: str = "und"
    lang_confidence: float = 0.0
    langs: dict[str, float] = field(default_factory=dict)
    encoding: str | None = None
    encoding_source: str | None = None  # bom, http, meta, utf-8, detector
    issues: Counter = field(default_factory=Counter)
    removed: list[Removed] = field(default_factory=list)
    line_hashes: list[str] = field(default_factory=list)  # template fingerprints (see template.py)

    def flag(self, code: str, count: int = 1) -> None:
        """Record `count` occurrences of an issue code (a repair or a doubt)."""
        if count:
            self.issues[code] += count

    def drop(self, text: str, reason: str) -> None:
        self.removed.append(Removed(text, reason))

    @property
    def word_count(self) -> int:
        """Words of `text`. Remembered with the text it counted (an attribute, not a field),
        which pickles with the page: the writer stores the count the cleaning worker's last
        step made instead of splitting every text again."""
        text = self.text
        memo = self.__dict__.get("_words")
        if memo is not None and memo[0] is text:
            return memo[1]
        n = len(text.split())
        self._words = (text, n)
        return n

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()


@dataclass
class PageRecord:
    """One cleaned page on its way to the writer, the one shape from worker to database:
    the page, the raw input it came from (None when a re-clean stores only new text), the
    raw body already sealed for storage by the worker (`deboil.db.codec.Packed`), and the
    text's near-duplicate signature made by the worker, as (the text's `text_hash`,
    `deboil.near_dups.Signature`): the writer uses it only for that very text."""

    page: CleanPage
    raw: RawPage | None = None
    packed: Any = None
    signature: Any = None


@dataclass
class SiteTemplate:
    """What earlier pages of one site looked like: line hash -> number of pages it was on."""

    pages: int = 0
    line_pages: Mapping[str, int] = field(default_factory=dict)


@dataclass
class Context:
    template: SiteTemplate | None = None
    options: dict = field(default_factory=dict)


@dataclass
class ResumeState:
    """Where a crawl job's cycle stands when a run starts (read from the frontier)."""

    resumed: bool
    queued: list[tuple[str, int]] = field(default_factory=list)  # (url, depth) to fetch
    handled: set[str] = field(default_factory=set)  # urls not to fetch again this cycle
