"""On-disk cache for capture training and CV (env DEBOIL_CAPTURE_CACHE=DIR; off when unset).

Cross-validation featurises ~3,000 pages and fits 25 forests; most re-runs change only the
rules in lines.py, which touch neither. Entries are pickles named by a hash of everything
they are computed from (the inputs, and the source of the code that computes them), so a
changed feature or a changed training set is a miss, never a stale hit.
"""
from __future__ import annotations

import hashlib
import os
import pickle
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")

_ROOT = Path(__file__).resolve().parents[1]
# The code features and phrase/date rules come from: a change here invalidates features.
FEATURE_SOURCES = ("deboil/cleaners/capture/line_features.py", "deboil/cleaners/lexicon",
                   "bench/scoring.py")


def cache_dir() -> Path | None:
    d = os.environ.get("DEBOIL_CAPTURE_CACHE")
    if not d:
        return None
    path = Path(d)
    path.mkdir(parents=True, exist_ok=True)
    return path


def source_digest(paths=FEATURE_SOURCES) -> str:
    h = hashlib.sha256()
    for rel in paths:
        p = _ROOT / rel
        files = sorted(f for f in p.rglob("*") if f.is_file() and "__pycache__" not in f.parts) if p.is_dir() else [p]
        for f in files:
            h.update(str(f.relative_to(_ROOT)).encode())
            h.update(f.read_bytes())
    return h.hexdigest()


def digest(*parts) -> str:
    """Hash of strings, bytes and numpy arrays (by their bytes, shape and dtype)."""
    h = hashlib.sha256()
    for part in parts:
        if hasattr(part, "tobytes"):
            h.update(str((part.shape, part.dtype)).encode())
            h.update(part.tobytes())
        elif isinstance(part, bytes):
            h.update(part)
        else:
            h.update(repr(part).encode())
        h.update(b"\0")
    return h.hexdigest()


def cached(kind: str, key: str, compute: Callable[[], T]) -> T:
    d = cache_dir()
    if d is None:
        return compute()
    path = d / f"{kind}-{key[:32]}.pkl"
    if path.exists():
        try:
            return pickle.loads(path.read_bytes())
        except (OSError, pickle.UnpicklingError, EOFError):
            pass  # a torn write from an interrupted run: recompute
    value = compute()
    tmp = path.with_suffix(f".{os.getpid()}.tmp")
    tmp.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
    tmp.replace(path)
    return value
