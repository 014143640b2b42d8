"""Fixtures every test folder shares, and the one rule for data from ../shared.

A test that reads ../shared/bench is marked `@pytest.mark.shared` (asking for the
`shared_dir` fixture marks it too). Without that folder it is skipped, with its reason
in the summary (`-rs` in addopts); with DEBOIL_SHARED set (CI, `.ci/run`) a missing
folder is an error instead. See tests/support/shared.py."""
from __future__ import annotations

from pathlib import Path

import pytest

from tests.support import shared
from tests.support.cli import run_cli


def pytest_configure(config):
    config.addinivalue_line("markers", "shared: needs the benchmark data in ../shared/bench "
                            "(skipped where absent; an error where DEBOIL_SHARED is set)")


def shared_status() -> str:
    root = shared.locate()
    if root is not None:
        return f"shared data: {root}"
    if shared.required():
        return f"shared data: MISSING ({shared.missing_error()})"
    return "shared data: not found beside this checkout; tests marked `shared` are skipped"


def pytest_report_header(config):
    return shared_status()


def pytest_terminal_summary(terminalreporter):
    # the header is hidden under -q (make test): say it again at the end
    terminalreporter.write_line(shared_status())


def pytest_collection_modifyitems(config, items):
    absent = shared.locate() is None and not shared.required()
    for item in items:
        if "shared_dir" in item.fixturenames and item.get_closest_marker("shared") is None:
            item.add_marker(pytest.mark.shared)
        if absent and item.get_closest_marker("shared") is not None:
            # a skip mark reports the test's own file and line under -rs
            item.add_marker(pytest.mark.skip(reason=shared.SKIP_REASON))


def pytest_runtest_setup(item):
    if item.get_closest_marker("shared") is not None and shared.locate() is None and shared.required():
        pytest.fail(shared.missing_error(), pytrace=False)


@pytest.fixture(scope="session", autouse=True)
def deboil_patches():
    """Tests that call a step directly see the libraries as a pipeline leaves them."""
    from deboil.cleaners import patches

    patches.install()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    return shared.shared_root()


@pytest.fixture
def cli():
    return run_cli
