"""Pages built to hurt the cleaners, and hostile command-line input: degrade, never fail."""
from __future__ import annotations

import json
import os
import sqlite3

import pytest

from tests.support.cli import run_cli
from deboil.cleaners import Context, RawPage, default_pipeline
from deboil.db.queries import MAX_TERMS, fts_query
from tests.run.test_hostile_load import WORDS, failures, healthy, html, pages


@pytest.fixture(scope="module")
def pipeline():
    return default_pipeline()


def clean(pipeline, body: str):
    return pipeline.run(RawPage(url="http://a.test/p", body=body.encode(), kind="html",
                                site=None, source="file"), Context())


# --- item 18 ---------------------------------------------------------------------------
def test_search_query_is_bounded():
    assert fts_query("word " * 100) == '"word"'
    assert fts_query("Word word WORD other") == '"Word" "other"'
    many = " ".join(f"w{i}" for i in range(500))
    assert len(fts_query(many).split()) == MAX_TERMS


def test_search_repeated_word_still_finds(db_with_pages):
    proc = run_cli("search", "council " * 100, "--db", db_with_pages, "--json", check=0)
    assert json.loads(proc.stdout)


@pytest.fixture
def db_with_pages(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "a.html").write_bytes(html("museum"))
    db = tmp_path / "t.db"
    run_cli("load", folder, "--db", db, "--quiet", check=0)
    return db


# --- item 19 ---------------------------------------------------------------------------
@pytest.mark.parametrize("depth", [300, 3000, 100_000])
def test_deeply_nested_text_is_kept(pipeline, depth):
    para = "<p>" + WORDS * 5 + "</p>"
    page = clean(pipeline, "<html><head><title>Deep</title></head><body>" + "<div>" * depth
                 + para + "</div>" * depth + "</body></html>")
    assert "library budget" in page.text


def test_deep_json_ld_does_not_fail_the_page(pipeline):
    ld = '{"@type": "Article", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"
    page = clean(pipeline, f'<html><head><title>LD</title><script type="application/ld+json">{ld}'
                 f'</script></head><body><article><p>{WORDS * 5}</p></article></body></html>')
    assert "library budget" in page.text


def test_element_with_100000_attributes(tmp_path):
    """Cleaned within the per-page timeout (it took a minute of CPU): stored, not timed out."""
    folder = tmp_path / "in"
    folder.mkdir()
    attrs = " ".join(f'a{i}="v"' for i in range(100_000))
    (folder / "attrs.html").write_text(f"<html><body><div {attrs}><p>{WORDS * 5}</p></div></body></html>")
    db = tmp_path / "t.db"
    run_cli("load", folder, "--db", db, "--quiet", "--workers", 1, "--timeout", 15, check=0)
    assert "library budget" in pages(db)[f"file://{folder}/attrs.html"]


# --- item 20 ---------------------------------------------------------------------------
@pytest.mark.parametrize("codec", ["utf-16-le", "utf-16-be"])
def test_utf16_without_bom_is_text(tmp_path, codec):
    folder = tmp_path / "in"
    folder.mkdir()
    text = "Der Gemeinderat hat das neue Budget für die Bücherei beschlossen. " * 6
    (folder / "p.html").write_bytes(
        f"<html><head><title>Bücherei</title></head><body><p>{text}</p></body></html>".encode(codec))
    db = tmp_path / "t.db"
    run_cli("load", folder, "--db", db, "--quiet", check=0)
    assert "Budget für die Bücherei" in pages(db)[f"file://{folder}/p.html"]


def test_control_characters_in_names_are_escaped(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    evil = "evil\x1b[2J\x1b]0;pwned\x07\nFAKE: all good.html"
    (folder / evil).write_bytes(b"")  # empty: reported, so its name is echoed
    db = tmp_path / "t.db"
    proc = run_cli("load", folder, "--db", db, "--quiet")
    assert proc.returncode == 1
    assert "\x1b" not in proc.stderr and "\x07" not in proc.stderr
    lines = proc.stderr.strip().splitlines()
    assert len(lines) == 1 and "evil\\x1b[2J" in lines[0] and "\\x0aFAKE" in lines[0]
    # the failures row keeps the real name
    assert failures(db)[0][0] == f"file://{folder}/{evil}"


@pytest.mark.parametrize("option", [["--timeout", "-5"], ["--timeout", "0"], ["--max-bytes", "-1"],
                                    ["--workers", "-3"]])
def test_nonsense_numbers_are_usage_errors(tmp_path, option):
    proc = run_cli("load", tmp_path, "--db", tmp_path / "t.db", *option)
    assert proc.returncode == 2 and option[0] in proc.stderr, proc.stderr
    assert not (tmp_path / "t.db").exists()
