"""The writer against a real Valkey server and a real SQLite file: batches, claims, replays."""
from __future__ import annotations

import sqlite3

import pytest

from deboil.models import CleanPage, RawPage
from deboil.db import Store
from deboil.db.codec import seal, unpack
from deboil.distributed.entries import fail_entry, page_entry, skip_entry, touch_entry
from deboil.distributed.ingest import Writer
from deboil.distributed.keys import GROUP, JOBS, JobKeys, connect
from deboil.distributed.published import unpack_known, unpack_template
from deboil.distributed.keys import TEMPLATES


def page(i: int, text: str | None = None):
    url = f"https://site.example/{i}"
    body = f"<html><body><p>{text or f'page {i} text'}</p></body></html>".encode()
    raw = RawPage(url=url, body=body, site="site.example", source="crawl", status=200,
                  headers={"etag": f'"e{i}"', "content-type": "text/html"})
    clean = CleanPage(url=url, site="site.example", source="crawl", kind="html",
                      text=text or f"page {i} text", title=f"Page {i}",
                      line_hashes=["common", f"own{i}"], fetched_at=raw.fetched_at)
    clean.flag("invalid_utf8") if i == 3 else None
    return page_entry(url, clean, raw, seal(body), [[f"https://site.example/{i + 1}"], []])


def add(r, job, entries):
    r.sadd(JOBS, job)
    return [r.xadd(JobKeys(job).stream, e).decode() for e in entries]


def writer(redis_url, db, **kw):
    store = Store(str(db))
    w = Writer(connect(redis_url), store, idle_exit=0.3, **kw)
    w.open_run({})
    return w, store


def rows(db, sql):
    con = sqlite3.connect(db)
    try:
        return con.execute(sql).fetchall()
    finally:
        con.close()


def test_writer_stores_every_kind_of_entry_and_publishes(redis_url, tmp_path):
    r = connect(redis_url)
    db = tmp_path / "c.db"
    add(r, "news", [page(1), page(2), page(3), fail_entry("https://site.example/x", "fetch", "HTTP 404"),
                    skip_entry("https://site.example/p", "disallowed by robots.txt", "robots_skipped"),
                    {"k": "page", "url": "https://site.example/bad", "meta": "{"}])
    w, store = writer(redis_url, db)
    w.run()
    w.close_run("ok")
    store.close()
    assert rows(db, "SELECT url, version FROM pages ORDER BY url") == [
        (f"https://site.example/{i}", 1) for i in (1, 2, 3)]
    assert unpack(rows(db, "SELECT body FROM raw WHERE url='https://site.example/2'")[0][0]) \
        == b"<html><body><p>page 2 text</p></body></html>"
    fails = rows(db, "SELECT url, stage, level FROM failures ORDER BY url")
    assert ("https://site.example/x", "fetch", "error") in fails
    assert ("https://site.example/bad", "ingest", "error") in fails  # unreadable, recorded, skipped
    assert ("https://site.example/3", "decode", "warning") in fails
    assert w.counts["new"] == 3 and w.counts["robots_skipped"] == 1 and w.counts["failed"] == 2
    assert r.xlen(JobKeys("news").stream) == 0  # acknowledged and deleted
    etag, modified, links = unpack_known(r.hget(JobKeys("news").known, "https://site.example/1"))
    assert etag == '"e1"' and links == [["https://site.example/2"], []]
    assert unpack_template(r.hget(TEMPLATES, "site.example")).line_pages["common"] == 3
    # what a crawler's cleaning worker reads back (deboil.run.pool templates_from)
    from deboil.distributed.published import RedisTemplates

    template = RedisTemplates(redis_url).get("site.example")
    assert template.pages == 3 and template.line_pages["common"] == 3
    assert RedisTemplates(redis_url).get("unknown.example").pages == 0
    # a 304 only moves last_seen
    add(r, "news", [touch_entry("https://site.example/1", "https://site.example/1")])
    w, store = writer(redis_url, db)
    w.run()
    store.close()
    assert w.counts["not_modified"] == 1


def test_entries_a_dead_writer_left_pending_are_claimed(redis_url, tmp_path):
    r = connect(redis_url)
    db = tmp_path / "c.db"
    add(r, "news", [page(i) for i in range(5)])
    stream = JobKeys("news").stream
    r.xgroup_create(stream, GROUP, id="0")
    taken = r.xreadgroup(GROUP, "dead-writer", {stream: ">"}, count=3)  # read, never acknowledged
    assert len(taken[0][1]) == 3
    w, store = writer(redis_url, db, jobs=["news"])
    w.run()
    store.close()
    assert len(rows(db, "SELECT url FROM pages")) == 5
    assert r.xpending(stream, GROUP)["pending"] == 0


class DiesBeforeAck(Writer):
    def _acknowledge(self, done):
        raise KeyboardInterrupt("killed between commit and XACK")


def run_until_killed(cls, redis_url, db) -> None:
    """A writer of class `cls` (one that dies at some point of a batch) on job "news"."""
    store = Store(str(db))
    dead = cls(connect(redis_url), store, ["news"], idle_exit=0.3)
    dead.open_run({})
    with pytest.raises(KeyboardInterrupt):
        dead.run()
    store.close()


class DiesBeforePublish(Writer):
    def _publish(self, known_by_job, sites):
        raise KeyboardInterrupt("killed between commit and publishing validators")


def test_a_writer_killed_before_publishing_leaves_the_validators_to_the_next(redis_url, tmp_path):
    """Validators are published before the XACK, and again for replayed entries: a writer
    killed after its commit must not leave pages that a crawler can only fetch whole."""
    r = connect(redis_url)
    db = tmp_path / "c.db"
    add(r, "news", [page(1), page(2)])
    run_until_killed(DiesBeforePublish, redis_url, db)
    assert len(rows(db, "SELECT url FROM pages")) == 2  # committed
    assert not r.hgetall(JobKeys("news").known)  # never published
    w, store = writer(redis_url, db, jobs=["news"])
    w.run()
    store.close()
    assert w.counts["replayed"] == 2 and w.counts["new"] == 0
    for i in (1, 2):
        etag, _, links = unpack_known(r.hget(JobKeys("news").known, f"https://site.example/{i}"))
        assert etag == f'"e{i}"' and links == [[f"https://site.example/{i + 1}"], []]
    assert r.xpending(JobKeys("news").stream, GROUP)["pending"] == 0


def test_an_entry_replayed_after_its_commit_changes_nothing(redis_url, tmp_path):
    r = connect(redis_url)
    db = tmp_path / "c.db"
    add(r, "news", [page(1), page(2, "first text"), fail_entry("https://site.example/x", "fetch", "HTTP 500")])
    run_until_killed(DiesBeforeAck, redis_url, db)
    before = rows(db, "SELECT url, version, last_seen FROM pages ORDER BY url")
    assert len(before) == 2
    w, store = writer(redis_url, db, jobs=["news"])
    w.run()
    store.close()
    assert w.counts["replayed"] == 3 and w.counts["new"] == 0
    assert rows(db, "SELECT url, version, last_seen FROM pages ORDER BY url") == before
    assert rows(db, "SELECT count(*) FROM versions") == [(2,)]
    assert rows(db, "SELECT count(*) FROM failures") == [(1,)]
    # the same page sent again later (fetched again) is a new entry: unchanged, no version
    add(r, "news", [page(2, "first text"), page(1, "a changed text")])
    w, store = writer(redis_url, db, jobs=["news"])
    w.run()
    store.close()
    assert w.counts["unchanged"] == 1 and w.counts["changed"] == 1
    assert rows(db, "SELECT url, version FROM versions ORDER BY url, version") == [
        ("https://site.example/1", 1), ("https://site.example/1", 2), ("https://site.example/2", 1)]
    assert rows(db, "PRAGMA integrity_check") == [("ok",)]
