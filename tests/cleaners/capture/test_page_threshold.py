"""The threshold per page: its page evidence is defined on any page, it picks the candidate
with the highest predicted gain, and it survives the model file."""
from __future__ import annotations

import numpy as np

from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.line_features import NAMES as LINE_NAMES
from deboil.cleaners.capture.lines import MODEL, prepare
from deboil.cleaners.capture.page_threshold import MIN_LINES, NAMES, PageThresholds, keep_at, page_summary


def _constant(value: float) -> Forest:
    """A one-tree forest predicting `value` for every page."""
    return Forest(np.zeros((1, 1), dtype=np.int64), np.zeros((1, 1)), np.full((1, 2), value), 0.0, 1)


def _page(lines):
    return prepare(lines)[2]


def test_summary_is_finite_on_pages_without_prose_or_kept_lines():
    X = _page(["Home", "News", "Sport", "Contact"])
    for probs in (np.zeros(len(X)), np.ones(len(X))):
        s = page_summary(X, probs)
        assert s.shape == (len(NAMES),) and np.isfinite(s).all()


def test_summary_counts_kept_clusters_and_the_main_one():
    lines = [f"This is sentence number {k} of a plain paragraph that reads like prose." for k in range(20)]
    X = _page(lines)
    probs = np.zeros(len(X))
    probs[[0, 1, 2]] = 0.9  # a cluster of three lines ...
    probs[[15]] = 0.9  # ... and, more than five lines below, a cluster of one
    s = dict(zip(NAMES, page_summary(X, probs)))
    assert s["kept_clusters"] == np.log1p(2)
    assert np.isclose(s["main_cluster_share"], np.expm1(X[[0, 1, 2], LINE_NAMES.index("log_chars")]).sum()
                      / np.expm1(X[[0, 1, 2, 15], LINE_NAMES.index("log_chars")]).sum())
    assert s["kept_share"] == 4 / 20


def test_choose_takes_the_highest_predicted_gain_and_the_base_at_gain_zero():
    X = _page([f"Line {k} of a text that is a sentence of some length." for k in range(MIN_LINES)])
    probs = np.full(len(X), 0.9)
    assert PageThresholds([0.3, 0.4, 0.5], [_constant(-0.1), None, _constant(0.2)]).choose(X, probs, 0.45) == 0.5
    assert PageThresholds([0.3, 0.4, 0.5], [_constant(-0.1), None, _constant(-0.2)]).choose(X, probs, 0.45) == 0.4
    # a short page keeps the single threshold
    assert PageThresholds([0.3, 0.4, 0.5], [_constant(-0.1), None, _constant(0.2)]).choose(X[:5], probs[:5], 0.45) == 0.45


def test_round_trip_through_the_model_file_format():
    page = PageThresholds([0.3, 0.4], [_constant(0.05), None])
    again = PageThresholds.from_dict(page.to_dict())
    assert again.thresholds == [0.3, 0.4] and again.gains[1] is None
    assert np.allclose(again.gains[0].leaf, page.gains[0].leaf)


def test_shipped_model_carries_page_thresholds():
    assert MODEL is not None and MODEL.page is not None
    assert len(MODEL.page.thresholds) == len(MODEL.page.gains)
    assert sum(g is None for g in MODEL.page.gains) == 1


def test_raised_threshold_keeps_the_body_run_at_the_floor():
    # a body (lines 2-7, one paragraph scoring 0.5) and, after a gap, a comment run
    probs = np.array([0.1, 0.1, 0.9, 0.5, 0.9, 0.45, 0.9, 0.42, 0.1, 0.6, 0.45, 0.1])
    keep = keep_at(probs, 0.7, 0.4)
    assert keep.tolist() == [False, False, True, True, True, True, True, True, False, False, False, False]
    assert keep_at(probs, 0.4, 0.4).tolist() == (probs >= 0.4).tolist()
    assert keep_at(probs, 0.3, 0.4).tolist() == (probs >= 0.3).tolist()
    assert not keep_at(np.array([0.1, 0.2]), 0.7, 0.4).any()
