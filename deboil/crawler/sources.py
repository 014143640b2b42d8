"""Events a source produces: a raw page, a file skipped on purpose, or an input that failed."""
from __future__ import annotations

from dataclasses import dataclass


@dataclass
class Skipped:
    url: str
    reason: str


@dataclass
class Failed:
    url: str
    stage: str
    reason: str
