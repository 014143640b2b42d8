"""The Python examples of the README and docs/using.md, run as written (doctest blocks check
their printed output)."""
from __future__ import annotations

import doctest
import re

import pytest

from tests.support.cli import REPO, run_cli

README = REPO / "README.md"
PAGES = [README, REPO / "docs" / "using.md"]
BLOCKS = [block for page in PAGES
          for block in re.findall(r"```python\n(.*?)```", page.read_text(encoding="utf-8"), flags=re.S)]


@pytest.fixture(scope="module")
def workdir(tmp_path_factory):
    # The examples read `deboil.db` in the working directory, as a user's would after `make run`.
    d = tmp_path_factory.mktemp("readme")
    examples = REPO / "examples"
    run_cli("load", *sorted(examples.glob("*.txt")), *sorted(examples.glob("*.html")),
            "--db", d / "deboil.db", "--workers", "0", check=0)
    return d


def test_readme_has_python_examples():
    readme = re.findall(r"```python\n(.*?)```", README.read_text(encoding="utf-8"), flags=re.S)
    assert any(">>> import deboil" in b and "deboil.clean(" in b for b in readme)
    assert len(BLOCKS) >= 5


def test_public_names():
    import deboil

    assert {"clean", "clean_capture", "open_corpus", "CleanPage"} <= set(deboil.__all__)
    for name in deboil.__all__:
        assert getattr(deboil, name) is not None


@pytest.mark.parametrize("index", range(len(BLOCKS)))
def test_readme_python_block(index, workdir, monkeypatch):
    monkeypatch.chdir(workdir)
    globs: dict = {}
    for i, block in enumerate(BLOCKS[: index + 1]):  # later blocks use earlier names
        if ">>>" in block:
            test = doctest.DocTestParser().get_doctest(block, globs, f"README block {i}", str(README), 0)
            runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
            runner.run(test, clear_globs=False)
            globs.update(test.globs)  # get_doctest ran on a copy
            if i == index:
                assert runner.failures == 0, f"README python block {i} failed (see output above)"
        else:
            exec(compile(block, f"README block {i}", "exec"), globs)


def test_readme_pandas_snippet_reads_every_stored_date(workdir, monkeypatch):
    """Mixed forms (a date, a local date-time, one with an offset) all parse: NaT only where
    the page gave no date."""
    import sqlite3

    monkeypatch.chdir(workdir)
    block = next(b for b in BLOCKS if "pd.to_datetime" in b)
    globs: dict = {}
    exec(compile(block, "README pandas block", "exec"), globs)
    df = globs["df"]
    raw = dict(sqlite3.connect(workdir / "deboil.db").execute(
        "select url, published from pages where lang = 'en'").fetchall())
    assert len(df) == len(raw) and len({len(v) for v in raw.values() if v}) > 1  # mixed forms
    for url, parsed in zip(df["url"], df["published"]):
        assert (raw[url] is None) == bool(parsed is None or parsed != parsed), (url, raw[url])
        if raw[url]:
            assert parsed.strftime("%Y-%m-%d") == raw[url][:10]


def test_stored_dates_have_the_documented_forms(workdir):
    import re
    import sqlite3

    con = sqlite3.connect(workdir / "deboil.db")
    stated = re.compile(r"\d{4}-\d\d-\d\d(T\d\d:\d\d:\d\d(Z|[+-]\d\d:\d\d))?")
    local = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d")
    utc = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ")
    rows = con.execute("select url, published, published_local, updated, updated_local, first_seen,"
                       " last_seen from pages").fetchall()
    for url, published, published_local, updated, updated_local, first_seen, last_seen in rows:
        for value, local_value in ((published, published_local), (updated, updated_local)):
            assert value is None or stated.fullmatch(value), (url, value)
            if local_value is not None:  # only beside a date alone, and the same day
                assert local.fullmatch(local_value) and value == local_value[:10], (url, value, local_value)
        assert utc.fullmatch(first_seen) and utc.fullmatch(last_seen), url
    forms = {len(r[1]) for r in rows if r[1]}
    assert {10, 20, 25} <= forms  # a date alone, ...Z and ...+HH:MM among the examples
    assert any(r[2] for r in rows)  # and a capture's local time
