"""A learned lexical score as extra line features of the capture classifier (study).

The line features are hand-made numbers; the lines that cost precision are prose-like text
the truth leaves out (comment threads, product boxes, related headlines) whose words differ
("says", "reply", "check price"). Here a naive-Bayes log-count ratio over the line's
lower-cased word unigrams and bigrams (top K by evidence) scores every line, and three
columns are appended to the line features of both forests: the line's score, the mean
score of the lines within 2 either side, and the page's mean score.

Inside each outer training fold, the training lines' scores are out of fold (the same
inner domain-grouped folds as the stage-2 margins); the test pages are scored by the
lexical model fitted on the whole training fold. Everything else is train_capture's
cross_validate (forests, thresholds, threshold per page), so the shipped figures come from
the same code with the columns left out.

Variants: --stage2-only (stage 1 fitted on the hand-made features alone), --context-only
(the window and page means, not the line's own score), --min-domains N and --both-sets
(the lexicon restricted to tokens seen on N training domains, and in both capture sets).

    DEBOIL_CAPTURE_CACHE=DIR python -m tools.capture_lexical_cv [--top 4000] [--stage2-only]
        [--context-only] [--min-domains 5] [--both-sets] [--out rows.jsonl]
"""
from __future__ import annotations

import argparse
import re
import time

import numpy as np

from deboil.cleaners.capture.lines import analyse, prepare
from tools import train_capture as tc
from tools.capture_train_study import report_row

_W = re.compile(r"\w+")
TOP = 4000
ALPHA = 1.0
MIN_DOMAINS = 5
WINDOW = 2


def line_tokens(line: str) -> list[str]:
    words = [w.lower() for w in _W.findall(line)]
    return list(dict.fromkeys(words + [a + " " + b for a, b in zip(words, words[1:])]))


class Vocab:
    """Token -> id over every line of every page (no labels involved)."""

    def __init__(self):
        self.ids: dict[str, int] = {}
        self.names: list[str] = []

    def encode(self, lines: list[str]) -> tuple[np.ndarray, np.ndarray]:
        """Concatenated token ids of the lines and each line's token count."""
        ids, counts = [], []
        for line in lines:
            toks = line_tokens(line)
            for t in toks:
                k = self.ids.get(t)
                if k is None:
                    k = self.ids[t] = len(self.names)
                    self.names.append(t)
                ids.append(k)
            counts.append(len(toks))
        return np.array(ids, dtype=np.int64), np.array(counts, dtype=np.int64)


def fit_lexical(pages: list[dict], size: int, top: int = TOP, min_domains: int = MIN_DOMAINS,
                both_sets: bool = False) -> np.ndarray:
    """Naive-Bayes log-count ratios per token id, lines weighted as in training (every page
    about the same total), kept for the top `top` tokens by evidence among those seen on at
    least `min_domains` training domains (0 elsewhere: a site's own words do not carry over),
    and with `both_sets` on pages of both capture sets."""
    ids = np.concatenate([p["tok_ids"] for p in pages])
    lab = np.concatenate([np.repeat(p["y"] >= 0.5, p["tok_n"]) for p in pages])
    w = np.concatenate([np.repeat(p["w"], p["tok_n"]) for p in pages])
    pos = np.bincount(ids[lab], weights=w[lab], minlength=size)
    neg = np.bincount(ids[~lab], weights=w[~lab], minlength=size)
    by_domain: dict[str, list] = {}
    for p in pages:
        by_domain.setdefault(p["group"], []).append(p["tok_set"])
    domains = np.bincount(np.concatenate([np.unique(np.concatenate(v)) for v in by_domain.values()]),
                          minlength=size)
    seen = domains >= min_domains
    if both_sets:
        for name in {p["set"] for p in pages}:
            seen &= np.bincount(np.concatenate([p["tok_set"] for p in pages if p["set"] == name]),
                                minlength=size) > 0
    a = ALPHA * w.mean()
    r = np.log((pos + a) / (pos.sum() + a * size)) - np.log((neg + a) / (neg.sum() + a * size))
    evidence = np.where(seen, np.abs(r) * np.log1p(domains), 0.0)
    keep = np.argsort(-evidence)[:top]
    out = np.zeros(size)
    out[keep] = r[keep] * (evidence[keep] > 0)
    return out


def line_scores(p: dict, weights: np.ndarray) -> np.ndarray:
    n = len(p["tok_n"])
    line_of = np.repeat(np.arange(n), p["tok_n"])
    sums = np.bincount(line_of, weights=weights[p["tok_ids"]], minlength=n)
    return sums / np.maximum(p["tok_n"], 1)


def lexical_columns(s: np.ndarray, context_only: bool = False) -> np.ndarray:
    """The line's score, the window mean (WINDOW either side) and the page mean
    (context_only: the two means)."""
    n = len(s)
    c = np.concatenate([[0.0], np.cumsum(s)])
    lo = np.clip(np.arange(n) - WINDOW, 0, n)
    hi = np.clip(np.arange(n) + WINDOW + 1, 0, n)
    win = (c[hi] - c[lo]) / np.maximum(hi - lo, 1)
    cols = [s, win, np.full(n, s.mean() if n else 0.0)]
    return np.column_stack(cols[1:] if context_only else cols)


def _with_columns(p: dict, scores: np.ndarray, context_only: bool = False) -> dict:
    X = np.hstack([p["X"], lexical_columns(scores, context_only)])
    bp, dated, _ = p["prepared"]
    return {**p, "X": X, "prepared": (bp, dated, X)}


def _lines(text: str) -> list[str]:
    return [l.strip() for l in text.splitlines() if l.strip()]


def cross_validate(pages: list[dict], top: int, log=print, stage2_only: bool = False,
                   context_only: bool = False, min_domains: int = MIN_DOMAINS,
                   both_sets: bool = False) -> dict:
    fit = lambda ps: fit_lexical(ps, size, top, min_domains, both_sets)  # noqa: E731
    cols = lambda p, s: _with_columns(p, s, context_only)  # noqa: E731
    stage1_columns = pages[0]["X"].shape[1] if stage2_only else None
    extra = tc.clean_text_pages(pages, tc.CLEAN_WEIGHT)
    tc.featurise(extra)
    vocab = Vocab()
    for p in pages + extra:
        p["tok_ids"], p["tok_n"] = vocab.encode(_lines(p["capture"]))
        p["tok_set"] = np.unique(p["tok_ids"])
    size = len(vocab.names)
    clean = tc.clean_by_key(extra)
    out, body_out, thresholds = {}, {}, []
    for f in range(tc.FOLDS):
        test, train_pages = tc.fold_split(pages, extra, f)
        t0 = time.time()
        oof = {}
        for g in range(tc.INNER_FOLDS):
            inside = lambda p: tc.fold_of(p["group"] + "/inner", tc.INNER_FOLDS) == g  # noqa: E731
            w = fit([p for p in train_pages if not inside(p)])
            for p in train_pages:
                if inside(p):
                    oof[p["key"]] = line_scores(p, w)
        full = fit(train_pages)
        log(f"  fold {f}: lexical fits {time.time() - t0:.0f}s; top weights "
            + ", ".join(vocab.names[k] for k in np.argsort(full)[:8]) + " | "
            + ", ".join(vocab.names[k] for k in np.argsort(-full)[:8]))
        model = tc.train([cols(p, oof[p["key"]]) for p in train_pages], log=log,
                         stage1_columns=stage1_columns)
        thresholds.append(model.threshold)
        for p in test:
            q = cols(p, line_scores(p, full))
            out[p["key"]] = "\n".join(analyse(p["capture"].splitlines(), model=model, prepared=q["prepared"]).body)
            c = clean.get(p["key"])
            if c is None:
                body_out[p["key"]] = p["body"]
                continue
            qc = cols(c, line_scores(c, full))
            body_out[p["key"]] = "\n".join(analyse(p["body"].splitlines(), model=model,
                                                   prepared=qc["prepared"]).body)
        log(f"  fold {f} done")
    return {"text": out, "body": body_out, "thresholds": thresholds}


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--top", type=int, default=TOP)
    ap.add_argument("--stage2-only", action="store_true")
    ap.add_argument("--context-only", action="store_true")
    ap.add_argument("--min-domains", type=int, default=MIN_DOMAINS)
    ap.add_argument("--both-sets", action="store_true")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    t0 = time.time()
    pages = tc.load_pages()
    tc.featurise(pages)
    cv = cross_validate(pages, args.top, log=lambda *a: print(*a, flush=True), stage2_only=args.stage2_only,
                        context_only=args.context_only, min_domains=args.min_domains,
                        both_sets=args.both_sets)
    variant = (f"lexical top {args.top}" + " stage 2 only" * args.stage2_only + " means only" * args.context_only
               + f" min domains {args.min_domains}" + " both sets" * args.both_sets)
    report_row(pages, cv, {"variant": variant, "thresholds": cv["thresholds"],
                           "seconds": round(time.time() - t0)}, args.out)

if __name__ == "__main__":
    main()
