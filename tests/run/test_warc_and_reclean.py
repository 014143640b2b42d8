"""WARC archives load like files; `reclean` re-runs the cleaners over stored raw bytes."""
from __future__ import annotations

import io
import sqlite3

from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from tests.support.cli import export_records, run_cli

PAGE = ("<html><head><title>Dam inspection finds cracks</title></head><body><article>"
        "<p>Inspectors found two small cracks in the old dam above the village on Friday, the water "
        "board said, and the reservoir will be lowered by a metre as a precaution.</p>"
        "<p>Residents downstream were told there is no immediate danger and no need to leave.</p>"
        "</article></body></html>")


def _warc(path, records):
    with open(path, "wb") as fh:
        writer = WARCWriter(fh, gzip=True)
        for url, ctype, body in records:
            headers = StatusAndHeaders("200 OK", [("Content-Type", ctype), ("ETag", '"v1"')],
                                       protocol="HTTP/1.1")
            writer.write_record(writer.create_warc_record(url, "response", payload=io.BytesIO(body),
                                                          http_headers=headers))


def test_warc_records_become_pages(tmp_path):
    archive = tmp_path / "crawl.warc.gz"
    _warc(archive, [
        ("https://news.example/dam", "text/html; charset=utf-8", PAGE.encode()),
        ("https://news.example/logo.png", "image/png", b"\x89PNG\r\n\x1a\n" + bytes(100)),
    ])
    db = tmp_path / "w.db"
    proc = run_cli("load", archive, "--db", db, check=0)
    assert "skipped 1" in proc.stdout
    rec = export_records(db)["https://news.example/dam"]
    assert rec["source"] == "warc" and rec["site"] == "news.example"
    assert rec["title"] == "Dam inspection finds cracks" and "two small cracks" in rec["text"]
    etag = sqlite3.connect(db).execute("SELECT etag FROM raw WHERE url=?", ("https://news.example/dam",)).fetchone()[0]
    assert etag == '"v1"'


def test_corrupt_warc_is_a_failure(tmp_path):
    bad = tmp_path / "broken.warc.gz"
    bad.write_bytes(b"\x1f\x8b\x08\x00garbage" * 10)
    db = tmp_path / "w.db"
    proc = run_cli("load", bad, "--db", db)
    assert proc.returncode == 1 and "broken.warc.gz" in proc.stderr
    assert sqlite3.connect(db).execute("SELECT stage FROM failures").fetchone()[0] == "read"


def test_reclean_uses_stored_raw_and_keeps_versions(tmp_path):
    page = tmp_path / "dam.html"
    page.write_text(PAGE, encoding="utf-8")
    db = tmp_path / "r.db"
    run_cli("load", page, "--db", db, check=0)
    page.unlink()  # the source is gone; the raw bytes in the database are enough
    con = sqlite3.connect(db)
    con.execute("UPDATE pages SET text = 'stale', text_hash = 'x'")  # as if an older cleaner wrote it
    con.commit()
    proc = run_cli("reclean", "--db", db, check=0)
    assert "changed 1" in proc.stdout
    text, version = con.execute("SELECT text, version FROM pages").fetchone()
    assert "two small cracks" in text and version == 2
