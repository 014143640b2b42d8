"""Crawling on Redis (issue 18), each figure beside a baseline measured in this run.

- Crawl rate of 1, 2 and 4 `deboil crawl --redis` processes (one `deboil ingest` beside
  them) against a loopback site of HOSTS hosts that answers each request after DELAY
  seconds, beside a single-machine `deboil crawl --db` of the same site. The rate is pages
  served while every process was fetching (start-up excluded: `_span_rate`). Rounds take
  turns (local, 1, 2, 4 processes); the figures are the median ratios over the rounds.
  Each crawler process may have 8 requests in flight (8 hosts, one each), so the site's
  delay, not this 2-core machine, bounds one process: the scaling is the point.
- The writer's rate draining a full stream of small pages (rows/s), beside `Store.save_batch`
  of the same pages into a local file (the single-machine store), interleaved.

`python -m bench.distributed --quick` runs one round of each, smaller.
"""
from __future__ import annotations

import argparse
import os
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from contextlib import ExitStack
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
HOSTS = 8
DELAY = 0.5
WORDS = ("the council met on tuesday to discuss the harbour the library and the new bus "
         "timetable while residents asked questions about parking trees and the river").split()


def page(title: str, seed: int, links: list[str]) -> str:
    paras = "".join(
        f"<p>{title} {p}: {' '.join(WORDS[(seed * 7 + p * 11 + i * 3) % len(WORDS)] for i in range(40))}.</p>"
        for p in range(4))
    nav = " ".join(f'<a href="{u}">{u}</a>' for u in links)
    return (f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>{title}</title></head><body>"
            f"<nav>{nav}</nav><article><h1>{title}</h1>{paras}</article>"
            "<footer>Bench site</footer></body></html>")


def start_sites(stack: ExitStack, pages_per_host: int, port: int):
    """HOSTS servers on 127.0.0.2.., one port: each address is its own host to Scrapy."""
    from deboil.crawler.testserver import SiteServer

    sites = []
    for h in range(HOSTS):
        server = SiteServer(host=f"127.0.0.{h + 2}", port=port, delay=DELAY)
        paths = [f"/p/{i}.html" for i in range(pages_per_host)]
        server.route("/robots.txt", body="User-agent: *\nAllow: /\n", content_type="text/plain")
        server.route("/", body=page(f"Index {h}", h, paths))
        for i, path in enumerate(paths):
            server.route(path, body=page(f"Host {h} page {i}", h * 1000 + i, ["/"]))
        sites.append(stack.enter_context(server))
    return sites


def _free_port() -> int:
    import socket

    with socket.socket() as s:
        s.bind(("127.0.0.2", 0))
        return s.getsockname()[1]


def write_job(path: Path, sites) -> Path:
    seeds = ", ".join(f'"{s.url("/")}"' for s in sites)
    path.write_text(
        "[jobs.bench]\n"
        f"seeds = [{seeds}]\n"
        "delay = 0.0\nautothrottle = false\nconcurrency_per_domain = 1\ntimeout = 10.0\n"
        "retries = 0\nsitemaps = false\nfeeds = false\n", encoding="utf-8")
    return path


def _deboil(*args) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(REPO)}
    return subprocess.Popen([sys.executable, "-m", "deboil", *map(str, args)], cwd=REPO, env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _span_rate(sites, expected: int) -> float:
    """Pages/s while every crawler process was fetching: each process sends its own
    User-Agent, and the window runs from the last process's first page to the first
    process's last page, so the start-up of processes (staggered on 2 shared cores) and
    the last stragglers do not count; long-running crawlers on their own machines see this
    steady state."""
    hits = [(h.at, h.headers.get("user-agent", "")) for s in sites for h in s.hits
            if h.path.startswith("/p/")]
    if len(hits) < expected:
        raise RuntimeError(f"only {len(hits)} of {expected} pages were fetched")
    by_agent: dict[str, list[float]] = {}
    for at, agent in hits:
        by_agent.setdefault(agent, []).append(at)
    lo = max(min(v) for v in by_agent.values())
    hi = min(max(v) for v in by_agent.values())
    inside = sum(lo < at <= hi for at, _ in hits)
    return inside / (hi - lo)


def crawl_local(sites, config: Path, db: Path, expected: int) -> float:
    for s in sites:
        s.clear()
    proc = _deboil("crawl", "--job", "bench", "--config", config, "--db", db, "--workers", "1")
    out, err = proc.communicate(timeout=600)
    if proc.returncode != 0:
        raise RuntimeError(f"local crawl failed: {out}{err}")
    return _span_rate(sites, expected)


def crawl_redis(sites, config: Path, redis_url: str, db: Path, processes: int,
                expected: int) -> tuple[float, float]:
    """Pages/s of `processes` crawlers, and seconds the writer took to store the last page
    after the last crawler ended (0: it kept up)."""
    from deboil.distributed.keys import connect

    connect(redis_url).flushall()
    for s in sites:
        s.clear()
    writer = _deboil("ingest", "--redis", redis_url, "--db", db, "--job", "bench")
    crawlers = [_deboil("crawl", "--job", "bench", "--config", config, "--redis", redis_url,
                        "--workers", "1", "--user-agent", f"deboil-bench/{i}")
                for i in range(processes)]
    for c in crawlers:
        out, err = c.communicate(timeout=600)
        if c.returncode != 0:
            raise RuntimeError(f"crawler failed: {out}{err}")
    ended = time.monotonic()
    import sqlite3

    while True:
        con = sqlite3.connect(db)
        try:
            stored = con.execute("SELECT count(*) FROM pages").fetchone()[0]
        except sqlite3.OperationalError:
            stored = 0
        finally:
            con.close()
        if stored >= expected + HOSTS:
            break
        time.sleep(0.05)
    lag = time.monotonic() - ended
    writer.send_signal(signal.SIGTERM)
    writer.communicate(timeout=60)
    return _span_rate(sites, expected), lag


def crawl_scaling(tmp: Path, rounds: int, pages_per_host: int) -> None:
    from deboil.distributed.local_server import LocalServer

    expected = HOSTS * pages_per_host
    print(f"crawl: {HOSTS} loopback hosts x {pages_per_host} pages, {DELAY * 1000:.0f} ms a request, "
          f"8 requests in flight a process, --workers 1 each")
    ratios: dict[str, list[float]] = {"r1/local": [], "r2/r1": [], "r4/r1": []}
    rates: dict[str, list[float]] = {k: [] for k in ("local", "r1", "r2", "r4")}
    lags: list[float] = []
    with ExitStack() as stack:
        sites = start_sites(stack, pages_per_host, _free_port())
        server = stack.enter_context(LocalServer())
        config = write_job(tmp / "deboil.toml", sites)
        for r in range(rounds):
            local = crawl_local(sites, config, tmp / f"local{r}.db", expected)
            got = {}
            for n in (1, 2, 4):
                got[n], lag = crawl_redis(sites, config, server.url, tmp / f"redis{r}-{n}.db", n, expected)
                lags.append(lag)
            rates["local"].append(local)
            for n in (1, 2, 4):
                rates[f"r{n}"].append(got[n])
            ratios["r1/local"].append(got[1] / local)
            ratios["r2/r1"].append(got[2] / got[1])
            ratios["r4/r1"].append(got[4] / got[1])
            print(f"  round {r + 1}: local {local:5.1f}, redis x1 {got[1]:5.1f}, x2 {got[2]:5.1f}, "
                  f"x4 {got[4]:5.1f} pages/s", flush=True)
    med = {k: statistics.median(v) for k, v in rates.items()}
    print(f"single-machine crawl (--db):   {med['local']:6.1f} pages/s  (baseline)")
    print(f"crawl --redis, 1 process:      {med['r1']:6.1f} pages/s  ratio to single-machine "
          f"{statistics.median(ratios['r1/local']):.2f}")
    for n, target in ((2, 1.8), (4, 3.4)):
        r = statistics.median(ratios[f"r{n}/r1"])
        print(f"crawl --redis, {n} processes:    {med[f'r{n}']:6.1f} pages/s  ratio to 1 process {r:.2f} "
              f"(target >= {target}, linear {n})  {'ok' if r >= target else 'MISS'}")
    print(f"writer lag after the last crawler ended: max {max(lags):.2f}s (it keeps up when ~0)")


def writer_rate(tmp: Path, rounds: int, n: int) -> None:
    """Rows/s of `Writer` draining a stream of n small pages, beside save_batch of the same
    pages (1,000 a transaction) into a local file; the two take turns, round by round."""
    from bench.speed import small_pages
    from deboil.db import Store
    from deboil.db.codec import seal
    from deboil.distributed.entries import page_entry
    from deboil.distributed.ingest import Writer
    from deboil.distributed.keys import JOBS, JobKeys, connect
    from deboil.distributed.local_server import LocalServer

    items = list(small_pages(n))
    entries = [page_entry(it.raw.url, it.page, it.raw, seal(it.raw.body)) for it in items]
    ratios, ours, base = [], [], []
    with LocalServer() as server:
        r = connect(server.url)
        for round_ in range(rounds):
            store = Store(str(tmp / f"local-store{round_}.db"))
            t0 = time.perf_counter()
            for i in range(0, n, 1000):
                store.save_batch(items[i:i + 1000], run_id=None)
            local = n / (time.perf_counter() - t0)
            store.close()
            r.flushall()
            r.sadd(JOBS, "bench")
            with r.pipeline(transaction=False) as p:
                for e in entries:
                    p.xadd(JobKeys("bench").stream, e)
                p.execute()
            store = Store(str(tmp / f"writer{round_}.db"))
            done_at = []

            def progress(counts):  # the last commit ends the measure, not the idle read after it
                if counts["new"] >= n and not done_at:
                    done_at.append(time.perf_counter())

            writer = Writer(r, store, ["bench"], idle_exit=0.0, read_count=1000, progress=progress)
            writer.open_run({})
            t0 = time.perf_counter()
            writer.run()
            rate = n / (done_at[0] - t0)
            store.close()
            assert writer.counts["new"] == n, writer.counts
            ours.append(rate)
            base.append(local)
            ratios.append(rate / local)
            print(f"  round {round_ + 1}: writer {rate:8,.0f} rows/s, local store {local:8,.0f} rows/s, "
                  f"ratio {rate / local:.2f}", flush=True)
    print(f"deboil ingest from a full stream, {n:,} small pages: {statistics.median(ours):8,.0f} rows/s  "
          f"ratio to the local store {statistics.median(ratios):.2f}  "
          f"(local store {statistics.median(base):,.0f} rows/s)")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one round of each, smaller")
    parser.add_argument("--crawl-only", action="store_true")
    parser.add_argument("--writer-only", action="store_true")
    args = parser.parse_args(argv)
    rounds = 1 if args.quick else 3
    with tempfile.TemporaryDirectory(prefix="deboil-bench-dist-") as tmp:
        if not args.writer_only:
            crawl_scaling(Path(tmp), rounds, 15 if args.quick else 50)
        if not args.crawl_only:
            writer_rate(Path(tmp), rounds, 5_000 if args.quick else 20_000)


if __name__ == "__main__":
    main()
