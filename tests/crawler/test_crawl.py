"""The crawler against a real loopback site: what is stored, what failed and why, what was
never fetched, and conditional re-crawls. Real SQLite files, real HTTP, `deboil` as a
subprocess (Twisted's reactor runs once per process)."""
from __future__ import annotations

import json
import re

import pytest

from deboil.crawler.testserver import SiteServer
from tests.support.crawl_site import FAILED, STORED, deboil, fixture_site, path_of, query, write_job


@pytest.fixture
def site():
    with SiteServer() as server:
        server.cases = fixture_site(server)
        yield server


def crawl(tmp_path, server, *extra):
    # The refused url is on another port of the same host: another origin, allowed here.
    refused = server.cases["refused"].rsplit("/", 1)[0]
    config = write_job(tmp_path / "deboil.toml", server, allowed_origins=[refused])
    return deboil("crawl", "--job", "fixture", "--config", str(config),
                  "--db", str(tmp_path / "c.db"), "--workers", "1", *extra)


def test_first_crawl_stores_pages_and_records_failures(tmp_path, site):
    done = crawl(tmp_path, site)
    assert done.returncode == 1, done.stderr  # some urls failed, and were recorded
    db = tmp_path / "c.db"

    stored = {path_of(u) for (u,) in query(db, "SELECT url FROM pages")}
    assert stored == STORED

    failures = {path_of(u): (stage, reason) for u, stage, reason in
                query(db, "SELECT url, stage, reason FROM failures WHERE level='error'")}
    assert set(failures) == set(FAILED)
    for path, expected in FAILED.items():
        stage, reason = failures[path]
        assert stage == "fetch" and expected in reason, (path, reason)

    # robots.txt obeyed, the other domain never asked, the loop stopped.
    hits = site.hits
    assert not [h for h in hits if h.path.startswith("/private/")]
    assert not [h for h in hits if h.headers.get("host", "").startswith("localhost")]
    assert sum(h.path == "/loop-a" for h in hits) <= 2
    # robots.txt asked once (Scrapy's fetch; its Sitemap: lines are read from that one).
    assert sum(h.path == "/robots.txt" for h in hits) == 1
    (state, reason), = query(db, "SELECT state, reason FROM frontier WHERE url LIKE '%/private/%'")
    assert state == "skipped" and "robots.txt" in reason

    # Validators kept for the next run; pages found only via the sitemap and the feed are in.
    etag, last_modified, ctype = query(
        db, "SELECT etag, last_modified, content_type FROM raw WHERE url=?", (site.url("/a.html"),))[0]
    assert etag and last_modified and ctype.startswith("text/html")

    # The wrongly declared charset was decoded into real Cyrillic text, with a warning.
    text, encoding = query(db, "SELECT text, encoding FROM pages WHERE url=?",
                           (site.url("/mislabeled.html"),))[0]
    assert "Уважаемая редакция" in text and encoding != "utf-8"
    assert set(query(db, "SELECT stage, level FROM failures WHERE url=?",
                     (site.url("/mislabeled.html"),))) == {("decode", "warning")}

    (counts_json, status, job), = query(db, "SELECT counts, status, job FROM runs WHERE command='crawl'")
    counts = json.loads(counts_json)
    assert job == "fixture" and status == "failed"
    assert counts["fetched"] == len(STORED) and counts["new"] == len(STORED)
    assert counts["failed"] == len(FAILED) and counts["robots_skipped"] == 1
    assert f"failed {len(FAILED)}" in done.stdout  # one summary line
    assert "deboil: " in done.stderr  # each failure reported


def test_recrawl_is_conditional_and_versions_only_changes(tmp_path, site):
    db = tmp_path / "c.db"
    crawl(tmp_path, site)
    versions = query(db, "SELECT count(*) FROM versions")[0][0]
    site.clear()

    again = crawl(tmp_path, site)
    assert again.returncode == 1  # the same urls still fail
    page_hits = [h for h in site.hits if h.path in STORED]
    assert {h.path for h in page_hits} >= STORED - {"/target.html"}  # reached through /moved
    for h in page_hits:
        assert "if-none-match" in h.headers and "if-modified-since" in h.headers, h.path
    assert all(h.status == 304 for h in page_hits)
    assert query(db, "SELECT count(*) FROM versions")[0][0] == versions
    counts = json.loads(query(db, "SELECT counts FROM runs WHERE command='crawl' ORDER BY id DESC")[0][0])
    assert counts["not_modified"] == len(STORED) and counts["new"] == 0 and counts["changed"] == 0

    site.route("/b.html", body=site.routes["/b.html"].body.replace("Bravo report 3.1", "Bravo update 3.1"))
    crawl(tmp_path, site)
    assert query(db, "SELECT count(*) FROM versions")[0][0] == versions + 1
    assert query(db, "SELECT version FROM pages WHERE url=?", (site.url("/b.html"),))[0][0] == 2
    counts = json.loads(query(db, "SELECT counts FROM runs WHERE command='crawl' ORDER BY id DESC")[0][0])
    assert counts["changed"] == 1 and counts["not_modified"] == len(STORED) - 1


def test_unchanged_text_without_validators_only_touches(tmp_path):
    with SiteServer() as server:
        server.route("/", body="<html><body><article><p>" + "Same words every time. " * 40
                     + "</p></article></body></html>", validators=False)
        config = write_job(tmp_path / "deboil.toml", server, sitemaps=False)
        args = ("crawl", "--job", "fixture", "--config", str(config), "--db", str(tmp_path / "c.db"))
        assert deboil(*args).returncode == 0
        assert deboil(*args).returncode == 0
    db = tmp_path / "c.db"
    assert query(db, "SELECT count(*) FROM versions")[0][0] == 1
    counts = json.loads(query(db, "SELECT counts FROM runs WHERE command='crawl' ORDER BY id DESC")[0][0])
    assert counts["unchanged"] == 1 and counts["fetched"] == 1


def test_depth_and_patterns_limit_the_crawl(tmp_path, site):
    db = str(tmp_path / "c.db")
    done = deboil("crawl", site.url("/"), "--db", db, "--delay", "0", "--no-autothrottle",
                  "--timeout", "1", "--retries", "0", "--depth", "1", "--deny", r"/(slow|big|broken|refused)",
                  "--allow", r"\.html$|/$", "--workers", "0")
    assert done.returncode == 0, done.stderr  # the failing urls were excluded by patterns
    stored = {path_of(u) for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")}
    assert "/a.html" in stored and "/from-feed.html" in stored
    assert not {h.path for h in site.hits} & {"/slow", "/big", "/broken", "/missing"}
    assert query(tmp_path / "c.db", "SELECT DISTINCT site FROM pages") == [("127.0.0.1",)]
    (job,), = query(tmp_path / "c.db", "SELECT job FROM runs WHERE command='crawl'")
    assert re.fullmatch(r"127\.0\.0\.1-[0-9a-f]{8}", job)  # named after its seeds


def test_crawl_usage_errors_exit_2(tmp_path):
    # These stop before Scrapy starts, so they can run in this process.
    from click.testing import CliRunner

    from deboil.cli import main

    db = str(tmp_path / "c.db")
    (tmp_path / "bad.db").write_bytes(b"not a database at all" * 100)
    (tmp_path / "bad.toml").write_text("[jobs.x]\nseeds = 'http://127.0.0.1:9/'\nspeed = 3\n")
    for args in (["crawl", "--db", db],
                 ["crawl", "ftp://example.com/", "--db", db],
                 ["crawl", "http://127.0.0.1:9/", "--job", "x", "--db", db],
                 ["crawl", "--job", "nope", "--config", str(tmp_path / "none.toml"), "--db", db],
                 ["crawl", "--job", "x", "--config", str(tmp_path / "bad.toml"), "--db", db],
                 ["crawl", "http://127.0.0.1:9/", "--deny", "(", "--db", db],
                 ["crawl", "http://127.0.0.1:9/", "--db", str(tmp_path / "bad.db")]):
        result = CliRunner().invoke(main, args)
        assert result.exit_code == 2, (args, result.output)


def test_retry_after_is_honoured(tmp_path):
    """A 503 with Retry-After: the retry waits as asked (not the short back-off), then the
    page is stored."""
    with SiteServer() as server:
        server.route("/robots.txt", body="User-agent: *\n", content_type="text/plain")
        server.route("/", body="<html><body><a href='/busy.html'>busy</a></body></html>")
        server.route("/busy.html", body=_page("Busy"), fail_first=1,
                     fail_headers={"Retry-After": "2"})
        config = write_job(tmp_path / "deboil.toml", server, timeout=5.0, retry_backoff=0.1)
        done = deboil("crawl", "--job", "fixture", "--config", str(config),
                      "--db", str(tmp_path / "c.db"), "--workers", "1")
        assert done.returncode in (0, 1), done.stderr
        hits = [h for h in server.hits if h.path == "/busy.html"]
    assert [h.status for h in hits] == [503, 200]
    assert hits[1].at - hits[0].at >= 1.9  # Retry-After (2 s), not the 0.1 s back-off
    stored = {path_of(u) for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")}
    assert "/busy.html" in stored


def _page(title: str) -> str:
    para = "<p>" + "The harbour council met again on Tuesday to discuss the timetable. " * 8 + "</p>"
    return f"<html><head><title>{title}</title></head><body><article><h1>{title}</h1>{para * 3}</article></body></html>"


@pytest.mark.parametrize("obey", [True, False])
def test_robots_sitemaps_read_from_one_fetch(tmp_path, obey):
    """Sitemap: lines are followed whether the job obeys robots.txt (read from Scrapy's own
    fetch) or not (the spider asks for the file itself); either way it is asked for once."""
    with SiteServer() as server:
        server.route("/robots.txt", body=f"User-agent: *\nDisallow: /private.html\n"
                     f"Sitemap: {server.url('/sitemap.xml')}\n", content_type="text/plain")
        server.route("/", body=_page("Home"))
        server.route("/private.html", body=_page("Private"))
        server.route("/sitemap.xml", content_type="application/xml", body=(
            '<?xml version="1.0" encoding="UTF-8"?>\n'
            '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{server.url('/listed.html')}</loc></url>"
            f"<url><loc>{server.url('/private.html')}</loc></url></urlset>"))
        server.route("/listed.html", body=_page("Listed"))
        config = write_job(tmp_path / "deboil.toml", server, obey_robots=obey)
        done = deboil("crawl", "--job", "fixture", "--config", str(config),
                      "--db", str(tmp_path / "c.db"), "--workers", "1")
        assert done.returncode == 0, done.stderr
        hits = [h.path for h in server.hits]
    assert hits.count("/robots.txt") == 1
    stored = {path_of(u) for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")}
    assert stored == ({"/", "/listed.html"} | (set() if obey else {"/private.html"}))
    assert query(tmp_path / "c.db", "SELECT state FROM frontier WHERE url=?",
                 (server.url("/robots.txt"),)) == [("done",)]
