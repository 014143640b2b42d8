"""One bad input never stops a run, loses nothing stored, and is reported clearly."""
from __future__ import annotations

import sqlite3

import pytest

from deboil.crawler.files import iter_files
from deboil.db import Store
from deboil.run.runner import Runner
from tests.support.cli import run_cli

GOOD = ("<html><head><title>Good page</title></head><body><article><p>"
        + "The council approved the new library budget after a long debate on Monday evening. " * 5
        + "</p></article></body></html>")


@pytest.fixture
def setup(tmp_path):
    """A database that already holds one good page, and a folder for the bad input."""
    db = tmp_path / "t.db"
    good = tmp_path / "good"
    good.mkdir()
    (good / "good.html").write_text(GOOD, encoding="utf-8")
    run_cli("load", good, "--db", db, check=0)
    bad = tmp_path / "bad"
    bad.mkdir()
    (bad / "also-good.html").write_text(GOOD.replace("library", "swimming pool"), encoding="utf-8")
    return db, bad


def _failures(db):
    return sqlite3.connect(db).execute("SELECT url, stage, level, reason FROM failures").fetchall()


def _pages(db):
    return sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0]


def _load_bad(db, bad, name, expect_exit=1, **kw):
    proc = run_cli("load", bad, "--db", db, "--quiet", **kw)
    assert proc.returncode == expect_exit, proc.stderr
    target = str(bad / name)
    lines = [l for l in proc.stderr.splitlines() if target in l]
    assert len(lines) == 1, proc.stderr  # exactly one clear line naming the input
    assert _pages(db) >= 2  # the good page stored before and the one beside it are there
    return lines[0], [f for f in _failures(db) if f[0].endswith(name)]


def test_empty_file(setup):
    db, bad = setup
    (bad / "empty.html").write_bytes(b"")
    line, rows = _load_bad(db, bad, "empty.html")
    assert "empty" in line and rows and rows[0][1] == "read" and rows[0][2] == "error"


def test_binary_file(setup):
    db, bad = setup
    (bad / "photo.html").write_bytes(bytes(range(256)) * 50)
    line, rows = _load_bad(db, bad, "photo.html")
    assert "binary" in line and rows and rows[0][2] == "error"


def test_truncated_malformed_html_keeps_what_it_has(setup):
    db, bad = setup
    text = GOOD.replace("library", "harbour")
    (bad / "cut.html").write_text(text[: len(text) * 2 // 3].replace("</p>", "<div><span>"), encoding="utf-8")
    (bad / "garbage.html").write_text("<<<>>> </div></td> <p <p <a href=", encoding="utf-8")
    proc = run_cli("load", bad, "--db", db, "--quiet")
    assert proc.returncode == 1  # garbage has no text: a failure, but the run goes on
    con = sqlite3.connect(db)
    text = con.execute("SELECT text FROM pages WHERE url LIKE '%cut.html'").fetchone()[0]
    assert "harbour budget" in text
    assert [r for r in _failures(db) if r[0].endswith("garbage.html")][0][1] == "extract"
    assert "garbage.html" in proc.stderr


def test_invalid_utf8_is_stored_and_reported(setup):
    db, bad = setup
    body = ("Die Gemeinde hat das neue Budget für die Bibliothek nach langer Debatte "
            "am Montagabend genehmigt. Die Bürger können ab März wieder Bücher ausleihen.\n") * 3
    (bad / "latin.txt").write_bytes(body.encode("cp1252"))
    line, rows = _load_bad(db, bad, "latin.txt", expect_exit=0)
    assert "UTF-8" in line
    assert rows and rows[0][1] == "decode" and rows[0][2] == "warning"
    text = sqlite3.connect(db).execute("SELECT text FROM pages WHERE url LIKE '%latin.txt'").fetchone()[0]
    assert "für die Bibliothek" in text and "Bürger" in text


def test_huge_page_is_refused_without_reading_it_all(setup):
    db, bad = setup
    with open(bad / "huge.html", "wb") as fh:
        fh.write(b"<html><body><p>" + b"word " * (50 * 1024 * 1024 // 5) + b"</p></body></html>")
    line, rows = _load_bad(db, bad, "huge.html")
    assert "too large" in line and rows[0][1] == "read"


def test_file_that_disappears_during_the_run(tmp_path):
    pages = tmp_path / "p"
    pages.mkdir()
    for i in range(4):
        (pages / f"{i}.html").write_text(GOOD.replace("library", f"library {i}"), encoding="utf-8")
    store = Store(str(tmp_path / "t.db"))
    import io
    err = io.StringIO()
    runner = Runner(store, "load", {}, workers=1, err=err)
    for i, item in enumerate(iter_files([pages])):
        if i == 1:
            (pages / "3.html").unlink()  # listed already, gone before it is read
        runner.feed(item)
    result = runner.finish()
    assert result.counts["new"] == 3 and result.counts["failed"] == 1 and result.exit_code == 1
    assert "3.html" in err.getvalue() and "disappeared" in err.getvalue()
    assert store.conn.execute("SELECT reason FROM failures").fetchone()[0].startswith("file disappeared")


def test_database_that_is_not_sqlite(tmp_path):
    db = tmp_path / "notes.db"
    db.write_text("these are my notes, not a database\n" * 100)
    page = tmp_path / "a.html"
    page.write_text(GOOD, encoding="utf-8")
    proc = run_cli("load", page, "--db", db)
    assert proc.returncode == 2
    assert str(db) in proc.stderr and "database" in proc.stderr.lower()
    assert db.read_text().startswith("these are my notes")  # untouched
