"""A user's search text as an FTS5 MATCH expression.

FTS5's own syntax passes through untouched: "exact phrase", OR, NOT, AND, prefix*, NEAR(...),
column filters (title: harbour, {title text}: harbour) and parentheses. Text that is not valid
FTS5 (an unbalanced quote, `harbour-storm`, `http://x`, a lone `*`) is searched as its plain
words, all required, and the caller gets a note saying so instead of an error.
"""
from __future__ import annotations

import re
import sqlite3
import threading
from dataclasses import dataclass

# The indexed columns of pages_fts (db/schema.py): a column filter must name one of them.
FTS_COLUMNS = ("title", "text")

_local = threading.local()


@dataclass(frozen=True)
class Match:
    expression: str  # what goes to `pages_fts MATCH ?`; "" when nothing is searchable
    note: str | None = None  # set when the text was read as plain words


def plain_words(q: str) -> str:
    """Each word quoted, all required: user input can never break FTS5 syntax."""
    return " ".join(f'"{w}"' for w in re.findall(r"\w+", q))


def _checker() -> sqlite3.Connection:
    # An empty FTS5 table with the same columns: FTS5 parses the expression on every MATCH,
    # so a syntax error or an unknown column shows here without touching the corpus.
    # One per thread (Datasette calls in from several).
    conn = getattr(_local, "conn", None)
    if conn is None:
        conn = sqlite3.connect(":memory:")
        conn.execute(f"CREATE VIRTUAL TABLE q USING fts5({', '.join(FTS_COLUMNS)})")
        _local.conn = conn
    return conn


def is_valid(expression: str) -> bool:
    try:
        _checker().execute("SELECT 1 FROM q WHERE q MATCH ?", [expression]).fetchall()
    except sqlite3.Error:
        return False
    return True


def translate(q: str) -> Match:
    q = (q or "").strip()
    if not q:
        return Match("")
    if is_valid(q):
        return Match(q)
    words = plain_words(q)
    if not words:
        return Match("", f"not valid FTS5 and no words to search for: {q!r}")
    return Match(words, f"not valid FTS5, searched for the words {words}")


def match_expression(q: str) -> str:
    """The expression alone (an SQL function for Datasette's saved search query)."""
    return translate(q).expression
