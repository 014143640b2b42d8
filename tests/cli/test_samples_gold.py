"""The five bundled captures, loaded and exported through the CLI, match their gold exactly."""
from __future__ import annotations

import json
import shutil

import pytest

from bench.paths import find_shared
from tests.support.cli import export_records, run_cli

SAMPLES = sorted(p.stem for p in (find_shared() / "samples" / "captures").glob("*.txt"))


@pytest.fixture(scope="module")
def exported(tmp_path_factory, shared_dir):
    tmp = tmp_path_factory.mktemp("gold")
    pages = tmp / "pages"
    shutil.copytree(shared_dir / "samples" / "captures", pages)
    db = tmp / "gold.db"
    run_cli("load", pages, "--db", db, "--quiet", check=0)
    return {r["url"].rsplit("/", 1)[1].removesuffix(".txt"): r for r in export_records(db).values()}


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_matches_gold(name, exported, shared_dir):
    gold = json.loads((shared_dir / "samples" / "gold" / f"{name}.json").read_text(encoding="utf-8"))
    rec = exported[name]
    assert rec["text"].split("\n\n") == gold["body"]
    assert rec["title"] == gold["title"]
    assert rec["published"] == gold.get("published")
    if "updated" in gold:
        assert rec["updated"] == gold["updated"]
    assert rec["lang"] == gold["lang"]
    assert rec["url"].startswith("file:///")


def test_clean_capture_comes_out_unchanged(exported, shared_dir):
    """002 is all content: every line survives exactly, nothing is removed."""
    name = next(n for n in SAMPLES if n.startswith("002"))
    original = (shared_dir / "samples" / "captures" / f"{name}.txt").read_text(encoding="utf-8")
    assert exported[name]["text"].split("\n\n") == [l for l in original.splitlines() if l.strip()]
    assert exported[name]["removed"] == []
