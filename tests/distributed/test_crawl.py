"""Several crawler processes and one writer on a real Valkey server and the loopback test
site: every page stored once, robots.txt obeyed, nothing lost or stored twice when a crawler
and the writer are killed with SIGKILL, no new version on an unchanged re-crawl."""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections import Counter

import pytest

from deboil.crawler.testserver import SiteServer
from deboil.distributed.keys import JobKeys, connect
from tests.support.crawl_site import (FAILED, REPO, STORED, article, env, fixture_site,
                                      path_of, query, write_job)

PAGES = 60


def start(*args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "-m", "deboil", *args], cwd=REPO, env=env(),
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
                            start_new_session=True)


def crawler(config, redis_url, lease: float = 30.0) -> subprocess.Popen:
    return start("crawl", "--job", "fixture", "--config", str(config), "--redis", redis_url,
                 "--workers", "1", "--lease", str(lease))


def writer(db, redis_url, idle_exit: float | None = None) -> subprocess.Popen:
    extra = ["--idle-exit", str(idle_exit)] if idle_exit is not None else []
    return start("ingest", "--redis", redis_url, "--db", str(db), "--job", "fixture", *extra)


def finish(proc: subprocess.Popen, timeout: float = 120) -> tuple[int, str, str]:
    out, err = proc.communicate(timeout=timeout)
    return proc.returncode, out, err


def kill(proc: subprocess.Popen) -> None:
    """SIGKILL the process and its cleaning workers (its session)."""
    os.killpg(proc.pid, signal.SIGKILL)
    proc.communicate(timeout=10)


def wait_for(predicate, timeout: float = 60.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return
        except Exception:  # the database may not exist yet
            pass
        time.sleep(0.05)
    raise AssertionError("timed out waiting")


def fetched_count(summary: str, key: str = "fetched") -> int:
    return int(summary.split(f"{key} ")[1].split(",")[0])


def test_three_crawlers_and_one_writer_store_every_page_once(tmp_path, redis_url):
    db = tmp_path / "c.db"
    with SiteServer(delay=0.05) as site:
        cases = fixture_site(site)
        # The refused url is on another port of the same host: another origin, allowed here.
        config = write_job(tmp_path / "deboil.toml", site,
                           allowed_origins=[cases["refused"].rsplit("/", 1)[0]])
        w = writer(db, redis_url)
        crawlers = [crawler(config, redis_url) for _ in range(3)]
        results = [finish(c) for c in crawlers]
        for code, out, err in results:
            assert code in (0, 1), err  # 1: some of this crawler's urls failed (sent to the writer)
        assert any(code == 1 for code, _, _ in results)
        assert sum(fetched_count(out) for _, out, _ in results) == len(STORED)
        assert sum(fetched_count(out, "failed") for _, out, _ in results) == len(FAILED)
        wait_for(lambda: query(db, "SELECT count(*) FROM failures WHERE level='error'")[0][0] == len(FAILED))
        w.send_signal(signal.SIGTERM)
        code, out, err = finish(w)
        assert code == 0 and "new 8" in out, (out, err)

        assert {path_of(u) for (u,) in query(db, "SELECT url FROM pages")} == STORED
        assert query(db, "SELECT count(*) FROM versions") == [(len(STORED),)]
        failures = {path_of(u): r for u, r in
                    query(db, "SELECT url, reason FROM failures WHERE level='error'")}
        assert set(failures) == set(FAILED)
        assert all(FAILED[p] in r for p, r in failures.items())
        # robots.txt obeyed by every crawler, the other domain never asked
        assert not [h for h in site.hits if h.path.startswith("/private/")]
        assert not [h for h in site.hits if h.headers.get("host", "").startswith("localhost")]
        # no page asked twice, though three processes shared the job
        pages = Counter(h.path for h in site.hits if h.path in STORED)
        assert pages == Counter(STORED)
        # validators reached the crawlers: a second cycle asks conditionally, stores nothing new
        site.hits.clear()
        again = [crawler(config, redis_url) for _ in range(2)]
        for c in again:
            finish(c)
        code, out, err = finish(writer(db, redis_url, idle_exit=1))  # the stream waited for it
        assert code == 0 and "not_modified 8" in out, (out, err)
        assert query(db, "SELECT count(*) FROM versions") == [(len(STORED),)]
        assert {h.status for h in site.hits if h.path in STORED} == {304}
        assert query(db, "PRAGMA integrity_check") == [("ok",)]


@pytest.fixture
def big_site():
    """PAGES pages that take a while each, linked from an index, one behind robots.txt."""
    with SiteServer(delay=0.4) as server:
        paths = [f"/p/{i}.html" for i in range(PAGES)]
        server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n", content_type="text/plain")
        server.route("/", body=article("Index", 0, paths[:20] + ["/private/no.html"]))
        for i, path in enumerate(paths):
            # a tree with cross links: each page also leads to later ones
            server.route(path, body=article(f"Page {i}", i + 1, [paths[j] for j in (2 * i + 1, 2 * i + 2, i + 20)
                                                                  if j < PAGES] + ["/"]))
        server.route("/private/no.html", body=article("No", 99))
        yield server


def held_by(redis_url, pid: int) -> set[str]:
    """Paths leased to the crawler process `pid` right now."""
    r = connect(redis_url)
    out = set()
    for entry, holder in r.hgetall(JobKeys("fixture").holders).items():
        if holder.decode().split(":")[1] == str(pid):
            out.add(path_of(entry.decode().split(" ", 2)[2]))
    return out


def test_killed_crawler_and_writer_lose_nothing_and_store_nothing_twice(tmp_path, redis_url, big_site):
    db = tmp_path / "c.db"
    expected = {"/"} | {f"/p/{i}.html" for i in range(PAGES)}
    # 5 s: four processes start on two cores while pages are served; no page here is slow
    config = write_job(tmp_path / "deboil.toml", big_site, concurrency_per_domain=1, timeout=5.0)
    w = writer(db, redis_url)
    crawlers = [crawler(config, redis_url, lease=3) for _ in range(3)]

    def stored() -> int:
        return query(db, "SELECT count(*) FROM pages")[0][0]

    # The victim is whichever crawler holds a lease once pages flow: the three race for one
    # host's gate, so waiting for a chosen one could see it never win while being watched.
    holding: list[int] = []

    def someone_holds() -> bool:
        holding[:] = [i for i, c in enumerate(crawlers) if held_by(redis_url, c.pid)]
        return len(big_site.hits) >= 8 and bool(holding)

    wait_for(someone_holds)
    i = holding[0]
    victim = crawlers[i]
    kill(victim)
    in_flight = held_by(redis_url, victim.pid)  # what only it had taken: its leases stay until they expire
    crawlers[i] = crawler(config, redis_url, lease=3)  # restarted, it joins the running cycle
    wait_for(lambda: stored() >= 25)
    kill(w)  # between batches or in one: whatever it read and did not acknowledge is pending
    w = writer(db, redis_url)  # claims the dead writer's pending entries
    for c in crawlers:
        code, out, err = finish(c)
        assert code == 0, err
    wait_for(lambda: stored() == len(expected), timeout=30)
    w.send_signal(signal.SIGTERM)
    code, out, err = finish(w)
    assert code == 0, err

    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    assert {path_of(u) for (u,) in query(db, "SELECT url FROM pages")} == expected
    assert query(db, "SELECT count(*) FROM versions") == [(len(expected),)]  # nothing twice
    assert query(db, "SELECT count(*) FROM failures") == [(0,)]
    assert not [h for h in big_site.hits if h.path.startswith("/private/")]
    twice = {p for p, n in Counter(h.path for h in big_site.hits if h.path in expected).items() if n > 1}
    assert twice <= in_flight, (twice, in_flight)  # only what the killed crawler had in hand

    # Unchanged pages: a new cycle stores no new version.
    big_site.hits.clear()
    big_site.delay = 0.0
    code, out, err = finish(crawler(config, redis_url))
    assert code == 0 and f"not_modified {len(expected)}" in out, (out, err)
    finish(writer(db, redis_url, idle_exit=1))
    assert query(db, "SELECT count(*) FROM versions") == [(len(expected),)]
    assert query(db, "PRAGMA integrity_check") == [("ok",)]


def test_sigterm_stops_a_crawler_and_gives_its_urls_back_at_once(tmp_path, redis_url, big_site):
    """A crawler stopped by SIGTERM (systemd's stop) exits 130 and returns what it took
    but never fetched, without waiting for its leases to expire; a new crawler finishes."""
    db = tmp_path / "c.db"
    config = write_job(tmp_path / "deboil.toml", big_site, concurrency_per_domain=1, timeout=5.0)
    c = crawler(config, redis_url, lease=600)  # expiry would take ten minutes
    wait_for(lambda: len(big_site.hits) >= 4 and held_by(redis_url, c.pid))
    c.send_signal(signal.SIGTERM)
    code, out, err = finish(c)
    assert code == 130, (out, err)
    assert held_by(redis_url, c.pid) == set()  # nothing left leased to it
    big_site.delay = 0.02
    code, out, err = finish(crawler(config, redis_url, lease=600))
    assert code == 0, err
    assert "finished" in out  # ended by an empty frontier, not by a lease running out
    code, out, err = finish(writer(db, redis_url, idle_exit=1))
    assert code == 0, err
    expected = {"/"} | {f"/p/{i}.html" for i in range(PAGES)}
    assert {path_of(u) for (u,) in query(db, "SELECT url FROM pages")} == expected
