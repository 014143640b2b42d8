"""Read-only questions users ask of a corpus: search, one page, statistics, runs."""
from __future__ import annotations

import json
import re
from collections import Counter

from deboil.db.store import Store


# FTS5's snippet() is quadratic in the query's terms (one word 100 times: 22 s); a query
# past these bounds says no more than its first distinct words do.
MAX_QUERY_CHARS = 1000
MAX_TERMS = 32


def fts_query(q: str) -> str:
    """Quote each word so user input never breaks FTS5 syntax (hyphens, colons, quotes);
    each word once (all terms must match, so a repeat adds nothing), at most MAX_TERMS."""
    words: dict[str, str] = {}
    for w in re.findall(r"\w+", q[:MAX_QUERY_CHARS]):
        words.setdefault(w.casefold(), w)
        if len(words) == MAX_TERMS:
            break
    return " ".join(f'"{w}"' for w in words.values())


def search(store: Store, query: str, limit: int = 20, site: str | None = None,
           lang: str | None = None) -> list[dict]:
    match = fts_query(query)
    if not match:
        return []
    sql = (
        "SELECT pages.url, pages.title, pages.lang, pages.published,"
        " snippet(pages_fts, 1, '[', ']', ' … ', 12) AS snippet, pages_fts.rank AS rank"
        " FROM pages_fts JOIN pages ON pages.rowid = pages_fts.rowid"
        " WHERE pages_fts MATCH ?"
    )
    args: list = [match]
    if site:
        sql += " AND pages.site = ?"
        args.append(site)
    if lang:
        sql += " AND pages.lang = ?"
        args.append(lang)
    sql += " ORDER BY rank LIMIT ?"
    args.append(limit)
    return [dict(r) for r in _rows(store, sql, args)]


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
