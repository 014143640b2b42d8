"""Store contracts the fast write path must keep, on a real SQLite file (not timed)."""
from __future__ import annotations

import multiprocessing
import os
import sqlite3
import time
import zlib

from deboil.db import Store
from deboil.db import queries as q
from deboil.db.schema import SCHEMA_VERSION
from deboil.models import CleanPage, PageRecord, RawPage


def _page(i: int, text: str, title: str | None = None) -> PageRecord:
    url = f"https://t.example/{i}"
    return PageRecord(CleanPage(url=url, text=text, lang="en", title=title or f"Page {i}"),
                      RawPage(url=url, body=f"<p>{text}</p>".encode(), kind="html"))


def test_raw_bodies_written_as_zlib_still_read(tmp_path):
    """Rows from before the switch to Zstandard hold zlib streams; reclean must still read them."""
    store = Store(str(tmp_path / "t.db"))
    record = _page(1, "old text")
    raw = record.raw
    store.save_batch([record], run_id=None)
    with store.conn:
        store.conn.execute("UPDATE raw SET body=? WHERE url=?", (zlib.compress(raw.body), raw.url))
    assert [r.body for r in store.raw_pages()] == [raw.body]


def test_raw_bytes_round_trip(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    small, big = _page(1, "short text"), _page(2, "long text " * 500)
    store.save_batch([small, big], run_id=None)
    got = {r.url: r.body for r in store.raw_pages()}
    assert got == {small.raw.url: small.raw.body, big.raw.url: big.raw.body}


def test_outcomes_versions_and_search(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    first = [_page(i, f"alpha common words number{i}") for i in range(5)]
    assert {s.outcome for s in store.save_batch(first, run_id=1)} == {"new"}
    # the same pages again: nothing changes, nothing is indexed twice
    assert {s.outcome for s in store.save_batch(first, run_id=2)} == {"unchanged"}
    assert len(q.search(store, "alpha", limit=50)) == 5
    # one text changes: the old words leave the index, the new ones enter it
    changed = _page(3, "bravo replaced words")
    saved = store.save_batch([changed], run_id=3)
    assert (saved[0].outcome, saved[0].version) == ("changed", 2)
    assert [r["url"] for r in q.search(store, "bravo")] == [changed.raw.url]
    assert changed.raw.url not in {r["url"] for r in q.search(store, "alpha", limit=50)}
    assert "[bravo]" in q.search(store, "bravo")[0]["snippet"]
    con = sqlite3.connect(tmp_path / "t.db")
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 6
    # the index agrees with its content table
    con.execute("INSERT INTO pages_fts (pages_fts) VALUES ('integrity-check')")


def test_url_twice_in_one_batch(tmp_path):
    store = Store(str(tmp_path / "t.db"))
    saved = store.save_batch([_page(1, "one text"), _page(1, "another text")], run_id=1)
    assert [(s.outcome, s.version) for s in saved] == [("new", 1), ("changed", 2)]
    assert [r["url"] for r in q.search(store, "another")] == ["https://t.example/1"]
    assert q.search(store, "one") == []


def test_older_database_is_migrated(tmp_path):
    path = tmp_path / "t.db"
    store = Store(str(path))
    store.save_batch([_page(1, "kept before the upgrade")], run_id=1)
    store.close()
    con = sqlite3.connect(path)
    con.execute("DELETE FROM pages_fts_config WHERE k IN ('automerge', 'crisismerge')")
    con.execute("PRAGMA user_version = 2")
    con.commit()
    con.close()
    store = Store(str(path))
    assert store.conn.execute("PRAGMA user_version").fetchone()[0] == SCHEMA_VERSION
    assert dict(store.conn.execute("SELECT k, v FROM pages_fts_config"))["automerge"] == 64
    assert [r["url"] for r in q.search(store, "upgrade")] == ["https://t.example/1"]


WRITER = """
import sys
from deboil.models import CleanPage, PageRecord, RawPage
from deboil.db import Store
store = Store(sys.argv[1])
for b in range(1000):
    store.save_batch([PageRecord(CleanPage(url=f"https://t.example/{b}/{i}", text=f"killed writer batch{b}",
                                           title="t"),
                                 RawPage(url=f"https://t.example/{b}/{i}", body=b"<p>x</p>"))
                      for i in range(500)], run_id=1)
    print(b, flush=True)
"""


def test_writer_killed_mid_run_keeps_committed_batches(tmp_path):
    """SIGKILL between or inside batches (helper threads busy): every committed page is
    stored and searchable, the index is consistent, and nothing half-written shows."""
    import signal
    import subprocess
    import sys
    from pathlib import Path

    path = tmp_path / "t.db"
    repo = Path(__file__).resolve().parents[2]
    proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], stdout=subprocess.PIPE,
                            text=True, cwd=repo, env={**os.environ, "PYTHONPATH": str(repo)})
    for _ in range(4):  # four batches committed, the fifth under way
        proc.stdout.readline()
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store(str(path))
    pages = store.conn.execute("SELECT count(*) FROM pages").fetchone()[0]
    assert pages >= 2000 and pages % 500 == 0
    store.conn.execute("INSERT INTO pages_fts (pages_fts) VALUES ('integrity-check')")
    assert len(q.search(store, "batch3", limit=1000)) == 500
    hits = store.conn.execute("SELECT count(*) FROM pages_fts WHERE pages_fts MATCH 'killed'").fetchone()[0]
    assert hits == pages


def _open_together(path: str, start: float, results) -> None:
    while time.time() < start:  # both processes open the file at the same moment
        pass
    try:
        store = Store(path)
        store.record_run("crawl", {}, "job", "busy")
        store.close()
        results.put("ok")
    except Exception as exc:  # noqa: BLE001 - reported to the test
        results.put(repr(exc))


def test_two_processes_opening_a_new_file_at_once_both_succeed(tmp_path):
    """Two timers firing together on a new database: one migrates, the other waits for it.
    Before, the loser failed with 'table already exists' or 'database is locked'."""
    ctx = multiprocessing.get_context("fork")
    for i in range(12):
        path, results = str(tmp_path / f"{i}.db"), ctx.Queue()
        start = time.time() + 0.2
        procs = [ctx.Process(target=_open_together, args=(path, start, results)) for _ in range(2)]
        for p in procs:
            p.start()
        outcomes = [results.get(timeout=60) for _ in procs]
        for p in procs:
            p.join()
        assert outcomes == ["ok", "ok"], (i, outcomes)
        with sqlite3.connect(path) as conn:
            assert conn.execute("SELECT status, count(*) FROM runs GROUP BY status").fetchall() \
                == [("busy", 2)]
            assert conn.execute("PRAGMA journal_mode").fetchone() == ("wal",)


def test_stored_word_count_follows_the_text_counted_last(tmp_path):
    """A worker's count travels with the page; a text changed after it was counted is counted again."""
    import pickle

    counted, changed = _page(1, "one two three"), _page(2, "one two three")
    assert counted.page.word_count == changed.page.word_count == 3
    changed.page.text += " four"
    store = Store(str(tmp_path / "t.db"))
    store.save_batch([pickle.loads(pickle.dumps(r)) for r in (counted, changed)], run_id=None)
    assert dict(store.conn.execute("SELECT url, word_count FROM pages")) == {
        counted.page.url: 3, changed.page.url: 4}
