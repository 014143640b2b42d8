"""Read-only questions users ask of a corpus: search, one page, statistics, runs."""
from __future__ import annotations

import json
import re
from collections import Counter

from deboil.db import dups
from deboil.db.store import Store


def fts_query(q: str) -> str:
    """Quote each word so user input never breaks FTS5 syntax (hyphens, colons, quotes)."""
    words = re.findall(r"\w+", q)
    return " ".join(f'"{w}"' for w in words)


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
