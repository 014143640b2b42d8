"""After a run: re-clean the run's pages that what the run learned about templates changes.

Pages cleaned early in a run could not yet know which lines repeat across the site. A page
is cleaned again (from its stored raw bytes) only when one of its lines has since become a
template candidate and was not already removed as template, so a run pays for the second
pass only where it can matter (and never for HTML pages, which carry no line fingerprints).
"""
from __future__ import annotations

import json

from deboil.cleaners.capture.lines import template_candidates
from deboil.cleaners.capture.template import line_hash
from deboil.db.store import url_chunks

from deboil.run.runner import RunResult


def pages_to_reclean(store, urls: list[str]) -> list[str]:
    candidates: dict[str, set[str]] = {}
    chosen = []
    for marks, chunk in url_chunks(urls):
        rows = store.conn.execute(
            f"SELECT url, site, line_hashes, removed FROM pages WHERE url IN ({marks})", chunk)
        for url, site, hashes, removed in rows:
            if not site or not hashes or hashes == "[]":
                continue
            if site not in candidates:
                candidates[site] = template_candidates(store.site_template(site))
            new = set(json.loads(hashes)) & candidates[site]
            if new - {line_hash(r["text"]) for r in json.loads(removed or "[]") if r["reason"] == "template"}:
                chosen.append(url)
    return chosen


def reclean_template_sites(store, result: RunResult, *, workers: int, timeout: float,
                           urls: list[str] | None = None) -> None:
    """`urls`: only these pages (a crawl passes those it stored new or changed, not the
    ones it merely found unchanged); by default every page the run stored."""
    from deboil.run.runner import Runner

    if not result.sites:
        return
    if urls is None:
        urls = [u for (u,) in store.conn.execute(
            "SELECT url FROM pages WHERE run_id=? AND site IS NOT NULL", (result.run_id,))]
    urls = pages_to_reclean(store, urls)
    if not urls:
        return
    runner = Runner(store, "reclean", {"after_run": result.run_id}, workers=workers,
                    timeout=timeout, save_raw=False, amend_run=result.run_id)
    for raw in store.raw_pages(urls=urls):
        runner.feed(raw)
    again = runner.finish()
    result.counts["retemplated"] = again.counts["changed"]
