"""Leave-one-rule-out audit of the HTML hand rules (deboil/cleaners/html/rules.py), out of fold.

    PYTHONPATH=. python -m tools.html_rules_audit [--cache DIR] [--rules a,b] [--limit N]

Every wcxb-dev page is read by the rules (block model off: what it edits) with all rules
on, then once with each rule off; each reading is scored by word F1 against the truth.
Inside the domain-grouped 5-fold CV of bench/html_cv.py, each rule is kept in a fold when
it raises the mean F1 of the four training folds (strictly; a tie drops it) and the
held-out fold is scored with that choice. A rule's out-of-fold contribution is that
score minus the score with the rule always off: a rule that helps only the page it was
written for contributes ~0. A page is read again only with the rules that fired on it
(rules.consulted; a rule that did not fire cannot change the reading), and trafilatura's
runs are shared between a page's readings (same tree, same options: same result).
Per-page scores are cached in DIR/rules-audit.jsonl.
"""
from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import sys
from pathlib import Path

import numpy as np
import trafilatura
from lxml import etree

from bench.html_cv import dev_pages, group_folds
from bench.paths import find_shared
from bench.scoring import word_f1
from deboil.cleaners.html import extract as deboil_html
from deboil.cleaners.html.learned import rules_only
from deboil.cleaners.html.rules import RULES, consulted, rules_off
from deboil.models import CleanPage, Context

ALL_ON = "(all on)"


class _SharedTrafilatura:
    """trafilatura.bare_extraction, answered from memory for a tree and options already
    seen on this page (trafilatura works on a copy: the tree it is given is unchanged)."""

    def __init__(self):
        self.real, self.memo = trafilatura.bare_extraction, {}

    def __call__(self, tree, **options):
        if not isinstance(tree, etree._Element):
            return self.real(tree, **options)
        key = (hashlib.md5(etree.tostring(tree)).hexdigest(), tuple(sorted(options.items())))
        if key not in self.memo:
            self.memo[key] = self.real(tree, **options)
        return self.memo[key]


def _read(html: str, url: str, off: list[str]) -> str:
    with rules_only(), rules_off(*off):
        page = deboil_html.extract_html(CleanPage(url=url or "file:///page.html", document=html), Context())
    return page.text or ""


def read_page(html: str, url: str, rules: list[str]) -> dict[str, str]:
    """The rules' text of one page with all rules on, and with each of `rules` off (the
    all-on text where the rule did not fire)."""
    with consulted() as fired:
        out = {ALL_ON: _read(html, url, [])}
    for name in rules:
        out[name] = _read(html, url, [name]) if name in fired else out[ALL_ON]
    return out


def audit_scores(cache: Path, rules: list[str], limit: int | None = None) -> tuple[dict, dict]:
    """Per page: {variant: word F1} and {variant: text differs from all-on}; cached."""
    base, meta = dev_pages(find_shared())
    path = cache / "rules-audit.jsonl"
    text = path.read_text() if path.exists() else ""
    if not text.endswith("\n") and text:  # a run stopped mid-line: its partial last line goes
        text = text[:text.rfind("\n") + 1]
        path.write_text(text)
    recs = {r["id"]: r for r in map(json.loads, text.splitlines())}
    keys = sorted(meta)[:limit]
    shared = _SharedTrafilatura()
    trafilatura.bare_extraction = shared
    try:
        with path.open("a") as fh:
            for i, key in enumerate(keys):
                have = recs.get(key, {}).get("f1", {})
                todo = [r for r in rules if r not in have]
                if key in recs and not todo:
                    continue
                gt = json.loads((base / "ground-truth" / f"{key}.json").read_text())
                truth = gt["ground_truth"].get("main_content") or ""
                html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
                shared.memo.clear()
                texts = read_page(html, gt.get("url") or "", todo)
                rec = recs.setdefault(key, {"id": key, "f1": {}, "changed": {}})
                rec["f1"].update({v: word_f1(t, truth) for v, t in texts.items()})
                rec["changed"].update({v: t != texts[ALL_ON] for v, t in texts.items() if v != ALL_ON})
                fh.write(json.dumps(rec) + "\n")
                fh.flush()
                if i % 100 == 0:
                    print(f"{i}/{len(keys)}", file=sys.stderr, flush=True)
    finally:
        trafilatura.bare_extraction = shared.real
    return {k: recs[k] for k in keys if k in recs}, meta


def audit(recs: dict, meta: dict, rules: list[str], k: int = 5) -> list[dict]:
    keys = sorted(recs)
    folds = group_folds([meta[key]["domain"] for key in keys], k)
    on = np.array([recs[key]["f1"][ALL_ON] for key in keys])
    rows = []
    for name in rules:
        off = np.array([recs[key]["f1"][name] for key in keys])
        oof, kept = off.copy(), 0
        for f in range(k):
            train, test = folds != f, folds == f
            if (on[train] - off[train]).mean() > 0:
                oof[test], kept = on[test], kept + 1
        rows.append({"rule": name, "pages": sum(recs[key]["changed"][name] for key in keys),
                     "in_sample": float((on - off).mean()), "folds_kept": kept,
                     "oof": float((oof - off).mean()), "oof_f1": float(oof.mean())})
    return rows


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--rules", default=",".join(RULES), help="the rules to audit (default: all)")
    ap.add_argument("--limit", type=int, help="the first N pages only (a quick look, not a figure)")
    args = ap.parse_args(argv)
    rules = [r for r in args.rules.split(",") if r]
    unknown = set(rules) - RULES.keys()
    if unknown:
        ap.error(f"unknown rules: {', '.join(sorted(unknown))}")
    cache = Path(args.cache)
    cache.mkdir(parents=True, exist_ok=True)
    recs, meta = audit_scores(cache, rules, args.limit)
    rows = audit(recs, meta, rules)
    all_on = np.mean([r["f1"][ALL_ON] for r in recs.values()])
    print(f"wcxb-dev ({len(recs)} pages), rules only (block model off), word F1 with every rule on: {all_on:.4f}")
    print("rule                   pages  in-sample  folds kept  out-of-fold contribution")
    for r in sorted(rows, key=lambda r: r["oof"]):
        print(f"  {r['rule']:22} {r['pages']:4}  {r['in_sample']:+.5f}     {r['folds_kept']}/5      {r['oof']:+.5f}")


if __name__ == "__main__":
    main()
