"""Export one record per page as JSON Lines, CSV or Parquet, streaming (memory stays flat)."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
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
DATE_FIELDS = ("published", "updated", "first_seen", "last_seen", "last_changed")


@dataclass(frozen=True)
class Filters:
    """Which pages to export. `since`/`until` bound `date_field` (ISO 8601 text, compared as
    written: a date-only `until` takes in the whole day); pages without that date are left
    out when either bound is given."""

    site: str | None = None
    lang: str | None = None
    page_type: str | None = None
    kind: str | None = None
    since: str | None = None
    until: str | None = None
    date_field: str = "published"
    unique: bool = False  # one page per set of copies (the first stored) and every page without one

    def where(self) -> tuple[str, list]:
        terms, args = [], []
        for col in ("site", "lang", "page_type", "kind"):
            value = getattr(self, col)
            if value is not None:
                terms.append(f"{col} = ?")
                args.append(value)
        if self.date_field not in DATE_FIELDS:
            raise ValueError(f"unknown date field {self.date_field!r} (use one of {DATE_FIELDS})")
        if self.since:
            terms.append(f"{self.date_field} >= ?")
            args.append(self.since)
        if self.until:  # the prefix: '2024-03-01T10:00' is within until '2024-03-01'
            terms.append(f"substr({self.date_field}, 1, ?) <= ?")
            args += [len(self.until), self.until]
        return (" WHERE " + " AND ".join(terms) if terms else ""), args


def records(store: Store, site: str | None = None, filters: Filters | None = None) -> Iterator[dict]:
    filters = filters or Filters(site=site)
    where, args = filters.where()
    # A file from before the duplicate index answers as if no page had a copy.
    has_dups = dups.indexed(store.conn)
    columns = [f if has_dups or f not in dups.FIELDS else f"NULL AS {f}" for f in FIELDS]
    if filters.unique and has_dups:
        where = (where + " AND" if where else " WHERE") + " dup_of IS NULL"
    sql = f"SELECT {', '.join(columns)} FROM pages{where} ORDER BY url"
    for row in store.conn.execute(sql, args):
        rec = dict(zip(FIELDS, row))
        for col in _JSON_COLS:
            rec[col] = json.loads(rec[col]) if rec[col] else ({} if col != "removed" else [])
        yield rec


def write(store: Store, out: IO[str], fmt: str = "jsonl", site: str | None = None,
          filters: Filters | None = None) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in records(store, site, filters):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for rec in records(store, site, filters):
            for col in _JSON_COLS:
                rec[col] = json.dumps(rec[col], ensure_ascii=False)
            writer.writerow(rec)
            n += 1
    else:
        raise ValueError(f"unknown export format {fmt!r} (use jsonl, csv or parquet)")
    return n
