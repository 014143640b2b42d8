"""HTML extraction on unseen sites: domain-grouped 5-fold CV over wcxb-dev (1,358 pages).

    PYTHONPATH=. python -m bench.html_cv [--cache DIR]

Word F1 (WCXB: bag of lower-cased \\w+ words per page, averaged), per fold and per page
type, for trafilatura 2.3.1 defaults (comments off), deboil's rules alone, and the rules
edited by the learned block model (deboil/cleaners/html/learned.py) with a threshold pair
fitted per detected page type, and as shipped: one pair for all pages, the rules' reading
kept on the types listed in tools.train_html_blocks.RULES_ONLY_TYPES. The model (its forest
and its thresholds) is fitted on the four training folds only (tools.train_html_blocks.
fit_edits) and scored on the fifth; no domain is on both sides. All readings come from
one run of tools.html_readings: `--cache DIR` (or DEBOIL_HTML_CACHE) reuses and extends
one, else all pages are read now (~15 minutes on one core) into a temporary folder.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import os
import tempfile
from collections import Counter
from pathlib import Path

import numpy as np

from bench.paths import find_shared
from bench.scoring import word_f1

TYPES = ["article", "documentation", "service", "forum", "listing", "product", "collection"]
MODEL_READINGS = ("deboil", "dom")


def group_folds(groups: list[str], k: int = 5) -> np.ndarray:
    """Fold of each row: whole groups (domains) per fold, sizes balanced, deterministic."""
    sizes = Counter(groups)
    order = sorted(sizes, key=lambda g: (-sizes[g], hashlib.md5(g.encode()).hexdigest()))
    load, fold_of = [0] * k, {}
    for g in order:
        f = min(range(k), key=lambda i: (load[i], i))
        fold_of[g] = f
        load[f] += sizes[g]
    return np.array([fold_of[g] for g in groups])


def dev_pages(shared: Path) -> tuple[Path, dict]:
    base = shared / "bench" / "wcxb-dev"
    return base, json.loads((base / "metadata.json").read_text())


def ensure_readings(cache: Path) -> dict[str, dict]:
    """Every wcxb-dev page's readings, read now for the pages the cache lacks."""
    from tools.html_readings import read_page
    base, meta = dev_pages(find_shared())
    path = cache / "readings-wcxb.jsonl"
    recs = {r["id"]: r for r in map(json.loads, path.open())} if path.exists() else {}
    missing = [k for k in sorted(meta) if k not in recs]
    if missing:
        print(f"reading {len(missing)} pages (trafilatura defaults, deboil rules, DOM pass) ...", flush=True)
        with path.open("a") as fh:
            for key in missing:
                gt = json.loads((base / "ground-truth" / f"{key}.json").read_text())
                html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
                recs[key] = {"id": key, "url": gt.get("url") or "", **read_page(html, gt.get("url") or "")}
                fh.write(json.dumps(recs[key], ensure_ascii=False) + "\n")
    return recs


def cross_validate_edits(cache: Path, recs: dict, k: int = 5):
    """Out-of-fold text of every page: the rules' lines edited by the block model."""
    from deboil.cleaners.html.blocks import _feature_names
    from deboil.cleaners.html.learned import edit_lines
    from deboil.cleaners.html.pagetype import TYPES as PAGE_TYPES
    from tools.train_html_blocks import _columns, fit_edits, model_thresholds, predict, table_for
    table, have = table_for(cache, MODEL_READINGS)
    lines = {key: [ln for ln in recs[key]["deboil"].split("\n") if ln.strip()] for key in table}
    keys = sorted(table)
    names = _feature_names(MODEL_READINGS, PAGE_TYPES)
    full = _feature_names(have, PAGE_TYPES)
    columns = [full.index(n) for n in names] if have != MODEL_READINGS else None
    held_col = names.index("in_deboil")
    folds = group_folds([table[key]["domain"] for key in keys], k)
    texts, params = {"shipped": {}, "typed": {}}, []
    for f in range(k):
        train = [key for key, g in zip(keys, folds) if g != f]
        forest, pair, fitted = fit_edits([table[key] for key in train], [lines[key] for key in train],
                                          held_col, columns, [recs[key]["deboil_type"] for key in train])
        shipped, typed_pairs = model_thresholds(fitted), model_thresholds(fitted, per_type=True)
        params.append((pair, typed_pairs))
        for key, g in zip(keys, folds):
            if g != f:
                continue
            page = _columns(table[key], columns)
            q = predict(forest, page)
            held = page["X"][:, held_col] > 0.5 if len(q) else []
            kind = recs[key]["deboil_type"]
            for name, pairs in (("shipped", shipped), ("typed", typed_pairs)):
                t_drop, t_add = pairs.get(kind, pair)  # as learned.refine_page does
                texts[name][key] = "\n".join(edit_lines(lines[key], page["texts"], q, held, t_drop, t_add))
    return keys, folds, texts, params, table


def _mean(xs) -> float:
    return sum(xs) / len(xs) if xs else float("nan")


def report(rows: list[dict], folds, k: int = 5) -> None:
    systems = ("traf", "deboil", "typed", "shipped")
    print(f"wcxb-dev ({len(rows)} pages), domain-grouped {k}-fold CV, word F1: trafilatura defaults | "
          "deboil rules | rules + block model, pair per page type | rules + block model, one pair (shipped) "
          "(model and thresholds fitted on the other folds)")
    for f in [*range(k), None]:
        idx = [i for i in range(len(rows)) if f is None or folds[i] == f]
        label = f"fold {f + 1}" if f is not None else "all"
        print(f"  {label:7} n={len(idx):4}  " + " | ".join(f"{_mean([rows[i][s] for i in idx]):.3f}" for s in systems))
    print("per page type, out of fold: trafilatura | rules | pair per type | shipped   (shipped - trafilatura)")
    for t in TYPES:
        idx = [i for i in range(len(rows)) if rows[i]["type"] == t]
        vals = [_mean([rows[i][s] for i in idx]) for s in systems]
        print(f"  {t:14} n={len(idx):4}  " + " | ".join(f"{v:.3f}" for v in vals) + f"   ({vals[-1] - vals[0]:+.3f})")
    print("per fold and type, shipped | trafilatura:")
    for f in range(k):
        cells = []
        for t in TYPES:
            idx = [i for i in range(len(rows)) if rows[i]["type"] == t and folds[i] == f]
            if idx:
                cells.append(f"{t[:4]} {_mean([rows[i]['shipped'] for i in idx]):.3f}|"
                             f"{_mean([rows[i]['traf'] for i in idx]):.3f}")
        print(f"  fold {f + 1}: " + "  ".join(cells))


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default=os.environ.get("DEBOIL_HTML_CACHE"),
                    help="reuse (and extend) the readings and block table cached in this folder")
    args = ap.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        cache = Path(args.cache or tmp)
        cache.mkdir(parents=True, exist_ok=True)
        recs = ensure_readings(cache)
        keys, folds, texts, params, table = cross_validate_edits(cache, recs)
    rows = []
    for key in keys:
        truth = table[key]["truth"]
        rows.append({"type": table[key]["type"], "traf": word_f1(recs[key]["traf"], truth),
                     "deboil": word_f1(recs[key]["deboil"], truth),
                     "typed": word_f1(texts["typed"][key], truth), "shipped": word_f1(texts["shipped"][key], truth)})
    report(rows, folds)
    print("thresholds (drop below / add above) fitted in the training folds: all pages; per detected type:")
    for f, ((d, a), by_type) in enumerate(params):
        print(f"  fold {f + 1}: {d}/{a}; " + ", ".join(f"{t} {td}/{ta}" for t, (td, ta) in by_type.items()))


if __name__ == "__main__":
    main()
