"""Honest capture figures: the line classifier retrained per fold (5 folds grouped by
domain, the threshold chosen inside each training fold, nothing saved; tools/train_capture.py)
and scored only on domains it never saw, on text-captures-wcxb (seven page types) and the
news captures together.

Printed per page type, in the same run, beside the raw capture and trafilatura 2.3
(defaults, comments off) given the same pages' HTML (../shared/bench/wcxb-dev/html),
all scored by shingle F1 against the same true bodies; then the news captures, and the
F1 of each test fold, and the share of shingles kept when the true bodies are fed as
captures (by the fold's model).
"""
from __future__ import annotations

import gzip
import time
from collections import defaultdict

import trafilatura

from bench.paths import find_shared
from bench.scoring import corpus_f1
from tools import capture_cache, train_capture


def trafilatura_texts(pages: list[dict]) -> dict[str, str]:
    """Trafilatura on each wcxb page's HTML (cached under DEBOIL_CAPTURE_CACHE)."""
    ids = [p["id"] for p in pages if p["set"] == "wcxb"]
    return capture_cache.cached("trafilatura", capture_cache.digest(trafilatura.__version__, ids),
                                lambda: _trafilatura_texts(pages))


def _trafilatura_texts(pages: list[dict]) -> dict[str, str]:
    html_dir = find_shared() / "bench" / "wcxb-dev" / "html"
    out = {}
    for p in pages:
        if p["set"] != "wcxb":
            continue
        html = gzip.decompress((html_dir / f"{p['id']}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        out[p["key"]] = trafilatura.extract(html, include_comments=False) or ""
    return out


def _row(name: str, results: dict[str, dict]) -> str:
    return f"  {name:14s}" + "".join(
        f"  {results[k]['f1']:.3f} {results[k]['precision']:.3f} {results[k]['recall']:.3f}" for k in ("deboil", "raw", "traf")
        if k in results)


def main() -> None:
    t0 = time.perf_counter()
    pages = train_capture.load_pages()
    train_capture.featurise(pages)
    cv = train_capture.cross_validate(pages, log=lambda *_: None)
    t_cv = time.perf_counter() - t0
    traf = trafilatura_texts(pages)
    groups: dict[str, dict[str, list]] = defaultdict(lambda: defaultdict(list))
    for p in pages:
        names = ["news"] if p["set"] == "news" else ["wcxb", p["type"]]
        for name in names:
            groups[name]["deboil"].append((cv["text"][p["key"]], p["body"]))
            groups[name]["raw"].append((p["capture"], p["body"]))
            if p["key"] in traf:
                groups[name]["traf"].append((traf[p["key"]], p["body"]))
    print(f"capture classifier, 5-fold CV grouped by domain ({len(pages)} pages, "
          f"{len({p['group'] for p in pages})} domains; thresholds chosen in training folds: "
          f"{cv['thresholds']}; {t_cv:.0f}s)")
    print("  shingle F1 P R:  deboil on the capture | raw capture | trafilatura on the page's HTML")
    order = ["wcxb", "article", "forum", "product", "listing", "collection", "documentation", "service", "news"]
    for name in order:
        if name in groups:
            n = len(groups[name]["deboil"])
            print(_row(f"{name} ({n})", {k: corpus_f1(v) for k, v in groups[name].items()}))
    for name in ("wcxb", "news"):
        sel = [p for p in pages if p["set"] == name]
        folds = [corpus_f1([(cv["text"][p["key"]], p["body"]) for p in sel
                            if train_capture.fold_of(p["group"], train_capture.FOLDS) == f])["f1"]
                 for f in range(train_capture.FOLDS)]
        print(f"  {name} F1 by fold: " + " ".join(f"{x:.3f}" for x in folds))
    for name in ("wcxb", "news"):
        sel = [p for p in pages if p["set"] == name]
        ret = train_capture.shingle_retention((cv["body"][p["key"]], p["body"]) for p in sel)
        print(f"  true bodies fed as captures ({name}): {ret:.2%} of shingles kept")


if __name__ == "__main__":
    main()
