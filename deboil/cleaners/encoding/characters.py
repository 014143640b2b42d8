"""Which invisible characters a page's text keeps.

trafilatura deletes every character Python calls non-printable (`str.isprintable`), to
keep what it writes valid XML. That is more than XML forbids: it takes the joiners out of
words (Persian "می‌شود" read "میشود", Indic conjuncts and emoji sequences broken), the
C1 controls that stand for windows-1252 punctuation (the repair step shows U+0092 as the
"’" a browser shows), and every character newer than this Python's Unicode tables. Kept:
- the joiners U+200C ZWNJ and U+200D ZWJ: part of the spelling of words and emoji;
- the marks U+200E LRM, U+200F RLM, U+061C ALM: they place neutral characters (digits,
  punctuation) in mixed-direction text and, unlike the embedding, override and isolate
  controls (U+202A-202E, U+2066-2069), have no scope that a cut block could leave open;
- the visible format characters (Arabic number signs U+0600-0605, U+06DD, Syriac U+070F,
  U+0890-0891, U+08E2) and the tag characters U+E0020-E007F of flag emoji;
- C1 controls U+0080-U+009F, for the repair step to map as it does in captures;
- code points unassigned in this Python's Unicode version (newer emoji, new letters),
  except the noncharacters XML forbids or Unicode reserves.
Still deleted: the other format characters, which are invisible and join what they
separate when dropped (soft hyphen U+00AD, a line-break hint inside a word; zero-width
space U+200B; word joiner U+2060; BOM U+FEFF; the bidi embeddings), C0 controls, private
use characters (icon fonts) and surrogates. Whitespace stays whitespace.
"""
from __future__ import annotations

import re
import unicodedata

KEPT_FORMAT = frozenset(
    "\u200c\u200d"  # joiners
    "\u200e\u200f\u061c"  # direction marks
    "\u0600\u0601\u0602\u0603\u0604\u0605\u06dd\u070f\u0890\u0891\u08e2"  # visible format
    + "".join(map(chr, range(0xE0020, 0xE0080))))  # emoji tags


def _noncharacter(code: int) -> bool:
    return 0xFDD0 <= code <= 0xFDEF or (code & 0xFFFE) == 0xFFFE


def text_character(ch: str) -> str:
    """`ch` when a page's text keeps it, else "" (trafilatura's per-character test)."""
    if ch.isprintable() or ch.isspace() or ch in KEPT_FORMAT or "\x80" <= ch <= "\x9f":
        return ch
    if unicodedata.category(ch) == "Cn" and not _noncharacter(ord(ch)):
        return ch
    return ""


# A joiner after whitespace or at a line's start joins nothing: pages write "<p>&zwj;</p>"
# (and &zwnj;, &lrm;) as an empty paragraph that is not collapsed. After a letter it may
# end a word and still mean something (Malayalam "അവന്\u200d": a chillu letter).
_LOOSE_JOINERS = re.compile(r"(?<!\S)[\u200c\u200d]+")
_SPACES = re.compile(r"  +")
_VISIBLE = re.compile(r"[^\s\u200c\u200d\u200e\u200f\u061c]")


def trim_invisible(line: str) -> str:
    """`line` without its joiners that join nothing; "" when nothing visible is left."""
    if line.isascii():
        return line
    trimmed = _LOOSE_JOINERS.sub("", line)
    if trimmed != line:
        trimmed = _SPACES.sub(" ", trimmed).strip(" ")
    return trimmed if _VISIBLE.search(trimmed) else ""
