"""Stop-word lists (jusText ships ~100 languages) and a guess of which one fits a page.

The guess only picks the list used for stop-word density; it is not the page's language
field (language.py decides that after cleaning). Loaded once at import (see _load).
"""
from __future__ import annotations

import re
from collections import Counter
from functools import lru_cache
from itertools import chain, repeat

import justext
import numpy as np

from deboil.cleaners.cache import cached

_WORD = re.compile(r"[^\W\d_]+")

# ISO 639-1 -> jusText list name, for callers that already know the language.
ISO_TO_LIST = {
    "af": "Afrikaans", "ar": "Arabic", "bg": "Bulgarian", "bn": "Bengali", "ca": "Catalan",
    "cs": "Czech", "cy": "Welsh", "da": "Danish", "de": "German", "el": "Greek", "en": "English",
    "es": "Spanish", "et": "Estonian", "eu": "Basque", "fa": "Persian", "fi": "Finnish",
    "fr": "French", "ga": "Irish", "gl": "Galician", "he": "Hebrew", "hi": "Hindi", "hr": "Croatian",
    "hu": "Hungarian", "id": "Indonesian", "is": "Icelandic", "it": "Italian", "ko": "Korean",
    "lt": "Lithuanian", "lv": "Latvian", "mk": "Macedonian", "ms": "Malay", "nb": "Norwegian_Bokmal",
    "nl": "Dutch", "no": "Norwegian_Bokmal", "pl": "Polish", "pt": "Portuguese", "ro": "Romanian",
    "ru": "Russian", "sk": "Slovak", "sl": "Slovenian", "sq": "Albanian", "sr": "Serbian",
    "sv": "Swedish", "sw": "Swahili", "ta": "Tamil", "te": "Telugu", "tl": "Tagalog",
    "tr": "Turkish", "uk": "Ukrainian", "ur": "Urdu", "vi": "Vietnamese",
}
# Lists that duplicate a bigger one (and would win ties for the wrong reason).
_SKIP = {"Simple_English"}


def _build() -> tuple[dict[str, frozenset[str]], list[str], dict[str, tuple[int, ...]]]:
    lists = {name: frozenset(justext.get_stoplist(name)) for name in sorted(justext.get_stoplists())
             if name not in _SKIP}
    names = list(lists)
    index: dict = {}  # word -> list ids, then the shared tuple of them
    for i, name in enumerate(names):
        for w in lists[name]:
            index.setdefault(w, []).append(i)
    # ~155,000 words share ~2,400 distinct tuples of list ids: one object per distinct tuple
    # is pickled once and referenced after, which reads back ~40% faster.
    shared: dict[tuple[int, ...], tuple[int, ...]] = {}
    for w, ids in index.items():
        key = tuple(ids)
        index[w] = shared.setdefault(key, key)
    return lists, names, index


def _load() -> tuple[dict[str, frozenset[str]], list[str], dict[str, tuple[int, ...]]]:
    """Built once per user and jusText version (~0.3 s), then read from the cache (0.06 s)."""
    return cached("stoplists", _build, libraries=("jusText",), version=2)  # bump when _build changes


STOPLISTS, _NAMES, _INDEX = _load()
EMPTY: frozenset[str] = frozenset()
# Each hit is weighted by 1/len(list) ** 0.25 so that huge lists (thousands of entries,
# covering content words too) do not win just by size.
_WEIGHTS = np.array([1.0 / max(len(STOPLISTS[n]), 1) ** 0.25 for n in _NAMES])


def guess_stoplist(words: list[str]) -> str | None:
    """Name of the stop-word list that covers the most of these (lower-cased) words."""
    # Each distinct word once, its lists weighted by its count (half the words repeat): the
    # same integer hit counts, held as floats.
    counts = Counter(words)
    lists = list(map(_INDEX.get, counts, repeat((), len(counts))))
    hits = np.fromiter(chain.from_iterable(lists), dtype=np.int64)
    if not len(hits):
        return None
    weights = np.repeat(np.fromiter(counts.values(), dtype=float, count=len(counts)),
                        np.fromiter(map(len, lists), dtype=np.intp, count=len(lists)))
    scores = np.bincount(hits, weights=weights, minlength=len(_NAMES)) * _WEIGHTS
    best = int(scores.argmax())
    return _NAMES[best] if scores[best] >= 3 * _WEIGHTS[best] else None


@lru_cache(maxsize=64)
def stopwords_for(lang_hint: str | None) -> frozenset[str] | None:
    if not lang_hint:
        return None
    name = ISO_TO_LIST.get(lang_hint.lower().split("-")[0]) or (lang_hint if lang_hint in STOPLISTS else None)
    return STOPLISTS.get(name) if name else None


# _WORD on ASCII text is [A-Za-z]+: with letters lower-cased and every other character made a
# space, str.split() gives its tokens lower-cased (a C translation instead of a regex).
_ASCII_LOWER_LETTERS = str.maketrans({c: c.lower() if c.isalpha() else " " for c in map(chr, range(128))})


def page_stopwords(lines: list[str], lang_hint: str | None = None, sample_words: int = 400) -> frozenset[str]:
    """Stop words of the page's language: from the hint when known, else guessed from its text."""
    known = stopwords_for(lang_hint)
    if known is not None:
        return known
    # Sentence-like lines say more about the language than menus (often English anywhere).
    words: list[str] = []
    for min_words in (6, 0):
        for line in lines:
            toks = line.translate(_ASCII_LOWER_LETTERS).split() if line.isascii() else _WORD.findall(line)
            if len(toks) >= min_words:
                words.extend(map(str.lower, toks))  # (ASCII tokens are lower case already)
            if len(words) >= sample_words:
                break
        if len(words) >= 50:
            break
    name = guess_stoplist(words)
    return STOPLISTS[name] if name else EMPTY
