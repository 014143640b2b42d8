"""Capture cleaning on bench/text-captures: deboil beside baselines measured in the same run.

    PYTHONPATH=. /work/venv/bin/python -m bench.captures

Prints shingle F1/P/R (bench/scoring.py) for the raw capture, jusText run line by line and
deboil's full pipeline, then the share of shingles kept when the TRUE bodies are fed as
captures (a cleaner must not damage clean text), and the capture step's time per page.

Note: the shipped model was trained on these same pages, so deboil's figure here is
in-sample; the honest estimate is the site-grouped cross-validation printed by
`python -m bench.captures_cv` (tools/train_capture.py retrained per fold).
"""
from __future__ import annotations

import html
import json
import re
import time

import justext

from bench.paths import find_shared
from bench.scoring import corpus_f1, shingles
from deboil.cleaners import RawPage, clean
from deboil.cleaners.capture.lines import analyse
from deboil.cleaners.lexicon.stopwords import STOPLISTS, guess_stoplist

_WORD = re.compile(r"[^\W\d_]+")


def load():
    root = find_shared() / "bench" / "text-captures"
    truth = json.loads((root / "ground-truth.json").read_text(encoding="utf-8"))
    return [((root / "captures" / f"{k}.txt").read_text(encoding="utf-8"), v["articleBody"])
            for k, v in sorted(truth.items())]


def justext_lines(capture: str) -> str:
    """jusText with each capture line as a paragraph and the best-covering stop-word list."""
    lines = [line.strip() for line in capture.splitlines() if line.strip()]
    name = guess_stoplist([w.lower() for w in _WORD.findall(capture)]) or "English"
    doc = "<html><body>" + "".join(f"<p>{html.escape(line)}</p>" for line in lines) + "</body></html>"
    paragraphs = justext.justext(doc.encode("utf-8"), STOPLISTS[name], encoding="utf-8")
    return "\n".join(p.text for p in paragraphs if not p.is_boilerplate)


def deboil(capture: str) -> str:
    return clean(RawPage(url="capture.txt", body=capture.encode("utf-8"), kind="text")).text


def retention(bodies: list[str]) -> float:
    """Share of the true bodies' shingles still present after cleaning them as captures."""
    kept = total = 0
    for body in bodies:
        true = shingles(body)
        out = shingles(deboil(body))
        kept += sum((out & true).values())
        total += sum(true.values())
    return kept / total if total else 1.0


def step_ms(captures: list[str]) -> tuple[float, float]:
    """Mean and 95th-percentile milliseconds of the capture step per page."""
    times = []
    for capture in captures:
        t0 = time.perf_counter()
        analyse(capture.splitlines())
        times.append((time.perf_counter() - t0) * 1000)
    times.sort()
    return sum(times) / len(times), times[int(0.95 * (len(times) - 1))]


def wcxb_captures() -> list[str]:
    root = find_shared() / "bench" / "text-captures-wcxb" / "captures"
    return [p.read_text(encoding="utf-8") for p in sorted(root.glob("*.txt"))]


def main() -> None:
    data = load()
    captures = [c for c, _ in data]
    bodies = [b for _, b in data]
    rows = [
        ("raw capture", corpus_f1(zip(captures, bodies))),
        ("jusText line by line", corpus_f1(zip(map(justext_lines, captures), bodies))),
        ("deboil clean_capture", corpus_f1(zip(map(deboil, captures), bodies))),
    ]
    print(f"bench/text-captures: {len(data)} pages, shingle F1 (bench/scoring.py)")
    for name, r in rows:
        print(f"  {name:24s} F1 {r['f1']:.3f}  P {r['precision']:.3f}  R {r['recall']:.3f}")
    print(f"  true bodies as captures: {retention(bodies):.2%} of shingles kept")
    for name, pages in (("news captures", captures), ("text-captures-wcxb", wcxb_captures())):
        mean, p95 = step_ms(pages)
        print(f"  capture step on {name}: {mean:.2f} ms/page mean, {p95:.2f} ms 95th percentile")


if __name__ == "__main__":
    main()
