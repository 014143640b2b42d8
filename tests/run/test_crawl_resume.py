"""A crawl killed with SIGKILL resumes without refetching what it stored, and two runs of
one job never overlap (the second exits busy)."""
from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time

import pytest

from deboil.crawler.testserver import SiteServer
from deboil.run.crawl import EXIT_BUSY, lock_path
from tests.support.crawl_site import REPO, article, deboil, env, path_of, query, write_job

PAGES = 24


@pytest.fixture
def slow_site():
    """Pages that take a while each, so a crawl can be caught half way."""
    with SiteServer(delay=0.25) as server:
        paths = [f"/p/{i}.html" for i in range(PAGES)]
        server.route("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
        server.route("/", body=article("Index", 0, paths))
        for i, path in enumerate(paths):
            server.route(path, body=article(f"Page {i}", i + 1, ["/"]))
        yield server


def start_crawl(tmp_path, server) -> subprocess.Popen:
    config = write_job(tmp_path / "deboil.toml", server, concurrency_per_domain=1)
    return subprocess.Popen(
        [sys.executable, "-m", "deboil", "crawl", "--job", "fixture", "--config", str(config),
         "--db", str(tmp_path / "c.db"), "--workers", "1"],
        cwd=REPO, env=env(), stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        start_new_session=True)


def wait_for(predicate, timeout: float = 30.0):
    end = time.monotonic() + timeout
    while time.monotonic() < end:
        try:
            if predicate():
                return
        except Exception:  # the database may not exist yet
            pass
        time.sleep(0.1)
    raise AssertionError("timed out waiting")


def processes_mentioning(text: str) -> list[int]:
    """Live processes whose command line contains `text` (Linux /proc)."""
    pids = []
    for entry in os.listdir("/proc"):
        if entry.isdigit():
            try:
                with open(f"/proc/{entry}/cmdline", "rb") as fh:
                    if text.encode() in fh.read():
                        pids.append(int(entry))
            except OSError:
                pass
    return pids


def stored_urls(db) -> set[str]:
    return {u for (u,) in query(db, "SELECT url FROM pages")}


def test_killed_crawl_resumes_without_refetching(tmp_path, slow_site):
    db = tmp_path / "c.db"
    proc = start_crawl(tmp_path, slow_site)
    wait_for(lambda: len(stored_urls(db)) >= 6)
    os.kill(proc.pid, signal.SIGKILL)  # the crawl only: its orphaned cleaners must not hold the lock
    proc.wait(timeout=10)
    wait_for(lambda: not processes_mentioning(str(db)), timeout=10)  # its cleaners left too
    before = stored_urls(db)
    assert 6 <= len(before) < PAGES + 1  # stopped half way
    assert query(db, "SELECT status FROM runs WHERE command='crawl'") == [("running",)]
    slow_site.clear()

    again = deboil("crawl", "--job", "fixture", "--config", str(tmp_path / "deboil.toml"),
                   "--db", str(db), "--workers", "1")
    assert again.returncode == 0, again.stderr
    assert "(resumed)" in again.stdout

    assert query(db, "PRAGMA integrity_check") == [("ok",)]
    urls = stored_urls(db)
    assert {path_of(u) for u in urls} == {"/"} | {f"/p/{i}.html" for i in range(PAGES)}
    # Every page stored once: one version each, and nothing stored before was asked again.
    assert query(db, "SELECT max(n) FROM (SELECT count(*) n FROM versions GROUP BY url)") == [(1,)]
    refetched = {h.path for h in slow_site.hits} & {path_of(u) for u in before}
    assert not refetched
    assert query(db, "SELECT count(*) FROM frontier WHERE state='queued'") == [(0,)]
    assert query(db, "SELECT status FROM runs WHERE command='crawl' ORDER BY id") == [("killed",), ("ok",)]


def test_max_pages_stops_and_next_run_continues(tmp_path, slow_site):
    slow_site.delay = 0
    db = tmp_path / "c.db"
    config = write_job(tmp_path / "deboil.toml", slow_site, concurrency_per_domain=1, max_pages=5)
    args = ("crawl", "--job", "fixture", "--config", str(config), "--db", str(db), "--workers", "1")
    assert deboil(*args).returncode == 0
    first = stored_urls(db)
    assert 5 <= len(first) < 10  # pages already in flight when the limit hit are kept
    assert query(db, "SELECT count(*) FROM frontier WHERE state='queued'")[0][0] > 0
    slow_site.clear()
    again = deboil(*args, "--max-pages", "100")
    assert again.returncode == 0 and "(resumed)" in again.stdout
    assert len(stored_urls(db)) == PAGES + 1
    assert not {h.path for h in slow_site.hits} & {path_of(u) for u in first}


def test_two_runs_of_one_job_at_once_one_exits_busy(tmp_path, slow_site):
    runs = [start_crawl(tmp_path, slow_site) for _ in range(2)]  # started together
    t0, ended = time.monotonic(), {}
    while len(ended) < 2 and time.monotonic() - t0 < 90:
        for p in runs:
            if p.pid not in ended and p.poll() is not None:
                ended[p.pid] = time.monotonic() - t0
        time.sleep(0.05)
    done = [(p, *p.communicate(timeout=10), ended[p.pid]) for p in runs]
    codes = sorted(p.returncode for p, *_ in done)
    assert codes == [0, EXIT_BUSY], [(p.returncode, err) for p, _, err, _ in done]
    busy = next(d for d in done if d[0].returncode == EXIT_BUSY)
    ok = next(d for d in done if d[0].returncode == 0)
    assert "already running" in busy[2] and "fixture" in busy[2]
    assert busy[3] < ok[3] - 2  # the busy one left at once, the other crawled on
    assert "fetched %d" % (PAGES + 1) in ok[1]
    assert query(tmp_path / "c.db", "SELECT status, count(*) FROM runs WHERE command='crawl'"
                 " GROUP BY status ORDER BY status") == [("busy", 1), ("ok", 1)]
    assert os.path.exists(lock_path(str(tmp_path / "c.db"), "fixture"))
    # The lock is the kernel's, not the file's: the next run may go.
    third = deboil("crawl", "--job", "fixture", "--config", str(tmp_path / "deboil.toml"),
                   "--db", str(tmp_path / "c.db"))
    assert third.returncode == 0, third.stderr


def test_second_run_of_a_job_exits_busy(tmp_path, slow_site):
    first = start_crawl(tmp_path, slow_site)
    wait_for(lambda: query(tmp_path / "c.db", "SELECT count(*) FROM runs WHERE status='running'")[0][0])
    t0 = time.monotonic()
    second = deboil("crawl", "--job", "fixture", "--config", str(tmp_path / "deboil.toml"),
                    "--db", str(tmp_path / "c.db"))
    assert second.returncode == EXIT_BUSY
    assert "already running" in second.stderr and "fixture" in second.stderr
    assert time.monotonic() - t0 < 10
    assert first.poll() is None  # the first run was not disturbed
    # the skipped slot is in the run history, with the reason
    (options,), = query(tmp_path / "c.db", "SELECT options FROM runs WHERE status='busy'")
    assert "already running" in json.loads(options)["busy"]
    out, err = first.communicate(timeout=60)
    assert first.returncode == 0, err
    assert os.path.exists(lock_path(str(tmp_path / "c.db"), "fixture"))
    # The lock is the kernel's, not the file's: the next run may go.
    third = deboil("crawl", "--job", "fixture", "--config", str(tmp_path / "deboil.toml"),
                   "--db", str(tmp_path / "c.db"))
    assert third.returncode == 0, third.stderr
