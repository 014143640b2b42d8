"""Export one record per page as JSON Lines or CSV, streaming (memory stays flat)."""
from __future__ import annotations

import csv
import json
from typing import IO, Callable, Iterator

from deboil.db.store import Store

FIELDS = [
    "url", "site", "source", "kind", "title", "author", "published", "updated",
    "canonical_url", "site_name", "page_type", "lang", "lang_confidence", "langs",
    "encoding", "encoding_source", "issues", "word_count", "removed_words", "version",
    "first_seen", "last_seen", "text_hash", "text", "removed",
]
_JSON_COLS = {"langs", "issues", "removed"}


class _Undecodable(bytes):
    """A TEXT value whose bytes are not UTF-8 (written by another program)."""


def _text(value: bytes):
    try:
        return value.decode("utf-8")
    except UnicodeDecodeError:
        return _Undecodable(value)


def records(store: Store, site: str | None = None,
            on_error: Callable[[str, str], None] | None = None) -> Iterator[dict]:
    """Pages in url order. A row that cannot be read as text or JSON goes to
    `on_error(url, reason)` and is left out; without on_error it raises ValueError."""
    sql = f"SELECT {', '.join(FIELDS)} FROM pages"
    args = []
    if site:
        sql += " WHERE site = ?"
        args.append(site)
    sql += " ORDER BY url"
    cur = store.conn.cursor()
    cur.row_factory = None
    store.conn.text_factory = _text  # a bad value becomes a marker, not an error mid-scan
    try:
        for row in cur.execute(sql, args):
            rec = dict(zip(FIELDS, row))
            try:
                rec = _checked(rec)
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
          on_error: Callable[[str, str], None] | None = None) -> int:
    n = 0
    if fmt == "jsonl":
        for rec in records(store, site, on_error):
            out.write(json.dumps(rec, ensure_ascii=False) + "\n")
            n += 1
    elif fmt == "csv":
        writer = csv.DictWriter(out, fieldnames=FIELDS)
        writer.writeheader()
        for rec in records(store, site, on_error):
            for col in _JSON_COLS:
                rec[col] = json.dumps(rec[col], ensure_ascii=False)
            writer.writerow(rec)
            n += 1
    else:
        raise ValueError(f"unknown export format {fmt!r} (use jsonl or csv)")
    return n
