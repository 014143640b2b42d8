"""Running the real `deboil` command against a temporary database, as a user or cron would."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[2]


def run_cli(*args, check=None, env=None, cwd=None, timeout=300, user=None) -> subprocess.CompletedProcess:
    """Run `deboil ARGS` in a fresh interpreter, as a user or cron would (as `user`: a uid)."""
    full_env = dict(os.environ, PYTHONPATH=str(REPO), **(env or {}))
    proc = subprocess.run([sys.executable, "-m", "deboil", *map(str, args)], capture_output=True,
                          text=True, errors="backslashreplace", env=full_env, cwd=cwd or REPO,
                          timeout=timeout, user=user)
    if check is not None:
        assert proc.returncode == check, (proc.returncode, proc.stdout, proc.stderr)
    return proc


def export_records(db: Path) -> dict[str, dict]:
    out = db.with_suffix(".jsonl")
    run_cli("export", "--db", db, "--format", "jsonl", "--output", out, check=0)
    return {r["url"]: r for r in map(json.loads, out.read_text(encoding="utf-8").splitlines())}
