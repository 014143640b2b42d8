"""A per-user cache for models that are slow to build at every process start.

Scheduled jobs start a fresh process for every run; reading jusText's ~100 stop-word lists
or decompressing py3langid's LZMA model costs a few tenths of a second each time, while
unpickling the built object takes a fraction of that. Files live in
`$XDG_CACHE_HOME/deboil` (default `~/.cache/deboil`), named by what they depend on (the
versions of the libraries their data comes from, and a format number the caller bumps when
its build changes), written atomically. Any trouble with the cache (missing, unreadable,
read-only home) just means building again.
"""
from __future__ import annotations

import gc
import importlib.metadata
import os
import pickle
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, TypeVar

T = TypeVar("T")


def cache_dir() -> Path:
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "deboil"


@contextmanager
def _no_gc():
    """Unpickling builds hundreds of thousands of containers, each allocation counting towards
    a collection that can find nothing to free (all of it is reachable): a third of the load
    time on the stop-word lists. Collections resume afterwards as they were."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def cached(name: str, build: Callable[[], T], *, libraries: tuple[str, ...] = (),
           version: int = 1) -> T:
    """`build()`'s result, from the cache when a previous process left it there. The file is
    keyed by `name`, the installed versions of `libraries` and our format `version`."""
    key = [name, *(importlib.metadata.version(lib) for lib in libraries), str(version)]
    path = cache_dir() / ("-".join(key) + ".pickle")
    try:
        with open(path, "rb") as fh, _no_gc():
            return pickle.load(fh)
    except Exception:  # missing, unreadable or from another version: rebuild
        pass
    built = build()
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f"{path.name}.{os.getpid()}.tmp")
        with open(tmp, "wb") as fh:
            pickle.dump(built, fh, protocol=pickle.HIGHEST_PROTOCOL)
        os.replace(tmp, path)  # a concurrent run reads the old file or the new one
    except Exception:  # no cache, no harm
        pass
    return built
