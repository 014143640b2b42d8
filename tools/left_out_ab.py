"""`left_out` of two checkouts on the same inputs: are the entries the same, and which is cheaper?

    python tools/left_out_ab.py compare OLD_TREE [--pickle DIR]
    python tools/left_out_ab.py speed OLD_TREE [--set articles|wcxb] [--rounds 9]

Runs this checkout's HTML pipeline over the pages with `left_out` wrapped: each call's inputs
(the tree as it is then, the kept lines, the removed entries, the title) go to OLD_TREE's
`deboil/cleaners/html/left_out.py`, loaded beside this one under another name (the modules it
imports are this checkout's). `compare`: every wcxb-dev and article-extraction page, both
modules' entries compared entry for entry (`--pickle DIR` also writes each side's list);
exit code 1 on any difference. `speed`: the inputs of the set's pages are copied once, then
each round times both modules over all of them in process time, alternating which goes first;
the figure is the median of the per-round ratios new/old.
"""
from __future__ import annotations

import argparse
import copy
import pickle
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.ab_rounds import interleaved, report  # noqa: E402
from tools.function_ab import old_module, on_each_call  # noqa: E402

_MODULE = "deboil.cleaners.html.left_out"


def _run_pages(which: str, on_call) -> None:
    """The pipeline over the set's pages, `on_call(tree, kept, removed, title)` at each
    `left_out` call (its result, this checkout's, is what the pipeline goes on with)."""
    from deboil.cleaners.html import extract
    on_each_call(which, extract, "left_out", on_call)


def _as_tuples(entries) -> list[tuple]:
    return [(r.text, r.reason) for r in entries]


def compare(old_tree: Path, pickle_dir: Path | None) -> int:
    from deboil.cleaners.html import left_out as new
    old = old_module(old_tree, _MODULE)
    olds, news = [], []

    def on_call(tree, kept, removed, title):
        olds.append(_as_tuples(old.left_out(tree, kept, removed, title)))
        news.append(_as_tuples(new.left_out(tree, kept, removed, title)))

    _run_pages("all", on_call)
    differ = [i for i, (a, b) in enumerate(zip(olds, news)) if a != b]
    entries = sum(map(len, olds))
    print(f"{len(olds)} calls, {entries} entries (old) / {sum(map(len, news))} (new); "
          f"calls that differ: {len(differ)} {differ[:10]}")
    if pickle_dir is not None:
        pickle_dir.mkdir(parents=True, exist_ok=True)
        (pickle_dir / "old.pkl").write_bytes(pickle.dumps(olds))
        (pickle_dir / "new.pkl").write_bytes(pickle.dumps(news))
    return 1 if differ else 0


def speed(old_tree: Path, which: str, rounds: int) -> None:
    from deboil.cleaners.html import left_out as new
    old = old_module(old_tree, _MODULE)
    calls = []
    _run_pages(which, lambda tree, kept, removed, title: calls.append(
        (copy.deepcopy(tree), list(kept), copy.deepcopy(removed), title)))
    for module in (old, new):  # warm their caches alike
        for call in calls:
            module.left_out(*call)

    def measure(module, _slot) -> float:
        start = time.process_time()
        for call in calls:
            module.left_out(*call)
        return 1000 * (time.process_time() - start) / len(calls)

    olds, news = interleaved(measure, old, new, rounds)
    print(report(f"left_out alone, {which} ({len(calls)} calls)", olds, news))


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tools/left_out_ab.py")
    parser.add_argument("mode", choices=("compare", "speed"))
    parser.add_argument("old", type=Path)
    parser.add_argument("--set", dest="which", choices=("articles", "wcxb"), default="articles")
    parser.add_argument("--rounds", type=int, default=9)
    parser.add_argument("--pickle", type=Path)
    args = parser.parse_args(argv)
    if args.mode == "compare":
        sys.exit(compare(args.old, args.pickle))
    speed(args.old, args.which, args.rounds)


if __name__ == "__main__":
    main()
