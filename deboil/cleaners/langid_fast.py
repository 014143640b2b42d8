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

import os
import pickle
from collections import Counter
from pathlib import Path
from typing import Callable

import numpy as np
from py3langid.langid import LanguageIdentifier

# The big arrays, memory-mapped from the cache (file name -> slot); everything else is pickled.
_MAPPED = {"nextmove.npy": "tk_nextmove", "ptc.npy": "nb_ptc"}
_META = "meta.pickle"


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


def score_rows(table: np.ndarray) -> np.ndarray:
    """py3langid's score table (feature x language) with each feature's row contiguous.
    Its own is in Fortran order, so the gather of a paragraph's ~80 feature rows read 54
    scattered floats a row, ~15 % of language identification CPU in the pipeline; the rows
    gathered, and so the scores, are the very same."""
    return np.ascontiguousarray(table)


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
        fast.nb_ptc = score_rows(ident.nb_ptc)
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


def mapped(folder: Path, build: Callable[[], LanguageIdentifier]) -> FastIdentifier:
    """A FastIdentifier whose automaton and score table are memory-mapped from `folder`
    (written from `build()` when missing or unreadable). Unpickling the ~80 MB identifier
    cost ~0.1 s of every start; mapped, a process reads only the pages it touches, and
    forked workers share them. The restricted language set is the full one here
    (`set_languages` cannot widen it)."""
    try:
        with open(folder / _META, "rb") as fh:
            meta = pickle.load(fh)
        arrays = {slot: np.load(folder / name, mmap_mode="r").view(np.ndarray)
                  for name, slot in _MAPPED.items()}
        return _assemble(meta, arrays)
    except Exception:  # missing, unreadable or half-written: build again
        pass
    fast = FastIdentifier.of(build())
    try:
        _save(fast, folder)
    except Exception:  # no cache, no harm
        pass
    return fast


def _assemble(meta: dict, arrays: dict) -> FastIdentifier:
    fast = object.__new__(FastIdentifier)
    for name, value in {**meta, **arrays}.items():
        setattr(fast, name, value)
    fast._full_model = fast.nb_ptc, fast.nb_pc, fast.nb_classes
    fast._nm, fast._rows = automaton(fast)
    fast._out = np.asarray(fast.tk_output, dtype=np.intp)
    return fast


def _save(fast: FastIdentifier, folder: Path) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, slot in _MAPPED.items():
        tmp = folder / f"{name}.{os.getpid()}.tmp.npy"
        np.save(tmp, np.asarray(getattr(fast, slot)))  # keeps the arrays' order (rows, see score_rows)
        os.replace(tmp, folder / name)
    meta = {slot: getattr(fast, slot) for slot in LanguageIdentifier.__slots__
            if slot not in _MAPPED.values() and slot != "_full_model"}
    meta["_depth"] = fast._depth
    tmp = folder / f"{_META}.{os.getpid()}.tmp"
    with open(tmp, "wb") as fh:
        pickle.dump(meta, fh, protocol=pickle.HIGHEST_PROTOCOL)
    os.replace(tmp, folder / _META)  # written last: its presence means the arrays are there
