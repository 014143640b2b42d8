"""Pages already on disk: HTML files (plain or gzipped), plain-text captures, WARC archives.

Yields RawPage for each page, Skipped for files of other kinds, Failed for inputs that can't
be read (gone, empty, binary, too large, corrupt gzip). Never raises for one bad file.
"""
from __future__ import annotations

import gzip
import os
import stat
import zlib
from dataclasses import dataclass
from pathlib import Path
from typing import Iterable, Iterator

from deboil.cleaners.encoding.decode import bomless_utf16
from deboil.models import RawPage

from deboil.crawler.sources import Failed, Skipped, file_type, not_a_page, open_regular
from deboil.crawler.warc import iter_warc

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
KINDS = {
    ".html": "html", ".htm": "html", ".xhtml": "html",
    ".html.gz": "html", ".htm.gz": "html",
    ".txt": "text", ".txt.gz": "text",
    ".warc": "warc", ".warc.gz": "warc",
}


def kind_of(path: Path) -> str | None:
    name = path.name.lower()
    for suffix in sorted(KINDS, key=len, reverse=True):
        if name.endswith(suffix):
            return KINDS[suffix]
    return None


def file_url(path: Path) -> str:
    """file:// + the absolute path; bytes of a name that are not UTF-8 shown as \\xNN (such
    a name has no text url: the file is reported, not stored)."""
    return "file://" + os.fsencode(path.absolute()).decode("utf-8", "backslashreplace")


def _bad_name(path: Path) -> bool:
    try:
        str(path).encode("utf-8")
        return False
    except UnicodeEncodeError:  # undecodable bytes came in as surrogates (PEP 383)
        return True


def walk(paths: Iterable[str]) -> Iterator[tuple[Path, bool] | Failed]:
    """(file, named_by_user) under the given paths, recursively, in a stable order; a
    Failed for each folder that cannot be listed (its files would be lost silently)."""
    for p in paths:
        path = Path(p)
        if path.is_dir():
            errors: list[OSError] = []
            for root, dirs, files in os.walk(path, onerror=errors.append):
                while errors:
                    yield _unlisted(errors.pop())
                dirs[:] = sorted(d for d in dirs if not d.startswith("."))
                for name in sorted(files):
                    if not name.startswith("."):
                        yield Path(root) / name, False
            while errors:
                yield _unlisted(errors.pop())
        else:
            yield path, True


def _unlisted(exc: OSError) -> Failed:
    return Failed(file_url(Path(exc.filename or "?")), "read",
                  f"cannot list folder: {exc.strerror or exc}")


def _not_regular(path: Path) -> str | None:
    """Why a path is not a file to read (FIFO, device, socket), or None. Opening a FIFO
    blocks until something writes to it: such files are skipped, never opened."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None  # gone or unreadable: reading it reports why
    return None if stat.S_ISREG(mode) else f"not a regular file ({file_type(mode)})"


def looks_binary(data: bytes) -> bool:
    """NUL bytes outside UTF-16/32 text, or mostly control bytes: not a page."""
    head = data[:8192]
    if head.startswith((b"\xff\xfe", b"\xfe\xff", b"\xef\xbb\xbf")) or bomless_utf16(head):
        return False
    if b"\x00" in head:
        return True
    control = len(head.translate(None, _NOT_CONTROL))  # counted in C, not byte by byte
    return control > len(head) * 0.1


_NOT_CONTROL = bytes(b for b in range(256) if not (b < 9 or 13 < b < 32))


def read_page(path: Path, kind: str, site: str | None, max_bytes: int) -> RawPage | Failed:
    url = file_url(path)
    try:
        with open_regular(path) as fh:
            data = fh.read(max_bytes + 1)
        if path.name.lower().endswith(".gz"):
            data = _gunzip(data, max_bytes)
    except FileNotFoundError:
        return Failed(url, "read", "file disappeared before it could be read")
    except (OSError, EOFError, zlib.error, gzip.BadGzipFile) as exc:
        return Failed(url, "read", f"cannot read: {getattr(exc, 'strerror', None) or exc}")
    if len(data) > max_bytes:
        return Failed(url, "read", f"too large: over the {max_bytes:,}-byte limit (--max-bytes)")
    if not data.strip():
        return Failed(url, "read", "empty file")
    if looks_binary(data):
        return Failed(url, "read", "binary content, not HTML or text")
    return RawPage(url=url, body=data, kind=kind, site=site, source="file")


@dataclass(frozen=True)
class PageFile:
    """A page file not read yet. `deboil load` hands these to its cleaning workers, which
    read (and gunzip) them: the bytes never pass through the one writer process."""

    url: str
    path: str
    kind: str
    site: str | None
    max_bytes: int

    def read(self) -> RawPage | Failed:
        return read_page(Path(self.path), self.kind, self.site, self.max_bytes)


def _gunzip(data: bytes, max_bytes: int) -> bytes:
    """Every member of a gzip file (bgzip, pigz and `cat a.gz b.gz` write several), at most
    max_bytes + 1 bytes of output; a member cut short is an error, not a silent end."""
    out = bytearray()
    while data:
        d = zlib.decompressobj(16 + zlib.MAX_WBITS)
        out += d.decompress(data, max_bytes + 1 - len(out))
        if len(out) > max_bytes:
            break
        if not d.eof:
            raise EOFError("truncated gzip stream")
        data = d.unused_data.lstrip(b"\0")  # some writers pad between members
    return bytes(out)


def page_kinds(paths: Iterable[str]) -> frozenset[str] | None:
    """frozenset({"html"}) when every page file under the paths is HTML, else None (text
    captures, or WARC archives that may hold either): what a pool warms up for."""
    for entry in walk(paths):
        if not isinstance(entry, Failed) and kind_of(entry[0]) not in ("html", None):
            return None
    return frozenset({"html"})


def iter_files(paths: Iterable[str], site: str | None = None, max_bytes: int = DEFAULT_MAX_BYTES,
               lazy: bool = False) -> Iterator[RawPage | PageFile | Skipped | Failed]:
    """`lazy`: HTML and text files come as PageFile, to be read by whoever cleans them
    (WARC records are still read here)."""
    for entry in walk(paths):
        if isinstance(entry, Failed):
            yield entry
            continue
        path, named = entry
        if named and not path.exists():
            yield Failed(file_url(path), "read", "no such file or directory")
            continue
        kind = kind_of(path)
        if kind is None:
            yield Skipped(file_url(path), f"not a page file ({path.suffix or 'no suffix'})")
        elif _bad_name(path):
            yield Failed(file_url(path), "read", "file name is not valid UTF-8 (no text url for it)")
        elif (why := _not_regular(path)) is not None:
            yield Skipped(file_url(path), why)
        elif (why := not_a_page(path.name)) is not None:
            yield Skipped(file_url(path), why)
        elif kind == "warc":
            yield from iter_warc(path, site, max_bytes)
        elif lazy:
            yield PageFile(file_url(path), str(path), kind, site, max_bytes)
        else:
            yield read_page(path, kind, site, max_bytes)
