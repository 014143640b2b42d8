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


def normalise_lines(lines: list[str]) -> list[str]:
    """normalise_line of each line, done on the joined page (one call, not one per line);
    each distinct line once (a quarter of a page's lines repeat)."""
    distinct = list(dict.fromkeys(lines))
    if len(distinct) == len(lines):
        return _normalise_joined(lines)
    norm = dict(zip(distinct, _normalise_joined(distinct)))
    return [norm[line] for line in lines]


def _normalise_joined(lines: list[str]) -> list[str]:
    plain = [line for line in lines if line.isascii()]
    if plain and len(plain) < len(lines):
        # ASCII lines need no NFKC (casefold is lower there), and apart from the others they
        # make a one-byte text, cheaper to scan than the page's wider one.
        done = iter(_normalise_ascii(plain))
        rest = iter(_normalise_joined([line for line in lines if not line.isascii()]))
        return [next(done) if line.isascii() else next(rest) for line in lines]
    text = unicodedata.normalize("NFKC", "\n".join(lines)).casefold()
    parts = _DIGITS.sub("0", text).split("\n")
    if len(parts) != len(lines):  # a line held a newline of its own
        return [normalise_line(line) for line in lines]
    # str.split() and re's \s know the same whitespace: this is normalise_line's collapse and
    # strip, cheaper than a regex stopping at every space of the page.
    return [" ".join(part.split()) for part in parts]


# ASCII whitespace other than the space and the newline (str.split() splits on all of it)
_ASCII_OTHER_SPACES = "\t\x0b\x0c\r\x1c\x1d\x1e\x1f"


def _single_spaced(text: str) -> bool:
    """Every line of the ASCII text has its words apart by single spaces and no space at
    either end, so its whitespace collapse would change nothing (a few C scans of the page
    instead of a split and join per line; captured lines come stripped)."""
    return not ("  " in text or "\n " in text or " \n" in text or text[:1] == " " or text[-1:] == " "
                or any(c in text for c in _ASCII_OTHER_SPACES))


def _normalise_ascii(lines: list[str]) -> list[str]:
    text = _DIGITS.sub("0", "\n".join(lines).lower())
    parts = text.split("\n")
    if len(parts) != len(lines):  # a line held a newline of its own
        return [normalise_line(line) for line in lines]
    if _single_spaced(text):
        return parts
    return [" ".join(part.split()) for part in parts]


def hash_normalised(norm: str) -> str:
    return hashlib.blake2b(norm.encode("utf-8"), digest_size=8).hexdigest()


def line_hash(line: str) -> str:
    """Stable short fingerprint of a line (16 hex digits of BLAKE2b)."""
    return hash_normalised(normalise_line(line))


def page_line_hashes(document: str) -> list[str]:
    """Distinct fingerprints of a page's candidate template lines, in first-seen order."""
    seen: dict[str, None] = {}
    for norm in normalise_lines(document.splitlines()):
        if MIN_CHARS <= len(norm) <= MAX_CHARS:
            seen.setdefault(hash_normalised(norm), None)
    return list(seen)
