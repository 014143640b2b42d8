"""`deboil serve` in a real headless browser (Debian's chromium, driven over CDP by Playwright).

A corpus of the bundled examples is loaded by the real CLI, served by the real command on a
loopback port, and read the way a person would: the pages table, the saved search, the
saved failure and issue queries, a row page.
"""
from __future__ import annotations

import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from deboil.db.browse import CELL_CHARS, DUPLICATE_CLUSTERS_SQL
from tests.support.cli import REPO, run_cli

CHROMIUM_FLAGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update",
                  "--disable-sync"]
SCREEN = {"width": 1400, "height": 1000}


def _chromium() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    assert path, "chromium is not installed (apt-get install -y chromium; .ci/run does this)"
    return path


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("serve")
    db = folder / "corpus.db"
    broken = folder / "broken.html.gz"
    broken.write_bytes(b"<html>not gzip at all</html>")
    copy = folder / "copy-of-000.txt"  # the same story at a second url: one duplicate cluster
    copy.write_bytes((REPO / "examples" / "000_de433351e9e33d62.txt").read_bytes())
    examples = REPO / "examples"
    inputs = [examples / "site", *sorted(examples.glob("*.txt")), *sorted(examples.glob("*.html")),
              broken, copy]
    # the .gz that is not gzip: one failure for the saved query, exit 1
    run_cli("load", *inputs, "--db", db, "--workers", "1", check=1)
    return db


@pytest.fixture(scope="module")
def server(corpus):
    port = _free_port()
    proc = subprocess.Popen([sys.executable, "-m", "deboil", "serve", "--db", str(corpus),
                             "--port", str(port)], cwd=REPO,
                            env=dict(os.environ, PYTHONPATH=str(REPO)),
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 60
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"deboil serve did not start: {proc.stdout.read()}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    proc.wait(timeout=10)


@pytest.fixture(scope="module")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_FLAGS)
        yield b
        b.close()


@pytest.fixture
def page(browser):
    p = browser.new_page(viewport=SCREEN)
    yield p
    p.close()


def _cells(page, column: str) -> list[str]:
    return page.eval_on_selector_all(
        f"table.rows-and-columns tbody td.col-{column}", "tds => tds.map(td => td.innerText)")


def test_pages_table_shows_many_rows_on_one_screen(server, corpus, page):
    page.goto(f"{server}/corpus/pages")
    headers = page.eval_on_selector_all("table.rows-and-columns th", "ths => ths.map(t => t.dataset.column)")
    assert "url" in headers and "title" in headers and "text" in headers
    assert "line_hashes" not in headers and "removed" not in headers  # internal, hidden
    # Facets offered on the page's own dimensions.
    facets = page.eval_on_selector_all(".facet-info", "fs => fs.map(f => f.dataset.column)")
    assert {"site", "lang", "page_type", "kind"} <= set(facets)
    # With the first row at the top of a 1400x1000 screen, count the rows wholly visible.
    page.eval_on_selector("table.rows-and-columns tbody tr", "tr => tr.scrollIntoView()")
    visible = page.eval_on_selector_all(
        "table.rows-and-columns tbody tr",
        "trs => trs.filter(r => { const b = r.getBoundingClientRect();"
        " return b.top >= 0 && b.bottom <= window.innerHeight; }).length")
    assert visible >= 12, f"only {visible} rows on one screen"
    texts = _cells(page, "text")
    assert any(t.endswith("…") for t in texts)  # long text cut in the table
    assert all(len(t) <= 121 for t in texts)


def test_row_page_shows_whole_text(server, corpus, page):
    url = f"file://{REPO / 'examples' / 'harbour-reopens.html'}"
    text = sqlite3.connect(corpus).execute("SELECT text FROM pages WHERE url = ?", [url]).fetchone()[0]
    assert len(text) > 200
    page.goto(f"{server}/corpus/pages?_search=harbour&_nocol=removed")
    page.click("td.col-url a[href$='harbour-reopens~2Ehtml']")
    shown = page.inner_text("td.col-text")
    assert shown.split() == text.split()


def test_foreign_keys_link_runs_pages_and_versions(server, page):
    page.goto(f"{server}/corpus/pages?_search=harbour")
    # The run that stored a page: a link to its runs row, labelled with the run's command.
    link = page.eval_on_selector("td.col-run_id a", "a => [a.innerText, a.getAttribute('href')]")
    assert link[0] == "load" and re.fullmatch(r"/corpus/runs/\d+", link[1]), link
    page.goto(f"{server}{link[1]}")
    linked = page.eval_on_selector_all("a", "as => as.map(a => a.getAttribute('href'))")
    run_id = link[1].rsplit("/", 1)[1]
    assert f"/corpus/pages?run_id={run_id}" in linked
    assert f"/corpus/versions?run_id={run_id}" in linked
    assert f"/corpus/failures?run_id={run_id}" in linked


def test_saved_search_ranks_and_highlights(server, page):
    page.goto(f"{server}/corpus/search")
    page.fill("input[name=q]", "harbour OR cycling")
    page.click("input[type=submit]")
    page.wait_for_selector("table.rows-and-columns tbody tr")
    titles = _cells(page, "title")
    ranks = [float(r) for r in _cells(page, "rank")]
    assert {"Harbour reopens after storm", "The cycling lanes"} <= set(titles)
    assert ranks == sorted(ranks)  # best match (lowest FTS5 rank) first
    marks = page.eval_on_selector_all(
        "table.rows-and-columns td.col-snippet mark", "ms => ms.map(m => m.innerText.toLowerCase())")
    assert marks and set(marks) <= {"harbour", "cycling"}
    assert len(marks) >= len(titles)  # every result's snippet shows its match


def test_saved_search_reads_invalid_fts5_as_words(server, page):
    page.goto(f"{server}/corpus/search?q=harbour-storm")
    assert "Harbour reopens after storm" in _cells(page, "title")
    assert "error" not in page.inner_text("body").lower()


def _as_shown(value: str) -> str:
    """A value as a table cell shows it: Datasette cuts it after CELL_CHARS characters."""
    return value if len(value) <= CELL_CHARS else value[:CELL_CHARS] + "\u2026"


def test_saved_queries_run(server, corpus, page):
    # Cells are cut after CELL_CHARS characters, and file urls are as long as the checkout's
    # path: what the page must show is the query's own value, cut the same way.
    clusters = sqlite3.connect(corpus).execute(DUPLICATE_CLUSTERS_SQL).fetchall()
    members = clusters[0][3].split(" | ")
    assert any(u.endswith("copy-of-000.txt") for u in members)
    page.goto(f"{server}/corpus/duplicate_clusters")
    assert _cells(page, "urls")[0] == _as_shown(clusters[0][3])
    assert _cells(page, "size")[0] == str(len(members)) == "2"
    page.goto(f"{server}/corpus/last_run_failures")
    urls = _cells(page, "url")
    assert any(u.endswith("broken.html.gz") for u in urls)
    page.goto(f"{server}/corpus/pages_with_issue?issue=low_text")
    site_index = f"file://{REPO / 'examples' / 'site' / 'index.html'}"
    assert _as_shown(site_index) in _cells(page, "url")
    url = f"file://{REPO / 'examples' / 'harbour-reopens.html'}"
    page.goto(f"{server}/corpus/url_versions")
    page.fill("input[name=url]", url)
    page.click("input[type=submit]")
    page.wait_for_selector("table.rows-and-columns tbody tr")
    assert _cells(page, "version") == ["1"]


def test_serve_is_read_only(server, corpus):
    import urllib.error
    import urllib.request

    # Arbitrary SQL is allowed for reading; a write is refused by the read-only connection.
    before = sqlite3.connect(corpus).execute("SELECT count(*) FROM pages").fetchone()[0]
    sql = "delete from pages"
    req = urllib.request.Request(f"{server}/corpus.json?sql={urllib.parse.quote(sql)}")
    try:
        urllib.request.urlopen(req, timeout=10).read()
    except urllib.error.HTTPError as exc:
        assert exc.code in (400, 403)
    after = sqlite3.connect(corpus).execute("SELECT count(*) FROM pages").fetchone()[0]
    assert after == before > 0


def test_serve_refuses_a_file_deboil_never_wrote(tmp_path):
    other = tmp_path / "other.db"
    con = sqlite3.connect(other)
    con.execute("CREATE TABLE t (x)")
    con.commit()
    con.close()
    proc = run_cli("serve", "--db", other, "--port", str(_free_port()), timeout=60)
    assert proc.returncode == 2 and "not a deboil database" in proc.stderr
    tables = {r[0] for r in sqlite3.connect(other).execute("SELECT name FROM sqlite_master")}
    assert tables == {"t"}  # left as it was
    missing = run_cli("serve", "--db", tmp_path / "none.db", timeout=60)
    assert missing.returncode == 2 and "no such database" in missing.stderr


def test_date_columns_described_on_the_table_page(server, page):
    """The date rule travels with the columns: the browser shows it on their headers."""
    page.goto(f"{server}/corpus/pages?_col=published&_col=published_local&_col=title")
    described = page.eval_on_selector_all(
        "th[data-column-description]", "ths => ths.map(th => [th.dataset.column, th.dataset.columnDescription])")
    got = dict(described)
    assert "+HH:MM" in got["published"] and "zone unknown" in got["published_local"]
