"""Where the capture CV loses shingles: out-of-fold line decisions, tabulated.

    python -m tools.capture_errors OUT.pkl          # run the CV (cached fold models), save decisions
    python -m tools.capture_errors OUT.pkl --table  # the loss tables from a saved run

Each capture line is labelled as in training (tools/train_capture.line_labels) and weighted by
its 4-token shingles; a false-kept line costs precision, a false-dropped one recall. Lines are
bucketed by page type, by the reason lines.py gave (None = kept), by length (short: under 4
word units), by position (above / inside / below the prose region of line_features), by
prose or not, and by whether they sit inside the longest run of kept lines.
"""
from __future__ import annotations

import argparse
import pickle
import re
from collections import defaultdict

import numpy as np

from deboil.cleaners.capture.lines import analyse
from deboil.cleaners.capture.line_features import NAMES
from deboil.cleaners.capture.page_threshold import runs
from tools import train_capture as tc

_COL = {n: i for i, n in enumerate(NAMES)}
_W = re.compile(r"\w+")


def run(out_path: str) -> None:
    pages, extra = tc.cv_pages()
    rows = []
    for f in range(tc.FOLDS):
        test, train_pages = tc.fold_split(pages, extra, f)
        model = tc.train(train_pages, log=lambda *_: None)
        for p in test:
            a = analyse(p["capture"].splitlines(), model=model, prepared=p["prepared"])
            reasons = [r for r in a.reasons if r != "blank"]
            X = p["X"]
            rows.append({"key": p["key"], "set": p["set"], "type": p["type"], "fold": f,
                         "lines": [l for l in a.lines if l], "reasons": reasons, "y": p["y"],
                         "X": X[:, [_COL[n] for n in ("prose", "log_units", "head_zone", "tail_zone", "rel_pos")]],
                         "pred": "\n".join(a.body), "body": p["body"]})
        print(f"fold {f} done", flush=True)
    with open(out_path, "wb") as fh:
        pickle.dump(rows, fh)


def _longest_kept_run(kept: np.ndarray) -> np.ndarray:
    """The first longest run of kept lines, as a mask."""
    out = np.zeros(len(kept), dtype=bool)
    starts, stops = runs(kept)
    if len(starts):
        i = int(np.argmax(stops - starts))
        out[starts[i]:stops[i]] = True
    return out


def line_table(rows: list[dict]) -> list[dict]:
    """One record per capture line: its error kind and shingle weight."""
    recs = []
    for r in rows:
        kept = np.array([x is None for x in r["reasons"]])
        run = _longest_kept_run(kept)
        prose, log_units, head, tail, _ = r["X"].T
        for i, line in enumerate(r["lines"]):
            sh = max(len(_W.findall(line)) - 3, 1)
            body = r["y"][i] > 0
            err = "fp" if kept[i] and not body else "fn" if body and not kept[i] else "ok"
            units = np.expm1(log_units[i])
            recs.append({"key": r["key"], "set": r["set"], "type": r["type"] if r["set"] == "wcxb" else "news",
                         "err": err, "sh": sh, "reason": r["reasons"][i] or "kept",
                         "len": "short" if units < 4 else "mid" if units < 10 else "long",
                         "pos": "above" if head[i] else "below" if tail[i] else "region",
                         "prose": "prose" if prose[i] else "not", "run": "in-run" if run[i] else "off-run"})
    return recs


def table(rows: list[dict]) -> None:
    recs = line_table(rows)
    tot = defaultdict(float)
    for x in recs:
        tot[x["type"]] += x["sh"]

    def show(title, key):
        agg = defaultdict(lambda: [0.0, 0.0])
        for x in recs:
            if x["err"] != "ok" and x["set"] == "wcxb":
                agg[key(x)][0 if x["err"] == "fp" else 1] += x["sh"]
        all_sh = sum(tot[t] for t in tot if t != "news")
        print(f"\n{title} (wcxb; % of all capture shingles: false-kept / false-dropped)")
        for k, (fp, fn) in sorted(agg.items(), key=lambda kv: -sum(kv[1]))[:14]:
            print(f"  {str(k):40s} {100 * fp / all_sh:6.2f} {100 * fn / all_sh:6.2f}")

    by_type = defaultdict(lambda: [0.0, 0.0])
    for x in recs:
        if x["err"] != "ok":
            by_type[x["type"]][0 if x["err"] == "fp" else 1] += x["sh"]
    print("type: false-kept / false-dropped shingles, % of the type's capture shingles")
    for t, (fp, fn) in sorted(by_type.items(), key=lambda kv: -sum(kv[1])):
        print(f"  {t:14s} {100 * fp / tot[t]:6.2f} {100 * fn / tot[t]:6.2f}  (n shingles {tot[t]:.0f})")
    show("by type", lambda x: x["type"])
    show("by reason", lambda x: x["reason"])
    show("by length, position", lambda x: (x["len"], x["pos"]))
    show("by prose, run", lambda x: (x["prose"], x["run"]))
    show("by type, run, length", lambda x: (x["type"], x["run"], x["len"]))
    show("by type, reason", lambda x: (x["type"], x["reason"]))
    show("by type, position, prose", lambda x: (x["type"], x["pos"], x["prose"]))
    worst = defaultdict(lambda: [0.0, 0.0])
    for x in recs:
        if x["err"] != "ok":
            worst[(x["key"], x["type"])][0 if x["err"] == "fp" else 1] += x["sh"]
    print("\nworst pages (false-kept, false-dropped shingles)")
    for k, (fp, fn) in sorted(worst.items(), key=lambda kv: -sum(kv[1]))[:40]:
        print(f"  {k[0]:22s} {k[1]:14s} {fp:6.0f} {fn:6.0f}")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("out")
    ap.add_argument("--table", action="store_true")
    args = ap.parse_args(argv)
    if not args.table:
        run(args.out)
    with open(args.out, "rb") as fh:
        table(pickle.load(fh))


if __name__ == "__main__":
    main()
