"""After a run: re-clean the run's pages that what the run learned about templates changes.

Pages cleaned early in a run could not yet know which lines repeat across the site. A page
is cleaned again (from its stored raw bytes) only when one of its lines has since become a
template candidate and was not already removed as template, so a run pays for the second
pass only where it can matter (and never for HTML pages, which carry no line fingerprints).
"""
from __future__ import annotations

from deboil.run.counters import CHANGED, RETEMPLATED
from deboil.run.runner import RunResult, SavedLines


def pages_to_reclean(store, saved: list[SavedLines]) -> list[str]:
    from deboil.cleaners.capture.lines import template_candidates  # only runs with captures: imported then

    candidates: dict[str, set[str]] = {}
    chosen = []
    for entry in {s.url: s for s in saved}.values():  # a url saved twice: its last page
        if entry.site not in candidates:
            candidates[entry.site] = template_candidates(store.site_template(entry.site))
        if (entry.hashes & candidates[entry.site]) - entry.template_removed:
            chosen.append(entry.url)
    return chosen


def reclean_template_sites(store, result: RunResult, *, workers: int, timeout: float,
                           changed_only: bool = False) -> None:
    """Fed by the pages the run saved (`result.saved_lines`), not by querying them back.
    `changed_only`: only pages stored new or changed (a crawl: re-cleaning pages it found
    unchanged could turn template drift into spurious versions)."""
    from deboil.run.runner import Runner

    if not result.sites:
        return
    saved = [s for s in result.saved_lines if s.outcome != "unchanged" or not changed_only]
    urls = pages_to_reclean(store, saved)
    if not urls:
        return
    runner = Runner(store, "reclean", {"after_run": result.run_id}, workers=workers,
                    timeout=timeout, save_raw=False, amend_run=result.run_id)
    for raw in store.raw_pages(urls=urls):
        runner.feed(raw)
    again = runner.finish()
    result.counts[RETEMPLATED] = again.counts[CHANGED]
