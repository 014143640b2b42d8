"""The command line on a real SQLite file: load, reload, export, search, show, stats, runs."""
from __future__ import annotations

import gzip
import json
import sqlite3

import pytest

from tests.support.cli import export_records, run_cli

ARTICLE = """<!doctype html><html lang="en"><head><meta charset="utf-8">
<title>Harbour reopens after storm | Coast Daily</title>
<meta name="author" content="Ana Pereira"><meta property="article:published_time" content="2024-03-05T08:30:00Z">
</head><body><nav><a href="/">Home</a> <a href="/news">News</a></nav>
<article><h1>Harbour reopens after storm</h1>
<p>The harbour reopened on Tuesday after engineers cleared the debris left by last week's storm, the port authority said.</p>
<p>Fishing boats returned to their moorings before noon, and the ferry service to the islands will resume on Thursday morning.</p>
<p>Repairs to the northern breakwater are expected to take another two months and will cost about four million euros.</p>
</article><footer>Share this article on Facebook. © 2024 Coast Daily. All rights reserved.</footer></body></html>"""


@pytest.fixture
def pages(tmp_path):
    d = tmp_path / "pages"
    (d / "sub").mkdir(parents=True)
    (d / "a.html").write_text(ARTICLE, encoding="utf-8")
    (d / "sub" / "b.html.gz").write_bytes(gzip.compress(ARTICLE.replace("Tuesday", "Monday").encode()))
    (d / "c.txt").write_text("Harbour news\n\n" + "The ferry service to the islands resumes on Thursday morning after a week of storms and closures.\n" * 3, encoding="utf-8")
    (d / "notes.pdf").write_bytes(b"%PDF-1.4 not a page")
    return d


def test_load_export_fields_and_file_urls(tmp_path, pages):
    db = tmp_path / "t.db"
    proc = run_cli("load", pages, "--db", db, check=0)
    assert "skipped 1" in proc.stdout
    recs = export_records(db)
    assert set(recs) == {f"file://{pages / 'a.html'}", f"file://{pages / 'sub' / 'b.html.gz'}",
                         f"file://{pages / 'c.txt'}"}
    rec = recs[f"file://{pages / 'a.html'}"]
    for field in ("url", "site", "source", "title", "author", "published", "updated", "lang",
                  "lang_confidence", "encoding", "issues", "word_count", "text", "removed"):
        assert field in rec
    assert rec["title"] == "Harbour reopens after storm"
    assert rec["published"].startswith("2024-03-05")
    assert rec["lang"] == "en" and rec["encoding"] == "utf-8"
    assert "engineers cleared the debris" in rec["text"]
    assert "All rights reserved" not in rec["text"]


def test_reload_updates_without_duplicates_and_versions_only_on_change(tmp_path, pages):
    db = tmp_path / "t.db"
    run_cli("load", pages, "--db", db, check=0)
    run_cli("load", pages, "--db", db, check=0)
    con = sqlite3.connect(db)
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 3
    assert con.execute("SELECT count(*) FROM versions").fetchone()[0] == 3
    (pages / "a.html").write_text(ARTICLE.replace("four million", "five million"), encoding="utf-8")
    run_cli("load", pages / "a.html", "--db", db, check=0)
    url = f"file://{pages / 'a.html'}"
    assert con.execute("SELECT version FROM pages WHERE url=?", (url,)).fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM versions WHERE url=?", (url,)).fetchone()[0] == 2
    assert con.execute("SELECT count(*) FROM pages").fetchone()[0] == 3
    assert con.execute("PRAGMA user_version").fetchone()[0] >= 1
    assert con.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_db_from_environment(tmp_path, pages):
    db = tmp_path / "env.db"
    run_cli("load", pages / "a.html", env={"DEBOIL_DB": str(db)}, check=0)
    assert sqlite3.connect(db).execute("SELECT count(*) FROM pages").fetchone()[0] == 1


def test_search_show_stats_runs(tmp_path, pages):
    db = tmp_path / "t.db"
    run_cli("load", pages, "--db", db, check=0)
    hits = json.loads(run_cli("search", "breakwater repairs", "--db", db, "--json", check=0).stdout)
    assert hits and "breakwater" in hits[0]["snippet"].lower()
    assert json.loads(run_cli("search", "zebra-unicorn", "--db", db, "--json", check=0).stdout) == []
    shown = run_cli("show", f"file://{pages / 'a.html'}", "--db", db, check=0).stdout
    assert "Harbour reopens after storm" in shown and "engineers cleared" in shown
    stats = json.loads(run_cli("stats", "--db", db, "--json", check=0).stdout)
    assert stats["pages"] == 3 and stats["by_lang"].get("en") == 3
    runs = json.loads(run_cli("runs", "--db", db, "--json", check=0).stdout)
    assert runs[0]["command"] == "load" and runs[0]["status"] == "ok"
    assert runs[0]["counts"]["new"] == 3 and "language" in runs[0]["steps"]


def test_csv_export(tmp_path, pages):
    db = tmp_path / "t.db"
    run_cli("load", pages, "--db", db, check=0)
    out = tmp_path / "x.csv"
    run_cli("export", "--db", db, "--format", "csv", "--output", out, check=0)
    import csv
    rows = list(csv.DictReader(out.open(encoding="utf-8")))
    assert len(rows) == 3 and {"url", "title", "text", "lang", "removed"} <= set(rows[0])


@pytest.mark.parametrize("command", ["load", "crawl", "export", "search", "show", "stats", "runs", "reclean", "serve"])
def test_every_command_has_help(command):
    proc = run_cli(command, "--help")
    if command == "crawl" and proc.returncode != 0:
        pytest.fail("crawl has no --help")
    assert proc.returncode == 0 and "Usage" in proc.stdout


def test_usage_error_exit_code(tmp_path):
    assert run_cli("load", "--db", tmp_path / "x.db").returncode == 2
    assert run_cli("export", "--format", "xml").returncode == 2
