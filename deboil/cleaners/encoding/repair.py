"""Certain repairs of text damage on the extracted text, each counted as an issue code.

Order matters: controls first (they can split entities and words), then entities (they
produce punctuation), then punctuation and scripts.
"""
from __future__ import annotations

from deboil.cleaners.encoding.damage import (
    count_replacement_chars,
    fix_controls,
    fix_doubled_punctuation,
    fix_entities,
    fix_foreign_punctuation,
    fix_mixed_script,
)
from deboil.models import CleanPage
from deboil.models import Context

_STEPS = [
    ("control_char", fix_controls),
    ("broken_entity", fix_entities),
    ("foreign_punctuation", fix_foreign_punctuation),
    ("mixed_script", fix_mixed_script),
    ("doubled_punctuation", fix_doubled_punctuation),
]


def repair_text(page: CleanPage, ctx: Context) -> CleanPage:
    text = page.text
    for code, fix in _STEPS:
        text, n = fix(text)
        page.flag(code, n)
    page.flag("replacement_char", count_replacement_chars(text))
    page.text = text
    return page
