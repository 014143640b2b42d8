"""`deboil load --redis` + `deboil ingest` store what `deboil load` stores, through a real
Valkey server."""
from __future__ import annotations

import shutil

from tests.support.cli import run_cli
from tests.support.crawl_site import article, query

from deboil.distributed.keys import JobKeys, connect

COLUMNS = "url, site, title, text, lang, version, word_count, encoding"


def test_load_through_redis_stores_what_a_local_load_stores(tmp_path, redis_url):
    pages = tmp_path / "pages"
    pages.mkdir()
    for i in range(6):
        (pages / f"p{i}.html").write_text(article(f"Story {i}", i + 3, ["/a", "/b"]), encoding="utf-8")
    (pages / "broken.html").write_bytes(b"\x00\x01\x02" * 100)  # not a page: a failure, recorded
    (pages / "notes.pdf").write_bytes(b"%PDF-1.4")  # another kind of file: skipped
    shutil.copy(pages / "p0.html", pages / "copy.html")

    sent = run_cli("load", pages, "--redis", redis_url, "--job", "caps", "--site", "caps",
                   "--workers", "1")
    assert sent.returncode == 1, sent.stderr  # the broken file failed, and was sent as such
    assert "sent 7, failed 1, skipped 1" in sent.stdout
    assert connect(redis_url).xlen(JobKeys("caps").stream) == 8

    remote = tmp_path / "remote.db"
    run_cli("ingest", "--redis", redis_url, "--db", remote, "--job", "caps", "--idle-exit", "0.5",
            check=0)
    local = tmp_path / "local.db"
    run_cli("load", pages, "--db", local, "--site", "caps", "--workers", "1", check=1)

    sql = f"SELECT {COLUMNS} FROM pages ORDER BY url"
    assert query(remote, sql) == query(local, sql)
    assert len(query(remote, sql)) == 7
    raw = "SELECT url, body, size, sha256 FROM raw ORDER BY url"
    assert query(remote, raw) == query(local, raw)
    failures = "SELECT url, stage FROM failures WHERE level='error' ORDER BY url"
    assert query(remote, failures) == query(local, failures) != []
    assert connect(redis_url).xlen(JobKeys("caps").stream) == 0
