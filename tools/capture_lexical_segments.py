"""Lexical columns for the segment study (tools/capture_sequence_study.py --lexical).

The segment scores rank body against clutter runs no better than the stage-2 scores they
are built from; what a run says may separate them. Every line gets the naive-Bayes lexical
score of tools/capture_lexical_cv.py, fitted strictly outside the page: a fold's test pages
(and their true bodies) by the lexical model of the whole training fold, a training page by
the one fitted on the other inner folds of its training fold (the inner folds the stage-1
margins and the segment model's out-of-fold scores use), so the segment model never learns
from a score that saw the page's own labels. A segment then gets the mean, highest and
lowest score of its lines, the share of its lines scored above LEX_CUT, and its mean against
the mean of the page's longest kept run.
"""
from __future__ import annotations

import numpy as np

from tools import train_capture as tc
from tools.capture_lexical_cv import TOP, Vocab, fit_lexical, line_scores

# A line above 0 has tokens more frequent in body lines than in clutter ones (the log-count
# ratio's own boundary: nothing chosen on the data).
LEX_CUT = 0.0
NAMES = ("lex_mean", "lex_max", "lex_min", "lex_share_above", "lex_minus_main")


def attach_line_scores(rows: list[dict], by_key: dict, page_of, top: int = TOP) -> None:
    """Sets row["lex"], one score per line of the row's page (tools/capture_sequence_cv.py rows)."""
    pages = list(by_key.values())
    vocab = Vocab()
    for p in pages:
        p["tok_ids"], p["tok_n"] = vocab.encode(p["lines"])
        p["tok_set"] = np.unique(p["tok_ids"])
    size = len(vocab.names)
    captures = [p for p in pages if not p.get("clean")]
    extra = [p for p in pages if p.get("clean")]
    for f in range(tc.FOLDS):
        _, train_pages = tc.fold_split(captures, extra, f)
        fits = {"test": fit_lexical(train_pages, size, top)}
        for g in range(tc.INNER_FOLDS):
            fits[g] = fit_lexical([p for p in train_pages if tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) != g],
                                  size, top)
        for row in rows:
            if row["fold"] != f:
                continue
            page = page_of(row)
            if row["role"] == "inner":
                assert tc.fold_of(page["group"] + "/inner", tc.INNER_FOLDS) == row["inner"]
                row["lex"] = line_scores(page, fits[row["inner"]])
            else:
                row["lex"] = line_scores(page, fits["test"])


def segment_columns(lex: np.ndarray, masks: list[np.ndarray], main_lines: np.ndarray) -> np.ndarray:
    """The NAMES columns of every segment (masks over the page's lines); main_lines: the
    indices of the longest kept run's kept lines."""
    main_mean = lex[main_lines].mean() if len(main_lines) else 0.0
    out = []
    for m in masks:
        s = lex[m]
        out.append([s.mean(), s.max(), s.min(), (s > LEX_CUT).mean(), s.mean() - main_mean])
    return np.array(out, dtype=float).reshape(len(masks), len(NAMES))
