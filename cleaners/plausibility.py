"""How plausible a decoded text is as human writing: the yardstick for choosing a codec
and for accepting a mojibake repair.

`cost(text)` is the average penalty per non-ASCII character of the words that contain
any (ASCII is the same under every candidate codec, so it carries no signal). Lower is
more plausible. It combines
- letter-bigram frequencies from langdetect's shipped language profiles (a word written
  in a real language uses bigrams that language uses; mojibake like "Ã©" or "Ð¿Ñ" does not),
- shape rules that hold in every language: one script per word, no symbols or box-drawing
  glued to letters, no capital after a small letter, no control characters,
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

_WORD = re.compile(r"\S+")
_NON_ASCII = re.compile(r"[^\x00-\x7f]")

# Penalties, in nats-like units comparable to -log(bigram probability).
UNKNOWN_BIGRAM = 12.0  # two letters never seen together in any profiled language
SYMBOL_IN_WORD = 14.0  # ©, ±, ╒, € ... glued to letters
MIXED_SCRIPT = 10.0  # a letter whose script differs from the word's other letters
CASE_FLIP = 6.0  # capital right after a small letter: "ÐŸÑ€", "тО"
CONTROL = 20.0
# A CJK character stands for two or three bytes, so its costs are per character but sized
# to be comparable with two single-byte letters.
RARE_HAN = 18.0
COMMON_HAN = 6.0
KANA_HANGUL = 5.0
HALFWIDTH_KANA = 14.0


@lru_cache(maxsize=1)
def _bigram_cost() -> dict[str, float]:
    """Lower-cased letter bigram -> -log(relative frequency) in the language that uses it most.

    Word boundaries are spaces, as in the profiles. Built once from langdetect's profiles.
    """
    best: dict[str, float] = {}
    prof = resources.files("langdetect") / "profiles"
    for entry in prof.iterdir():
        data = json.loads(entry.read_text(encoding="utf-8"))
        total = data["n_words"][1] or 1
        counts: dict[str, int] = {}
        for gram, n in data["freq"].items():
            if len(gram) == 2:
                g = gram.lower()
                counts[g] = counts.get(g, 0) + n
        for g, n in counts.items():
            f = n / total
            if f > best.get(g, 0.0):
                best[g] = f
    return {g: -math.log(f) for g, f in best.items()}


@lru_cache(maxsize=4096)
def script_of(ch: str) -> str:
    """Coarse script of a letter: LATIN, CYRILLIC, GREEK, ARABIC, HAN, ... ('' for non-letters)."""
    if not ch.isalpha():
        return ""
    name = unicodedata.name(ch, "")
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
    if cat in ("Cc", "Cf", "Co", "Cs", "Cn"):
        return "C"
    if cat[0] in "SN":
        return "S"  # symbols and odd numerics (², ½) are rare inside words
    return "P"


def _word_cost(word: str) -> tuple[float, int]:
    """(total penalty, number of non-ASCII chars) for one whitespace-delimited token."""
    word = word.strip(".,;:!?\"'()[]{}<>«»“”„‘’")
    n = len(_NON_ASCII.findall(word))
    if not n:
        return 0.0, 0
    bigrams = _bigram_cost()
    total = 0.0
    scripts: dict[str, int] = {}
    prev = " "
    letters = 0
    for ch in word:
        cls = _char_class(ch)
        if cls == "C":
            total += CONTROL
        elif cls == "S" and ord(ch) > 0x7F:
            total += SYMBOL_IN_WORD
        elif cls == "L":
            letters += 1
            sc = script_of(ch)
            if sc:
                scripts[sc] = scripts.get(sc, 0) + 1
            if sc == "HAN":
                total += _han_cost(ch)
            elif sc in ("KANA", "HANGUL"):
                total += HALFWIDTH_KANA if "HALFWIDTH" in unicodedata.name(ch, "") else KANA_HANGUL
            elif ord(ch) > 0x7F or ord(prev) > 0x7F:
                total += bigrams.get((prev + ch).lower(), UNKNOWN_BIGRAM)
                if ch.isupper() and prev.islower():
                    total += CASE_FLIP
        prev = ch if cls == "L" else " "
    if letters and ord(prev) > 0x7F and script_of(prev) not in ("HAN", "KANA", "HANGUL"):
        total += bigrams.get((prev + " ").lower(), UNKNOWN_BIGRAM)
    if len(scripts) > 1:
        total += MIXED_SCRIPT * (sum(scripts.values()) - max(scripts.values()))
    return total, n


def penalty(text: str, max_words: int = 400) -> tuple[float, int]:
    """(total penalty, non-ASCII chars) over the first `max_words` words that have one.

    Compare totals between readings of the same bytes (candidate codecs, or a text and
    its mojibake repair): the implausible reading pays more in total.
    """
    total, chars, seen = 0.0, 0, 0
    for m in _WORD.finditer(text):
        w = m.group()
        if w.isascii():
            continue
        c, n = _word_cost(w)
        total += c
        chars += n
        seen += 1
        if seen >= max_words:
            break
    return total, chars


def cost(text: str, max_words: int = 400) -> float:
    """Average penalty per non-ASCII char (0.0 for ASCII text)."""
    total, chars = penalty(text, max_words)
    return total / chars if chars else 0.0
