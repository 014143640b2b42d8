"""What a stream entry holds, both ways: a cleaned page, a failure, a 304, a robots skip.

Plain JSON and bytes, never pickle: the writer must not run code a stream entry brings.
A page entry carries everything `Store.save_batch` needs without cleaning again: the clean
page (JSON, Zstandard-packed from 1 KB), the raw page's metadata (headers hold the validators), the raw
body as the Zstandard frame `raw.body` stores, with its size and sha256, and the page's
outlinks (published back to the crawlers for the next run's 304s).
"""
from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, fields

from ..models import CleanPage, RawPage, Removed
from ..db.codec import STORE_BELOW, Packed, pack, unpack

PAGE, FAIL, TOUCH, SKIP = "page", "fail", "touch", "skip"
_PAGE_FIELDS = [f.name for f in fields(CleanPage) if f.name != "document"]
_RAW_FIELDS = ("url", "kind", "site", "source", "fetched_at", "status", "headers")


class BadEntry(ValueError):
    """A stream entry that cannot be read (another program wrote it, or a newer deboil)."""


@dataclass
class Entry:
    kind: str
    url: str  # the url as requested (a redirect may have stored the page elsewhere)
    page: CleanPage | None = None
    raw: RawPage | None = None  # body empty: `packed` holds it
    packed: Packed | None = None
    outlinks: list | None = None  # [links, feeds] the page had, for a later 304
    stage: str | None = None
    reason: str | None = None
    counter: str | None = None


def page_entry(url: str, page: CleanPage, raw: RawPage, packed: Packed,
               outlinks: list | None = None) -> dict[str, bytes]:
    doc = {name: getattr(page, name) for name in _PAGE_FIELDS}
    doc["removed"] = [[r.text, r.reason] for r in page.removed]
    doc["issues"] = dict(page.issues)
    meta = {name: getattr(raw, name) for name in _RAW_FIELDS}
    meta["size"], meta["sha256"] = packed.size, packed.sha256
    meta["outlinks"] = outlinks
    text = json.dumps(doc, ensure_ascii=False).encode()
    # A small document goes as it is: a frame would not make it smaller, only slower to read.
    return {"k": PAGE, "url": url, "meta": json.dumps(meta, ensure_ascii=False),
            "page": text if len(text) < STORE_BELOW else pack(text), "body": packed.frame}


def fail_entry(url: str, stage: str, reason: str) -> dict[str, str]:
    return {"k": FAIL, "url": url, "stage": stage, "reason": reason}


def touch_entry(url: str, page_url: str) -> dict[str, str]:
    """A 304: the page stored at `page_url` is current."""
    return {"k": TOUCH, "url": url, "page_url": page_url}


def skip_entry(url: str, reason: str, counter: str) -> dict[str, str]:
    return {"k": SKIP, "url": url, "reason": reason, "counter": counter}


def decode(data: dict[bytes, bytes]) -> Entry:
    try:
        kind = data[b"k"].decode()
        url = data[b"url"].decode()
        if kind == PAGE:
            meta = json.loads(data[b"meta"])
            text = data[b"page"]
            doc = json.loads(text if text[:1] == b"{" else unpack(text))
            doc["removed"] = [Removed(t, r) for t, r in doc["removed"]]
            issues = doc.pop("issues")
            if issues:
                doc["issues"] = Counter(issues)
            page = CleanPage(**doc)
            raw = RawPage(body=b"", **{name: meta[name] for name in _RAW_FIELDS})
            packed = Packed(data[b"body"], meta["size"], meta["sha256"])
            return Entry(kind, url, page, raw, packed, meta.get("outlinks"))
        if kind == FAIL:
            return Entry(kind, url, stage=data[b"stage"].decode(), reason=data[b"reason"].decode())
        if kind == TOUCH:
            return Entry(kind, url, reason=data[b"page_url"].decode())
        if kind == SKIP:
            return Entry(kind, url, reason=data[b"reason"].decode(),
                         counter=data[b"counter"].decode())
    except (KeyError, TypeError, ValueError, UnicodeDecodeError) as exc:
        raise BadEntry(f"unreadable {data.get(b'k', b'?')!r} entry: {type(exc).__name__}: {exc}") from exc
    except Exception as exc:  # a damaged zstd frame
        raise BadEntry(f"unreadable entry: {type(exc).__name__}: {exc}") from exc
    raise BadEntry(f"unknown entry kind {kind!r}")


def entry_url(data: dict[bytes, bytes]) -> str:
    """The url of an entry, even a damaged one, for its failures row."""
    try:
        return data[b"url"].decode(errors="replace")
    except (KeyError, AttributeError):
        return "(unknown url)"
