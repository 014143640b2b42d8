"""Events a source produces: a raw page, a file skipped on purpose, or an input that failed."""
from __future__ import annotations

import os
import stat
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit


@dataclass
class Skipped:
    url: str
    reason: str


@dataclass
class Failed:
    url: str
    stage: str
    reason: str


# Responses an archive or a mirrored folder holds beside its pages: crawl machinery, not text.
NOT_PAGE_NAMES = {"robots.txt", "sitemap.xml", "sitemap_index.xml", "humans.txt", "ads.txt",
                  "security.txt", "favicon.ico"}


def not_a_page(url: str, status: int | None = None) -> str | None:
    """Why a response is not a page (skipped and counted, not failed), or None."""
    if status is not None and not 200 <= status < 300:
        return f"not a page (HTTP {status})"
    name = urlsplit(url).path.rsplit("/", 1)[-1].lower()
    if name in NOT_PAGE_NAMES or (name.startswith("sitemap") and ".xml" in name):
        return f"not a page ({name})"
    return None


def open_regular(path) -> BinaryIO:
    """Open a regular file for reading, refusing anything else without blocking on it:
    opening a FIFO for reading waits for a writer, and a device can stream for ever."""
    fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOCTTY", 0))
    try:
        mode = os.fstat(fd).st_mode
        if not stat.S_ISREG(mode):
            raise NotRegular(path, mode)
        os.set_blocking(fd, True)
        return os.fdopen(fd, "rb")
    except BaseException:
        os.close(fd)
        raise


class NotRegular(OSError):
    def __init__(self, path, mode: int):
        super().__init__(f"not a regular file ({file_type(mode)})")
        self.strerror = str(self)


def file_type(mode: int) -> str:
    for test, name in ((stat.S_ISFIFO, "FIFO"), (stat.S_ISCHR, "character device"),
                       (stat.S_ISBLK, "block device"), (stat.S_ISSOCK, "socket"),
                       (stat.S_ISDIR, "folder")):
        if test(mode):
            return name
    return "special file"
