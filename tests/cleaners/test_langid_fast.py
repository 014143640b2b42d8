"""The numpy byte walk gives py3langid's own scores, bit for bit."""
from __future__ import annotations

import json
import unicodedata

import numpy as np
import pytest
from py3langid.langid import LanguageIdentifier

from deboil.cleaners import language
from deboil.cleaners.langid_fast import FastIdentifier, automaton, trie_depth

EDGE_CASES = ["", "a", "ab", "abc", "x" * 7, "123 456", "Привет, мир", "日本語のテキストです", "🙂" * 9,
              "\ufffd\ufffd", "ΑΒΓ αβγ", "שלום עולם", "مرحبا بالعالم", "a\u0301e\u0301", "THE END",
              "Ünïcödé mixed with ASCII and 中文 and русский", " \n\t ", "x" * 3000]


@pytest.fixture(scope="module")
def identifiers():
    """py3langid's own identifier, built from its model file, and deboil's (memory-mapped
    from the cache, which this also fills if it was empty)."""
    language._identifier()  # the cache written if missing: read back below
    language._identifier.cache_clear()
    fast = language._identifier()
    assert isinstance(fast, FastIdentifier) and isinstance(fast.tk_nextmove, np.ndarray)  # mapped
    own = language._build_identifier()
    assert type(own) is LanguageIdentifier
    return own, fast


def _texts(shared_dir) -> list[str]:
    texts = list(EDGE_CASES)
    for path in sorted((shared_dir / "bench" / "language" / "sentences").glob("*.txt")):
        texts += path.read_text(encoding="utf-8").splitlines()[:60]
    truth = json.loads((shared_dir / "bench" / "article-extraction" / "ground-truth.json").read_text())
    for item in truth.values():
        paras = [p for p in item["articleBody"].split("\n") if p.strip()]
        texts += [p[:language.PARA_SAMPLE] for p in paras[:8]]
        texts.append(item["articleBody"][:language.PAGE_SAMPLE])
    return [unicodedata.normalize("NFKC", t) for t in texts]


def test_scores_are_py3langids_own(identifiers, shared_dir):
    own, fast = identifiers
    texts = _texts(shared_dir)
    assert len(texts) > 3000
    for text in texts:
        a, b = own._decide(text), fast._decide(text)
        assert a.dtype == b.dtype and a.tobytes() == b.tobytes(), text
        assert own.classify(text) == fast.classify(text)


def test_a_shorter_walk_would_be_caught(identifiers, shared_dir):
    """The check above can fail: one byte fewer than the trie's depth changes scores."""
    own, fast = identifiers
    short = FastIdentifier.of(own, fast._depth - 1)
    texts = _texts(shared_dir)
    assert any(own._decide(t).tobytes() != short._decide(t).tobytes() for t in texts)


def test_cached_depth_is_the_automatons(identifiers):
    own, fast = identifiers
    assert fast._depth == trie_depth(*automaton(own))
    assert np.shares_memory(fast._nm, fast.tk_nextmove)  # not copied


def test_a_broken_cache_is_rebuilt(tmp_path):
    from deboil.cleaners.langid_fast import mapped

    folder = tmp_path / "model"
    first = mapped(folder, language._build_identifier)
    (folder / "ptc.npy").write_bytes(b"broken")
    again = mapped(folder, language._build_identifier)
    text = "Ein ganz gewöhnlicher deutscher Satz über das Wetter von morgen."
    assert again._decide(text).tobytes() == first._decide(text).tobytes()
    assert mapped(folder, lambda: 1 / 0).classify(text) == first.classify(text)  # read back, not built
