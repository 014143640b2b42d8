"""After a run: re-clean the run's pages of sites whose template knowledge grew during it.

Pages cleaned early in a run could not yet know which lines repeat across the site; a second
pass over just those pages (from stored raw bytes) applies what the run learned.
"""
from __future__ import annotations

from .runner import RunResult


def reclean_template_sites(store, result: RunResult, *, workers: int, timeout: float,
                           urls: list[str] | None = None) -> None:
    """`urls`: only these pages (a crawl passes those it stored new or changed, not the
    ones it merely found unchanged)."""
    from .runner import Runner

    if not result.sites:
        return
    if urls is None:
        urls = [u for (u,) in store.conn.execute("SELECT url FROM pages WHERE run_id=? AND site IS NOT NULL",
                                                  (result.run_id,))]
    if not urls:
        return
    runner = Runner(store, "reclean", {"after_run": result.run_id}, workers=workers,
                    timeout=timeout, save_raw=False, amend_run=result.run_id)
    for raw in store.raw_pages(urls=urls):
        runner.feed(raw)
    again = runner.finish()
    result.counts["retemplated"] = again.counts["changed"]
