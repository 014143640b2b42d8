"""Is this capture already clean text (all body)? A learned page-level gate.

A clean text (an article pasted without its page, a note, a document) must come out whole,
so the line classifier, which learnt that prose far from the body is clutter, is not asked.
A real capture called clean keeps all its menus and footers, so the gate is trained
(tools/train_capture.py) on true bodies fed as captures (clean) against the real captures
(not clean, weighted by how much clutter they carry), and its threshold is chosen on
held-out domains under a budget of clutter let through.

Page features summarise the line features the step already has: how much of the text is
prose and sentences, phrase hits and short-line runs, where they sit (a capture's clutter
sits at its top and bottom, a clean text's list-like lines inside it), datelines, and the
hand-written gate's verdict (lines.looks_clean).
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.line_features import NAMES as LINE_NAMES

_COL = {name: k for k, name in enumerate(LINE_NAMES)}
# Texts under this many lines (one sentence, a short note) are judged by the hand-written
# gate (lines.looks_clean): whole-page captures that short are too few to learn from.
MIN_LINES = 5
# Lines at each end of the page where a capture's menus and footers sit.
EDGE = 10
SHORT_UNITS = 4

NAMES = ["log_lines", "bp_count", "bp_share", "datelines", "prose_share", "prose_chars",
         "sentence_chars", "short_share", "log_short_run", "log_head_short_run", "first_prose_rel",
         "log_first_prose", "repeated_share", "linklike", "separators", "camel", "bullet", "caps",
         "stop", "digits", "in_region", "head_zone", "tail_zone", "code", "price", "headline",
         "stamps", "page_short", "relative_time", "inner_dateline", "bp_kinds",
         "bp_head", "bp_tail", "short_head", "short_tail", "link_edges", "bp_middle",
         "end_markers", "after_end", "repeated_tail", "camel_edges", "hand_clean"]


def _longest_run(flags: np.ndarray) -> int:
    best = run = 0
    for f in flags.tolist():
        run = run + 1 if f else 0
        best = max(best, run)
    return best


def page_features(X: np.ndarray, bp_reasons: list[str | None], hand_clean: bool) -> np.ndarray:
    """One row of NAMES for a page, from its line features (line_features.NAMES)."""
    n = len(X)

    def c(name: str) -> np.ndarray:
        return X[:, _COL[name]]

    chars = np.expm1(c("log_chars"))
    total = max(chars.sum(), 1.0)
    prose = c("prose") > 0
    short = np.expm1(c("log_units")) < SHORT_UNITS
    bp = c("boilerplate")
    first = int(np.argmax(prose)) if prose.any() else n
    return np.array([
        np.log1p(n), bp.sum(), bp.mean(), c("dateline").sum(),
        prose.mean(), chars[prose].sum() / total, chars[c("sentence_end") > 0].sum() / total,
        short.mean(), np.log1p(_longest_run(short)), np.log1p(_longest_run(short[:first])),
        first / n, np.log1p(first), c("repeated").mean(), c("linklike").mean(), c("separators").mean(),
        c("camel").mean(), c("bullet").mean(), c("caps_share").mean(), c("stop_density").mean(),
        c("digit_share").mean(), c("in_region").mean(), c("head_zone").mean(), c("tail_zone").mean(),
        X[0, _COL["page_code_share"]], X[0, _COL["page_price_share"]], X[0, _COL["page_headline_share"]],
        X[0, _COL["page_log_stamps"]], X[0, _COL["page_short_share"]], c("relative_time").sum(),
        c("inner_dateline").sum(), len({r for r in bp_reasons if r}),
        bp[:EDGE].sum(), bp[-EDGE:].sum(), short[:EDGE].mean(), short[-EDGE:].mean(),
        c("linklike")[:EDGE].sum() + c("linklike")[-EDGE:].sum(),
        bp[EDGE:-EDGE].mean() if n > 2 * EDGE else 0.0,
        X[-1, _COL["end_markers_above"]], c("after_end_marker").mean(), c("repeated")[-2 * EDGE:].mean(),
        c("camel")[:EDGE].sum() + c("camel")[-EDGE:].sum(), float(hand_clean),
    ])


@dataclass
class Gate:
    forest: Forest
    threshold: float  # margin at or above which the page is clean text

    @classmethod
    def from_dict(cls, d: dict) -> "Gate":
        if d.get("names") != NAMES or d.get("line_names") != LINE_NAMES:
            raise ValueError("capture gate was trained on other features; retrain it")
        return cls(Forest.from_dict(d["forest"]), float(d["threshold"]))

    def to_dict(self) -> dict:
        return {"names": NAMES, "line_names": LINE_NAMES, "threshold": self.threshold,
                "forest": self.forest.to_dict()}

    def margin(self, X: np.ndarray, bp_reasons: list[str | None], hand_clean: bool) -> float:
        return float(self.forest.margin(page_features(X, bp_reasons, hand_clean)[None, :])[0])

    def is_clean(self, X: np.ndarray, bp_reasons: list[str | None], hand_clean: bool) -> bool:
        return self.margin(X, bp_reasons, hand_clean) >= self.threshold
