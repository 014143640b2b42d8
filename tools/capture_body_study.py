"""Where true bodies fed as captures lose text, and block rules that keep it (docs/captures.md).

    python -m tools.capture_body_study OUT.pkl --table       # loss table of the true bodies
    python -m tools.capture_body_study OUT.pkl [--variant V]  # block variants, cuts from inner folds
    python -m tools.capture_body_study OUT.pkl --clean-rules  # rule drops of clean text, gate looser

OUT.pkl: the decisions `tools/capture_sequence_cv.py` saves (the fold models' `analyse`
decisions and stage-2 probabilities on every fold's test captures and true bodies, and on
every training page under its inner fold's stage 1).

The loss table: every removed line of a true body, weighted by its 4-token shingles, by the
reason lines.py gave (a rule, or the classifier: a reason `_model_reason` names on a line
scored under the page's threshold), by line shape (script-agnostic: one word unit, list
item, table row, code, heading, short, prose) and by page.

Variants (each takes back lines the classifier dropped; rule drops stay):
- `bracket`: a run of classifier-dropped lines with kept prose (or kept text of a long line)
  right above and below it, at most L lines long, is kept (the "clean verdict that keeps
  lists": a list between two paragraphs of the body is the body's);
- `bracket-short`: the same, only runs whose lines are all short (under SHORT_UNITS word units)
  or list items;
- `onetoken`: a run of at least 3 one-word-unit lines that bracket kept text is judged as a
  block: kept when its mean probability is at least the cut;
- `nearclean`: pages the gate nearly passes (phrase hits at most 2 + H per 100 lines) keep
  every classifier-dropped line between their first and last kept prose line;
- `chain`: text split at inline elements (a code span, a link) comes as fragments of one
  sentence, each line continuing the one above (no sentence end there, a lower-case or
  punctuation opening here; or an upper-case fragment between two such lines): a chain
  holding a kept line of at least C word units keeps its classifier-dropped lines
  (`chain-plain`: without the upper-case fragments; `chain-sentence`: the joined chain has C
  units and ends a sentence, no kept line needed); `chain+nearclean`: both, chain at C = 1.
`--clean-rules` (no inner choice, every row scored on the test folds): on the bodies the
clean-text gate passes, the lines the rules remove (title, alternate headline, dateline) kept
in the text; and a looser gate for texts that open with prose (their first prose line within
F lines, no short line above it in a run, at most B phrase hits or P per 100 lines), which
takes back every line the classifier dropped on the pages it adds (the clean path, roughly).
Each variant's parameter is chosen per outer fold on that fold's inner pages (out-of-fold
stage-1 margins): the most permissive value whose inner F1 (per set) falls at most
MAX_INNER_LOSS below the shipped decisions, ties to the higher body retention.
"""
from __future__ import annotations

import argparse
import re
from collections import defaultdict

import numpy as np

from bench.scoring import shingles
from deboil.cleaners.capture.line_features import NAMES
from deboil.cleaners.capture.page_threshold import longest_run
from deboil.cleaners.lexicon.scripts import ends_clause_or_sentence, ends_sentence, word_units
from tools import train_capture as tc
from tools.capture_sequence_study import _load, _page_of, print_row, text_of

_COL = {n: i for i, n in enumerate(NAMES)}
MODEL_REASONS = frozenset({"repeat", "nav", "headline", "outside-body", "related", "short-fragment", "low-content"})
_LIST = re.compile(r"^\s*(?:[-–—•*·▪►◦‣]|\(?\d{1,3}[.)]|\(?[a-zA-Z][.)])\s")
SHORT_UNITS = 4
MAX_INNER_LOSS = 0.0005


def shape(line: str, x: np.ndarray) -> str:
    """A line's shape, from its text and features (no script-specific test)."""
    units = word_units(line)
    if units <= 1:
        return "one-token"
    if _LIST.match(line) or x[_COL["bullet"]] > 0:
        return "list-item"
    if "\t" in line or line.count("|") >= 2 or x[_COL["separators"]] >= 0.6:
        return "table-row"
    if x[_COL["code_like"]] > 0:
        return "code"
    if units < SHORT_UNITS:
        return "short"
    if not ends_sentence(line) and units < 12:
        return "heading"
    return "prose" if x[_COL["prose"]] > 0 else "long-other"


def _who(row, k) -> str:
    r = row["reasons"][k]
    if r in MODEL_REASONS and not row["clean"] and row["probs"][k] < row["thr"]:
        return f"model:{r}"
    return f"rule:{r}"


def loss_table(rows, by_key, keep_of=None) -> None:
    """keep_of(row, page): a variant's keep mask (None: the saved decisions)."""
    tests = [r for r in rows if r["role"] == "test-body"]
    for s in ("wcxb", "news"):
        sel = [r for r in tests if _page_of(r, by_key)["set"] == s]
        total = lost = 0.0
        per_page, by_who, by_shape, by_both = [], defaultdict(float), defaultdict(float), defaultdict(float)
        by_gate, clean_reasons = defaultdict(float), defaultdict(float)  # gate passed or not; reasons there
        for r in sel:
            p = _page_of(r, by_key)
            kept = np.array([x is None for x in r["reasons"]]) if keep_of is None else keep_of(r, p)
            t = shingles(p["body"])
            k = shingles(text_of(r, p, kept)) & t
            page_total, page_lost = sum(t.values()), sum(t.values()) - sum(k.values())
            total += page_total
            lost += page_lost
            by_gate[r["clean"]] += page_lost
            gone = np.flatnonzero(~kept)
            w = p["sh"][gone].astype(float)
            if len(gone) and w.sum() and page_lost:  # line weights scaled to the page's true loss
                w = w / w.sum() * page_lost
            for k_, wk in zip(gone, w):
                who, sh = _who(r, k_), shape(p["lines"][k_], p["X"][k_])
                by_who[who] += wk
                by_shape[sh] += wk
                by_both[(who.split(":")[0], sh)] += wk
                if r["clean"]:
                    clean_reasons[r["reasons"][k_]] += wk
            per_page.append((page_lost, page_total, p["key"], p["type"], len(p["lines"]), r["clean"],
                             gone.size))
        print(f"\n== {s}: {len(sel)} true bodies, {total:.0f} shingles, kept {1 - lost / total:.2%}")
        groups = (("by gate passed", by_gate), ("by reason, gate passed", clean_reasons), ("by reason", by_who),
                  ("by line shape", by_shape), ("rule/model x shape", by_both))
        for title, d in groups:
            print(f"  {title} (% of all true-body shingles lost)")
            for k_, v in sorted(d.items(), key=lambda kv: -kv[1])[:16]:
                print(f"    {str(k_):34s} {100 * v / total:6.3f}")
        per_page.sort(reverse=True)
        need = lost - 0.005 * total
        acc, n_pages = 0.0, 0
        for pl, *_ in per_page:
            if acc >= need:
                break
            acc += pl
            n_pages += 1
        print(f"  pages holding the loss down to 99.5 %: {n_pages} (need {need:.0f} of {lost:.0f} lost shingles); "
              f"pages losing anything: {sum(1 for x in per_page if x[0] > 0)}")
        print("  worst pages: lost / total shingles, key, type, lines, gate passed, lines removed")
        for pl, pt, key, ty, n, clean, g in per_page[:25]:
            print(f"    {pl:6.0f} {pt:7.0f} {100 * pl / total:5.2f}%  {key:24s} {ty:14s} {n:5d} {clean!s:5s} {g}")


# --- variants -------------------------------------------------------------------------------

def _model_dropped(row) -> np.ndarray:
    return np.array([r in MODEL_REASONS for r in row["reasons"]]) & (not row["clean"])


def _bodyish(page, kept) -> np.ndarray:
    """Kept lines that count as the body around a run: prose, or long kept text."""
    X = page["X"]
    return kept & ((X[:, _COL["prose"]] > 0) | (np.expm1(X[:, _COL["log_units"]]) >= 10))


def bracket_keep(row, page, max_len: int, only_short: bool = False, min_mean: float | None = None,
                 onetoken: bool = False) -> np.ndarray:
    kept = np.array([x is None for x in row["reasons"]])
    dropped = _model_dropped(row)
    anchor = _bodyish(page, kept)
    out = kept.copy()
    n = len(kept)
    units = np.expm1(page["X"][:, _COL["log_units"]])
    k = 0
    while k < n:
        if not dropped[k]:
            k += 1
            continue
        j = k
        while j < n and dropped[j]:
            j += 1
        # run k..j-1; the nearest lines outside it must be kept body text
        if 0 < k and j < n and anchor[k - 1] and anchor[j] and j - k <= max_len:
            ok = True
            if only_short:
                ok = all(units[i] < SHORT_UNITS or _LIST.match(page["lines"][i]) for i in range(k, j))
            if onetoken:
                ok = j - k >= 3 and all(units[i] <= 1 for i in range(k, j))
            if ok and min_mean is not None:
                ok = float(row["probs"][k:j].mean()) >= min_mean
            if ok:
                out[k:j] = True
        k = j
    return out


def nearclean_keep(row, page, per100: float) -> np.ndarray:
    kept = np.array([x is None for x in row["reasons"]])
    X = page["X"]
    n = len(kept)
    if row["clean"] or X[:, _COL["boilerplate"]].sum() > 2 + per100 * n / 100:
        return kept
    anchor = np.flatnonzero(_bodyish(page, kept))
    if not len(anchor):
        return kept
    out = kept.copy()
    span = np.zeros(n, dtype=bool)
    span[anchor[0]:anchor[-1] + 1] = True
    out |= span & _model_dropped(row)
    return out


# A line continues the one above when that one does not end a sentence and this one opens
# with a lower-case letter (cased scripts only) or with punctuation that cannot open a
# sentence: text split at inline elements (code spans, links) into fragments.
_CONT_OPEN = tuple(",.;:)]}»”’%")


CLAUSE = False  # a line ending a clause (";", ":") is not continued either (list items)


def continues(prev: str, line: str) -> bool:
    if (ends_clause_or_sentence if CLAUSE else ends_sentence)(prev):
        return False
    c = line[:1]
    return c in _CONT_OPEN or (c.isalpha() and c.islower())


def linked(lines: list[str], k: int, sandwich: bool = True) -> bool:
    """Line k continues line k - 1; `sandwich`: also when line k is continued by the next
    one and line k - 1 does not end a sentence (an upper-case fragment, "its / FROM / clause")."""
    if continues(lines[k - 1], lines[k]):
        return True
    return (sandwich and k + 1 < len(lines) and continues(lines[k], lines[k + 1])
            and not (ends_clause_or_sentence if CLAUSE else ends_sentence)(lines[k - 1]))


def chains(lines: list[str], sandwich: bool = True) -> list[tuple[int, int]]:
    """(start, stop) of runs of at least two lines each linked to the one above."""
    out, start = [], 0
    for k in range(1, len(lines) + 1):
        if k == len(lines) or not linked(lines, k, sandwich):
            if k - start >= 2:
                out.append((start, k))
            start = k
    return out


def chain_keep(row, page, min_units: float, sentence: bool = False, sandwich: bool = True) -> np.ndarray:
    """Fragments of one sentence judged together: a chain with a kept line of at least
    `min_units` word units (or, `sentence`, whose joined text has that many and ends a
    sentence) keeps its classifier-dropped lines."""
    kept = np.array([x is None for x in row["reasons"]])
    dropped = _model_dropped(row)
    units = np.expm1(page["X"][:, _COL["log_units"]])
    out = kept.copy()
    lines = page["lines"]
    for a, b in chains(lines, sandwich):
        if sentence:
            ok = units[a:b].sum() >= min_units and ends_sentence(lines[b - 1])
        else:
            ok = bool((kept[a:b] & (units[a:b] >= min_units)).any())
        if ok:
            out[a:b] |= dropped[a:b]
    return out


VARIANTS = {
    "chain": ([1e9, 40, 20, 15, 10, 8, 6, 4, 2, 1], lambda r, p, c: chain_keep(r, p, c)),
    "chain-plain": ([1e9, 40, 20, 15, 10, 8, 6, 4, 2, 1], lambda r, p, c: chain_keep(r, p, c, sandwich=False)),
    "chain-sentence": ([1e9, 60, 40, 30, 20, 15, 10, 6], lambda r, p, c: chain_keep(r, p, c, sentence=True)),
    "bracket": ([1, 2, 3, 5, 8, 12, 20, 40, 100, 10**6], lambda r, p, c: bracket_keep(r, p, c)),
    "bracket-short": ([1, 2, 3, 5, 8, 12, 20, 40, 100, 10**6], lambda r, p, c: bracket_keep(r, p, c, only_short=True)),
    "bracket-mean": ([0.0, 0.05, 0.1, 0.15, 0.2, 0.25, 0.3, 0.35],
                     lambda r, p, c: bracket_keep(r, p, 10**6, min_mean=c)),
    "onetoken": ([0.0, 0.02, 0.05, 0.1, 0.2, 0.3], lambda r, p, c: bracket_keep(r, p, 10**6, min_mean=c, onetoken=True)),
    "nearclean": ([0.0, 0.5, 1.0, 2.0, 4.0, 8.0], lambda r, p, c: nearclean_keep(r, p, c)),
    "chain+nearclean": ([0.0, 0.5, 1.0, 1.5, 2.0, 3.0, 4.0],
                        lambda r, p, c: chain_keep(r, p, 1) | nearclean_keep(r, p, c)),
}


def _inner_scores(rows, by_key, fn, cut):
    """Inner pages of one outer fold: F1 per set (page-averaged shingle P and R from line
    shingle counts) and the true bodies' kept share."""
    by_set = defaultdict(lambda: [[], []])
    body_kept = body_total = 0.0
    for row in rows:
        page = _page_of(row, by_key)
        keep = fn(row, page, cut) if cut is not None else np.array([x is None for x in row["reasons"]])
        sh = page["sh"]
        if row["key"].endswith("#true"):
            body_kept += sh[keep].sum()
            body_total += sh.sum()
            continue
        good = page["shares"] >= 0.5
        tp, ks = (sh * good)[keep].sum(), sh[keep].sum()
        by_set[page["set"]][0].append(tp / ks if ks else 0.0)
        by_set[page["set"]][1].append(tp / page["body_sh"] if page["body_sh"] else 1.0)
    f1 = {s: (2 * np.mean(p) * np.mean(r) / (np.mean(p) + np.mean(r))) for s, (p, r) in by_set.items()}
    return f1, body_kept / max(body_total, 1.0)


def study(rows, by_key, name: str) -> None:
    cuts, fn = VARIANTS[name]
    chosen = {}
    for f in range(tc.FOLDS):
        inner = [r for r in rows if r["role"] == "inner" and r["fold"] == f]
        base_f1, base_ret = _inner_scores(inner, by_key, fn, None)
        best = None
        line = []
        for c in cuts:
            f1, ret = _inner_scores(inner, by_key, fn, c)
            line.append(f"{c}: {f1['wcxb'] - base_f1['wcxb']:+.4f}/{f1['news'] - base_f1['news']:+.4f} {ret:.4f}")
            if all(f1[s] >= base_f1[s] - MAX_INNER_LOSS for s in f1) and (best is None or ret > best[1]):
                best = (c, ret)
        chosen[f] = None if best is None else best[0]
        print(f"fold {f} inner base {base_f1['wcxb']:.4f}/{base_f1['news']:.4f} bodies {base_ret:.4f}; "
              + "; ".join(line) + f" -> {chosen[f]}", flush=True)
    out, base = {}, {}
    for r in rows:
        if r["role"] == "inner":
            continue
        page = _page_of(r, by_key)
        kept = np.array([x is None for x in r["reasons"]])
        base[(r["key"], r["role"])] = (text_of(r, page, kept), page)
        c = chosen[r["fold"]]
        keep = kept if c is None else fn(r, page, c)
        out[(r["key"], r["role"])] = (text_of(r, page, keep), page)
    print_row("shipped", base, fold_digits=4)
    print_row(f"{name} {[chosen[f] for f in range(tc.FOLDS)]}", out, fold_digits=4)


def _saved_keep(row, page) -> np.ndarray:
    return np.array([x is None for x in row["reasons"]])


def rule_drops_kept(reasons: set[str]):
    """Clean text (the gate passed) keeps the lines these rules remove."""
    def keep(row, page):
        kept = _saved_keep(row, page)
        return kept | np.array([x in reasons for x in row["reasons"]]) if row["clean"] else kept
    return keep


def opens_with_prose(page, first: int, hits: float, per100: float) -> bool:
    X = page["X"]
    prose = np.flatnonzero(X[:, _COL["prose"]] > 0)
    if not len(prose) or prose[0] > first:
        return False
    head_run = longest_run(X[:prose[0], _COL["log_units"]] < np.log1p(SHORT_UNITS))
    return head_run <= 1 and X[:, _COL["boilerplate"]].sum() <= max(hits, per100 * len(X) / 100)


def looser_gate(first: int, hits: float, per100: float):
    def keep(row, page):
        kept = _saved_keep(row, page)
        if row["clean"] or not opens_with_prose(page, first, hits, per100):
            return kept
        return kept | _model_dropped(row)
    return keep


CLEAN_RULE_VARIANTS = {
    "shipped": _saved_keep,
    "clean keeps its title line": rule_drops_kept({"title"}),
    "clean keeps alternate headlines": rule_drops_kept({"headline"}),
    "clean keeps datelines": rule_drops_kept({"date"}),
    "clean keeps all three": rule_drops_kept({"title", "headline", "date"}),
    "gate: prose at line 0, <= 4 hits": looser_gate(0, 4, 0),
    "gate: prose within 2 lines, <= 4 hits": looser_gate(2, 4, 0),
    "gate: prose within 2 lines, <= 6 hits or 1 per 100 lines": looser_gate(2, 6, 1),
}


def clean_rules(rows, by_key) -> None:
    tests = [r for r in rows if r["role"] != "inner"]
    for name, keep_of in CLEAN_RULE_VARIANTS.items():
        out = {(r["key"], r["role"]): (text_of(r, _page_of(r, by_key), keep_of(r, _page_of(r, by_key))),
                                        _page_of(r, by_key)) for r in tests}
        print_row(name, out, fold_digits=4)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--table", action="store_true")
    ap.add_argument("--variant", action="append", choices=sorted(VARIANTS))
    ap.add_argument("--clause", action="store_true", help="chains: a clause end (;:) breaks them too")
    ap.add_argument("--clean-rules", action="store_true", help="rule drops of clean text kept; a looser gate")
    ap.add_argument("--after", help="VARIANT:CUT: the loss table after that variant, at that cut")
    args = ap.parse_args(argv)
    global CLAUSE
    CLAUSE = args.clause
    rows, by_key = _load(args.out)
    if args.table:
        keep_of = None
        if args.after:
            name, cut = args.after.split(":")
            keep_of = lambda r, p, fn=VARIANTS[name][1], c=float(cut): fn(r, p, c)  # noqa: E731
        loss_table(rows, by_key, keep_of)
    for v in args.variant or []:
        study(rows, by_key, v)
    if args.clean_rules:
        clean_rules(rows, by_key)


if __name__ == "__main__":
    main()
