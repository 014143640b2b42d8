"""Shared fixtures: where ../shared is, and how to run the real CLI against a temp database."""
from __future__ import annotations

from pathlib import Path

import pytest

from bench.paths import find_shared
from tests.support.cli import run_cli


@pytest.fixture(scope="session", autouse=True)
def deboil_patches():
    """Tests that call a step directly see the libraries as a pipeline leaves them."""
    from deboil.cleaners import patches

    patches.install()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return find_shared()


@pytest.fixture
def cli():
    return run_cli
