"""A decision threshold per page, from what the page looks like and how the classifier scored it.

One threshold for every capture is a compromise: a news article's comment thread and related
teasers score just above it (a higher threshold pays), while a product or listing page keeps
its items only with a lower one. Small boosted regressions, one per candidate threshold,
predict a page's shingle-F1 gain over the base threshold from page-level evidence (prose
share, longest prose run, headline and timestamp density, where the kept lines sit, the
spread of the scores); the page takes the threshold with the highest predicted gain.
Trained on inner held-out captures by tools/train_capture.py.
"""
from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.line_features import NAMES as LINE_NAMES

_COL = {name: k for k, name in enumerate(LINE_NAMES)}
# Per-page line features (the same value on every line): read from the first line.
_PAGE_COLUMNS = ["page_prose_share", "page_log_lines", "page_code_share", "page_price_share",
                 "page_headline_share", "page_log_stamps", "page_short_share"]
_MEAN_COLUMNS = ["prose", "sentence_end", "stop_density", "log_units", "linklike", "digit_share",
                 "boilerplate", "dateline", "repeated", "bullet", "colon_end", "price", "code_like"]
NAMES = (_PAGE_COLUMNS + [f"mean_{c}" for c in _MEAN_COLUMNS] + [
    "longest_prose_run", "longest_prose_run_share", "prob_mean", "prob_share_0.3", "prob_share_0.5",
    "prob_share_0.7", "prob_mid_share", "kept_after_end_share", "kept_stamps_mean", "kept_share",
    "prose_prob_q10", "prose_prob_q25", "prose_prob_q50", "kept_clusters", "main_cluster_share",
    "mean_relative_time", "mean_inner_dateline", "kept_headline_run"])
# Lines scored at least this are "kept" for the summary (the usual threshold).
_KEPT = 0.4
# Kept lines further apart than this start a new cluster.
_CLUSTER_GAP = 5
# Pages shorter than this keep the model's single threshold: their shares and spreads are
# noise, and the regressions learnt from captures, which are rarely this short (18 of 1,539).
MIN_LINES = 20


def runs(flags: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Starts and stops (exclusive) of the runs of True in flags."""
    edges = np.flatnonzero(np.diff(np.concatenate([[0], flags.astype(np.int8), [0]])))
    return edges[::2], edges[1::2]


def longest_run(flags: np.ndarray) -> int:
    starts, stops = runs(flags)
    return int((stops - starts).max()) if len(starts) else 0


def page_summary(X: np.ndarray, probs: np.ndarray) -> np.ndarray:
    """NAMES for one page: its line features X and the classifier's probabilities."""
    n = len(X)
    prose = X[:, _COL["prose"]] > 0
    chars = np.expm1(X[:, _COL["log_chars"]])
    kept = probs >= _KEPT
    kept_chars = chars[kept].sum() or 1.0
    longest = longest_run(prose)
    prose_probs = probs[prose]
    quantiles = np.percentile(prose_probs, (10, 25, 50)) if len(prose_probs) else np.zeros(3)
    idx = np.flatnonzero(kept)
    if len(idx):
        breaks = np.flatnonzero(np.diff(idx) > _CLUSTER_GAP)
        starts, stops = idx[np.r_[0, breaks + 1]], idx[np.r_[breaks, len(idx) - 1]]
        kept_cum = np.concatenate([[0.0], np.cumsum(np.where(kept, chars, 0.0))])
        main_cluster = (kept_cum[stops + 1] - kept_cum[starts]).max()
        clusters = len(starts)
    else:
        main_cluster, clusters = 0.0, 0
    any_kept = bool(kept.any())
    values = [X[0, _COL[c]] for c in _PAGE_COLUMNS] + [X[:, _COL[c]].mean() for c in _MEAN_COLUMNS] + [
        longest, longest / n, probs.mean(), (probs >= 0.3).mean(), (probs >= 0.5).mean(), (probs >= 0.7).mean(),
        ((probs >= 0.3) & (probs < 0.7)).mean(),
        chars[kept & (X[:, _COL["after_end_marker"]] > 0)].sum() / kept_chars,
        X[kept, _COL["timestamps_above"]].mean() if any_kept else 0.0, kept.mean(), *quantiles,
        np.log1p(clusters), main_cluster / kept_chars,
        X[:, _COL["relative_time"]].mean(), X[:, _COL["inner_dateline"]].mean(),
        X[kept, _COL["headline_run"]].mean() if any_kept else 0.0]
    return np.array(values, dtype=float)


def keep_at(probs: np.ndarray, threshold: float, floor: float) -> np.ndarray:
    """Lines kept at a page's threshold. A raised threshold trims comment threads and teasers
    away from the body; inside the body it would cut paragraphs that score a little lower (a
    lede in another language, a last paragraph above the footer). So the run of lines scored
    at least `floor` that holds the most lines kept at `threshold` (the body) is judged at
    `floor`."""
    keep = probs >= threshold
    if threshold > floor:
        starts, stops = runs(probs >= floor)
        if len(starts):
            held = np.concatenate([[0], np.cumsum(keep)])
            k = int(np.argmax(held[stops] - held[starts]))
            keep[starts[k]:stops[k]] = True
    return keep


@dataclass
class PageThresholds:
    """Candidate thresholds and, for each but the base one, a regression of a page's F1
    gain over the base threshold (None at the base: gain 0)."""

    thresholds: list[float]
    gains: list[Forest | None]

    def __post_init__(self) -> None:
        # All regressions in one pass over the page summary: one call instead of one per
        # threshold (a page pays each call's fixed cost).
        fitted = [f for f in self.gains if f is not None]
        self._stacked = Forest.stacked(fitted) if fitted else None
        self._splits = np.cumsum([len(f.feature) for f in fitted])[:-1]
        self._bases = [f.base for f in fitted]

    def choose(self, X: np.ndarray, probs: np.ndarray, fallback: float) -> float:
        if len(X) < MIN_LINES or self._stacked is None:
            return fallback
        values = self._stacked.leaf_values(page_summary(X, probs)[None, :])[0]
        sums = iter([b + float(v.sum()) for b, v in zip(self._bases, np.split(values, self._splits))])
        predicted = [0.0 if f is None else next(sums) for f in self.gains]
        return self.thresholds[int(np.argmax(predicted))]

    def keep(self, X: np.ndarray, probs: np.ndarray, fallback: float) -> np.ndarray:
        return keep_at(probs, self.choose(X, probs, fallback), fallback)

    def to_dict(self) -> dict:
        return {"names": NAMES, "thresholds": self.thresholds,
                "gains": [None if f is None else f.to_dict() for f in self.gains]}

    @classmethod
    def from_dict(cls, d: dict) -> "PageThresholds":
        if d.get("names") != NAMES:
            raise ValueError("page thresholds were trained on other page features; retrain them")
        return cls(list(d["thresholds"]), [None if f is None else Forest.from_dict(f) for f in d["gains"]])
