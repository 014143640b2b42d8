"""One row of the training study: the capture CV (train_capture.cross_validate) with some of
train_capture's training constants changed, fold by fold, per type, and bodies kept.

    python -m tools.capture_train_study LINE_POWER=1 TYPE_POWER=0.5 [--out rows.jsonl]
"""
from __future__ import annotations

import argparse
import json
import time

from bench.scoring import corpus_f1
from tools import train_capture as tc

TYPES = ("article", "forum", "product", "listing", "collection", "documentation", "service")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("settings", nargs="*", help="NAME=VALUE of a train_capture constant")
    ap.add_argument("--out")
    args = ap.parse_args(argv)
    for item in args.settings:
        name, value = item.split("=")
        old = getattr(tc, name)
        setattr(tc, name, type(old)(value) if not isinstance(old, bool) else value == "True")
    t0 = time.time()
    pages = tc.load_pages()
    tc.featurise(pages)
    cv = tc.cross_validate(pages, trees=tc.TREES, depth=tc.DEPTH, clean_weight=tc.CLEAN_WEIGHT,
                           log=lambda *_: None)
    report_row(pages, cv, {"settings": args.settings, "thresholds": cv["thresholds"],
                           "seconds": round(time.time() - t0)}, args.out)


def report_row(pages: list[dict], cv: dict, row: dict, out: str | None) -> None:
    """Print (and append to `out`) one study row: F1 / P / R, fold by fold and bodies kept per
    set, F1 and precision per wcxb page type, after the keys already in `row`."""
    for name in ("wcxb", "news"):
        sel = [p for p in pages if p["set"] == name]
        r = corpus_f1((cv["text"][p["key"]], p["body"]) for p in sel)
        row[name] = [round(r["f1"], 4), round(r["precision"], 4), round(r["recall"], 4)]
        row[name + "_folds"] = [round(corpus_f1((cv["text"][p["key"]], p["body"]) for p in sel
                                                if tc.fold_of(p["group"], tc.FOLDS) == f)["f1"], 4)
                                for f in range(tc.FOLDS)]
        row[name + "_bodies"] = round(tc.shingle_retention((cv["body"][p["key"]], p["body"]) for p in sel), 5)
    for t in TYPES:
        r = corpus_f1((cv["text"][p["key"]], p["body"]) for p in pages if p["set"] == "wcxb" and p["type"] == t)
        row[t] = [round(r["f1"], 3), round(r["precision"], 3)]
    line = json.dumps(row)
    print(line, flush=True)
    if out:
        with open(out, "a", encoding="utf-8") as fh:
            fh.write(line + "\n")

if __name__ == "__main__":
    main()
