"""Repair text that an upstream system decoded with the wrong codec ("Ð¿Ñ€Ð¸", "п╒п╟п╪").

UTF-8 bytes read through a single-byte codec leave a fingerprint: a character standing for
a lead byte (0xC2-0xF4) followed by characters standing for continuation bytes
(0x80-0xBF). For each codec we find those sequences, map them back to bytes and decode
them as UTF-8. A codec's repair is accepted only when the words it changes become more
plausible (`plausibility.penalty`: one script per word, bigrams of a real language, no
symbols glued to letters), so clean text, whose chance matches read worse, is never
touched. Up to two layers are undone (text mangled twice).

Flags: `mojibake_fixed` (words repaired) and `mojibake_fixed:<codec>` for each layer, so
the codec is queryable from `issues` without a new field.
"""
from __future__ import annotations

import re
from functools import lru_cache
from itertools import islice

from deboil.models import CleanPage
from deboil.models import Context
from deboil.cleaners.encoding.plausibility import penalty

# Wrong codecs to undo, most common first. Undefined bytes are kept as the same code
# point (U+0081 ...), which is what lenient decoders upstream produce.
CODECS = [
    "cp1252", "latin_1", "cp1251", "koi8_r", "cp1256", "mac_roman",
    "cp1250", "cp1253", "cp1254", "cp1255", "cp1257", "iso8859_2", "koi8_u",
]
MAX_LAYERS = 2
# The repaired words must pay at most this share of the penalty of the originals, after
# a prior cost per repaired character (a repair shortens text, which alone lowers a total).
ACCEPT_RATIO = 0.8
REPAIR_PRIOR = 4.0
SELECT_WORDS = 2000  # words of the result scored when choosing between codecs
SAMPLE_TOKENS = 2000  # non-ASCII tokens examined per page

_ASCII_SPACE = re.compile(r"[ \t\n\r\f\v]+")
_ASCII_TO_SPACE = bytes(32 if b < 128 else b for b in range(256))


def _byte_chars(codec: str) -> list[str]:
    """The character `codec` shows for each byte (a byte it leaves undefined stays itself)."""
    chars = []
    for b in range(256):
        try:
            chars.append(bytes([b]).decode(codec))
        except UnicodeDecodeError:
            chars.append(chr(b))
    return chars


@lru_cache(maxsize=None)
def _table(codec: str) -> tuple[dict[str, int], re.Pattern]:
    """(char -> byte, pattern of a UTF-8 sequence as seen through `codec`)."""
    to_byte: dict[str, int] = {}
    chars = _byte_chars(codec)
    for b, ch in enumerate(chars):
        to_byte.setdefault(ch, b)

    def cls(lo: int, hi: int) -> str:
        return "[" + "".join(re.escape(chars[b]) for b in range(lo, hi + 1)) + "]"

    cont = cls(0x80, 0xBF)
    pattern = re.compile(
        f"{cls(0xC2, 0xDF)}{cont}|{cls(0xE0, 0xEF)}{cont}{{2}}|{cls(0xF0, 0xF4)}{cont}{{3}}"
    )
    return to_byte, pattern


def _undo(text: str, codec: str) -> tuple[str, int]:
    """Replace every UTF-8-looking sequence by the character it encodes; (text, replacements)."""
    to_byte, pattern = _table(codec)
    count = 0

    def repl(m: re.Match) -> str:
        nonlocal count
        try:
            ch = bytes(to_byte[c] for c in m.group()).decode("utf-8")
        except (UnicodeDecodeError, KeyError):
            return m.group()
        count += 1
        return ch

    return pattern.sub(repl, text), count


def _split(text: str) -> list[str]:
    # ASCII whitespace only: a repair never touches ASCII, but may create an NBSP ("Â\xa0")
    return _ASCII_SPACE.split(text)


def _changed_words(before: str, after: str) -> tuple[str, str]:
    """The tokens that differ (same tokenisation before and after)."""
    pairs = [(x, y) for x, y in zip(_split(before), _split(after)) if x != y]
    return " ".join(x for x, _ in pairs), " ".join(y for _, y in pairs)


def _unglued(tokens: list[str]):
    """The tokens, cut at markup brackets: in an HTML page a word is often glued to the tags
    around it ("<body><p>word"), and markup scored with it makes any reading of its
    letters look better than the true one."""
    for token in tokens:
        if "<" in token or ">" in token:
            yield from _BRACKETS.split(token)
        else:
            yield token


_BRACKETS = re.compile(r"[<>]")


def _wide_words(text: str) -> str:
    """The tokens holding non-ASCII characters: all a repair can change, usually a small
    part of a page, so the codecs are tried on this rather than on the whole document.
    (str.split and str.isascii run in C: ~1 ms for a 170 KB page.)"""
    # NBSP and NEL are continuation bytes in several codecs ("Ã\xa0" is "à"); str.split
    # would cut there, so they are swapped for a stand-in while splitting.
    protect = ("\xa0" in text or "\x85" in text) and "\ue000" not in text and "\ue001" not in text
    if protect:
        text = text.replace("\xa0", "\ue000").replace("\x85", "\ue001")
    words = " ".join(islice((w for w in _unglued(text.split()) if not w.isascii()), SAMPLE_TOKENS))
    if protect:
        words = words.replace("\ue000", "\xa0").replace("\ue001", "\x85")
    return words


def _wide_runs(text: str) -> str:
    """The runs of non-ASCII characters of `text`, joined by spaces. Every fingerprint
    character is non-ASCII, so these runs hold every match; they are cut out in C (ASCII
    bytes of the UTF-8 turned into spaces, then split), and searching them is searching a
    mostly ASCII page in a fraction of the time. Only the stretches of the page outside
    its all-ASCII chunks are encoded (`str.isascii` of a slice is a copy and a test, far
    cheaper than encoding it): a run never crosses an ASCII chunk, so the runs are the same."""
    runs = []
    for part in _non_ascii_stretches(text):
        runs.extend(part.encode("utf-8", "surrogatepass").translate(_ASCII_TO_SPACE).split())
    return b" ".join(runs).decode("utf-8", "surrogatepass")


ASCII_CHUNK = 1024  # measured: 512-2048 alike, 16 K keeps too much of a page's markup


def _non_ascii_stretches(text: str) -> list[str]:
    """`text` less its all-ASCII chunks of ASCII_CHUNK characters, as the stretches between them."""
    if len(text) <= ASCII_CHUNK:
        return [text]
    stretches, start = [], None
    for at in range(0, len(text), ASCII_CHUNK):
        if text[at:at + ASCII_CHUNK].isascii():
            if start is not None:
                stretches.append(text[start:at])
                start = None
        elif start is None:
            start = at
    if start is not None:
        stretches.append(text[start:])
    return stretches


def _has_signature(text: str) -> bool:
    """Whether any codec's UTF-8 fingerprint occurs at all. Pages without one skip the
    word-by-word analysis."""
    rest = _wide_runs(text)
    if not _lead_then_continuation().search(rest):
        return False
    return any(_table(codec)[1].search(rest) for codec in CODECS)


@lru_cache(maxsize=1)
def _lead_then_continuation() -> re.Pattern:
    """A UTF-8 lead byte followed by a continuation byte, as any of the codecs shows them.
    Every fingerprint starts so: one pass rules out all codecs at once on the usual page,
    instead of one search per codec."""
    lead, cont = set(), set()
    for codec in CODECS:
        chars = _byte_chars(codec)
        lead.update(chars[0xC2:0xF5])
        cont.update(chars[0x80:0xC0])
    return re.compile("".join("[" + "".join(map(re.escape, sorted(c))) + "]" for c in (lead, cont)))


def _best_repair(text: str) -> tuple[str, str, int] | None:
    """(repaired text, codec, words changed) for the codec whose result reads best, or None.

    Acceptance looks at the changed words only (not diluted by clean text); the choice
    between accepted codecs looks at all non-ASCII words of the result, so a codec that
    leaves junk behind loses to one that repairs everything.
    """
    words = _wide_words(text)
    wide = _wide_runs(words)  # a token of minified script can be most of a page
    best = None
    for codec in CODECS:
        if not _table(codec)[1].search(wide):
            continue
        fixed, n = _undo(words, codec)
        if not n:
            continue
        old, new = _changed_words(words, fixed)
        old_cost = penalty(old, max_words=10**9)[0]
        new_cost = penalty(new, max_words=10**9)[0] + REPAIR_PRIOR * n
        if new_cost > ACCEPT_RATIO * old_cost:
            continue
        overall = penalty(fixed, max_words=SELECT_WORDS)[0]
        if best is None or overall < best[0]:
            best = (overall, codec, len(_split(old)))
    if best is None:
        return None
    # Applied to the whole page: word-by-word acceptance was measured and loses a fifth of
    # the repairs (one mojibake word alone is weak evidence), so the decision is per page.
    _, codec, changed = best
    return _undo(text, codec)[0], codec, changed


def repair_mojibake(text: str) -> tuple[str, list[tuple[str, int]]]:
    """Undo up to MAX_LAYERS of mojibake; returns (text, [(codec, words repaired), ...])."""
    layers = []
    if text.isascii():  # the cheap pre-check: ASCII text cannot be mojibake
        return text, layers
    for _ in range(MAX_LAYERS):
        if not _has_signature(text):
            break
        got = _best_repair(text)
        if got is None:
            break
        text, codec, words = got
        layers.append((codec, words))
    return text, layers


def fix_mojibake(page: CleanPage, ctx: Context) -> CleanPage:
    text, layers = repair_mojibake(page.document)
    if layers:
        page.document = text
        for codec, words in layers:
            page.flag("mojibake_fixed", words)
            page.flag(f"mojibake_fixed:{codec}", words)
    return page
