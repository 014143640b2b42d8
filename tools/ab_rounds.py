"""Interleaved A/B rounds between two checkouts, as the speed tools report them: rounds
alternate which tree goes first (the VM drifts), the figure is the median of the per-round
ratios new/old."""
from __future__ import annotations

import statistics
from typing import Callable


def interleaved(measure: Callable[[object, int], float], old, new, rounds: int) -> tuple[list[float], list[float]]:
    """`measure(tree, slot)` for both trees each round, old first in even rounds; `slot` is
    0 or 1, the place in the round (for per-run scratch names)."""
    olds, news = [], []
    for r in range(rounds):
        order = [(old, olds), (new, news)] if r % 2 == 0 else [(new, news), (old, olds)]
        for slot, (tree, acc) in enumerate(order):
            acc.append(measure(tree, slot))
    return olds, news


def report(label: str, olds: list[float], news: list[float]) -> str:
    ratios = [n / o for o, n in zip(olds, news)]
    return (f"{label}: old {statistics.median(olds):.2f} ms/page, new {statistics.median(news):.2f} "
            f"(medians of {len(olds)}); new/old median ratio {statistics.median(ratios):.3f}\n"
            f"  old {[round(x, 2) for x in olds]}  new {[round(x, 2) for x in news]}  "
            f"ratios {[round(x, 3) for x in ratios]}")
