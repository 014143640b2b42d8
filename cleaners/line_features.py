"""Numeric features of capture lines for the content/boilerplate classifier.

Own features say whether a line reads like prose (length, terminal punctuation, stop-word
density, few capitalised or link-like words); context features say whether it sits in a run
of prose, because body text comes in runs and menus come in runs too.
"""
from __future__ import annotations

import math
import re
from collections import Counter

import numpy as np

from .boilerplate import boilerplate_reason
from .dates import parse_dateline

_TOKEN = re.compile(r"\w+")
_ALPHA_WORD = re.compile(r"[^\W\d_][\w'’-]*")
_CJK = re.compile(r"[\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af\u0e00-\u0e7f]")
_TERMINAL = re.compile(r"[.!?…。！？:;»\"”’)\]]\s*$")
_SENTENCE_END = re.compile(r"[.!?…。！？][\"”’»)\]]*\s*$")
_LINKLIKE = re.compile(r"https?://|www\.|\.\w{2,3}\b/|@\w|#\w|\.(?:com|org|net|co|ru|de|br)\b", re.I)
_SEPARATORS = re.compile(r"[|•·›»«/>]")
_CAMEL_GLUE = re.compile(r"[a-zà-ÿа-я]{2,}[A-ZÀ-ÞА-Я][a-zà-ÿа-я]")
_BULLET = re.compile(r"^(?:[-*•–]\s|\d{1,2}[.)]\s)")

OWN = [
    "log_units", "log_chars", "terminal", "sentence_end", "stop_density", "caps_share",
    "linklike", "digit_share", "boilerplate", "rel_pos", "dateline", "repeated", "commas",
    "camel", "cjk", "w_le2", "w_3_6", "w_7_15", "w_ge30", "prose", "separators", "bullet",
    "colon_end", "no_stop",
]
PAGE = ["in_region", "region_dist", "page_prose_share", "page_log_lines", "head_zone", "tail_zone"]
CONTEXT = ["prev_units", "next_units", "prev_prose", "next_prose", "prose_w2", "prose_w5",
           "units_w3", "stop_w3", "bp_w3"]
# Products the linear model cannot form itself: prose counts for more inside the prose run.
CROSS = ["prose_in_region", "units_in_region", "stop_x_units", "terminal_in_region", "short_in_region",
         "prose_dist"]
# Articles end where comment forms, related links or the copyright begin: lines after such a
# marker (itself after the first prose line) are rarely body, however prose-like.
END_REASONS = frozenset({"comment-form", "related", "newsletter", "copyright", "share"})
END = ["after_end_marker", "end_markers_above"]
NAMES = OWN + PAGE + CONTEXT + CROSS + END


_DIGIT = re.compile(r"\d")


def _own(line: str, stop: frozenset[str], is_boilerplate: bool, is_dateline: bool) -> list[float]:
    toks = _TOKEN.findall(line)
    words = _ALPHA_WORD.findall(line)
    n_cjk = len(_CJK.findall(line))
    units = len(toks) + n_cjk / 2.0  # CJK has no spaces: about two characters a word
    lowered = [t.lower() for t in toks]
    n_stop = sum(1 for t in lowered if t in stop)
    stop_density = n_stop / len(toks) if toks else 0.0
    caps = sum(1 for w in words if w[0].isupper()) / len(words) if words else 0.0
    n_chars = len(line)
    digits = len(_DIGIT.findall(line)) / n_chars if n_chars else 0.0
    terminal = bool(_TERMINAL.search(line))
    sentence_end = bool(_SENTENCE_END.search(line))
    cjk_share = n_cjk / n_chars if n_chars else 0.0
    prose = units >= 10 and sentence_end and (stop_density >= 0.15 or cjk_share > 0.3 or not stop)
    return [
        math.log1p(units), math.log1p(n_chars), float(terminal), float(sentence_end), stop_density,
        caps, min(len(_LINKLIKE.findall(line)), 3) / 3.0, digits,
        float(is_boilerplate), 0.0, float(is_dateline),
        0.0, line.count(",") / max(units, 1.0), float(bool(_CAMEL_GLUE.search(line))), cjk_share,
        float(units <= 2), float(3 <= units <= 6), float(7 <= units <= 15), float(units >= 30),
        float(prose), min(len(_SEPARATORS.findall(line)), 5) / 5.0, float(bool(_BULLET.match(line))),
        float(line.rstrip().endswith(":")), float(bool(stop) and n_stop == 0),
    ]


def _best_region(scores: np.ndarray) -> tuple[int, int]:
    """Maximum-sum run of lines (Kadane): the stretch richest in prose."""
    best, best_span, cur, start = -1e9, (0, -1), 0.0, 0
    for i, s in enumerate(scores):
        if cur <= 0:
            cur, start = s, i
        else:
            cur += s
        if cur > best:
            best, best_span = cur, (start, i)
    return best_span


def _window_mean(col: np.ndarray, k: int) -> np.ndarray:
    """Mean of the column over the k lines either side, excluding the line itself."""
    n = len(col)
    c = np.concatenate([[0.0], np.cumsum(col)])
    idx = np.arange(n)
    lo, hi = np.maximum(idx - k, 0), np.minimum(idx + k + 1, n)
    total = c[hi] - c[lo] - col
    count = (hi - lo - 1).clip(min=1)
    return total / count


def line_features(lines: list[str], stop: frozenset[str], boilerplate: list | None = None,
                  datelines: list | None = None) -> np.ndarray:
    """Matrix (lines x NAMES) of features for the given non-empty, stripped lines.

    `boilerplate` / `datelines`: per-line results of boilerplate_reason / parse_dateline
    when the caller already has them (computed here otherwise)."""
    n = len(lines)
    if n == 0:
        return np.zeros((0, len(NAMES)))
    if boilerplate is None:
        boilerplate = [boilerplate_reason(line) for line in lines]
    if datelines is None:
        datelines = [parse_dateline(line) for line in lines]
    own = np.array([_own(line, stop, bp is not None, dl is not None)
                    for line, bp, dl in zip(lines, boilerplate, datelines)], dtype=float)
    col = {name: i for i, name in enumerate(OWN)}
    own[:, col["rel_pos"]] = np.arange(n) / max(n - 1, 1)
    counts = Counter(lines)
    own[:, col["repeated"]] = [float(counts[line] > 1) for line in lines]

    units = np.expm1(own[:, col["log_units"]])
    prose = own[:, col["prose"]]
    bp = own[:, col["boilerplate"]]
    # Prose lines pull the region in proportion to length; everything else pushes a little.
    scores = np.where(prose > 0, np.minimum(units, 60.0), -2.0 - 4.0 * bp)
    a, b = _best_region(scores)
    idx = np.arange(n)
    in_region = ((idx >= a) & (idx <= b)).astype(float)
    dist = np.where(idx < a, a - idx, np.where(idx > b, idx - b, 0))
    page = np.column_stack([
        in_region, np.log1p(dist), np.full(n, prose.mean()), np.full(n, math.log1p(n)),
        (idx < a).astype(float), (idx > b).astype(float),
    ])
    log_units = own[:, col["log_units"]]
    prev_units = np.concatenate([[0.0], log_units[:-1]])
    next_units = np.concatenate([log_units[1:], [0.0]])
    prev_prose = np.concatenate([[0.0], prose[:-1]])
    next_prose = np.concatenate([prose[1:], [0.0]])
    context = np.column_stack([
        prev_units, next_units, prev_prose, next_prose, _window_mean(prose, 2),
        _window_mean(prose, 5), _window_mean(log_units, 3),
        _window_mean(own[:, col["stop_density"]], 3), _window_mean(bp, 3),
    ])
    terminal = own[:, col["terminal"]]
    prose_idx = np.flatnonzero(prose)
    if len(prose_idx):  # lines to the nearest prose line, other than itself
        pos = np.searchsorted(prose_idx, idx)
        before = np.where(pos > 0, idx - prose_idx[np.maximum(pos - 1, 0)], n)
        after_pos = np.searchsorted(prose_idx, idx, side="right")
        after = np.where(after_pos < len(prose_idx), prose_idx[np.minimum(after_pos, len(prose_idx) - 1)] - idx, n)
        prose_dist = np.log1p(np.minimum(before, after))
    else:
        prose_dist = np.full(n, math.log1p(n))
    cross = np.column_stack([
        prose * in_region, log_units * in_region, own[:, col["stop_density"]] * log_units,
        terminal * in_region, (units < 4) * in_region, prose_dist,
    ])
    first_prose = int(prose_idx[0]) if len(prose_idx) else n
    markers = np.array([float(i > first_prose and bp in END_REASONS) for i, bp in enumerate(boilerplate)])
    above = np.concatenate([[0.0], np.cumsum(markers)[:-1]])
    end = np.column_stack([(above > 0).astype(float), np.log1p(above)])
    return np.hstack([own, page, context, cross, end])


def neighbour_features(logits: np.ndarray) -> np.ndarray:
    """Second-pass context: first-pass scores of the neighbours (content comes in runs)."""
    n = len(logits)
    if n == 0:
        return np.zeros((0, 6))
    prev1 = np.concatenate([[-3.0], logits[:-1]])
    next1 = np.concatenate([logits[1:], [-3.0]])
    prev2 = np.concatenate([[-3.0, -3.0], logits[:-2]])[:n]
    next2 = np.concatenate([logits[2:], [-3.0, -3.0]])[:n]
    return np.column_stack([logits, prev1, next1, np.maximum(prev2, next2),
                            _window_mean(logits, 3), _window_mean(logits, 8)])
