"""Per-page shingle precision and recall of the capture CV under a grid of thresholds.

For every outer fold of tools/train_capture.py's CV it rebuilds the same fold models (cached
forests), then scores, for each threshold of GRID, (a) every inner held-out capture with its
inner stage 1 and the fold's stage 2 (what the threshold rule may learn from) and (b) every
test capture and its true body fed as a capture with the fold's model. Rows go to a pickle
that threshold rules are then compared on without re-running the pipeline. Each threshold
is applied as training applies it (train_capture._Scored: above 0.4 the body run is
judged at 0.4):

    DEBOIL_CAPTURE_CACHE=DIR python -m tools.capture_threshold_study OUT.pkl
"""
from __future__ import annotations

import pickle
import sys

import numpy as np

from bench.scoring import shingle_prf, shingles
from deboil.cleaners.capture.lines import Model, analyse
from deboil.cleaners.capture import page_threshold
from deboil.cleaners.capture.page_threshold import NAMES as PAGE_NAMES
from tools import train_capture as tc

GRID = tc.THRESHOLDS  # 0.30 .. 0.70


def page_summary(p: dict, probs: np.ndarray) -> dict:
    """The page evidence of page_threshold.py, by name."""
    return dict(zip(PAGE_NAMES, page_threshold.page_summary(p["X"], probs).tolist()))


def _score(p, probs, text, prepared, body):
    rows = []
    for t in GRID:
        pred = "\n".join(analyse(text.splitlines(), model=tc._Scored(probs, t), prepared=prepared).body)
        rows.append(shingle_prf(pred, body) + (sum((shingles(pred) & shingles(body)).values()),))
    return np.array(rows)


def main(out_path: str) -> None:
    pages, extra = tc.cv_pages()
    clean = tc.clean_by_key(extra)
    rows = []
    for f in range(tc.FOLDS):
        test, train_pages = tc.fold_split(pages, extra, f)
        stage1 = tc._fit(train_pages, tc.TREES, tc.DEPTH)
        oof, inner = {}, {}
        for g in range(tc.INNER_FOLDS):
            inner_train = [p for p in train_pages if tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) != g]
            m = tc._fit(inner_train, tc.TREES, tc.DEPTH)
            inner[g] = m
            for p in train_pages:
                if tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) == g:
                    oof[p["key"]] = m.margin(p["X"])
        stage2 = tc._fit_cached(tc._stage2_X(train_pages, oof), tc._stack(train_pages, "y"),
                                tc._stack(train_pages, "w"), tc.TREES, tc.DEPTH)
        for g, m1 in inner.items():
            model = Model(m1, stage2, 0.5)
            for p in train_pages:
                if p.get("clean") or tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) != g:
                    continue
                probs = model.probabilities(p["X"])
                rows.append({"fold": f, "role": "inner", "key": p["key"], "set": p["set"], "type": p["type"],
                             "group": p["group"], "summary": page_summary(p, probs),
                             "scores": _score(p, probs, p["capture"], p["prepared"], p["body"])})
        model = Model(stage1, stage2, 0.5)
        for p in test:
            probs = model.probabilities(p["X"])
            c = clean.get(p["key"])
            body_scores = body_summary = None
            if c is not None:
                body_probs = model.probabilities(c["X"])
                body_summary = page_summary(c, body_probs)
                body_scores = _score(c, body_probs, p["body"], c["prepared"], p["body"])
            rows.append({"fold": f, "role": "test", "key": p["key"], "set": p["set"], "type": p["type"],
                         "group": p["group"], "summary": page_summary(p, probs),
                         "scores": _score(p, probs, p["capture"], p["prepared"], p["body"]),
                         "body_scores": body_scores, "body_summary": body_summary,
                         "body_total": sum(shingles(p["body"]).values())})
        print(f"fold {f} done", flush=True)
        with open(out_path, "wb") as fh:
            pickle.dump({"grid": GRID, "rows": rows}, fh)


if __name__ == "__main__":
    main(sys.argv[1])
