"""Text damage other than mojibake: find it, count it, and repair it only where the repair
is certain. Each function is pure: text in, (text, count) out.

Codes (see `repair.repair_text`): broken_entity, replacement_char, control_char,
foreign_punctuation, mixed_script, doubled_punctuation.
"""
from __future__ import annotations

import html
import re
import unicodedata
from functools import lru_cache
from html.entities import html5

from deboil.cleaners.encoding.plausibility import script_of

# --- entities -------------------------------------------------------------------------

# "&# 171;" or "&#171 ;" (a space slipped in), or any numeric entity left in text.
_NUMERIC = re.compile(r"&#\s*(?:(\d{1,7})|[xX]\s*([0-9a-fA-F]{1,6}))\s*;([ \t]*)")
# "&amp;quot;", "&amp;#8217;": escaped twice; one unescape leaves the real entity.
_DOUBLE = re.compile(r"&amp;(#\d{1,7};|#[xX][0-9a-fA-F]{1,6};|[A-Za-z][A-Za-z0-9]{1,31};)")
# Named entities left in text. Extraction already resolved the markup's own entities, so a
# literal one is an escaping accident; only the names that pages actually leak.
_NAMED = re.compile(r"&(quot|amp|lt|gt|apos|nbsp|laquo|raquo|rsquo|lsquo|rdquo|ldquo|ndash|mdash|hellip|eacute|egrave|agrave|ccedil|uuml|ouml|auml|szlig);")


def _char(code: int) -> str | None:
    if code <= 0 or code > 0x10FFFF or 0xD800 <= code <= 0xDFFF:
        return None
    return html.unescape(f"&#{code};")  # applies the HTML5 remapping of 0x80-0x9F


def fix_entities(text: str) -> tuple[str, int]:
    """Resolve entities that leaked into text; an opening quote eats the space after it."""
    count = 0

    def numeric(m: re.Match) -> str:
        nonlocal count
        ch = _char(int(m.group(1)) if m.group(1) else int(m.group(2), 16))
        if ch is None:
            return m.group()
        count += 1
        opening = len(ch) == 1 and unicodedata.category(ch) in ("Ps", "Pi")
        return ch if opening else ch + m.group(3)

    def double(m: re.Match) -> str:
        nonlocal count
        ent = "&" + m.group(1)
        if ent[1] != "#" and ent[1:] not in html5:
            return m.group()
        count += 1
        return html.unescape(ent)

    def named(m: re.Match) -> str:
        nonlocal count
        count += 1
        return html.unescape(m.group())

    if "&" not in text:
        return text, 0
    text = _DOUBLE.sub(double, text)
    text = _NUMERIC.sub(numeric, text)
    text = _NAMED.sub(named, text)
    return text, count


# --- characters -----------------------------------------------------------------------

_CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
_C1_AS_CP1252 = {}
for _b in range(0x80, 0xA0):
    try:
        _C1_AS_CP1252[chr(_b)] = bytes([_b]).decode("cp1252")
    except UnicodeDecodeError:
        pass


def fix_controls(text: str) -> tuple[str, int]:
    """Drop C0/DEL controls (never text); a C1 control is a windows-1252 character read as
    latin-1 upstream, so it becomes that character (U+0092 -> ’)."""
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        count += 1
        return _C1_AS_CP1252.get(m.group(), "")

    return _CONTROL.sub(repl, text), count


def count_replacement_chars(text: str) -> int:
    """U+FFFD: information already lost upstream; nothing to repair, only to report."""
    return text.count("\ufffd")


# --- punctuation ----------------------------------------------------------------------

# Script-specific punctuation -> its Latin equivalent, and the script it belongs to.
_FOREIGN = {
    "\u060c": (",", "ARABIC"), "\u061b": (";", "ARABIC"), "\u061f": ("?", "ARABIC"),
    "\uff0c": (",", "HAN"), "\u3002": (".", "HAN"), "\uff1a": (":", "HAN"),
    "\uff1b": (";", "HAN"), "\uff01": ("!", "HAN"), "\uff1f": ("?", "HAN"),
}
_FOREIGN_RE = re.compile("[" + "".join(_FOREIGN) + "]")
_HOME = {"ARABIC": {"ARABIC", "SYRIAC", "THAANA"}, "HAN": {"HAN", "KANA", "HANGUL"}}


def fix_foreign_punctuation(text: str) -> tuple[str, int]:
    """Arabic or CJK punctuation in a paragraph without a single letter of that script is a
    keyboard/encoding slip: replace it with the Latin mark."""
    if not _FOREIGN_RE.search(text):
        return text, 0
    count = 0
    out = []
    for para in text.split("\n"):
        marks = _FOREIGN_RE.findall(para)
        if marks:
            scripts = {script_of(c) for c in para if c.isalpha()}
            for mark in set(marks):
                latin, home = _FOREIGN[mark]
                if scripts and not (scripts & _HOME[home]):
                    count += para.count(mark)
                    para = para.replace(mark, latin)
        out.append(para)
    return "\n".join(out), count


# "statement.." (not "..."), and ",,": a doubled mark after a word.
_DOUBLE_PERIOD = re.compile(r"(?<=[^\W\d_])\.\.(?!\.)")
_DOUBLE_COMMA = re.compile(r"(?<=\w),,(?!,)")


def fix_doubled_punctuation(text: str) -> tuple[str, int]:
    """A lone "word.." may be a truncation (an ellipsis typed short), so it is only
    recorded; when a text has several, a pipeline doubled its periods: repair them all.
    ",," is never intended."""
    # the patterns start with a look-behind, so re tries them at every position: a plain
    # substring test first (most pages have neither) costs a tenth of that
    periods = len(_DOUBLE_PERIOD.findall(text)) if ".." in text else 0
    commas = 0
    if ",," in text:
        text, commas = _DOUBLE_COMMA.subn(",", text)
    if periods >= 2:
        text = _DOUBLE_PERIOD.sub(".", text)
    return text, periods + commas


# --- mixed scripts --------------------------------------------------------------------

# Letters that look identical across Latin, Cyrillic and Greek: the usual culprits when a
# word mixes scripts (a typist switching layouts, or spam evading filters).
_LOOKALIKE = {
    ("CYRILLIC", "LATIN"): dict(zip("аеорсухАВЕКМНОРСТХіјѕІЈЅ", "aeopcyxABEKMHOPCTXijsIJS")),
    ("GREEK", "LATIN"): dict(zip("οΑΒΕΖΗΙΚΜΝΟΡΤΥΧ", "oABEZHIKMNOPTYX")),
}
for (_a, _b), _m in list(_LOOKALIKE.items()):
    _LOOKALIKE[(_b, _a)] = {v: k for k, v in _m.items()}
_WORD = re.compile(r"[^\W\d_]{2,}")


def fix_mixed_script(text: str) -> tuple[str, int]:
    """Words mixing Latin with Cyrillic or Greek letters. Repaired when the minority
    letters are all look-alikes of majority-script letters; otherwise only counted."""
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        word = m.group()
        scripts: dict[str, int] = {}
        for c in word:
            sc = script_of(c)
            if sc:
                scripts[sc] = scripts.get(sc, 0) + 1
        if len(scripts) < 2 or not {"LATIN"} < set(scripts) <= {"LATIN", "CYRILLIC", "GREEK"}:
            return word
        count += 1
        if len(scripts) != 2:
            return word
        (major, nmaj), (minor, nmin) = sorted(scripts.items(), key=lambda kv: -kv[1])
        table = _LOOKALIKE.get((minor, major), {})
        if nmaj <= nmin or not all(c in table for c in word if script_of(c) == minor):
            return word
        return "".join(table.get(c, c) if script_of(c) == minor else c for c in word)

    # every boundary has a Cyrillic or Greek letter: searching for one of those alone is
    # ~10x faster than the boundary pattern, which starts at any letter
    if text.isascii() or not _script_letter().search(text) or not _script_boundary().search(text):
        return text, 0
    return _WORD.sub(repl, text), count


@lru_cache(maxsize=1)
def _cyrillic_greek() -> str:
    """The Cyrillic and Greek letters, escaped for a character class, from the same
    Unicode names `script_of` reads."""
    return "".join(re.escape(c) for c in map(chr, range(0x80, 0x10000))
                   if c.isalpha() and unicodedata.name(c, "").startswith(("CYRILLIC ", "GREEK ")))


@lru_cache(maxsize=1)
def _script_letter() -> re.Pattern:
    return re.compile(f"[{_cyrillic_greek()}]")


@lru_cache(maxsize=1)
def _script_boundary() -> re.Pattern:
    """A Cyrillic or Greek letter next to a letter of another script: every word this
    step counts has one, and most pages have none, so they skip the per-word pass."""
    cg = _cyrillic_greek()
    return re.compile(f"[{cg}](?=(?![{cg}])[^\\W\\d_])|(?![{cg}])[^\\W\\d_](?=[{cg}])")
