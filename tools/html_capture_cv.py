"""Capture line scores as block features of the HTML block pass (CV study, issue #15).

    DEBOIL_CAPTURE_CACHE=/work/cache-capture PYTHONPATH=. python -m tools.html_capture_cv \
        --cache DIR --articles DIR/article-blocks-deboil-dom.pkl --out-cache DIR2

The capture line classifier (cleaners/capture/) learns from text captures of the same
wcxb-dev pages and of the 181 article-extraction (news) pages, with line labels from the
truth's shingles: text only, a different view from the block forest's DOM features. Here
each page's visible blocks (`walk_blocks`, in reading order) are fed to it as the lines of
a capture (`prepare`: features of each line on its page), and its stage-1 margin, with the
capture stage-2 context of those margins (`context.NAMES`) and the share of the rules'
reading it would keep, become block columns of the block forest.

No leakage: the capture models are retrained on the HTML CV's folds (html_stage2_cv.
joint_folds: a capture page takes the fold of its HTML page; the capture CV's own folds,
crc32 of the domain, differ). A held-out page of fold f is scored by the stage-1 forest
fitted without fold f; a training page of fold g by the one fitted without f and g (it
never saw the page's domain nor the test fold). The block forests, pairs and thresholds are
then fitted as in html_teaser_cv (forests from wcxb-dev, pairs on inner grouped-fold scores,
the articles' own pair from the training articles of both sets).
Systems: rules; base / cap1 (margin column) / capc (margin, context and the page share) /
cap2 (capc and the stage-2 margin):
the shipped config (one pair, RULES_ONLY_TYPES keep the rules' reading); -typed: a pair per
type on every type; -tna: the same with articles keeping the rules' reading; -art: the shipped
config with articles edited by their own pair; -gate: the same behind html_stage2_cv's page
gate (fitted on the training articles' inner-fold gains of that pair).
`--speed` times the capture columns instead. docs/html-learned.md item 15.
"""
from __future__ import annotations

import argparse
import json
import pickle
import time
from itertools import combinations
from pathlib import Path

import numpy as np

from bench.html_cv import group_folds
from bench.scoring import word_f1
from deboil.cleaners.capture.context import NAMES as CONTEXT_NAMES
from deboil.cleaners.capture.context import context_features
from deboil.cleaners.capture.lines import prepare
from deboil.cleaners.html.learned import NO_EDIT, edit_lines
from tools import train_capture
from tools.html_stage2_cv import (fit_gate, gate_features, grid_of, inner, pairs_from, print_article_f1,
                                  print_table, study_inputs)
from tools.train_html_blocks import INNER_FOLDS, RULES_ONLY_TYPES, fit_model, predict

EDGE = -3.0  # margin given to blocks with no text (capture context's edge value)
CAP_NAMES = ["cap_" + n for n in CONTEXT_NAMES] + ["cap_rules_kept", "cap_stage2"]


def block_lines(texts: list[str]) -> tuple[list[str], np.ndarray]:
    """The blocks as capture lines (one line each), and the block index of each line."""
    lines, idx = [], []
    for i, t in enumerate(texts):
        t = " ".join(t.split())
        if t:
            lines.append(t)
            idx.append(i)
    return lines, np.array(idx, dtype=int)


def block_line_features(table: dict, out_cache: Path) -> dict:
    """Per page key: (capture line features of its blocks, block index of each row)."""
    path = out_cache / "capture-block-features.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    out = {}
    for k, p in table.items():
        lines, idx = block_lines(p["texts"])
        X = prepare(lines)[2] if lines else None
        out[k] = (X if X is not None else np.zeros((0, 1)), idx)
    path.write_bytes(pickle.dumps(out))
    return out


def capture_models(fold_of_page: dict, out_cache: Path, log=print) -> dict:
    """Capture line models (stage 1 and stage 2, train_capture.train) keyed by the frozenset
    of HTML folds left out (each single fold and each pair of folds), fitted on the captures
    (and true bodies) of the other folds."""
    path = out_cache / "capture-models.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    pages = train_capture.load_pages()
    train_capture.featurise(pages)
    extra = train_capture.clean_text_pages(pages)
    train_capture.featurise(extra)
    def html_key(p):
        return ("ae:" if p["set"] == "news" else "") + p["id"]
    missing = [p["key"] for p in pages if html_key(p) not in fold_of_page]
    assert not missing, missing[:5]
    agree = np.mean([train_capture.fold_of(p["group"], 5) == fold_of_page[html_key(p)] for p in pages])
    log(f"capture pages: {len(pages)}; same fold in the capture CV (crc32) and the HTML CV: {agree:.1%}")
    models = {}
    t0 = time.process_time()
    for out in [frozenset([f]) for f in range(5)] + [frozenset(c) for c in combinations(range(5), 2)]:
        tr = [p for p in pages + extra if fold_of_page[html_key(p)] not in out]
        models[out] = train_capture.train(tr, threshold=0.5, log=lambda *_: None)
        log(f"  capture model without folds {sorted(out)}: {len(tr)} pages ({time.process_time() - t0:.0f}s cpu)",
            flush=True)
    path.write_bytes(pickle.dumps(models))
    return models


def capture_columns(feats: tuple, model, n_blocks: int, held: np.ndarray, words: np.ndarray) -> np.ndarray:
    """`CAP_NAMES` per block: stage-1 margin and capture context over the text blocks (EDGE and
    zeros for empty blocks), the share of the rules' words in blocks stage 1 keeps, and the
    stage-2 margin."""
    X, idx = feats
    out = np.zeros((n_blocks, len(CAP_NAMES)), dtype=np.float32)
    out[:, 0] = EDGE
    if len(idx):
        m = model.stage1.margin(X)
        ctx = context_features(m)
        out[idx, :len(CONTEXT_NAMES)] = ctx
        hw = words[idx] * held[idx]
        out[:, len(CONTEXT_NAMES)] = float((hw * (m > 0)).sum() / max(1.0, hw.sum()))
        out[:, -1] = EDGE
        out[idx, -1] = model.stage2.margin(np.hstack([X, ctx]))
    return out


def speed(table: dict, recs: dict, pages: int = 300, rounds: int = 3) -> None:
    """CPU time a page of the capture columns (prepare, then the shipped stage-1 margin and its
    context) on the first `pages` wcxb-dev pages of the types the shipped block pass edits."""
    from deboil.cleaners.capture.lines import MODEL
    keys = [k for k in sorted(table) if not k.startswith("ae:") and recs[k]["deboil_type"] not in RULES_ONLY_TYPES]
    keys = keys[:pages]
    for r in range(rounds):
        t_prep = t_score = 0.0
        for k in keys:
            lines, _ = block_lines(table[k]["texts"])
            t0 = time.process_time()
            X = prepare(lines)[2] if lines else None
            t1 = time.process_time()
            if X is not None:
                context_features(MODEL.stage1.margin(X))
            t_score += time.process_time() - t1
            t_prep += t1 - t0
        print(f"round {r + 1}: {len(keys)} pages, {np.mean([len(table[k]['texts']) for k in keys]):.0f} blocks a page; "
              f"prepare {1000 * t_prep / len(keys):.2f} ms, "
              f"margin and context {1000 * t_score / len(keys):.2f} ms a page")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html-teaser")
    ap.add_argument("--articles", required=True, help="tools.html_article_blocks' table")
    ap.add_argument("--out-cache", required=True, help="where this study caches its capture forests and columns")
    ap.add_argument("--variants", default="base,cap1,capc")
    ap.add_argument("--out", default=None, help="write per-page word F1 (json) here")
    ap.add_argument("--speed", action="store_true", help="only time the capture columns (CPU a page)")
    args = ap.parse_args(argv)
    out_cache = Path(args.out_cache)
    out_cache.mkdir(parents=True, exist_ok=True)
    table, recs, keys, names, lines, folds = study_inputs(Path(args.cache), args.articles)
    if args.speed:
        return speed(table, recs)
    held_col, words_col = names.index("in_deboil"), names.index("log_words")
    fold_of = dict(zip(keys, folds))
    is_ae = {k: k.startswith("ae:") for k in keys}
    t0 = time.process_time()
    feats = block_line_features(table, out_cache)
    print(f"capture features of {len(keys)} pages' blocks ({time.process_time() - t0:.0f}s cpu)", flush=True)
    models = capture_models(fold_of, out_cache)
    variants = args.variants.split(",")
    width = {"base": 0, "cap1": 1, "capc": len(CAP_NAMES) - 1, "cap2": len(CAP_NAMES)}

    def with_cols(k, out: frozenset, v: str) -> dict:
        p = table[k]
        if not width[v] or not len(p["y"]):
            return p
        X = p["X"]
        cols = capture_columns(feats[k], models[out], len(X), X[:, held_col] > 0.5, np.expm1(X[:, words_col]))
        return {**p, "X": np.hstack([X, cols[:, :width[v]]]).astype(np.float32)}

    systems = ["rules"] + [f"{v}{s}" for s in ("", "-typed", "-tna", "-art", "-gate") for v in variants]
    texts = {s: {} for s in systems}
    for f in range(5):
        tr = [k for k in keys if fold_of[k] != f]
        te = [k for k in keys if fold_of[k] == f]
        types = [recs[k]["deboil_type"] for k in tr]
        trl = [lines[k] for k in tr]
        ifolds = group_folds([table[k]["domain"] for k in tr], INNER_FOLDS)
        learn = [not is_ae[k] for k in tr]
        for v in variants:
            pages = [with_cols(k, frozenset([f, fold_of[k]]), v) for k in tr]
            q_in = inner(pages, ifolds, fit_model, predict, learn)
            grid = grid_of(pages, trl, q_in, held_col)
            pair, ship, by_type = pairs_from(grid, types, RULES_ONLY_TYPES, learn)
            forest = fit_model([p for p, ok in zip(pages, learn) if ok])
            apair = by_type.get("article", pair)
            art = [i for i, t in enumerate(types) if t == "article"]
            gate = fit_gate([gate_features(pages[i], trl[i], q_in[i], apair[1], names) for i in art],
                            [grid[i][apair] - grid[i][NO_EDIT] for i in art])
            print(f"fold {f + 1} {v}: pair {pair}, per type {by_type} ({time.process_time() - t0:.0f}s cpu)",
                  flush=True)
            for k in te:
                kind = recs[k]["deboil_type"]
                p = with_cols(k, frozenset([f]), v)
                q = predict(forest, p)
                held = p["X"][:, held_col] > 0.5 if len(p["y"]) else []
                texts["rules"][k] = "\n".join(lines[k])
                gf = np.array([gate_features(p, lines[k], q, apair[1], names)], dtype=float)
                gated = apair if kind == "article" and gate.margin(gf)[0] > 0 else NO_EDIT
                for name, pairs in ((v, ship), (f"{v}-typed", by_type), (f"{v}-tna", {**by_type, "article": NO_EDIT}),
                                    (f"{v}-art", {**ship, "article": apair}),
                                    (f"{v}-gate", {**ship, "article": gated})):
                    d, a = pairs.get(kind, pair)
                    texts[name][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, d, a))
    ae = [k for k in keys if is_ae[k]]
    print_article_f1(systems, texts, table, ae, {k: fold_of[k] for k in ae})
    wk = [k for k in keys if not is_ae[k]]
    res = {s: {k: word_f1(texts[s][k], table[k]["truth"]) for k in wk} for s in systems}
    print_table("wcxb-dev word F1: ", systems, res, wk, np.array([fold_of[k] for k in wk]), table)
    if args.out:
        Path(args.out).write_text(json.dumps({"res": res, "folds": {k: int(fold_of[k]) for k in keys}}))


if __name__ == "__main__":
    main()
