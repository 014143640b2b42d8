"""Export one record per page as JSON Lines or CSV, streaming (memory stays flat)."""
from __future__ import annotations

import csv
import json
from typing import IO, Iterator

from deboil.db import dups
from deboil.db.store import Store

FIELDS = [
    "url", "site", "source", "kind", "title", "author", "published", "updated",
    "canonical_url", "site_name", "page_type", "lang", "lang_confidence", "langs",
    "encoding", "encoding_source", "issues", "word_count", "removed_words", "version",
    "first_seen", "last_seen", "text_hash", "text", "removed",
    "dup_of", "dup_cluster", "dup_similarity",
]
_JSON_COLS = {"langs", "issues", "removed"}


def records(store: Store, site: str | None = None, unique: bool = False) -> Iterator[dict]:
    """`unique`: one page per cluster of copies (its first-stored page) and every page
    that has no copy."""
    has_dups = dups.indexed(store.conn)
    columns = [f if has_dups or f not in dups.FIELDS else f"NULL AS {f}" for f in FIELDS]
    sql = f"SELECT {', '.join(columns)} FROM pages"
    where, args = [], []
    if site:
        where.append("site = ?")
        args.append(site)
    if unique and has_dups:
        where.append("dup_of IS NULL")
    if where:
        sql += " WHERE " + " AND ".join(where)
    sql += " ORDER BY url"
    for row in store.conn.execute(sql, args):
        rec = dict(zip(FIELDS, row))
        for col in _JSON_COLS:
            rec[col] = json.loads(rec[col]) if rec[col] else ({} if col != "removed" else [])
        yield rec


def write(store: Store, out: IO[str], fmt: str = "jsonl", site: str | None = None,
          unique: bool = False) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in records(store, site, unique):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for rec in records(store, site, unique):
            for col in _JSON_COLS:
                rec[col] = json.dumps(rec[col], ensure_ascii=False)
            writer.writerow(rec)
            n += 1
    else:
        raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")
    return n
