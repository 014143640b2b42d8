"""Where the shared benchmark data lives: $DEBOIL_SHARED, or the nearest `shared/` with a
`bench/` folder found by walking up from this checkout (worktrees sit deeper than main)."""
from __future__ import annotations

import os
from pathlib import Path


def find_shared(start: Path | None = None) -> Path | None:
    env = os.environ.get("DEBOIL_SHARED")
    if env:
        return Path(env)
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        cand = parent / "shared"
        if (cand / "bench").is_dir():
            return cand
    return None
