"""Documentation pages with a threshold pair of their own (docs/html-learned.md 16), not shipped.

    PYTHONPATH=. python -m tools.html_docs_pair_cv [--cache DIR] [--out FILE]

bench.html_cv's folds and shipped block model (forest, one pair chosen on inner grouped-fold
scores of the training pages, article / product / collection keeping the rules' reading).
Variants change only the pages *detected* as documentation: "docs": a pair chosen on the
training folds' detected-documentation pages (the shipped grid, "no edit" in it); "docs-wide":
the same on a wider grid (drops below up to 0.5, adds above from 0.4). Every choice inside the
training folds; word F1 out of fold, overall, per fold and per true page type.
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import numpy as np

from bench.scoring import word_f1
from deboil.cleaners.html.learned import edit_lines
from tools.html_stage2_cv import print_table, study_inputs
from tools.train_html_blocks import (ADDS, DROPS, RULES_ONLY_TYPES, _bag, _best_pair, _f1, fit_model, inner_scores,
                                     predict)

WIDE_DROPS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5)
WIDE_ADDS = (0.4, 0.5, 0.6, 0.7, 0.8, 1.01)
EDITED = "documentation"


def grid_scores(page, lines, q, held_col, drops, adds) -> dict:
    held = page["X"][:, held_col] > 0.5 if len(q) else []
    truth = _bag(page["truth"])
    return {(d, a): _f1(_bag("\n".join(edit_lines(lines, page["texts"], q, held, d, a))), truth)
            for d in drops for a in adds}


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--out", default=None, help="write per-page F1 (json) here")
    args = ap.parse_args(argv)
    table, recs, keys, names, lines, folds = study_inputs(Path(args.cache))
    held_col = names.index("in_deboil")
    systems = ("rules", "shipped", "docs", "docs-wide")
    texts = {s: {} for s in systems}
    for f in range(5):
        tr = [k for k, g in zip(keys, folds) if g != f]
        pages = [table[k] for k in tr]
        forest = fit_model(pages)
        q_in = inner_scores(pages)
        grid = [grid_scores(p, lines[k], q, held_col, DROPS, ADDS) for p, k, q in zip(pages, tr, q_in)]
        pair = _best_pair(grid)
        dk = [i for i, k in enumerate(tr) if recs[k]["deboil_type"] == EDITED]
        docs_pair = _best_pair([grid[i] for i in dk])
        wide = _best_pair([grid_scores(pages[i], lines[tr[i]], q_in[i], held_col, WIDE_DROPS, WIDE_ADDS) for i in dk])
        print(f"fold {f + 1}: pair {pair}, documentation {docs_pair}, wide {wide} ({len(dk)} training pages)", flush=True)
        for k, g in zip(keys, folds):
            if g != f:
                continue
            p, kind = table[k], recs[k]["deboil_type"]
            q = predict(forest, p)
            held = p["X"][:, held_col] > 0.5 if len(q) else []
            base = (0.0, 1.01) if kind in RULES_ONLY_TYPES else pair
            choice = {"rules": (0.0, 1.01), "shipped": base,
                      "docs": docs_pair if kind == EDITED else base, "docs-wide": wide if kind == EDITED else base}
            for s, (d, a) in choice.items():
                texts[s][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, d, a))
    res = {s: {k: word_f1(texts[s][k], table[k]["truth"]) for k in keys} for s in systems}
    mean = lambda xs: sum(xs) / len(xs)
    print_table("system: ", systems, res, keys, folds, table)
    ks = [k for k in keys if recs[k]["deboil_type"] == EDITED]
    print(f"  detected {EDITED} n={len(ks)} " + " | ".join(f"{mean([res[s][k] for k in ks]):.4f}" for s in systems))
    for f in range(5):
        ks = [k for k, g in zip(keys, folds) if g == f and table[k]["type"] == "documentation"]
        print(f"  documentation fold {f + 1} n={len(ks)} " + " | ".join(f"{mean([res[s][k] for k in ks]):.4f}" for s in systems))
    if args.out:
        Path(args.out).write_text(json.dumps(res))


if __name__ == "__main__":
    main()
