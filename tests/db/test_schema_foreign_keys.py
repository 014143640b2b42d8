"""The foreign-key migration: an older file gains declared links and keeps every row and its index."""
from __future__ import annotations

import sqlite3

import sqlite_utils

from deboil.db import Store
from deboil.db.schema import MIGRATIONS

FK_STEP = max(v for v, step in MIGRATIONS.items() if step.__name__ == "_v4")


def _old_file(path) -> None:
    """A file as deboil left it before the foreign keys: schema up to the step before."""
    db = sqlite_utils.Database(path)
    for version in range(1, FK_STEP):
        MIGRATIONS[version](db)
    db.execute(f"PRAGMA user_version = {FK_STEP - 1}")
    db["runs"].insert({"id": 7, "command": "load", "status": "ok"})
    for rowid, (url, title, text) in enumerate([
        ("file:///a.html", "Harbour reopens", "The harbour reopened after the storm."),
        ("file:///b.html", "Cycling lanes", "New cycling lanes open in the centre."),
    ], start=40):
        db.execute("INSERT INTO pages (rowid, url, title, text, issues, run_id, version)"
                   " VALUES (?,?,?,?,?,?,1)", [rowid, url, title, text, '{"low_text": 1}', 7])
        db.execute("INSERT INTO pages_fts (rowid, title, text) VALUES (?,?,?)", [rowid, title, text])
        db.execute("INSERT INTO versions (url, version, title, text, run_id) VALUES (?,1,?,?,7)",
                   [url, title, text])
    db.execute("INSERT INTO failures (url, stage, level, reason, run_id) VALUES"
               " ('file:///c.html', 'decode', 'error', 'not text', 7)")
    db.conn.commit()
    db.conn.close()


def test_migration_adds_foreign_keys_and_keeps_rows_and_index(tmp_path):
    path = tmp_path / "old.db"
    _old_file(path)
    Store(str(path)).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] >= FK_STEP
    fks = {(t, fk[3], fk[2], fk[4]) for t in ("pages", "versions", "failures")
           for fk in con.execute(f"PRAGMA foreign_key_list({t})")}
    assert fks == {("pages", "run_id", "runs", "id"), ("versions", "url", "pages", "url"),
                   ("versions", "run_id", "runs", "id"), ("failures", "run_id", "runs", "id")}
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM failures").fetchone()[0] == 1
    # The FTS index points at rowids: they survive the table's rebuild.
    hit = con.execute("SELECT pages.url FROM pages_fts JOIN pages ON pages.rowid = pages_fts.rowid"
                      " WHERE pages_fts MATCH 'cycling'").fetchall()
    assert hit == [("file:///b.html",)]
    indexes = {r[1] for r in con.execute("PRAGMA index_list(pages)")}
    assert {"idx_pages_site", "idx_pages_lang"} <= indexes
    assert con.execute("SELECT url, issue, count FROM page_issues ORDER BY url").fetchall() == [
        ("file:///a.html", "low_text", 1), ("file:///b.html", "low_text", 1)]


def test_migrated_file_still_takes_new_pages(tmp_path):
    from deboil.cleaners import RawPage, clean
    from deboil.models import PageRecord

    path = tmp_path / "old.db"
    _old_file(path)
    store = Store(str(path))
    page = clean(RawPage(url="file:///new.html", body=b"<html><body><article><p>"
                         + b"The ferry resumes its crossings on Thursday morning. " * 8
                         + b"</p></article></body></html>"))
    run = store.begin_run("load", {})
    store.save_batch([PageRecord(page)], run)
    store.close()
    con = sqlite3.connect(path)
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 3
    assert con.execute("SELECT pages.url FROM pages_fts JOIN pages ON pages.rowid = pages_fts.rowid"
                       " WHERE pages_fts MATCH 'ferry'").fetchall() == [("file:///new.html",)]

