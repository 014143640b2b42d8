"""The crawl frontier of a job, persisted in the `frontier` table; its one owner.

A crawl cycle starts from the seeds and ends when nothing is queued. A run killed half way
leaves queued rows behind; the next run of the job resumes from them and skips every url
already done (stored, processed, failed or skipped) in this cycle.
"""
from __future__ import annotations

import sqlite3
from deboil.models import ResumeState, utc_now

QUEUED, DONE, FAILED, SKIPPED = "queued", "done", "failed", "skipped"


class Frontier:
    """Writes go through one connection owned by one thread (the crawl writer). Every state
    change of a job's urls goes through this class."""

    def __init__(self, conn: sqlite3.Connection, job: str):
        self.conn = conn
        self.job = job

    def start_cycle(self, seeds: list[tuple[str, int]], fresh: bool = False) -> ResumeState:
        """Resume an unfinished cycle, or start a new one from `seeds` (always, when `fresh`:
        the queue of an unfinished cycle is dropped; stored pages are kept)."""
        with self.conn:
            if fresh:
                self.conn.execute("DELETE FROM frontier WHERE job=?", (self.job,))
            # A page stored after it was queued is done even if the run died before marking it.
            self.conn.execute(
                "UPDATE frontier SET state=?, updated=? WHERE job=? AND state=? AND EXISTS"
                " (SELECT 1 FROM pages p WHERE p.url = frontier.url AND p.last_seen >= frontier.queued_at)",
                (DONE, utc_now(), self.job, QUEUED))
            queued = self.conn.execute(
                "SELECT url, depth FROM frontier WHERE job=? AND state=? ORDER BY rowid",
                (self.job, QUEUED)).fetchall()
            if queued:
                handled = {u for (u,) in self.conn.execute(
                    "SELECT url FROM frontier WHERE job=? AND state<>?", (self.job, QUEUED))}
                return ResumeState(True, [(u, d) for u, d in queued], handled)
            self.conn.execute("DELETE FROM frontier WHERE job=?", (self.job,))
        self.add(seeds)
        return ResumeState(False, list(seeds), set())

    def add(self, entries: list[tuple[str, int]]) -> None:
        """Queue urls not yet known in this cycle (known ones keep their state)."""
        if not entries:
            return
        now = utc_now()
        with self.conn:
            self.conn.executemany(
                "INSERT OR IGNORE INTO frontier (job, url, depth, state, queued_at, updated)"
                " VALUES (?,?,?,?,?,?)",
                [(self.job, url, depth, QUEUED, now, now) for url, depth in entries])

    def mark(self, url: str, state: str, reason: str | None = None) -> None:
        now = utc_now()
        with self.conn:
            self.conn.execute(
                "INSERT INTO frontier (job, url, depth, state, reason, queued_at, updated)"
                " VALUES (?,?,0,?,?,?,?) ON CONFLICT(job, url) DO UPDATE SET"
                " state=excluded.state, reason=excluded.reason, updated=excluded.updated",
                (self.job, url, state, reason, now, now))

    def counts(self) -> dict[str, int]:
        return dict(self.conn.execute(
            "SELECT state, count(*) FROM frontier WHERE job=? GROUP BY state", (self.job,)))
