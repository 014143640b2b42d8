"""Shared test fixtures."""
from __future__ import annotations

import os
from pathlib import Path

import pytest


def find_shared_dir() -> Path:
    """DEBOIL_SHARED if set, else the nearest `shared/` (holding `samples/`) beside this
    checkout or one of its ancestors: works from /work/main and from /work/wt/<name>."""
    env = os.environ.get("DEBOIL_SHARED")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        candidate = parent / "shared"
        if (candidate / "samples").is_dir():
            return candidate
    pytest.skip("shared/ data directory not found (set DEBOIL_SHARED)")


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return find_shared_dir()
