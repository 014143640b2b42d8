"""Is the stored output of `deboil load` the same with two checkouts of the code?

    python tools/load_output_compare.py OLD_TREE NEW_TREE [--workers N] [--keep DIR] [FOLDER ...]

Each tree loads the folders (default: the wcxb-dev and article-extraction HTML pages) into a
fresh database and exports it with `deboil export --format jsonl`; the records are compared
field by field, all fields but first_seen and last_seen (the time of the run). With more than
one worker, which copy of a near-duplicate pair is stored first follows the order in which the
workers finish, so dup_of and dup_cluster are compared as the partition of pages they make.
`--keep DIR` keeps each tree's export there (DIR/old.jsonl, DIR/new.jsonl); a kept old export
is reused, so comparing a series of changes with one base loads the base once.
Exit code 0 when every record is identical, 1 otherwise.
"""
from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from bench.paths import find_shared  # noqa: E402

_RUN_TIME = {"first_seen", "last_seen"}


def default_folders() -> list[Path]:
    bench = find_shared() / "bench"
    return [bench / "wcxb-dev" / "html", bench / "article-extraction" / "html"]


def export_of(tree: Path, folders: list[Path], workers: int, out: Path) -> None:
    """Load the folders with the code in `tree` into a fresh database; export it to `out`."""
    env = dict(os.environ, PYTHONPATH=str(tree))
    with tempfile.TemporaryDirectory(prefix="deboil-compare-") as tmp:
        db = Path(tmp) / "pages.db"
        load = subprocess.run([sys.executable, "-m", "deboil", "load", *map(str, folders), "--db", str(db),
                               "--workers", str(workers), "--quiet"], cwd=tree, env=env,
                              capture_output=True, text=True)
        if load.returncode not in (0, 1):
            raise RuntimeError(f"load with {tree} failed: {load.stderr}")
        with open(out, "w", encoding="utf-8") as fh:
            subprocess.run([sys.executable, "-m", "deboil", "export", "--db", str(db), "--format", "jsonl"],
                           cwd=tree, env=env, stdout=fh, check=True)


def records(path: Path, partition: bool) -> dict[str, dict]:
    rows = {}
    with open(path, encoding="utf-8") as fh:
        for line in fh:
            rec = json.loads(line)
            for key in _RUN_TIME:
                rec.pop(key, None)
            rows[rec["url"]] = rec
    if partition:  # a cluster named by its members, not by the copy stored first
        members: dict = {}
        for url, rec in rows.items():
            if rec.get("dup_cluster") is not None:
                members.setdefault(rec["dup_cluster"], []).append(url)
        for rec in rows.values():
            cluster = rec.pop("dup_cluster", None)
            rec["dup_cluster"] = sorted(members[cluster]) if cluster is not None else None
            rec["dup_of"] = rec["dup_of"] is not None
    return rows


def compare(old: dict[str, dict], new: dict[str, dict]) -> Counter:
    """Differing fields (and pages present on one side only), counted over pages."""
    diff: Counter = Counter()
    for url in old.keys() | new.keys():
        a, b = old.get(url), new.get(url)
        if a is None or b is None:
            diff["only in " + ("new" if a is None else "old")] += 1
            continue
        for key in a.keys() | b.keys():
            if a.get(key) != b.get(key):
                diff[key] += 1
    return diff


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="tools/load_output_compare.py")
    parser.add_argument("old", type=Path)
    parser.add_argument("new", type=Path)
    parser.add_argument("folders", nargs="*", type=Path)
    parser.add_argument("--workers", type=int, default=1)
    parser.add_argument("--keep", type=Path, help="keep the exports here; reuse a kept old.jsonl")
    args = parser.parse_args(argv)
    folders = [f.resolve() for f in args.folders] or default_folders()
    with tempfile.TemporaryDirectory(prefix="deboil-compare-") as tmp:
        where = args.keep or Path(tmp)
        where.mkdir(parents=True, exist_ok=True)
        old_out, new_out = where / "old.jsonl", where / "new.jsonl"
        if not (args.keep and old_out.exists()):
            export_of(args.old.resolve(), folders, args.workers, old_out)
        export_of(args.new.resolve(), folders, args.workers, new_out)
        old = records(old_out, args.workers > 1)
        new = records(new_out, args.workers > 1)
    diff = compare(old, new)
    print(f"{len(old)} pages (old), {len(new)} (new); "
          + ("identical in every field" if not diff else
             "differing: " + ", ".join(f"{k} {n}" for k, n in diff.most_common())))
    return 1 if diff else 0


if __name__ == "__main__":
    sys.exit(main())
