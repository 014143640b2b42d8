"""What the writer publishes in Redis for crawlers that never open the database.

- Per job, `known`: url -> the stored page's validators (ETag, Last-Modified) and its
  outlinks. A crawler sends a conditional request only for a url known here; on a 304 it
  follows the outlinks kept here, as the single-machine crawl follows the stored body's.
- Global `templates`: site -> its template (line hash -> pages), which cleaning workers read
  as they read it from the database on one machine, refreshed every few seconds.

Values are JSON packed as Zstandard frames (link lists and templates compress ~5x).
"""
from __future__ import annotations

import json

from ..models import SiteTemplate
from ..db.codec import pack, unpack

from .keys import TEMPLATES, JobKeys
from ..run.templates import CachedTemplates



def pack_known(etag: str | None, last_modified: str | None, outlinks) -> bytes:
    return pack(json.dumps([etag, last_modified, outlinks], ensure_ascii=False).encode())


def unpack_known(value: bytes) -> tuple[str | None, str | None, list | None]:
    etag, last_modified, outlinks = json.loads(unpack(value))
    return etag, last_modified, outlinks


def pack_template(template: SiteTemplate) -> bytes:
    return pack(json.dumps({"pages": template.pages, "lines": dict(template.line_pages)}).encode())


def unpack_template(value: bytes) -> SiteTemplate:
    doc = json.loads(unpack(value))
    return SiteTemplate(pages=doc["pages"], line_pages=doc["lines"])


def publish(client, job: str, known: dict[str, bytes], templates: dict[str, bytes]) -> None:
    with client.pipeline(transaction=False) as p:
        if known:
            p.hset(JobKeys(job).known, mapping=known)
        if templates:
            p.hset(TEMPLATES, mapping=templates)
        p.execute()


class RedisTemplates(CachedTemplates):
    """TemplateSource for cleaning workers of a crawler: the same `get(site)`, read from
    Redis. Connects lazily, in the worker process (a client must not cross a fork)."""

    def __init__(self, url: str):
        super().__init__()
        self.url = url
        self._client = None

    def _read(self, site: str) -> SiteTemplate | None:
        try:
            if self._client is None:
                from .keys import connect

                self._client = connect(self.url)
            value = self._client.hget(TEMPLATES, site)
            return unpack_template(value) if value else SiteTemplate()
        except Exception:  # Redis away for a moment: clean without template knowledge
            return None


def redis_templates(url: str):
    """A factory for CleanerPool(templates=...): called in each worker with its db_path."""
    return lambda _db_path: RedisTemplates(url)
