"""The capture sequence study's offset stage (tools/capture_sequence_study.py): which lines it
may move, how segments are cut, and that a zero offset gives the saved decisions back."""
from __future__ import annotations

import numpy as np

from deboil.cleaners.capture.line_features import NAMES
from tools import capture_sequence_study as study
from tools.capture_lexical_segments import NAMES as NAMES_LEX


def _row_and_page():
    # line 0: title (rule), 1-3 kept body, 4-5 model-dropped, 6 a phrase rule, 7 kept
    reasons = ["title", None, None, None, "low-content", "related", "related", None]
    probs = np.array([0.9, 0.9, 0.8, 0.6, 0.3, 0.35, 0.2, 0.7], dtype=np.float32)
    X = np.zeros((8, len(NAMES)))
    X[:, NAMES.index("log_chars")] = np.log1p([20, 200, 200, 200, 80, 80, 40, 60])
    bp = [None, None, None, None, None, None, "related", None]
    row = {"reasons": reasons, "probs": probs, "thr": 0.5, "clean": False, "mode": "all"}
    page = {"prepared": (bp, [None] * 8, X), "X": X}
    return row, page


def test_rule_removed_lines_are_not_movable():
    row, page = _row_and_page()
    assert study.movable(row, page).tolist() == [False, True, True, True, True, True, False, True]


def test_like_runs_part_at_decision_changes_and_rule_lines():
    row, page = _row_and_page()
    kept = np.array([r is None for r in row["reasons"]])
    assert study.like_runs(study.movable(row, page), kept) == [(1, 3), (4, 5), (7, 7)]


def _prepared_row(score):
    row, page = _row_and_page()
    masks = []
    for a, b in study.like_runs(study.movable(row, page), np.array([r is None for r in row["reasons"]])):
        m = np.zeros(8, dtype=bool)
        m[a:b + 1] = True
        masks.append(m)
    row.update(masks=masks, F=np.zeros((len(masks), 1)), main=0, score=np.array(score))
    study.prepare_offsets(row, page)
    return row


def test_offsets_move_lines_by_margin_and_never_the_main_run():
    row = _prepared_row([0.01, 0.99, 0.01])  # main body, a body run dropped, a clutter line kept
    assert row["protect"].tolist() == [False, True, True, True, False, False, False, False]
    assert study.offset_keep(row, (1.0, None, None)) is None  # no centre: nothing moves
    keep = study.offset_keep(row, (1e6, 0.2, 0.8))
    # the main run stays whole (its score is low), the dropped run comes back, the kept
    # line below goes, the rule-removed lines stay out
    assert keep.tolist() == [False, True, True, True, True, True, False, False]
    # a small upward offset takes back only the dropped line nearer the threshold
    keep = study.offset_keep(row, (0.25, None, 0.8))
    assert keep.tolist() == [False, True, True, True, False, True, False, True]


def test_lexical_columns_describe_each_segment_against_the_main_run(monkeypatch):
    row, page = _row_and_page()
    page["lines"] = [f"line {i}" for i in range(8)]
    row["lex"] = np.array([0.0, 0.5, 0.3, 0.1, -0.4, 0.2, -1.0, -0.6])
    plain, _, _ = study.page_segments(row, page, 0)
    monkeypatch.setattr(study, "LEXICAL", True)
    F, masks, main = study.page_segments(row, page, 0)
    assert F.shape == (plain.shape[0], plain.shape[1] + len(NAMES_LEX))
    assert np.array_equal(F[:, :plain.shape[1]], plain)
    lex = F[:, plain.shape[1]:]
    # runs (1-3) main, (4-5) model-dropped, (7) kept; the rule-removed lines 0 and 6 in none
    assert main == 0
    np.testing.assert_allclose(lex[0], [0.3, 0.5, 0.1, 1.0, 0.0])
    np.testing.assert_allclose(lex[1], [-0.1, 0.2, -0.4, 0.5, -0.4])
    np.testing.assert_allclose(lex[2], [-0.6, -0.6, -0.6, 0.0, -0.9])
