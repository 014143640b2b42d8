"""Does a headline speak of the text under it? Used on clean text, where no menu or footer
tells a headline from a first line: a headline names what its text is about, so it shares a
content word with it ("City council approves new budget" / "The city council approved ...").
A first line that shares none is one more line of the user's text (unrelated sentences,
one a line), which must stay whole.

Words are compared by their first letters, so inflection does not hide a shared word
("approves" / "approved"; Korean words by their first two syllables, before the particles);
scripts written without spaces are compared by pairs of characters.
"""
from __future__ import annotations

import re
import unicodedata

from deboil.cleaners.lexicon.scripts import DENSE_RUNS

# Shorter words are mostly function words in spaced scripts; this many first letters stand
# for a word's stem. The stop lists (jusText's) run to thousands of frequent words, content
# words among them ("museum" in Hebrew): only words shorter than a stem are looked up there,
# function words being short.
MIN_WORD_LETTERS = 3
STEM_LETTERS = 5
HANGUL_STEM_SYLLABLES = 2
_HANGUL = re.compile("[\uac00-\ud7a3]")


def _words(text: str) -> list[str]:
    """Runs of letters and their marks (the vowel signs of Indic scripts are marks, which a
    regular expression's word class leaves out)."""
    return "".join(c if unicodedata.category(c)[0] in "LM" else " " for c in text).split()


def topic_keys(line: str, stop: frozenset[str]) -> set[str]:
    """Stems of the line's content words, and character pairs of its unspaced runs."""
    keys: set[str] = set()
    for run in DENSE_RUNS.findall(line):
        keys.update(run[i:i + 2] for i in range(len(run) - 1))
    for word in _words(DENSE_RUNS.sub(" ", line)):
        low = word.lower()
        if len(low) < STEM_LETTERS and low in stop:
            continue
        if _HANGUL.match(low):  # a syllable block holds a few letters; particles follow the noun
            if len(low) >= HANGUL_STEM_SYLLABLES:
                keys.add(low[:HANGUL_STEM_SYLLABLES])
        elif len(low) >= MIN_WORD_LETTERS:
            keys.add(low[:STEM_LETTERS])
    return keys


def speaks_of(headline: str, text: list[str], stop: frozenset[str]) -> bool:
    """The headline shares a content word (or a character pair) with the text."""
    keys = topic_keys(headline, stop)
    return bool(keys) and any(keys & topic_keys(line, stop) for line in text)
