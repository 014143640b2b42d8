"""Each cleaning step reports what it did (issue codes added, lines removed by reason),
merged across worker processes into the runs row and shown by `deboil runs --steps`."""
from __future__ import annotations

import json
from pathlib import Path

from tests.support.cli import REPO, run_cli

EXAMPLES = REPO / "examples"


def _steps(db: Path) -> dict:
    runs = json.loads(run_cli("runs", "--db", db, "--json", check=0).stdout)
    return runs[0]["steps"]


def test_counts_merge_across_workers(tmp_path):
    captures = sorted(EXAMPLES.glob("*.txt"))
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    run_cli("load", *captures, "--db", one, "--workers", "0", "-q", check=0)
    run_cli("load", *captures, "--db", two, "--workers", "2", "-q", check=0)
    inline, pooled = _steps(one), _steps(two)
    removed = inline["clean_capture"]["removed"]
    assert removed.get("nav", 0) > 0 and removed.get("share", 0) > 0
    for name in inline:
        for key in ("pages", "changed", "issues", "removed"):
            assert inline[name][key] == pooled[name][key], (name, key)
    # what the steps removed is what the pages' `removed` lists hold
    shown = json.loads(run_cli("stats", "--db", one, "--json", check=0).stdout)["removed_reasons"]
    assert sum(shown.values()) == sum(sum(s["removed"].values()) for s in inline.values())


def test_runs_shows_steps(tmp_path):
    db = tmp_path / "c.db"
    run_cli("load", *sorted(EXAMPLES.glob("*.html")), "--db", db, "-q", check=0)
    out = run_cli("runs", "--db", db, "--steps", check=0).stdout
    assert "extract_html" in out and "pages changed" in out
    assert "repair" in out
