"""Stage-3 variants over the decisions saved by tools/capture_sequence_cv.py (docs/captures.md).

    python -m tools.capture_sequence_study OUT.pkl [--gap G] [--gain]   # segments of kept lines
    python -m tools.capture_sequence_study OUT.pkl --hmm                # two-state Viterbi smoothing
    python -m tools.capture_sequence_study OUT.pkl --offset [--offset-reg]  # offsets over all segments
    python -m tools.capture_sequence_study OUT.pkl --joint [--gap G]    # drop and rescue together
    ... [--lexical]   # the segment variants with the lines' lexical scores as segment columns

Segments: a page's kept lines grouped where at most `gap` dropped lines part them. Each is
described (scores, size, place against the largest segment, prose and field lines in it, the
rule reasons of the dropped lines between, topic and style against the largest segment), and
a model learnt on the inner pages of each training fold says whether it is body (half its
shingles in the true body) or, with --gain, the page F1 gain of dropping it. The drop cut is
chosen on the inner pages' out-of-fold segment scores (inner domain folds) by page-averaged
F1, both sets weighing the same; the fold's test pages are then scored. The largest segment
is never dropped, and pages the clean-text gate passed are left alone. F1 while choosing is
computed from per-line shingle counts (`approx_keep_f1`); the reported rows are bench scoring.

--offset: segments over every line no rule removed (runs of like decision), one model for
both directions; each segment's score becomes an offset to its lines' margins (stage-2
log-odds against the page's threshold), the lines re-decided by margin + offset. --joint:
the drop and rescue stages at once, both cuts chosen together. --lexical: five columns of
the lines' lexical scores per segment (tools/capture_lexical_segments.py).
"""
from __future__ import annotations

import argparse
import pickle
import re
from collections import Counter, defaultdict

import lightgbm as lgb
import numpy as np

from bench.scoring import corpus_f1, f1_of, shingles
from deboil.cleaners.capture.line_features import NAMES
from tools import train_capture as tc
from tools.capture_lexical_segments import attach_line_scores, segment_columns

_COL = {n: i for i, n in enumerate(NAMES)}
_MEAN = ["prose", "sentence_end", "stop_density", "log_units", "linklike", "digit_share", "repeated",
         "bullet", "price", "code_like", "relative_time", "after_end_marker", "timestamps_above",
         "headline_run", "in_region", "head_zone", "tail_zone", "inner_dateline", "camel", "caps_share",
         "boilerplate", "colon_end"]
_PAGE = ["page_prose_share", "page_log_lines", "page_code_share", "page_price_share", "page_headline_share",
         "page_log_stamps", "page_short_share"]
_END = frozenset({"comment-form", "related", "newsletter", "copyright", "share", "login", "app-promo"})
_HEADER = re.compile(r"\b(?:comments?|repl(?:y|ies)|related|you may|also like|read more|recommended|"
                     r"more from|popular|trending|latest|leave a|responses?|discussion|see also|more stories)\b", re.I)
_WORD = re.compile(r"[^\W\d_]{4,}")
SEG_PARAMS = {"objective": "binary", "num_leaves": 8, "max_depth": 3, "learning_rate": 0.05,
              "min_data_in_leaf": 40, "verbose": -1, "num_threads": 1, "seed": 0, "deterministic": True,
              "bagging_fraction": 0.8, "bagging_freq": 1}
SEG_TREES = 150
CUTS = (0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35, 0.4, 0.5)
# Regress the page F1 gain of dropping the segment alone, every segment weighing 1 (else:
# classify body or not, weighted by shingles).
GAIN = False
GAIN_CUTS = (0.0, 0.002, 0.005, 0.01, 0.02, 0.04)
# Lexical columns per segment (tools/capture_lexical_segments.py), scores fitted outside the page.
LEXICAL = False
# Segments of lines the classifier dropped, to be kept again when scored body (else:
# segments of kept lines, to be dropped).
RESCUE = False
RESCUE_CUTS = (0.5, 0.6, 0.7, 0.8, 0.9, 0.95)
# The reasons _model_reason gives (lines.py): lines the classifier dropped, not a rule.
_MODEL_REASONS = frozenset({"repeat", "nav", "headline", "outside-body", "related", "short-fragment", "low-content"})


def segments(kept: np.ndarray, gap: int) -> list[tuple[int, int]]:
    """(first, last) line indices of groups of kept lines at most `gap` dropped lines apart."""
    idx = np.flatnonzero(kept)
    if not len(idx):
        return []
    breaks = np.flatnonzero(np.diff(idx) > gap + 1)
    return list(zip(idx[np.r_[0, breaks + 1]].tolist(), idx[np.r_[breaks, len(idx) - 1]].tolist()))


def _mode(row: dict) -> str:
    """Which segments a row holds: "drop" (kept lines), "rescue" (classifier-dropped lines)
    or "all" (runs of like decision over every line a rule did not remove)."""
    return row.get("mode") or ("rescue" if RESCUE else "drop")


def movable(row: dict, page: dict) -> np.ndarray:
    """Lines a stage 3 may re-decide: the kept ones, and those the classifier alone dropped
    (a model reason, no phrase rule on the line, scored under the page's threshold: the head
    menu rule and alternate headlines drop lines the classifier kept)."""
    bp = page["prepared"][0] if page.get("prepared") else [None] * len(row["reasons"])
    probs = row["probs"]
    return np.array([r is None or (r in _MODEL_REASONS and bp[k] is None and probs[k] < row["thr"])
                     for k, r in enumerate(row["reasons"])], dtype=bool)


def like_runs(cand: np.ndarray, kept: np.ndarray) -> list[tuple[int, int]]:
    """(first, last) of the maximal runs of `cand` lines that share one decision (a line
    outside `cand`, a rule-removed one, parts runs too)."""
    out, start = [], None
    for i in range(len(cand) + 1):
        if start is not None and (i == len(cand) or not cand[i] or kept[i] != kept[start]):
            out.append((start, i - 1))
            start = None
        if i < len(cand) and cand[i] and start is None:
            start = i
    return out


def page_segments(row: dict, page: dict, gap: int, mode: str | None = None):
    """Segment features, line masks per segment, and the index of the main segment (the kept
    segment with the most characters; -1 under "rescue", whose segments are dropped lines)."""
    mode = mode or _mode(row)
    X = page["X"]
    lines = page["lines"]
    n = len(lines)
    kept = np.array([r is None for r in row["reasons"]])
    kept_segs = segments(kept, 0 if mode == "all" else gap)
    if mode == "all":
        cand = movable(row, page)
        segs = like_runs(cand, kept) if SPLIT == "decision" else segments(cand, 0)
    elif mode == "rescue":
        cand = np.array([r in _MODEL_REASONS for r in row["reasons"]])
        segs = segments(cand, gap)
    else:
        cand, segs = kept, kept_segs
    if not segs or not kept_segs:
        return np.zeros((0, 0)), [], -1
    chars = np.expm1(X[:, _COL["log_chars"]])
    units = np.expm1(X[:, _COL["log_units"]])
    counts = Counter(lines)
    field = np.array([units[i] <= 6 and counts[l] >= 3 for i, l in enumerate(lines)], dtype=float)
    probs = row["probs"].astype(float)
    thr = row["thr"]
    kept_chars = np.concatenate([[0.0], np.cumsum(np.where(kept, chars, 0.0))])
    main_k = int(np.argmax([kept_chars[b + 1] - kept_chars[a] for a, b in kept_segs]))
    ma, mb = kept_segs[main_k]
    main_chars = kept_chars[mb + 1] - kept_chars[ma]
    main = -1 if mode == "rescue" else main_k
    if mode == "all":  # the segment holding the main kept run
        main = next(s for s, (a, b) in enumerate(segs) if a <= kept_segs[main_k][0] <= b)
    kchars = np.array([chars[a:b + 1][cand[a:b + 1]].sum() for a, b in segs])
    total = kept_chars[-1] or 1.0
    order = np.argsort(-kchars)
    rank = np.empty(len(segs))
    rank[order] = np.arange(len(segs))
    end_reason = np.array([r in _END for r in row["reasons"]], dtype=float)
    words = [set(w.lower() for w in _WORD.findall(l)) for l in lines]
    seg_words = [set().union(*(words[i] for i in range(a, b + 1) if cand[i])) for a, b in segs]
    main_words = set().union(*(words[i] for i in range(ma, mb + 1) if kept[i]))
    rel_cols = [_COL[c] for c in ("prose", "sentence_end", "stop_density", "log_units", "linklike", "caps_share")]
    main_sel = np.flatnonzero(kept[ma:mb + 1]) + ma
    main_style = X[main_sel][:, rel_cols].mean(axis=0)
    main_prob = probs[main_sel].mean()
    pc = np.clip(probs, 1e-6, 1 - 1e-6)
    margin = np.log(pc / (1 - pc)) - np.log(thr / (1 - thr))
    feats, masks = [], []
    for s, (a, b) in enumerate(segs):
        m = np.zeros(n, dtype=bool)
        m[a:b + 1] = cand[a:b + 1]
        masks.append(m)
        sel = np.flatnonzero(m)
        if a > mb:
            side, dist = 1.0, a - mb
            between_end = end_reason[mb + 1:a].sum()
            between_kept = (kept_chars[a] - kept_chars[mb + 1]) / total
        elif b < ma:
            side, dist = -1.0, ma - b
            between_end = end_reason[b + 1:ma].sum()
            between_kept = (kept_chars[ma] - kept_chars[b + 1]) / total
        else:  # the main segment, or dropped lines inside its span
            side, dist, between_end, between_kept = 0.0, 0.0, 0.0, 0.0
        above = list(range(max(a - 3, 0), a))
        header_rx = float(any(_HEADER.search(lines[i]) and units[i] <= 8 for i in above))
        header_reason = float(any(end_reason[i] for i in above))
        short_above = float(a > 0 and not kept[a - 1] and units[a - 1] < 4)
        p = probs[sel]
        feats.append([
            np.log1p(len(sel)), np.log1p(kchars[s]), kchars[s] / total, float(s == main), rank[s],
            np.log1p(len(segs)), a / max(n - 1, 1), b / max(n - 1, 1), side, np.log1p(dist),
            np.log1p(between_end), between_kept, p.mean(), p.min(), p.max(), p.mean() - thr, p.min() - thr, thr,
            np.median(p), field[sel].mean(), header_rx, header_reason, short_above,
            (b - a + 1 - len(sel)) / (b - a + 1), kchars[s] / max(main_chars, 1.0),
            *X[sel][:, [_COL[c] for c in _MEAN]].mean(axis=0), *X[0, [_COL[c] for c in _PAGE]],
            # topic and style against the main segment: teasers and product boxes talk of
            # other things, comments in another voice
            len(seg_words[s] & main_words) / max(len(seg_words[s]), 1) if s != main else 1.0,
            np.log1p(len(seg_words[s])), p.mean() - main_prob,
            *(X[sel][:, rel_cols].mean(axis=0) - main_style),
            # "all": which way the segment was decided, and how far from the page's threshold
            *([kept[sel].mean(), margin[sel].mean(), margin[sel].min(), margin[sel].max()] if mode == "all" else []),
        ])
    F = np.array(feats, dtype=float)
    if LEXICAL:  # what the segment says, against the main kept run
        F = np.hstack([F, segment_columns(row["lex"], masks, main_sel)])
    return F, masks, main


def _load(out_path: str):
    with open(out_path, "rb") as fh:
        rows = pickle.load(fh)
    pages, extra = tc.cv_pages()
    by_key = {p["key"]: p for p in pages + extra}
    for p in by_key.values():
        p["lines"] = [l.strip() for l in p["capture"].splitlines() if l.strip()]
        sh = np.maximum(p["tokens"] - 3, 1) * (p["tokens"] > 0)
        p["sh"] = sh
        p["body_sh"] = sum(shingles(p["body"]).values())
    if LEXICAL:
        attach_line_scores(rows, by_key, lambda r: _page_of(r, by_key))
    return rows, by_key


def _page_of(row, by_key):
    return by_key[row["key"] + "#true"] if row["role"] == "test-body" else by_key[row["key"]]


def text_of(row, page, keep) -> str:
    return "\n".join(row["fixed"].get(k, page["lines"][k]) for k in np.flatnonzero(keep))


def build(rows, by_key, gap):
    """Per row: features, masks, main, labels (segment body share), weights (shingles)."""
    for row in rows:
        page = _page_of(row, by_key)
        F, masks, main = page_segments(row, page, gap)
        row["F"], row["masks"], row["main"] = F, masks, main
        sh = page["sh"]
        body = (page["shares"] >= 0.5).astype(float)
        row["seg_sh"] = np.array([sh[m].sum() for m in masks])
        row["seg_body"] = np.array([(sh[m] * body[m]).sum() / max(sh[m].sum(), 1) for m in masks])
        kept = np.array([r is None for r in row["reasons"]])
        tp, ks = (sh * body)[kept].sum(), sh[kept].sum()

        def f1(tp, ks):
            return f1_of(tp / ks if ks else 0.0, tp / page["body_sh"] if page["body_sh"] else 1.0)
        base = f1(tp, ks)
        sign = 1 if _mode(row) == "rescue" else -1  # the segment added back, or dropped
        row["seg_gain"] = np.array([f1(tp + sign * (sh[m] * body[m]).sum(), ks + sign * sh[m].sum()) - base
                                    for m in masks])


def seg_keep(row, cut) -> np.ndarray | None:
    """The kept lines once the segments `drops` names at `cut` are dropped (under RESCUE:
    kept again); None when nothing changes."""
    gone = drops(row, cut)
    if not gone:
        return None
    keep = np.array([r is None for r in row["reasons"]])
    for s in gone:
        keep = keep | row["masks"][s] if _mode(row) == "rescue" else keep & ~row["masks"][s]
    return keep


def _test_segments(rows):
    """The test pages' segments: the rows, body labels, shingle weights, scores and which
    segments are not the main one (flat over the pages)."""
    test = [r for r in rows if r["role"] == "test" and _eligible(r)]
    y = np.concatenate([r["seg_body"] >= 0.5 for r in test])
    w = np.concatenate([r["seg_sh"] for r in test])
    score = np.concatenate([r["score"] for r in test])
    other = np.concatenate([np.arange(len(r["F"])) != r["main"] for r in test])
    return test, y, w, score, other


def _auc(score, y, w) -> float:
    """Weighted ROC AUC."""
    order = np.argsort(score)
    y, w = y[order], w[order]
    neg = np.cumsum(w * ~y)
    return float((w * y * neg).sum() / max((w * y).sum() * (w * ~y).sum(), 1e-9))


def _regress(F, rows, target: str):
    """A regression of each segment's `target` (true bodies weighing half a capture)."""
    y = np.concatenate([r[target] for r in rows if len(r["F"])])
    w = np.concatenate([np.full(len(r["F"]), 0.5 if r["key"].endswith("#true") else 1.0)
                        for r in rows if len(r["F"])])
    params = {**SEG_PARAMS, "objective": "regression"}
    params.pop("bagging_fraction"), params.pop("bagging_freq")
    return lgb.train(params, lgb.Dataset(F, y, weight=w), SEG_TREES)


def _fit(rows, by_key):
    F = np.vstack([r["F"] for r in rows if len(r["F"])])
    if OFFSET_REG and rows and _mode(rows[0]) == "all":
        return _regress(F, rows, "best_off")
    if GAIN:
        return _regress(F, rows, "seg_gain")
    y = np.concatenate([(r["seg_body"] >= 0.5).astype(float) for r in rows if len(r["F"])])
    sets = [_page_of(r, by_key)["set"] for r in rows if len(r["F"])]
    n_set = Counter(sets)
    w = np.concatenate([r["seg_sh"] / max(r["seg_sh"].sum(), 1) * (0.5 if r["key"].endswith("#true") else 1.0)
                        * len(sets) / len(n_set) / n_set[s] for r, s in zip([r for r in rows if len(r["F"])], sets)])
    return lgb.train(SEG_PARAMS, lgb.Dataset(F, y, weight=w), SEG_TREES)


def _eligible(row):
    return not row["clean"] and len(row["F"]) > (1 if _mode(row) == "drop" or (_mode(row) == "all" and SPLIT == "decision") else 0)


def drops(row, cut):
    """The segments to drop (under RESCUE: to keep again) at `cut`."""
    if not _eligible(row):
        return []
    if GAIN or _mode(row) == "rescue":
        return [s for s in range(len(row["F"])) if s != row["main"] and row["score"][s] > cut]
    return [s for s in range(len(row["F"])) if s != row["main"] and row["score"][s] < cut]


def study(out_path: str, gap: int = 2) -> None:
    rows, by_key = _load(out_path)
    build(rows, by_key, gap)
    results = {}
    for f in range(tc.FOLDS):
        inner = [r for r in rows if r["role"] == "inner" and r["fold"] == f]
        fit_rows = [r for r in inner if _eligible(r)]
        # Out-of-fold segment scores on the inner pages choose the cut.
        for fi in range(tc.INNER_FOLDS):
            booster = _fit([r for r in fit_rows if r["inner"] != fi], by_key)
            for r in fit_rows:
                if r["inner"] == fi:
                    r["score"] = booster.predict(r["F"])
        real = [r for r in fit_rows if not r["key"].endswith("#true")]
        base = approx_keep_f1(real, by_key, lambda r: None)
        cuts = GAIN_CUTS if GAIN else RESCUE_CUTS if RESCUE else CUTS
        scored = {c: approx_keep_f1(real, by_key, lambda r, c=c: seg_keep(r, c)) for c in cuts}
        cut = max(scored, key=lambda c: (scored[c], c if GAIN or RESCUE else -c))  # ties: change less
        if scored[cut] <= base:
            cut = 1.0 if GAIN or RESCUE else 0.0
        booster = _fit(fit_rows, by_key)
        for r in rows:
            if r["role"] != "inner" and r["fold"] == f and len(r["F"]):
                r["score"] = booster.predict(r["F"])
        results[f] = cut
        print(f"fold {f}: inner approx F1 base {base:.4f}, " + " ".join(f"{c}:{v:.4f}" for c, v in scored.items())
              + f" -> cut {cut}", flush=True)
    report_masks(rows, by_key, lambda r: seg_keep(r, results[r["fold"]]) if len(r["F"]) else None)
    test, y, w, score, other = _test_segments(rows)
    gone = [(r["seg_sh"][s], r["seg_body"][s]) for r in test for s in drops(r, results[r["fold"]])]
    kept_sh = sum(r["seg_sh"].sum() for r in test)
    print(f"test: {len(gone)} segments dropped, {sum(g[0] for g in gone) / kept_sh:.2%} of the kept shingles, "
          f"{sum(g[0] * (1 - g[1]) for g in gone) / max(sum(g[0] for g in gone), 1):.1%} of them clutter")
    if GAIN and not RESCUE:
        score = -score
    print(f"test segments: {len(y)} ({other.sum()} not main), shingle share of clutter ones "
          f"{w[~y].sum() / w.sum():.3f} (not main {w[~y & other].sum() / w.sum():.3f}); "
          f"AUC not main {_auc(score[other], y[other], w[other]):.3f}")
    for r in rows:  # the ceiling: every segment but the main one dropped when it is mostly clutter
        if len(r["F"]):
            r["score"] = r["seg_body"] if RESCUE or not GAIN else -r["seg_body"]
    print("oracle (segments under half body dropped, the main one kept):")
    oracle_cut = (0.4999 if RESCUE else -0.5) if GAIN else 0.4999 if RESCUE else 0.5
    report_masks(rows, by_key, lambda r: seg_keep(r, oracle_cut) if len(r["F"]) else None)


# --offset: one classifier over every segment (runs of like decision, "all"), its logit turned
# into an offset to the margins of the segment's lines: kept segments scored under the drop
# centre move down, dropped ones scored over the rescue centre move up, by SCALE times the
# logit's distance from the centre (a large scale drops or keeps again the whole segment).
OFFSET_SCALES = (0.5, 1.0, 2.0, 4.0, 1e6)
OFFSET_DROP = (None, 0.05, 0.1, 0.15, 0.2, 0.3, 0.4)
OFFSET_RESCUE = (None, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8)
_MARGIN_FLOOR = 0.05  # a kept line's margin at least this, a dropped one's at most minus this


def _logit(x):
    x = np.clip(x, 1e-6, 1 - 1e-6)
    return np.log(x / (1 - x))


def prepare_offsets(row: dict, page: dict) -> None:
    """Per line: its segment (-1: not movable), its margin to the page's threshold signed as
    decided (so offset 0 gives back the saved decisions), and whether it is in the main kept
    run (the run of kept lines with the most characters, which never loses a line)."""
    kept = np.array([r is None for r in row["reasons"]])
    row["base_keep"] = kept
    line_seg = np.full(len(kept), -1)
    for s, m in enumerate(row["masks"]):
        line_seg[m] = s
    row["line_seg"] = line_seg
    margin = _logit(row["probs"].astype(float)) - _logit(row["thr"]) if len(row["probs"]) else np.zeros(0)
    row["m_eff"] = np.where(kept, np.maximum(margin, _MARGIN_FLOOR), np.minimum(margin, -_MARGIN_FLOOR))
    row["protect"] = np.zeros(len(kept), dtype=bool)
    runs = segments(kept, 0)
    if runs and page["X"] is not None:
        chars = np.expm1(page["X"][:, _COL["log_chars"]])
        a, b = runs[int(np.argmax([chars[a:b + 1].sum() for a, b in runs]))]
        row["protect"][a:b + 1] = True


def segment_offsets(row: dict, scale: float, drop_c=None, rescue_c=None) -> tuple[np.ndarray, np.ndarray]:
    """Per segment: the offset its kept lines get (<= 0) and the one its dropped lines get (>= 0)."""
    if OFFSET_REG:  # the regression predicts the offset itself
        off = scale * row["score"]
        return np.minimum(off, 0.0), np.maximum(off, 0.0)
    lg = _logit(row["score"])
    down = np.minimum(0.0, scale * (lg - _logit(drop_c))) if drop_c is not None else np.zeros(len(lg))
    up = np.maximum(0.0, scale * (lg - _logit(rescue_c))) if rescue_c is not None else np.zeros(len(lg))
    return down, up


def offset_keep(row: dict, choice) -> np.ndarray | None:
    """The kept lines once every segment's offset is added to its lines' margins."""
    if choice is None or not _eligible(row):
        return None
    down, up = segment_offsets(row, *choice)
    seg = row["line_seg"]
    mov = seg >= 0
    keep = row["base_keep"].copy()
    off = np.where(keep[mov], down[seg[mov]], up[seg[mov]])
    off[row["protect"][mov]] = 0.0
    if not off.any():
        return None
    keep[mov] = row["m_eff"][mov] + off > 0
    return keep


# --offset-reg: a regression of each segment's best offset (of OFFSET_GRID, the one that
# raises its page's F1 most when only that segment's lines move; ties: the smallest), every
# segment weighing 1 (true bodies 0.5); the predicted offset times a scale chosen on the
# inner pages.
OFFSET_REG = False
OFFSET_GRID = (-8.0, -4.0, -2.0, -1.0, -0.5, -0.25, 0.0, 0.25, 0.5, 1.0, 2.0, 4.0, 8.0)
OFFSET_REG_SCALES = (0.25, 0.5, 0.75, 1.0, 1.5, 2.0, 3.0)
# Segments over all lines: runs of like decision ("decision"), or runs of movable lines
# parted only by rule-removed ones ("rule": kept and dropped lines in one segment).
SPLIT = "decision"


def best_offsets(row: dict, page: dict) -> np.ndarray:
    sh = page["sh"].astype(float)
    body = (page["shares"] >= 0.5).astype(float)
    keep = row["base_keep"]
    tp, ks = (sh * body)[keep].sum(), sh[keep].sum()

    def f1(tp, ks):
        return f1_of(tp / ks if ks else 0.0, tp / page["body_sh"] if page["body_sh"] else 1.0)
    base = f1(tp, ks)
    out = np.zeros(len(row["masks"]))
    for s, m in enumerate(row["masks"]):
        m = m & ~(row["protect"] & keep)
        best, gain = 0.0, 0.0
        for o in sorted(OFFSET_GRID, key=abs):
            now = row["m_eff"][m] + o > 0
            d = np.where(keep[m], -1.0, 1.0) * (now != keep[m])
            if not d.any():
                continue
            g = f1(tp + (d * sh[m] * body[m]).sum(), ks + (d * sh[m]).sum()) - base
            if g > gain + 1e-9:
                best, gain = o, g
        out[s] = best
    return out


def _oof_scores(fit_rows, by_key) -> None:
    """Out-of-fold segment scores on the inner pages (inner domain folds)."""
    for fi in range(tc.INNER_FOLDS):
        booster = _fit([r for r in fit_rows if r["inner"] != fi], by_key)
        for r in fit_rows:
            if r["inner"] == fi:
                r["score"] = booster.predict(r["F"])


def _score_test(rows, f, fit_rows, by_key) -> None:
    booster = _fit(fit_rows, by_key)
    for r in rows:
        if r["role"] != "inner" and r["fold"] == f and len(r["F"]):
            r["score"] = booster.predict(r["F"])


def _change(choice) -> float:
    """How much a choice moves (ties go to the smaller change)."""
    if choice is None:
        return 0.0
    if len(choice) == 1:
        return choice[0]
    if len(choice) == 3:
        scale, d, r = choice
        return (d or 0.0) + (1 - (r or 1.0)) + scale * 1e-9
    d, r = choice
    return (d or 0.0) + (1 - (r or 1.0))


def _choose(real, by_key, choices, keep_of, f) -> tuple:
    base = approx_keep_f1(real, by_key, lambda r: None)
    scored = {c: approx_keep_f1(real, by_key, lambda r, c=c: keep_of(r, c)) for c in choices}
    best = max(scored, key=lambda c: (round(scored[c], 6), -_change(c)))
    top = sorted(scored.items(), key=lambda kv: -kv[1])[:3]
    print(f"fold {f}: inner approx F1 base {base:.4f}, best " + " ".join(f"{c}:{v:.4f}" for c, v in top)
          + (" -> none" if scored[best] <= base else f" -> {best}"), flush=True)
    return best if scored[best] > base else None


def study_offset(out_path: str) -> None:
    rows, by_key = _load(out_path)
    for r in rows:
        r["mode"] = "all"
    build(rows, by_key, 0)
    for r in rows:
        prepare_offsets(r, _page_of(r, by_key))
        if OFFSET_REG:
            r["best_off"] = best_offsets(r, _page_of(r, by_key))
    choices = [(s, d, c) for s in OFFSET_SCALES for d in OFFSET_DROP for c in OFFSET_RESCUE
               if d is not None or c is not None]
    if OFFSET_REG:
        choices = [(s,) for s in OFFSET_REG_SCALES]
    chosen = {}
    for f in range(tc.FOLDS):
        fit_rows = [r for r in rows if r["role"] == "inner" and r["fold"] == f and _eligible(r)]
        _oof_scores(fit_rows, by_key)
        real = [r for r in fit_rows if not r["key"].endswith("#true")]
        chosen[f] = _choose(real, by_key, choices, offset_keep, f)
        _score_test(rows, f, fit_rows, by_key)
    report_masks(rows, by_key, lambda r: offset_keep(r, chosen[r["fold"]]) if len(r["F"]) else None)
    _offset_diagnostics(rows, by_key, chosen)
    if OFFSET_REG:
        for r in rows:  # the ceiling of the regression: every segment at its best offset
            if len(r["F"]):
                r["score"] = r["best_off"]
        print("oracle (every segment at its best offset alone):")
        report_masks(rows, by_key, lambda r: offset_keep(r, (1.0,)) if len(r["F"]) else None)
        return
    for r in rows:  # the ceiling of this form: the truth as the score, whole segments moved
        if len(r["F"]):
            r["score"] = np.clip(r["seg_body"], 1e-6, 1 - 1e-6)
    print("oracle (truth as the score: every kept segment under half body dropped, every dropped one at least "
          "half body kept again, the main one kept):")
    report_masks(rows, by_key, lambda r: offset_keep(r, (1e6, 0.4999, 0.4999)) if len(r["F"]) else None)


def _offset_diagnostics(rows, by_key, chosen) -> None:
    test, y, w, score, other = _test_segments(rows)
    k = np.concatenate([[r["base_keep"][m].mean() >= 0.5 for m in r["masks"]] for r in test]).astype(bool)
    print(f"test segments: {len(y)} ({k.sum()} mostly kept, {(~k).sum()} mostly dropped); AUC kept not main "
          f"{_auc(score[k & other], y[k & other], w[k & other]):.3f}, dropped {_auc(score[~k], y[~k], w[~k]):.3f}")
    moved = [0, 0, 0, 0]  # lines dropped, of them body; lines kept again, of them body
    for r in test:
        keep = offset_keep(r, chosen[r["fold"]])
        if keep is None:
            continue
        page_body = _page_of(r, by_key)["shares"] >= 0.5
        gone, back = r["base_keep"] & ~keep, keep & ~r["base_keep"]
        moved[0] += gone.sum()
        moved[1] += (gone & page_body).sum()
        moved[2] += back.sum()
        moved[3] += (back & page_body).sum()
    print(f"test lines dropped {moved[0]} ({moved[1]} body), kept again {moved[2]} ({moved[3]} body)")


# --joint: the drop stage (segments of kept lines) and the rescue stage (segments of dropped
# lines) each with its own classifier, both cuts chosen together on the inner pages.
def joint_keep(d_row, choice) -> np.ndarray | None:
    """The drop half's row (its rescue twin beside it) under (drop cut, rescue cut)."""
    if choice is None:
        return None
    r_row = d_row["twin"]
    d_cut, r_cut = choice
    keep = np.array([x is None for x in d_row["reasons"]])
    changed = False
    if d_cut is not None and len(d_row["F"]):
        for s in drops(d_row, d_cut):
            keep &= ~d_row["masks"][s]
            changed = True
    if r_cut is not None and len(r_row["F"]):
        for s in drops(r_row, r_cut):
            keep |= r_row["masks"][s]
            changed = True
    return keep if changed else None


def study_joint(out_path: str, gap: int) -> None:
    rows, by_key = _load(out_path)
    halves = {}
    for mode in ("drop", "rescue"):
        half = [{**r, "mode": mode} for r in rows]
        build(half, by_key, gap)
        halves[mode] = half
    for d_row, r_row in zip(halves["drop"], halves["rescue"]):
        d_row["twin"] = r_row
    choices = [(d, c) for d in (None, *CUTS) for c in (None, *RESCUE_CUTS) if d is not None or c is not None]
    chosen = {}
    for f in range(tc.FOLDS):
        for half in halves.values():
            fit_rows = [r for r in half if r["role"] == "inner" and r["fold"] == f and _eligible(r)]
            _oof_scores(fit_rows, by_key)
            _score_test(half, f, fit_rows, by_key)
        real = [r for r in halves["drop"] if r["role"] == "inner" and r["fold"] == f and not r["key"].endswith("#true")]
        chosen[f] = _choose(real, by_key, choices, joint_keep, f)
    report_masks(halves["drop"], by_key, lambda r: joint_keep(r, chosen[r["fold"]]))
    print("test segments AUC: " + ", ".join(f"{mode} {_test_auc(half):.3f}" for mode, half in halves.items()))


def _test_auc(rows) -> float:
    """Shingle-weighted AUC of the segment scores (body against clutter) on the test pages,
    the main segment left out."""
    _, y, w, score, other = _test_segments(rows)
    return _auc(score[other], y[other], w[other])


def viterbi_body(e: np.ndarray, to_clutter: np.ndarray, to_body: np.ndarray) -> np.ndarray:
    """Two-state smoothing (body / clutter) of per-line body log-odds `e`, for many switch
    costs at once (arrays of the same shape): the body mask (lines x costs) that maximises
    the summed log-odds of the body lines minus the switch costs."""
    n, k = len(e), len(to_clutter)
    body, clutter = np.zeros(k), np.zeros(k)  # best scores ending in each state (start free)
    from_b = np.zeros((n, k), dtype=bool)  # body at i came from body at i-1
    from_c = np.zeros((n, k), dtype=bool)  # clutter at i came from clutter at i-1
    for i in range(n):
        if i == 0:
            nb, nc = np.full(k, e[0]), np.zeros(k)
        else:
            bb, cb = body, clutter - to_body
            cc, bc = clutter, body - to_clutter
            from_b[i], from_c[i] = bb >= cb, cc >= bc
            nb, nc = np.maximum(bb, cb) + e[i], np.maximum(cc, bc)
        body, clutter = nb, nc
    out = np.zeros((n, k), dtype=bool)
    state = body >= clutter
    for i in range(n - 1, -1, -1):
        out[i] = state
        if i:
            state = np.where(state, from_b[i], ~from_c[i])
    return out


SWITCH = [(a, b) for a in (0.0, 0.5, 1.0, 2.0, 4.0) for b in (0.0, 0.5, 1.0, 2.0, 4.0)]


def hmm_masks(row, scale=1.0):
    """Per switch-cost pair, the kept lines Viterbi leaves body (kept lines only can go)."""
    p = np.clip(row["probs"].astype(float), 1e-6, 1 - 1e-6)
    thr = row["thr"]
    e = scale * (np.log(p / (1 - p)) - np.log(thr / (1 - thr)))
    kept = np.array([x is None for x in row["reasons"]])
    e = np.where(kept, np.maximum(e, 0.05), np.minimum(e, -0.05))  # the decisions so far decide the sign
    tc_, tb_ = np.array([s[0] for s in SWITCH]), np.array([s[1] for s in SWITCH])
    return viterbi_body(e, tc_, tb_) & kept[:, None]


def study_hmm(out_path: str) -> None:
    rows, by_key = _load(out_path)
    for r in rows:
        r["hmm"] = hmm_masks(r) if (not r["clean"] and len(r["probs"])) else None
    chosen = {}
    for f in range(tc.FOLDS):
        real = [r for r in rows if r["role"] == "inner" and r["fold"] == f and not r["key"].endswith("#true")]
        scores = []
        for k in range(len(SWITCH)):
            scores.append(approx_keep_f1(real, by_key, lambda r, k=k: None if r["hmm"] is None else r["hmm"][:, k]))
        base = approx_keep_f1(real, by_key, lambda r: None)
        k = int(np.argmax(scores))
        chosen[f] = k if scores[k] > base else None
        print(f"fold {f}: inner approx base {base:.4f}, best {SWITCH[k]} {scores[k]:.4f}", flush=True)
    report_masks(rows, by_key, lambda r: None if chosen[r["fold"]] is None or r["hmm"] is None
                 else r["hmm"][:, chosen[r["fold"]]])


def approx_keep_f1(rows, by_key, mask_of) -> float:
    by_set = defaultdict(lambda: [[], []])
    for row in rows:
        page = _page_of(row, by_key)
        keep = mask_of(row)
        if keep is None:
            keep = np.array([r is None for r in row["reasons"]])
        sh = page["sh"]
        tp = (sh * (page["shares"] >= 0.5))[keep].sum()
        kept = sh[keep].sum()
        by_set[page["set"]][0].append(tp / kept if kept else 0.0)
        by_set[page["set"]][1].append(tp / page["body_sh"] if page["body_sh"] else 1.0)
    return float(np.mean([f1_of(np.mean(p), np.mean(r)) for p, r in by_set.values()]))


def report_masks(rows, by_key, mask_of) -> None:
    """report() for a keep mask per row (None: the saved decisions)."""
    for name, fn in (("shipped", lambda r: None), ("variant", mask_of)):
        out = {}
        for r in rows:
            if r["role"] == "inner":
                continue
            page = _page_of(r, by_key)
            keep = fn(r)
            if keep is None:
                keep = np.array([x is None for x in r["reasons"]])
            out[(r["key"], r["role"])] = (text_of(r, page, keep), page)
        print_row(name, out)


def print_row(name, out, fold_digits: int = 3) -> None:
    """F1 per set (and per fold), per wcxb type with precision, bodies kept."""
    line = [name]
    for s in ("wcxb", "news"):
        pairs = {f: [(t, p["body"]) for (k, role), (t, p) in out.items()
                     if role == "test" and p["set"] == s and tc.fold_of(p["group"], tc.FOLDS) == f]
                 for f in range(tc.FOLDS)}
        allp = corpus_f1([x for v in pairs.values() for x in v])
        line.append(f"{s} {allp['f1']:.4f} P {allp['precision']:.3f} R {allp['recall']:.3f} ("
                    + " ".join(f"{corpus_f1(v)['f1']:.{fold_digits}f}" for v in pairs.values()) + ")")
    types = defaultdict(list)
    for (k, role), (t, p) in out.items():
        if role == "test" and p["set"] == "wcxb":
            types[p["type"]].append((t, p["body"]))
    line.append("types F1 (P) " + " ".join(f"{ty} {corpus_f1(v)['f1']:.3f} ({corpus_f1(v)['precision']:.3f})"
                                           for ty, v in sorted(types.items())))
    for s in ("wcxb", "news"):
        ret = tc.shingle_retention((t, p["body"]) for (k, role), (t, p) in out.items()
                                   if role == "test-body" and p["set"] == s)
        line.append(f"bodies {s} {ret:.2%}")
    print(" | ".join(line), flush=True)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--gap", type=int, default=2)
    ap.add_argument("--hmm", action="store_true")
    ap.add_argument("--gain", action="store_true", help="regress the F1 gain of dropping a segment")
    ap.add_argument("--rescue", action="store_true", help="segments of dropped lines, kept again")
    ap.add_argument("--offset", action="store_true",
                    help="segments over all lines, a learnt offset to their lines' margins")
    ap.add_argument("--offset-reg", action="store_true",
                    help="with --offset: regress each segment's best offset (else: classify body)")
    ap.add_argument("--split", choices=("decision", "rule"), default="decision",
                    help="with --offset: segments are runs of like decision, or parted by rule-removed lines only")
    ap.add_argument("--joint", action="store_true", help="the drop and rescue stages together")
    ap.add_argument("--lexical", action="store_true",
                    help="add the lines' lexical scores as segment columns (fitted outside the page)")
    args = ap.parse_args(argv)
    global GAIN, RESCUE, OFFSET_REG, SPLIT, LEXICAL
    GAIN, RESCUE, OFFSET_REG, SPLIT, LEXICAL = args.gain, args.rescue, args.offset_reg, args.split, args.lexical
    if args.hmm:
        study_hmm(args.out)
    elif args.offset:
        study_offset(args.out)
    elif args.joint:
        study_joint(args.out, args.gap)
    else:
        study(args.out, args.gap)


if __name__ == "__main__":
    main()
