"""How plausible a decoded text is as human writing: the yardstick for choosing a codec
and for accepting a mojibake repair.

`penalty(text)` is the total penalty of the words that contain a non-ASCII character
(ASCII reads the same under every candidate codec, so it carries no signal); lower is
more plausible. Compare totals between readings of the same bytes. It combines
- letter-bigram frequencies from langdetect's shipped language profiles, under the one
  language that explains the text best (real writing uses that language's bigrams;
  mojibake like "Ã©" or "Ð¿Ñ" uses nobody's, and a wrong Latin codec mixes languages),
- shape rules that hold in every language: one script per word, no symbols, box-drawing,
  spaces or bare combining marks inside words, no capital after a small letter, no
  control or unassigned characters, no letters that no profiled language uses,
- for Han characters, whether the character is in a common-use set of a national
  standard (wrong CJK codecs produce rare ideographs and half-width katakana).
"""
from __future__ import annotations

import json
import math
import re
import unicodedata
from functools import lru_cache
from importlib import resources

import numpy as np
from langdetect.utils.ngram import NGram

from deboil.cleaners.cache import cached

# Words are split on ASCII whitespace only: a wrong codec can turn a letter byte into a
# no-break space ("vaš" -> "va\xa0o" in koi8-r), which must stay inside its word.
_WORD = re.compile(r"[^ \t\n\r\f\v]+")
_SPACES_IN_WORD = "\u0085\u00a0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f"
_SPACE_IN_WORD = re.compile(f"[^\\W\\d_][{_SPACES_IN_WORD}][^\\W\\d_]")

# Penalties, in nats-like units comparable to -log(bigram probability).
UNKNOWN_BIGRAM = 10.0  # two letters never seen together in any profiled language
SYMBOL_IN_WORD = 20.0  # ©, ±, ╒, €, ¿, ¶ ... glued to letters
MIXED_SCRIPT = 25.0  # a letter whose script differs from the word's other letters
RARE_LETTER = 30.0  # a letter of a script or block that web text hardly uses (Ogham, ݝ)
CASE_FLIP = 15.0  # capital right after a small letter: "zÅ‘", "ÐŸÑ€", "тО"
# A C1 control (U+0080-U+009F) is nearly always a windows-1252 character read as latin-1:
# scored as that character plus a small cost, since the repair step restores it.
C1_AS_CP1252 = 3.0
QUOTE_SIDE = 6.0  # a closing quote opening a word ("’θήνα") or an opening one ending it
CONTROL = 20.0
UNASSIGNED = 40.0  # unassigned, private-use or surrogate code points: never real text
# A CJK character stands for two or three bytes, so its costs are per character but sized
# to be comparable with two single-byte letters.
RARE_HAN = 18.0
COMMON_HAN = 6.0
KANA_HANGUL = 5.0
HALFWIDTH_KANA = 14.0


class _BigramModel:
    """Lower-cased letter bigram -> -log(relative frequency) in each profiled language.

    Word boundaries are spaces, as in the profiles. Unknown bigrams cost UNKNOWN_BIGRAM, and
    no known one costs more, so a rare-but-real bigram is never worse than an unseen one.
    """

    def __init__(self) -> None:
        prof = resources.files("langdetect") / "profiles"
        per_lang: list[dict[str, int]] = []
        totals: list[int] = []
        for entry in sorted(prof.iterdir(), key=lambda e: e.name):
            data = json.loads(entry.read_text(encoding="utf-8"))
            counts: dict[str, int] = {}
            for gram, n in data["freq"].items():
                if len(gram) <= 2:
                    g = gram.lower()
                    counts[g] = counts.get(g, 0) + n
            per_lang.append(counts)
            totals.append(data["n_words"][1] or 1)
        grams = sorted(set().union(*per_lang))
        self.letters = {g for g in grams if len(g) == 1} | {
            g[i] for g in grams for i in range(2) if len(g) == 2}
        self.index = {g: i for i, g in enumerate(grams)}
        # one extra row (the last) for unknown bigrams
        self.costs = np.full((len(grams) + 1, len(per_lang)), UNKNOWN_BIGRAM, dtype=np.float32)
        for j, counts in enumerate(per_lang):
            for g, n in counts.items():
                self.costs[self.index[g], j] = min(UNKNOWN_BIGRAM, -math.log(n / totals[j]))

    def best_language_cost(self, grams: list[str]) -> float:
        """Total cost of the bigrams under the single language that explains them best."""
        if not grams:
            return 0.0
        unknown = len(self.index)
        rows = np.fromiter((self.index.get(g, unknown) for g in grams), dtype=np.int64, count=len(grams))
        return float(self.costs[rows].sum(axis=0).min())


@lru_cache(maxsize=1)
def bigram_model() -> _BigramModel:
    """Built from langdetect's 55 JSON profiles (~0.25 s), then kept in the per-user cache."""
    return cached("bigrams", _BigramModel, libraries=("langdetect",),
                  version=1)  # bump when _BigramModel's contents change


@lru_cache(maxsize=8192)
def _norm(ch: str) -> str:
    """Lower-cased and folded the way langdetect folded its profiles (Vietnamese tones,
    Romanian comma-below, Persian yeh...), so lookups hit."""
    low = ch.lower()
    return NGram.normalize(low[0])


def _known_letter(ch: str) -> bool:
    return _norm(ch) in bigram_model().letters


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    """Coarse script of a letter or script-specific mark: LATIN, CYRILLIC, ARABIC, HAN, ...
    ('' for non-letters and for generic combining diacritics)."""
    name = unicodedata.name(ch, "")
    if not ch.isalpha():
        if unicodedata.category(ch)[0] == "M" and not name.startswith("COMBINING"):
            return name.split(" ", 1)[0]  # Arabic harakat, Indic vowel signs
        return ""
    if name.startswith("CJK") or "IDEOGRAPH" in name:
        return "HAN"
    if name.startswith(("HIRAGANA", "KATAKANA")):
        return "KANA"
    return name.split(" ", 1)[0]


@lru_cache(maxsize=8192)
def _han_cost(ch: str) -> float:
    """Han characters in a common-use level of GB2312, Big5 or JIS X 0208 are plausible."""
    for codec, lo, hi in (("gb2312", 0xB0A1, 0xD7FE), ("big5", 0xA440, 0xC67E), ("shift_jis", 0x889F, 0x9872)):
        try:
            b = ch.encode(codec)
        except UnicodeEncodeError:
            continue
        if len(b) == 2 and lo <= int.from_bytes(b, "big") <= hi:
            return COMMON_HAN
    return RARE_HAN


@lru_cache(maxsize=4096)
def _char_class(ch: str) -> str:
    cat = unicodedata.category(ch)
    if cat[0] in "LM":
        return "L"
    if cat == "Nd":
        return "D"
    if cat in ("Co", "Cs", "Cn"):
        return "U"
    if cat == "Cc" and ch not in "\t\n\r":
        return "C"
    if cat == "Cf":
        # ZWNJ/ZWJ, soft hyphen, word joiner belong inside words; direction marks do not
        return "F" if ch in "\u200c\u200d\u00ad\u2060" else "S"
    if cat[0] in "SN":
        return "S"  # symbols and odd numerics (², ½) are rare inside words
    if cat[0] == "P" and ch not in _WORD_PUNCT and not ("\u3000" <= ch <= "\u303f" or "\uff00" <= ch <= "\uffef"):
        return "S"  # ¿ ¶ † ‰ inside a word are mojibake, not writing
    return "P"


# Scripts of the web's languages; anything else in a word is more likely a decoding accident.
COMMON_SCRIPTS = {
    "LATIN", "CYRILLIC", "GREEK", "ARABIC", "HEBREW", "HAN", "KANA", "HANGUL", "THAI", "LAO",
    "DEVANAGARI", "BENGALI", "GURMUKHI", "GUJARATI", "ORIYA", "TAMIL", "TELUGU", "KANNADA",
    "MALAYALAM", "SINHALA", "ARMENIAN", "GEORGIAN", "ETHIOPIC", "MYANMAR", "KHMER", "TIBETAN",
    "CJK", "BOPOMOFO", "THAANA", "SYRIAC",
}
# Supplement/extension blocks of common scripts, for minority languages and scholarship.
_RARE_BLOCKS = [(0x0750, 0x077F), (0x08A0, 0x08FF), (0x1C80, 0x1C8F), (0x2DE0, 0x2DFF), (0xA640, 0xA69F)]
# Scripts that share words (Japanese kanji + kana, Korean hanja + hangul).
_MIXABLE = {"HAN", "KANA", "HANGUL"}

_C1 = {chr(b): bytes([b]).decode("cp1252") for b in range(0x80, 0xA0) if b not in (0x81, 0x8D, 0x8F, 0x90, 0x9D)}

# Punctuation that real words contain: apostrophes, hyphens, Catalan middle dot, Hebrew
# geresh/maqaf, Arabic/Urdu/Hindi marks; CJK punctuation is exempt by block.
_WORD_PUNCT = set("’‐‑–—·׳״־،؛؟٫٬۔।…")


@lru_cache(maxsize=65536)
def _char_info(ch: str) -> tuple[str, float, str, bool, str, bool, bool]:
    """Everything the word scorer needs about one character, computed once:
    (class, own cost, script, takes part in bigrams, normalised form, is upper, is lower)."""
    cost = 0.0
    if "\x80" <= ch <= "\x9f":
        cost += C1_AS_CP1252
        ch = _C1.get(ch, ch)
    cls = _char_class(ch)
    sc = ""
    bigram = False
    if cls == "C":
        cost += CONTROL
    elif cls == "U":
        cost += UNASSIGNED
    elif cls == "S" and ord(ch) > 0x7F:
        cost += SYMBOL_IN_WORD
    elif cls == "D" and ord(ch) > 0x7F:
        # native digits belong to a script: Thai "๒" glued to "Ci" is a mixed word
        first = unicodedata.name(ch, "").split(" ", 1)[0]
        sc = "ARABIC" if first in ("ARABIC-INDIC", "EXTENDED") else first
    elif cls == "L":
        sc = script_of(ch)
        if sc and (sc not in COMMON_SCRIPTS or any(lo <= ord(ch) <= hi for lo, hi in _RARE_BLOCKS)):
            cost += RARE_LETTER
        elif sc and ord(ch) > 0x7F and sc not in _MIXABLE and not _known_letter(ch):
            cost += RARE_LETTER  # a letter no profiled language uses: ṻ, ǻ, ѳ
        if sc == "HAN":
            cost += _han_cost(ch)
        elif sc in ("KANA", "HANGUL"):
            cost += HALFWIDTH_KANA if "HALFWIDTH" in unicodedata.name(ch, "") else KANA_HANGUL
        else:
            bigram = True
    return cls, cost, sc, bigram, _norm(ch), ch.isupper(), ch.islower()


def _is_mark(ch: str) -> bool:
    return unicodedata.category(ch)[0] == "M"


# Tokens longer than this skip runs of costless ASCII characters in one step (below, the
# per-character loop is as fast).
QUIET_RUN = 64


@lru_cache(maxsize=1)
def _quiet_ascii() -> re.Pattern:
    """One or more ASCII characters that cost nothing (not controls), per `_char_info`."""
    quiet = [chr(b) for b in range(128) if _char_info(chr(b))[1] == 0.0]
    return re.compile("[" + "".join(map(re.escape, quiet)) + "]+")


@lru_cache(maxsize=1)
def _quiet_scripts() -> dict[str, bytes]:
    """{script: the ASCII bytes not of that script} for the scripts of quiet ASCII
    characters (Latin letters): deleting them leaves the script's characters to count."""
    quiet = [b for b in range(128) if _char_info(chr(b))[1] == 0.0]
    scripts = {_char_info(chr(b))[2] for b in quiet} - {""}
    return {sc: bytes(b for b in range(128) if _char_info(chr(b))[2] != sc) for sc in scripts}


def _word_cost(word: str, grams: list[str]) -> tuple[float, int]:
    """(shape penalty, number of non-ASCII chars) for one whitespace-delimited token; the
    letter bigrams touching a non-ASCII letter are appended to `grams` for the language model."""
    total = 0.0
    if word[0] in "’”»›" or word[-1] in "‘“«‹":
        total += QUOTE_SIDE
    word = word.strip(".,;:!?\"'()[]{}<>«»“”„‘’¡¿…\xa0\u202f\x85")
    n = len(word) - len(word.encode("ascii", "ignore"))  # the non-ASCII characters, counted in C
    if not n:
        return 0.0, 0
    if len(word) <= QUIET_RUN or any(space in word for space in _SPACES_IN_WORD):
        total += SYMBOL_IN_WORD * len(_SPACE_IN_WORD.findall(word))
    scripts: dict[str, int] = {}
    prev_norm, prev_wide, prev_lower, prev_bigram = " ", False, False, False
    quiet = _quiet_ascii() if len(word) > QUIET_RUN else None
    i, end = 0, len(word)
    while i < end:
        ch = word[i]
        i += 1
        cls, cost, sc, bigram, norm, upper, lower = _char_info(ch)
        total += cost
        if prev_norm == " " and cls == "L" and _is_mark(ch):
            total += SYMBOL_IN_WORD  # a combining mark with no letter to sit on
        wide = ch > "\x7f"
        if sc:
            scripts[sc] = scripts.get(sc, 0) + 1
        if bigram and (wide or prev_wide):
            grams.append(prev_norm + norm)
            if upper and prev_lower:
                total += CASE_FLIP
        if cls == "L":
            prev_norm, prev_wide, prev_lower, prev_bigram = norm, wide, lower, bigram
        else:
            prev_norm, prev_wide, prev_lower, prev_bigram = " ", False, False, False
        if quiet is not None and not wide and (run := quiet.match(word, i)) is not None:
            # After an ASCII character, ASCII characters that cost nothing add no bigram and
            # no case flip (none is wide, nor the one before): only their letters' scripts
            # count, and the last one sets what follows. A token of minified script holds
            # hundreds of thousands of them around a few non-ASCII characters.
            skipped = run.group().encode("ascii")
            for sc, others in _quiet_scripts().items():
                if n_sc := len(skipped) - len(skipped.translate(None, others)):
                    scripts[sc] = scripts.get(sc, 0) + n_sc
            cls, _, _, bigram, norm, _, lower = _char_info(chr(skipped[-1]))
            if cls == "L":
                prev_norm, prev_wide, prev_lower, prev_bigram = norm, False, lower, bigram
            else:
                prev_norm, prev_wide, prev_lower, prev_bigram = " ", False, False, False
            i = run.end()
    if prev_wide and prev_bigram:
        grams.append(prev_norm + " ")
    if len(scripts) > 1 and not set(scripts) <= _MIXABLE:
        total += MIXED_SCRIPT * (sum(scripts.values()) - max(scripts.values()))
    return total, n


def penalty(text: str, max_words: int = 400) -> tuple[float, int]:
    """(total penalty, non-ASCII chars) over the first `max_words` words that have one.

    Compare totals between readings of the same bytes (candidate codecs, or a text and
    its mojibake repair): the implausible reading pays more in total.
    """
    total, chars, seen = 0.0, 0, 0
    grams: list[str] = []
    for m in _WORD.finditer(text):
        w = m.group()
        if w.isascii():
            continue
        c, n = _word_cost(w, grams)
        total += c
        chars += n
        seen += 1
        if seen >= max_words:
            break
    total += bigram_model().best_language_cost(grams)
    return total, chars

