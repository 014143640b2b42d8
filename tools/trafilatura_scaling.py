"""Two stock trafilatura processes at once against one, on the article pages (twice over):
how much the second core gives trafilatura itself on this machine, the ceiling a 2-worker
`deboil load` is compared with. Interleaved rounds (one, two at once, one); pages/s with each
interpreter's start counted on both sides; the figure is the median of the per-round ratios.

    python tools/trafilatura_scaling.py [ROUNDS]
"""
from __future__ import annotations

import statistics
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.speed import _BASELINE, _pages_dir  # noqa: E402


def _rate(parts: list[list[str]]) -> float:
    """Pages/s of one baseline process per part, all started at once."""
    start = time.perf_counter()
    procs = [subprocess.Popen([sys.executable, "-c", _BASELINE, *part], stdout=subprocess.DEVNULL)
             for part in parts]
    for proc in procs:
        if proc.wait():
            raise RuntimeError("the trafilatura baseline failed")
    return sum(map(len, parts)) / (time.perf_counter() - start)


def main(rounds: int = 3) -> None:
    files = [str(f) for f in sorted(_pages_dir().glob("*.html.gz"))] * 2
    ratios = []
    for r in range(rounds):
        before, both, after = _rate([files]), _rate([files[0::2], files[1::2]]), _rate([files])
        ratios.append(both / ((before + after) / 2))
        print(f"round {r + 1}: one {before:.1f} / {after:.1f} pages/s, two at once {both:.1f}: "
              f"{ratios[-1]:.2f}", flush=True)
    print(f"two processes / one, median of {rounds}: {statistics.median(ratios):.2f}")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 3)
