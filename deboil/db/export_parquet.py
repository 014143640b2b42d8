"""Export as Parquet: the same fields as JSON Lines, typed for pandas, polars, DuckDB, Spark.

Nested JSON becomes Arrow nested types (issues and langs: map<string, int64|double>;
removed: list<struct<text, reason>>), the date fields timestamps in UTC (a date alone at
its midnight UTC), `published_local`/`updated_local` timestamps without a time zone. Written one
record batch at a time, so memory stays flat whatever the corpus size.
"""
from __future__ import annotations

from datetime import datetime, timezone
from typing import Iterator

import pyarrow as pa
import pyarrow.parquet as pq

from deboil.db.export import FIELDS, Filters, records
from deboil.db.store import Store

BATCH_ROWS = 1000

TIMESTAMP = pa.timestamp("us", tz="UTC")
LOCAL_TIMESTAMP = pa.timestamp("us")
_TYPES = {
    "lang_confidence": pa.float64(),
    "langs": pa.map_(pa.string(), pa.float64()),
    "issues": pa.map_(pa.string(), pa.int64()),
    "word_count": pa.int64(),
    "removed_words": pa.int64(),
    "version": pa.int64(),
    "dup_cluster": pa.int64(),
    "dup_similarity": pa.float64(),
    "removed": pa.list_(pa.struct([("text", pa.string()), ("reason", pa.string())])),
    **{f: TIMESTAMP for f in ("published", "updated", "first_seen", "last_seen")},
    # a wall-clock time the page gave without a zone: Arrow's timestamp without a time zone
    # means exactly that (pandas: naive datetime64); never shifted to UTC
    **{f: LOCAL_TIMESTAMP for f in ("published_local", "updated_local")},
}
SCHEMA = pa.schema([pa.field(f, _TYPES.get(f, pa.string())) for f in FIELDS])
_TIME_FIELDS = [f for f in FIELDS if _TYPES.get(f) == TIMESTAMP]
_LOCAL_FIELDS = [f for f in FIELDS if _TYPES.get(f) == LOCAL_TIMESTAMP]


def to_local(value: str | None) -> datetime | None:
    """A stored local time ("2020-12-20T21:46:00") as a naive datetime; None if it is none."""
    try:
        moment = datetime.fromisoformat(value) if value else None
    except ValueError:
        return None
    return moment.replace(tzinfo=None) if moment else None


def to_timestamp(value: str | None) -> datetime | None:
    """ISO 8601 text as an aware UTC datetime: a date alone is its midnight UTC, a time with
    an offset that moment (a stored published/updated never has a time without one). Text
    that is no ISO date gives None (the JSON export keeps it)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _batches(store: Store, filters: Filters, on_error=None) -> Iterator[pa.RecordBatch]:
    rows: list[dict] = []
    for rec in records(store, filters=filters, on_error=on_error):
        for f in _TIME_FIELDS:
            rec[f] = to_timestamp(rec[f])
        for f in _LOCAL_FIELDS:
            rec[f] = to_local(rec[f])
        rec["langs"] = list(rec["langs"].items())
        rec["issues"] = list(rec["issues"].items())
        rows.append(rec)
        if len(rows) == BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(rows, schema=SCHEMA)
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=SCHEMA)


def write_parquet(store: Store, path: str, filters: Filters | None = None, on_error=None) -> int:
    """`on_error(url, reason)`: a row that cannot be read is left out and reported there."""
    n = 0
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        for batch in _batches(store, filters or Filters(), on_error):
            writer.write_batch(batch)
            n += batch.num_rows
    return n
