"""Short plain-text captures in 51 languages: is a user's clean text stored whole?

    PYTHONPATH=. .venv/bin/python -m bench.capture_short

Every sentence of ../shared/bench/language/sentences (300 per language) is fed to the
whole pipeline as a one-line capture, and every run of five consecutive sentences as a
five-line capture (unrelated sentences, one a line). A capture is "whole" when text is
stored and no line was removed (the repair step may still fix mojibake and entities the
language files carry); "stored" when any text is left (else the runner records "no body
text found"). Printed per language, worst first, beside the all-language figure.

Then synthetic article pages: a menu, a headline, a date line, five paragraphs of three
sentences, a footer; the paragraphs of one language, or of five languages mixed. A page
passes when every paragraph is stored whole (the lede most of all).

Last, synthetic captures of non-article pages (bench/capture_kinds.py: forum threads,
product pages, listings, documentation): the share of their content units kept whole and of
their chrome lines left in the text.
"""
from __future__ import annotations

import random
from collections import defaultdict

from bench import capture_kinds
from bench.paths import find_shared
from deboil.cleaners import RawPage, clean
from deboil.cleaners.capture.lines import analyse

GROUP = 5


def load() -> dict[str, list[str]]:
    root = find_shared() / "bench" / "language" / "sentences"
    return {p.stem: [l.strip() for l in p.read_text(encoding="utf-8").splitlines() if l.strip()]
            for p in sorted(root.glob("*.txt"))}


def run(text: str) -> tuple[bool, bool]:
    page = clean(RawPage(url="capture.txt", body=text.encode("utf-8"), kind="text"))
    stored = bool(page.text.strip())
    return stored, stored and not page.removed


def measure(data: dict[str, list[str]]) -> dict[str, dict[str, list[bool]]]:
    res: dict[str, dict[str, list[bool]]] = defaultdict(lambda: defaultdict(list))
    for lang, sents in data.items():
        for s in sents:
            stored, whole = run(s)
            res[lang]["one-stored"].append(stored)
            res[lang]["one-whole"].append(whole)
        for i in range(0, len(sents) - GROUP + 1, GROUP):
            res[lang]["five-whole"].append(run("\n".join(sents[i:i + GROUP]))[1])
    return res


HEADER = ["Home", "News", "World", "Business", "Sport", "Culture", "Opinion", "Video", "Contact"]
FOOTER = ["About us", "Privacy policy", "Terms of use", "© 2024 Example Media. All rights reserved."]
PAGES_PER_LANGUAGE = 20


def synthetic_pages(data: dict[str, list[str]], mixed: bool, seed: int = 0) -> list[tuple]:
    rng = random.Random(seed)
    langs = sorted(data)
    pages = []
    for lang in langs:
        for _ in range(PAGES_PER_LANGUAGE):
            paras = []
            for _p in range(5):
                src = data[rng.choice(langs)] if mixed else data[lang]
                paras.append(" ".join(rng.sample(src, 3)))
            headline = " ".join(rng.choice(data[lang]).split()[:7]).rstrip(".!?。।۔")
            lines = HEADER + [headline, f"{rng.randint(1, 28)} March 2024"] + paras + FOOTER
            pages.append((lang, lines, paras))
    return pages


def article_kept(data) -> dict[str, tuple]:
    out = {}
    for mixed in (False, True):
        ok = lede = 0
        pages = synthetic_pages(data, mixed)
        for _lang, lines, paras in pages:
            kept = analyse(lines).body  # the capture step alone: repair may fix the files' mojibake
            ok += all(p in kept for p in paras)
            lede += paras[0] in kept
        out["mixed" if mixed else "one language"] = (ok / len(pages), lede / len(pages), len(pages))
    return out


def _share(flags: list[bool]) -> float:
    return sum(flags) / len(flags) if flags else 1.0


def main() -> None:
    data = load()
    res = measure(data)
    total = defaultdict(list)
    for r in res.values():
        for k, v in r.items():
            total[k] += v
    print(f"short captures, {len(data)} languages: one-line stored {_share(total['one-stored']):.2%}, "
          f"one-line whole {_share(total['one-whole']):.2%} ({len(total['one-whole'])}), "
          f"five-line whole {_share(total['five-whole']):.2%} ({len(total['five-whole'])})")
    worst = sorted(res, key=lambda l: (_share(res[l]["one-whole"]), _share(res[l]["five-whole"])))
    print("  per language (one-line whole / five-line whole), worst first:")
    row = []
    for lang in worst:
        row.append(f"{lang} {_share(res[lang]['one-whole']):.3f}/{_share(res[lang]['five-whole']):.3f}")
    for i in range(0, len(row), 6):
        print("   " + "  ".join(row[i:i + 6]))
    for name, (ok, lede, n) in article_kept(data).items():
        print(f"  synthetic articles ({name}, {n} pages): all five paragraphs whole {ok:.2%}, lede kept {lede:.2%}")
    capture_kinds.report(capture_kinds.measure(data))


if __name__ == "__main__":
    main()
