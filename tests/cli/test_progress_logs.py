"""What runs print: a progress bar on a terminal (a real pseudo-terminal here), one dated
summary line without one, -q/-v on every run command, a crawl's fetch failures by reason."""
from __future__ import annotations

import os
import pty
import re
import select
import subprocess
import sys
import time
from datetime import datetime

import pytest
from tests.support.crawl_site import deboil, fixture_site, write_job

from tests.support.cli import REPO, run_cli
from deboil.crawler.testserver import SiteServer

SUMMARY = re.compile(r"^(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ) (load|reclean|crawl \S+)(?: \(resumed\))?:"
                     r" run (\d+) (ok|failed) in [\d.]+s: ")
ANSI = re.compile(r"\x1b\[[0-9;?]*[A-Za-z]")


@pytest.fixture
def pages(tmp_path):
    """Six pages and one input that fails (a capture with no body text)."""
    d = tmp_path / "in"
    d.mkdir()
    for i in range(6):
        (d / f"p{i}.html").write_text(
            f"<html><head><title>Page {i}</title></head><body><article>"
            + f"<p>The council met on day {i} to discuss the harbour and the new bus timetable, "
              "and residents asked about parking, trees and the river.</p>" * 4
            + "</article></body></html>", encoding="utf-8")
    (d / "empty.txt").write_text("Home | News\n", encoding="utf-8")
    return d


def _summary(stdout: str) -> re.Match:
    lines = stdout.splitlines()
    assert len(lines) == 1, stdout  # one line per run, nothing else on stdout
    m = SUMMARY.match(lines[0])
    assert m, lines[0]
    datetime.fromisoformat(m.group(1).replace("Z", "+00:00"))  # a real ISO 8601 instant
    return m


def test_without_a_terminal_each_run_prints_one_dated_line(tmp_path, pages):
    db = tmp_path / "t.db"
    load = run_cli("load", pages, "--db", db, "--workers", "1", check=1)
    m = _summary(load.stdout)
    assert m.group(2) == "load" and m.group(4) == "failed"
    assert "new 6" in load.stdout and "failed 1" in load.stdout
    assert "empty.txt" in load.stderr  # the failure: one line naming the input
    assert not re.search("[┏┃│━]", load.stdout + load.stderr)  # no tables, no bar

    reclean = run_cli("reclean", "--db", db, check=0)
    m2 = _summary(reclean.stdout)
    assert m2.group(2) == "reclean" and int(m2.group(3)) == int(m.group(3)) + 1


def test_quiet_prints_nothing_but_errors_and_verbose_adds_tables(tmp_path, pages):
    db = tmp_path / "t.db"
    quiet = run_cli("load", pages, "--db", db, "--workers", "1", "-q", check=1)
    assert quiet.stdout == "" and "empty.txt" in quiet.stderr
    assert run_cli("reclean", "--db", db, "-q", check=0).stdout == ""
    verbose = run_cli("load", pages, "--db", db, "--workers", "1", "-v", check=1)
    assert SUMMARY.match(verbose.stdout.splitlines()[0])
    assert "what each cleaning step did" in verbose.stdout and "deboil corpus" in verbose.stdout


def _run_in_pty(args, timeout=120) -> tuple[int, str]:
    """Run `deboil ARGS` with stdout and stderr on a pseudo-terminal, as in a shell."""
    leader, follower = pty.openpty()
    env = dict(os.environ, PYTHONPATH=str(REPO), COLUMNS="120", TERM="xterm")
    proc = subprocess.Popen([sys.executable, "-m", "deboil", *map(str, args)], cwd=REPO,
                            env=env, stdin=follower, stdout=follower, stderr=follower)
    os.close(follower)
    chunks, deadline = [], time.monotonic() + timeout
    while time.monotonic() < deadline:
        ready, _, _ = select.select([leader], [], [], 0.2)
        if ready:
            try:
                data = os.read(leader, 65536)
            except OSError:  # the child closed the terminal
                break
            if not data:
                break
            chunks.append(data)
        elif proc.poll() is not None:
            break
    os.close(leader)
    return proc.wait(timeout=10), b"".join(chunks).decode("utf-8", "replace")


def test_on_a_terminal_load_draws_a_progress_bar(tmp_path, pages):
    code, out = _run_in_pty(["load", pages, "--db", tmp_path / "t.db", "--workers", "1"])
    assert code == 1, out
    # Each redraw goes back to the start of its line ("\r" and erase), never appended.
    frames = [ANSI.sub("", f).strip() for f in re.split(r"[\r\n]", out)]
    bars = [f for f in frames if f.startswith("load") and "ETA" in f]
    assert bars, out
    last = bars[-1]
    assert re.search(r"\b7/7\b", last), last  # count and total (seven input files)
    assert re.search(r"[\d.]+/s", last), last  # rate
    assert "failed 1" in last
    assert any(re.search(r"ETA \d+:\d\d:\d\d", b) for b in bars)
    # The failure is a line of its own, not run into the bar.
    failure = [f for f in frames if "empty.txt" in f]
    assert failure and all(f.startswith("deboil: file://") for f in failure), failure
    # Then the summary line, with the same form as without a terminal.
    assert any(SUMMARY.match(f) for f in frames), frames[-20:]
    assert "what each cleaning step did" in out  # tables are for people at a terminal


def test_crawl_fetch_failures_are_summarised_by_reason(tmp_path):
    with SiteServer() as server:
        fixture_site(server)
        broken = [f"/gone/{i}.html" for i in range(25)]
        from tests.support.crawl_site import article

        server.route("/", body=article("Home", 1, ["/a.html", "/b.html", *broken]))
        config = write_job(tmp_path / "deboil.toml", server, name="links")
        done = deboil("crawl", "--job", "links", "--config", str(config),
                      "--db", str(tmp_path / "c.db"), "--workers", "1")
    assert done.returncode == 1, done.stderr
    m = _summary(done.stdout)
    assert m.group(2) == "crawl links"
    # Not one line per broken link: one line counting them by reason.
    assert not [l for l in done.stderr.splitlines() if "/gone/" in l], done.stderr
    reasons = [l for l in done.stderr.splitlines() if "fetch failures" in l]
    assert len(reasons) == 1 and "HTTP 404 x25" in reasons[0], done.stderr
    run_id = m.group(3)
    assert f"deboil failures --run {run_id}" in reasons[0]
    listed = deboil("failures", "--db", str(tmp_path / "c.db"), "--run", run_id)
    assert listed.returncode == 0
    assert sum("/gone/" in l for l in listed.stdout.splitlines()) == 25
    assert re.search(r"^\s+25\s+fetch: HTTP 404$", listed.stdout, re.M), listed.stdout
