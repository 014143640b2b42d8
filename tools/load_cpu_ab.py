"""Interleaved A/B of `deboil load`'s CPU time per page (all its processes, start-up
included, as bench/speed.py counts it) between two checkouts.

    python tools/load_cpu_ab.py OLD_TREE NEW_TREE [--rounds 5] [--workers 1] [--set articles|wcxb]

`articles`: the 181 article-extraction pages three times over (hard links, as bench.speed
loads them); `wcxb`: every fourth wcxb-dev page (340). Rounds alternate which tree goes
first; the figure is the median of the per-round ratios new/old.
"""
from __future__ import annotations

import argparse
import os
import resource
import subprocess
import sys
import tempfile
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.speed import replicate  # noqa: E402
from tools.ab_rounds import interleaved, report  # noqa: E402
from tools.page_sets import page_files  # noqa: E402


def _children_cpu() -> float:
    ru = resource.getrusage(resource.RUSAGE_CHILDREN)
    return ru.ru_utime + ru.ru_stime


def pages(which: str, dest: Path) -> tuple[Path, int]:
    if which == "articles":
        return dest, replicate(dest, 3)
    dest.mkdir(parents=True, exist_ok=True)
    files = page_files("wcxb")
    for f in files:
        os.link(f, dest / f.name)
    return dest, len(files)


def load_cpu(tree: Path, folder: Path, db: Path, workers: int, n: int) -> float:
    """CPU ms per page of one `deboil load` with the code in `tree`."""
    before = _children_cpu()
    subprocess.run([sys.executable, "-m", "deboil", "load", str(folder), "--db", str(db),
                    "--workers", str(workers), "--quiet"], cwd=tree, check=False,
                   env=dict(os.environ, PYTHONPATH=str(tree)), capture_output=True)
    return 1000 * (_children_cpu() - before) / n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tools/load_cpu_ab.py")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--rounds", type=int, default=5)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--set", dest="which", choices=("articles", "wcxb"), default="articles")
    args = parser.parse_args(argv)
    old, new = args.old.resolve(), args.new.resolve()
    with tempfile.TemporaryDirectory(prefix="deboil-ab-") as tmp:
        tmp = Path(tmp)
        folder, n = pages(args.which, tmp / "pages")

        def measure(tree: Path, slot: int) -> float:
            db = tmp / f"ab-{slot}.db"
            try:
                return load_cpu(tree, folder, db, args.workers, n)
            finally:
                for f in tmp.glob(f"ab-{slot}.db*"):
                    f.unlink()

        olds, news = interleaved(measure, old, new, args.rounds)
    print(report(f"{args.which}, {n} pages, --workers {args.workers}", olds, news))

if __name__ == "__main__":
    main()
