"""Read-only questions users ask of a corpus: search, one page, statistics, runs."""
from __future__ import annotations

import json
from collections import Counter

from deboil.db import dups
from deboil.db.fts_query import match_expression
from deboil.db.store import Store


def fts_query(q: str) -> str:
    """FTS5 syntax as typed; text that is not valid FTS5 as its plain words (fts_query.py)."""
    return match_expression(q)


def search(store: Store, query: str, limit: int = 20, site: str | None = None,
           lang: str | None = None, collapse: bool = False) -> list[dict]:
    """`collapse`: copies of one text give one hit (the best ranked), with `copies` counting
    the other members of its cluster that matched too."""
    match = fts_query(query)
    if not match:
        return []
    sql = (
        "SELECT pages.url, pages.title, pages.lang, pages.published,"
        " snippet(pages_fts, 1, '[', ']', ' … ', 12) AS snippet, pages_fts.rank AS rank,"
        + (" pages.dup_cluster" if dups.indexed(store.conn) else " NULL AS dup_cluster")
        + " FROM pages_fts JOIN pages ON pages.rowid = pages_fts.rowid"
        " WHERE pages_fts MATCH ?"
    )
    args: list = [match]
    if site:
        sql += " AND pages.site = ?"
        args.append(site)
    if lang:
        sql += " AND pages.lang = ?"
        args.append(lang)
    if not collapse:
        sql += " ORDER BY rank LIMIT ?"
        args.append(limit)
        return [dict(r) for r in _rows(store, sql, args)]
    hits: dict = {}  # first hit of each cluster (rank order), or of each page with no copy
    for row in _rows(store, sql + " ORDER BY rank", args):
        key = row["dup_cluster"] if row["dup_cluster"] is not None else ("url", row["url"])
        if key in hits:
            hits[key]["copies"] += 1
        elif len(hits) < limit:
            hits[key] = dict(row, copies=0)
    return list(hits.values())


def _rows(store: Store, sql: str, args=()):
    cur = store.conn.execute(sql, args)
    names = [d[0] for d in cur.description]
    for row in cur:
        yield dict(zip(names, row))


def page(store: Store, url: str) -> dict | None:
    rows = list(_rows(store, "SELECT * FROM pages WHERE url = ?", [url]))
    if not rows:
        return None
    row = rows[0]
    for col in ("issues", "removed", "langs"):
        row[col] = json.loads(row[col] or "null")
    row.pop("line_hashes", None)
    row["versions"] = [r["version"] for r in _rows(
        store, "SELECT version FROM versions WHERE url=? ORDER BY version", [url])]
    row["failures"] = list(_rows(
        store, "SELECT stage, level, reason, at FROM failures WHERE url=? ORDER BY id", [url]))
    return row


def stats(store: Store) -> dict:
    conn = store.conn
    issues: Counter = Counter()
    reasons: Counter = Counter()
    for (iss, rem) in conn.execute("SELECT issues, removed FROM pages"):
        issues.update(json.loads(iss or "{}"))
        reasons.update(r["reason"] for r in json.loads(rem or "[]"))
    return {
        "pages": conn.execute("SELECT count(*) FROM pages").fetchone()[0],
        "versions": conn.execute("SELECT count(*) FROM versions").fetchone()[0],
        "words_kept": conn.execute("SELECT coalesce(sum(word_count),0) FROM pages").fetchone()[0],
        "words_removed": conn.execute("SELECT coalesce(sum(removed_words),0) FROM pages").fetchone()[0],
        **dups.counts(conn),
        "by_site": dict(conn.execute(
            "SELECT coalesce(site,'(none)'), count(*) FROM pages GROUP BY 1 ORDER BY 2 DESC")),
        "by_lang": dict(conn.execute(
            "SELECT lang, count(*) FROM pages GROUP BY 1 ORDER BY 2 DESC")),
        "issues": dict(issues.most_common()),
        "removed_reasons": dict(reasons.most_common()),
        "failures": dict(conn.execute(
            "SELECT stage || CASE level WHEN 'warning' THEN ' (warning)' ELSE '' END, count(*)"
            " FROM failures GROUP BY 1 ORDER BY 2 DESC")),
    }


def runs(store: Store, limit: int = 20) -> list[dict]:
    out = []
    for r in _rows(store, "SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]):
        r["counts"] = json.loads(r["counts"] or "{}")
        r["options"] = json.loads(r["options"] or "{}")
        r["steps"] = json.loads(r["steps"] or "{}")
        out.append(r)
    return out


def count_pages(store: Store) -> int:
    return store.conn.execute("SELECT count(*) FROM pages").fetchone()[0]


def count_raw(store: Store, site: str | None = None) -> int:
    if site:
        return store.conn.execute("SELECT count(*) FROM raw WHERE site = ?", [site]).fetchone()[0]
    return store.conn.execute("SELECT count(*) FROM raw").fetchone()[0]


def failures(store: Store, run_id: int | None = None, limit: int | None = None) -> tuple[int | None, list[dict]]:
    """(run id, its failures): of `run_id`, or of the latest run that has any."""
    if run_id is None:
        row = store.conn.execute("SELECT max(run_id) FROM failures").fetchone()
        run_id = row[0] if row else None
    if run_id is None:
        return None, []
    sql = ("SELECT id, url, stage, level, reason, at FROM failures WHERE run_id = ?"
           " ORDER BY level, stage, reason, url")
    args: list = [run_id]
    if limit:
        sql += " LIMIT ?"
        args.append(limit)
    return run_id, list(_rows(store, sql, args))


def schema_version(store: Store) -> int:
    """PRAGMA user_version: 0 for a file deboil never wrote."""
    return store.conn.execute("PRAGMA user_version").fetchone()[0]
