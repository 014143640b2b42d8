"""Interleaved A/B of the capture step's CPU time per page (bench/captures.py step_ms, with
process time instead of wall time) between two checkouts.

    python tools/capture_step_ab.py OLD_TREE NEW_TREE [rounds]
"""
from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.ab_rounds import interleaved, report  # noqa: E402

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
        olds, news = interleaved(lambda tree, _slot: run(tree, which), old, new, rounds)
        print(report(which, olds, news))

if __name__ == "__main__":
    main()
