"""Text signatures for exact and near-duplicate detection (no I/O; db/dups.py stores them).

A page's clean text is normalised (lower case, words only: punctuation and whitespace
differences between two outlets' copies vanish), cut into overlapping word 5-grams, and
summarised by a MinHash signature (rensa's RMinHash: the same estimate as datasketch at ~60x
less CPU a page, measured in bench/dups.py). The signature is cut into LSH bands; two pages
sharing any band's key are candidates, confirmed when their estimated Jaccard similarity
reaches THRESHOLD. Texts under MIN_WORDS words get no signature at all: a few lines of
leftover navigation or a "page not found" notice must never make two pages copies.

A copy may also be a part of the other text (a teaser, a truncated or paywalled capture, one
extraction keeping less than another): its Jaccard similarity is low, but most of its
shingles are in the longer text. Each long paragraph's hash is a key too, so such pages
are candidates, and they are copies when the exact containment (share of the shorter text's
shingles found in the longer) reaches CONTAINMENT.

The parameters are part of the stored data: changing any of them (or rensa's algorithm)
changes every signature, so SCHEME names them and db/dups.py re-indexes on a mismatch.
"""
from __future__ import annotations

import hashlib
import math
import re
from dataclasses import dataclass

import numpy as np
import rensa

SHINGLE = 5  # words per shingle, as datatrove and text-dedup use
NUM_PERM = 128
BANDS, ROWS = 32, 4  # S-curve midpoint (1/32)^(1/4) = 0.42: edited copies at 0.5 are found
THRESHOLD = 0.5  # estimated Jaccard of two copies (bench/dups.py: chosen in training folds)
MIN_WORDS = 50  # shorter texts are not candidates (bench/dups.py measures the cut-off)
CONTAINMENT = 0.8  # exact share of the shorter text's shingles in the longer one
PARAGRAPH_WORDS = 20  # shorter paragraphs are not keys: bylines, captions, "share this"
MAX_PARAGRAPHS = 16  # keys a page contributes at most: its first long paragraphs,
# which a truncated copy keeps
SEED = 17
SCHEME = (f"rensa-r{rensa.RMinHash.ALGORITHM_VERSION}/w{SHINGLE}/p{NUM_PERM}/b{BANDS}x{ROWS}"
          f"/s{SEED}/m{MIN_WORDS}/q{PARAGRAPH_WORDS}x{MAX_PARAGRAPHS}")

_WORD = re.compile(r"\w+")
_MIX = np.uint64(0x9E3779B97F4A7C15)  # odd 64-bit constant: multiply-add mixing of hashes
_BAND_SALT = np.arange(1, BANDS + 1, dtype=np.uint64) * np.uint64(0xC2B2AE3D27D4EB4F)
_PARAGRAPH_SALT = np.uint64(0x165667B19E3779F9)  # paragraph keys never equal band keys by design


@dataclass(frozen=True)
class Signature:
    words: int  # word count of the normalised text
    exact: int  # 63-bit hash of the normalised text: equal means the same words in order
    minhash: bytes | None  # NUM_PERM little-endian uint32, None when the text is too short
    shingles: int = 0  # distinct shingles: with two signatures' Jaccard, estimates containment
    paragraphs: bytes = b""  # int64 keys of the long paragraphs

    def bands(self) -> list[int]:
        return band_keys(self.minhash) if self.minhash is not None else []

    def paragraph_keys(self) -> list[int]:
        return np.frombuffer(self.paragraphs, dtype="<i8").tolist()


def words_of(text: str) -> list[str]:
    """Normalised words: lower case, Unicode word characters only."""
    return _WORD.findall(text.lower())


def _word_hashes(words: list[str]) -> np.ndarray:
    return np.asarray(rensa.RMinHash.hash_token_sets([words])[0], dtype=np.uint64)


def _grams(h: np.ndarray) -> np.ndarray:
    # words are hashed in Rust, then joined into 5-gram hashes by numpy: building the 5-gram
    # strings in Python cost more than everything else together (~0.6 ms a 1,300-word page)
    n = len(h) - SHINGLE + 1
    grams = h[:n].copy()
    for j in range(1, SHINGLE):
        grams *= _MIX
        grams += h[j:n + j]
    return grams


def shingle_set(text: str) -> np.ndarray:
    """Sorted distinct shingle hashes of a text (for exact similarity of two candidates)."""
    words = words_of(text)
    return np.unique(_grams(_word_hashes(words))) if len(words) >= SHINGLE else np.zeros(0, np.uint64)


def signature(text: str) -> Signature:
    words, starts = _words_and_paragraphs(text)
    h = _word_hashes(words) if words else np.zeros(0, np.uint64)
    # the word hashes stand for the words: hashing them is hashing the normalised text
    exact = int.from_bytes(hashlib.blake2b(h.tobytes(), digest_size=8).digest(), "little") >> 1
    if len(words) < MIN_WORDS:
        return Signature(len(words), exact, None)
    grams = _grams(h)
    rows = rensa.RMinHash.digest_matrix_from_flat_token_hashes(
        grams, np.array([0, len(grams)], dtype=np.uint64), NUM_PERM, SEED).to_rows()
    # len(grams) counts a repeated shingle twice: close enough for the containment hint
    return Signature(len(words), exact, np.asarray(rows[0], dtype="<u4").tobytes(),
                     len(grams), _paragraph_keys(h, starts))


def _words_and_paragraphs(text: str) -> tuple[list[str], list[int]]:
    """Normalised words (as words_of) and the index of each paragraph's first word. A line
    without words ("—", "•") starts no paragraph: last, it would start one past the end."""
    words: list[str] = []
    starts = []
    for line in text.lower().split("\n"):
        if line and (found := _WORD.findall(line)):
            starts.append(len(words))
            words += found
    return words, starts


def _paragraph_keys(h: np.ndarray, starts: list[int]) -> bytes:
    """A key per paragraph of PARAGRAPH_WORDS words or more (the first MAX_PARAGRAPHS): a
    position-weighted sum of its mixed word hashes, all paragraphs at once."""
    bounds = np.array(starts + [len(h)], dtype=np.int64)
    lengths = np.diff(bounds)
    long = np.flatnonzero(lengths >= PARAGRAPH_WORDS)[:MAX_PARAGRAPHS]
    if not len(long):
        return b""
    position = np.arange(len(h), dtype=np.uint64) - np.repeat(bounds[:-1], lengths).astype(np.uint64)
    sums = np.add.reduceat(h * _MIX * (position + np.uint64(1)), bounds[:-1])
    return (sums[long] ^ _PARAGRAPH_SALT).view("<i8").tobytes()


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


def similarities(own: bytes, others: list[bytes]) -> np.ndarray:
    """similarity() of one signature to many, in one numpy pass (the float values are the same)."""
    if not others:
        return np.zeros(0)
    rows = np.frombuffer(b"".join(others), "<u4").reshape(len(others), NUM_PERM)
    return np.count_nonzero(rows == np.frombuffer(own, "<u4"), axis=1) / NUM_PERM


def _fewest_equal_slots(odds: float, grid: int = 1000) -> np.ndarray:
    """For Jaccard p = i / grid: the fewest equal signature slots (of NUM_PERM) seen with a
    chance of at least `odds`, i.e. the least k with P(binomial(NUM_PERM, p) <= k) >= odds."""
    k = np.arange(NUM_PERM + 1)
    log_choose = np.array([math.lgamma(NUM_PERM + 1) - math.lgamma(j + 1) - math.lgamma(NUM_PERM - j + 1)
                           for j in k])
    p = np.clip(np.arange(grid + 1) / grid, 1e-12, 1 - 1e-12)[:, None]
    cdf = np.cumsum(np.exp(log_choose + k * np.log(p) + (NUM_PERM - k) * np.log1p(-p)), axis=1)
    return np.argmax(cdf >= odds, axis=1)


_CHANCE = 1e-6  # of a containment check passing that the bound below skips
_GRID = 1000
_FEWEST = _fewest_equal_slots(_CHANCE, _GRID)


def containment_possible(jaccard: np.ndarray, size_a: np.ndarray, size_b: np.ndarray) -> np.ndarray:
    """False where exact containment at CONTAINMENT is all but ruled out by the signatures.

    Containment c of the smaller set (a shingles) in the larger (b) means a Jaccard
    similarity of at least c*a / (a + b - c*a), and the number of equal signature slots is
    binomial(NUM_PERM, Jaccard). Where seeing as few equal slots as observed, at that least
    Jaccard, has a chance under _CHANCE, the exact check would pass only by such a chance.
    That least Jaccard is rounded down to the table's grid, which errs on the side of
    checking; so do the sizes, which count repeated shingles (Signature.shingles), when the
    larger text repeats itself."""
    a = np.minimum(size_a, size_b).astype(float)
    b = np.maximum(size_a, size_b).astype(float)
    with np.errstate(divide="ignore", invalid="ignore"):
        least = np.nan_to_num(CONTAINMENT * a / (a + b - CONTAINMENT * a))
    seen = np.rint(np.asarray(jaccard) * NUM_PERM)
    return (a == 0) | (seen >= _FEWEST[np.floor(least * _GRID).astype(int)])


def estimated_containment(jaccard: float, size_a: int, size_b: int) -> float:
    """|A & B| / min(|A|, |B|) from the Jaccard estimate and the two set sizes (rough when
    the sizes differ much: it only decides whether the exact figure is worth computing)."""
    if not size_a or not size_b:
        return 0.0
    return jaccard / (1 + jaccard) * (size_a + size_b) / min(size_a, size_b)


def exact_similarity(a: np.ndarray, b: np.ndarray) -> tuple[float, float]:
    """(Jaccard, containment) of two shingle_set() arrays."""
    if not len(a) or not len(b):
        return 0.0, 0.0
    common = len(np.intersect1d(a, b, assume_unique=True))
    return common / (len(a) + len(b) - common), common / min(len(a), len(b))
