"""Write the test data of tests/cleaners/capture/test_page_kinds.py (a fresh clone has no ../shared).

    PYTHONPATH=. python -m tools.capture_kinds_fixtures

- tests/data/page_kinds/wcxb_excerpts.json: excerpts of WCXB development captures
  (../shared/bench/text-captures-wcxb, CC-BY-4.0, Murrough Foley) of forum, product, listing
  and documentation pages: the capture's first lines (the site's head), the true body's
  lines with a few lines either side, the capture's last lines (the footer). `keep`: lines of
  the true body; `drop`: lines found nowhere in the true body that the cleaner removes.
- tests/data/page_kinds/synthetic_pages.json: pages of bench/capture_kinds.py in several
  scripts, one a kind and language, the first (seed 0) whose core units the cleaner keeps.
"""
from __future__ import annotations

import json
from pathlib import Path

from bench.capture_kinds import BUILDERS, SITE_CHROME, Sentences, judge
from bench.capture_short import load
from bench.paths import find_shared
from deboil.cleaners import RawPage, clean

OUT = Path(__file__).parents[1] / "tests" / "data" / "page_kinds"
# Chosen with the shipped cleaner: every true-body line of the excerpt kept, little chrome
# left (product pages: the best two; the cleaner leaks a third to a half of their chrome).
WCXB = {"forum": ["0501", "0403"], "product": ["0185", "0607"], "listing": ["2901", "2900"],
        "documentation": ["4407", "2393"]}
HEAD = TAIL = 15
MARGIN = 5
MAX_DROP = 12
# The units each kind must keep (titles are not among them: see docs/captures.md).
CORE = {"forum": ["post"], "product": ["description", "spec"], "listing": ["item"],
        "docs": ["heading", "prose", "code", "parameter"]}
LANGS = ["en", "ru", "el", "ar", "he", "hi", "bn", "ta", "th", "ja", "zh", "ko"]


def _norm(line: str) -> str:
    return " ".join(line.split())


def excerpt(pid: str, truth: dict) -> dict:
    root = find_shared() / "bench" / "text-captures-wcxb"
    lines = [l.strip() for l in (root / "captures" / f"{pid}.txt").read_text(encoding="utf-8").splitlines() if l.strip()]
    body = _norm(truth["articleBody"])
    gold = {_norm(l) for l in truth["articleBody"].splitlines() if l.strip()}
    at = [i for i, l in enumerate(lines) if _norm(l) in gold]
    lo, hi = max(0, at[0] - MARGIN), min(len(lines), at[-1] + MARGIN + 1)
    lines = lines[:min(HEAD, lo)] + lines[lo:hi] + lines[max(hi, len(lines) - TAIL):]
    out = clean(RawPage(url=f"{pid}.txt", body="\n".join(lines).encode("utf-8"), kind="text"))
    removed = {r.text: r.reason for r in out.removed}
    keep = [l for l in lines if _norm(l) in gold]
    chrome = [l for l in dict.fromkeys(lines) if _norm(l) not in body and l in removed]
    drop = chrome[:MAX_DROP // 2] + chrome[MAX_DROP // 2:][-MAX_DROP // 2:]  # from the head and the foot
    return {"id": pid, "page_type": truth["page_type"], "url": truth["url"], "lines": lines,
            "keep": keep, "lost": [l for l in keep if l in removed], "drop": drop}


def synthetic(data: dict[str, list[str]]) -> list[dict]:
    import random

    pages = []
    for kind, units in CORE.items():
        for lang in LANGS:
            rng = random.Random(f"{kind}-{lang}")
            for _ in range(20):
                page = BUILDERS[kind](rng, lang, Sentences(rng, data[lang]))
                o = judge(page)
                if all(all(o.units[u]) for u in units) and not set(o.leaked) & set(SITE_CHROME):
                    pages.append({"kind": kind, "lang": lang, "lines": page.lines,
                                  "keep": [l for u in units for unit in page.units[u] for l in unit]})
                    break
    return pages


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    truth = json.loads((find_shared() / "bench" / "text-captures-wcxb" / "ground-truth.json").read_text(encoding="utf-8"))
    pages = [excerpt(pid, truth[pid]) for ids in WCXB.values() for pid in ids]
    (OUT / "wcxb_excerpts.json").write_text(json.dumps(pages, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    for p in pages:
        print(f"wcxb {p['id']} {p['page_type']}: {len(p['lines'])} lines, keep {len(p['keep'])} (lost {len(p['lost'])}), drop {len(p['drop'])}")
    synth = synthetic(load())
    (OUT / "synthetic_pages.json").write_text(json.dumps(synth, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    found = {(p["kind"], p["lang"]) for p in synth}
    print(f"synthetic pages: {len(synth)} of {len(CORE) * len(LANGS)} kinds x languages; none in 20 tries: "
          + " ".join(f"{k}/{l}" for k in CORE for l in LANGS if (k, l) not in found))


if __name__ == "__main__":
    main()
