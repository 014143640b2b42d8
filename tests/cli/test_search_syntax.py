"""`deboil search` speaks FTS5: phrases, OR, NOT, prefix, column filters; bad syntax falls back."""
from __future__ import annotations

import json

import pytest

from tests.support.cli import run_cli

PAGE = """<!doctype html><html lang="en"><head><meta charset="utf-8"><title>{title}</title></head>
<body><article><h1>{title}</h1>{paras}</article></body></html>"""

DOCS = {
    "storm.html": ("Harbour reopens after storm",
                   "The harbour reopened on Tuesday after engineers cleared the debris the storm "
                   "left behind, the port authority said on Wednesday morning."),
    "festival.html": ("Harbour festival returns",
                      "The harbour festival returns this summer with boats, music and food stalls "
                      "along the quay, the organisers announced on Monday evening."),
    "lanes.html": ("New lanes for the town centre",
                   "The council opened new cycling lanes through the town centre, and cyclists "
                   "welcomed the change after years of waiting for safer streets."),
}


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    d = tmp_path_factory.mktemp("search")
    for name, (title, text) in DOCS.items():
        paras = "".join(f"<p>{text} {text}</p>" for _ in range(3))
        (d / name).write_text(PAGE.format(title=title, paras=paras), encoding="utf-8")
    db = d / "s.db"
    run_cli("load", d, "--db", db, "--workers", "0", check=0)
    return db


def search(db, *args):
    # The command in-process (click's runner): the same code path without an interpreter
    # start for each of the many queries.
    from click.testing import CliRunner

    from deboil.cli import main

    result = CliRunner().invoke(main, ["search", *args, "--db", str(db)])
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    assert result.exit_code == 0 and "Traceback" not in result.stderr
    return result


def found(db, query: str) -> tuple[set[str], str]:
    result = search(db, query, "--json")
    return {h["url"].rsplit("/", 1)[1] for h in json.loads(result.stdout)}, result.stderr


@pytest.mark.parametrize("query, expected", [
    ("harb*", {"storm.html", "festival.html"}),
    ("harbour OR cycling", {"storm.html", "festival.html", "lanes.html"}),
    ("harbour NOT storm", {"festival.html"}),
    ('"harbour festival"', {"festival.html"}),
    ('"festival harbour"', set()),
    ("title:lanes", {"lanes.html"}),
    ("title:cycling", set()),  # only in the text
    ("NEAR(engineers debris, 3)", {"storm.html"}),
    ("(storm OR festival) AND harbour", {"storm.html", "festival.html"}),
])
def test_fts5_syntax_passes_through(corpus, query, expected):
    hits, err = found(corpus, query)
    assert hits == expected
    assert "note:" not in err


@pytest.mark.parametrize("query, expected", [
    ("harbour-storm", {"storm.html"}),  # `-` is not FTS5: read as the words harbour, storm
    ('"harbour festival', {"festival.html"}),  # unbalanced quote
    ("port:authority", {"storm.html"}),  # no such column
    ("cycling AND", {"lanes.html"}),
])
def test_invalid_fts5_falls_back_to_words_with_a_note(corpus, query, expected):
    hits, err = found(corpus, query)
    assert hits == expected
    assert "note: not valid FTS5" in err


def test_nothing_searchable_is_no_match_not_an_error(corpus):
    result = search(corpus, "*")
    assert "note:" in result.stderr and "no match" in result.stderr
