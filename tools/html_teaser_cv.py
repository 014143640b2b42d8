"""Article adds that keep teaser lists out: block features and an article add model (CV).

    PYTHONPATH=. python -m tools.html_teaser_cv --cache DIR --articles DIR/article-blocks-deboil-dom.pkl

Learned adds raise wcxb-dev's articles (trafilatura stopped part-way through, the DOM pass
holds the rest) but bring teaser and related-story lists back on news pages
(docs/html-learned.md 5, 9). Here each block also gets `TEASER_NAMES`: where it sits
against the rules' reading in the tree (levels up to the nearest element holding read
text, that element's read share, the read share of its own parent's blocks and of its
sibling "cards"' family), in reading order (blocks and words to the nearest read block,
after the last / before the first), and the card features of tools.html_types_cv
(repeated siblings with a heading, image, date, links). Domain-grouped 5-fold CV over
wcxb-dev and the article-extraction pages (html_stage2_cv.joint_folds); every forest,
pair and gate fitted in the training folds, pairs on inner grouped-fold scores. Every
system edits only the pages detected as articles; the others keep the shipped config
(wcxb-dev forest, base features). Article systems:
- base-w / base-b: the base forest from wcxb-dev alone / both sets, the articles' own pair;
- teas-w / teas-b: the same forest with the teaser columns;
- amod: a forest of the teaser columns learned on the detected articles of both sets alone,
  its pair chosen likewise; amod-g: amod behind html_stage2_cv's page gate.
With teas-w also t-ship / t-typed: articles as amod-g, the other edited types by the teaser
forest (wcxb-dev) with one pair / a pair per type. docs/html-learned.md item 14.
Prints wcxb-dev word F1 (all, per fold, per type) and article-extraction shingle F1 per fold.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import time
from pathlib import Path

import numpy as np
from trafilatura.utils import load_html

from bench.html_cv import dev_pages
from bench.paths import find_shared
from bench.scoring import word_f1
from deboil.cleaners.html.blocks import walk_blocks
from deboil.cleaners.html.learned import NO_EDIT, edit_lines
from tools.html_stage2_cv import (fit_gate, gate_features, grid_of, inner, pairs_from, print_article_f1, print_table,
                                  study_inputs)
from tools.html_types_cv import CARD_NAMES, _sib_key, card_features, card_of
from tools.train_html_blocks import INNER_FOLDS, RULES_ONLY_TYPES, _best_pair, fit_model, predict
from bench.html_cv import group_folds

POSITION_NAMES = ["up_to_read", "read_share_up", "parent_read_share", "family_read_share", "gap_blocks",
                  "gap_words", "after_last", "before_first", "words_after_last", "words_before_first"]
TEASER_NAMES = POSITION_NAMES + CARD_NAMES


def position_features(tree, blocks, held: np.ndarray) -> list[list[float]]:
    """`POSITION_NAMES` of each block of `walk_blocks(tree)`, `held`: the rules read it."""
    n = len(blocks)
    words = np.array([b.words for b in blocks], dtype=float)
    total = max(1.0, words.sum())
    read_words: dict = {}
    all_words: dict = {}
    for b, h in zip(blocks, held):
        el = b.owner
        while el is not None:
            all_words[el] = all_words.get(el, 0) + b.words
            if h:
                read_words[el] = read_words.get(el, 0) + b.words
            el = el.getparent()
    idx = np.flatnonzero(held)
    first, last = (idx[0], idx[-1]) if len(idx) else (n, -1)
    cum = np.concatenate([[0.0], np.cumsum(words)])
    body = tree.find(".//body")
    cards: dict = {}
    family_read: dict = {}
    fam_of = []
    for b, h in zip(blocks, held):
        c, _, _ = card_of(b.owner, body, cards)
        k = (id(c.getparent()), _sib_key(c)) if c is not None else None
        fam_of.append(k)
        if k is not None:
            r, a = family_read.get(k, (0, 0))
            family_read[k] = (r + b.words * h, a + b.words)
    rows = []
    for i, (b, h) in enumerate(zip(blocks, held)):
        el, up, other = b.owner, 0, 0
        while el is not None:
            other = read_words.get(el, 0) - (b.words if h else 0)
            if other > 0:
                break
            el, up = el.getparent(), up + 1
        share_up = other / max(1, all_words.get(el, 1) - b.words) if el is not None else 0.0
        parent = b.owner.getparent()
        p_read = (read_words.get(parent, 0) / max(1, all_words.get(parent, 1))) if parent is not None else 0.0
        k = fam_of[i]
        fam = family_read[k][0] / max(1, family_read[k][1]) if k is not None else -1.0
        before = idx[idx < i]
        after = idx[idx > i]
        gaps = ([i - before[-1]] if len(before) else []) + ([after[0] - i] if len(after) else [])
        gap = min(gaps) if gaps else n
        j = before[-1] if len(before) else (after[0] if len(after) else i)
        gap_words = abs(cum[i] - cum[j + 1]) if j < i else abs(cum[j] - cum[i + 1])
        rows.append([float(min(up, 30) if other > 0 else 31), share_up, p_read, fam, math.log1p(gap),
                     gap_words / total, float(i > last), float(i < first),
                     (cum[i] - cum[last + 1]) / total if i > last >= 0 else 0.0,
                     (cum[first] - cum[i + 1]) / total if i < first < n else 0.0])
    return rows


def teaser_columns(table: dict, cache: Path, held_col: int) -> dict:
    """Per page key: its blocks' `TEASER_NAMES` (cached in `cache`)."""
    path = cache / "teaser-columns.pkl"
    if path.exists():
        return pickle.loads(path.read_bytes())
    shared = find_shared()
    wbase, _ = dev_pages(shared)
    abase = shared / "bench" / "article-extraction" / "html"
    out = {}
    for k, page in table.items():
        if page["X"].ndim < 2 or not len(page["y"]):
            out[k] = np.zeros((0, len(TEASER_NAMES)), dtype=np.float32)
            continue
        f = abase / f"{k[3:]}.html.gz" if k.startswith("ae:") else wbase / "html" / f"{k}.html.gz"
        tree = load_html(gzip.decompress(f.read_bytes()).decode("utf-8", "replace"))
        blocks = walk_blocks(tree)
        assert [b.text for b in blocks] == page["texts"], k
        held = page["X"][:, held_col] > 0.5
        rows = [p + c for p, c in zip(position_features(tree, blocks, held), card_features(tree, blocks))]
        out[k] = np.array(rows, dtype=np.float32).reshape(len(blocks), len(TEASER_NAMES))
    path.write_bytes(pickle.dumps(out))
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html-teaser")
    ap.add_argument("--articles", required=True, help="tools.html_article_blocks' table")
    ap.add_argument("--out", default=None, help="write per-page texts' scores (json) here")
    ap.add_argument("--forests", default="base-w,base-b,teas-w,teas-b",
                    help="article systems to fit besides amod (base-w is the shipped config's forest; "
                         "teas-w also gives t-ship and t-typed)")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    table, recs, keys, names, lines, folds = study_inputs(cache, args.articles)
    held_col = names.index("in_deboil")
    cols = teaser_columns(table, cache, held_col)
    teas = {k: ({**p, "X": np.hstack([p["X"], cols[k]])} if len(p["y"]) else p) for k, p in table.items()}
    is_ae = {k: k.startswith("ae:") for k in keys}
    forests = args.forests.split(",")
    assert "base-w" in forests, "the shipped config (the other types' text) needs base-w"
    systems = ("rules", "shipped", *forests, "amod", "amod-g") + (("t-ship", "t-typed") if "teas-w" in forests else ())
    texts = {s: {} for s in systems}
    chosen = []
    t0 = time.process_time()
    for f in range(5):
        tr = [k for k, g in zip(keys, folds) if g != f]
        te = [k for k, g in zip(keys, folds) if g == f]
        types = [recs[k]["deboil_type"] for k in tr]
        trl = [lines[k] for k in tr]
        ifolds = group_folds([table[k]["domain"] for k in tr], INNER_FOLDS)
        wcxb = [not is_ae[k] for k in tr]
        both = [True] * len(tr)
        fitted = {}
        for name, tab, learn in (("base-w", table, wcxb), ("base-b", table, both),
                                 ("teas-w", teas, wcxb), ("teas-b", teas, both)):
            if name not in forests:
                continue
            pages = [tab[k] for k in tr]
            q_in = inner(pages, ifolds, fit_model, predict, learn)
            grid = grid_of(pages, trl, q_in, held_col)
            pair, _, by_type = pairs_from(grid, types, RULES_ONLY_TYPES, learn)
            forest = fit_model([p for p, ok in zip(pages, learn) if ok])
            fitted[name] = (forest, by_type.get("article", pair), pair, by_type)
        # the article model: teaser forest on the detected articles of both sets only
        art = [i for i, t in enumerate(types) if t == "article"]
        apages = [teas[tr[i]] for i in art]
        aifolds = group_folds([p["domain"] for p in apages], INNER_FOLDS)
        q_in = inner(apages, aifolds, fit_model, predict)
        agrid = grid_of(apages, [trl[i] for i in art], q_in, held_col)
        apair = _best_pair(agrid)
        feats = [gate_features(p, trl[i], q, apair[1], names) for p, i, q in zip(apages, art, q_in)]
        gate = fit_gate(feats, [g[apair] - g[NO_EDIT] for g in agrid])
        fitted["amod"] = (fit_model(apages), apair, None, None)
        chosen.append({n: v[1] for n, v in fitted.items()})
        print(f"fold {f + 1}: article pairs {chosen[-1]}; pairs of the other types "
              f"{ {n: (v[2], v[3]) for n, v in fitted.items() if v[3]} }  "
              f"({time.process_time() - t0:.0f}s cpu)", flush=True)
        for k in te:
            kind = recs[k]["deboil_type"]
            p = table[k]
            held = p["X"][:, held_col] > 0.5 if len(p["y"]) else []
            texts["rules"][k] = "\n".join(lines[k])
            forest, _, pair, _ = fitted["base-w"]
            q = predict(forest, p)
            ship = NO_EDIT if kind in RULES_ONLY_TYPES else pair
            texts["shipped"][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, *ship))
            for name in systems[2:]:
                if name in ("t-ship", "t-typed"):
                    continue
                if kind != "article":
                    texts[name][k] = texts["shipped"][k]
                    continue
                forest, apair_, _, _ = fitted[name if name != "amod-g" else "amod"]
                q = predict(forest, teas[k] if name.startswith(("teas", "amod")) else p)
                if name == "amod-g":
                    gf = np.array([gate_features(p, lines[k], q, apair_[1], names)], dtype=float)
                    apair_ = apair_ if gate.margin(gf)[0] > 0 else NO_EDIT
                texts[name][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, *apair_))
            if "t-ship" in systems:  # the teaser forest edits the other types too; articles as amod-g
                forest, _, pair, by_type = fitted["teas-w"]
                q = predict(forest, teas[k])
                for name, pairs in (("t-ship", {}), ("t-typed", by_type)):
                    if kind == "article":
                        texts[name][k] = texts["amod-g"][k]
                        continue
                    d, a = NO_EDIT if name == "t-ship" and kind in RULES_ONLY_TYPES else pairs.get(kind, pair)
                    texts[name][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, d, a))
    ae = [k for k in keys if is_ae[k]]
    print_article_f1(systems, texts, table, ae, {k: folds[keys.index(k)] for k in ae})
    wk = [k for k in keys if not is_ae[k]]
    res = {s: {k: word_f1(texts[s][k], table[k]["truth"]) for k in wk} for s in systems}
    print_table("wcxb-dev word F1: ", systems, res, wk, np.array([folds[keys.index(k)] for k in wk]), table)
    if args.out:
        Path(args.out).write_text(json.dumps({"chosen": [{n: list(v) for n, v in c.items()} for c in chosen],
                                              "res": res, "folds": {k: int(folds[keys.index(k)]) for k in keys}}))


if __name__ == "__main__":
    main()
