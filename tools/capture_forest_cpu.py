"""CPU time of the line classifier's two forests (Model.probabilities) per page, for the
shipped model and for larger forests of the same cost as a capacity variant, in interleaved
rounds (the figure that bounds a capacity study: the capture step's target is 10 ms a page).

    python -m tools.capture_forest_cpu [--pages 400] [--rounds 5]

The larger forests are stand-ins of the right shape, not trained models: "trees x2" stacks
each shipped forest with itself; "depth 5" grows every shipped tree one level (the new
nodes test a random column at its median on the sample), so each line walks 5 levels of
32-leaf trees; "depth 5, trees x2" both. Evaluation cost depends on the shape only (take() on index arrays)."""
from __future__ import annotations

import argparse
import statistics
import time

import numpy as np

from bench.captures import wcxb_captures
from deboil.cleaners.capture.context import context_features
from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.lines import MODEL, Model, prepare


def deeper(forest: Forest, X: np.ndarray, rng: np.random.Generator) -> Forest:
    """The forest with one more level: each former leaf splits on a random column at its median."""
    trees, leaves = forest.leaf.shape
    cols = rng.integers(0, X.shape[1], size=(trees, leaves))
    medians = np.median(X, axis=0)
    return Forest(np.hstack([forest.feature, cols]), np.hstack([forest.threshold, medians[cols]]),
                  np.repeat(forest.leaf, 2, axis=1), forest.base, forest.depth + 1)


def variants(sample: np.ndarray) -> dict[str, Model]:
    rng = np.random.default_rng(0)
    s1, s2 = MODEL.stage1, MODEL.stage2
    X2 = np.hstack([sample, context_features(s1.margin(sample))])
    return {"shipped": MODEL,
            "trees x2": Model(Forest.stacked([s1, s1]), Forest.stacked([s2, s2]), MODEL.threshold, MODEL.page),
            "depth 5": Model(d1 := deeper(s1, sample, rng), d2 := deeper(s2, X2, rng), MODEL.threshold, MODEL.page),
            "depth 5, trees x2": Model(Forest.stacked([d1, d1]), Forest.stacked([d2, d2]), MODEL.threshold, MODEL.page)}


def ms_per_page(model: Model, pages: list[np.ndarray]) -> float:
    t0 = time.process_time()
    for X in pages:
        model.probabilities(X)
    return (time.process_time() - t0) * 1000 / len(pages)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--pages", type=int, default=400)
    ap.add_argument("--rounds", type=int, default=5)
    args = ap.parse_args(argv)
    pages = []
    for capture in wcxb_captures()[:args.pages]:
        X = prepare([l.strip() for l in capture.splitlines() if l.strip()])[2]
        if X is not None and len(X):
            pages.append(X)
    models = variants(np.vstack(pages))
    times = {name: [] for name in models}
    for r in range(args.rounds):
        order = list(models.items()) if r % 2 == 0 else list(reversed(models.items()))
        for name, model in order:
            times[name].append(ms_per_page(model, pages))
    base = times["shipped"]
    for name, ms in times.items():
        ratios = [m / b for m, b in zip(ms, base)]
        print(f"{name}: {statistics.median(ms):.3f} ms/page (median of {len(ms)}), "
              f"ratio to shipped {statistics.median(ratios):.3f}  rounds {[round(m, 3) for m in ms]}")


if __name__ == "__main__":
    main()
