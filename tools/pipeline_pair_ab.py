"""Paired A/B of the cleaning pipeline's CPU a page between two checkouts: each round runs
both trees at the same time, each in a fresh process, so both meet the same load from other
jobs (on a shared VM whole-load A/Bs swing by 10-15 % a round, more than a cut of a few per
cent).

    python tools/pipeline_pair_ab.py OLD_TREE NEW_TREE [--rounds 7] [--set articles|wcxb]

Each process warms the models up, reads the pages, then times `pipeline.run` over them in
process time (start-up and the writer are left out: `tools/load_cpu_ab.py` counts those).
`articles`: the 181 article pages three times over; `wcxb`: every fourth wcxb-dev page.
"""
from __future__ import annotations

import argparse
import os
import subprocess
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.ab_rounds import report  # noqa: E402
from tools.page_sets import warm_pipeline_and_pages  # noqa: E402  (imports deboil only when called)


def pipeline_cpu(which: str) -> float:
    """CPU ms a page of this checkout's pipeline over the page set."""
    pipeline, raws = warm_pipeline_and_pages(which, 3)
    start = time.process_time()
    for raw in raws:
        pipeline.run(raw)
    return 1000 * (time.process_time() - start) / len(raws)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tools/pipeline_pair_ab.py")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--set", dest="which", choices=("articles", "wcxb"), default="articles")
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)  # one tree's run
    args = parser.parse_args(argv)
    if args.child:  # this tool's own checkout is first on sys.path: the measured one goes before it
        sys.path.insert(0, str(args.old.resolve()))
        print(pipeline_cpu(args.which))
        return
    olds, news = [], []
    for _ in range(args.rounds):
        runs = [subprocess.Popen([sys.executable, str(Path(__file__).resolve()), str(tree), str(tree),
                                  "--set", args.which, "--child"], cwd=tree, stdout=subprocess.PIPE, text=True,
                                 env=dict(os.environ, PYTHONPATH=str(tree.resolve())))
                for tree in (args.old, args.new)]
        old, new = (float(run.communicate()[0].split()[-1]) for run in runs)
        olds.append(old)
        news.append(new)
    print(report(f"{args.which}, pipeline only, paired rounds", olds, news))


if __name__ == "__main__":
    main()
