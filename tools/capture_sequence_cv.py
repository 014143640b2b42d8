"""Save the capture CV's line decisions for a sequence stage study (tools/capture_sequence_study.py).

    python -m tools.capture_sequence_cv OUT.pkl   # run the CV (cached fold models), save decisions

For every fold: the line decisions of `analyse` (reasons, unglued texts, stage-2
probabilities, the page's threshold, whether the clean-text gate passed it) on the fold's
test captures and their true bodies (the fold's model: what `bench captures_cv` scores), and
on every training page under its inner fold's stage 1 with the fold's stage 2 and thresholds
(out-of-fold margins, as `train_capture._inner_thresholds` scores them; the threshold per
page was fitted on those pages, a slight in-sample edge for the study's training data only).
"""
from __future__ import annotations

import argparse
import pickle
import time

import numpy as np

from deboil.cleaners.capture.line_features import NAMES
from deboil.cleaners.capture.lines import Model, analyse, looks_clean
from tools import train_capture as tc

_COL = {n: i for i, n in enumerate(NAMES)}


def _decisions(p: dict, model: Model) -> dict:
    """One page's decisions (a true body fed as a capture: its clean_text_pages entry)."""
    a = analyse(p["capture"].splitlines(), model=model, prepared=p["prepared"])
    keep_idx = [i for i, t in enumerate(a.lines) if t]
    X = p["prepared"][2] if p["prepared"] else None
    probs = model.probabilities(X) if X is not None and len(X) else np.zeros(0)
    thr = model.page.choose(X, probs, model.threshold) if (model.page and X is not None and len(X)) else model.threshold
    return {"reasons": [a.reasons[i] for i in keep_idx],
            "fixed": {k: a.fixed[i] for k, i in enumerate(keep_idx) if i in a.fixed},
            "probs": probs.astype(np.float32), "thr": thr,
            "clean": bool(X is not None and len(X) and looks_clean(X, _COL))}


def run(out_path: str) -> None:
    pages, extra = tc.cv_pages()
    clean = tc.clean_by_key(extra)
    rows = []
    for f in range(tc.FOLDS):
        t0 = time.process_time()
        test, train_pages = tc.fold_split(pages, extra, f)
        model = tc.train(train_pages, log=lambda *_: None)
        for p in test:
            d = _decisions(p, model)
            rows.append({"key": p["key"], "role": "test", "fold": f, **d})
            if p["key"] in clean:
                d = _decisions(clean[p["key"]], model)
                rows.append({"key": p["key"], "role": "test-body", "fold": f, **d})
        for fi in range(tc.INNER_FOLDS):
            inner_train = [p for p in train_pages if tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) != fi]
            m1 = tc._fit(inner_train, tc.TREES, tc.DEPTH)
            inner_model = Model(m1, model.stage2, model.threshold, model.page)
            for p in train_pages:
                if tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) == fi:
                    d = _decisions(p, inner_model)
                    rows.append({"key": p["key"], "role": "inner", "fold": f, "inner": fi, **d})
        print(f"fold {f} done ({time.process_time() - t0:.0f}s CPU, fallback {model.threshold})", flush=True)
    with open(out_path, "wb") as fh:
        pickle.dump(rows, fh)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    run(ap.parse_args(argv).out)


if __name__ == "__main__":
    main()
