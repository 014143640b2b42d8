"""The names of a run's counters, defined once: the runs row, summaries and progress use them."""
from __future__ import annotations

SEEN = "seen"  # inputs handed to the cleaners
NEW = "new"  # stored for the first time
CHANGED = "changed"  # stored again with a new text (a new version)
UNCHANGED = "unchanged"  # stored again, same text (no new version)
FAILED = "failed"  # not stored: one failures row each
WARNINGS = "warnings"  # stored, but the input was damaged: a failures row at level warning
SKIPPED = "skipped"  # not a page, on purpose (wrong type, robots.txt, ...)
FETCHED = "fetched"  # crawl: responses received
NOT_MODIFIED = "not_modified"  # crawl: 304 answers to conditional requests
ROBOTS_SKIPPED = "robots_skipped"  # crawl: urls robots.txt disallows
RETEMPLATED = "retemplated"  # pages the template pass after a run changed

STORED = (NEW, CHANGED, UNCHANGED)
# Always present in a crawl's runs row and summary line, even when zero.
CRAWL = (FETCHED, NEW, CHANGED, UNCHANGED, NOT_MODIFIED, FAILED, ROBOTS_SKIPPED)
