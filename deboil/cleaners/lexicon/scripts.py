"""Script-independent text measures for line classification: where a sentence ends, how
many words a line holds, how many of them are function words, in any script.

Latin-centred measures (".!?" ends, whitespace words) make a Hindi, Urdu or Amharic
sentence look like a headline, and a Chinese paragraph look like one word.
"""
from __future__ import annotations

import re
from functools import lru_cache

# The Turkish dotless ı matches "i" when case is ignored: a case-sensitive pattern for
# lower-cased ASCII text gets that letter beside it.
ASCII_FOLDS = {"ı": "[ıi]"}


def for_lowered_ascii(pattern: str) -> re.Pattern:
    """A pattern written to ignore case, compiled case-sensitively for lower-cased ASCII text:
    the same matches there while its literal letters are lower case (each user tests that),
    and re can skip ahead on literal first letters, which IGNORECASE prevents."""
    return re.compile("".join(ASCII_FOLDS.get(c, c) for c in pattern))

# Full stops, question and exclamation marks of the scripts the language step names (and
# their neighbours): Latin, Greek (";" is its question mark but also a clause mark: left
# out), CJK full-width and half-width, Devanagari/Bengali/Gurmukhi danda, Urdu full stop,
# Arabic question mark, Armenian, Ethiopic, Myanmar, Tibetan, Khmer, interrobangs.
SENTENCE_END_CHARS = ".!?…。！？｡．﹒︒।॥۔؟։።፧፨፡။།។‼‽⁇⁈⁉"
# Closing quotes and brackets that may follow a sentence end ("... end.»", 「...。」).
CLOSER_CHARS = "\"'”’»›)]}」』）】〕〉》"
# A line ending with one of these (after closers) is not a headline: it continues or lists.
CLAUSE_END_CHARS = ":;：；،؛"

# Scripts written without spaces between words. Han and kana run about 1.5 characters a
# word; Thai, Lao, Myanmar and Khmer about 4 (syllable clusters plus vowel marks).
_HAN_KANA = "\u3040-\u30ff\u31f0-\u31ff\u3400-\u4dbf\u4e00-\u9fff\uf900-\ufaff\uff66-\uff9f"
_SEA = "\u0e00-\u0e7f\u0e80-\u0eff\u1000-\u109f\u1780-\u17ff"
HAN_CHARS_PER_WORD = 1.5
SEA_CHARS_PER_WORD = 4.0
_HAN_RX = re.compile(f"[{_HAN_KANA}]")
_SEA_RX = re.compile(f"[{_SEA}]")
_DENSE_RX = re.compile(f"[{_HAN_KANA}{_SEA}]+")
DENSE_RUNS = _DENSE_RX  # runs of letters of the unspaced scripts
_TOKEN = re.compile(r"\w+")

# Function characters of Chinese and Japanese (particles, copulas, pronouns, aspect marks):
# each stands for a word, so their count is the stop-word count of a dense line.
_HAN_STOP = frozenset("的了是在和有我他她它这那不也就都而与及或被把对为之其以于但所着过们个上中"
                      "のにはをがでとたしもてなかれるからまでよりへやだすこそれあいう")
# Thai function words (no spaces to split on: counted as substrings).
_THAI_STOP = ("ที่", "และ", "ของ", "ใน", "การ", "เป็น", "ได้", "ให้", "มี", "ไม่", "จะ", "ว่า", "แต่",
              "กับ", "จาก", "นี้", "ซึ่ง", "โดย", "อยู่", "ก็", "แล้ว", "หรือ", "เพื่อ", "ความ")


# Thai and Lao mark no sentence end (a space separates sentences): a line of this many of
# their characters, ending in one, is taken to end a sentence (headlines are shorter).
UNMARKED_SENTENCE_CHARS = 40
_UNMARKED_RX = re.compile(r"[\u0e00-\u0eff]")


def ends_sentence(line: str) -> bool:
    """The line ends like a sentence in some script (closers after the mark allowed)."""
    text = line.rstrip().rstrip(CLOSER_CHARS)
    if not text:
        return False
    if text[-1] in SENTENCE_END_CHARS:
        return True
    return "\u0e00" <= text[-1] <= "\u0eff" and len(_UNMARKED_RX.findall(text)) >= UNMARKED_SENTENCE_CHARS


def ends_clause_or_sentence(line: str) -> bool:
    text = line.rstrip().rstrip(CLOSER_CHARS)
    return bool(text) and (text[-1] in SENTENCE_END_CHARS or text[-1] in CLAUSE_END_CHARS)


def word_counts(line: str, stop: frozenset[str]) -> tuple[int, float, int, float]:
    """(spaced tokens, word units, dense-script characters, stop words) of a line.

    Word units count a spaced word as one and dense-script text by characters per word;
    stop words count listed tokens plus function characters / words of dense scripts."""
    if line.isascii():
        return ascii_word_counts(line.lower(), stop)
    toks, spaced, units, n_dense, dense_stop = _script_counts(line)
    n_stop = len([*filter(stop.__contains__, map(str.lower, toks))]) if stop else 0
    return spaced, units, n_dense, float(n_stop + dense_stop)


# The phrase rules ask a non-ASCII line's word units just before the line features count
# its words: the part that needs no stop list is kept for the next asker.
@lru_cache(maxsize=2048)
def _script_counts(line: str) -> tuple[list[str], int, float, int, int]:
    """(tokens, spaced tokens, word units, dense-script characters, dense stop words) of a
    line (the tokens are shared: not to be changed)."""
    toks = _TOKEN.findall(line)
    dense = _DENSE_RX.findall(line)
    if not dense:
        return toks, len(toks), float(len(toks)), 0, 0
    joined = "".join(dense)
    n_han = len(_HAN_RX.findall(joined))
    n_sea = len(joined) - n_han
    spaced = len(_TOKEN.findall(_DENSE_RX.sub(" ", line)))
    units = spaced + n_han / HAN_CHARS_PER_WORD + n_sea / SEA_CHARS_PER_WORD
    dense_stop = sum(map(_HAN_STOP.__contains__, joined)) if n_han else 0
    if n_sea:
        dense_stop += sum(joined.count(w) for w in _THAI_STOP)
    return toks, spaced, units, len(joined), dense_stop


# On ASCII text \w is [A-Za-z0-9_]: with every other character made a space, str.split()
# gives _TOKEN's tokens (a C translation and split, about three times cheaper than findall).
# Every ASCII character is in the table: one missing costs translate a KeyError a call.
_ASCII_NON_WORD = str.maketrans({c: c if c.isalnum() or c == "_" else " " for c in map(chr, range(128))})


def ascii_tokens(text: str) -> list[str]:
    """_TOKEN.findall(text) for an ASCII text."""
    return text.translate(_ASCII_NON_WORD).split()


def ascii_word_counts(low: str, stop: frozenset[str]) -> tuple[int, float, int, float]:
    """word_counts of an ASCII line given lower-cased (lower-casing ASCII keeps every token
    whole, so one pass counts tokens and stop words; callers share the lower-cased line)."""
    toks = ascii_tokens(low)
    n_stop = len([*filter(stop.__contains__, toks)]) if stop else 0
    return len(toks), float(len(toks)), 0, float(n_stop)


def word_units(line: str) -> float:
    if line.isascii():
        return float(len(ascii_tokens(line)))
    return _script_counts(line)[2]


def spaced_words(line: str) -> int:
    """The words of a line as spaces part them, or in the scripts written without spaces
    (Chinese, Japanese, Thai) its word units: by spaces a Japanese article is a few dozen
    "words", fewer than the English menu and related links around it."""
    if line.isascii() or not _DENSE_RX.search(line):
        return len(line.split())
    return round(word_units(line))
