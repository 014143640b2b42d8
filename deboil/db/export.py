"""Export one record per page as JSON Lines, CSV or Parquet, streaming (memory stays flat)."""
from __future__ import annotations

import csv
import json
from dataclasses import dataclass
from datetime import datetime, timezone
from typing import IO, Callable, Iterator

from deboil.db import dups
from deboil.db.store import Store
from deboil.stored_dates import restored

FIELDS = [
    "url", "site", "source", "kind", "title", "author", "published", "updated",
    "published_local", "updated_local", "canonical_url", "site_name", "page_type", "lang", "lang_confidence", "langs",
    "encoding", "encoding_source", "issues", "word_count", "removed_words", "version",
    "first_seen", "last_seen", "text_hash", "text", "removed",
    "dup_of", "dup_cluster", "dup_similarity",
]
_JSON_COLS = {"langs", "issues", "removed"}
DATE_FIELDS = ("published", "updated", "first_seen", "last_seen", "last_changed")
_LOCAL_FIELDS = ("published_local", "updated_local")


def _page_columns(store: Store) -> set[str]:
    return {row[1] for row in store.conn.execute("PRAGMA table_info(pages)")}


@dataclass(frozen=True)
class Filters:
    """Which pages to export. `since`/`until` bound `date_field` (ISO 8601); pages without
    that date are left out when either bound is given. A date-only bound compares calendar
    dates as stored (the page's own date; `until` takes in the whole day). A bound with a
    time is a moment (UTC when it gives no offset), compared with stored date-times as
    moments (SQLite's datetime() applies their offsets) and with date-only values by date."""

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
        col = self.date_field
        for bound, op in ((self.since, ">="), (self.until, "<=")):
            if not bound:
                continue
            moment = utc_moment(bound)
            if moment is None:  # a date: the stored calendar date, whatever the stored form
                terms.append(f"substr({col}, 1, 10) {op} ?")
                args.append(bound[:10])
            else:
                terms.append(f"(CASE WHEN length({col}) > 10 THEN datetime({col}) {op} ?"
                             f" ELSE {col} {op} ? END)")
                args += [moment, moment[:10]]
        return (" WHERE " + " AND ".join(terms) if terms else ""), args


def utc_moment(bound: str) -> str | None:
    """A bound with a time as UTC text in SQLite's datetime() form ("YYYY-MM-DD HH:MM:SS"),
    a time without an offset taken as UTC; None for a date alone."""
    if len(bound) <= 10:
        return None
    moment = datetime.fromisoformat(bound.replace("Z", "+00:00"))
    if moment.tzinfo is not None:
        moment = moment.astimezone(timezone.utc).replace(tzinfo=None)
    return moment.strftime("%Y-%m-%d %H:%M:%S")


class _Undecodable(bytes):
    """A TEXT value whose bytes are not UTF-8 (written by another program)."""


def _text(value: bytes):
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return _Undecodable(value)


def records(store: Store, site: str | None = None, filters: Filters | None = None,
            on_error: Callable[[str, str], None] | None = None) -> Iterator[dict]:
    """Pages in url order. A row that cannot be read as text or JSON goes to
    `on_error(url, reason)` and is left out; without on_error it raises ValueError."""
    filters = filters or Filters(site=site)
    where, args = filters.where()
    # A file from before the duplicate index answers as if no page had a copy.
    has_dups = dups.indexed(store.conn)
    # A file from before the stored date form (opened read-only, so not migrated): its
    # values are put in that form as they are read.
    old_dates = "published_local" not in _page_columns(store)
    columns = [f if (has_dups or f not in dups.FIELDS) and not (old_dates and f in _LOCAL_FIELDS)
               else f"NULL AS {f}" for f in FIELDS]
    if filters.unique and has_dups:
        where = (where + " AND" if where else " WHERE") + " dup_of IS NULL"
    sql = f"SELECT {', '.join(columns)} FROM pages{where} ORDER BY url"
    cur = store.conn.cursor()
    cur.row_factory = None
    store.conn.text_factory = _text  # a bad value becomes a marker, not an error mid-scan
    try:
        for row in cur.execute(sql, args):
            rec = dict(zip(FIELDS, row))
            try:
                rec = _checked(rec)
                if old_dates:
                    rec["published"], rec["published_local"] = restored(rec["published"])
                    rec["updated"], rec["updated_local"] = restored(rec["updated"])
            except ValueError as exc:
                url = rec["url"]
                url = url.decode("utf-8", "backslashreplace") if isinstance(url, bytes) else str(url)
                if on_error is None:
                    raise
                on_error(url, str(exc))
                continue
            yield rec
    finally:
        store.conn.text_factory = str


def _checked(rec: dict) -> dict:
    bad = [k for k, v in rec.items() if isinstance(v, _Undecodable)]
    if bad:
        raise ValueError(f"column {', '.join(bad)} is not valid UTF-8 text")
    for col in _JSON_COLS:
        try:
            rec[col] = json.loads(rec[col]) if rec[col] else ({} if col != "removed" else [])
        except (ValueError, TypeError) as exc:
            raise ValueError(f"column {col} is not valid JSON: {exc}") from None
    return rec


def write(store: Store, out: IO[str], fmt: str = "jsonl", site: str | None = None,
          filters: Filters | None = None, on_error: Callable[[str, str], None] | None = None) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in records(store, site, filters, on_error):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for rec in records(store, site, filters, on_error):
            for col in _JSON_COLS:
                rec[col] = json.dumps(rec[col], ensure_ascii=False)
            writer.writerow(rec)
            n += 1
    else:
        raise ValueError(f"unknown export format {fmt!r} (use jsonl, csv or parquet)")
    return n
