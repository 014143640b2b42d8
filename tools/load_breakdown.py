"""Where a `deboil load` spends its CPU, process by process and phase by phase.

    python tools/load_breakdown.py [TREE] [--workers 2] [--set articles|wcxb] [--rounds 1]

Runs one load of the page set (as tools/load_cpu_ab.py does) and polls /proc every 10 ms for
the writer and each worker: CPU (user, system), minor page faults (copy-on-write copies of
what the workers share with the writer among them) and context switches. Prints, in seconds:
the writer's start-up (CPU until the first worker exists: imports, models, warm-up), its CPU
while the workers clean and after they end; each worker's CPU (start-up until its first CPU
burst is not told apart), when it last ran against the run's end (the tail one core idles),
and its share of the pages. /proc counts CPU in clock ticks (10 ms), so figures below ~0.05 s
are rough.
"""
from __future__ import annotations

import argparse
import os
import sqlite3
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.load_cpu_ab import pages  # noqa: E402

TICK = os.sysconf("SC_CLK_TCK")


@dataclass
class Proc:
    pid: int
    born: float
    user: float = 0.0
    system: float = 0.0
    minflt: int = 0
    switches: dict = field(default_factory=dict)
    last_busy: float = 0.0
    cpu_at: list = field(default_factory=list)  # (time, cpu) samples

    @property
    def cpu(self) -> float:
        return self.user + self.system


def _stat(pid: int) -> tuple[float, float, int] | None:
    try:
        raw = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return None
    fields = raw[raw.rindex(")") + 2:].split()  # after "pid (comm) "
    return int(fields[11]) / TICK, int(fields[12]) / TICK, int(fields[7])


def _switches(pid: int) -> dict:
    try:
        lines = Path(f"/proc/{pid}/status").read_text().splitlines()
    except OSError:
        return {}
    return {k: int(v) for k, v in (line.split(":") for line in lines if "ctxt_switches" in line)}


def _children(pid: int) -> list[int]:
    try:
        return [int(p) for p in Path(f"/proc/{pid}/task/{pid}/children").read_text().split()]
    except OSError:
        return []


def watch(cmd: list[str], cwd: Path, env: dict) -> tuple[float, float, Proc, list[Proc]]:
    """Run `cmd`, polling its process tree; (start, end, writer, workers)."""
    start = time.monotonic()
    proc = subprocess.Popen(cmd, cwd=cwd, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    writer = Proc(proc.pid, start)
    workers: dict[int, Proc] = {}
    while proc.poll() is None:
        now = time.monotonic()
        for p in [writer] + list(workers.values()):
            got = _stat(p.pid)
            if got is None:
                continue
            if got[0] + got[1] > p.cpu:
                p.last_busy = now
            p.user, p.system, p.minflt = got
            p.switches = _switches(p.pid) or p.switches
            p.cpu_at.append((now, p.cpu))
        for child in _children(proc.pid):
            if child not in workers:
                workers[child] = Proc(child, now)
                writer.cpu_at.append((now, writer.cpu))  # the writer's CPU when this one forked
        time.sleep(0.01)
    return start, time.monotonic(), writer, list(workers.values())


def _cpu_before(p: Proc, moment: float) -> float:
    before = [c for t, c in p.cpu_at if t <= moment]
    return before[-1] if before else 0.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tools/load_breakdown.py")
    parser.add_argument("tree", type=Path, nargs="?", default=Path(__file__).resolve().parents[1])
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--set", dest="which", choices=("articles", "wcxb"), default="articles")
    parser.add_argument("--rounds", type=int, default=1)
    args = parser.parse_args(argv)
    tree = args.tree.resolve()
    with tempfile.TemporaryDirectory(prefix="deboil-breakdown-") as tmp:
        tmp = Path(tmp)
        folder, n = pages(args.which, tmp / "pages")
        for round_ in range(args.rounds):
            db = tmp / f"r{round_}.db"
            cmd = [sys.executable, "-m", "deboil", "load", str(folder), "--db", str(db),
                   "--workers", str(args.workers), "--quiet"]
            start, end, writer, workers = watch(cmd, tree, dict(os.environ, PYTHONPATH=str(tree)))
            duration = sqlite3.connect(db).execute("SELECT duration FROM runs").fetchone()[0]
            first_fork = min((w.born for w in workers), default=end)
            writer_start = _cpu_before(writer, first_fork)
            last_worker = max((w.last_busy for w in workers), default=end)
            writer_run = _cpu_before(writer, last_worker) - writer_start
            print(f"round {round_ + 1}: {n} pages, --workers {args.workers}, wall {end - start:.2f} s "
                  f"(run duration {duration:.2f} s), all CPU "
                  f"{writer.cpu + sum(w.cpu for w in workers):.2f} s "
                  f"({1000 * (writer.cpu + sum(w.cpu for w in workers)) / n:.1f} ms a page)")
            print(f"  writer: {writer.cpu:.2f} s CPU (user {writer.user:.2f}, sys {writer.system:.2f}), "
                  f"start-up until the first fork {writer_start:.2f} s ({first_fork - start:.2f} s wall), "
                  f"while workers run {writer_run:.2f} s, after {writer.cpu - writer_start - writer_run:.2f} s; "
                  f"minor faults {writer.minflt}, switches {writer.switches}")
            for w in workers:
                print(f"  worker {w.pid}: {w.cpu:.2f} s CPU (user {w.user:.2f}, sys {w.system:.2f}), "
                      f"forked at {w.born - start:.2f} s, last ran {end - w.last_busy:.2f} s before the end, "
                      f"{last_worker - w.last_busy:.2f} s before the last worker; minor faults {w.minflt}, "
                      f"switches {w.switches}")


if __name__ == "__main__":
    main()
