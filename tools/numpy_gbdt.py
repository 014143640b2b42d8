"""Fit a deboil Forest in numpy: logistic loss, histogram splits, Newton leaf values. Trains the
HTML block model (tools/train_html_blocks.py); the capture model is fitted by LightGBM (gbdt_fit.py)."""
from __future__ import annotations

import numpy as np

from deboil.cleaners.capture.gbdt import Forest

_NO_SPLIT = 1e30  # threshold that sends every row left


def _bin_edges(X: np.ndarray, bins: int) -> list[np.ndarray]:
    edges = []
    for j in range(X.shape[1]):
        qs = np.unique(np.quantile(X[:, j], np.linspace(0, 1, bins + 1)[1:-1]))
        edges.append(qs)
    return edges


def fit_forest(X, y, w, trees=120, depth=3, rate=0.1, l2=1.0, min_weight=1e-3, bins=32,
               subsample=0.8, seed=0) -> Forest:
    rng = np.random.default_rng(seed)
    n, d = X.shape
    edges = _bin_edges(X, bins)
    # B[i, j]: bin of row i on feature j; split "bin <= b" equals "x <= edges[j][b]".
    B = np.column_stack([np.searchsorted(edges[j], X[:, j], side="left") for j in range(d)])
    nb = max(len(e) for e in edges) + 1
    p0 = np.clip(np.average(y, weights=w), 1e-4, 1 - 1e-4)
    base = float(np.log(p0 / (1 - p0)))
    margin = np.full(n, base)
    internal = 2 ** depth - 1
    offsets = (np.arange(d) * nb)[None, :]
    # a split after bin b exists only where feature j has an edge b
    valid = np.array([[b < len(edges[j]) for b in range(nb - 1)] for j in range(d)])
    feats = np.zeros((trees, internal), dtype=np.int64)
    thrs = np.full((trees, internal), _NO_SPLIT)
    leaves = np.zeros((trees, 2 ** depth))
    for t in range(trees):
        p = 1 / (1 + np.exp(-margin))
        g, h = w * (p - y), w * p * (1 - p)
        mask = rng.random(n) < subsample
        node = np.zeros(n, dtype=np.int64)
        for level in range(depth):
            for k in range(2 ** level - 1, 2 ** (level + 1) - 1):
                rows = np.flatnonzero((node == k) & mask)
                if len(rows) < 2:
                    continue
                gs, hs = g[rows], h[rows]
                G, H = gs.sum(), hs.sum()
                best = (0.0, None, None)
                parent = G * G / (H + l2)
                # one bincount over all features: bin index offset by feature * nb
                flat = (B[rows] + offsets).ravel()
                gb = np.bincount(flat, weights=np.repeat(gs, d), minlength=d * nb).reshape(d, nb)
                hb = np.bincount(flat, weights=np.repeat(hs, d), minlength=d * nb).reshape(d, nb)
                gl, hl = np.cumsum(gb, axis=1)[:, :-1], np.cumsum(hb, axis=1)[:, :-1]
                gr, hr = G - gl, H - hl
                ok = (hl > min_weight) & (hr > min_weight) & valid
                gain = np.where(ok, gl * gl / (hl + l2) + gr * gr / (hr + l2) - parent, 0.0)
                j, b = np.unravel_index(int(gain.argmax()), gain.shape)
                if gain[j, b] > 0:
                    best = (float(gain[j, b]), int(j), int(b))
                if best[1] is not None:
                    feats[t, k] = best[1]
                    thrs[t, k] = edges[best[1]][best[2]]
            # route all rows (sampled or not) one level down
            f = feats[t, node]
            node = 2 * node + 1 + (X[np.arange(n), f] > thrs[t, node])
        leaf_idx = node - internal
        G = np.bincount(leaf_idx[mask], weights=g[mask], minlength=2 ** depth)
        H = np.bincount(leaf_idx[mask], weights=h[mask], minlength=2 ** depth)
        leaves[t] = -rate * G / (H + l2)
        margin += leaves[t][leaf_idx]
    return Forest(feats, thrs, leaves, base, depth)
