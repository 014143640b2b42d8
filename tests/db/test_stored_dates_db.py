"""Stored date forms in the database: the migration of older files, the export filters across
forms, Parquet's types, and the README's pandas snippet on mixed values."""
from __future__ import annotations

import json
import re
import sqlite3

import pandas as pd
import pyarrow.parquet as pq
import pytest

from deboil.db import Store
from deboil.db.export import Filters, records
from deboil.db.export_parquet import write_parquet
from deboil.models import CleanPage, PageRecord, RawPage
from tests.support.cli import REPO

# (url, published, published_local) as the cleaners store them
PAGES = [
    ("https://t.example/a", "2024-03-01", None),
    ("https://t.example/b", "2024-03-01T23:30:00-05:00", None),  # 2024-03-02 04:30 UTC
    ("https://t.example/c", "2024-03-02T01:00:00+03:00", None),  # 2024-03-01 22:00 UTC
    ("https://t.example/d", "2024-03-02", "2024-03-02T09:15:00"),
    ("https://t.example/e", "2024-03-03T08:00:00Z", None),
    ("https://t.example/f", None, None),
]


def _store(path, pages=PAGES) -> None:
    store = Store(str(path))
    store.save_batch([PageRecord(CleanPage(url=u, text=f"page {u[-1]} words", title=u[-1], published=p,
                                           published_local=loc), RawPage(url=u, body=b"x"))
                      for u, p, loc in pages], run_id=None)
    store.close()


@pytest.fixture
def db(tmp_path):
    path = tmp_path / "d.db"
    _store(path)
    return path


def _urls(path, **bounds) -> list[str]:
    store = Store(str(path), readonly=True)
    try:
        return [r["url"][-1] for r in records(store, filters=Filters(**bounds))]
    finally:
        store.close()


def test_date_bounds_compare_the_pages_own_dates(db):
    assert _urls(db, since="2024-03-02") == ["c", "d", "e"]
    assert _urls(db, until="2024-03-01") == ["a", "b"]
    assert _urls(db, since="2024-03-01", until="2024-03-01") == ["a", "b"]


def test_moment_bounds_compare_moments_across_offsets(db):
    # 2024-03-02T00:00Z: b (04:30Z) is after it, c (2024-03-01 22:00Z) before it
    assert _urls(db, since="2024-03-02T00:00:00Z") == ["b", "d", "e"]
    assert _urls(db, until="2024-03-02T00:00:00+00:00") == ["a", "c", "d"]
    # a bound with an offset: 2024-03-02T02:00+03:00 is 2024-03-01 23:00Z
    assert _urls(db, since="2024-03-01T22:30:00Z", until="2024-03-02T02:00:00+03:00") == ["a"]
    assert _urls(db, since="2024-03-01T21:59:00", until="2024-03-01T22:01:00") == ["a", "c"]  # UTC


def test_parquet_types_of_stored_and_local_dates(db, tmp_path):
    out = tmp_path / "d.parquet"
    store = Store(str(db), readonly=True)
    write_parquet(store, str(out))
    store.close()
    table = pq.read_table(out)
    types = {f.name: str(f.type) for f in table.schema}
    assert types["published"] == "timestamp[us, tz=UTC]"
    assert types["published_local"] == types["updated_local"] == "timestamp[us]"
    df = table.to_pandas()
    got = dict(zip(df["url"].str[-1], df["published"]))
    assert got["b"] == pd.Timestamp("2024-03-02T04:30:00Z") and got["a"] == pd.Timestamp("2024-03-01T00:00:00Z")
    local = dict(zip(df["url"].str[-1], df["published_local"]))
    assert local["d"] == pd.Timestamp("2024-03-02T09:15:00") and local["d"].tzinfo is None
    assert pd.isna(local["a"])


def _make_old(path) -> None:
    """A file as deboil wrote it before the stored date form (schema 6, no *_local columns)."""
    _store(path, [("https://t.example/cap", "2020-12-20T21:46", None),
                  ("https://t.example/upd", "2021-10-31", None),
                  ("https://t.example/zoned", "2024-02-14T17:05:00+01:00", None)])
    con = sqlite3.connect(path)
    con.execute("UPDATE pages SET updated = '2021-10-31T09:21' WHERE url LIKE '%upd'")
    con.execute("ALTER TABLE pages DROP COLUMN published_local")
    con.execute("ALTER TABLE pages DROP COLUMN updated_local")
    con.execute("PRAGMA user_version = 6")
    con.commit()
    con.close()


def test_older_file_read_only_exports_the_new_forms_untouched(tmp_path):
    path = tmp_path / "old.db"
    _make_old(path)
    store = Store(str(path), readonly=True)
    recs = {r["url"][-3:]: r for r in records(store)}
    store.close()
    assert (recs["cap"]["published"], recs["cap"]["published_local"]) == ("2020-12-20", "2020-12-20T21:46:00")
    assert (recs["upd"]["updated"], recs["upd"]["updated_local"]) == ("2021-10-31", "2021-10-31T09:21:00")
    assert recs["ned"]["published"] == "2024-02-14T17:05:00+01:00"
    con = sqlite3.connect(path)  # read-only: the file itself is as it was
    assert con.execute("PRAGMA user_version").fetchone()[0] == 6
    assert con.execute("SELECT published FROM pages WHERE url LIKE '%cap'").fetchone()[0] == "2020-12-20T21:46"


def test_older_file_migrated_when_opened_for_writing(tmp_path):
    path = tmp_path / "old.db"
    _make_old(path)
    Store(str(path)).close()
    con = sqlite3.connect(path)
    assert con.execute("PRAGMA user_version").fetchone()[0] >= 7
    rows = {u[-3:]: rest for u, *rest in con.execute(
        "SELECT url, published, published_local, updated, updated_local FROM pages")}
    assert rows["cap"] == ["2020-12-20", "2020-12-20T21:46:00", None, None]
    assert rows["upd"] == ["2021-10-31", None, "2021-10-31", "2021-10-31T09:21:00"]
    assert rows["ned"] == ["2024-02-14T17:05:00+01:00", None, None, None]


def test_readme_pandas_snippet_on_mixed_forms(tmp_path, monkeypatch):
    """The README's snippet, run as written on a deboil.db holding dates alone, offsets, Z
    and a local time: every stated date parses (no NaT), each at the moment it names."""
    readme = (REPO / "README.md").read_text(encoding="utf-8")
    block = next(b for b in re.findall(r"```python\n(.*?)```", readme, flags=re.S) if "pd.to_datetime" in b)
    _store(tmp_path / "deboil.db")
    con = sqlite3.connect(tmp_path / "deboil.db")
    con.execute("UPDATE pages SET lang = 'en'")
    con.commit()
    monkeypatch.chdir(tmp_path)
    globs: dict = {}
    exec(compile(block, "README pandas block", "exec"), globs)
    got = dict(zip(globs["df"]["url"].str[-1], globs["df"]["published"]))
    assert str(globs["df"]["published"].dt.tz) == "UTC"
    assert got["a"] == pd.Timestamp("2024-03-01T00:00:00Z")
    assert got["b"] == pd.Timestamp("2024-03-02T04:30:00Z")
    assert got["c"] == pd.Timestamp("2024-03-01T22:00:00Z")
    assert got["d"] == pd.Timestamp("2024-03-02T00:00:00Z") and got["e"] == pd.Timestamp("2024-03-03T08:00:00Z")
    assert pd.isna(got["f"]) and globs["df"]["published"].notna().sum() == 5


def test_show_prints_the_local_time(db, tmp_path):
    from click.testing import CliRunner

    from deboil.cli import main

    out = CliRunner().invoke(main, ["show", "https://t.example/d", "--db", str(db)]).output
    assert re.search(r"published\s+2024-03-02\n", out) and re.search(r"published_local\s+2024-03-02T09:15:00", out)
    shown = json.loads(CliRunner().invoke(main, ["show", "https://t.example/b", "--db", str(db), "--json"]).output)
    assert shown["published"] == "2024-03-01T23:30:00-05:00" and shown["published_local"] is None
