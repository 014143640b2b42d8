"""The five sample captures and their gold, kept in the repository (tests/data/samples) so
that the core checks run on a fresh clone. They are copies of ../shared/samples;
tests/test_sample_data.py checks that they still match where that folder is present."""
from __future__ import annotations

import json
from pathlib import Path

DIR = Path(__file__).resolve().parents[1] / "data" / "samples"
CAPTURES = DIR / "captures"
GOLD = DIR / "gold"
NAMES = sorted(p.stem for p in CAPTURES.glob("*.txt"))


def capture(name: str) -> Path:
    return CAPTURES / f"{name}.txt"


def gold(name: str) -> dict:
    return json.loads((GOLD / f"{name}.json").read_text(encoding="utf-8"))


def gold_date(value: str | None) -> tuple[str | None, str | None]:
    """A gold date as deboil stores it: the gold writes a dateline's time without a zone
    ("2020-12-20T21:46", as the capture states it); deboil invents no zone, so it keeps the
    date in the field and that wall-clock time, with seconds, in the field's *_local twin."""
    if value is None or "T" not in value:
        return value, None
    day, time = value.split("T")
    return day, f"{day}T{time}:00" if time.count(":") == 1 else f"{day}T{time}"
