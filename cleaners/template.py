"""Site templates, pure part: fingerprints of lines so storage can count on how many pages
of a site each line appears (the counting and persistence live in db/).

A line that shows up on many pages of one site is template (header, footer, promo), not
content. Fingerprints fold case, digits and whitespace so "© 2020 Example" and
"© 2021 Example" or "3 comments" and "12 comments" count as one line.
"""
from __future__ import annotations

import hashlib
import re
import unicodedata

_DIGITS = re.compile(r"\d+")
_SPACE = re.compile(r"\s+")

# Lines shorter than this (after folding) carry too little to fingerprint reliably.
MIN_CHARS = 2
# Lines longer than this are never template candidates: storage need not count them.
MAX_CHARS = 400


def normalise_line(line: str) -> str:
    text = unicodedata.normalize("NFKC", line).casefold()
    text = _DIGITS.sub("0", text)
    return _SPACE.sub(" ", text).strip()


def line_hash(line: str) -> str:
    """Stable short fingerprint of a line (16 hex digits of BLAKE2b)."""
    return hashlib.blake2b(normalise_line(line).encode("utf-8"), digest_size=8).hexdigest()


def page_line_hashes(document: str) -> list[str]:
    """Distinct fingerprints of a page's candidate template lines, in first-seen order."""
    seen: dict[str, None] = {}
    for line in document.splitlines():
        norm = normalise_line(line)
        if MIN_CHARS <= len(norm) <= MAX_CHARS:
            seen.setdefault(line_hash(line), None)
    return list(seen)
