"""Export memory and speed: Parquet against JSON Lines, on 10,000 and 100,000 pages.

Both exports stream; the figure is each one's peak memory (RSS of the exporting process)
at 100,000 pages divided by its peak at 10,000 (flat: ~1.0), and Parquet's time beside
JSON Lines' measured in the same round. Rounds interleave the formats and sizes
(P10 J10 P100 J100, ...) and the median of the rounds is reported, as this VM drifts.

Usage: python -m bench.export [--rounds N]
"""
from __future__ import annotations

import argparse
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from bench.speed import small_pages

REPO = Path(__file__).resolve().parents[1]

# Runs one export in a fresh interpreter and reports its own peak RSS (KiB, Linux). VmHWM,
# not getrusage's ru_maxrss: Linux carries ru_maxrss over exec from the forking process, so
# under `make bench` every child reported the bench process's own peak (1.5 GB after the CV
# sections) and the ratio was 1.00 whatever the export did.
CHILD = """
import json, re, sys, time
from deboil.cli import main
t0 = time.perf_counter()
try:
    main(sys.argv[1:], standalone_mode=False)
except SystemExit:
    pass
with open("/proc/self/status") as fh:
    peak = int(re.search(r"VmHWM:\\s+(\\d+)", fh.read()).group(1))
print(json.dumps({"seconds": time.perf_counter() - t0, "peak_kib": peak}))
"""


def build(db: Path, n: int) -> None:
    from deboil.db import Store

    store = Store(str(db))
    batch = []
    for record in small_pages(n):
        record.page.issues["low_text"] = 1
        record.page.published = "2024-03-05"
        batch.append(record)
        if len(batch) == 1000:
            store.save_batch(batch, run_id=None)
            batch = []
    if batch:
        store.save_batch(batch, run_id=None)
    store.close()


def export(db: Path, fmt: str, out: Path) -> dict:
    proc = subprocess.run([sys.executable, "-c", CHILD, "export", "--db", str(db), "--format", fmt,
                           "--output", str(out)], capture_output=True, text=True, cwd=REPO,
                          check=True)
    return json.loads(proc.stdout.strip().splitlines()[-1])


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="python -m bench.export")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(sys.argv[1:] if argv is None else argv)
    with tempfile.TemporaryDirectory(prefix="deboil-bench-export-") as tmp:
        tmp = Path(tmp)
        sizes = {10_000: tmp / "10k.db", 100_000: tmp / "100k.db"}
        t0 = time.perf_counter()
        for n, db in sizes.items():
            build(db, n)
        print(f"built 10,000 and 100,000 small pages in {time.perf_counter() - t0:.0f}s")
        growth = {"parquet": [], "jsonl": []}
        time_ratio = []
        for r in range(args.rounds):
            runs = {}
            for n, db in sizes.items():
                for fmt in ("parquet", "jsonl"):
                    runs[fmt, n] = export(db, fmt, tmp / f"out-{n}.{fmt}")
            for fmt in growth:
                growth[fmt].append(runs[fmt, 100_000]["peak_kib"] / runs[fmt, 10_000]["peak_kib"])
            time_ratio.append(runs["parquet", 100_000]["seconds"] / runs["jsonl", 100_000]["seconds"])
            print(f"  round {r + 1}: peak MiB parquet {runs['parquet', 10_000]['peak_kib'] / 1024:.0f}"
                  f" -> {runs['parquet', 100_000]['peak_kib'] / 1024:.0f}, jsonl "
                  f"{runs['jsonl', 10_000]['peak_kib'] / 1024:.0f} -> "
                  f"{runs['jsonl', 100_000]['peak_kib'] / 1024:.0f}; 100,000 pages: parquet "
                  f"{runs['parquet', 100_000]['seconds']:.1f}s, jsonl {runs['jsonl', 100_000]['seconds']:.1f}s",
                  flush=True)
        size = {fmt: (tmp / f"out-100000.{fmt}").stat().st_size / 2**20 for fmt in growth}
        print(f"export peak memory, 100,000 / 10,000 pages: parquet {statistics.median(growth['parquet']):.2f}"
              f"  (flat: ~1.0)  baseline jsonl {statistics.median(growth['jsonl']):.2f}")
        print(f"export time, 100,000 pages, parquet / jsonl: {statistics.median(time_ratio):.2f}"
              f"  (median of {args.rounds} rounds); files {size['parquet']:.0f} MiB vs {size['jsonl']:.0f} MiB")


if __name__ == "__main__":
    main()
