"""Second-pass context for the capture line classifier: features of the first pass's scores.

Body text comes in runs and clutter comes in runs, so a line's neighbours' first scores say
much about it: jusText's context-sensitive pass, learned. Besides the nearest neighbours, a
line sees the run of lines the first pass kept around it (a one-line island amid clutter is
rarely body; a weak line inside a long kept run usually is), how far the nearest kept line
is on either side, where it sits relative to all kept lines (above the body, inside, below)
and how its score compares with the page's (a capture of a clean text scores high all over).
"""
from __future__ import annotations

import numpy as np

from deboil.cleaners.capture.line_features import _window_mean

NAMES = ["margin", "prev1", "next1", "near2", "window3", "window8",
         "run_log_len", "run_mean", "gap_above", "gap_below", "kept_above_share", "page_mean",
         "page_kept_share", "margin_vs_page"]
# Score given to the lines beyond the page's edges.
_EDGE = -3.0


def _runs(kept: np.ndarray, margins: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Length and mean score of the run of kept lines each kept line is in (0, 0 otherwise)."""
    n = len(kept)
    edges = np.flatnonzero(np.diff(np.concatenate([[0], kept.astype(np.int8), [0]])))
    length, mean = np.zeros(n), np.zeros(n)
    for start, stop in zip(edges[::2], edges[1::2]):
        length[start:stop] = stop - start
        mean[start:stop] = margins[start:stop].mean()
    return length, mean


def _gaps(kept: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Lines to the nearest kept line above and below (not counting the line itself)."""
    n = len(kept)
    idx = np.arange(n)
    pos = np.flatnonzero(kept)
    if len(pos) == 0:
        return np.full(n, float(n)), np.full(n, float(n))
    before = np.searchsorted(pos, idx)  # kept lines strictly above
    above = np.where(before > 0, idx - pos[np.maximum(before - 1, 0)], n)
    after = np.searchsorted(pos, idx, side="right")
    below = np.where(after < len(pos), pos[np.minimum(after, len(pos) - 1)] - idx, n)
    return above.astype(float), below.astype(float)


def context_features(margins: np.ndarray) -> np.ndarray:
    """Matrix (lines x NAMES) from the first pass's margins (log-odds) of one page."""
    n = len(margins)
    if n == 0:
        return np.zeros((0, len(NAMES)))
    pad = np.full(2, _EDGE)
    padded = np.concatenate([pad, margins, pad])
    prev1, next1 = padded[1:n + 1], padded[3:n + 3]
    near2 = np.maximum(padded[:n], padded[4:n + 4])
    kept = margins > 0
    run_len, run_mean = _runs(kept, margins)
    above, below = _gaps(kept)
    kept_above = np.concatenate([[0.0], np.cumsum(kept)[:-1]]) / max(kept.sum(), 1)
    page_mean = float(margins.mean())
    return np.column_stack([
        margins, prev1, next1, near2, _window_mean(margins, 3), _window_mean(margins, 8),
        np.log1p(run_len), run_mean, np.log1p(above), np.log1p(below), kept_above,
        np.full(n, page_mean), np.full(n, kept.mean()), margins - page_mean,
    ])
