"""Readers of the benchmark files in ../shared/bench for the encoding, repair and language
tests. Nothing is read at import: a test module that imports this collects without the data,
and a reader called by a test applies the shared-data rule (tests/support/shared.py)."""
from __future__ import annotations

import json
from functools import cache
from pathlib import Path

from tests.support.shared import shared_root

# the 51 languages of bench/language (ISO 639-1), named here so that a run without the data
# collects the same tests; test_language checks that the folder holds exactly these
LANGUAGES = ("af", "ar", "bg", "bn", "ca", "cs", "cy", "da", "de", "el", "en", "es", "et", "fa",
             "fi", "fr", "gu", "he", "hi", "hr", "hu", "id", "it", "ja", "ko", "lt", "lv", "mk",
             "mr", "nb", "nl", "pa", "pl", "pt", "ro", "ru", "sk", "sl", "so", "sq", "sv", "sw",
             "ta", "te", "th", "tl", "tr", "uk", "ur", "vi", "zh")


def encoding_dir() -> Path:
    return shared_root() / "bench" / "encoding"


@cache
def encoding_truth() -> dict:
    return json.loads((encoding_dir() / "truth.json").read_text(encoding="utf-8"))


def language_dir() -> Path:
    return shared_root() / "bench" / "language"


def language_lines(kind: str, lang: str) -> list[str]:
    path = language_dir() / kind / f"{lang}.txt"
    return [ln for ln in path.read_text(encoding="utf-8").splitlines() if ln.strip()]
