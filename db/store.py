"""Storage of clean pages, raw bytes, failures and runs in one SQLite file."""
from __future__ import annotations

import hashlib
import json
import os
import sqlite3
import zlib
from dataclasses import dataclass
from typing import Iterable, Iterator

import sqlite_utils

from cleaners.models import CleanPage, RawPage, utc_now
from cleaners.pipeline import SiteTemplate

from .schema import migrate

# Template lines need to repeat; a hash seen on one page only is not worth loading.
MIN_TEMPLATE_PAGES = 2


class UnusableDatabase(Exception):
    """The file cannot be used as a deboil database (not SQLite, newer schema, unwritable)."""


@dataclass
class Saved:
    url: str
    outcome: str  # "new", "changed" or "unchanged"
    version: int


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


class Store:
    """One deboil database. Writes go through `save_batch`, one transaction per batch."""

    def __init__(self, path: str, *, readonly: bool = False):
        self.path = str(path)
        try:
            if readonly:
                conn = sqlite3.connect(f"file:{self.path}?mode=ro", uri=True, timeout=30)
                self.db = sqlite_utils.Database(conn)
            else:
                self.db = sqlite_utils.Database(self.path)
                self.db.execute("PRAGMA busy_timeout = 30000")
                self.db.enable_wal()
                self.db.execute("PRAGMA synchronous = NORMAL")
                migrate(self.db)
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except (sqlite3.DatabaseError, RuntimeError, OSError) as exc:
            raise UnusableDatabase(f"{self.path}: {exc}") from exc
        self.conn = self.db.conn

    def close(self) -> None:
        self.conn.close()

    # --- runs -----------------------------------------------------------------------
    def begin_run(self, command: str, options: dict, job: str | None = None) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO runs (command, job, options, started, status, pid) VALUES (?,?,?,?,?,?)",
                (command, job, _json(options), utc_now(), "running", os.getpid()),
            )
        return cur.lastrowid

    def end_run(self, run_id: int, status: str, counts: dict, steps: dict | None = None,
                duration: float | None = None) -> None:
        with self.conn:
            self.conn.execute(
                "UPDATE runs SET ended=?, status=?, counts=?, steps=?, duration=? WHERE id=?",
                (utc_now(), status, _json(counts), _json(steps or {}), duration, run_id),
            )

    # --- pages ----------------------------------------------------------------------
    def save_batch(self, items: Iterable[tuple[RawPage | None, CleanPage]], run_id: int | None,
                   amend_run: int | None = None) -> list[Saved]:
        """Store clean pages (and their raw bytes when given) in one transaction.

        `amend_run`: a changed text whose latest version was written by that run replaces
        that version instead of adding one (a second cleaning pass within one job).
        """
        with self.conn:
            return [self._save(raw, page, run_id, amend_run) for raw, page in items]

    def save(self, raw: RawPage | None, page: CleanPage, run_id: int | None = None) -> Saved:
        return self.save_batch([(raw, page)], run_id)[0]

    def _save(self, raw: RawPage | None, page: CleanPage, run_id: int | None,
              amend_run: int | None = None) -> Saved:
        now = utc_now()
        text_hash = page.text_hash
        old = self.conn.execute(
            "SELECT text_hash, version, line_hashes, first_seen, last_changed, status,"
            " (SELECT run_id FROM versions v WHERE v.url = pages.url ORDER BY version DESC LIMIT 1)"
            " FROM pages WHERE url=?",
            (page.url,),
        ).fetchone()
        if old is None:
            outcome, version, first_seen, last_changed = "new", 1, now, now
        elif old[0] != text_hash:
            amend = amend_run is not None and old[6] == amend_run
            outcome, first_seen, last_changed = "changed", old[3], now
            version = old[1] if amend else old[1] + 1
        else:
            outcome, version, first_seen, last_changed = "unchanged", old[1], old[3], old[4]
        removed = [{"text": r.text, "reason": r.reason} for r in page.removed]
        line_hashes = sorted(set(getattr(page, "line_hashes", []) or []))
        row = {
            "url": page.url, "site": page.site, "source": page.source, "kind": page.kind,
            "title": page.title, "author": page.author, "published": page.published,
            "updated": page.updated, "canonical_url": page.canonical_url,
            "site_name": page.site_name, "page_type": page.page_type,
            "lang": page.lang, "lang_confidence": page.lang_confidence,
            "langs": _json(page.langs), "encoding": page.encoding,
            "encoding_source": page.encoding_source, "issues": _json(dict(page.issues)),
            "removed": _json(removed), "line_hashes": _json(line_hashes),
            "word_count": page.word_count,
            "removed_words": sum(len(r.text.split()) for r in page.removed),
            "text": page.text, "text_hash": text_hash, "version": version,
            "status": raw.status if raw else (old[5] if old else None),
            "fetched_at": page.fetched_at, "first_seen": first_seen, "last_seen": now,
            "last_changed": last_changed, "run_id": run_id,
        }
        cols = list(row)
        if old is None:
            self.conn.execute(
                f"INSERT INTO pages ({','.join(cols)}) VALUES ({','.join('?' * len(cols))})",
                list(row.values()),
            )
        else:
            self.conn.execute(
                f"UPDATE pages SET {','.join(c + '=?' for c in cols[1:])} WHERE url=?",
                [row[c] for c in cols[1:]] + [page.url],
            )
        if outcome != "unchanged":
            self.conn.execute(
                "INSERT OR REPLACE INTO versions (url, version, text_hash, title, text, fetched_at, run_id)"
                " VALUES (?,?,?,?,?,?,?)",
                (page.url, version, text_hash, page.title, page.text, page.fetched_at, run_id),
            )
        if raw is not None:
            self._save_raw(raw)
        if page.site:
            old_hashes = set(json.loads(old[2])) if old and old[2] else set()
            self._count_lines(page.site, old_hashes, set(line_hashes), is_new=old is None)
        return Saved(page.url, outcome, version)

    def _save_raw(self, raw: RawPage) -> None:
        h = raw.headers
        self.conn.execute(
            "INSERT OR REPLACE INTO raw (url, kind, site, source, body, size, content_type, headers,"
            " status, etag, last_modified, fetched_at, sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)",
            (raw.url, raw.kind, raw.site, raw.source, zlib.compress(raw.body, 6), len(raw.body),
             h.get("content-type"), _json(h), raw.status, h.get("etag"), h.get("last-modified"),
             raw.fetched_at, hashlib.sha256(raw.body).hexdigest()),
        )

    def _count_lines(self, site: str, old: set, new: set, is_new: bool) -> None:
        if is_new:
            self.conn.execute(
                "INSERT INTO sites (site, pages) VALUES (?, 1)"
                " ON CONFLICT(site) DO UPDATE SET pages = pages + 1", (site,))
        added, gone = new - old, old - new
        if added:
            self.conn.executemany(
                "INSERT INTO site_lines (site, hash, pages) VALUES (?, ?, 1)"
                " ON CONFLICT(site, hash) DO UPDATE SET pages = pages + 1",
                [(site, h) for h in added])
        if gone:
            self.conn.executemany(
                "UPDATE site_lines SET pages = pages - 1 WHERE site=? AND hash=?",
                [(site, h) for h in gone])

    def touch(self, url: str, run_id: int | None = None) -> None:
        """A fetch that found nothing new (304 or same text): only `last_seen` moves."""
        with self.conn:
            self.conn.execute("UPDATE pages SET last_seen=?, run_id=? WHERE url=?",
                              (utc_now(), run_id, url))

    def fail(self, url: str, stage: str, reason: str, run_id: int | None = None,
             level: str = "error") -> None:
        """Record a failure ("error": the page was not stored) or a "warning" (stored, damaged)."""
        with self.conn:
            self.conn.execute(
                "INSERT INTO failures (url, stage, level, reason, run_id, at) VALUES (?,?,?,?,?,?)",
                (url, stage, level, reason, run_id, utc_now()),
            )

    # --- reads used by the pipeline -------------------------------------------------
    def validators(self, url: str) -> dict:
        row = self.conn.execute("SELECT etag, last_modified FROM raw WHERE url=?", (url,)).fetchone()
        return {"etag": row[0], "last_modified": row[1]} if row else {}

    def text_hash(self, url: str) -> str | None:
        row = self.conn.execute("SELECT text_hash FROM pages WHERE url=?", (url,)).fetchone()
        return row[0] if row else None

    def site_template(self, site: str | None) -> SiteTemplate | None:
        if not site:
            return None
        row = self.conn.execute("SELECT pages FROM sites WHERE site=?", (site,)).fetchone()
        if not row:
            return SiteTemplate()
        lines = dict(self.conn.execute(
            "SELECT hash, pages FROM site_lines WHERE site=? AND pages >= ?",
            (site, MIN_TEMPLATE_PAGES)))
        return SiteTemplate(pages=row[0], line_pages=lines)

    def raw_pages(self, site: str | None = None, urls: Iterable[str] | None = None) -> Iterator[RawPage]:
        """Stored raw pages, decompressed lazily one at a time (for `reclean`)."""
        sql = "SELECT url, kind, site, source, body, headers, status, fetched_at FROM raw"
        args: list = []
        if site is not None:
            sql += " WHERE site = ?"
            args.append(site)
        wanted = set(urls) if urls is not None else None
        for url, kind, site_, source, body, headers, status, fetched_at in self.conn.execute(sql, args):
            if wanted is not None and url not in wanted:
                continue
            yield RawPage(url=url, body=zlib.decompress(body), kind=kind, site=site_,
                          source=source, fetched_at=fetched_at, status=status,
                          headers=json.loads(headers or "{}"))
