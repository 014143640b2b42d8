"""Scoring as public extraction benchmarks do it (see docs/design.md).

Shingle F1: `\\w+` tokens, overlapping 4-token shingles, per-document TP/FP/FN over the
shingle multisets normalised to sum to 1, precision and recall averaged over documents,
F1 from the two averages. Word F1 (WCXB): bag of lowercased `\\w+` words, F1 per page,
averaged.
"""
from __future__ import annotations

import re
from collections import Counter

_WORD = re.compile(r"\w+")



def shingles(text: str, n: int = 4) -> Counter:
    toks = _WORD.findall(text or "")
    if len(toks) < n:
        return Counter([tuple(toks)]) if toks else Counter()
    return Counter(tuple(toks[i:i + n]) for i in range(len(toks) - n + 1))


def shingle_prf(pred: str, true: str) -> tuple[float, float]:
    """Per-document (precision, recall) on normalised shingle counts."""
    p, t = shingles(pred), shingles(true)
    tp = sum((p & t).values())
    fp = sum(p.values()) - tp
    fn = sum(t.values()) - tp
    total = tp + fp + fn
    if total == 0:
        return 1.0, 1.0
    tp, fp, fn = tp / total, fp / total, fn / total
    precision = tp / (tp + fp) if tp + fp else 0.0
    recall = tp / (tp + fn) if tp + fn else 0.0
    return precision, recall


def f1_of(precision: float, recall: float) -> float:
    return 2 * precision * recall / (precision + recall) if precision + recall else 0.0


def corpus_f1(pairs) -> dict:
    """pairs: iterable of (pred, true). Returns averaged P, R and F1 from the averages."""
    ps, rs = [], []
    for pred, true in pairs:
        p, r = shingle_prf(pred, true)
        ps.append(p)
        rs.append(r)
    P = sum(ps) / len(ps) if ps else 0.0
    R = sum(rs) / len(rs) if rs else 0.0
    return {"precision": P, "recall": R, "f1": f1_of(P, R), "n": len(ps)}


def word_f1(pred: str, true: str) -> float:
    p = Counter(w.lower() for w in _WORD.findall(pred or ""))
    t = Counter(w.lower() for w in _WORD.findall(true or ""))
    if not p and not t:
        return 1.0
    tp = sum((p & t).values())
    if tp == 0:
        return 0.0
    precision, recall = tp / sum(p.values()), tp / sum(t.values())
    return 2 * precision * recall / (precision + recall)
