"""`deboil export --format parquet` and the export filters, read back by pyarrow and pandas."""
from __future__ import annotations

import csv
import json
from datetime import datetime, timezone

import pandas as pd
import pyarrow.parquet as pq
import pytest

from tests.support.cli import REPO, run_cli
from deboil.db.export import FIELDS

EXAMPLES = REPO / "examples"


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    db = tmp_path_factory.mktemp("parquet") / "c.db"
    inputs = [*sorted(EXAMPLES.glob("*.txt")), *sorted(EXAMPLES.glob("*.html")),
              *sorted((EXAMPLES / "site" / "news").glob("*.html"))[:8],
              EXAMPLES / "site" / "de" / "index.html"]
    run_cli("load", *inputs, "--db", db, "--workers", "1", check=0)
    return db


def _export(db, fmt, *filters) -> object:
    # In-process (click's runner): the same command, without an interpreter start per call.
    from click.testing import CliRunner

    from deboil.cli import main

    out = db.parent / f"out-{fmt}-{abs(hash(filters))}.{fmt}"
    args = ["export", "--db", str(db), "--format", fmt, "--output", str(out), *filters]
    result = CliRunner().invoke(main, args)
    assert result.exit_code == 0, (result.output, result.exception)
    return out


def _jsonl(db, *filters) -> list[dict]:
    return [json.loads(line) for line in _export(db, "jsonl", *filters).read_text().splitlines()]


def _utc(value: str | None):
    if not value:
        return None
    moment = datetime.fromisoformat(value.replace("Z", "+00:00"))
    return moment.replace(tzinfo=timezone.utc) if moment.tzinfo is None else moment


def test_parquet_has_the_json_fields_with_types(corpus):
    expected = _jsonl(corpus)
    table = pq.read_table(_export(corpus, "parquet"))
    assert table.column_names == FIELDS == list(expected[0])
    types = {f.name: str(f.type) for f in table.schema}
    assert types["published"] == types["first_seen"] == "timestamp[us, tz=UTC]"
    assert types["issues"].startswith("map<string, int64")
    assert types["langs"].startswith("map<string, double")
    assert types["removed"] == "list<element: struct<text: string, reason: string>>"
    assert types["word_count"] == "int64" and types["lang_confidence"] == "double"
    rows = table.to_pylist()
    assert [r["url"] for r in rows] == [r["url"] for r in expected] and len(rows) >= 10
    for got, want in zip(rows, expected):
        assert got["text"] == want["text"] and got["title"] == want["title"]
        assert dict(got["issues"]) == want["issues"]
        assert dict(got["langs"]) == pytest.approx(want["langs"])
        assert got["removed"] == want["removed"]
        for field in ("published", "updated", "first_seen", "last_seen"):
            assert got[field] == _utc(want[field]), (field, want[field])
    assert any(r["issues"] for r in rows) and any(r["removed"] for r in rows)
    assert any(r["published"] is not None for r in rows)


def test_pandas_reads_the_same_rows(corpus):
    expected = _jsonl(corpus)
    df = pd.read_parquet(_export(corpus, "parquet"))
    assert list(df.columns) == FIELDS
    assert df["url"].tolist() == [r["url"] for r in expected]
    assert str(df["published"].dtype) == "datetime64[us, UTC]"
    assert df["word_count"].tolist() == [r["word_count"] for r in expected]
    assert df["published"].notna().sum() == sum(1 for r in expected if r["published"])


@pytest.mark.parametrize("filters, keep", [
    (("--lang", "de"), lambda r: r["lang"] == "de"),
    (("--kind", "text"), lambda r: r["kind"] == "text"),
    (("--page-type", "article"), lambda r: r["page_type"] == "article"),
    (("--since", "2024-03-01"), lambda r: bool(r["published"]) and r["published"] >= "2024-03-01"),
    (("--until", "2024-03-05"), lambda r: bool(r["published"]) and r["published"][:10] <= "2024-03-05"),
    (("--since", "2024-02-01", "--until", "2024-04-30", "--lang", "en"),
     lambda r: bool(r["published"]) and "2024-02-01" <= r["published"][:10] <= "2024-04-30"
     and r["lang"] == "en"),
])
def test_filters_on_every_format(corpus, filters, keep):
    everything = _jsonl(corpus)
    want = sorted(r["url"] for r in everything if keep(r))
    assert 0 < len(want) < len(everything), "the filter must keep some pages and drop others"
    assert sorted(r["url"] for r in _jsonl(corpus, *filters)) == want
    with open(_export(corpus, "csv", *filters), encoding="utf-8") as f:
        assert sorted(r["url"] for r in csv.DictReader(f)) == want
    assert sorted(pq.read_table(_export(corpus, "parquet", *filters), columns=["url"])
                  .column("url").to_pylist()) == want


def test_bad_filter_values_are_usage_errors(corpus, tmp_path):
    proc = run_cli("export", "--db", corpus, "--since", "last tuesday")
    assert proc.returncode == 2 and "ISO 8601" in proc.stderr
    proc = run_cli("export", "--db", corpus, "--format", "parquet")
    assert proc.returncode == 2 and "--output" in proc.stderr


def test_parquet_is_written_batch_by_batch(corpus, tmp_path, monkeypatch):
    from deboil.db import Store
    from deboil.db import export_parquet

    monkeypatch.setattr(export_parquet, "BATCH_ROWS", 3)
    out = tmp_path / "small-batches.parquet"
    n = export_parquet.write_parquet(Store(str(corpus), readonly=True), str(out))
    meta = pq.ParquetFile(out).metadata
    assert meta.num_rows == n and meta.num_row_groups == -(-n // 3)
