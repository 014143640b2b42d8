"""Shared fixtures: where ../shared is, and how to run the real CLI against a temp database."""
from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from bench.paths import find_shared

REPO = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session", autouse=True)
def deboil_patches():
    """Tests that call a step directly see the libraries as a pipeline leaves them."""
    from deboil.cleaners import patches

    patches.install()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return find_shared()


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


@pytest.fixture
def cli():
    return run_cli
