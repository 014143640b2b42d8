"""SQL of `deboil ingest`: what a batch of stream entries writes besides its pages, and the
stream offsets that make an entry delivered twice (a writer killed before its XACK) a no-op.

Everything here runs inside `Store.save_batch`'s transaction (its `also` hook): the pages,
these rows and the new offset commit together or not at all.
"""
from __future__ import annotations

import sqlite3
from dataclasses import dataclass, field

from ..models import utc_now


def stream_id(value: str) -> tuple[int, int]:
    """A Redis stream id "ms-seq" as a comparable pair."""
    ms, _, seq = value.partition("-")
    return int(ms), int(seq or 0)


@dataclass
class BatchExtras:
    run_id: int | None
    failures: list[tuple[str, str, str, str]] = field(default_factory=list)  # url, stage, level, reason
    touched: list[str] = field(default_factory=list)  # urls answered 304
    offsets: dict[str, str] = field(default_factory=dict)  # stream -> last id in this batch

    def __call__(self, conn: sqlite3.Connection) -> None:
        now = utc_now()
        if self.failures:
            conn.executemany(
                "INSERT INTO failures (url, stage, level, reason, run_id, at) VALUES (?,?,?,?,?,?)",
                [(u, s, lvl, r, self.run_id, now) for u, s, lvl, r in self.failures])
        if self.touched:
            conn.executemany("UPDATE pages SET last_seen=?, run_id=? WHERE url=?",
                             [(now, self.run_id, u) for u in self.touched])
        if self.offsets:
            conn.executemany(
                "INSERT INTO stream_offsets (stream, last_id, updated) VALUES (?,?,?)"
                " ON CONFLICT(stream) DO UPDATE SET last_id=excluded.last_id, updated=excluded.updated",
                [(s, i, now) for s, i in self.offsets.items()])


def stream_offsets(conn: sqlite3.Connection) -> dict[str, tuple[int, int]]:
    """The last stored entry id of each stream."""
    return {s: stream_id(i) for s, i in conn.execute("SELECT stream, last_id FROM stream_offsets")}


def stored_validators(conn: sqlite3.Connection, urls: list[str]) -> dict[str, tuple]:
    """(etag, last_modified) of stored pages among `urls`."""
    from .store import url_chunks

    out = {}
    for marks, chunk in url_chunks(urls):
        out.update((u, (e, m)) for u, e, m in conn.execute(
            f"SELECT r.url, r.etag, r.last_modified FROM raw r JOIN pages p ON p.url = r.url"
            f" WHERE r.url IN ({marks})", chunk))
    return out
