"""Train the capture line classifier on bench/text-captures and report site-grouped CV.

Labels come from the true bodies: a line of 4+ tokens is body when at least half of its
4-token shingles occur in the true body; a shorter line when it equals a line of the body.
Pages are grouped by site (host name) so no fold is scored on a site it was trained on.

    PYTHONPATH=. /work/venv/bin/python -m bench.train_capture [--folds 5] [--no-save]
"""
from __future__ import annotations

import argparse
import json
import re
import zlib
from collections import defaultdict
from urllib.parse import urlparse

import numpy as np

from bench.paths import find_shared
from bench.scoring import corpus_f1, shingles
from cleaners.capture import MODEL_PATH, Model, analyse
from bench.gbdt_train import fit_forest
from cleaners.line_features import NAMES, line_features, neighbour_features
from cleaners.stopwords import page_stopwords

_W = re.compile(r"\w+")


def load_bench():
    root = find_shared() / "bench" / "text-captures"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    pages = []
    for key, item in sorted(truth.items()):
        text = (root / "captures" / f"{key}.txt").read_text(encoding="utf-8")
        site = urlparse(item.get("url", "")).netloc.lower().removeprefix("www.") or key
        pages.append({"key": key, "site": site, "capture": text, "body": item["articleBody"]})
    return pages


def line_labels(lines: list[str], body: str) -> np.ndarray:
    body_sh = shingles(body)
    body_lines = {b.strip() for b in body.splitlines() if b.strip()}
    labels = []
    for line in lines:
        if len(_W.findall(line)) >= 4:
            sh = shingles(line)
            labels.append(sum((sh & body_sh).values()) / sum(sh.values()) >= 0.5)
        else:
            labels.append(line in body_lines)
    return np.array(labels, dtype=float)


def featurise(pages):
    for p in pages:
        lines = [l.strip() for l in p["capture"].splitlines() if l.strip()]
        stop = page_stopwords(lines)
        p["lines"] = lines
        p["X"] = line_features(lines, stop)
        p["y"] = line_labels(lines, p["body"])
        toks = np.array([len(_W.findall(l)) for l in lines], dtype=float)
        # Shingle F1 is averaged per page and dominated by long lines: weight by length,
        # then give every page the same total weight.
        w = np.sqrt(toks + 1.0)
        p["w"] = w / w.sum() * len(lines) ** 0.5


def _stack(pages, key):
    return np.concatenate([p[key] for p in pages]) if key != "X" else np.vstack([p["X"] for p in pages])


def train(pages, threshold=0.5, trees=120, depth=3, inner_folds=3) -> Model:
    """Stage 1 on line features; stage 2 on line features plus neighbours' stage-1 margins.
    Stage 2 learns from out-of-fold stage-1 margins (inner site-grouped folds) so that it
    does not learn to trust an overfitted first stage."""
    X, y, w = _stack(pages, "X"), _stack(pages, "y"), _stack(pages, "w")
    stage1 = fit_forest(X, y, w, trees=trees, depth=depth)
    oof = {}
    for f in range(inner_folds):
        inner_train = [p for p in pages if fold_of(p["site"] + "/inner", inner_folds) != f]
        m = fit_forest(_stack(inner_train, "X"), _stack(inner_train, "y"), _stack(inner_train, "w"),
                       trees=trees, depth=depth)
        for p in pages:
            if fold_of(p["site"] + "/inner", inner_folds) == f:
                oof[p["key"]] = m.margin(p["X"])
    X2 = np.vstack([np.hstack([p["X"], neighbour_features(oof[p["key"]])]) for p in pages])
    stage2 = fit_forest(X2, y, w, trees=trees, depth=depth)
    return Model(stage1, stage2, threshold)


def fold_of(site: str, folds: int) -> int:
    return zlib.crc32(site.encode()) % folds


def evaluate(pages, model: Model):
    pairs = []
    for p in pages:
        a = analyse(p["capture"].splitlines(), model=model)
        pairs.append(("\n".join(a.body), p["body"]))
    return corpus_f1(pairs)


def cross_validate(pages, folds=5, threshold=0.5, trees=120, depth=3):
    by_fold = defaultdict(list)
    for p in pages:
        by_fold[fold_of(p["site"], folds)].append(p)
    pairs = []
    per_fold = []
    for f in range(folds):
        test = by_fold[f]
        train_pages = [p for g, ps in by_fold.items() if g != f for p in ps]
        assert not {p["site"] for p in test} & {p["site"] for p in train_pages}
        model = train(train_pages, threshold, trees, depth)
        fold_pairs = []
        for p in test:
            a = analyse(p["capture"].splitlines(), model=model)
            fold_pairs.append(("\n".join(a.body), p["body"]))
        per_fold.append(corpus_f1(fold_pairs))
        pairs += fold_pairs
    return corpus_f1(pairs), per_fold


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--trees", type=int, default=120)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--threshold", type=float, default=0.5)
    ap.add_argument("--no-save", action="store_true")
    args = ap.parse_args(argv)
    pages = load_bench()
    featurise(pages)
    print(f"{len(pages)} pages, {len({p['site'] for p in pages})} sites, "
          f"{sum(len(p['lines']) for p in pages)} lines, {len(NAMES)} features")
    total, per_fold = cross_validate(pages, args.folds, args.threshold, args.trees, args.depth)
    for f, r in enumerate(per_fold):
        print(f"  fold {f}: n={r['n']:3d} F1 {r['f1']:.3f} P {r['precision']:.3f} R {r['recall']:.3f}")
    print(f"site-grouped {args.folds}-fold CV: F1 {total['f1']:.3f} P {total['precision']:.3f} "
          f"R {total['recall']:.3f}")
    if not args.no_save:
        model = train(pages, args.threshold, args.trees, args.depth)
        MODEL_PATH.parent.mkdir(exist_ok=True)
        MODEL_PATH.write_text(json.dumps(model.to_dict()), encoding="utf-8")
        print(f"saved {MODEL_PATH} (trained on all {len(pages)} pages; in-sample figures are not "
              f"a result)")


if __name__ == "__main__":
    main()
