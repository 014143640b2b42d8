"""The stop-word list guess."""
from __future__ import annotations

import random
from itertools import chain, repeat

import numpy as np

from deboil.cleaners.lexicon import stopwords as sw
from tests.support import samples


def _scores_as_written(words: list[str]) -> np.ndarray:
    """guess_stoplist's scores with one hit per word occurrence (the reference)."""
    hits = np.fromiter(chain.from_iterable(map(sw._INDEX.get, words, repeat((), len(words)))), dtype=np.int64)
    return np.bincount(hits, minlength=len(sw._NAMES)) * sw._WEIGHTS


def _guess_as_written(words: list[str]) -> str | None:
    scores = _scores_as_written(words)
    if not scores.any():
        return None
    best = int(scores.argmax())
    return sw._NAMES[best] if scores[best] >= 3 * sw._WEIGHTS[best] else None


def test_guess_counts_each_distinct_word_once_with_the_same_result():
    rng = random.Random(3)
    pools = [w for name in ("English", "German", "French", "Russian", "Spanish") for w in sorted(sw.STOPLISTS[name])[:40]]
    cases = [[], ["zzzz"], ["the"], ["the", "the", "der"], ["de"] * 7 + ["la"] * 3]
    cases += [[rng.choice(pools) for _ in range(rng.randint(1, 400))] for _ in range(200)]
    for path in sorted(samples.DIR.rglob("*.txt")):
        cases.append([w.lower() for w in sw._WORD.findall(path.read_text(encoding="utf-8"))][:400])
    named = 0
    for words in cases:
        assert sw.guess_stoplist(words) == _guess_as_written(words)
        named += sw.guess_stoplist(words) is not None
    assert named > 100


def test_ascii_words_by_translation_are_the_regex_words_lower_cased():
    rng = random.Random(5)
    lines = ["Don't STOP-me now_2 x9y", "".join(map(chr, range(128))), "ÀÉ mixed Ünï"]
    lines += ["".join(rng.choice("aB9_ -'.\\t") for _ in range(rng.randint(0, 25))) for _ in range(2000)]
    for path in sorted(samples.DIR.rglob("*.txt")):
        lines += path.read_text(encoding="utf-8").splitlines()
    for line in (line for line in lines if line.isascii()):
        assert line.translate(sw._ASCII_LOWER_LETTERS).split() == [w.lower() for w in sw._WORD.findall(line)]
    texts = [path.read_text(encoding="utf-8").splitlines() for path in sorted(samples.DIR.rglob("*.txt"))]
    assert any(sw.page_stopwords(t) for t in texts)
