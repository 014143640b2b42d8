"""Experiments on the block model (issue #15, docs/html-learned.md 8-9), not shipped.

    PYTHONPATH=. python -m tools.html_stage2_cv [--cache DIR] [--articles TABLE]

Domain-grouped 5-fold CV over wcxb-dev's cached block table (bench.html_cv's folds),
everything fitted in the training folds. Stage 1 is the shipped block forest; stage 2 sees
each block's features plus its context among stage-1 scores (`context_features`), trained
on stage-1 scores from inner grouped folds, its thresholds chosen on its own inner-fold
scores. Systems: the rules; stage 1 / 2 as shipped (one pair, RULES_ONLY_TYPES keep the
rules' reading); "art": the same with articles edited by their own pair; "gate": articles
edited only where a page forest (`gate_features`, trained on the inner-fold gains of the
training articles) says the adds pay; "typed": a pair per type on every type.
`--articles` (a table from tools.html_article_blocks) adds the article-extraction pages to
training and CV (each with its domain's wcxb-dev fold, else grouped folds of their own) and
prints their shingle F1 out of fold.
"""
from __future__ import annotations

import argparse
import json
import pickle
import time
from pathlib import Path

import numpy as np

from bench.html_cv import TYPES, group_folds
from bench.scoring import corpus_f1, word_f1
from deboil.cleaners.html.blocks import _feature_names
from deboil.cleaners.html.learned import NO_EDIT, edit_lines
from deboil.cleaners.html.pagetype import TYPES as PAGE_TYPES
from tools.train_html_blocks import (ADDS, DROPS, INNER_FOLDS, MIN_TYPE_PAGES, RULES_ONLY_TYPES, _bag, _best_pair,
                                     _f1, fit_model, predict, table_for)


# Context of a block's stage-1 score among its neighbours: its own score, its neighbours',
# window means, the mean over its run of like blocks (same depth and tag: a list's siblings),
# how much of its window the rules' reading holds, the page's mean score and share kept.
CONTEXT_NAMES = ["s1", "s1_prev", "s1_next", "s1_prev2", "s1_next2", "s1_win2", "s1_win5", "s1_win2_max",
                 "s1_minus_win5", "s1_run", "run_log", "held_win3", "s1_page", "s1_page_kept"]


def _window_mean(v: np.ndarray, w: np.ndarray, r: int) -> np.ndarray:
    """Weighted mean of v over the r blocks either side (the block itself left out)."""
    n = len(v)
    cv, cw = np.concatenate([[0.0], np.cumsum(v * w)]), np.concatenate([[0.0], np.cumsum(w)])
    lo, hi = np.maximum(np.arange(n) - r, 0), np.minimum(np.arange(n) + r + 1, n)
    s, ws = cv[hi] - cv[lo] - v * w, cw[hi] - cw[lo] - w
    return np.where(ws > 0, s / np.maximum(ws, 1e-9), 0.0)


def _shift(v: np.ndarray, k: int) -> np.ndarray:
    """v moved k places (positive: the previous blocks' values), 0 past the ends."""
    out = np.zeros_like(v)
    if k > 0:
        out[k:] = v[:-k]
    elif k < 0:
        out[:k] = v[-k:]
    return out


def context_features(X: np.ndarray, q: np.ndarray, held_col: int, words_col: int, depth_col: int,
                     tag_cols: list[int]) -> np.ndarray:
    """One row of `CONTEXT_NAMES` per block, from the block features X and stage-1 scores q."""
    n = len(q)
    q = q.astype(float)
    w = np.sqrt(np.maximum(np.expm1(X[:, words_col]), 1.0))
    held = (X[:, held_col] > 0.5).astype(float)
    ones = np.ones(n)
    win2, win5 = _window_mean(q, w, 2), _window_mean(q, w, 5)
    win2_max = np.maximum.reduce([_shift(q, k) for k in (-2, -1, 1, 2)]) if n else q
    # runs of like blocks: same depth and same own tag as the block before
    kind = X[:, depth_col] * 64 + np.argmax(X[:, tag_cols], axis=1) + X[:, tag_cols].max(axis=1) * 32
    new_run = np.ones(n, dtype=bool)
    new_run[1:] = kind[1:] != kind[:-1]
    run = np.cumsum(new_run) - 1
    run_sum = np.bincount(run, weights=q * w)
    run_w = np.bincount(run, weights=w)
    run_len = np.bincount(run)
    page = float((q * w).sum() / w.sum())
    kept = float(w[q > 0.5].sum() / w.sum())
    return np.column_stack([q, _shift(q, 1), _shift(q, -1), _shift(q, 2), _shift(q, -2), win2, win5, win2_max,
                            q - win5, (run_sum / run_w)[run], np.log1p(run_len[run]),
                            _window_mean(held, ones, 3), np.full(n, page), np.full(n, kept)])


def with_context(page: dict, q: np.ndarray, held_col: int, words_col: int, depth_col: int, tag_cols) -> dict:
    if not len(q):
        return page
    C = context_features(page["X"], q, held_col, words_col, depth_col, tag_cols)
    return {**page, "X": np.hstack([page["X"], C]).astype(np.float32)}


def inner(pages, folds_of, fit, score, learn=None):
    """Each page scored by a model fitted on the other inner folds' pages (those in `learn`)."""
    out = [None] * len(pages)
    learn = learn if learn is not None else [True] * len(pages)
    for f in range(INNER_FOLDS):
        model = fit([p for p, g, ok in zip(pages, folds_of, learn) if g != f and ok])
        for i in np.flatnonzero(folds_of == f):
            out[i] = score(model, pages[i])
    return out


def grid_of(pages, lines, scores, held_col):
    grid = []
    for p, ls, q in zip(pages, lines, scores):
        held = p["X"][:, held_col] > 0.5 if len(q) else []
        truth = _bag(p["truth"])
        grid.append({(d, a): _f1(_bag("\n".join(edit_lines(ls, p["texts"], q, held, d, a))), truth)
                     for d in DROPS for a in ADDS})
    return grid


def pairs_from(grid, types, rules_only, learn):
    """The pair for all pages and per type from the pages in `learn`; the articles' from all."""
    pair = _best_pair([g for g, ok in zip(grid, learn) if ok])
    by_type = {}
    for t in sorted(set(types)):
        rows = [g for g, ty, ok in zip(grid, types, learn) if ty == t and (ok or t == "article")]
        if len(rows) >= MIN_TYPE_PAGES:
            by_type[t] = _best_pair(rows)
    shipped = {t: NO_EDIT for t in rules_only}
    return pair, shipped, by_type


def gate_features(page: dict, lines: list[str], q: np.ndarray, t_add: float, names: list[str]) -> list[float]:
    """Page-level: is the rules' reading cut short (adds worth taking) or a news page whose
    extra blocks are teasers and navigation?"""
    X = page["X"]
    if not len(q):
        return [0.0] * 14
    col = names.index
    words = np.expm1(X[:, col("log_words")])
    held = X[:, col("in_deboil")] > 0.5
    cand = (~held) & (q > t_add)
    rules_words = sum(len(ln.split()) for ln in lines)
    dom_words = words[X[:, col("in_dom")] > 0.5].sum()
    cw = words[cand].sum()
    held_idx = np.flatnonzero(held)
    last_held = held_idx[-1] if len(held_idx) else -1
    first_held = held_idx[0] if len(held_idx) else len(q)
    after = cand & (np.arange(len(q)) > last_held)
    inside = cand & (np.arange(len(q)) > first_held) & (np.arange(len(q)) < last_held)
    def share(mask, c):
        return float((words[mask] * X[mask, col(c)]).sum() / max(1.0, words[mask].sum()))
    return [np.log1p(rules_words), np.log1p(dom_words), rules_words / max(1.0, dom_words), np.log1p(cw),
            cw / max(1.0, rules_words), float(cand.sum()), cw / max(1, cand.sum()),
            words[after].sum() / max(1.0, cw), words[inside].sum() / max(1.0, cw),
            share(cand, "link_share"), share(cand, "sent_end"), share(cand, "own_li"), share(cand, "punct_per_word"),
            float(q[cand].mean()) if cand.any() else 0.0]


def fit_gate(feats, gains):
    """A page forest: take the adds where they gained on training pages (weighted by the gain)."""
    from tools.numpy_gbdt import fit_forest
    X = np.array(feats, dtype=float)
    g = np.array(gains)
    y = (g > 0).astype(float)
    w = np.abs(g) + 1e-4
    return fit_forest(X, y, w, trees=60, depth=3, rate=0.1, bins=16, seed=0)


def joint_folds(table: dict, keys: list[str]) -> np.ndarray:
    """wcxb-dev's folds as bench.html_cv's; an article-extraction page ("ae:" key) goes with
    its domain's wcxb-dev fold, else to folds of its own (grouped by domain)."""
    wk = [k for k in keys if not k.startswith("ae:")]
    fold_of = dict(zip(wk, group_folds([table[k]["domain"] for k in wk], 5)))
    dom_fold = {table[k]["domain"]: g for k, g in fold_of.items()}
    ak = [k for k in keys if k.startswith("ae:") and table[k]["domain"] not in dom_fold]
    fold_of.update(zip(ak, group_folds([table[k]["domain"] for k in ak], 5)))
    fold_of.update({k: dom_fold[table[k]["domain"]] for k in keys if k not in fold_of})
    return np.array([fold_of[k] for k in keys])


def load_tables(cache: Path, articles: str | None = None):
    """The cached block table (deboil's and the DOM pass's readings), the rules' reading and
    detected type of each page, and with `articles` the article-extraction table keyed "ae:ID"."""
    table, have = table_for(cache, ("deboil", "dom"))
    recs = {}
    for line in (cache / "readings-wcxb.jsonl").open():
        r = json.loads(line)
        recs[r["id"]] = {"deboil": r["deboil"], "deboil_type": r["deboil_type"]}
    if articles:
        for k, p in pickle.loads(Path(articles).read_bytes()).items():
            table["ae:" + k] = p
            recs["ae:" + k] = {"deboil": p["deboil"], "deboil_type": p["deboil_type"]}
    return table, have, recs


def kept_lines(recs: dict, keys) -> dict:
    """Each page's non-blank lines of the rules' reading."""
    return {k: [ln for ln in recs[k]["deboil"].split("\n") if ln.strip()] for k in keys}


def study_inputs(cache: Path, articles: str | None = None):
    """What the block studies start from: the tables and readings (load_tables), the page
    keys in order, the block columns' names, each page's kept lines and the joint folds."""
    table, have, recs = load_tables(cache, articles)
    assert have == ("deboil", "dom"), have
    keys = sorted(table)
    return table, recs, keys, _feature_names(have, PAGE_TYPES), kept_lines(recs, keys), joint_folds(table, keys)


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--out", default=None, help="write per-page figures (json) here")
    ap.add_argument("--forest-wcxb-only", action="store_true",
                    help="with --articles: the block forests and the pairs of other types learn from wcxb-dev "
                         "alone; the article-extraction pages only help choose the articles' pair and gate")
    ap.add_argument("--stage1-only", action="store_true", help="skip stage 2 (its columns repeat stage 1's)")
    ap.add_argument("--articles", default=None,
                    help="also train and CV on this article-extraction block table (tools.html_article_blocks)")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    table, recs, keys, names, lines, folds = study_inputs(cache, args.articles)
    held_col, words_col, depth_col = names.index("in_deboil"), names.index("log_words"), names.index("depth")
    tag_cols = [names.index(n) for n in names if n.startswith("own_")]
    ctx = dict(held_col=held_col, words_col=words_col, depth_col=depth_col, tag_cols=tag_cols)
    systems = ("rules", "s1_ship", "s2_ship", "s1_art", "s2_art", "s1_gate", "s2_gate", "s1_typed", "s2_typed")
    res = {s: {} for s in systems}
    t0 = time.process_time()
    for f in range(5):
        tr = [k for k, g in zip(keys, folds) if g != f]
        te = [k for k, g in zip(keys, folds) if g == f]
        pages = [table[k] for k in tr]
        types = [recs[k]["deboil_type"] for k in tr]
        trl = [lines[k] for k in tr]
        ifolds = group_folds([p["domain"] for p in pages], INNER_FOLDS)
        learn = [not k.startswith("ae:") or not args.forest_wcxb_only for k in tr]
        f1 = fit_model([p for p, ok in zip(pages, learn) if ok])
        q1_in = inner(pages, ifolds, fit_model, predict, learn)
        pages2 = [with_context(p, q, **ctx) for p, q in zip(pages, q1_in)]
        if args.stage1_only:
            f2, q2_in = None, q1_in
        else:
            f2 = fit_model([p for p, ok in zip(pages2, learn) if ok])
            q2_in = inner(pages2, ifolds, fit_model, predict, learn)
        g1 = grid_of(pages, trl, q1_in, held_col)
        g2 = g1 if args.stage1_only else grid_of(pages2, trl, q2_in, held_col)
        p1, ship1, typed1 = pairs_from(g1, types, RULES_ONLY_TYPES, learn)
        p2, ship2, typed2 = pairs_from(g2, types, RULES_ONLY_TYPES, learn)
        gates = []
        for gq, qin, pp, tp in ((g1, q1_in, typed1, p1), (g2, q2_in, typed2, p2)):
            pair = pp.get("article", tp)
            idx = [i for i, t in enumerate(types) if t == "article"]
            feats = [gate_features(pages[i], trl[i], qin[i], pair[1], names) for i in idx]
            gains = [gq[i][pair] - gq[i][NO_EDIT] for i in idx]
            gates.append((fit_gate(feats, gains), pair))
        print(f"fold {f + 1}: s1 pair {p1} typed {typed1}\n        s2 pair {p2} typed {typed2}  "
              f"({time.process_time() - t0:.0f}s cpu)", flush=True)
        for k in te:
            p = table[k]
            kind = recs[k]["deboil_type"]
            q1 = predict(f1, p)
            p2page = with_context(p, q1, **ctx)
            q2 = q1 if f2 is None else predict(f2, p2page)
            held = p["X"][:, held_col] > 0.5 if len(q1) else []
            truth = p["truth"]
            def gated(gate, q):
                forest, pair = gate
                if kind != "article":
                    return ship1
                gf = np.array([gate_features(p, lines[k], q, pair[1], names)], dtype=float)
                return {**ship1, "article": pair if forest.margin(gf)[0] > 0 else NO_EDIT}
            art1 = {**ship1, "article": typed1.get("article", p1)}
            art2 = {**ship2, "article": typed2.get("article", p2)}
            res["rules"][k] = "\n".join(lines[k])
            for name, q, pairs in (("s1_ship", q1, {**ship1}), ("s2_ship", q2, {**ship2}),
                                   ("s1_art", q1, art1), ("s2_art", q2, art2),
                                   ("s1_gate", q1, gated(gates[0], q1)), ("s2_gate", q2, gated(gates[1], q2)),
                                   ("s1_typed", q1, typed1), ("s2_typed", q2, typed2)):
                default = p1 if name.startswith("s1") else p2
                d, a = pairs.get(kind, default)
                res[name][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, d, a))
    texts = res
    res = {s: {k: word_f1(texts[s][k], table[k]["truth"]) for k in keys} for s in systems}
    ae = [k for k in keys if k.startswith("ae:")]
    if ae:
        print_article_f1(systems, texts, table, ae, {k: folds[keys.index(k)] for k in ae})
    keys = [k for k in keys if not k.startswith("ae:")]
    folds = np.array([folds[i] for i, k in enumerate(sorted(table)) if not k.startswith("ae:")])
    print_table("system: ", systems, res, keys, folds, table)
    if args.out:
        Path(args.out).write_text(json.dumps({"folds": {k: int(g) for k, g in zip(keys, folds)},
                                              "types": {k: table[k]["type"] for k in keys}, "res": res}))



def print_article_f1(systems, texts: dict, table: dict, ae: list[str], fold_of: dict) -> None:
    """Out-of-fold shingle F1 (P/R) of each system's texts on the article-extraction pages,
    overall and per fold."""
    print("article-extraction out of fold, shingle F1 (P/R): " + " | ".join(systems))
    print("  all     " + " | ".join(
        "{f1:.4f} ({precision:.3f}/{recall:.3f})".format(**corpus_f1((texts[s][k], table[k]["truth"]) for k in ae))
        for s in systems))
    for f in range(5):
        kf = [k for k in ae if fold_of[k] == f]
        print(f"  fold {f + 1} n={len(kf)}: " + " | ".join(
            f"{corpus_f1((texts[s][k], table[k]['truth']) for k in kf)['f1']:.4f}" for s in systems))


def print_table(head: str, systems: list[str], res: dict, keys: list[str], folds, table: dict) -> None:
    """Mean word F1 of each system (res[system][key]) overall, per fold and per page type."""
    mean = lambda xs: sum(xs) / len(xs)
    print(head + " | ".join(systems))
    for f in [*range(5), None]:
        ks = [k for k, g in zip(keys, folds) if f is None or g == f]
        print(f"  {'all' if f is None else f'fold {f + 1}':7} n={len(ks):4} " +
              " | ".join(f"{mean([res[s][k] for k in ks]):.4f}" for s in systems))
    for t in TYPES:
        ks = [k for k in keys if table[k]["type"] == t]
        print(f"  {t:14} n={len(ks):4} " + " | ".join(f"{mean([res[s][k] for k in ks]):.4f}" for s in systems))

if __name__ == "__main__":
    main()
