"""A segment stage over the line decisions: drop clutter runs, keep body runs again.

The line classifier decides each line from its features and its neighbours' scores; comment
threads, teasers and product boxes come as whole runs of prose-like lines it keeps, and body
paragraphs as runs it drops. Here the page's kept lines are grouped into runs ("drop"
segments: no dropped line between) and so are the lines the classifier alone dropped
("rescue" segments). Each run is described (size, place against the main run -- the kept
run with the most characters --, its lines' scores against the page's threshold, means of
line features, topic and style against the main run, and what its words say: a naive-Bayes
log-count ratio of body against clutter lines per token), and two boosted forests score it
as body. A kept run scored under the drop cut goes (reason "clutter-run"), the main run never;
a dropped run scored over the rescue cut is kept again. Pages the clean-text gate passed are
left alone. Training and the cuts: tools/capture_segments_fit.py (docs/captures.md).
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from itertools import repeat

import numpy as np

from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.line_features import NAMES

_COL = {n: i for i, n in enumerate(NAMES)}
MEAN_FEATURES = ["prose", "sentence_end", "stop_density", "log_units", "linklike", "digit_share", "repeated",
                 "bullet", "price", "code_like", "relative_time", "after_end_marker", "timestamps_above",
                 "headline_run", "in_region", "head_zone", "tail_zone", "inner_dateline", "camel", "caps_share",
                 "boilerplate", "colon_end"]
PAGE_FEATURES = ["page_prose_share", "page_log_lines", "page_code_share", "page_price_share",
                 "page_headline_share", "page_log_stamps", "page_short_share"]
STYLE_FEATURES = ["prose", "sentence_end", "stop_density", "log_units", "linklike", "caps_share"]
_MEAN_COLS = [_COL[c] for c in MEAN_FEATURES]
_PAGE_COLS = [_COL[c] for c in PAGE_FEATURES]
_STYLE_COLS = [_COL[c] for c in STYLE_FEATURES]
# Rule reasons that end an article's body (a segment below one is likely clutter).
END_REASONS = frozenset({"comment-form", "related", "newsletter", "copyright", "share", "login", "app-promo"})
# The reasons lines.py's _model_reason gives: lines the classifier dropped, not a rule.
MODEL_REASONS = frozenset({"repeat", "nav", "headline", "outside-body", "related", "short-fragment", "low-content"})
HEADER_PHRASES = re.compile(r"\b(?:comments?|repl(?:y|ies)|related|you may|also like|read more|recommended|"
                     r"more from|popular|trending|latest|leave a|responses?|discussion|see also|more stories)\b", re.I)
TOPIC_WORD = re.compile(r"[^\W\d_]{4,}")
_TOKEN = re.compile(r"\w+")
# A line's lexical score above 0 has tokens more frequent in body lines than in clutter ones
# (the log-count ratio's own boundary).
LEX_CUT = 0.0
# The reason a dropped run's lines carry (`deboil show` lists removed lines by reason).
REASON = "clutter-run"


def line_tokens(line: str) -> list[str]:
    """Lower-cased word unigrams and bigrams of a line, each once."""
    words = _TOKEN.findall(line.lower())
    return list(dict.fromkeys(words + [a + " " + b for a, b in zip(words, words[1:])]))


def lexical_scores(lines: list[str], ratios: dict[str, float]) -> np.ndarray:
    """Per line, the mean log-count ratio of its tokens (tokens off the lexicon count 0)."""
    return _lexical(lines, ratios, [True] * len(lines))[0]


def _lexical(lines: list[str], ratios: dict[str, float], needed: list[bool]) -> tuple[np.ndarray, list[str]]:
    """lexical_scores of the `needed` lines (0 elsewhere), and the lines lower-cased (the
    topic words are found in them; "" where not needed)."""
    get, zero, join = ratios.get, repeat(0.0), " ".join
    out = [0.0] * len(lines)
    lowered = [line.lower() if need else "" for line, need in zip(lines, needed)]
    for k, low in enumerate(lowered):
        words = _TOKEN.findall(low)
        if words:
            toks = set(words)
            toks.update(map(join, zip(words, words[1:])))  # a bigram holds a space: never a word
            out[k] = sum(map(get, toks, zero)) / len(toks)
    return np.array(out), lowered


@dataclass
class PageFacts:
    """What both kinds of segment read of a page, computed once."""

    lines: list[str]
    X: np.ndarray
    reasons: list
    probs: np.ndarray
    lex: np.ndarray
    lowered: list[str]

    def __post_init__(self):
        self.kept = np.array([r is None for r in self.reasons])
        self.chars = np.expm1(self.X[:, _COL["log_chars"]])
        self.units = np.expm1(self.X[:, _COL["log_units"]])
        self.probs = self.probs.astype(float)
        self.kept_chars = np.concatenate([[0.0], np.cumsum(np.where(self.kept, self.chars, 0.0))])
        self.cum = np.vstack([np.zeros(self.X.shape[1] + 1),
                              np.cumsum(np.column_stack([self.X, self.probs]), axis=0)])
        counts = Counter(self.lines)
        self.field = np.array([u <= 6 and counts[l] >= 3 for u, l in zip(self.units.tolist(), self.lines)],
                              dtype=float)
        self.end_reason = np.array([r in END_REASONS for r in self.reasons], dtype=float)
        self.end_cum = np.concatenate([[0.0], np.cumsum(self.end_reason)])
        self._topic: dict[int, set[str]] = {}

    @classmethod
    def of(cls, lines, X, reasons, probs, ratios) -> "PageFacts":
        # only the lines of a segment are read: kept ones and those the classifier dropped
        lex, lowered = _lexical(lines, ratios, [r is None or r in MODEL_REASONS for r in reasons])
        return cls(lines, X, reasons, probs, lex, lowered)

    @classmethod
    def scored(cls, lines, X, reasons, probs, lex: np.ndarray) -> "PageFacts":
        """With lexical scores from elsewhere (training: a lexicon fitted outside the page)."""
        return cls(lines, X, reasons, probs, lex, [line.lower() for line in lines])

    def topic(self, i: int) -> set[str]:
        t = self._topic.get(i)
        if t is None:
            t = self._topic[i] = set(TOPIC_WORD.findall(self.lowered[i]))
        return t


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True in mask."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > 1)
    return list(zip(idx[np.r_[0, breaks + 1]].tolist(), idx[np.r_[breaks, len(idx) - 1]].tolist()))


def segment_features(page: PageFacts, thr: float, mode: str) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """Features of a page's "drop" segments (runs of kept lines) or "rescue" segments (runs
    of classifier-dropped lines), their (first, last) lines, and the main segment's index (-1
    under "rescue"). Every segment is a whole run, so its sums come from cumulative sums over
    the page's lines."""
    lines, X, reasons, probs, lex = page.lines, page.X, page.reasons, page.probs, page.lex
    n = len(lines)
    kept = page.kept
    kept_segs = runs(kept)
    cand = kept if mode == "drop" else np.array([r in MODEL_REASONS for r in reasons])
    segs = kept_segs if mode == "drop" else runs(cand)
    if not segs or not kept_segs:
        return np.zeros((0, 0)), [], -1
    a_, b_ = np.array(segs).T
    stop = b_ + 1
    size = stop - a_
    chars, units, kept_chars = page.chars, page.units, page.kept_chars
    main_k = int(np.argmax([kept_chars[b + 1] - kept_chars[a] for a, b in kept_segs]))
    ma, mb = kept_segs[main_k]
    main_chars = kept_chars[mb + 1] - kept_chars[ma]
    main = -1 if mode == "rescue" else main_k
    sums = page.cum[stop] - page.cum[a_]
    kchars = np.array([chars[a:b + 1].sum() for a, b in segs])  # ties in the rank as summed here
    total = kept_chars[-1] or 1.0
    rank = np.empty(len(segs))
    rank[np.argsort(-kchars)] = np.arange(len(segs))
    end_reason, end_cum = page.end_reason, page.end_cum
    seg_in = np.repeat(np.arange(len(segs)), size)
    line_in = np.concatenate([np.arange(a, b + 1) for a, b in segs])
    p_in = probs[line_in]
    sorted_p = p_in[np.lexsort((p_in, seg_in))]
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    p_min, p_max = sorted_p[first], sorted_p[first + size - 1]
    p_median = (sorted_p[first + (size - 1) // 2] + sorted_p[first + size // 2]) / 2
    p_mean = sums[:, -1] / size
    field_mean = np.bincount(seg_in, page.field[line_in], len(segs)) / size
    lex_in = lex[line_in]
    lex_mean = np.bincount(seg_in, lex_in, len(segs)) / size
    lex_above = np.bincount(seg_in, lex_in > LEX_CUT, len(segs)) / size
    sorted_lex = lex_in[np.lexsort((lex_in, seg_in))]
    main_sel = np.arange(ma, mb + 1)
    main_style = X[ma:mb + 1, _STYLE_COLS].mean(axis=0)
    main_prob = probs[main_sel].mean()
    main_lex = lex[main_sel].mean()
    topic = page.topic
    main_words = set().union(*(topic(i) for i in range(ma, mb + 1)))
    means = sums[:, :-1] / size[:, None]
    page = X[0, _PAGE_COLS]
    feats = []
    for s, (a, b) in enumerate(segs):
        if a > mb:
            side, dist = 1.0, a - mb
            between_end = end_cum[a] - end_cum[mb + 1]
            between_kept = (kept_chars[a] - kept_chars[mb + 1]) / total
        elif b < ma:
            side, dist = -1.0, ma - b
            between_end = end_cum[ma] - end_cum[b + 1]
            between_kept = (kept_chars[ma] - kept_chars[b + 1]) / total
        else:  # the main segment, or dropped lines inside its span
            side, dist, between_end, between_kept = 0.0, 0.0, 0.0, 0.0
        above = range(max(a - 3, 0), a)
        header_rx = float(any(HEADER_PHRASES.search(lines[i]) and units[i] <= 8 for i in above))
        header_reason = float(any(end_reason[i] for i in above))
        short_above = float(a > 0 and not kept[a - 1] and units[a - 1] < 4)
        seg_words = set().union(*(topic(i) for i in range(a, b + 1)))
        feats.append([
            np.log1p(size[s]), np.log1p(kchars[s]), kchars[s] / total, float(s == main), rank[s],
            np.log1p(len(segs)), a / max(n - 1, 1), b / max(n - 1, 1), side, np.log1p(dist),
            np.log1p(between_end), between_kept, p_mean[s], p_min[s], p_max[s], p_mean[s] - thr, p_min[s] - thr,
            thr, p_median[s], field_mean[s], header_rx, header_reason, short_above,
            0.0, kchars[s] / max(main_chars, 1.0),
            # topic and style against the main segment: teasers and product boxes talk of
            # other things, comments in another voice
            len(seg_words & main_words) / max(len(seg_words), 1) if s != main else 1.0,
            np.log1p(len(seg_words)), p_mean[s] - main_prob,
            # what the segment says, against the main run
            lex_mean[s], sorted_lex[first[s] + size[s] - 1], sorted_lex[first[s]], lex_above[s],
            lex_mean[s] - main_lex,
        ])
    F = np.array(feats, dtype=float)
    # the means of line features, the page's features and the style against the main run,
    # in their places among the columns above
    return (np.hstack([F[:, :25], means[:, _MEAN_COLS], np.tile(page, (len(segs), 1)), F[:, 25:28],
                       means[:, _STYLE_COLS] - main_style, F[:, 28:]]), segs, main)



def _sigmoid(m: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-m))


@dataclass
class SegmentStage:
    """The lexicon (token -> log-count ratio), the two segment forests and their cuts (None:
    that side is off)."""

    ratios: dict[str, float]
    drop: Forest | None
    rescue: Forest | None
    drop_cut: float | None
    rescue_cut: float | None

    def apply(self, lines: list[str], X: np.ndarray, reasons: list, probs: np.ndarray, thr: float) -> list:
        """New reasons: kept lines of dropped segments get REASON, classifier-dropped lines of
        rescued segments None."""
        if self.drop_cut is None and self.rescue_cut is None:
            return reasons
        page = PageFacts.of(lines, X, reasons, probs, self.ratios)
        out = list(reasons)
        if self.drop_cut is not None:
            F, segs, main = segment_features(page, thr, "drop")
            if len(F) > 1:
                score = _sigmoid(self.drop.margin(F))
                for s in np.flatnonzero(score < self.drop_cut):
                    if s != main:
                        a, b = segs[s]
                        out[a:b + 1] = [REASON] * (b + 1 - a)
        if self.rescue_cut is not None:
            F, segs, _ = segment_features(page, thr, "rescue")
            if len(F):
                score = _sigmoid(self.rescue.margin(F))
                for s in np.flatnonzero(score > self.rescue_cut):
                    a, b = segs[s]
                    out[a:b + 1] = [None] * (b + 1 - a)
        return out

    def to_dict(self) -> dict:
        return {"names": NAMES, "ratios": {t: round(v, 5) for t, v in self.ratios.items()},
                "drop": self.drop.to_dict() if self.drop else None,
                "rescue": self.rescue.to_dict() if self.rescue else None,
                "drop_cut": self.drop_cut, "rescue_cut": self.rescue_cut}

    @classmethod
    def from_dict(cls, d: dict) -> "SegmentStage":
        if d.get("names") != NAMES:
            raise ValueError("segment stage was trained on other line features; retrain it")
        return cls(dict(d["ratios"]), Forest.from_dict(d["drop"]) if d.get("drop") else None,
                   Forest.from_dict(d["rescue"]) if d.get("rescue") else None, d.get("drop_cut"), d.get("rescue_cut"))
