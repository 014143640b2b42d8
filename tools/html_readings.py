"""Cache every candidate reading of the benchmark pages once, so CV experiments are cheap.

    PYTHONPATH=. python -m tools.html_readings [--out DIR] [--set wcxb|article] [--limit N] [--redo-rules]

For each page of ../shared/bench/wcxb-dev (and article-extraction) writes one JSON line:
trafilatura's three modes (comments off), deboil's rule-steered `extract_html` output (block model off) (text,
page type, the method body_blocks chose), the plain DOM pass over the main region, and the
seconds each took. The cache lives outside the repository (default /work/cache-html).
`--redo-rules` reads deboil's rules again on the cached pages (after a change to the rules;
the trafilatura and DOM readings do not depend on them); a cached block table is then stale.
"""
from __future__ import annotations

import argparse
import gzip
import json
import sys
import time
from pathlib import Path

import trafilatura
from trafilatura.utils import load_html

from bench.paths import find_shared
from deboil.cleaners.html import extract as deboil_html
from deboil.cleaners.html.fallback import dom_blocks
from deboil.cleaners.html.learned import rules_only
from deboil.models import CleanPage, Context


def pages(shared: Path, which: str):
    if which == "wcxb":
        base = shared / "bench" / "wcxb-dev"
        meta = json.loads((base / "metadata.json").read_text())
        for key in sorted(meta):
            gt = json.loads((base / "ground-truth" / f"{key}.json").read_text())
            yield key, gt.get("url") or "", base / "html" / f"{key}.html.gz"
    else:
        base = shared / "bench" / "article-extraction"
        truth = json.loads((base / "ground-truth.json").read_text())
        for key in sorted(truth):
            yield key, truth[key].get("url") or "", base / "html" / f"{key}.html.gz"


def _traf(html: str, url: str, **mode) -> str:
    doc = trafilatura.bare_extraction(html, url=url or None, include_comments=False, with_metadata=False,
                                      include_tables=True, **mode)
    return (doc.text or "") if doc is not None else ""


def read_page(html: str, url: str) -> dict:
    rec: dict = {}
    for name, fn in (("traf", lambda: _traf(html, url)),
                     ("traf_precision", lambda: _traf(html, url, favor_precision=True)),
                     ("traf_recall", lambda: _traf(html, url, favor_recall=True))):
        t0 = time.perf_counter()
        rec[name] = fn()
        rec[f"sec_{name}"] = time.perf_counter() - t0
    rec.update(rules_reading(html, url))
    tree = load_html(html)
    rec["dom"] = "\n".join(dom_blocks(tree)) if tree is not None else ""
    return rec


def rules_reading(html: str, url: str) -> dict:
    """deboil's rules (block model off): text, detected type, method, seconds."""
    rec: dict = {}
    chosen: list[str] = []
    real = deboil_html.body_blocks

    def spy(*a, **k):
        blocks, method = real(*a, **k)
        chosen.append(method)
        return blocks, method

    deboil_html.body_blocks = spy
    try:
        t0 = time.perf_counter()
        with rules_only():  # the rules' reading: what the block model edits
            page = deboil_html.extract_html(CleanPage(url=url or "file:///page.html", document=html), Context())
        rec["sec_deboil"] = time.perf_counter() - t0
    finally:
        deboil_html.body_blocks = real
    rec.update(deboil=page.text or "", deboil_type=page.page_type, deboil_method=chosen[0] if chosen else None)
    return rec


def redo_rules(out: Path, which: str) -> None:
    """Every cached record with deboil's rules read again (the file is replaced whole)."""
    recs = [json.loads(line) for line in out.open()]
    paths = {key: (url, path) for key, url, path in pages(find_shared(), which)}
    with out.with_suffix(".tmp").open("w") as fh:
        for i, rec in enumerate(recs):
            url, path = paths[rec["id"]]
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            rec.update(rules_reading(html, url))
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            if i % 100 == 0:
                print(i, rec["id"], file=sys.stderr, flush=True)
    out.with_suffix(".tmp").replace(out)


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--out", default="/work/cache-html")
    ap.add_argument("--set", choices=["wcxb", "article"], default="wcxb")
    ap.add_argument("--limit", type=int)
    ap.add_argument("--redo-rules", action="store_true", help="read deboil's rules again on the cached pages")
    args = ap.parse_args(argv)
    out = Path(args.out) / f"readings-{args.set}.jsonl"
    out.parent.mkdir(parents=True, exist_ok=True)
    if args.redo_rules:
        redo_rules(out, args.set)
        return
    done = set()
    if out.exists():
        done = {json.loads(line)["id"] for line in out.open()}
    with out.open("a") as fh:
        for i, (key, url, path) in enumerate(pages(find_shared(), args.set)):
            if args.limit and i >= args.limit:
                break
            if key in done:
                continue
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            rec = {"id": key, "url": url, **read_page(html, url)}
            fh.write(json.dumps(rec, ensure_ascii=False) + "\n")
            fh.flush()
            if i % 100 == 0:
                print(i, key, file=sys.stderr, flush=True)


if __name__ == "__main__":
    main()
