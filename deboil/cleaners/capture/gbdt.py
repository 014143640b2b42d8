"""Gradient-boosted decision trees: inference for the capture line classifier.

Trees are complete binary trees of fixed depth stored as arrays (node i has children 2i+1
and 2i+2), so a whole forest is evaluated with `depth` vectorised steps for all lines at
once; a page costs well under a millisecond. Training lives in tools/train_capture.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass
class Forest:
    feature: np.ndarray  # (trees, internal nodes) int: feature tested at the node
    threshold: np.ndarray  # (trees, internal nodes) float: go left when x <= threshold
    leaf: np.ndarray  # (trees, 2 ** depth) float: additive score of each leaf
    base: float  # starting margin (log-odds)
    depth: int

    def margin(self, X: np.ndarray) -> np.ndarray:
        if len(X) == 0:
            return np.zeros(0)
        return self.base + self.leaf_values(X).sum(axis=1)

    def leaf_values(self, X: np.ndarray) -> np.ndarray:
        """(lines, trees): the leaf each tree sends each line to (X non-empty)."""
        n, t = len(X), len(self.feature)
        internal = self.feature.shape[1]
        X = np.ascontiguousarray(X)
        # The state is each (line, tree)'s node as a flat index into the forest's node arrays
        # (tree * internal + node): one add per level fewer than keeping the node apart.
        tree_start = np.arange(t) * internal
        if self.depth >= 2:  # the top two levels have fixed nodes: whole columns, no per-line lookup
            f, thr = self.feature, self.threshold
            root = X.take(f[:, 0], axis=1) > thr[:, 0]
            left, right = X.take(f[:, 1], axis=1) > thr[:, 1], X.take(f[:, 2], axis=1) > thr[:, 2]
            k = root.astype(np.intp)
            k *= 2
            k += (right & root) | (left & ~root)  # np.where(root, right, left): bool ops are cheaper
            k += tree_start + 3
            start = 2
        else:
            k, start = np.broadcast_to(tree_start, (n, t)).copy(), 0
        # Flat indices and take(): about twice as fast as 2-D fancy indexing.
        feature, threshold, x = self.feature.ravel(), self.threshold.ravel(), X.ravel()
        row_start = (np.arange(n) * X.shape[1])[:, None]
        step = 1 - tree_start  # child 2 * node + 1 (+1 if right), kept as tree_start + child
        # Reused buffers: no allocation per level (a page's arrays are a few hundred kB).
        at, values, cuts, go = np.empty_like(k), np.empty(k.shape), np.empty(k.shape), np.empty(k.shape, dtype=bool)
        for _ in range(start, self.depth):
            feature.take(k, out=at, mode="clip")  # indices are in range: skip the bounds check
            at += row_start
            x.take(at, out=values, mode="clip")
            threshold.take(k, out=cuts, mode="clip")
            np.greater(values, cuts, out=go)
            k *= 2
            k += step
            k += go
        k += np.arange(t) * (self.leaf.shape[1] - internal) - internal  # the leaves
        return self.leaf.ravel().take(k, out=values, mode="clip")

    def to_dict(self) -> dict:
        return {"feature": self.feature.tolist(), "threshold": self.threshold.tolist(),
                "leaf": np.round(self.leaf, 6).tolist(), "base": self.base, "depth": self.depth}

    @classmethod
    def stacked(cls, forests: list["Forest"]) -> "Forest":
        """One forest holding the trees of several of the same depth (their bases summed), so
        their leaf values come from one pass (leaf_values, then a sum per forest)."""
        return cls(np.vstack([f.feature for f in forests]), np.vstack([f.threshold for f in forests]),
                   np.vstack([f.leaf for f in forests]), float(sum(f.base for f in forests)), forests[0].depth)

    @classmethod
    def from_dict(cls, d: dict) -> "Forest":
        return cls(np.array(d["feature"], dtype=np.int64), np.array(d["threshold"], dtype=float),
                   np.array(d["leaf"], dtype=float), float(d["base"]), int(d["depth"]))
