"""Interleaved A/B of the capture step's CPU time per page (bench/captures.py step_ms, with
process time instead of wall time) between two checkouts.

    python tools/capture_step_ab.py OLD_TREE NEW_TREE [rounds]
"""
from __future__ import annotations

import os
import statistics
import subprocess
import sys

_CHILD = """
import time
time.perf_counter = time.process_time  # CPU time: other jobs share the machine
from bench.captures import load, step_ms, wcxb_captures
pages = [c for c, _ in load()] if "{which}" == "news" else wcxb_captures()
step_ms(pages[:5])  # warm-up (imports, caches)
print(step_ms(pages)[0])
"""


def run(tree: str, which: str) -> float:
    env = dict(os.environ, PYTHONPATH=tree)
    out = subprocess.run([sys.executable, "-c", _CHILD.format(which=which)], cwd=tree, env=env,
                         capture_output=True, text=True, check=True)
    return float(out.stdout.split()[-1])


def main() -> None:
    old, new = sys.argv[1], sys.argv[2]
    rounds = int(sys.argv[3]) if len(sys.argv) > 3 else 5
    for which in ("news", "wcxb"):
        olds, news = [], []
        for r in range(rounds):
            order = [(old, olds), (new, news)] if r % 2 == 0 else [(new, news), (old, olds)]
            for tree, acc in order:
                acc.append(run(tree, which))
        ratios = [n / o for o, n in zip(olds, news)]
        print(f"{which}: old {statistics.median(olds):.2f} ms/page, new {statistics.median(news):.2f}"
              f" ms/page (medians of {rounds}); new/old median ratio {statistics.median(ratios):.3f}")
        print(f"  old rounds {[round(x, 2) for x in olds]}  new rounds {[round(x, 2) for x in news]}")


if __name__ == "__main__":
    main()
