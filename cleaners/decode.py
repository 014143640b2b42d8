"""Bytes to text: BOM, HTTP charset, <meta> charset, strict UTF-8, then a detector.

A declaration is used only when the bytes decode under it; a contradicted one is flagged
`charset_mismatch`.
"""
from __future__ import annotations

import codecs
import re

from charset_normalizer import from_bytes

from .models import CleanPage, RawPage

_BOMS = [
    (codecs.BOM_UTF8, "utf-8"),
    (codecs.BOM_UTF32_LE, "utf-32-le"),
    (codecs.BOM_UTF32_BE, "utf-32-be"),
    (codecs.BOM_UTF16_LE, "utf-16-le"),
    (codecs.BOM_UTF16_BE, "utf-16-be"),
]
_HEADER_CHARSET = re.compile(r"charset\s*=\s*[\"']?([\w.:-]+)", re.I)
_META_CHARSET = re.compile(rb"<meta[^>]+charset\s*=\s*[\"']?\s*([\w.:-]+)", re.I)


def _norm(name: str) -> str | None:
    try:
        return codecs.lookup(name).name
    except LookupError:
        return None


def _try(body: bytes, enc: str) -> str | None:
    try:
        return body.decode(enc)
    except (UnicodeDecodeError, LookupError):
        return None


def decode_bytes(body: bytes, content_type: str | None = None, is_html: bool = True):
    """Return (text, encoding, source, mismatch)."""
    for bom, enc in _BOMS:
        if body.startswith(bom):
            return body[len(bom):].decode(enc, errors="replace"), enc, "bom", False
    declared: list[tuple[str, str]] = []
    if content_type:
        m = _HEADER_CHARSET.search(content_type)
        if m and _norm(m.group(1)):
            declared.append((_norm(m.group(1)), "http"))
    if is_html:
        m = _META_CHARSET.search(body[:4096])
        if m and _norm(m.group(1).decode("ascii", "ignore")):
            declared.append((_norm(m.group(1).decode("ascii", "ignore")), "meta"))
    mismatch = False
    for enc, source in declared:
        text = _try(body, enc)
        if text is not None:
            return text, enc, source, False
        mismatch = True
    text = _try(body, "utf-8")
    if text is not None:
        return text, "utf-8", "utf-8", mismatch
    best = from_bytes(body).best()
    if best is not None:
        return str(best), _norm(best.encoding) or best.encoding, "detector", mismatch
    return body.decode("utf-8", errors="replace"), "utf-8", "fallback", mismatch


def decode(raw: RawPage) -> CleanPage:
    text, enc, source, mismatch = decode_bytes(
        raw.body, raw.headers.get("content-type"), is_html=raw.kind == "html"
    )
    page = CleanPage(
        url=raw.url, kind=raw.kind, site=raw.site, source=raw.source,
        fetched_at=raw.fetched_at, document=text, encoding=enc, encoding_source=source,
    )
    if mismatch:
        page.flag("charset_mismatch")
    elif source in ("detector", "fallback"):
        page.flag("invalid_utf8")
    return page
