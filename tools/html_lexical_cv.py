"""A learned lexical score per block as block-forest features (issue #15, docs/html-learned.md 13).

    PYTHONPATH=. python -m tools.html_lexical_cv [--cache DIR] [--tokens FILE] [--columns FILE]

The block forest reads class/id words only through hand groups (blocks.NAME_GROUPS) and no
block text. Here each block also gets tokens (`block_tokens`): the raw class/id words of
its owner and ancestors (by depth bucket, and "any ancestor"), its tag path, and its text's
lower-cased words and bigrams and the heading above it. A logistic regression on those
tokens (L2, soft label, blocks weighted as the forest weights them) learns the block label;
its logit is one more column of the block forest, one model on the names tokens and one on
the text tokens. Domain-grouped 5-fold CV as bench.html_cv's: in each outer fold the
regressions are fitted on the training pages only, the training pages' own columns come
from inner grouped folds (a regression that did not see their domain), the held-out pages'
from one fitted on all training pages; then the forest and its edit pairs are fitted as
`train_html_blocks.fit_edits` does. The shipped model (no lexical columns) is fitted in the
same run on the same folds. The tokens (`--tokens`, ~320 MB) and every fold's columns
(`--columns`; `--columns-only` stops there: they need no reading) are cached outside the
repository. `LexicalScorer` computes the same logits without token strings, as a shipped
pass would (its cost a page is in the docs item). Not shipped: +0.0008 out of fold.
"""
from __future__ import annotations

import argparse
import gzip
import json
import math
import pickle
import re
import time
from pathlib import Path

import numpy as np
from trafilatura.utils import load_html

from bench.html_cv import dev_pages, group_folds
from bench.paths import find_shared
from bench.scoring import word_f1
from deboil.cleaners.html.blocks import _feature_names, _names_of, walk_blocks
from deboil.cleaners.html.learned import edit_lines
from deboil.cleaners.html.pagetype import TYPES as PAGE_TYPES
from tools.html_stage2_cv import kept_lines, load_tables, print_table
from tools.train_html_blocks import fit_edits, model_thresholds, predict

_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_TOKEN = re.compile(r"\w+")
_DIGITS = re.compile(r"\d")
NAME_DEPTHS = 3  # class/id words at depth 0, 1, 2 and "3 or more" from the owner
TEXT_WORDS = 64  # words of a block's text read (its start); bigrams among them


def _words(el, cache: dict) -> frozenset:
    """The element's class/id words (pure numbers left out: ids, not words)."""
    got = cache.get(el)
    if got is None:
        got = cache[el] = frozenset(w for w in _names_of(el) if not w.isdigit())
    return got


def _up_words(el, cache: dict, up: dict) -> frozenset:
    """The class/id words of el and all its ancestors (memoised down the tree)."""
    if el is None:
        return frozenset()
    got = up.get(el)
    if got is None:
        got = up[el] = _words(el, cache) | _up_words(el.getparent(), cache, up)
    return got


def _owner_tokens(el, cache: dict) -> list[str]:
    got = cache["owner"].get(el)
    if got is not None:
        return got
    words, up = cache["words"], cache["up"]
    chain = [el]
    while len(chain) < NAME_DEPTHS and chain[-1] is not None:
        chain.append(chain[-1].getparent())
    toks = set()
    tags = []
    for d, node in enumerate(chain):
        if node is None:
            break
        toks.update(f"c{d}:{w}" for w in _words(node, words))
        if isinstance(node.tag, str):
            tags.append(node.tag)
    far = chain[-1].getparent() if chain[-1] is not None else None
    toks.update(f"c{NAME_DEPTHS}:{w}" for w in _up_words(far, words, up))
    toks.update(f"a:{w}" for w in _up_words(el, words, up))
    for k in range(1, len(tags) + 1):
        toks.add(f"t{k}:" + ">".join(tags[:k]))
    got = cache["owner"][el] = sorted(toks)
    return got


def _text_tokens(text: str, heading: list[str]) -> list[str]:
    words = _TOKEN.findall(_DIGITS.sub("0", text.lower()))[:TEXT_WORDS]
    toks = {f"w:{w}" for w in words}
    toks.update(f"b:{a} {b}" for a, b in zip(words, words[1:]))
    toks.update(f"h:{w}" for w in heading)
    if words:
        toks.add(f"f:{words[0]}")
    return sorted(toks)


def block_tokens(blocks) -> tuple[list[list[str]], list[list[str]]]:
    """Per block: its names tokens (class/id words by depth, tag path) and text tokens."""
    cache: dict = {"owner": {}, "words": {}, "up": {}}
    names, texts = [], []
    heading: list[str] = []
    for b in blocks:
        names.append(_owner_tokens(b.owner, cache))
        texts.append(_text_tokens(b.text, heading))
        if b.owner.tag in _HEADINGS:
            heading = _TOKEN.findall(_DIGITS.sub("0", b.text.lower()))[:8]
    return names, texts


def token_table(keys: list[str], out: Path) -> dict:
    """Per page, per group: (indptr, token ids) over a vocabulary of all pages' tokens, and
    the page's block texts (to check them against the block table's)."""
    if out.exists():
        return pickle.loads(out.read_bytes())
    base, _ = dev_pages(find_shared())
    vocab: dict[str, int] = {}
    pages = {}
    t0 = time.process_time()
    for n, key in enumerate(keys):
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
        tree = load_html(html)
        blocks = walk_blocks(tree) if tree is not None else []
        rec = {"texts": [b.text for b in blocks]}
        for group, rows in zip(("names", "text"), block_tokens(blocks)):
            ids = [vocab.setdefault(t, len(vocab)) for row in rows for t in row]
            rec[group] = (np.cumsum([0] + [len(r) for r in rows]).astype(np.int64), np.array(ids, dtype=np.int64))
        pages[key] = rec
        if n % 200 == 0:
            print(f"  tokens: {n} pages, {len(vocab)} distinct ({time.process_time() - t0:.0f}s cpu)", flush=True)
    got = {"vocab": vocab, "pages": pages}
    out.write_bytes(pickle.dumps(got))
    return got


# --- the regression -----------------------------------------------------------------------

MIN_DOMAINS = 3  # a token counts only if seen on pages of this many training domains
L2 = {"names": 10.0, "text": 1.0}  # (held-out AUC on a quarter of the first 330 pages' domains)
MAX_ROWS = 60  # blocks a page the regression learns from (a random sample, reweighted), as the forest


def _matrix(recs: list, group: str, keep: np.ndarray):
    """Sparse rows (binary tokens in the kept vocabulary, each row scaled by 1/sqrt of its
    token count) of every block of the pages."""
    from scipy.sparse import csr_matrix
    indptrs, idss, off = [], [], 0
    for rec in recs:
        ip, ids = rec[group]
        indptrs.append(ip[1:] + off if indptrs else ip + off)
        idss.append(ids)
        off += len(ids)
    indptr = np.concatenate(indptrs) if indptrs else np.zeros(1, dtype=np.int64)
    ids = np.concatenate(idss) if idss else np.zeros(0, dtype=np.int64)
    n_rows = len(indptr) - 1
    lengths = np.diff(indptr)
    scale = 1.0 / np.sqrt(np.maximum(lengths, 1))
    col = keep[ids]  # -1: not in the vocabulary
    data = np.repeat(scale, lengths)
    ok = col >= 0
    row = np.repeat(np.arange(n_rows), lengths)
    return csr_matrix((data[ok], (row[ok], col[ok])), shape=(n_rows, int(keep.max()) + 1))


def fit_lexical(recs: list, pages: list[dict], group: str, n_vocab: int):
    """(kept-token map, weights, intercept): L2 logistic regression on the soft block label."""
    from scipy.optimize import minimize
    seen = np.zeros(n_vocab, dtype=np.int32)
    by_domain: dict[str, set] = {}
    for rec, p in zip(recs, pages):
        by_domain.setdefault(p["domain"], set()).update(np.unique(rec[group][1]).tolist())
    for toks in by_domain.values():
        seen[list(toks)] += 1
    keep = np.full(n_vocab, -1, dtype=np.int64)
    kept = np.flatnonzero(seen >= MIN_DOMAINS)
    keep[kept] = np.arange(len(kept))
    rng = np.random.default_rng(0)
    rows, ws, off = [], [], 0
    for p in pages:
        n = len(p["y"])
        idx = np.arange(n) if n <= MAX_ROWS else np.sort(rng.choice(n, MAX_ROWS, replace=False))
        rows.append(idx + off)
        ws.append(np.sqrt(np.maximum(np.expm1(p["X"][idx, 0].astype(float)), 1)) * (n / max(1, len(idx))))
        off += n
    rows = np.concatenate(rows)
    X = _matrix(recs, group, keep)[rows]
    y = np.concatenate([p["y"] for p in pages]).astype(float)[rows]
    w = np.concatenate(ws)
    w /= w.mean()
    d = X.shape[1]
    l2 = L2[group]

    def loss(beta):
        z = X @ beta[:d] + beta[d]
        p = 1 / (1 + np.exp(-z))
        ll = w * (np.logaddexp(0, z) - y * z)
        g = w * (p - y)
        grad = np.concatenate([X.T @ g + l2 * beta[:d], [g.sum()]])
        return ll.sum() + 0.5 * l2 * beta[:d] @ beta[:d], grad

    res = minimize(loss, np.zeros(d + 1), jac=True, method="L-BFGS-B", options={"maxiter": 100})
    return keep, res.x[:d], float(res.x[d])


def lexical_scores(model, rec: dict, group: str) -> np.ndarray:
    keep, beta, b0 = model
    if len(rec[group][0]) <= 1:
        return np.zeros(0)
    return _matrix([rec], group, keep) @ beta + b0


GROUPS = ("names", "text")
INNER = 3  # inner grouped folds for the training pages' own lexical columns


def lexical_columns(train_keys, test_keys, table, toks, n_vocab):
    """Per page, its lexical columns (one per group): inner-fold scores for the training
    pages, scores of a model fitted on all of them for the held-out pages."""
    cols = {k: [] for k in [*train_keys, *test_keys]}
    folds = group_folds([table[k]["domain"] for k in train_keys], INNER)
    for group in GROUPS:
        for f in range(INNER):
            fit_keys = [k for k, g in zip(train_keys, folds) if g != f]
            m = fit_lexical([toks[k] for k in fit_keys], [table[k] for k in fit_keys], group, n_vocab)
            for k, g in zip(train_keys, folds):
                if g == f:
                    cols[k].append(lexical_scores(m, toks[k], group))
        m = fit_lexical([toks[k] for k in train_keys], [table[k] for k in train_keys], group, n_vocab)
        for k in test_keys:
            cols[k].append(lexical_scores(m, toks[k], group))
    return {k: np.column_stack(v) if len(v[0]) else np.zeros((0, len(GROUPS))) for k, v in cols.items()}


def labels(keys: list[str], toks: dict) -> dict:
    """Per page: its blocks' labels as the block table's (share of 3-word shingles in the
    truth), log words and domain: all the regression needs, no reading."""
    from deboil.cleaners.html.blocks import _shingles
    base, meta = dev_pages(find_shared())
    out = {}
    for key in keys:
        truth = json.loads((base / "ground-truth" / f"{key}.json").read_text())["ground_truth"].get("main_content") or ""
        tsh, ttoks = _shingles(truth), set(re.findall(r"\w+", truth.lower()))
        y, lw = [], []
        for text in toks[key]["texts"]:
            bt = re.findall(r"\w+", text.lower())
            if len(bt) >= 3:
                sh = _shingles(text)
                y.append(sum(s in tsh for s in sh) / len(sh))
            else:
                y.append(sum(t in ttoks for t in bt) / max(1, len(bt)))
            lw.append(math.log1p(len(text.split())))
        out[key] = {"y": np.array(y, dtype=np.float32), "X": np.array(lw, dtype=np.float32).reshape(-1, 1),
                    "domain": meta[key]["domain"]}
    return out


def all_lexical_columns(toks: dict, n_vocab: int, out: Path) -> dict:
    """Each outer fold's lexical columns of every page (bench.html_cv's folds over all of
    wcxb-dev), cached: they need the tokens and labels only, not the readings."""
    if out.exists():
        return pickle.loads(out.read_bytes())
    keys = sorted(toks)
    table = labels(keys, toks)
    folds = group_folds([table[k]["domain"] for k in keys], 5)
    got = {}
    t0 = time.process_time()
    for f in range(5):
        got[f] = lexical_columns([k for k, g in zip(keys, folds) if g != f], [k for k, g in zip(keys, folds) if g == f],
                                 table, toks, n_vocab)
        print(f"fold {f + 1}: lexical columns ({time.process_time() - t0:.0f}s cpu)", flush=True)
    out.write_bytes(pickle.dumps(got))
    return got


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--tokens", default=None, help="block tokens cached here (default: CACHE/lex-tokens.pkl)")
    ap.add_argument("--variants", default="both,base",
                    help="forests to fit: base (shipped), names / text / both lexical columns")
    ap.add_argument("--out", default=None, help="per-page figures (json)")
    ap.add_argument("--columns", default=None,
                    help="the lexical columns of every fold, cached here (default: CACHE/lex-columns.pkl)")
    ap.add_argument("--columns-only", action="store_true", help="compute the lexical columns and stop")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    tokens = Path(args.tokens) if args.tokens else cache / "lex-tokens.pkl"
    tokens.parent.mkdir(parents=True, exist_ok=True)
    tt = token_table(sorted(dev_pages(find_shared())[1]), tokens)
    toks, n_vocab = tt["pages"], len(tt["vocab"])
    lex_all = all_lexical_columns(toks, n_vocab, Path(args.columns) if args.columns else cache / "lex-columns.pkl")
    if args.columns_only:
        return
    table, have, recs = load_tables(cache)
    names = _feature_names(("deboil", "dom"), PAGE_TYPES)
    full = _feature_names(have, PAGE_TYPES)
    columns = [full.index(n) for n in names]
    table = {k: {**p, "X": p["X"][:, columns] if p["X"].ndim == 2 else np.zeros((0, len(names)))}
             for k, p in table.items()}
    assert all(toks[k]["texts"] == table[k]["texts"] for k in table)
    keys = sorted(table)
    every = sorted(toks)  # the folds are over all of wcxb-dev (a cache still being read: its pages)
    fold_of = dict(zip(every, group_folds([dev_pages(find_shared())[1][k]["domain"] for k in every], 5)))
    ys = labels(keys[::25], toks)
    assert all(np.allclose(ys[k]["y"], table[k]["y"], atol=1e-6) for k in ys)
    lines = kept_lines(recs, keys)
    folds = np.array([fold_of[k] for k in keys])
    held_col = names.index("in_deboil")
    variants = args.variants.split(",")
    extra = {"base": [], "names": [0], "text": [1], "both": [0, 1]}
    texts = {f"{v}/{s}": {} for v in variants for s in ("ship", "typed")}
    t0 = time.process_time()
    for f in range(5):
        tr = [k for k, g in zip(keys, folds) if g != f]
        te = [k for k, g in zip(keys, folds) if g == f]
        lex = lex_all[f]
        for v in variants:
            cols = extra[v]
            def page(k):
                p = table[k]
                if not cols or not len(p["y"]):
                    return p
                return {**p, "X": np.hstack([p["X"], lex[k][:, cols]]).astype(np.float32)}
            forest, pair, fitted = fit_edits([page(k) for k in tr], [lines[k] for k in tr], held_col, None,
                                             [recs[k]["deboil_type"] for k in tr])
            ship, typed = model_thresholds(fitted), model_thresholds(fitted, per_type=True)
            print(f"  {v}: pair {pair}, typed {typed} ({time.process_time() - t0:.0f}s cpu)", flush=True)
            for k in te:
                p = page(k)
                q = predict(forest, p)
                held = p["X"][:, held_col] > 0.5 if len(q) else []
                kind = recs[k]["deboil_type"]
                for s, pairs in (("ship", ship), ("typed", typed)):
                    d, a = pairs.get(kind, pair)
                    texts[f"{v}/{s}"][k] = "\n".join(edit_lines(lines[k], p["texts"], q, held, d, a))
    systems = ["rules", *texts]
    res = {"rules": {k: word_f1(recs[k]["deboil"], table[k]["truth"]) for k in keys}}
    res.update({s: {k: word_f1(texts[s][k], table[k]["truth"]) for k in keys} for s in texts})
    print_table("word F1 out of fold: ", systems, res, keys, folds, table)
    if args.out:
        Path(args.out).write_text(json.dumps({"folds": {k: int(g) for k, g in zip(keys, folds)}, "res": res}))


if __name__ == "__main__":
    main()


class LexicalScorer:
    """The regressions' logits per block without building token strings (what a shipped
    pass would run): per-element sums memoised down the tree. `weights[group]` is
    {"b0": intercept, "w": {token: weight}} as `block_tokens` spells the tokens."""

    def __init__(self, weights: dict):
        nw, tw = weights["names"]["w"], weights["text"]["w"]
        self.b0 = (weights["names"]["b0"], weights["text"]["b0"])
        def part(ws, prefix):
            return {t[len(prefix):]: v for t, v in ws.items() if t.startswith(prefix)}
        self.c = [part(nw, f"c{d}:") for d in range(NAME_DEPTHS + 1)]
        self.a, self.tags = part(nw, "a:"), {t: v for t, v in nw.items() if t[0] == "t"}
        self.w, self.h, self.f = part(tw, "w:"), part(tw, "h:"), part(tw, "f:")
        self.b = {tuple(k.split(" ", 1)): v for k, v in part(tw, "b:").items()}

    def scores(self, blocks) -> np.ndarray:
        words_memo, up_memo, sums, owners = {}, {}, {}, {}

        def up_sum(el, table, key):
            """(sum of `table` over the words of el and its ancestors, their number), from
            the parent's: only el's words the ancestors lack are added."""
            if el is None:
                return 0.0, 0
            k = (key, el)
            got = sums.get(k)
            if got is None:
                parent = el.getparent()
                s, n = up_sum(parent, table, key)
                new = _words(el, words_memo) - _up_words(parent, words_memo, up_memo)
                got = sums[k] = (s + sum(table.get(w, 0.0) for w in new), n + len(new))
            return got

        out = np.zeros((len(blocks), 2))
        heading: list[str] = []
        for i, b in enumerate(blocks):
            el = b.owner
            got = owners.get(el)
            if got is None:
                total, n, tags, node = 0.0, 0, [], el
                for d in range(NAME_DEPTHS):
                    if node is None:
                        break
                    ws = _words(node, words_memo)
                    cd = self.c[d]
                    total += sum(cd.get(w, 0.0) for w in ws)
                    n += len(ws)
                    if isinstance(node.tag, str):
                        tags.append(node.tag)
                    node = node.getparent()
                s, m = up_sum(node, self.c[NAME_DEPTHS], "c") if node is not None else (0.0, 0)
                s2, m2 = up_sum(el, self.a, "a")
                total += s + s2
                n += m + m2 + len(tags)
                for k in range(1, len(tags) + 1):
                    total += self.tags.get(f"t{k}:" + ">".join(tags[:k]), 0.0)
                got = owners[el] = self.b0[0] + total / math.sqrt(max(n, 1))
            out[i, 0] = got
            words = _TOKEN.findall(_DIGITS.sub("0", b.text.lower()))[:TEXT_WORDS]
            uni, bi, hs = set(words), set(zip(words, words[1:])), set(heading)
            w, bw, h = self.w, self.b, self.h
            total = (sum(w.get(x, 0.0) for x in uni) + sum(bw.get(x, 0.0) for x in bi)
                     + sum(h.get(x, 0.0) for x in hs) + (self.f.get(words[0], 0.0) if words else 0.0))
            n = len(uni) + len(bi) + len(hs) + (1 if words else 0)
            out[i, 1] = self.b0[1] + total / math.sqrt(max(n, 1))
            if el.tag in _HEADINGS:
                heading = _TOKEN.findall(_DIGITS.sub("0", b.text.lower()))[:8]
        return out
