"""The five bundled captures, loaded and exported through the CLI, match their gold exactly."""
from __future__ import annotations

import shutil

import pytest

from tests.support import samples
from tests.support.samples import gold_date
from tests.support.cli import export_records, run_cli

SAMPLES = samples.NAMES


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("gold")
    pages = tmp / "pages"
    shutil.copytree(samples.CAPTURES, pages)
    db = tmp / "gold.db"
    run_cli("load", pages, "--db", db, "--quiet", check=0)
    return {r["url"].rsplit("/", 1)[1].removesuffix(".txt"): r for r in export_records(db).values()}


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_gold(name, exported):
    gold = samples.gold(name)
    rec = exported[name]
    assert rec["text"].split("\n\n") == gold["body"]
    assert rec["title"] == gold["title"]
    assert (rec["published"], rec["published_local"]) == gold_date(gold.get("published"))
    if "updated" in gold:
        assert (rec["updated"], rec["updated_local"]) == gold_date(gold["updated"])
    assert rec["lang"] == gold["lang"]
    assert rec["url"].startswith("file:///")


def test_clean_capture_comes_out_unchanged(exported):
    """002 is all content: every line survives exactly, nothing is removed."""
    name = next(n for n in SAMPLES if n.startswith("002"))
    original = samples.capture(name).read_text(encoding="utf-8")
    assert exported[name]["text"].split("\n\n") == [l for l in original.splitlines() if l.strip()]
    assert exported[name]["removed"] == []
