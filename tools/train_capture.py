"""Train the capture line classifier (cleaners/data/capture_model.json) and cross-validate it.

Training pages: every capture in ../shared/bench/text-captures-wcxb (seven page types) and
../shared/bench/text-captures (news), plus each page's true body fed as a capture (all
lines body: clean text must come out whole). Labels come from the true bodies: a line of
4+ tokens is body when at least half of its 4-token shingles occur in the true body; a
shorter line when it equals a line of the body.

    .venv/bin/python -m tools.train_capture            # CV summary, then write the model
    .venv/bin/python -m tools.train_capture --no-save  # CV only

Cross-validation is 5-fold, grouped by domain (no domain on both sides of a split); the
decision thresholds are learnt inside each training fold (inner domain-grouped folds): a
threshold per page from page evidence (fit_page_thresholds, page_threshold.py), and a
fallback (choose_threshold), never on test pages. `make bench` (bench/captures_cv.py) prints the same
CV per page type beside the raw capture and trafilatura on the pages' HTML.
"""
from __future__ import annotations

import argparse
import inspect
import json
import re
import zlib
from collections import defaultdict
from dataclasses import dataclass
from urllib.parse import urlparse

import lightgbm as lgb
import numpy as np

from bench.paths import find_shared
from bench.scoring import corpus_f1, f1_of, shingle_prf, shingles
from deboil.cleaners.capture.lines import MODEL_PATH, Model, analyse, prepare
from deboil.cleaners.capture.context import context_features
from deboil.cleaners.capture.line_features import NAMES
from deboil.cleaners.capture.page_threshold import PageThresholds, keep_at, page_summary
from tools import capture_cache, gbdt_fit
from tools.gbdt_fit import fit_forest, to_forest

_W = re.compile(r"\w+")

TREES = 150
DEPTH = 4
FOLDS = 5
INNER_FOLDS = 3
# True bodies as extra training pages, at this weight of a capture page.
CLEAN_WEIGHT = 0.5
# Line weights: (tokens + 1) ** LINE_POWER, scaled so a page's lines weigh lines ** PAGE_POWER
# in total; wcxb page types weighted by (mean pages per type / pages of the type) ** TYPE_POWER.
LINE_POWER = 0.5
PAGE_POWER = 0.5
TYPE_POWER = 0.0
# Labels: the line's share of shingles in the true body (cross-entropy) or that share >= 0.5.
SOFT_LABELS = False
# Stage-2 trees and the learning rate of both stages.
TREES2 = 150
RATE = 0.1
# Thresholds tried inside the training folds, and the rule that picks one for the model's
# fallback: the best inner F1 among thresholds where every page type keeps inner precision
# >= MIN_TYPE_PRECISION (body text and only body text is the first promise); the best F1
# when none does.
THRESHOLDS = tuple(round(0.30 + 0.05 * k, 2) for k in range(9))
MIN_TYPE_PRECISION = 0.80
# The threshold per page (page_threshold.py): regressions of a page's shingle-F1 gain over
# BASE_THRESHOLD at each of THRESHOLDS, boosted trees of at most 4 leaves, learnt on the
# inner held-out captures with both sets weighing the same in total (wcxb has 7.5 times
# the pages; the set is never a feature).
BASE_THRESHOLD = 0.4
GAIN_TREES = 100
GAIN_PARAMS = {"objective": "regression", "num_leaves": 4, "max_depth": 3, "learning_rate": 0.05,
               "min_data_in_leaf": 40, "verbose": -1, "num_threads": 1, "seed": 0, "deterministic": True}


def _domain(url: str, fallback: str) -> str:
    return urlparse(url or "").netloc.lower().removeprefix("www.") or fallback


def load_pages() -> list[dict]:
    """Both capture sets: key, group (domain), type, set, capture, body."""
    bench = find_shared() / "bench"
    pages = []
    for folder, name in (("text-captures", "news"), ("text-captures-wcxb", "wcxb")):
        root = bench / folder
        truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
        for key, item in sorted(truth.items()):
            text = (root / "captures" / f"{key}.txt").read_text(encoding="utf-8")
            domain = (item.get("domain") or "").lower().removeprefix("www.") or _domain(item.get("url"), key)
            pages.append({"key": f"{name}/{key}", "id": key, "set": name, "group": domain,
                          "type": item.get("page_type", "article"), "capture": text,
                          "body": item["articleBody"]})
    return pages


def clean_text_pages(pages: list[dict], weight: float = CLEAN_WEIGHT) -> list[dict]:
    """The true bodies as captures, every line labelled body."""
    return [{**p, "key": p["key"] + "#true", "capture": p["body"], "clean": True, "weight": weight}
            for p in pages if p["body"].strip()]


def body_shares(lines: list[str], body: str) -> np.ndarray:
    """Per line, the share of its 4-token shingles found in the true body (a line under 4
    tokens: 1.0 when it equals a line of the body, else 0.0)."""
    body_sh = shingles(body)
    body_lines = {b.strip() for b in body.splitlines() if b.strip()}
    shares = []
    for line in lines:
        if len(_W.findall(line)) >= 4:
            sh = shingles(line)
            shares.append(sum((sh & body_sh).values()) / sum(sh.values()))
        else:
            shares.append(float(line in body_lines))
    return np.array(shares, dtype=float)


def line_labels(lines: list[str], body: str) -> np.ndarray:
    """Hard labels: a line is body when at least half its shingles are in the true body."""
    return (body_shares(lines, body) >= 0.5).astype(float)


def _page_features(p: dict) -> tuple:
    """prepare()'s output (phrase reasons, datelines, features), each line's share of
    shingles in the true body, and its token count."""
    lines = [l.strip() for l in p["capture"].splitlines() if l.strip()]
    prepared = prepare(lines)
    shares = np.ones(len(lines)) if p.get("clean") else body_shares(lines, p["body"])
    return prepared, shares, np.array([len(_W.findall(l)) for l in lines], dtype=float)


def labels_and_weights(p: dict, type_factor: float = 1.0) -> tuple[np.ndarray, np.ndarray]:
    """Training targets of one page's lines and their weights."""
    shares, tokens = p["shares"], p["tokens"]
    y = shares if SOFT_LABELS else (shares >= 0.5).astype(float)
    # Shingle F1 is averaged per page and dominated by long lines: weight by length,
    # then give every page about the same total weight.
    w = (tokens + 1.0) ** LINE_POWER
    w = w / max(w.sum(), 1e-9) * len(tokens) ** PAGE_POWER * p.get("weight", 1.0) * type_factor
    return y, w


def _type_factors(pages: list[dict]) -> dict[str, float]:
    """wcxb page types weighted by (pages per type on average / pages of the type) ** TYPE_POWER."""
    counts = defaultdict(int)
    for p in pages:
        if p["set"] == "wcxb":
            counts[p["type"]] += 1
    mean = sum(counts.values()) / max(len(counts), 1)
    return {t: (mean / c) ** TYPE_POWER for t, c in counts.items()}


def featurise(pages: list[dict]) -> None:
    """Sets X, y, w, prepared (cached: tools/capture_cache.py), shares and tokens on every page."""
    if not pages:
        return
    key = capture_cache.digest(
        capture_cache.source_digest(), inspect.getsource(_page_features), inspect.getsource(body_shares),
        inspect.getsource(prepare), [(p["key"], p["capture"], p["body"], p.get("clean"))
                                     for p in pages])
    factors = _type_factors(pages)
    for p, (prepared, shares, tokens) in zip(pages, capture_cache.cached(
            "features", key, lambda: [_page_features(p) for p in pages])):
        p["prepared"], p["X"], p["shares"], p["tokens"] = prepared, prepared[2], shares, tokens
        p["y"], p["w"] = labels_and_weights(p, factors.get(p["type"], 1.0) if p["set"] == "wcxb" else 1.0)


def _stack(pages, key):
    return np.vstack([p[key] for p in pages]) if key == "X" else np.concatenate([p[key] for p in pages])


def fold_of(group: str, folds: int) -> int:
    return zlib.crc32(group.encode()) % folds


def cv_pages(clean_weight: float = CLEAN_WEIGHT) -> tuple[list[dict], list[dict]]:
    """The CV's inputs, featurised: the capture pages, and their true bodies fed as captures."""
    pages = load_pages()
    featurise(pages)
    extra = clean_text_pages(pages, clean_weight) if clean_weight > 0 else []
    featurise(extra)
    return pages, extra


def clean_by_key(extra: list[dict]) -> dict:
    """A capture page's key -> its true body fed as a capture."""
    return {p["key"].removesuffix("#true"): p for p in extra}


def fold_split(pages: list[dict], extra: list[dict], f: int, folds: int = FOLDS) -> tuple[list, list]:
    """Fold f's test captures, and its training pages: the captures and true bodies of the
    other folds' domains."""
    test = [p for p in pages if fold_of(p["group"], folds) == f]
    train_pages = [p for p in pages + extra if fold_of(p["group"], folds) != f]
    assert not {p["group"] for p in test} & {p["group"] for p in train_pages}
    return test, train_pages


def _fit(pages, trees, depth, columns=None):
    """columns: fit on the first `columns` line features only (a forest so fitted scores
    wider X the same: it never reads the others)."""
    X = _stack(pages, "X")
    if columns is not None:
        X = np.ascontiguousarray(X[:, :columns])
    return _fit_cached(X, _stack(pages, "y"), _stack(pages, "w"), trees, depth)


def _fit_cached(X, y, w, trees, depth):
    objective = "cross_entropy" if SOFT_LABELS else "binary"
    key = capture_cache.digest(X, y, w, trees, depth, RATE, objective, inspect.getsource(gbdt_fit))
    return capture_cache.cached("forest", key, lambda: fit_forest(X, y, w, trees=trees, depth=depth, rate=RATE,
                                                                   objective=objective))


def _stage2_X(pages, margins):
    return np.vstack([np.hstack([p["X"], context_features(margins[p["key"]])]) for p in pages])


def train(pages, threshold=None, trees=TREES, depth=DEPTH, inner_folds=INNER_FOLDS, log=print,
          stage1_columns=None) -> Model:
    """Stage 1 on line features; stage 2 on line features plus context features of the
    stage-1 margins (context.py), learnt from out-of-fold margins (inner domain-grouped folds) so it does not
    trust an overfitted first stage. threshold None: chosen on those inner folds. `trees`:
    stage 1 (and the inner folds' stage 1); stage 2 has TREES2. `stage1_columns`: stage 1
    sees only the first that many line features (studies: extra columns for stage 2 only)."""
    stage1 = _fit(pages, trees, depth, stage1_columns)
    oof, inner = {}, {}
    for f in range(inner_folds):
        inner_train = [p for p in pages if fold_of(p["group"] + "/inner", inner_folds) != f]
        m = _fit(inner_train, trees, depth, stage1_columns)
        inner[f] = (m, inner_train)
        for p in pages:
            if fold_of(p["group"] + "/inner", inner_folds) == f:
                oof[p["key"]] = m.margin(p["X"])
    y, w = _stack(pages, "y"), _stack(pages, "w")
    stage2 = _fit_cached(_stage2_X(pages, oof), y, w, TREES2, depth)
    if threshold is not None:
        return Model(stage1, stage2, threshold)
    threshold, page = _inner_thresholds(pages, inner, stage2, log)
    return Model(stage1, stage2, threshold, page)


def choose_threshold(by_type: dict[float, dict[str, dict]], overall: dict[float, dict]) -> float:
    ok = [t for t in overall if all(r["precision"] >= MIN_TYPE_PRECISION for r in by_type[t].values())]
    return max(ok or list(overall), key=lambda t: (overall[t]["f1"], t))


@dataclass
class _Scored:
    """A model whose probabilities for one page are computed already (analyse under many
    thresholds)."""
    probs: np.ndarray
    threshold: float

    def keep(self, X):
        return keep_at(self.probs, self.threshold, BASE_THRESHOLD)


def _inner_thresholds(pages, inner, stage2, log) -> tuple[float, PageThresholds]:
    """Score each threshold on the inner held-out pages (real captures only), each with its
    inner stage 1 and the fold's stage 2 (trained on out-of-fold margins already; a stage 2
    per inner fold would triple the cost). Returns the fallback threshold (choose_threshold)
    and the per-page threshold regressions fitted on the same pages."""
    pairs = {t: defaultdict(list) for t in THRESHOLDS}
    summaries, f1s, sets = [], [], []
    for f, (m1, _inner_train) in inner.items():
        held = [p for p in pages if fold_of(p["group"] + "/inner", len(inner)) == f and not p.get("clean")]
        model = Model(m1, stage2)
        for p in held:
            probs = model.probabilities(p["X"])
            summaries.append(page_summary(p["X"], probs))
            sets.append(p["set"])
            row = []
            for t in THRESHOLDS:
                pred = "\n".join(analyse(p["capture"].splitlines(), model=_Scored(probs, t), prepared=p["prepared"]).body)
                pairs[t][p["type"] if p["set"] == "wcxb" else "news"].append((pred, p["body"]))
                row.append(f1_of(*shingle_prf(pred, p["body"])))
            f1s.append(row)
    by_type = {t: {k: corpus_f1(v) for k, v in d.items()} for t, d in pairs.items()}
    overall = {t: corpus_f1([x for v in d.values() for x in v]) for t, d in pairs.items()}
    chosen = choose_threshold(by_type, overall)
    log("    inner thresholds: " + ", ".join(
        f"{t}: F1 {overall[t]['f1']:.3f} min-P {min(r['precision'] for r in by_type[t].values()):.3f}"
        for t in THRESHOLDS) + f" -> {chosen}")
    return chosen, fit_page_thresholds(np.array(summaries), np.array(f1s), sets)


def fit_page_thresholds(X: np.ndarray, f1: np.ndarray, sets: list[str]) -> PageThresholds:
    """Per candidate threshold, boosted trees predicting a page's F1 gain over BASE_THRESHOLD."""
    counts = {s: sets.count(s) for s in set(sets)}
    w = np.array([len(sets) / len(counts) / counts[s] for s in sets])
    base = THRESHOLDS.index(BASE_THRESHOLD)
    gains = []
    for k in range(len(THRESHOLDS)):
        if k == base:
            gains.append(None)
            continue
        booster = lgb.train(GAIN_PARAMS, lgb.Dataset(X, f1[:, k] - f1[:, base], weight=w), GAIN_TREES)
        gains.append(to_forest(booster.dump_model(), GAIN_PARAMS["max_depth"]))
    return PageThresholds(list(THRESHOLDS), gains)


def cross_validate(pages, folds=FOLDS, threshold=None, trees=TREES, depth=DEPTH, clean_weight=CLEAN_WEIGHT,
                   log=print) -> dict:
    """Domain-grouped CV. Returns key -> cleaned text for every capture page, and
    key -> cleaned text of its true body fed as a capture (scored by the fold's model)."""
    out, body_out, thresholds = {}, {}, []
    extra = clean_text_pages(pages, clean_weight) if clean_weight > 0 else []
    featurise(extra)
    clean = clean_by_key(extra)
    for p in pages:  # an empty true body, or no clean pages in training: analyse prepares it
        clean.setdefault(p["key"], {"prepared": None})
    for f in range(folds):
        test, train_pages = fold_split(pages, extra, f, folds)
        log(f"  fold {f}: {len(test)} test pages, {len(train_pages)} training pages")
        model = train(train_pages, threshold, trees, depth, log=log)
        thresholds.append(model.threshold)
        for p in test:
            out[p["key"]] = "\n".join(analyse(p["capture"].splitlines(), model=model, prepared=p["prepared"]).body)
            body_out[p["key"]] = "\n".join(analyse(p["body"].splitlines(), model=model,
                                                   prepared=clean[p["key"]]["prepared"]).body)
    return {"text": out, "body": body_out, "thresholds": thresholds}


def shingle_retention(pairs) -> float:
    """Share of the true bodies' shingles still present after cleaning them."""
    kept = total = 0
    for pred, true in pairs:
        t = shingles(true)
        kept += sum((shingles(pred) & t).values())
        total += sum(t.values())
    return kept / total if total else 1.0


def summary(pages, cv) -> dict[str, dict]:
    groups = defaultdict(list)
    for p in pages:
        pair = (cv["text"][p["key"]], p["body"])
        groups["wcxb" if p["set"] == "wcxb" else "news"].append(pair)
        if p["set"] == "wcxb":
            groups[p["type"]].append(pair)
    return {k: corpus_f1(v) for k, v in groups.items()}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--trees", type=int, default=TREES)
    ap.add_argument("--depth", type=int, default=DEPTH)
    ap.add_argument("--threshold", default="auto", help="fixed decision threshold, or 'auto' (inner folds)")
    ap.add_argument("--clean-weight", type=float, default=CLEAN_WEIGHT)
    ap.add_argument("--no-cv", action="store_true")
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    threshold = None if args.threshold == "auto" else float(args.threshold)
    pages = load_pages()
    featurise(pages)
    print(f"{len(pages)} pages, {len({p['group'] for p in pages})} domains, "
          f"{sum(len(p['y']) for p in pages)} lines, {len(NAMES)} features")
    if not args.no_cv:
        cv = cross_validate(pages, FOLDS, threshold, args.trees, args.depth, args.clean_weight)
        for name, r in summary(pages, cv).items():
            print(f"  {name:14s} n={r['n']:4d} F1 {r['f1']:.3f} P {r['precision']:.3f} R {r['recall']:.3f}")
        ret = shingle_retention((cv["body"][p["key"]], p["body"]) for p in pages)
        print(f"  true bodies as captures keep {ret:.2%} of shingles; thresholds {cv['thresholds']}")
    if not args.no_save:
        extra = clean_text_pages(pages, args.clean_weight) if args.clean_weight > 0 else []
        featurise(extra)
        model = train(pages + extra, threshold, args.trees, args.depth)
        MODEL_PATH.write_text(json.dumps(model.to_dict()), encoding="utf-8")
        print(f"saved {MODEL_PATH}, threshold {model.threshold}")


if __name__ == "__main__":
    main()
