"""The block-model experiments' page features (tools/html_stage2_cv.py): the context of a
block's score among its neighbours."""
from __future__ import annotations

import numpy as np

from tools.html_stage2_cv import CONTEXT_NAMES, _window_mean, context_features


def test_window_mean_leaves_the_block_itself_out():
    v = np.array([1.0, 0.0, 1.0, 0.0])
    got = _window_mean(v, np.ones(4), 1)
    assert got.tolist() == [0.0, 1.0, 0.0, 1.0]


def test_context_sees_neighbours_and_runs_of_like_blocks():
    # columns: words (log), held by the rules, depth, two own-tag flags
    X = np.array([[np.log1p(10), 1, 3, 1, 0],
                  [np.log1p(10), 1, 3, 1, 0],
                  [np.log1p(10), 0, 5, 0, 1],
                  [np.log1p(10), 0, 5, 0, 1]], dtype=float)
    q = np.array([0.9, 0.7, 0.1, 0.3])
    C = context_features(X, q, held_col=1, words_col=0, depth_col=2, tag_cols=[3, 4])
    col = {n: C[:, i] for i, n in enumerate(CONTEXT_NAMES)}
    assert C.shape == (4, len(CONTEXT_NAMES))
    assert col["s1_prev"].tolist() == [0.0, 0.9, 0.7, 0.1]
    assert col["s1_next"].tolist() == [0.7, 0.1, 0.3, 0.0]
    assert np.allclose(col["s1_run"], [0.8, 0.8, 0.2, 0.2])  # two runs: (depth 3, tag a), (depth 5, tag b)
    assert np.allclose(col["s1_page"], 0.5)
    assert np.allclose(col["s1_page_kept"], 0.5)
