"""Compare decision-threshold rules for the capture classifier, fold by fold, on the rows
written by tools/capture_threshold_study.py (per-page shingle P/R under each threshold).

Every rule is fitted on the outer fold's inner held-out captures only (what train_capture's
threshold choice sees) and applied to that fold's test captures; the true bodies fed as
captures get the threshold the rule gives them from their own page features.

    python -m tools.capture_threshold_rules OUT.pkl

Rules: one threshold for all pages (grid of 0.1 or 0.05 steps; best pooled F1, mean per-set
F1 or mean per-type F1), two thresholds by a logistic "article-like" page score, and a
per-page threshold from a regression of the page's gain at each threshold on page evidence
(page_threshold.NAMES; ridge, or small boosted trees as train_capture ships). The set a
page comes from weighs the objective (news weighing 0.5 or 1.0 times wcxb in total), never
the page's features.
"""
from __future__ import annotations

import itertools
import pickle
import sys
import zlib

import lightgbm as lgb
import numpy as np

from bench.scoring import f1_of

ARTICLE_FEATURES = ["mean_prose", "longest_prose_run_share", "page_headline_share", "page_short_share",
                    "page_log_stamps", "page_price_share", "page_code_share", "mean_sentence_end",
                    "mean_dateline", "page_log_lines", "mean_log_units", "prob_mean", "prob_share_0.5"]


class Rows:
    def __init__(self, path):
        d = pickle.load(open(path, "rb"))
        self.grid = np.array(d["grid"])
        self.rows = d["rows"]
        for i, r in enumerate(self.rows):
            r["i"] = i
            r["kind"] = r["type"] if r["set"] == "wcxb" else "news"
        self.P = np.array([r["scores"][:, 0] for r in self.rows])
        self.R = np.array([r["scores"][:, 1] for r in self.rows])
        self.features = sorted(self.rows[0]["summary"])

    def f1(self, sel, ti):
        idx = np.array([r["i"] for r in sel])
        ti = np.broadcast_to(np.asarray(ti), idx.shape)
        p, r = self.P[idx, ti].mean(), self.R[idx, ti].mean()
        return f1_of(p, r), p, r


def _objective(rows: Rows, name: str):
    def by(key):
        def score(sel, ti):
            ti = np.broadcast_to(np.asarray(ti), (len(sel),))
            vals = []
            for k in sorted({r[key] for r in sel}):
                m = np.array([r[key] == k for r in sel])
                vals.append(rows.f1([r for r, x in zip(sel, m) if x], ti[m])[0])
            return float(np.mean(vals))
        return score
    return {"pooled": lambda sel, ti: rows.f1(sel, ti)[0], "per-set": by("set"), "per-type": by("kind")}[name]


def _x(sel, feats, key="summary"):
    return np.array([[r[key][k] for k in feats] for r in sel])


def _logistic(X, y, l2=1.0, steps=30):
    mu, sd = X.mean(0), X.std(0) + 1e-9
    Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
    w = np.zeros(Z.shape[1])
    pen = l2 * np.r_[np.ones(len(w) - 1), 0]
    for _ in range(steps):
        p = 1 / (1 + np.exp(-Z @ w))
        w -= np.linalg.solve((Z * (p * (1 - p))[:, None]).T @ Z + np.diag(pen), Z.T @ (p - y) + pen * w)
    return lambda X: 1 / (1 + np.exp(-np.hstack([(X - mu) / sd, np.ones((len(X), 1))]) @ w))


def _inner_fold(r):
    return zlib.crc32((r["group"] + "/inner").encode()) % 3


def fixed(rows, inner, grid_idx, objective):
    score = _objective(rows, objective)
    best = max(grid_idx, key=lambda t: (score(inner, t), rows.grid[t]))
    return (lambda sel, key="summary": np.full(len(sel), best)), f"{rows.grid[best]:.2f}"


def article_kind(rows, inner, grid_idx, objective):
    """Two thresholds: pages a logistic model calls article-like, the rest. The inner pages'
    kinds are cross-fitted over the inner folds so the thresholds see honest kinds."""
    score = _objective(rows, objective)
    is_article = lambda sel: np.array([r["type"] == "article" for r in sel], float)
    kind = np.zeros(len(inner), bool)
    for g in range(3):
        m = np.array([_inner_fold(r) == g for r in inner])
        train = [r for r, x in zip(inner, m) if not x]
        kind[m] = _logistic(_x(train, ARTICLE_FEATURES), is_article(train))(
            _x([r for r, x in zip(inner, m) if x], ARTICLE_FEATURES)) >= 0.5
    ta, to = max(itertools.product(grid_idx, grid_idx),
                 key=lambda tt: (score(inner, np.where(kind, tt[0], tt[1])), rows.grid[tt[0]], rows.grid[tt[1]]))
    model = _logistic(_x(inner, ARTICLE_FEATURES), is_article(inner))
    return (lambda sel, key="summary": np.where(model(_x(sel, ARTICLE_FEATURES, key)) >= 0.5, ta, to),
            f"{rows.grid[ta]:.2f}/{rows.grid[to]:.2f}")


def _gain(rows, sel, base, utility):
    idx = np.array([r["i"] for r in sel])
    P, R = rows.P[idx], rows.R[idx]
    U = P + R if utility == "p+r" else np.where(P + R > 0, 2 * P * R / np.maximum(P + R, 1e-9), 0.0)
    return U - U[:, [base]]


def _set_weights(inner, news_weight):
    n_news = sum(r["set"] == "news" for r in inner)
    return np.array([(len(inner) - n_news) / n_news * news_weight if r["set"] == "news" else 1.0 for r in inner])


def per_page(rows, inner, grid_idx, learner, utility, news_weight=0.5, base=2):
    """Regress each page's gain over threshold grid[base] at every threshold on its page
    features; a page gets the threshold with the highest predicted gain."""
    X, U, w = _x(inner, rows.features), _gain(rows, inner, base, utility), _set_weights(inner, news_weight)
    if learner == "ridge":
        mu, sd = X.mean(0), X.std(0) + 1e-9
        Z = np.hstack([(X - mu) / sd, np.ones((len(X), 1))])
        W = np.linalg.solve((Z * w[:, None]).T @ Z + 10 * np.diag(np.r_[np.ones(Z.shape[1] - 1), 0]),
                            (Z * w[:, None]).T @ U[:, grid_idx])
        predict = lambda Xt: np.hstack([(Xt - mu) / sd, np.ones((len(Xt), 1))]) @ W
    else:
        params = {"objective": "regression", "num_leaves": 4, "max_depth": 3, "learning_rate": 0.05, "min_data_in_leaf": 40,
                  "verbose": -1, "num_threads": 1, "seed": 0, "deterministic": True}
        boosters = [None if t == base else lgb.train(params, lgb.Dataset(X, U[:, t], weight=w), 100)
                    for t in grid_idx]
        predict = lambda Xt: np.column_stack([np.zeros(len(Xt)) if b is None else b.predict(Xt) for b in boosters])
    choose = lambda sel, key="summary": np.array(grid_idx)[np.argmax(predict(_x(sel, rows.features, key)), 1)]
    return choose, "per page"


def evaluate(rows: Rows, name, fit) -> None:
    folds = sorted({r["fold"] for r in rows.rows})
    tests, notes = [], []
    for f in folds:
        inner = [r for r in rows.rows if r["fold"] == f and r["role"] == "inner"]
        test = [r for r in rows.rows if r["fold"] == f and r["role"] == "test"]
        choose, chosen = fit(rows, inner)
        for r, t in zip(test, choose(test)):
            r["t"] = t
        with_body = [r for r in test if r.get("body_summary") is not None]
        for r, t in zip(with_body, choose(with_body, "body_summary")):
            r["t_body"] = t
        tests += test
        notes.append(f"{chosen} " + " ".join(
            f"{rows.f1(s, [r['t'] for r in s])[0]:.3f}"
            for s in ([r for r in test if r["set"] == "wcxb"], [r for r in test if r["set"] == "news"])))
    out = []
    for name_set in ("wcxb", "news"):
        sel = [r for r in tests if r["set"] == name_set]
        f1, p, r_ = rows.f1(sel, [r["t"] for r in sel])
        body = [r for r in sel if r.get("body_summary") is not None]
        kept = sum(r["body_scores"][r["t_body"], 2] for r in body) / sum(r["body_total"] for r in body)
        out.append(f"{name_set} {f1:.4f} (P {p:.3f} R {r_:.3f}, bodies {kept:.2%})")
    print(f"{name}: " + "; ".join(out))
    print("    folds (threshold, wcxb, news): " + " | ".join(notes), flush=True)


def main(path: str) -> None:
    rows = Rows(path)
    tenth = [i for i, g in enumerate(rows.grid) if abs(g * 10 - round(g * 10)) < 1e-6]
    fine = list(range(len(rows.grid)))
    for objective in ("pooled", "per-set", "per-type"):
        for label, grid in (("0.1 grid", tenth), ("0.05 grid", fine)):
            evaluate(rows, f"one threshold, {label}, {objective} F1",
                     lambda rows, inner, g=grid, o=objective: fixed(rows, inner, g, o))
    for objective in ("pooled", "per-set"):
        evaluate(rows, f"article-like kind, two thresholds (0.05 grid), {objective} F1",
                 lambda rows, inner, o=objective: article_kind(rows, inner, fine, o))
    for learner, utility in (("ridge", "p+r"), ("ridge", "f1"), ("trees", "f1")):
        for news_weight in (0.5, 1.0):
            evaluate(rows, f"per page, {learner} on gain in {utility}, news weighing x{news_weight} wcxb",
                     lambda rows, inner, l=learner, u=utility, w=news_weight: per_page(rows, inner, fine, l, u, w))


if __name__ == "__main__":
    main(sys.argv[1])
