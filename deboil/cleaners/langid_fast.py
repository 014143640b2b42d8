"""py3langid's byte n-gram walk done with numpy, giving the very same feature counts.

py3langid finds its n-gram features by walking an Aho-Corasick automaton byte by byte in
Python (~0.3 ms of a page's ~0.7 ms of language identification). The automaton's state after
a byte is the longest suffix of the text read so far that is a node of its n-gram trie, so
it depends only on the last DEPTH bytes (DEPTH: the trie's depth). Running the automaton
from its start on every window of the last k bytes, for k = 1 .. DEPTH, one numpy gather
per k over all positions at once, thus gives every position's state exactly.

Features are counted in order of first occurrence, as py3langid's Counter does, so the
scores are summed in the same order and come out bit for bit the same
(tests/cleaners/test_langid_fast.py compares them on every paragraph of the bench pages).
"""
from __future__ import annotations

from collections import Counter

import numpy as np
from py3langid.langid import LanguageIdentifier


def automaton(ident: LanguageIdentifier) -> tuple[np.ndarray, np.ndarray]:
    """(next state by row offset + byte, row offset by state) of py3langid's automaton."""
    return (np.frombuffer(ident.tk_nextmove, dtype=np.uint32),  # shared, not copied
            np.asarray(ident._rowbase, dtype=np.intp))


def trie_depth(nextmove: np.ndarray, rowbase: np.ndarray) -> int:
    """Length of the longest shortest path from the start state: the trie's depth, for an
    automaton whose every state is a trie node (breadth-first, one level a gather)."""
    seen = np.zeros(len(rowbase), dtype=bool)
    seen[0] = True
    frontier, depth = np.array([0]), 0
    while True:
        reached = np.unique(nextmove[(rowbase[frontier][:, None] + np.arange(256)).ravel()])
        frontier = reached[~seen[reached]]
        if not len(frontier):
            return depth
        seen[frontier] = True
        depth += 1


class FastIdentifier(LanguageIdentifier):
    """py3langid's identifier with the byte walk in numpy; every other step is its own."""

    __slots__ = ["_nm", "_rows", "_out", "_depth"]

    @classmethod
    def of(cls, ident: LanguageIdentifier, depth: int | None = None) -> "FastIdentifier":
        """`ident` with its arrays shared, not copied; `depth`: trie_depth's answer for its
        automaton, when known (computing it takes ~0.8 s)."""
        fast = object.__new__(cls)
        for name in LanguageIdentifier.__slots__:
            setattr(fast, name, getattr(ident, name))
        fast._nm, fast._rows = automaton(ident)
        fast._out = np.asarray(ident.tk_output, dtype=np.intp)
        fast._depth = trie_depth(fast._nm, fast._rows) if depth is None else depth
        return fast

    def _raw_score(self, text: bytes):
        data = np.frombuffer(text, dtype=np.uint8)
        states = self._nm[self._rows[0] + data]  # windows of one byte
        tail = data[1:]
        for _ in range(1, self._depth):  # windows one byte longer, wherever there is one
            states[1:] = self._nm[self._rows[states[:-1]] + tail]
        feats = self._out[states]
        feats = feats[feats >= 0]
        if not len(feats):
            return super()._raw_score(text)  # py3langid's own answer for no features
        return self._sparse_score(Counter(feats.tolist()), self.nb_ptc)
