"""Where the read-only benchmark data lives, for the encoding/repair/language tests.

A plain module (not conftest.py) so it cannot collide with the project's own conftest."""
from __future__ import annotations

import json
from pathlib import Path

from bench.paths import find_shared

SHARED = find_shared()


def encoding_dir() -> Path:
    return SHARED / "bench" / "encoding"


def encoding_truth() -> dict:
    if SHARED is None:
        return {}
    return json.loads((encoding_dir() / "truth.json").read_text(encoding="utf-8"))


def language_lines(kind: str, lang: str) -> list[str]:
    path = SHARED / "bench" / "language" / kind / f"{lang}.txt"
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
