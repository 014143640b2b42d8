"""WARC archives (warcio): each HTML response (or resource) record becomes a RawPage.

A damaged archive costs the records it damages, each reported: a record whose length does
not match its content, a truncated last gzip member, headers past a size bound. What came
before the damage is kept.
"""
from __future__ import annotations

import os
import zlib
from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.bufferedreaders import DecompressingBufferedReader
from warcio.exceptions import ArchiveLoadFailed

from deboil.models import RawPage
from deboil.models import utc_now

from deboil.crawler.sources import Failed, Skipped, not_a_page, open_regular

# WARC and HTTP header lines of one record, together. warcio reads a header line whole
# however long it is (a 1 GiB line took 3.4 GB); real records stay far below this.
HEADER_LIMIT = 1024 * 1024


class HeaderTooLarge(ValueError):
    pass


class _BoundedReader(DecompressingBufferedReader):
    """warcio's reader with a budget for the lines read through it, reset per record.
    Payloads are read with read(), not readline(), so only headers spend the budget."""

    budget = HEADER_LIMIT
    truncated = False  # the file ended inside a gzip member

    def _process_read(self, data):
        if (not data and self.decompressor is not None and self.num_block_read > 0
                and not getattr(self.decompressor, "eof", True)):
            self.truncated = True
        super()._process_read(data)

    def _decompress(self, data):
        # warcio prints a corrupt member's zlib error to stderr and reads on as if the file
        # had ended; here it is an error, reported with the archive.
        if self.decompressor and data and self.num_block_read > 0:
            try:
                return self.decompressor.decompress(data)
            except zlib.error as exc:
                raise ValueError(f"corrupt gzip data: {exc}") from None
        return super()._decompress(data)

    def readline(self, length=None):
        cap = self.budget + 1 if length is None else min(length, self.budget + 1)
        line = super().readline(cap)
        self.budget -= len(line)
        if self.budget < 0:
            self.overflow = len(line)  # read, but not counted by the record's LimitReader
            raise HeaderTooLarge(f"record headers over the {HEADER_LIMIT:,}-byte limit")
        return line


class _Archive(ArchiveIterator):
    """ArchiveIterator with bounded header reads, and a count of records whose length was
    wrong (warcio only prints a warning, raw, to stderr: we report it as a failure)."""

    def __init__(self, fh):
        super().__init__(fh)
        self.reader = _BoundedReader(self.fh, block_size=self.reader.block_size)
        self.bad_lengths = 0
        # warcio calls uri.startswith() on each record's WARC-Target-URI: a record without
        # one raised AttributeError. An empty uri lets it through, to be reported (_page).
        self.oversized = False  # the last record's HTTP headers passed HEADER_LIMIT
        self._load_http_headers = self.loader.load_http_headers
        self.loader.load_http_headers = self._http_headers

    def _http_headers(self, rec_type, uri, stream, length):
        """warcio's HTTP header parse, bounded: headers past the limit are skipped with the
        rest of their record (its length is known), and the record reported."""
        self.oversized = False
        try:
            return self._load_http_headers(rec_type, uri or "", stream, length)
        except HeaderTooLarge:
            if hasattr(stream, "limit"):
                stream.limit -= self.reader.overflow
            while stream.read(1 << 16):
                pass
            self.reader.budget = HEADER_LIMIT
            self.oversized = True
            return None

    def _next_record(self, next_line):
        self.reader.budget = HEADER_LIMIT
        return super()._next_record(next_line)

    def _consume_blanklines(self):
        # The blank lines after a record; a line of content there means its Content-Length
        # was wrong (too short, or too long and it swallowed part of the next record).
        empty_size, first = 0, True
        while True:
            line = self.reader.readline()
            if not line:
                return None, empty_size
            if not line.strip() or first:
                empty_size += len(line)
                if line.strip():
                    self.bad_lengths += 1
                first = False
                continue
            return line, empty_size


def _status(record) -> int | None | str:
    """The HTTP status as a number, None when absent, or the reason it is unusable."""
    status = record.http_headers.get_statuscode() if record.http_headers else None
    if not status:
        return None
    if not (status.isascii() and status.isdigit() and len(status) == 3):
        return f"invalid HTTP status {status[:20]!r}"
    return int(status)


def _page(record, where: str, site: str | None, max_bytes: int) -> RawPage | Skipped | Failed | None:
    if record.rec_type not in ("response", "resource"):
        return None  # requests, metadata, warcinfo
    url = record.rec_headers.get_header("WARC-Target-URI")
    if not url:
        return Failed(where, "read", f"a {record.rec_type} record without WARC-Target-URI")
    # a resource is a stored file: its WARC Content-Type says what it is
    http = record.rec_type == "response"
    if http and record.http_headers is None:
        return None  # a response of another protocol (dns:, ...)
    if http:
        ctype = (record.http_headers.get_header("Content-Type") or "").lower()
        status = _status(record)
        if isinstance(status, str):
            return Failed(url, "read", status)
    else:
        ctype = (record.rec_headers.get_header("Content-Type") or "").lower()
        status = None
    if (reason := not_a_page(url, status)) is not None:
        return Skipped(url, reason)
    if "html" not in ctype and "text/plain" not in ctype:
        return Skipped(url, f"not HTML ({ctype or 'no content type'})")
    body = record.content_stream().read(max_bytes + 1)
    if len(body) > max_bytes:
        return Failed(url, "read", f"too large: over the {max_bytes:,}-byte limit")
    headers = {k.lower(): v for k, v in record.http_headers.headers} if http else {}
    return RawPage(
        url=url, body=body, kind="text" if "text/plain" in ctype else "html",
        site=site or urlsplit(url).hostname, source="warc",
        fetched_at=record.rec_headers.get_header("WARC-Date") or utc_now(),
        status=status, headers=headers,
    )


def iter_warc(path: Path, site: str | None, max_bytes: int) -> Iterator[RawPage | Skipped | Failed]:
    where = "file://" + os.fsdecode(path.absolute())
    try:
        fh = open_regular(path)
    except OSError as exc:
        yield Failed(where, "read", f"cannot read: {exc.strerror or exc}")
        return
    # Each page waits until its record has been read to the end: only then is it known
    # whether the record's length was right.
    pending: RawPage | Skipped | Failed | None = None
    record = None
    try:
        with fh:
            archive = _Archive(fh)
            reader = archive.reader
            for record in archive:
                if pending is not None:
                    yield pending
                pending = _page(record, where, site, max_bytes)
                if archive.oversized:
                    pending = Failed(record.rec_headers.get_header("WARC-Target-URI") or where, "read",
                                     f"HTTP headers over the {HEADER_LIMIT:,}-byte limit")
                bad = archive.bad_lengths
                archive.read_to_end()
                if archive.bad_lengths > bad or getattr(record.raw_stream, "limit", 0) > 0:
                    pending = _bad_length(pending, record, where)
                record = None
    except (ArchiveLoadFailed, OSError, EOFError, ValueError, AttributeError, TypeError) as exc:
        if pending is not None and record is not None:
            pending = _bad_length(pending, record, where)
        if pending is not None:
            yield pending
            pending = None
        yield Failed(where, "read", f"corrupt WARC archive: {exc}")
    else:
        if reader.truncated:
            if pending is not None:
                yield pending
            pending = Failed(where, "read", "the archive ends inside a gzip member"
                             " (truncated file): the records in it are lost")
    if pending is not None:
        yield pending


def _bad_length(pending, record, where: str) -> Failed:
    url = pending.url if pending is not None else where
    return Failed(url, "read", "WARC record cut short or its Content-Length wrong"
                  " (the archive is truncated or damaged here)")
