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
from itertools import chain, count, repeat

import numpy as np

from deboil.cleaners.capture.gbdt import Forest
from deboil.cleaners.capture.line_features import _TYPOGRAPHIC_SPACES, NAMES

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
_STYLE_IN_MEAN = [MEAN_FEATURES.index(c) for c in STYLE_FEATURES]
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
# A line's reason as bits: kept, dropped by the classifier, an end-of-body rule.
_KEPT, _MODEL, _END = 1, 2, 4
_FLAGS = {None: _KEPT, **{r: _MODEL for r in MODEL_REASONS}}
_FLAGS.update({r: _FLAGS.get(r, 0) | _END for r in END_REASONS})
# The reason a dropped run's lines carry (`deboil show` lists removed lines by reason).
REASON = "clutter-run"


def line_tokens(line: str) -> list[str]:
    """Lower-cased word unigrams and bigrams of a line, each once."""
    words = _TOKEN.findall(line.lower())
    return list(dict.fromkeys(words + [a + " " + b for a, b in zip(words, words[1:])]))


def lexical_scores(lines: list[str], ratios: dict[str, float]) -> np.ndarray:
    """Per line, the mean log-count ratio of its tokens (tokens off the lexicon count 0)."""
    return Lexicon(ratios).scores(PageWords.of(lines))


# On ASCII text \w is [A-Za-z0-9_]: with every other character but the newline made a space,
# splitting gives each line's _TOKEN words (as scripts.ascii_tokens does for one line).
_ASCII_WORDS_BY_LINE = str.maketrans({c: c if c.isalnum() or c in "_\n" else " " for c in map(chr, range(128))})


def _line_words(lines: list[str]) -> list[list[str]]:
    """_TOKEN.findall(line.lower()) of every line, the page's ASCII lines split at once."""
    # lower-casing the page is lower-casing each line: a newline is neither cased nor
    # case-ignorable, so a final sigma is found at a line's end either way
    low = "\n".join(lines).lower()
    if low.count("\n") != len(lines) - 1:  # a line holding a newline
        return [_TOKEN.findall(line.lower()) for line in lines]
    other: list[int] = []
    if not low.isascii():  # typographic punctuation holds no word character: made spaces
        low = _TYPOGRAPHIC_SPACES.sub(" ", low.replace("\u2019", " "))
        if not low.isascii():  # the lines still not ASCII are left out of the split, found alone
            low_lines = low.split("\n")
            other = [k for k, ascii in enumerate(map(str.isascii, low_lines)) if not ascii]
            for k in other:
                low_lines[k] = ""
            low = "\n".join(low_lines)
    per_line = list(map(str.split, low.translate(_ASCII_WORDS_BY_LINE).split("\n")))
    for k in other:
        per_line[k] = _TOKEN.findall(lines[k].lower())
    return per_line


def _distinct(keys: np.ndarray) -> np.ndarray:
    """The distinct values of an integer array, sorted (a sort is cheaper than np.unique's hash
    table on a page's few thousand keys)."""
    keys = np.sort(keys)
    return keys[np.concatenate([[True], keys[1:] != keys[:-1]])] if len(keys) else keys


@dataclass
class PageWords:
    """A page's lower-cased words: the distinct ones (first seen first), and per occurrence its
    word's index and its line; the topic words (letters only, 4+ of them) the same way."""

    n: int
    vocab: list[str]
    ids: np.ndarray
    line: np.ndarray

    @classmethod
    def of(cls, lines: list[str]) -> "PageWords":
        per_line = _line_words(lines)
        words = list(chain.from_iterable(per_line))
        # One dict pass: each word's first position, then those positions ranked (a dict
        # keeps them in the order first seen, so the ranks are the words' first-seen order).
        first_seen: dict[str, int] = {}
        at = np.fromiter(map(first_seen.setdefault, words, count()), np.int64, len(words))
        rank = np.empty(len(words), np.int64)
        rank[np.fromiter(first_seen.values(), np.int64, len(first_seen))] = np.arange(len(first_seen))
        vocab, ids = list(first_seen), rank[at]
        line = np.repeat(np.arange(len(lines)), np.fromiter(map(len, per_line), np.int64, len(lines)))
        return cls(len(lines), vocab, ids, line)

    def topic(self) -> tuple[np.ndarray, np.ndarray, int]:
        """TOPIC_WORD.findall of the lower-cased lines: per occurrence its word's index and
        its line, and the number of word indices. A topic word lies inside one word; a word of
        letters only is its own topic word when it has 4 or more."""
        vocab, ids, line = self.vocab, self.ids, self.line
        size = len(vocab)
        alpha = np.fromiter(map(str.isalpha, vocab), bool, size)
        long = np.fromiter(map(len, vocab), np.int64, size) >= 4
        mask = (alpha & long)[ids]
        t_ids, t_line = [ids[mask]], [line[mask]]
        inner = {k: TOPIC_WORD.findall(vocab[k]) for k in np.flatnonzero(~alpha & long).tolist()
                 if not vocab[k].isdecimal()}
        inner = {k: found for k, found in inner.items() if found}
        if inner:  # words with digits or "_" in them: the topic words inside
            index = dict(zip(vocab, count()))
            extra_ids, extra_line = [], []
            has = np.zeros(size, dtype=bool)
            has[list(inner)] = True
            for k in np.flatnonzero(has[ids]).tolist():
                for t in inner[int(ids[k])]:
                    extra_ids.append(index.setdefault(t, len(index)))
                    extra_line.append(line[k])
            t_ids.append(np.array(extra_ids, dtype=np.int64))
            t_line.append(np.array(extra_line, dtype=np.int64))
            size = len(index)
        return np.concatenate(t_ids), np.concatenate(t_line), size


class Lexicon:
    """Token -> log-count ratio, with its bigrams also as sorted integer codes of their two
    words, so a page's bigrams are looked up with numpy rather than joined as strings."""

    def __init__(self, ratios: dict[str, float]):
        self.ratios = ratios
        self.word_id: dict[str, int] = {}
        for token in ratios:
            for w in token.split(" "):
                self.word_id.setdefault(w, len(self.word_id))
        # per lexicon word its unigram ratio, and 0 last (for the index -1 of words off it)
        self.unigram = np.zeros(len(self.word_id) + 1)
        for token, value in ratios.items():
            if " " not in token:
                self.unigram[self.word_id[token]] = value
        bigrams = [t for t in ratios if " " in t]
        codes = np.array([self._code(*t.split(" ")) for t in bigrams], dtype=np.int64)
        order = np.argsort(codes)
        self.codes = codes[order]
        self.values = np.array([ratios[t] for t in bigrams], dtype=float)[order]

    def _code(self, a: str, b: str) -> int:
        return self.word_id[a] * len(self.word_id) + self.word_id[b]

    def scores(self, words: PageWords) -> np.ndarray:
        """Per line, the mean ratio of its distinct unigrams and bigrams (0 for a line without
        words), every line's distinct tokens found at once as (line, token) integer keys."""
        vocab, ids, line, n = words.vocab, words.ids, words.line, words.n
        size = len(vocab)
        unigrams = _distinct(line * size + ids)
        u_line, u_word = np.divmod(unigrams, size)
        lex_word = np.fromiter(map(self.word_id.get, vocab, repeat(-1)), np.int64, size)
        u_value = self.unigram[lex_word[u_word]]
        pair = line[:-1] == line[1:]
        bigrams = _distinct(line[:-1][pair] * size * size + ids[:-1][pair] * size + ids[1:][pair])
        b_line, b_first, b_second = bigrams // (size * size), bigrams // size % size, bigrams % size
        first, second = lex_word[b_first], lex_word[b_second]
        code = np.where((first >= 0) & (second >= 0), first * len(self.word_id) + second, -1)
        at = np.minimum(np.searchsorted(self.codes, code), max(len(self.codes) - 1, 0))
        b_value = np.where((code >= 0) & (self.codes[at] == code), self.values[at], 0.0) if len(self.codes) \
            else np.zeros(len(code))
        tokens = np.bincount(u_line, minlength=n) + np.bincount(b_line, minlength=n)
        total = np.bincount(u_line, u_value, minlength=n) + np.bincount(b_line, b_value, minlength=n)
        return np.divide(total, tokens, out=np.zeros(n), where=tokens > 0)


@dataclass
class PageFacts:
    """What both kinds of segment read of a page, computed once."""

    lines: list[str]
    X: np.ndarray
    reasons: list
    probs: np.ndarray
    lex: np.ndarray
    words: PageWords

    def __post_init__(self):
        flags = np.fromiter(map(_FLAGS.get, self.reasons, repeat(0)), np.int8, len(self.reasons))
        self.kept = (flags & _KEPT) > 0
        self.model_dropped = (flags & _MODEL) > 0
        self.end_reason = ((flags & _END) > 0).astype(float)
        self.chars = np.expm1(self.X[:, _COL["log_chars"]])
        self.units = np.expm1(self.X[:, _COL["log_units"]])
        self.probs = self.probs.astype(float)
        self.kept_chars = np.concatenate([[0.0], np.cumsum(np.where(self.kept, self.chars, 0.0))])
        # cumulative sums of the averaged line features (_MEAN_COLS, then the probability)
        self.cum = np.zeros((len(self.lines) + 1, len(_MEAN_COLS) + 1))
        np.cumsum(self.X[:, _MEAN_COLS], axis=0, out=self.cum[1:, :-1])
        np.cumsum(self.probs, out=self.cum[1:, -1])
        counts = Counter(self.lines)
        repeats = np.fromiter(map(counts.__getitem__, self.lines), np.int64, len(self.lines))
        self.field = ((self.units <= 6) & (repeats >= 3)).astype(float)
        self.end_cum = np.concatenate([[0.0], np.cumsum(self.end_reason)])
        self.topic_ids, self.topic_line, self.topic_size = self.words.topic()
        self._header: dict[int, bool] = {}

    @classmethod
    def of(cls, lines, X, reasons, probs, lexicon: "Lexicon | dict[str, float]") -> "PageFacts":
        words = PageWords.of(lines)
        lex = (lexicon if isinstance(lexicon, Lexicon) else Lexicon(lexicon)).scores(words)
        # only the lines of a segment are read: kept ones and those the classifier dropped
        lex[np.array([not (r is None or r in MODEL_REASONS) for r in reasons], dtype=bool)] = 0.0
        return cls(lines, X, reasons, probs, lex, words)

    @classmethod
    def scored(cls, lines, X, reasons, probs, lex: np.ndarray) -> "PageFacts":
        """With lexical scores from elsewhere (training: a lexicon fitted outside the page)."""
        return cls(lines, X, reasons, probs, lex, PageWords.of(lines))

    def header(self, i: int) -> bool:
        """A short line announcing comments, related stories and the like."""
        h = self._header.get(i)
        if h is None:
            h = self._header[i] = bool(self.units[i] <= 8 and HEADER_PHRASES.search(self.lines[i]))
        return h


def runs(mask: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) index of each run of True in mask."""
    first, last, _, _ = _runs(mask)
    return list(zip(first.tolist(), last.tolist()))


def _runs(mask: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray]:
    """First and last index of each run of True in mask, and per True index its run."""
    idx = np.flatnonzero(mask)
    if not len(idx):
        return idx, idx, idx, idx
    new_run = np.empty(len(idx), dtype=bool)  # (np.r_ and np.diff cost more than the work here)
    new_run[0] = True
    np.greater(idx[1:] - idx[:-1], 1, out=new_run[1:])
    starts = np.flatnonzero(new_run)
    ends = np.empty_like(starts)
    ends[:-1] = starts[1:] - 1
    ends[-1] = len(idx) - 1
    return idx[starts], idx[ends], idx, np.cumsum(new_run) - 1


def _topic_words(page: PageFacts, seg_of_line: np.ndarray, n_segs: int, ma: int, mb: int):
    """Per segment, how many distinct topic words it has and how many of them the main run
    has too."""
    ids, line, size = page.topic_ids, page.topic_line, page.topic_size
    seg = seg_of_line[line]
    inside = seg >= 0
    key_seg, word = np.divmod(_distinct(seg[inside] * size + ids[inside]), size)
    in_main = np.zeros(size, dtype=bool)
    in_main[ids[(line >= ma) & (line <= mb)]] = True
    return (np.bincount(key_seg, minlength=n_segs).astype(float),
            np.bincount(key_seg, in_main[word], minlength=n_segs))


_NONE = (np.zeros((0, 0)), [], -1)


def segment_features(page: PageFacts, thr: float, mode: str) -> tuple[np.ndarray, list[tuple[int, int]], int]:
    """Features of a page's "drop" segments (runs of kept lines) or "rescue" segments (runs
    of classifier-dropped lines), their (first, last) lines, and the main segment's index (-1
    under "rescue")."""
    return both_segment_features(page, thr, (mode,))[mode]


def both_segment_features(page: PageFacts, thr: float, modes=("drop", "rescue")) -> dict:
    """segment_features of each mode, computed together: a kept line is in no rescue segment
    and a dropped one in no drop segment, so the segments of both modes are described in one
    pass (every segment is a whole run: its sums come from cumulative sums over the lines)."""
    lines, X, probs, lex = page.lines, page.X, page.probs, page.lex
    n = len(lines)
    kept = page.kept
    kept_runs = _runs(kept)
    k_first, k_last = kept_runs[:2]
    if not len(k_first):
        return {mode: _NONE for mode in modes}
    parts = {mode: kept_runs if mode == "drop" else _runs(page.model_dropped) for mode in modes}
    modes = [mode for mode in modes if len(parts[mode][0])]
    out = {mode: _NONE for mode in parts}
    if not modes:
        return out
    counts = [len(parts[mode][0]) for mode in modes]
    offsets = np.cumsum([0] + counts)
    a_ = np.concatenate([parts[mode][0] for mode in modes])
    b_ = np.concatenate([parts[mode][1] for mode in modes])
    line_in = np.concatenate([parts[mode][2] for mode in modes])
    seg_in = np.concatenate([parts[mode][3] + o for mode, o in zip(modes, offsets)])
    n_segs = len(a_)
    stop = b_ + 1
    size = stop - a_
    chars, units, kept_chars = page.chars, page.units, page.kept_chars
    main_k = int(np.argmax(kept_chars[k_last + 1] - kept_chars[k_first]))
    ma, mb = int(k_first[main_k]), int(k_last[main_k])
    main_chars = kept_chars[mb + 1] - kept_chars[ma]
    main = main_k + offsets[modes.index("drop")] if "drop" in modes else -1  # among all segments
    is_main = np.arange(n_segs) == main
    sums = page.cum[stop] - page.cum[a_]
    first = np.concatenate([[0], np.cumsum(size)[:-1]])
    last = first + size - 1
    a_list, b_list = a_.tolist(), b_.tolist()
    # summed slice by slice (np.add.reduceat sums in another order: ties in the rank move)
    kchars = np.array([chars[a:b + 1].sum() for a, b in zip(a_list, b_list)])
    total = kept_chars[-1] or 1.0
    rank = np.empty(n_segs)
    n_mode = np.empty(n_segs)
    for o, c in zip(offsets, counts):  # rank and count within the segment's mode
        rank[o + np.argsort(-kchars[o:o + c])] = np.arange(c)
        n_mode[o:o + c] = c
    end_cum = page.end_cum
    p_in = probs[line_in]
    sorted_p = p_in[np.lexsort((p_in, seg_in))]
    p_min, p_max = sorted_p[first], sorted_p[last]
    p_median = (sorted_p[first + (size - 1) // 2] + sorted_p[first + size // 2]) / 2
    p_mean = sums[:, -1] / size
    field_mean = np.bincount(seg_in, page.field[line_in], n_segs) / size
    lex_in = lex[line_in]
    lex_mean = np.bincount(seg_in, lex_in, n_segs) / size
    lex_above = np.bincount(seg_in, lex_in > LEX_CUT, n_segs) / size
    sorted_lex = lex_in[np.lexsort((lex_in, seg_in))]
    main_style = X[ma:mb + 1, _STYLE_COLS].mean(axis=0)
    main_prob = probs[ma:mb + 1].mean()
    main_lex = lex[ma:mb + 1].mean()
    seg_of_line = np.full(n, -1)
    seg_of_line[line_in] = seg_in
    seg_words, shared_words = _topic_words(page, seg_of_line, n_segs, ma, mb)
    means = sums[:, :-1] / size[:, None]  # of _MEAN_COLS
    # place against the main run: below (1), above (-1), or within its span (0: the main
    # segment, or dropped lines inside it)
    below, above = a_ > mb, b_ < ma
    side = np.where(below, 1.0, np.where(above, -1.0, 0.0))
    dist = np.where(below, a_ - mb, np.where(above, ma - b_, 0))
    between_end = np.where(below, end_cum[a_] - end_cum[mb + 1], np.where(above, end_cum[ma] - end_cum[stop], 0.0))
    between_kept = np.where(below, (kept_chars[a_] - kept_chars[mb + 1]) / total,
                            np.where(above, (kept_chars[ma] - kept_chars[stop]) / total, 0.0))
    # the three lines above the segment: a header, an end-of-body rule, a short dropped line
    window = np.maximum(a_ - 3, 0)
    header = page.header
    header_rx = np.array([any(header(i) for i in range(w, a)) for w, a in zip(window.tolist(), a_list)], dtype=float)
    header_reason = (end_cum[a_] - end_cum[window] > 0).astype(float)
    prev = np.maximum(a_ - 1, 0)
    short_above = ((a_ > 0) & ~kept[prev] & (units[prev] < 4)).astype(float)
    columns = [
        np.log1p(size), np.log1p(kchars), kchars / total, is_main.astype(float), rank,
        np.log1p(n_mode), a_ / max(n - 1, 1), b_ / max(n - 1, 1), side, np.log1p(dist),
        np.log1p(between_end), between_kept, p_mean, p_min, p_max, p_mean - thr, p_min - thr,
        np.full(n_segs, thr), p_median, field_mean, header_rx, header_reason, short_above,
        np.zeros(n_segs), kchars / max(main_chars, 1.0),
    ]
    page_cols = np.broadcast_to(X[0, _PAGE_COLS], (n_segs, len(_PAGE_COLS)))
    # topic and style against the main segment: teasers and product boxes talk of other
    # things, comments in another voice
    topic = np.where(is_main, 1.0, shared_words / np.maximum(seg_words, 1))
    style = [topic, np.log1p(seg_words), p_mean - main_prob]
    # what the segment says, against the main run
    lexical = [lex_mean, sorted_lex[last], sorted_lex[first], lex_above, lex_mean - main_lex]
    F = np.hstack([np.column_stack(columns), means, page_cols, np.column_stack(style),
                   means[:, _STYLE_IN_MEAN] - main_style, np.column_stack(lexical)])
    for mode, o, c in zip(modes, offsets.tolist(), counts):
        out[mode] = (F[o:o + c], list(zip(a_list[o:o + c], b_list[o:o + c])),
                     main - o if mode == "drop" else -1)
    return out


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

    def __post_init__(self):
        self.lexicon = Lexicon(self.ratios)

    def apply(self, lines: list[str], X: np.ndarray, reasons: list, probs: np.ndarray, thr: float) -> list:
        """New reasons: kept lines of dropped segments get REASON, classifier-dropped lines of
        rescued segments None."""
        if self.drop_cut is None and self.rescue_cut is None:
            return reasons
        page = PageFacts.of(lines, X, reasons, probs, self.lexicon)
        out = list(reasons)
        modes = [m for m, cut in (("drop", self.drop_cut), ("rescue", self.rescue_cut)) if cut is not None]
        features = both_segment_features(page, thr, modes)
        if self.drop_cut is not None:
            F, segs, main = features["drop"]
            if len(F) > 1:
                score = _sigmoid(self.drop.margin(F))
                for s in np.flatnonzero(score < self.drop_cut):
                    if s != main:
                        a, b = segs[s]
                        out[a:b + 1] = [REASON] * (b + 1 - a)
        if self.rescue_cut is not None:
            F, segs, _ = features["rescue"]
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
