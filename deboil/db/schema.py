"""Schema: created and migrated forward through sqlite-utils; version in PRAGMA user_version.

Plain column types and ISO-8601 UTC text timestamps so Datasette, pandas and sqlite3 read the
file without deboil. JSON columns (issues, removed, langs, counts) hold plain JSON text.
"""
from __future__ import annotations

import sqlite_utils

from deboil.db import dups
from deboil.stored_dates import restored

SCHEMA_VERSION = 7


def _v1(db: sqlite_utils.Database) -> None:
    db["pages"].create(
        {
            "url": str, "site": str, "source": str, "kind": str,
            "title": str, "author": str, "published": str, "updated": str,
            "canonical_url": str, "site_name": str, "page_type": str,
            "lang": str, "lang_confidence": float, "langs": str,
            "encoding": str, "encoding_source": str,
            "issues": str, "removed": str, "line_hashes": str,
            "word_count": int, "removed_words": int, "text": str, "text_hash": str,
            "version": int, "status": int, "fetched_at": str,
            "first_seen": str, "last_seen": str, "last_changed": str, "run_id": int,
        },
        pk="url",
        if_not_exists=True,
    )
    db["pages"].create_index(["site"], if_not_exists=True)
    db["pages"].create_index(["lang"], if_not_exists=True)
    db["versions"].create(
        {"url": str, "version": int, "text_hash": str, "title": str, "text": str,
         "fetched_at": str, "run_id": int},
        pk=("url", "version"),
        if_not_exists=True,
    )
    db["raw"].create(
        {"url": str, "kind": str, "site": str, "source": str, "body": bytes, "size": int,
         "content_type": str, "headers": str, "status": int, "etag": str,
         "last_modified": str, "fetched_at": str, "sha256": str},
        pk="url",
        if_not_exists=True,
    )
    db["failures"].create(
        {"id": int, "url": str, "stage": str, "level": str, "reason": str, "run_id": int, "at": str},
        pk="id",
        if_not_exists=True,
    )
    db["failures"].create_index(["url"], if_not_exists=True)
    db["runs"].create(
        {"id": int, "command": str, "job": str, "options": str, "started": str, "ended": str,
         "duration": float, "status": str, "counts": str, "steps": str, "pid": int},
        pk="id",
        if_not_exists=True,
    )
    # Site-level learning: on how many pages of a site each (normalised) line appeared.
    db["site_lines"].create({"site": str, "hash": str, "pages": int}, pk=("site", "hash"),
                            if_not_exists=True)
    db["sites"].create({"site": str, "pages": int}, pk="site", if_not_exists=True)
    # No triggers: Store indexes new and changed rows in bulk per batch, which is several
    # times faster than a trigger per row (see bench/speed.py). After editing `pages` by
    # other means, run `sqlite-utils rebuild-fts FILE pages`.
    db["pages"].enable_fts(["title", "text"], fts_version="FTS5", create_triggers=False,
                           tokenize="unicode61 remove_diacritics 2")


def _v2(db: sqlite_utils.Database) -> None:
    # The crawl frontier, kept per job so a killed crawl resumes where it stopped. `state`:
    # queued (to fetch), done (stored or processed), failed, skipped (robots, offsite).
    db["frontier"].create(
        {"job": str, "url": str, "depth": int, "state": str, "reason": str,
         "queued_at": str, "updated": str},
        pk=("job", "url"),
        if_not_exists=True,
    )
    db["frontier"].create_index(["job", "state"], if_not_exists=True)


def _v3(db: sqlite_utils.Database) -> None:
    # Every batch commits a small FTS5 segment; by default four of a size are merged at once,
    # so each entry is rewritten at every level, about a third of indexing time on small pages.
    # Merging 64 at a time rewrites far less; a search reads more segments, still ~1 ms on
    # 100,000 pages (bench/speed.py). Stored in pages_fts_config, so it holds for every writer.
    db.execute("INSERT INTO pages_fts (pages_fts, rank) VALUES ('automerge', 64)")
    db.execute("INSERT INTO pages_fts (pages_fts, rank) VALUES ('crisismerge', 128)")


def _v4(db: sqlite_utils.Database) -> None:
    # `deboil ingest`: the last stream entry stored per Redis stream, written in the same
    # transaction as the entries, so an entry delivered again after a crash is skipped.
    db["stream_offsets"].create({"stream": str, "last_id": str, "updated": str}, pk="stream",
                                if_not_exists=True)


def _v5(db: sqlite_utils.Database) -> None:
    # Declared links between tables, so Datasette (and other browsers of the file) show a run's
    # pages and a page's versions as links with labels. SQLite cannot add a constraint to a
    # table in place: sqlite-utils rebuilds each table once, keeping rowids (the FTS index
    # points at them) and indexes. Not enforced (PRAGMA foreign_keys stays off), so a failure
    # of a url never stored or a run row deleted by hand breaks nothing.
    db.add_foreign_keys([
        ("pages", "run_id", "runs", "id"),
        ("versions", "url", "pages", "url"),
        ("versions", "run_id", "runs", "id"),
        ("failures", "run_id", "runs", "id"),
    ])
    # One row per (page, issue code): `issues` is a JSON object, which Datasette cannot facet.
    db.execute(
        "CREATE VIEW IF NOT EXISTS page_issues AS"
        " SELECT pages.url, pages.site, pages.lang, pages.page_type, pages.kind,"
        " j.key AS issue, j.value AS count"
        " FROM pages, json_each(pages.issues) AS j"
    )



def _dups(db: sqlite_utils.Database) -> None:
    # Exact and near-duplicate index (issue 17): columns on pages, tables in db/dups.py.
    dups.create(db)


def _v7(db: sqlite_utils.Database) -> None:
    # Dates in one stored form per field (deboil/stored_dates.py): a time stated without a
    # zone is no longer stored as a naive date-time in published/updated (pandas turned those
    # into NaT beside offset-aware values); the field keeps the date and *_local the time.
    for column in ("published_local", "updated_local"):
        if column not in db["pages"].columns_dict:
            db["pages"].add_column(column, str)
    rows = db.execute("SELECT rowid, published, updated FROM pages"
                      " WHERE length(published) > 10 OR length(updated) > 10").fetchall()
    changes = []
    for rowid, published, updated in rows:
        (pub, pub_local), (upd, upd_local) = restored(published), restored(updated)
        changes.append((pub, pub_local, upd, upd_local, rowid))
    db.conn.executemany("UPDATE pages SET published=?, published_local=?, updated=?, updated_local=?"
                        " WHERE rowid=?", changes)


MIGRATIONS = {1: _v1, 2: _v2, 3: _v3, 4: _v4, 5: _v5, 6: _dups, 7: _v7}


def _version(db: sqlite_utils.Database) -> int:
    current = db.execute("PRAGMA user_version").fetchone()[0]
    if current > SCHEMA_VERSION:
        raise RuntimeError(
            f"database schema version {current} is newer than this deboil ({SCHEMA_VERSION})"
        )
    return current


# Columns added to existing tables without a schema version of their own (so branches that
# add versions do not collide); each added once, where missing.
ADDED_COLUMNS = [
    ("runs", "host", str),  # with pid: whether a 'running' run's process is still alive
]


def _missing_columns(db: sqlite_utils.Database) -> list[tuple[str, str, type]]:
    return [(t, c, k) for t, c, k in ADDED_COLUMNS
            if db[t].exists() and c not in db[t].columns_dict]


def migrate(db: sqlite_utils.Database) -> int:
    """Bring the file up to SCHEMA_VERSION in one write transaction.

    Two processes may open a new file at the same moment (two jobs' timers firing together).
    BEGIN IMMEDIATE takes the write lock first, so one of them migrates while the other waits
    (busy_timeout) and then reads the version again and finds nothing left to do. The version
    is read again inside the transaction for that reason.
    """
    if _version(db) == SCHEMA_VERSION and not _missing_columns(db):
        return SCHEMA_VERSION
    db.conn.execute("BEGIN IMMEDIATE")
    try:
        for version in range(_version(db) + 1, SCHEMA_VERSION + 1):
            MIGRATIONS[version](db)
            db.execute(f"PRAGMA user_version = {version}")
        for table, column, kind in _missing_columns(db):
            db[table].add_column(column, kind)
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise
    return SCHEMA_VERSION
