"""Where the shared read-only data lives, from any checkout (main or a worktree)."""
from __future__ import annotations

import os
from pathlib import Path


def find_shared(start: Path | None = None) -> Path:
    """DEBOIL_SHARED if set, else the nearest `shared/` beside this checkout or an ancestor."""
    env = os.environ.get("DEBOIL_SHARED")
    if env:
        return Path(env)
    here = (start or Path(__file__)).resolve()
    for parent in here.parents:
        candidate = parent / "shared"
        if (candidate / "samples").is_dir() or (candidate / "bench").is_dir():
            return candidate
    raise FileNotFoundError("no shared/ data directory found; set DEBOIL_SHARED")
