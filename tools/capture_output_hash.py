"""sha256 of everything the capture step decides on the bench captures (news + wcxb), so a
speed change can be checked to leave the output byte-identical.

    PYTHONPATH=. python -m tools.capture_output_hash
"""
from __future__ import annotations

import hashlib
import json

from bench.paths import find_shared
from deboil.cleaners.capture.lines import analyse, prepare
from deboil.cleaners.capture.template import page_line_hashes


def captures() -> list[tuple[str, str]]:
    root = find_shared() / "bench"
    out = []
    for sub in ("text-captures", "text-captures-wcxb"):
        for p in sorted((root / sub / "captures").glob("*.txt")):
            out.append((f"{sub}/{p.name}", p.read_text(encoding="utf-8")))
    return out


def record(text: str) -> dict:
    lines = text.splitlines()
    a = analyse(lines)
    kept = [t for t in (line.strip() for line in lines) if t]
    _, _, X = prepare(kept) if kept else (None, None, None)
    return {"lines": a.lines, "reasons": a.reasons, "title": a.title, "published": a.published,
            "updated": a.updated, "published_local": a.published_local,
            "updated_local": a.updated_local, "fixed": sorted(a.fixed.items()),
            "cut": sorted(a.cut.items()), "body": a.body, "line_hashes": page_line_hashes(text),
            "features": None if X is None else hashlib.sha256(X.tobytes()).hexdigest()}


def main() -> None:
    total = hashlib.sha256()
    pages = captures()
    for name, text in pages:
        total.update(json.dumps([name, record(text)], ensure_ascii=False).encode("utf-8"))
    print(f"{len(pages)} captures  sha256 {total.hexdigest()}")


if __name__ == "__main__":
    main()
