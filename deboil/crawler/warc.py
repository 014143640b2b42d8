"""WARC archives (warcio): each HTML response record becomes a RawPage with its headers."""
from __future__ import annotations

from pathlib import Path
from typing import Iterator
from urllib.parse import urlsplit

from warcio.archiveiterator import ArchiveIterator
from warcio.exceptions import ArchiveLoadFailed

from deboil.models import RawPage
from deboil.models import utc_now

from deboil.crawler.sources import Failed, Skipped


def iter_warc(path: Path, site: str | None, max_bytes: int) -> Iterator[RawPage | Skipped | Failed]:
    where = "file://" + str(path.absolute())
    try:
        with open(path, "rb") as fh:
            for record in ArchiveIterator(fh):
                if record.rec_type != "response" or record.http_headers is None:
                    continue
                url = record.rec_headers.get_header("WARC-Target-URI") or where
                ctype = (record.http_headers.get_header("Content-Type") or "").lower()
                if "html" not in ctype and "text/plain" not in ctype:
                    yield Skipped(url, f"not HTML ({ctype or 'no content type'})")
                    continue
                body = record.content_stream().read(max_bytes + 1)
                if len(body) > max_bytes:
                    yield Failed(url, "read", f"too large: over the {max_bytes:,}-byte limit")
                    continue
                headers = {k.lower(): v for k, v in record.http_headers.headers}
                status = record.http_headers.get_statuscode()
                yield RawPage(
                    url=url, body=body, kind="text" if "text/plain" in ctype else "html",
                    site=site or urlsplit(url).hostname, source="warc",
                    fetched_at=record.rec_headers.get_header("WARC-Date") or utc_now(),
                    status=int(status) if status and status.isdigit() else None,
                    headers=headers,
                )
    except (ArchiveLoadFailed, OSError, EOFError, ValueError) as exc:
        yield Failed(where, "read", f"corrupt WARC archive: {exc}")
