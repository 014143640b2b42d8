"""Where the read-only benchmark data lives, for the encoding/repair/language tests.

A plain module (not conftest.py) so it cannot collide with the project's own conftest."""
from __future__ import annotations

import json
import os
from pathlib import Path

import pytest


def find_shared() -> Path | None:
    """$DEBOIL_SHARED, or the nearest `shared/` holding `bench/` above this file."""
    env = os.environ.get("DEBOIL_SHARED")
    if env:
        return Path(env)
    for parent in Path(__file__).resolve().parents:
        if (parent / "shared" / "bench").is_dir():
            return parent / "shared"
    return None


SHARED = find_shared()
needs_shared = pytest.mark.skipif(SHARED is None, reason="shared bench data not found")


def encoding_dir() -> Path:
    return SHARED / "bench" / "encoding"


def encoding_truth() -> dict:
    if SHARED is None:
        return {}
    return json.loads((encoding_dir() / "truth.json").read_text(encoding="utf-8"))


def language_lines(kind: str, lang: str) -> list[str]:
    path = SHARED / "bench" / "language" / kind / f"{lang}.txt"
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
