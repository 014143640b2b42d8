"""Export as Parquet: the same fields as JSON Lines, typed for pandas, polars, DuckDB, Spark.

Nested JSON becomes Arrow nested types (issues and langs: map<string, int64|double>;
removed: list<struct<text, reason>>) and the date fields timestamps in UTC. Written one
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
}
SCHEMA = pa.schema([pa.field(f, _TYPES.get(f, pa.string())) for f in FIELDS])
_TIME_FIELDS = [f for f in FIELDS if _TYPES.get(f) == TIMESTAMP]


def to_timestamp(value: str | None) -> datetime | None:
    """ISO 8601 text as an aware UTC datetime: a date alone is its midnight, a time without
    an offset is taken as UTC. Text that is no ISO date gives None (the JSON export keeps it)."""
    if not value:
        return None
    try:
        moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError:
        return None
    if moment.tzinfo is None:
        return moment.replace(tzinfo=timezone.utc)
    return moment.astimezone(timezone.utc)


def _batches(store: Store, filters: Filters) -> Iterator[pa.RecordBatch]:
    rows: list[dict] = []
    for rec in records(store, filters=filters):
        for f in _TIME_FIELDS:
            rec[f] = to_timestamp(rec[f])
        rec["langs"] = list(rec["langs"].items())
        rec["issues"] = list(rec["issues"].items())
        rows.append(rec)
        if len(rows) == BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(rows, schema=SCHEMA)
            rows = []
    if rows:
        yield pa.RecordBatch.from_pylist(rows, schema=SCHEMA)


def write_parquet(store: Store, path: str, filters: Filters | None = None) -> int:
    n = 0
    with pq.ParquetWriter(path, SCHEMA, compression="zstd") as writer:
        for batch in _batches(store, filters or Filters()):
            writer.write_batch(batch)
            n += batch.num_rows
    return n
