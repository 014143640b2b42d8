"""Certain repairs of text damage, each counted as an issue code."""
from __future__ import annotations

import html
import re

from .models import CleanPage
from .pipeline import Context

_BROKEN_ENTITY = re.compile(r"&#\s+(\d{2,6});")
_DOUBLED_PERIOD = re.compile(r"(?<=[^\W\d_])\.\.(?!\.)")


def repair_text(page: CleanPage, ctx: Context) -> CleanPage:
    text = page.text
    text, n = _BROKEN_ENTITY.subn(lambda m: html.unescape(f"&#{m.group(1)};"), text)
    page.flag("broken_entity", n)
    text, n = _DOUBLED_PERIOD.subn(".", text)
    page.flag("doubled_punctuation", n)
    page.text = text
    return page
