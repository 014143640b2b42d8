"""Ad hoc crawls from the command line: seed-named jobs, --fresh, --depth 0, --no-sitemaps,
--no-feeds, --concurrency. Real loopback site, real SQLite, `deboil` as a subprocess."""
from __future__ import annotations

import json

import pytest
from tests.support.crawl_site import deboil, fixture_site, path_of, query

from deboil.crawler.testserver import SiteServer

FAST = ("--delay", "0", "--no-autothrottle", "--timeout", "1", "--retries", "0", "--workers", "1",
        "--deny", "/slow", "--deny", "/big", "--deny", "refused")


@pytest.fixture
def site():
    with SiteServer() as server:
        fixture_site(server)
        yield server


def crawl(db, *args):
    return deboil("crawl", *args, "--db", str(db), *FAST)


def stored(db) -> set[str]:
    return {path_of(u) for (u,) in query(db, "SELECT url FROM pages")}


def last_run(db) -> tuple[str, dict]:
    job, options = query(db, "SELECT job, options FROM runs ORDER BY id DESC LIMIT 1")[0]
    return job, json.loads(options)


def test_a_new_seed_list_is_a_new_job(tmp_path, site):
    db = tmp_path / "c.db"
    first = crawl(db, site.url("/"), "--max-pages", "1")  # stops with its queue left over
    assert first.returncode in (0, 1), first.stderr
    job_a, _ = last_run(db)
    assert job_a.startswith("127.0.0.1-")
    assert stored(db) == {"/"}

    other = crawl(db, site.url("/b.html"), "--depth", "0")
    job_b, _ = last_run(db)
    assert job_b != job_a and "(resumed)" not in other.stdout
    assert stored(db) == {"/", "/b.html"}  # the new seed was fetched, not A's queue

    again = crawl(db, site.url("/"), "--max-pages", "1")
    assert last_run(db)[0] == job_a and "(resumed)" in again.stdout  # the same seeds resume

    # --fresh: the unfinished queue of A is dropped and its cycle begins at the seed again.
    queued = query(db, "SELECT count(*) FROM frontier WHERE job=? AND state='queued'", (job_a,))[0][0]
    assert queued > 1
    fresh = crawl(db, site.url("/"), "--max-pages", "1", "--fresh")
    assert "(resumed)" not in fresh.stdout and f"crawl {job_a}: run 4" in fresh.stdout
    done = query(db, "SELECT url FROM frontier WHERE job=? AND state='done'", (job_a,))
    assert {path_of(u) for (u,) in done} <= {"/", "/robots.txt", "/sitemap-index.xml"}


def test_depth_zero_fetches_only_the_seeds(tmp_path, site):
    db = tmp_path / "c.db"
    done = crawl(db, site.url("/"), site.url("/a.html"), "--depth", "0")
    assert done.returncode == 0, done.stderr
    assert stored(db) == {"/", "/a.html"}  # no links, no sitemap entries, no feed entries
    _, options = last_run(db)
    assert options["depth"] == 0 and options["sitemaps"] is False and options["feeds"] is False


def test_no_sitemaps_no_feeds_and_concurrency(tmp_path, site):
    db = tmp_path / "c.db"
    crawl(db, site.url("/"), "--no-sitemaps", "--no-feeds", "--concurrency", "3")
    pages = stored(db)
    assert {"/", "/a.html", "/b.html"} <= pages
    assert not pages & {"/from-sitemap.html", "/from-feed.html", "/from-atom.html"}
    _, options = last_run(db)
    assert options["concurrency_per_domain"] == 3
    assert options["sitemaps"] is False and options["feeds"] is False

    db2 = tmp_path / "d.db"
    crawl(db2, site.url("/"), "--no-feeds")
    assert "/from-sitemap.html" in stored(db2) and "/from-feed.html" not in stored(db2)


def test_bad_concurrency_is_a_usage_error(tmp_path, site):
    done = crawl(tmp_path / "c.db", site.url("/"), "--concurrency", "0")
    assert done.returncode == 2 and "concurrency" in done.stderr


def test_unlinked_feed_at_a_common_location_is_found(tmp_path):
    """A site whose only route to an article is /feed.xml, linked from no page and in no
    sitemap. The common feed locations are asked for once; the missing ones are no failure."""
    from tests.support.crawl_site import article

    with SiteServer() as server:
        server.route("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
        server.route("/", body=article("Home", 1, ["/a.html"]))
        server.route("/a.html", body=article("Alpha", 2, ["/"]))
        server.route("/feed.xml", content_type="application/rss+xml", body=(
            '<?xml version="1.0"?><rss version="2.0"><channel><title>Unlinked</title>'
            f"<item><title>Only here</title><link>{server.url('/only-in-feed.html')}</link>"
            "</item></channel></rss>"))
        server.route("/only-in-feed.html", body=article("Only in the feed", 3))
        server.route("/feed", body=article("A page, not a feed", 4))  # HTML where a feed might be
        db = tmp_path / "c.db"
        done = crawl(db, server.url("/"))
        asked = server.paths()
    assert done.returncode == 0, done.stderr
    assert stored(db) == {"/", "/a.html", "/only-in-feed.html"}  # /feed is no page of the site
    assert query(db, "SELECT count(*) FROM failures")[0][0] == 0
    for guess in ("/feed", "/rss", "/feed.xml", "/rss.xml", "/atom.xml", "/index.xml"):
        assert asked.count(guess) == 1, (guess, asked)


def test_no_feed_guesses_when_a_feed_is_linked_or_feeds_are_off(tmp_path, site):
    db = tmp_path / "c.db"
    crawl(db, site.url("/"))  # the fixture's home page links /feed.xml and /atom.xml
    assert "/rss.xml" not in site.paths() and "/index.xml" not in site.paths()
    with SiteServer() as server:
        server.route("/", body="<html><body><p>No feed linked here.</p></body></html>")
        crawl(tmp_path / "d.db", server.url("/"), "--no-feeds")
        assert not set(server.paths()) & {"/feed", "/rss", "/feed.xml"}
