"""Does the learned page-type forest help the block model as features? (issue 15, docs/html-learned.md item 12)

    PYTHONPATH=. python -m tools.html_typeprob_cv --cache DIR [--features FILE] [--pages OUT]
    PYTHONPATH=. python -m tools.html_typeprob_cv --speed      # CPU a page of the type features

The hand cues keep steering the rules (their type picks the reading and which types the
block model edits); the page-type forest of item 11 (tools.page_type_cv: one-vs-rest
boosted forests over raw cues, DOM counts and the hand cues' points) gives each page its
per-type probabilities (`--type-cols`: all seven and the hand type's, or the hand type's and
the best other's), appended to every block row of the page, so the block model can
learn e.g. that a page the hand cues call service but that looks like a listing keeps its
cards. No leakage: in each outer fold the type forest is fitted on the training folds
only; the training pages' type probabilities come from inner grouped folds within the
training folds (a forest that did not see their domain), as the held-out pages' come from
a forest that did not see theirs. The block model, its thresholds (inner_scores) and the
shipped rules-only types are then fitted as bench.html_cv does; the shipped block model is
fitted in the same run for the comparison. Also printed: a "gate" (a page whose hand type
keeps the rules' reading is edited anyway when the type forest calls it a type that is
edited: with the pair of all pages, or with `--gate-pair` a pair chosen on the gated training
pages), for both block models.
Word F1 out of fold, fold by fold and per true type.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bench.html_cv import MODEL_READINGS, TYPES as TRUE_TYPES, ensure_readings, group_folds
from bench.scoring import word_f1
from deboil.cleaners.html.blocks import _feature_names
from deboil.cleaners.html.learned import NO_EDIT, edit_lines
from deboil.cleaners.html.pagetype import TYPES
from tools.page_type_cv import fit_types
from tools.train_html_blocks import (ADDS, DROPS, RULES_ONLY_TYPES, _bag, _best_pair, _f1, fit_edits,
                                     inner_scores, model_thresholds, predict, table_for)

TYPE_TREES, TYPE_DEPTH = 150, 3  # as item 11's forest
INNER_TYPE_FOLDS = 5


def type_margins(forests, X: np.ndarray) -> np.ndarray:
    return np.column_stack([f.margin(X) for f in forests])


def type_features(margins: np.ndarray, hand: list[str]) -> np.ndarray:
    """Per page: each type's probability (sigmoid of its one-vs-rest margin), that of the
    hand cues' type and the highest of the others."""
    p = 1 / (1 + np.exp(-margins))
    rows = np.arange(len(hand))
    cols = [TYPES.index(h) for h in hand]
    own = p[rows, cols]
    others = p.copy()
    others[rows, cols] = -1
    return np.column_stack([p, own, others.max(axis=1)])


COLUMNS = {"all": slice(0, len(TYPES) + 1), "own": slice(len(TYPES), len(TYPES) + 2)}


def gate_pair(pages, lines, gated, held_col) -> tuple[float, float]:
    """The (drop, add) pair that scores best on the `gated` training pages, on block scores
    from inner grouped folds over all training pages (as fit_edits'); NO_EDIT (the rules'
    reading) is in the grid."""
    grid = []
    for p, ls, q, g in zip(pages, lines, inner_scores(pages), gated):
        if not g:
            continue
        held = p["X"][:, held_col] > 0.5 if len(q) else []
        truth = _bag(p["truth"])
        grid.append({(d, a): _f1(_bag("\n".join(edit_lines(ls, p["texts"], q, held, d, a))), truth)
                     for d in DROPS for a in ADDS})
    return _best_pair(grid)


def oof_type_features(X, y, domains, hand, k: int) -> np.ndarray:
    """Type features of pages from forests that did not see their domain (grouped folds)."""
    folds = group_folds(domains, k)
    out = np.zeros((len(y), len(TYPES) + 2))
    for f in range(k):
        tr, te = folds != f, folds == f
        forests = fit_types(X[tr], y[tr], TYPE_TREES, TYPE_DEPTH)
        out[te] = type_features(type_margins(forests, X[te]), [h for h, t in zip(hand, te) if t])
    return out


def with_type(page: dict, feats: np.ndarray) -> dict:
    if not len(page["y"]):
        return page
    return {**page, "X": np.hstack([page["X"], np.tile(feats.astype(np.float32), (len(page["X"]), 1))])}


def speed(rounds: int = 3, every: int = 7, n: int = 150) -> None:
    """CPU time a page (process time) of the type forest's features (page_type_cv.page_features
    on a freshly parsed tree) against extract_html itself, interleaved page by page."""
    import gzip
    import statistics
    import time
    from trafilatura.utils import load_html
    from bench.html_cv import dev_pages
    from bench.paths import find_shared
    from deboil.cleaners.html.extract import extract_html
    from deboil.cleaners.html.structured import read_signals
    from deboil.models import CleanPage, Context
    from tools.page_type_cv import page_features
    base, meta = dev_pages(find_shared())
    docs = []
    for key in sorted(meta)[::every][:n]:
        url = json.loads((base / "ground-truth" / f"{key}.json").read_text()).get("url") or ""
        docs.append((url, gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")))
    ratios = []
    for r in range(rounds):
        full = feats = 0.0
        for url, html in docs:
            t0 = time.process_time()
            extract_html(CleanPage(url=url or "file:///page.html", document=html), Context())
            t1 = time.process_time()
            tree = load_html(html)
            t2 = time.process_time()
            if tree is not None:
                page_features(tree, read_signals(tree), url)
            feats += time.process_time() - t2
            full += t1 - t0
        ratios.append(feats / full)
        print(f"round {r + 1}: extract_html {1000 * full / len(docs):.1f} ms a page, type features "
              f"{1000 * feats / len(docs):.1f} ms ({feats / full:.3f}x)", flush=True)
    print(f"{len(docs)} pages, median ratio {statistics.median(ratios):.3f}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--features", default="/work/cache-html-pagetype/page-type-features.jsonl",
                    help="tools.page_type_cv's cached feature rows")
    ap.add_argument("--pages", help="write each page's out-of-fold F1 per system here")
    ap.add_argument("--type-cols", choices=sorted(COLUMNS), default="all",
                    help="all: the seven probabilities and the hand type's; own: the hand type's and the best other's")
    ap.add_argument("--gate-pair", action="store_true",
                    help="gated pages take a pair chosen on the gated training pages (else the pair of all pages)")
    ap.add_argument("--speed", action="store_true", help="CPU a page of the type features, then stop")
    args = ap.parse_args(argv)
    if args.speed:
        speed()
        return
    cache = Path(args.cache)
    recs = ensure_readings(cache)
    table, have = table_for(cache, MODEL_READINGS)
    if have != MODEL_READINGS:
        raise SystemExit(f"{cache}: expected a block table of {MODEL_READINGS}")
    rows = {r["id"]: r for r in map(json.loads, open(args.features)) if r["set"] == "wcxb"}
    keys = sorted(table)
    hand = [recs[k]["deboil_type"] for k in keys]
    mismatch = sum(rows[k]["hand"] != h for k, h in zip(keys, hand))
    print(f"{len(keys)} pages; hand type in the feature rows differs from the cached reading's on {mismatch}")
    X = np.array([rows[k]["x"] + rows[k]["points"] for k in keys])
    y = np.array([table[k]["type"] for k in keys])
    domains = [table[k]["domain"] for k in keys]
    lines = {k: [ln for ln in recs[k]["deboil"].split("\n") if ln.strip()] for k in keys}
    held_col = _feature_names(MODEL_READINGS, TYPES).index("in_deboil")
    folds = group_folds(domains)
    systems = ("rules", "base", "base_typed", "base_gate", "tprob", "tprob_typed", "tprob_gate")
    f1 = {s: np.zeros(len(keys)) for s in systems}
    guess = np.empty(len(keys), dtype=object)
    for f in range(5):
        tr = np.flatnonzero(folds != f)
        te = np.flatnonzero(folds == f)
        feats = np.zeros((len(keys), len(TYPES) + 2))
        feats[tr] = oof_type_features(X[tr], y[tr], [domains[i] for i in tr], [hand[i] for i in tr],
                                      INNER_TYPE_FOLDS)
        forests = fit_types(X[tr], y[tr], TYPE_TREES, TYPE_DEPTH)
        m = type_margins(forests, X[te])
        feats[te] = type_features(m, [hand[i] for i in te])
        guess[te] = np.array(TYPES)[m.argmax(axis=1)]
        train_types = [hand[i] for i in tr]
        for name, make in (("base", lambda i: table[keys[i]]), ("tprob", lambda i: with_type(table[keys[i]], feats[i, COLUMNS[args.type_cols]]))):
            forest, pair, fitted = fit_edits([make(i) for i in tr], [lines[keys[i]] for i in tr], held_col,
                                             None, train_types)
            shipped, typed = model_thresholds(fitted), model_thresholds(fitted, per_type=True)
            gate = pair
            if args.gate_pair:
                tr_guess = np.array(TYPES)[feats[tr, :len(TYPES)].argmax(axis=1)]
                g = [hand[i] in RULES_ONLY_TYPES and t not in RULES_ONLY_TYPES for i, t in zip(tr, tr_guess)]
                gate = gate_pair([make(i) for i in tr], [lines[keys[i]] for i in tr], g, held_col)
                print(f"fold {f + 1} {name}: gate pair {gate} ({sum(g)} gated training pages)", flush=True)
            print(f"fold {f + 1} {name}: pair {pair}; per type {typed}", flush=True)
            for i in te:
                key, page = keys[i], make(i)
                q = predict(forest, page)
                held = page["X"][:, held_col] > 0.5 if len(q) else []
                truth = table[key]["truth"]
                gated = hand[i] in RULES_ONLY_TYPES and guess[i] not in RULES_ONLY_TYPES
                for suffix, pairs in (("", shipped), ("_typed", typed), ("_gate", shipped)):
                    t_drop, t_add = pairs.get(hand[i], pair)
                    if suffix == "_gate" and gated:
                        t_drop, t_add = gate
                    text = "\n".join(edit_lines(lines[key], page["texts"], q, held, t_drop, t_add)) \
                        if (t_drop, t_add) != NO_EDIT else recs[key]["deboil"]
                    f1[name + suffix][i] = word_f1(text, truth)
            f1["rules"][te] = [word_f1(recs[keys[i]]["deboil"], table[keys[i]]["truth"]) for i in te]
        print(f"fold {f + 1}: " + " | ".join(f"{s} {f1[s][te].mean():.4f}" for s in systems), flush=True)
    print(f"\nwcxb-dev word F1 out of fold: " + " | ".join(systems))
    gated = np.array([h in RULES_ONLY_TYPES and g not in RULES_ONLY_TYPES for h, g in zip(hand, guess)])
    for label, msk in [("all", np.ones(len(keys), bool)), *((f"fold {f + 1}", folds == f) for f in range(5)),
                       *((t, y == t) for t in TRUE_TYPES), ("gated pages", gated)]:
        print(f"  {label:14} n={int(msk.sum()):4}  " + " | ".join(f"{f1[s][msk].mean():.4f}" for s in systems))
    print("by hand type (shipped base | tprob):")
    for t in TYPES:
        msk = np.array(hand) == t
        print(f"  {t:14} n={int(msk.sum()):4}  {f1['base'][msk].mean():.4f} | {f1['tprob'][msk].mean():.4f}")
    if args.pages:
        Path(args.pages).write_text(json.dumps({"keys": keys, "folds": folds.tolist(), "true": y.tolist(),
                                                "hand": hand, "guess": guess.tolist(),
                                                **{s: f1[s].tolist() for s in systems}}))


if __name__ == "__main__":
    main()
