"""Parse a page, or a fragment of one: markup without <html>/<body> (a CMS export, an
e-mail body, a captured <div>) must read as a page too.

lxml parses a fragment that starts with text, or holds several top-level elements, into
nothing or into its first element only; trafilatura's loader then returns None and the
page comes out empty. Wrapped in <html><body>, the same markup reads in full.
"""
from __future__ import annotations

import re

from trafilatura.utils import load_html

_DOCUMENT = re.compile(r"<\s*(?:html|body|head)[\s>/]", re.I)
_OPENING_TAG = re.compile(r"<[a-zA-Z][a-zA-Z0-9]*(?:\s[^<>]*)?>")  # markup at all, not "<<<>>>"


def load_page(document: str):
    """The parsed tree of a whole page, or of a fragment wrapped as one. Text with no tag at
    all is left to trafilatura's loader, which refuses what is not markup."""
    if (isinstance(document, str) and not _DOCUMENT.search(document[:4096]) and not _DOCUMENT.search(document)
            and _OPENING_TAG.search(document)):
        return load_html(f"<html><body>{document}</body></html>")
    return load_html(document)
