"""Fit the capture segment stage (deboil/cleaners/capture/segments.py) inside train_capture.train.

The stage is learnt from the training pages' decisions under their inner fold's stage 1 (the
fold's stage 2, fallback threshold and threshold per page): out-of-fold line decisions, as
_inner_thresholds scores them. Every training line gets a lexical score from the lexicon fitted
without its inner fold; the segment forests' out-of-fold scores (inner folds again) choose the
drop and rescue cuts together, by page-averaged approximate F1 of both capture sets on the
real captures (tools/capture_sequence_study.py --joint --gap 0 --lexical, docs/captures.md);
no cut is kept when none beats the line decisions. The shipped forests are fitted on every
training page, the shipped lexicon on every training page.
"""
from __future__ import annotations

import numpy as np

from bench.scoring import shingles
from deboil.cleaners.capture.lines import Model, analyse, looks_clean
from deboil.cleaners.capture.segments import PageFacts, SegmentStage, segment_features
from tools import capture_sequence_study as study
from tools import train_capture as tc
from tools.capture_lexical_cv import TOP, Vocab, fit_lexical, line_scores
from tools.gbdt_fit import to_forest

_COL = study._COL


def _decisions(p: dict, model: Model) -> dict:
    """A page's reasons over its non-blank lines, probabilities, page threshold, clean gate."""
    a = analyse(p["capture"].splitlines(), model=model, prepared=p["prepared"])
    reasons = [r for t, r in zip(a.lines, a.reasons) if t]
    X = p["X"]
    if X is None or not len(X):
        return {"reasons": reasons, "probs": np.zeros(0), "thr": model.threshold, "clean": True}
    _, probs, thr = model.decide(X)
    return {"reasons": reasons, "probs": probs, "thr": thr, "clean": bool(looks_clean(X, _COL))}


def _rows(pages: list[dict], inner: dict, stage2, threshold: float, page_model, lex: dict) -> list[dict]:
    """One row per page and mode ("drop", "rescue"), in the form the study's helpers read."""
    rows = []
    for p in pages:
        fi = tc.fold_of(p["group"] + "/inner", len(inner))
        d = _decisions(p, Model(inner[fi][0], stage2, threshold, page_model))
        twins = []
        facts = None if d["clean"] or not len(d["probs"]) else \
            PageFacts.scored(p["lines"], p["X"], d["reasons"], d["probs"], lex[p["key"]])
        for mode in ("drop", "rescue"):
            row = {"key": p["key"], "role": "inner", "inner": fi, "mode": mode, **d}
            row["F"], segs, row["main"] = (np.zeros((0, 0)), [], -1) if facts is None else \
                segment_features(facts, d["thr"], mode)
            row["masks"] = [np.zeros(len(p["lines"]), dtype=bool) for _ in segs]
            for m, (a, b) in zip(row["masks"], segs):
                m[a:b + 1] = True
            body = (p["shares"] >= 0.5).astype(float)
            row["seg_sh"] = np.array([p["sh"][m].sum() for m in row["masks"]])
            row["seg_body"] = np.array([(p["sh"][m] * body[m]).sum() / max(p["sh"][m].sum(), 1)
                                        for m in row["masks"]])
            twins.append(row)
        twins[0]["twin"] = twins[1]
        rows += twins
    return rows


def _prepare_pages(pages: list[dict]) -> Vocab:
    vocab = Vocab()
    for p in pages:
        p["lines"] = [l.strip() for l in p["capture"].splitlines() if l.strip()]
        p["tok_ids"], p["tok_n"] = vocab.encode(p["lines"])
        p["tok_set"] = np.unique(p["tok_ids"])
        p["sh"] = np.maximum(p["tokens"] - 3, 1) * (p["tokens"] > 0)
        p.setdefault("body_sh", sum(shingles(p["body"]).values()))
    return vocab


def fit_segment_stage(pages: list[dict], inner: dict, stage2, threshold: float, page_model,
                      log=print) -> SegmentStage | None:
    vocab = _prepare_pages(pages)
    size = len(vocab.names)
    folds = len(inner)
    lex = {}
    for g in range(folds):
        inside = [tc.fold_of(p["group"] + "/inner", folds) == g for p in pages]
        w = fit_lexical([p for p, i in zip(pages, inside) if not i], size, TOP)
        for p, i in zip(pages, inside):
            if i:
                lex[p["key"]] = line_scores(p, w)
    full = fit_lexical(pages, size, TOP)
    ratios = {vocab.names[k]: float(full[k]) for k in np.flatnonzero(full)}
    rows = _rows(pages, inner, stage2, threshold, page_model, lex)
    by_key = {p["key"]: p for p in pages}
    halves = {mode: [r for r in rows if r["mode"] == mode] for mode in ("drop", "rescue")}
    boosters = {}
    for mode, half in halves.items():
        fit_rows = [r for r in half if study._eligible(r)]
        for fi in range(folds):
            booster = study._fit([r for r in fit_rows if r["inner"] != fi], by_key)
            for r in fit_rows:
                if r["inner"] == fi:
                    r["score"] = booster.predict(r["F"])
        boosters[mode] = study._fit(fit_rows, by_key)
    choices = [(d, c) for d in (None, *study.CUTS) for c in (None, *study.RESCUE_CUTS) if d is not None or c is not None]
    real = [r for r in halves["drop"] if not r["key"].endswith("#true")]
    choice = study._choose(real, by_key, choices, study.joint_keep, "inner")
    log(f"    segment stage: {len(ratios)} lexicon tokens, cuts (drop, rescue) {choice}")
    if choice is None:
        return None
    depth = study.SEG_PARAMS["max_depth"]
    return SegmentStage(ratios, to_forest(boosters["drop"].dump_model(), depth),
                        to_forest(boosters["rescue"].dump_model(), depth), *choice)
