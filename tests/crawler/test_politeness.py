"""A crawl stays polite and contained against hostile loopback sites: robots.txt for every
request (concurrent seeds, resumed queues), http(s) only, bounded bodies, no redirect of any
kind off the allowed origins (scheme, host and port), one lock per real database file.
Real HTTP on 127.0.0.1, real SQLite files, `deboil` as a subprocess."""
from __future__ import annotations

import os
import subprocess
import sys
import time
import zlib

import pytest
from tests.support.crawl_site import REPO, article, deboil, env, path_of, query, write_job

from deboil.crawler.testserver import SiteServer
from deboil.run.crawl import EXIT_BUSY

ROBOTS = "User-agent: *\nDisallow: /private/\n"


def run(tmp_path, server, *extra, db="c.db", **options):
    config = write_job(tmp_path / "deboil.toml", server, **options)
    return deboil("crawl", "--job", "fixture", "--config", str(config),
                  "--db", str(tmp_path / db), "--workers", "1", *extra)


def run_measured(tmp_path, server, db="c.db", **options) -> tuple[int, str, int]:
    """(exit code, stderr, peak RSS in MB) of one crawl process."""
    config = write_job(tmp_path / "deboil.toml", server, **options)
    proc = subprocess.Popen(
        [sys.executable, "-m", "deboil", "crawl", "--job", "fixture", "--config", str(config),
         "--db", str(tmp_path / db), "--workers", "0"],
        cwd=REPO, env=env(), stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    err = proc.stderr.read().decode(errors="replace")
    _, status, usage = os.wait4(proc.pid, 0)
    proc.returncode = os.waitstatus_to_exitcode(status)
    return proc.returncode, err, usage.ru_maxrss // 1024


def running(db) -> bool:
    try:
        return bool(query(db, "SELECT count(*) FROM runs WHERE status='running'")[0][0])
    except Exception:  # not created yet
        return False


def failures(db) -> dict[str, str]:
    return dict(query(db, "SELECT url, reason FROM failures WHERE level='error'"))


# --- 1. robots.txt -----------------------------------------------------------------------
def test_robots_checked_for_concurrent_seeds_on_one_host(tmp_path):
    with SiteServer() as server:
        server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
        seeds = ["/", "/private/1.html", "/private/2.html", "/private/3.html", "/a.html"]
        for i, path in enumerate(seeds):
            server.route(path, body=article(f"Page {i}", i))
        config = tmp_path / "deboil.toml"
        write_job(config, server, concurrency_per_domain=4, sitemaps=False)
        text = config.read_text().replace(f'seeds = ["{server.url("/")}"]',
                                          "seeds = [%s]" % ", ".join(f'"{server.url(p)}"' for p in seeds))
        config.write_text(text)
        done = deboil("crawl", "--job", "fixture", "--config", str(config),
                      "--db", str(tmp_path / "c.db"), "--workers", "1")
        assert done.returncode == 0, done.stderr
        hits = server.paths()
    assert not [p for p in hits if p.startswith("/private/")], hits
    assert {path_of(u) for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")} == {"/", "/a.html"}
    assert query(tmp_path / "c.db", "SELECT count(*) FROM frontier WHERE state='skipped'"
                 " AND reason LIKE '%robots.txt%'") == [(3,)]


def test_robots_checked_in_a_resumed_crawl(tmp_path):
    with SiteServer() as server:
        server.route("/robots.txt", body=ROBOTS, content_type="text/plain")
        private = [f"/private/{i}.html" for i in range(4)]
        public = [f"/p/{i}.html" for i in range(8)]
        server.route("/", body=article("Index", 0, private + public))
        for i, path in enumerate(private + public):
            server.route(path, body=article(f"Page {i}", i + 1))
        first = run(tmp_path, server, concurrency_per_domain=4, max_pages=1, sitemaps=False)
        assert first.returncode == 0, first.stderr
        queued = query(tmp_path / "c.db", "SELECT count(*) FROM frontier WHERE state='queued'")[0][0]
        assert queued >= 4  # the run stopped with the private pages still queued
        again = run(tmp_path, server, concurrency_per_domain=4, max_pages=100, sitemaps=False)
        assert again.returncode == 0 and "(resumed)" in again.stdout, again.stderr
        hits = server.paths()
    assert not [p for p in hits if p.startswith("/private/")], hits
    stored = {path_of(u) for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")}
    assert stored == {"/"} | set(public)


# --- 2. http(s) only ---------------------------------------------------------------------
def test_file_urls_are_never_fetched_from_any_discovery_path(tmp_path):
    secret = tmp_path / "private"
    secret.mkdir()
    (secret / "secret.html").write_text(article("LOCALSECRET", 1), encoding="utf-8")
    with SiteServer() as server:
        local = f"file://127.0.0.1{secret}"  # the host is the crawl's own
        # Read from disk, these would send the crawl to pages no http path leads to.
        (secret / "sitemap.xml").write_text(
            '<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<url><loc>{server.url('/only-in-local-sitemap.html')}</loc></url></urlset>",
            encoding="utf-8")
        (secret / "feed.xml").write_text(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>x</title>'
            f"<item><link>{server.url('/only-in-local-feed.html')}</link></item></channel></rss>",
            encoding="utf-8")
        for path in ("/only-in-local-sitemap.html", "/only-in-local-feed.html"):
            server.route(path, body=article("Reached through a local file", 3))
        server.route("/robots.txt", content_type="text/plain",
                     body=f"User-agent: *\nSitemap: {local}/sitemap.xml\n"
                          f"Sitemap: {server.url('/sitemap-index.xml')}\n")
        server.route("/sitemap-index.xml", content_type="application/xml", body=(
            '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            f"<sitemap><loc>{local}/secret.html</loc></sitemap></sitemapindex>"))
        server.route("/", body=article("Home", 0, [f"{local}/secret.html", "/jump", "/refresh.html"],
                     extra_head=f'<link rel="alternate" type="application/rss+xml" href="{local}/feed.xml">'))
        server.route("/jump", status=302, redirect=f"{local}/secret.html")
        server.route("/refresh.html", body=article("Refresh", 2, extra_head=(
            f'<meta http-equiv="refresh" content="0; url={local}/secret.html">')))
        done = run(tmp_path, server)
        hits = server.paths()
    assert not [p for p in hits if p.startswith("/only-in-local")], hits
    db = tmp_path / "c.db"
    assert not query(db, "SELECT url FROM pages WHERE url NOT LIKE 'http://%'")
    assert not query(db, "SELECT url FROM pages WHERE text LIKE '%LOCALSECRET%'")
    assert not query(db, "SELECT url FROM frontier WHERE url LIKE 'file:%'")
    reasons = failures(db)
    assert "redirect to another origin not followed: file://" in reasons[server.url("/jump")]
    assert done.returncode == 1  # the refused redirect, recorded
    # A meta refresh to file: is not followed: the page itself is what is stored.
    assert query(db, "SELECT count(*) FROM pages WHERE url=?", (server.url("/refresh.html"),)) == [(1,)]


# --- 3. bounded bodies -------------------------------------------------------------------
def gzip_members(*parts: bytes) -> bytes:
    out = b""
    for part in parts:
        c = zlib.compressobj(9, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
        out += c.compress(part) + c.flush()
    return out


def test_gzip_body_without_content_encoding_is_inflated_within_max_bytes(tmp_path):
    """A 300 KB sitemap that is gzip (no Content-Encoding, so Scrapy's limit does not see it)
    and inflates to 300 MB: the sniff reads 2 KB, the parse stops at max_bytes."""
    head = (b'<?xml version="1.0"?><urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
            b"<url><loc>/a.html</loc></url>")
    spaces = gzip_members(b" " * (1 << 20))
    bomb = gzip_members(head) + spaces * 300 + gzip_members(b"</urlset>")
    assert len(bomb) < 400_000
    with SiteServer() as server:
        server.route("/robots.txt", content_type="text/plain",
                     body=f"User-agent: *\nSitemap: {server.url('/sitemap.xml')}\n")
        server.route("/", body=article("Home", 0))
        server.route("/a.html", body=article("A", 1))
        server.route("/sitemap.xml", body=gzip_members(head + b"</urlset>"),
                     content_type="application/octet-stream")
        _, _, baseline_mb = run_measured(tmp_path, server, db="base.db", max_bytes=400_000)
        server.route("/sitemap.xml", body=bomb, content_type="application/octet-stream")
        code, err, peak_mb = run_measured(tmp_path, server, max_bytes=400_000)
    assert code == 1, err
    assert "too large" in failures(tmp_path / "c.db")[server.url("/sitemap.xml")]
    assert peak_mb < baseline_mb + 100, (peak_mb, baseline_mb)  # 300 MB inflated before


def test_endless_body_is_cut_at_max_bytes(tmp_path):
    with SiteServer() as server:
        server.route("/robots.txt", body="User-agent: *\n", content_type="text/plain")
        server.route("/", body=article("Home", 0, ["/zero"]))
        server.route("/zero", body=article("Zero", 1))
        _, _, baseline_mb = run_measured(tmp_path, server, db="base.db", max_bytes=1_000_000)
        server.route("/zero", endless=True)  # like /dev/zero: no length, never ends
        t0 = time.monotonic()
        code, err, peak_mb = run_measured(tmp_path, server, max_bytes=1_000_000, timeout=20.0)
    assert code == 1, err
    assert time.monotonic() - t0 < 20  # cut by size, not by the timeout
    assert "too large" in failures(tmp_path / "c.db")[server.url("/zero")]
    assert peak_mb < baseline_mb + 100, (peak_mb, baseline_mb)


# --- 4, 5. origins -----------------------------------------------------------------------
@pytest.fixture
def two_origins():
    """Two servers on 127.0.0.1, on two ports: A is crawled, B is another origin."""
    with SiteServer() as a, SiteServer() as b:
        for server in (a, b):
            server.route("/robots.txt", body="User-agent: *\n", content_type="text/plain")
        b.route("/linked.html", body=article("B linked", 1))
        b.route("/redirected.html", body=article("B redirected", 2))
        b.route("/refreshed.html", body=article("B refreshed", 3))
        a.route("/here.html", body=article("A here", 4))
        a.route("/", body=article("Home", 0, [b.url("/linked.html"), "/jump", "/refresh.html",
                                              "/refresh-here.html", "/away-refresh.html"]))
        a.route("/jump", status=302, redirect=b.url("/redirected.html"))
        a.route("/refresh.html", body=article("Refresh", 5, extra_head=(
            f'<meta http-equiv="refresh" content="0; url={b.url("/refreshed.html")}">')))
        a.route("/away-refresh.html", body=article("Away", 6, extra_head=(
            f'<meta http-equiv="refresh" content="0;url={a.url("/x.html", host="localhost")}">')))
        a.route("/refresh-here.html", body=article("Refresh here", 7, extra_head=(
            '<meta http-equiv="refresh" content="0; url=/here.html">')))
        yield a, b


def test_meta_refresh_obeys_the_allowed_origins(tmp_path, two_origins):
    a, b = two_origins
    done = run(tmp_path, a)
    assert done.returncode == 1, done.stderr
    assert not [h for h in a.hits if h.headers.get("host", "").startswith("localhost")]
    reasons = failures(tmp_path / "c.db")
    assert reasons[a.url("/away-refresh.html")].startswith("redirect to another origin not followed")
    assert reasons[a.url("/refresh.html")].startswith("redirect to another origin not followed")
    # A meta refresh on the same origin is still followed.
    stored = {u for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")}
    assert a.url("/here.html") in stored


def test_another_port_is_another_origin(tmp_path, two_origins):
    a, b = two_origins
    done = run(tmp_path, a)
    assert done.returncode == 1, done.stderr
    assert b.paths() == []  # not a page, not even its robots.txt
    reasons = failures(tmp_path / "c.db")
    assert reasons[a.url("/jump")] == f"redirect to another origin not followed: {b.url('/redirected.html')}"
    stored = {u for (u,) in query(tmp_path / "c.db", "SELECT url FROM pages")}
    assert not [u for u in stored if f":{b.port}/" in u]

    # Allowed on purpose, B is crawled, its own robots.txt first.
    b_origin = f"http://127.0.0.1:{b.port}"
    again = run(tmp_path, a, "--allow-origin", b_origin, db="d.db")
    assert again.returncode == 1, again.stderr  # only the refresh to localhost failed
    assert set(failures(tmp_path / "d.db")) == {a.url("/away-refresh.html")}
    assert b.paths()[0] == "/robots.txt"
    assert {"/linked.html", "/redirected.html", "/refreshed.html"} <= set(b.paths())


def test_bad_allowed_origin_is_a_usage_error(tmp_path):
    from click.testing import CliRunner

    from deboil.cli import main

    for origin in ("file:///etc", "127.0.0.1:8000", "http://example.org/path"):
        result = CliRunner().invoke(main, ["crawl", "http://127.0.0.1:9/", "--allow-origin", origin,
                                           "--db", str(tmp_path / "c.db")])
        assert result.exit_code == 2 and "not an http(s) origin" in result.output, result.output


# --- 6. the job lock ---------------------------------------------------------------------
def test_same_database_through_a_symlink_is_one_lock(tmp_path):
    with SiteServer(delay=0.25) as server:
        paths = [f"/p/{i}.html" for i in range(12)]
        server.route("/robots.txt", body="User-agent: *\n", content_type="text/plain")
        server.route("/", body=article("Index", 0, paths))
        for i, path in enumerate(paths):
            server.route(path, body=article(f"Page {i}", i + 1))
        config = write_job(tmp_path / "deboil.toml", server, concurrency_per_domain=1)
        (tmp_path / "elsewhere").mkdir()
        link = tmp_path / "elsewhere" / "link.db"
        link.symlink_to(tmp_path / "c.db")
        args = [sys.executable, "-m", "deboil", "crawl", "--job", "fixture", "--config", str(config),
                "--workers", "1", "--db"]
        first = subprocess.Popen(args + [str(tmp_path / "c.db")], cwd=REPO, env=env(),
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        end = time.monotonic() + 30
        while time.monotonic() < end and not running(tmp_path / "c.db"):
            time.sleep(0.1)
        second = deboil("crawl", "--job", "fixture", "--config", str(config),
                        "--db", str(link), "--workers", "1")
        out, err = first.communicate(timeout=90)
    assert second.returncode == EXIT_BUSY, second.stderr
    assert "already running" in second.stderr
    assert first.returncode == 0, err
    fetched = [h.path for h in server.hits if h.path.startswith("/p/")]
    assert len(fetched) == len(set(fetched)) == 12  # each page fetched once
    assert query(tmp_path / "c.db", "PRAGMA integrity_check") == [("ok",)]


def test_origins_compare_scheme_host_and_port():
    from deboil.crawler.origins import Origins

    o = Origins(["http://news.example.org/"], ["news.example.org"])
    assert o.allows("http://news.example.org/a") and o.allows("http://img.news.example.org/b")
    assert o.allows("https://news.example.org/a")  # the usual upgrade redirect
    assert not o.allows("http://news.example.org:8080/a")
    assert not o.allows("file://news.example.org/etc/passwd")
    assert not o.allows("http://other.example.org/")
    tls = Origins(["https://news.example.org/"], ["news.example.org"])
    assert not tls.allows("http://news.example.org/a")  # no downgrade
    more = Origins(["https://news.example.org/"], ["news.example.org"], ["http://news.example.org"])
    assert more.allows("http://news.example.org/a")
