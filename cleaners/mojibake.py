"""Repair text that an upstream system decoded with the wrong codec."""
from __future__ import annotations

import ftfy

from .models import CleanPage
from .pipeline import Context


def fix_mojibake(page: CleanPage, ctx: Context) -> CleanPage:
    fixed = ftfy.fix_encoding(page.document)
    if fixed != page.document:
        page.document = fixed
        page.flag("mojibake_fixed")
    return page
