"""Second-pass context features: runs of kept lines and the gaps between them."""
from __future__ import annotations

import numpy as np

from deboil.cleaners.capture.context import NAMES, context_features


def _col(X, name):
    return X[:, NAMES.index(name)]


def test_run_and_gaps_of_kept_lines():
    margins = np.array([-2.0, 1.0, 2.0, -1.0, 3.0, 3.0, 3.0, -4.0])
    X = context_features(margins)
    assert X.shape == (8, len(NAMES))
    assert np.allclose(np.expm1(_col(X, "run_log_len")), [0, 2, 2, 0, 3, 3, 3, 0])
    assert np.allclose(_col(X, "run_mean")[4:7], 3.0)
    # lines to the nearest kept line above / below; the page's length when there is none
    assert np.allclose(np.expm1(_col(X, "gap_above")), [8, 8, 1, 1, 2, 1, 1, 1])
    assert np.allclose(np.expm1(_col(X, "gap_below")), [1, 1, 2, 1, 1, 1, 8, 8])
    assert _col(X, "kept_above_share")[-1] == 1.0
    assert np.allclose(_col(X, "page_kept_share"), 5 / 8)


def test_neighbours_beyond_the_edges_score_low():
    X = context_features(np.array([2.0]))
    assert _col(X, "prev1")[0] < 0 and _col(X, "next1")[0] < 0
    assert context_features(np.zeros(0)).shape == (0, len(NAMES))
