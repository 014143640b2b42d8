"""Fit a cleaners.gbdt.Forest with LightGBM (logistic loss, depth-limited trees).

LightGBM trains in seconds what a hand-written numpy booster trained in minutes (1,500
pages, 400k lines); inference stays numpy-only in cleaners/gbdt.py, so the pipeline does
not depend on LightGBM. Its trees (at most 2**depth leaves, depth-limited) are laid out
as complete binary trees: a leaf above the last level becomes a node that sends every row
left, down to copies of the leaf.
"""
from __future__ import annotations

import lightgbm as lgb
import numpy as np

from deboil.cleaners.capture.gbdt import Forest

_ALL_LEFT = 1e300  # x <= this for every finite feature value


def fit_forest(X, y, w, trees=200, depth=4, rate=0.1, l2=1.0, subsample=0.8, seed=0, objective="binary") -> Forest:
    """objective "binary" for 0/1 labels, "cross_entropy" for labels in [0, 1]."""
    params = {
        "objective": objective, "learning_rate": rate, "max_depth": depth,
        "num_leaves": 2 ** depth, "lambda_l2": l2, "bagging_fraction": subsample,
        "bagging_freq": 1, "min_data_in_leaf": 20, "min_sum_hessian_in_leaf": 1e-3,
        "seed": seed, "deterministic": True, "force_row_wise": True, "num_threads": 1,
        "verbose": -1, "max_bin": 63,
    }
    booster = lgb.train(params, lgb.Dataset(X, y, weight=w, free_raw_data=False), trees)
    return to_forest(booster.dump_model(), depth)


def to_forest(dump: dict, depth: int) -> Forest:
    internal = 2 ** depth - 1
    trees = dump["tree_info"]
    feats = np.zeros((len(trees), internal), dtype=np.int64)
    thrs = np.full((len(trees), internal), _ALL_LEFT)
    leaves = np.zeros((len(trees), 2 ** depth))

    def fill(t: int, node: dict, k: int, level: int) -> None:
        if level == depth:
            if "leaf_value" not in node:
                raise ValueError("tree deeper than the forest layout")
            leaves[t, k - internal] = node["leaf_value"]
            return
        if "leaf_value" in node:  # early leaf: every row goes left, both sides hold the value
            fill(t, node, 2 * k + 1, level + 1)
            fill(t, node, 2 * k + 2, level + 1)
            return
        if node.get("decision_type") != "<=":
            raise ValueError(f"unsupported split {node.get('decision_type')}")
        feats[t, k] = node["split_feature"]
        thrs[t, k] = node["threshold"]
        fill(t, node["left_child"], 2 * k + 1, level + 1)
        fill(t, node["right_child"], 2 * k + 2, level + 1)

    for t, info in enumerate(trees):
        fill(t, info["tree_structure"], 0, 0)
    # LightGBM folds the starting log-odds into the first tree's leaves.
    return Forest(feats, thrs, leaves, 0.0, depth)
