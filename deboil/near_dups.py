"""Text signatures for exact and near-duplicate detection (no I/O; db/dups.py stores them).

A page's clean text is normalised (lower case, words only: punctuation and whitespace
differences between two outlets' copies vanish), cut into overlapping word 5-grams, and
summarised by a MinHash signature (rensa's RMinHash: the same estimate as datasketch at ~60x
less CPU a page, measured in bench/dups.py). The signature is cut into LSH bands; two pages
sharing any band's key are candidates, confirmed when their estimated Jaccard similarity
reaches THRESHOLD. Texts under MIN_WORDS words get no signature at all: a few lines of
leftover navigation or a "page not found" notice must never make two pages copies.

The parameters are part of the stored data: changing any of them (or rensa's algorithm)
changes every signature, so SCHEME names them and db/dups.py re-indexes on a mismatch.
"""
from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass

import numpy as np
import rensa

SHINGLE = 5  # words per shingle, as datatrove and text-dedup use
NUM_PERM = 128
BANDS, ROWS = 32, 4  # S-curve midpoint (1/32)^(1/4) = 0.42: edited copies at 0.5 are found
THRESHOLD = 0.5  # estimated Jaccard of two copies (bench/dups.py: chosen in training folds)
MIN_WORDS = 50  # shorter texts are not candidates (bench/dups.py measures the cut-off)
SEED = 17
SCHEME = (f"rensa-r{rensa.RMinHash.ALGORITHM_VERSION}/w{SHINGLE}/p{NUM_PERM}/b{BANDS}x{ROWS}"
          f"/s{SEED}/m{MIN_WORDS}")

_WORD = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: multiply-add mixing of hashes
_BAND_SALT = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)


@dataclass(frozen=True)
class Signature:
    words: int  # word count of the normalised text
    exact: int  # 63-bit hash of the normalised text: equal means the same words in order
    minhash: bytes | None  # NUM_PERM little-endian uint32, None when the text is too short

    def bands(self) -> list[int]:
        return band_keys(self.minhash) if self.minhash is not None else []


def words_of(text: str) -> list[str]:
    """Normalised words: lower case, Unicode word characters only."""
    return _WORD.findall(text.lower())


def signature(text: str) -> Signature:
    words = words_of(text)
    exact = int.from_bytes(hashlib.blake2b(" ".join(words).encode(), digest_size=8).digest(),
                           "little") >> 1  # fits SQLite's signed 64-bit integers
    if len(words) < MIN_WORDS:
        return Signature(len(words), exact, None)
    # words are hashed in Rust, then joined into 5-gram hashes by numpy: building the 5-gram
    # strings in Python cost more than everything else together (~0.6 ms a 1,300-word page)
    h = np.asarray(rensa.RMinHash.hash_token_sets([words])[0], dtype=np.uint64)
    n = len(h) - SHINGLE + 1
    grams = h[:n].copy()
    for j in range(1, SHINGLE):
        grams *= _MIX
        grams += h[j:n + j]
    rows = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        grams, np.array([0, n], dtype=np.uint64), NUM_PERM, SEED).to_rows()
    return Signature(len(words), exact, np.asarray(rows[0], dtype="<u4").tobytes())


def band_keys(minhash: bytes) -> list[int]:
    """One signed 64-bit key per band: pages sharing a key are candidates."""
    v = np.frombuffer(minhash, dtype="<u4").astype(np.uint64).reshape(BANDS, ROWS)
    key = _BAND_SALT.copy()
    for j in range(ROWS):
        key *= _MIX
        key += v[:, j]
        key ^= key >> np.uint64(29)
    return key.view(np.int64).tolist()


def similarity(a: bytes, b: bytes) -> float:
    """Estimated Jaccard similarity of two texts' shingle sets from their signatures."""
    return float(np.count_nonzero(np.frombuffer(a, "<u4") == np.frombuffer(b, "<u4"))) / NUM_PERM
