"""Usage and unreachable-Redis errors of the distributed commands: exit 2 and a clear line."""
from __future__ import annotations

from tests.support.cli import run_cli
from tests.support.crawl_site import closed_port


def test_unreachable_redis_is_a_clear_usage_error(tmp_path):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    for args in (["crawl", "http://127.0.0.1:9/", "--redis", url],
                 ["ingest", "--redis", url, "--db", tmp_path / "c.db"],
                 ["load", tmp_path, "--redis", url]):
        done = run_cli(*args, timeout=60)
        assert done.returncode == 2, (args, done.stderr)
        assert "redis unavailable" in done.stderr and url in done.stderr, done.stderr


def test_a_jobs_redis_key_makes_it_a_shared_crawl(tmp_path):
    url = f"redis://127.0.0.1:{closed_port()}/0"
    config = tmp_path / "deboil.toml"
    config.write_text(f'[jobs.news]\nseeds = ["http://127.0.0.1:9/"]\nredis = "{url}"\n', encoding="utf-8")
    done = run_cli("crawl", "--job", "news", "--config", config, "--db", tmp_path / "c.db", timeout=60)
    assert done.returncode == 2 and "redis unavailable" in done.stderr, done.stderr
    assert not (tmp_path / "c.db").exists()  # not the single-machine path


def test_not_a_redis_url_is_refused(tmp_path):
    done = run_cli("ingest", "--redis", "http://example.invalid/", "--db", tmp_path / "c.db")
    assert done.returncode == 2 and "not a Redis url" in done.stderr, done.stderr


def test_second_writer_on_one_database_exits_busy(tmp_path, redis_url):
    import subprocess
    import sys
    import time

    from tests.support.crawl_site import REPO, env

    db = tmp_path / "c.db"
    first = subprocess.Popen([sys.executable, "-m", "deboil", "ingest", "--redis", redis_url,
                              "--db", str(db)], cwd=REPO, env=env(), stdout=subprocess.PIPE,
                             stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 30
        while not (tmp_path / "c.db.ingest.lock").exists() and time.monotonic() < deadline:
            time.sleep(0.05)
        time.sleep(0.5)
        second = run_cli("ingest", "--redis", redis_url, "--db", db, "--idle-exit", "1")
        assert second.returncode == 3 and "busy" in second.stderr, second.stderr
    finally:
        first.terminate()
        out, err = first.communicate(timeout=30)
    assert first.returncode == 0, err  # SIGTERM: a clean stop
    assert "ingest: run 1 stopped" in out
