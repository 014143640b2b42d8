"""Where the benchmark data of ../shared lives, and what a test does when it is not there.

The data is not in the repository (hundreds of MB, licences of its own): a fresh clone
has no ../shared, CI has it beside the clone. One rule for every test that reads it:
- found (DEBOIL_SHARED, else a `shared/` folder beside this checkout or an ancestor): run;
- absent and DEBOIL_SHARED unset (a fresh clone): skip, saying why;
- absent although DEBOIL_SHARED is set (CI): fail, so such a test can never pass unrun.
Mark such tests `@pytest.mark.shared` (tests/conftest.py applies the rule at collection);
`shared_root()` applies it again wherever the data is read, should a marker be missing."""
from __future__ import annotations

import os
from functools import cache
from pathlib import Path

import pytest

ENV = "DEBOIL_SHARED"
REPO = Path(__file__).resolve().parents[2]
SKIP_REASON = (f"no ../shared/bench beside this checkout (benchmark data, not in the repository; "
               f"set {ENV}=/path/to/shared to run this test)")


@cache
def locate() -> Path | None:
    """The shared folder (one holding `bench/`), or None."""
    env = os.environ.get(ENV)
    if env:
        return Path(env) if (Path(env) / "bench").is_dir() else None
    for parent in REPO.parents:
        if (parent / "shared" / "bench").is_dir():
            return parent / "shared"
    return None


def required() -> bool:
    """True where the data must be there (CI sets DEBOIL_SHARED)."""
    return bool(os.environ.get(ENV))


def missing_error() -> str:
    return (f"{ENV}={os.environ.get(ENV)} holds no bench/ folder: tests that need the shared "
            f"data must run where {ENV} is set, never skip")


def shared_root() -> Path:
    """The shared folder; skips the running test where it may be absent, fails it where not."""
    root = locate()
    if root is None:
        if required():
            pytest.fail(missing_error(), pytrace=False)
        pytest.skip(SKIP_REASON)
    return root
