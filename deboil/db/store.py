"""Storage of clean pages, raw bytes, failures and runs in one SQLite file."""
from __future__ import annotations

import json
import os
import socket
import sqlite3
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from typing import Callable, Iterable, Iterator

import sqlite_utils

from deboil.models import CleanPage, PageRecord, RawPage, utc_now
from deboil.models import SiteTemplate

from deboil.db.codec import Packed, seal, unpack
from deboil.db.dups import DupIndex
from deboil.db.schema import migrate
from deboil.db.validators import readonly_uri

# Template lines need to repeat; a hash seen on one page only is not worth loading.
MIN_TEMPLATE_PAGES = 2
# WAL pages after which a commit checkpoints by itself (SQLite's default is 1,000).
WAL_LIMIT = 10_000
# Seconds a writer waits for another's write lock before the database counts as unusable.
LOCK_TIMEOUT = float(os.environ.get("DEBOIL_LOCK_TIMEOUT", "30"))
# Tables that make a file deboil's; any other non-empty database belongs to someone else.
OWN_TABLES = {"pages", "raw", "runs", "failures"}


def _fast_adapters() -> None:
    """Python's sqlite3 binds int, float and str directly but sends None and bytes through its
    adapter lookup first; finding no adapter (on 3.11: a formatted AttributeError, raised and
    cleared) costs ~0.6 us a value, and a stored page binds ~20 of them (author, published,
    ... and the raw body). Identity adapters make the lookup succeed at once: the same NULL
    and BLOB are bound, ~4x cheaper. Process-wide, so set when a writing Store opens, not on
    import; they change no value anyone binds."""
    sqlite3.register_adapter(type(None), {}.get)  # a C function returning None for any key
    sqlite3.register_adapter(bytes, bytes)  # bytes(b) is b


def url_chunks(urls: Iterable[str], size: int = 500) -> Iterator[tuple[str, list[str]]]:
    """(placeholders, urls) pairs for `WHERE url IN (...)` over any number of urls, in
    chunks below SQLite's limit on bound parameters."""
    urls = list(urls)
    for i in range(0, len(urls), size):
        chunk = urls[i:i + size]
        yield ",".join("?" * len(chunk)), chunk


def _alive(pid: int | None) -> bool:
    if not pid:
        return True  # unknown: leave it alone
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True  # someone else's process
    return True


def _refuse_foreign(db: sqlite_utils.Database) -> None:
    """Another application's database is left as it is: no tables added, no version set."""
    tables = {r[0] for r in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    if tables and not OWN_TABLES <= tables:
        shown = ", ".join(sorted(tables)[:5]) + (", ..." if len(tables) > 5 else "")
        raise UnusableDatabase(f"not a deboil database (it holds other tables: {shown}); "
                               "give --db a new file")


class UnusableDatabase(Exception):
    """The file cannot be used as a deboil database (not SQLite, newer schema, unwritable)."""


class StorageError(Exception):
    """The batch was rolled back because one of its values cannot be stored (an integer
    beyond 64 bits, text that is not valid Unicode, ...); the database itself is fine."""


# What a bad value raises while a batch is bound; OperationalError (locked, read-only, disk
# full) is not among them: it means the database itself is unusable.
_BAD_VALUE = (OverflowError, ValueError, UnicodeError, TypeError, sqlite3.InterfaceError,
              sqlite3.IntegrityError, sqlite3.DataError)


@dataclass
class Saved:
    url: str
    outcome: str  # "new", "changed" or "unchanged"
    version: int


def _json(value) -> str:
    return json.dumps(value, ensure_ascii=False, sort_keys=True)


PAGE_COLUMNS = (
    "url", "site", "source", "kind", "title", "author", "published", "updated", "published_local",
    "updated_local", "canonical_url", "site_name", "page_type", "lang", "lang_confidence", "langs", "encoding", "encoding_source",
    "issues", "removed", "line_hashes", "word_count", "removed_words", "text", "text_hash",
    "version", "status", "fetched_at", "first_seen", "last_seen", "last_changed", "run_id",
)
_COL = {c: i for i, c in enumerate(PAGE_COLUMNS)}
_INSERT_PAGE = (f"INSERT INTO pages (rowid,{','.join(PAGE_COLUMNS)})"
                f" VALUES ({','.join('?' * (len(PAGE_COLUMNS) + 1))})")
_UPDATE_PAGE = f"UPDATE pages SET {','.join(c + '=?' for c in PAGE_COLUMNS[1:])} WHERE url=?"
_INSERT_VERSION = ("INSERT OR REPLACE INTO versions (url, version, text_hash, title, text, fetched_at,"
                   " run_id) VALUES (?,?,?,?,?,?,?)")
# A version row holds the same values as its url's pages row: when each url comes once in a
# batch, they are copied from there in SQL instead of being bound a second time.
_COPY_VERSIONS = ("INSERT OR REPLACE INTO versions (url, version, text_hash, title, text, fetched_at,"
                  " run_id) SELECT url, version, text_hash, title, text, fetched_at, run_id FROM pages")
_FTS_DELETE = ("INSERT INTO pages_fts (pages_fts, rowid, title, text)"
               " SELECT 'delete', rowid, title, text FROM pages WHERE url IN ({marks})")
# New index entries are staged in a connection-private table, then indexed by one statement.
_FTS_STAGE = "INSERT INTO temp.deboil_fts_batch (rowid, title, text) VALUES (?,?,?)"
_FTS_INSERT = ("INSERT INTO pages_fts (rowid, title, text)"
               " SELECT rowid, title, text FROM temp.deboil_fts_batch")
_INSERT_RAW = ("INSERT OR REPLACE INTO raw (url, kind, site, source, body, size, content_type, headers,"
               " status, etag, last_modified, fetched_at, sha256) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?)")


def _signature_of(signed, text_hash: str):
    """A worker's near-duplicate signature when it was made from the text being stored (a
    record's text can be replaced after cleaning); None makes the index compute it."""
    return signed[1] if signed is not None and signed[0] == text_hash else None


def _enable_wal(db: sqlite_utils.Database, attempts: int = 60) -> None:
    """Switch the file to WAL. Two connections switching a new file at the same moment can
    each hold the lock the other needs; SQLite then answers one of them BUSY at once, without
    waiting for busy_timeout, and leaves the retry to the caller."""
    for attempt in range(attempts):
        try:
            db.enable_wal()
            return
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or attempt == attempts - 1:
                raise
            time.sleep(0.05)


class Store:
    """One deboil database. Writes go through `save_batch`, one transaction per batch."""

    def __init__(self, path: str, *, readonly: bool = False, index_dups: bool = True):
        """`index_dups=False` stores pages without matching them for copies (benchmarks
        measure what the matching costs that way); pages stored so are never matched."""
        self.path = str(path)
        self.readonly = readonly
        try:
            if readonly:
                conn = sqlite3.connect(readonly_uri(self.path), uri=True, timeout=LOCK_TIMEOUT)
                self.db = sqlite_utils.Database(conn)
                _refuse_foreign(self.db)
            else:
                _fast_adapters()
                # Shared with one helper thread per batch (see save_batch), never at once.
                self.db = sqlite_utils.Database(sqlite3.connect(self.path, check_same_thread=False))
                self.db.execute(f"PRAGMA busy_timeout = {int(LOCK_TIMEOUT * 1000)}")
                _refuse_foreign(self.db)  # before anything is written to it
                _enable_wal(self.db)
                self.db.execute("PRAGMA synchronous = NORMAL")
                # save_batch checkpoints from its own connection, beside the writing; this
                # one only steps in if the WAL grows past ~40 MB (checkpoints falling behind).
                self.db.execute(f"PRAGMA wal_autocheckpoint = {WAL_LIMIT}")
                migrate(self.db)
                # Untyped, so values reach the index exactly as bound (see _index).
                self.db.execute("CREATE TEMP TABLE IF NOT EXISTS deboil_fts_batch (title, text)")
            self.db.execute("SELECT count(*) FROM sqlite_master").fetchone()
        except UnusableDatabase as exc:
            raise UnusableDatabase(f"{self.path}: {exc}") from None
        except (sqlite3.DatabaseError, RuntimeError, OSError) as exc:
            raise UnusableDatabase(f"{self.path}: {exc}") from exc
        self.conn = self.db.conn
        self._checkpointer: sqlite3.Connection | None = None
        self.dups = DupIndex(self.conn) if index_dups and not readonly else None
        if self.dups is not None and self.dups.needs_rebuild():
            with self.conn:  # pages stored before the index existed (or under other parameters)
                self.conn.execute("BEGIN IMMEDIATE")
                if self.dups.needs_rebuild():
                    self.dups.rebuild()

    def close(self) -> None:
        """Close; a writer first moves the WAL into the database file and empties it, so the
        .db file alone (a `cp` of it) holds everything."""
        if self._checkpointer is not None:
            self._checkpointer.close()
            self._checkpointer = None
        if not self.readonly:
            try:
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.OperationalError:
                pass  # another connection is reading: its own close will checkpoint
        self.conn.close()

    def _checkpoint(self) -> None:
        """Copy committed WAL frames into the database file (PASSIVE: never waits for the
        writer or readers). Run by a helper thread while save_batch writes the next batch."""
        if self._checkpointer is None:
            self._checkpointer = sqlite3.connect(self.path, check_same_thread=False)
        self._checkpointer.execute("PRAGMA wal_checkpoint(PASSIVE)")

    # --- runs -----------------------------------------------------------------------
    def begin_run(self, command: str, options: dict, job: str | None = None) -> int:
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO runs (command, job, options, started, status, pid, host)"
                " VALUES (?,?,?,?,?,?,?)",
                (command, job, _json(options), utc_now(), "running", os.getpid(), socket.gethostname()),
            )
        return cur.lastrowid

    def close_dead_runs(self) -> int:
        """Runs left 'running' by a process of this host that is gone (killed, crashed):
        marked 'killed', so no run stays 'running' for ever."""
        rows = self.conn.execute("SELECT id, pid FROM runs WHERE status='running' AND host=?",
                                 (socket.gethostname(),)).fetchall()
        dead = [(utc_now(), run_id) for run_id, pid in rows if not _alive(pid)]
        if dead:
            with self.conn:
                self.conn.executemany("UPDATE runs SET status='killed', ended=? WHERE id=?", dead)
        return len(dead)

    def record_run(self, command: str, options: dict, job: str | None, status: str) -> int:
        """A run that ended as it began (e.g. `busy`): one row, in one statement, so no
        other process ever sees it 'running'."""
        now = utc_now()
        with self.conn:
            cur = self.conn.execute(
                "INSERT INTO runs (command, job, options, started, ended, duration, status, counts,"
                " steps, pid) VALUES (?,?,?,?,?,?,?,?,?,?)",
                (command, job, _json(options), now, now, 0.0, status, "{}", "{}", os.getpid()),
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
    def save_batch(self, items: Iterable[PageRecord], run_id: int | None,
                   amend_run: int | None = None, also=None) -> list[Saved]:
        """Store clean pages in one transaction; StorageError (all rolled back) when one of
        them holds a value SQLite cannot take."""
        try:
            return self._save_batch(items, run_id, amend_run, also)
        except _BAD_VALUE as exc:
            raise StorageError(f"{type(exc).__name__}: {exc}") from exc

    def _save_batch(self, items: Iterable[PageRecord], run_id: int | None,
                    amend_run: int | None = None, also=None) -> list[Saved]:
        """Store clean pages (and their raw bytes when given) in one transaction.

        Work is done batch-wise (one lookup, then executemany per table) because per-row
        statements cost more than the SQLite work itself. `amend_run`: a changed text whose
        latest version was written by that run replaces that version instead of adding one
        (a second cleaning pass within one job).
        """
        # A record's `packed` is the raw body already sealed (codec.seal) by the worker that
        # cleaned it; then raw.body is not read.
        items = list(items)
        now = utc_now()
        hashes = [it.page.text_hash for it in items]  # sha256 of each text, computed once
        # a url twice: its last page is the one indexed
        latest = {it.page.url: (it.page, h) for it, h in zip(items, hashes)}
        once = len(latest) == len(items)
        with self.conn, ThreadPoolExecutor(2, thread_name_prefix="deboil-store") as helper:
            # Checkpointing is file copying and syncing; done here it overlaps this batch
            # instead of stalling a commit (~15% of wall time on small pages).
            helper.submit(self._checkpoint)
            # IMMEDIATE: what the lookup finds, and the rowids handed out, hold until commit.
            self.conn.execute("BEGIN IMMEDIATE")
            old = self._existing(set(latest))
            rowids, stale = self._to_index(old, latest)
            self._for_urls(_FTS_DELETE, stale)
            # Tokenising is most of the SQLite work and runs without the GIL: the helper feeds
            # the index (external content needs only rowid, title, text) while this thread
            # builds the rows. Nothing else touches the connection until it is done.
            self.conn.executemany(_FTS_STAGE, [
                (rowid, latest[url][0].title, latest[url][0].text) for url, rowid in rowids.items()])
            indexed = helper.submit(self._index)
            inserts, updates, versions, raws, lines, saved = [], [], [], [], [], []
            renewed = []  # stored urls given a new version
            for it, text_hash in zip(items, hashes):
                raw, page = it.raw, it.page
                row, version_row, result = self._plan(raw, page, text_hash, old.get(page.url), run_id,
                                                      amend_run, now)
                if page.url in old:
                    updates.append(row[1:] + row[:1])
                else:
                    inserts.append((rowids[page.url],) + row)
                if version_row:
                    versions.append(version_row)
                    if page.url in old:
                        renewed.append(page.url)
                if raw is not None:
                    raws.append(self._raw_row(raw, it.packed))
                if page.site:
                    before = set(json.loads(old[page.url][2] or "[]")) if page.url in old else set()
                    lines.append((page.site, before, set(page.line_hashes), page.url not in old))
                # a url seen twice in one batch: the second sees the first as stored (a page
                # without a new version had a stored row, so its last version's run stands)
                old[page.url] = (row[_COL["text_hash"]], row[_COL["version"]], row[_COL["line_hashes"]],
                                 row[_COL["first_seen"]], row[_COL["last_changed"]], row[_COL["status"]],
                                 run_id if version_row else old[page.url][6])
                saved.append(result)
            indexed.result()
            if inserts:
                self.conn.executemany(_INSERT_PAGE, inserts)
            if updates:
                self.conn.executemany(_UPDATE_PAGE, updates)
            if versions and once:
                # new pages are the rowids above those stored before; changed ones go by url
                if inserts:
                    self.conn.execute(_COPY_VERSIONS + " WHERE rowid >= ?", (inserts[0][0],))
                self._for_urls(_COPY_VERSIONS + " WHERE url IN ({marks})", renewed)
            elif versions:
                self.conn.executemany(_INSERT_VERSION, versions)
            if raws:
                self.conn.executemany(_INSERT_RAW, raws)
            self._count_lines(lines)
            if self.dups is not None:  # new texts are matched against all stored before them
                signed = {it.page.url: it.signature for it in items}
                self.dups.update((rowid, latest[url][0].text, latest[url][0].site,
                                  _signature_of(signed[url], latest[url][1]))
                                 for url, rowid in rowids.items())
            if also is not None:
                also(self.conn)
        return saved

    def _to_index(self, old: dict, latest: dict) -> tuple[dict[str, int], list[str]]:
        """{url: rowid} of the pages whose index entry is (re)written, new pages taking the next
        free rowids, and the urls whose current entry must go first (text or title changed)."""
        rowids, stale = {}, []
        last = self.conn.execute("SELECT coalesce(max(rowid), 0) FROM pages").fetchone()[0]
        for url, (page, text_hash) in latest.items():
            o = old.get(url)
            if o is None:
                last += 1
                rowids[url] = last
            elif (text_hash, page.title) != (o[0], o[7]):
                rowids[url] = o[8]
                stale.append(url)
        return rowids, stale

    def _index(self) -> None:
        """Index the staged rows in one statement. executemany straight into pages_fts took
        the GIL back after every row while the other thread was building rows in Python, so
        it waited out the interpreter's switch interval (5 ms) between rows and the two hardly
        overlapped; one INSERT ... SELECT holds no GIL from start to end."""
        self.conn.execute(_FTS_INSERT)
        self.conn.execute("DELETE FROM temp.deboil_fts_batch")

    def _existing(self, urls: set[str]) -> dict[str, tuple]:
        found: dict[str, tuple] = {}
        for marks, chunk in url_chunks(urls):
            found.update((r[0], r[1:]) for r in self.conn.execute(
                "SELECT url, text_hash, version, line_hashes, first_seen, last_changed, status,"
                " (SELECT run_id FROM versions v WHERE v.url = pages.url ORDER BY version DESC LIMIT 1),"
                f" title, rowid FROM pages WHERE url IN ({marks})", chunk))
        return found

    def _for_urls(self, sql: str, urls: list[str]) -> None:
        for marks, chunk in url_chunks(dict.fromkeys(urls)):
            self.conn.execute(sql.format(marks=marks), chunk)

    @staticmethod
    def _plan(raw, page: CleanPage, text_hash: str, old, run_id, amend_run, now):
        """The pages row, the versions row (if the text is new) and the outcome for one page."""
        if old is None:
            outcome, version, first_seen, last_changed = "new", 1, now, now
        elif old[0] != text_hash:
            amend = amend_run is not None and old[6] == amend_run
            outcome, first_seen, last_changed = "changed", old[3], now
            version = old[1] if amend else old[1] + 1
        else:
            outcome, version, first_seen, last_changed = "unchanged", old[1], old[3], old[4]
        removed = [{"text": r.text, "reason": r.reason} for r in page.removed]
        line_hashes = sorted(set(page.line_hashes))
        row = (
            page.url, page.site, page.source, page.kind, page.title, page.author, page.published,
            page.updated, page.published_local, page.updated_local, page.canonical_url, page.site_name, page.page_type, page.lang,
            page.lang_confidence, _json(page.langs) if page.langs else "{}",
            page.encoding, page.encoding_source,
            _json(dict(page.issues)) if page.issues else "{}",
            _json(removed) if removed else "[]", _json(line_hashes) if line_hashes else "[]",
            page.word_count, sum(len(r.text.split()) for r in page.removed), page.text, text_hash,
            version, raw.status if raw is not None else (old[5] if old else None),
            page.fetched_at, first_seen, now, last_changed, run_id,
        )
        version_row = None
        if outcome != "unchanged":
            version_row = (page.url, version, text_hash, page.title, page.text, page.fetched_at, run_id)
        return row, version_row, Saved(page.url, outcome, version)

    @staticmethod
    def _raw_row(raw: RawPage, packed: Packed | None = None) -> tuple:
        h = raw.headers
        frame, size, sha = packed or seal(raw.body)
        return (raw.url, raw.kind, raw.site, raw.source, frame, size,
                h.get("content-type"), _json(h) if h else "{}", raw.status, h.get("etag"),
                h.get("last-modified"), raw.fetched_at, sha)

    def _count_lines(self, lines: list[tuple[str, set, set, bool]]) -> None:
        """Per-site line counts from (site, hashes before, hashes now, page is new); sums, so
        the whole batch's additions go first and its removals after."""
        new_sites = [(site,) for site, _, _, is_new in lines if is_new]
        added = [(site, h) for site, old, new, _ in lines for h in new - old]
        gone = [(site, h) for site, old, new, _ in lines for h in old - new]
        if new_sites:
            self.conn.executemany(
                "INSERT INTO sites (site, pages) VALUES (?, 1)"
                " ON CONFLICT(site) DO UPDATE SET pages = pages + 1", new_sites)
        if added:
            self.conn.executemany(
                "INSERT INTO site_lines (site, hash, pages) VALUES (?, ?, 1)"
                " ON CONFLICT(site, hash) DO UPDATE SET pages = pages + 1", added)
        if gone:
            self.conn.executemany(
                "UPDATE site_lines SET pages = pages - 1 WHERE site=? AND hash=?", gone)

    def mark_dead_runs(self, command: str, job: str | None) -> None:
        """Runs of `command` (and job) still 'running' whose process is known to be gone."""
        with self.conn:
            self.conn.execute("UPDATE runs SET status='killed' WHERE command=? AND job IS ?"
                              " AND status='running'", (command, job))

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

    def raw_pages(self, site: str | None = None, urls: Iterable[str] | None = None,
                  on_error: Callable[[str, str, str], None] | None = None) -> Iterator[RawPage]:
        """Stored raw pages, decompressed lazily one at a time (for `reclean`). With `urls`,
        only those rows are read (by key, in chunks), not the whole table. A row that cannot
        be read back (corrupt body or headers) goes to `on_error(url, stage, reason)`."""
        sql = "SELECT url, kind, site, source, body, headers, status, fetched_at FROM raw"
        if urls is not None:
            queries = [(f" WHERE url IN ({marks})", chunk) for marks, chunk in url_chunks(urls)]
        elif site is not None:
            queries = [(" WHERE site = ?", [site])]
        else:
            queries = [("", [])]
        for where, args in queries:
            for url, kind, site_, source, body, headers, status, fetched_at in self.conn.execute(sql + where, args):
                try:
                    page = RawPage(url=url, body=unpack(body), kind=kind, site=site_,
                                   source=source, fetched_at=fetched_at, status=status,
                                   headers=json.loads(headers or "{}"))
                except Exception as exc:  # zstd/zlib errors, bad JSON, a body that is not bytes
                    if on_error is None:
                        raise
                    on_error(url, "read", f"stored raw body cannot be read: {type(exc).__name__}: {exc}")
                    continue
                yield page
