"""Listing, product and collection pages: which reading, and a block model of their own? (CV)

    PYTHONPATH=. python -m tools.html_types_cv [--cache DIR]

Domain-grouped 5-fold CV over wcxb-dev (bench.html_cv's folds, readings and block table).
For pages whose *detected* type is listing, product or collection (`TYPED`), several ways
to read them, each with its parameter chosen per detected type on the training folds'
pages (block scores from inner grouped folds, so that no page is scored by a forest that
saw its domain):
- rules: the rules' reading; shipped: as html_cv's shipped column (one global forest);
- g-edit: the global forest editing the rules' lines, a (drop, add) pair per type;
- t-edit: a forest trained on the training folds' `TYPED` pages only, editing likewise;
- x-edit: as t-edit, the forest also reading `CARD_NAMES` (repeated sibling "cards" with
  prices, ratings, dates, a heading or an image; table rows), computed here for these pages;
- t-sel / x-sel / g-sel: the blocks that forest scores above a threshold, replacing the reading;
- dom, traf_recall, traf: the cached readings;
- chosen: per detected type, the way (and its parameter) that scored best on the training
  folds.
Every other page keeps the shipped text. Prints fold by fold and per true type, and how
well the typed forests select blocks on their own training pages (in-sample), against the
blocks whose shingles are mostly in the truth. docs/html-learned.md item 10.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import re
from collections import defaultdict
from pathlib import Path

import numpy as np

from bench.html_cv import MODEL_READINGS, TYPES, group_folds
from bench.scoring import word_f1
from trafilatura.utils import load_html

from bench.html_cv import dev_pages
from bench.paths import find_shared
from deboil.cleaners.html.blocks import _HEADINGS, _feature_names, walk_blocks
from deboil.cleaners.html.learned import edit_lines
from deboil.cleaners.html.pagetype import TYPES as PAGE_TYPES
from tools.train_html_blocks import (ADDS, DROPS, RULES_ONLY_TYPES, _bag, _best_pair, _f1, fit_model,
                                     inner_scores, predict, table_for)

TYPED = ("listing", "product", "collection")
SELECT = (0.2, 0.3, 0.4, 0.5, 0.6, 0.7)
READINGS = ("dom", "traf_recall", "traf")
WIDE_DROPS, WIDE_ADDS = (0.0, 0.1, 0.2, 0.3, 0.4, 0.5), (0.4, 0.5, 0.6, 0.7, 1.01)

PRICE = re.compile(r"[$€£¥₹]\s?\d|\d[\d.,]*\s?(?:€|\$|£|USD|EUR|GBP|kr|zł|Kč|CHF)\b|\b(?:price|sale|regular)\b", re.I)
RATING = re.compile(r"\b[0-5](?:[.,]\d)?\s*(?:out of|/|von|sur)\s*5\b|\bstars?\b|[★☆]|\bratings?\b|\breviews?\b", re.I)
DATE = re.compile(r"\b(?:19|20)\d\d\b|\b\d{1,2}[/.-]\d{1,2}[/.-]\d{2,4}\b|"
                  r"\b(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec)[a-z]*\.?\s+\d|\b\d+\s+(?:days?|hours?|weeks?|months?)\s+ago\b", re.I)
CARD_NAMES = ["card_found", "card_repeats", "card_up", "card_words", "card_block_share", "card_heading",
              "card_price", "card_rating", "card_date", "card_img", "card_link_share", "card_blocks",
              "has_price", "has_rating", "has_date", "table_rows", "row_cells", "in_card_share_page",
              "card_groups_page", "group_words_share"]


def _sib_key(el):
    return el.tag, el.get("class")


def card_of(owner, body, cache: dict):
    """The block's card: the nearest element (the owner or up to 8 levels above) with 3 or
    more siblings of its tag and class; (card, that count, levels up) or (None, 0, 0)."""
    el, up = owner, 0
    while el is not None and el is not body and up < 8:
        parent = el.getparent()
        if parent is None:
            break
        if parent not in cache:
            counts: dict = {}
            for c in parent:
                if isinstance(c.tag, str):
                    counts[_sib_key(c)] = counts.get(_sib_key(c), 0) + 1
            cache[parent] = counts
        n = cache[parent].get(_sib_key(el), 0)
        if n >= 3:
            return el, n, up
        el, up = parent, up + 1
    return None, 0, 0


def card_features(tree, blocks) -> list[list[float]]:
    """`CARD_NAMES` of each block of `walk_blocks(tree)`."""
    body = tree.find(".//body")
    cache: dict = {}
    cards = [card_of(b.owner, body, cache) for b in blocks]
    total = max(1, sum(b.words for b in blocks))
    groups: dict = {}
    for b, (c, _, _) in zip(blocks, cards):
        if c is None:
            continue
        g = groups.setdefault(id(c), {"words": 0, "links": 0, "n": 0, "head": False, "price": False,
                                      "rating": False, "date": False, "el": c})
        g["words"] += b.words
        g["links"] += b.link_words
        g["n"] += 1
        g["head"] |= b.owner.tag in _HEADINGS
        g["price"] |= bool(PRICE.search(b.text))
        g["rating"] |= bool(RATING.search(b.text))
        g["date"] |= bool(DATE.search(b.text))
    family: dict = {}  # cards of one parent and one tag/class: a grid of items
    for g in groups.values():
        k = (id(g["el"].getparent()), _sib_key(g["el"]))
        family[k] = family.get(k, 0) + g["words"]
    in_card = sum(g["words"] for g in groups.values()) / total
    rows = []
    for b, (c, n, up) in zip(blocks, cards):
        f = [0.0] * 12
        if c is not None:
            g = groups[id(c)]
            f = [1.0, math.log1p(n), float(up), math.log1p(g["words"]), b.words / max(1, g["words"]),
                 float(g["head"]), float(g["price"]), float(g["rating"]), float(g["date"]),
                 float(c.find(".//img") is not None), g["links"] / max(1, g["words"]), math.log1p(g["n"])]
        f += [float(bool(PRICE.search(b.text))), float(bool(RATING.search(b.text))), float(bool(DATE.search(b.text)))]
        tr = b.owner
        while tr is not None and tr.tag not in ("tr", "body"):
            tr = tr.getparent()
        if tr is not None and tr.tag == "tr":
            f += [math.log1p(sum(1 for _ in tr.getparent().iter("tr"))),
                  math.log1p(sum(1 for x in tr if x.tag in ("td", "th")))]
        else:
            f += [0.0, 0.0]
        f += [in_card, math.log1p(len(family)),
              family[(id(c.getparent()), _sib_key(c))] / total if c is not None else 0.0]
        rows.append(f)
    return rows


def with_cards(table: dict, keys: list[str]) -> dict:
    """The block table's pages `keys` with `CARD_NAMES` appended to their features (the
    same walk as the table's, checked block by block)."""
    base, _ = dev_pages(find_shared())
    out = {}
    for k in keys:
        page = table[k]
        if page["X"].ndim < 2:
            out[k] = page
            continue
        html = gzip.decompress((base / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        tree = load_html(html)
        blocks = walk_blocks(tree)
        assert [b.text for b in blocks] == page["texts"], k
        C = np.array(card_features(tree, blocks), dtype=np.float32).reshape(len(blocks), len(CARD_NAMES))
        out[k] = {**page, "X": np.hstack([page["X"], C])}
    return out


def select(texts, q, t):
    return "\n".join(x for x, s in zip(texts, q) if s > t)


def candidates(page, lines, recs_row, q_g, q_t, q_x, held_col, grid=(DROPS, ADDS)):
    """Every candidate text of one page, keyed (way, parameter)."""
    held = page["X"][:, held_col] > 0.5 if len(page["y"]) else []
    out = {("rules", None): "\n".join(lines)}
    for d in DROPS:
        for a in ADDS:
            out[("g-edit", (d, a))] = "\n".join(edit_lines(lines, page["texts"], q_g, held, d, a))
    for d in grid[0]:
        for a in grid[1]:
            out[("t-edit", (d, a))] = "\n".join(edit_lines(lines, page["texts"], q_t, held, d, a))
            out[("x-edit", (d, a))] = "\n".join(edit_lines(lines, page["texts"], q_x, held, d, a))
    for t in SELECT:
        out[("g-sel", t)] = select(page["texts"], q_g, t)
        out[("t-sel", t)] = select(page["texts"], q_t, t)
        out[("x-sel", t)] = select(page["texts"], q_x, t)
    for r in READINGS:
        out[(r, None)] = recs_row[r]
    return out


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--k", type=int, default=5)
    ap.add_argument("--wide-grid", action="store_true",
                    help="typed forests' edits: drop below up to 0.5, add above from 0.4")
    args = ap.parse_args(argv)
    typed_grid = (WIDE_DROPS, WIDE_ADDS) if args.wide_grid else (DROPS, ADDS)
    cache = Path(args.cache)
    recs = {r["id"]: r for r in map(json.loads, (cache / "readings-wcxb.jsonl").open())}
    table, have = table_for(cache, MODEL_READINGS)
    assert have == MODEL_READINGS
    names = _feature_names(MODEL_READINGS, PAGE_TYPES)
    held_col = names.index("in_deboil")
    keys = sorted(table)
    lines = {k: [ln for ln in recs[k]["deboil"].split("\n") if ln.strip()] for k in keys}
    det = {k: recs[k]["deboil_type"] for k in keys}
    folds = group_folds([table[k]["domain"] for k in keys], args.k)
    carded = with_cards(table, [k for k in keys if det[k] in TYPED])
    ways = ("rules", "shipped", "g-edit", "t-edit", "x-edit", "g-sel", "t-sel", "x-sel", *READINGS, "chosen")
    score = defaultdict(dict)  # way -> key -> F1 on the held-out page
    picks = []
    for f in range(args.k):
        train = [k for k, g in zip(keys, folds) if g != f]
        test = [k for k, g in zip(keys, folds) if g == f]
        pages = [table[k] for k in train]
        forest_g = fit_model(pages)
        inner_g = dict(zip(train, inner_scores(pages)))
        # shipped: one pair over all training pages, rules-only types kept
        grid = []
        for k in train:
            p, q = table[k], inner_g[k]
            held = p["X"][:, held_col] > 0.5 if len(q) else []
            tb = _bag(p["truth"])
            grid.append({(d, a): _f1(_bag("\n".join(edit_lines(lines[k], p["texts"], q, held, d, a))), tb)
                         for d in DROPS for a in ADDS})
        pair = _best_pair(grid)
        typed_train = [k for k in train if det[k] in TYPED]
        forest_t = fit_model([table[k] for k in typed_train])
        inner_t = dict(zip(typed_train, inner_scores([table[k] for k in typed_train])))
        forest_x = fit_model([carded[k] for k in typed_train])
        inner_x = dict(zip(typed_train, inner_scores([carded[k] for k in typed_train])))
        # per detected type, every (way, param) scored on the training pages
        totals = {t: defaultdict(float) for t in TYPED}
        for k in typed_train:
            tb = _bag(table[k]["truth"])
            for wp, text in candidates(table[k], lines[k], recs[k], inner_g[k], inner_t[k], inner_x[k],
                                       held_col, typed_grid).items():
                totals[det[k]][wp] += _f1(_bag(text), tb)
        best = {}
        for t in TYPED:
            tot = totals[t]
            by_way = {}
            for (w, prm), v in tot.items():
                if w not in by_way or v > tot[(w, by_way[w])] + 1e-9:
                    by_way[w] = prm
            # "no edit" wins ties in the edit grids
            for w in ("g-edit", "t-edit", "x-edit"):
                if tot[(w, (0.0, 1.01))] >= tot[(w, by_way[w])] - 1e-9:
                    by_way[w] = (0.0, 1.01)
            chosen = max(by_way, key=lambda w: (tot[(w, by_way[w])], w == "rules"))
            best[t] = (by_way, chosen)
        picks.append({t: (best[t][1], best[t][0][best[t][1]], {w: best[t][0][w] for w in best[t][0]}) for t in TYPED})
        for k in test:
            p = table[k]
            q_g = predict(forest_g, p)
            held = p["X"][:, held_col] > 0.5 if len(q_g) else []
            truth = p["truth"]
            kind = det[k]
            sp = (0.0, 1.01) if kind in RULES_ONLY_TYPES else pair
            shipped = "\n".join(edit_lines(lines[k], p["texts"], q_g, held, *sp))
            if kind not in TYPED:
                for w in ways:
                    score[w][k] = word_f1(shipped, truth)
                continue
            q_t, q_x = predict(forest_t, p), predict(forest_x, carded[k])
            cands = candidates(p, lines[k], recs[k], q_g, q_t, q_x, held_col, typed_grid)
            by_way, chosen = best[kind]
            score["shipped"][k] = word_f1(shipped, truth)
            for w, prm in by_way.items():
                score[w][k] = word_f1(cands[(w, prm)], truth)
            score["chosen"][k] = score[chosen][k]
        print(f"fold {f + 1} done: shipped pair {pair}; " + "; ".join(
            f"{t}: {best[t][1]} {best[t][0][best[t][1]]}" for t in TYPED), flush=True)

    def mean(w, ks):
        return np.mean([score[w][k] for k in ks]) if ks else float("nan")

    print("\nout of fold word F1 (" + " | ".join(ways) + ")")
    for f in [*range(args.k), None]:
        ks = [k for k, g in zip(keys, folds) if f is None or g == f]
        print(f"  {'fold %d' % (f + 1) if f is not None else 'all':7} n={len(ks):4} " +
              " | ".join(f"{mean(w, ks):.4f}" for w in ways))
    print("per true type:")
    for t in TYPES:
        ks = [k for k in keys if table[k]["type"] == t]
        print(f"  {t:14} n={len(ks):4} " + " | ".join(f"{mean(w, ks):.4f}" for w in ways))
    print("per detected type (typed ones):")
    for t in TYPED:
        ks = [k for k in keys if det[k] == t]
        print(f"  {t:14} n={len(ks):4} " + " | ".join(f"{mean(w, ks):.4f}" for w in ways))
    print("per fold, true listing/product/collection (shipped -> chosen):")
    for f in range(args.k):
        cells = []
        for t in TYPED:
            ks = [k for k, g in zip(keys, folds) if g == f and table[k]["type"] == t]
            cells.append(f"{t[:4]} {mean('shipped', ks):.3f}->{mean('chosen', ks):.3f}")
        print(f"  fold {f + 1}: " + "  ".join(cells))
    print("choices per fold:")
    for f, pk in enumerate(picks):
        print(f"  fold {f + 1}: " + "; ".join(f"{t} {c} {prm} (all: {ws})" for t, (c, prm, ws) in pk.items()))

    print("in-sample block selection on the typed pages (forest fitted on all of them; "
          "blocks above t | the blocks whose shingles are mostly in the truth):")
    typed = [k for k in keys if det[k] in TYPED]
    for name, pages in (("block features", {k: table[k] for k in typed}), ("+ card features", carded)):
        forest = fit_model([pages[k] for k in typed])
        cells = [f"t={t} {np.mean([word_f1(select(pages[k]['texts'], predict(forest, pages[k]), t), pages[k]['truth']) for k in typed]):.3f}"
                 for t in (0.4, 0.5, 0.6)]
        print(f"  {name}: " + ", ".join(cells))
    print(f"  labels > 0.5: {np.mean([word_f1(select(table[k]['texts'], table[k]['y'], 0.5), table[k]['truth']) for k in typed]):.3f}; "
          f"rules {np.mean([word_f1(recs[k]['deboil'], table[k]['truth']) for k in typed]):.3f}")


if __name__ == "__main__":
    main()
