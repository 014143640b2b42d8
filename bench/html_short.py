"""Short HTML pages in 51 languages: is a user's text stored whole, character for character?

    PYTHONPATH=. .venv/bin/python -m bench.html_short [N] [--show K]

The HTML twin of `capture_short`. The first N sentences (default 300) of each language of
../shared/bench/language/sentences are fed to the whole pipeline as pages: one sentence in
a <p> of a bare page, the same in an article page (menu, <article> with a headline, footer),
and five consecutive sentences as five <p> in a <main> between a menu and a footer. A page
is "whole" when each sentence is in its text verbatim, modulo whitespace, NFC and what the
pipeline does to any text (the mojibake and repair steps, as in captures: C1 controls
read as windows-1252, doubled punctuation; entities written as text, which trafilatura
resolves; the invisible characters that `encoding.characters` deletes, like the soft
hyphen, or trims, like a joiner after a space); "lost" when none is.
Printed per language, worst first; `--show K` prints K failures.
"""
from __future__ import annotations

import argparse
import html
import unicodedata
from collections import defaultdict

from bench.capture_short import GROUP, load
from deboil.cleaners import RawPage, clean
from deboil.cleaners.encoding.characters import text_character, trim_invisible
from deboil.cleaners.encoding.mojibake import repair_mojibake
from deboil.cleaners.encoding.repair import repair_text
from deboil.models import CleanPage

_HEAD = "<html><head><title>Notes</title></head><body>"
_MENU = "<nav><a href='/'>Home</a> <a href='/news'>News</a> <a href='/about'>About</a></nav>"
_FOOT = "<footer>© 2024 Example</footer></body></html>"
TEMPLATES = {
    "bare": _HEAD + "{}</body></html>",
    "article": _HEAD + _MENU + "<article><h1>Headline</h1>{}</article>" + _FOOT,
    "five": _HEAD + _MENU + "<main>{}</main>" + _FOOT,
}


def paragraphs(texts: list[str]) -> str:
    """Each text as one <p>, escaped."""
    return "".join(f"<p>{html.escape(t)}</p>" for t in texts)


def page_of(template: str, sentences: list[str]) -> bytes:
    return TEMPLATES[template].format(paragraphs(sentences)).encode("utf-8")


def _flat(text: str) -> str:
    """Whitespace and canonical composition normalised (trafilatura's text is NFC)."""
    return " ".join(unicodedata.normalize("NFC", text).split())


def expected(sentences: list[str]) -> list[str]:
    """The sentences as the text steps leave them, read together (a doubled full stop
    is one before a next sentence)."""
    text = "".join(map(text_character, repair_mojibake("\n\n".join(sentences))[0]))
    text = repair_text(CleanPage(url="x", text=text), None).text
    # trafilatura resolves entities written as text ("8&frac12;" in a sentence file reads 8½)
    return [_flat(trim_invisible(html.unescape(p))) for p in text.split("\n\n")]


def missing(template: str, sentences: list[str]) -> list[str]:
    """The sentences the stored text of this page does not hold."""
    text = _flat(clean(RawPage(url="file:///notes.html", body=page_of(template, sentences), kind="html")).text)
    return [s for s, want in zip(sentences, expected(sentences)) if want not in text]


def measure(data: dict[str, list[str]], show: int = 0) -> dict[str, dict[str, list[str]]]:
    """Per language and template, each page's outcome: "whole", "partial" or "lost"."""
    res: dict[str, dict[str, list[str]]] = defaultdict(lambda: defaultdict(list))
    for lang, sents in data.items():
        groups = {"bare": [[s] for s in sents], "article": [[s] for s in sents],
                  "five": [sents[i:i + GROUP] for i in range(0, len(sents) - GROUP + 1, GROUP)]}
        for template in TEMPLATES:
            for group in groups[template]:
                miss = missing(template, group)
                res[lang][template].append("whole" if not miss else "lost" if len(miss) == len(group) else "partial")
                if miss and show > 0:
                    show -= 1
                    print(f"  [{lang} {template}] missing {miss[0]!r}")
    return res


def _share(outcomes: list[str], what: str = "whole") -> float:
    return outcomes.count(what) / len(outcomes) if outcomes else 1.0


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.html_short")
    parser.add_argument("n", nargs="?", type=int, default=300, help="sentences per language")
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    args = parser.parse_args(argv)
    data = {lang: sents[:args.n] for lang, sents in load().items()}
    res = measure(data, args.show)
    total: dict[str, list[str]] = defaultdict(list)
    for r in res.values():
        for k, v in r.items():
            total[k] += v
    print(f"short HTML pages, {len(data)} languages, " + ", ".join(
        f"{t} whole {_share(total[t]):.2%} (lost {_share(total[t], 'lost'):.2%}, {len(total[t])})" for t in TEMPLATES))
    worst = sorted(res, key=lambda l: tuple(_share(res[l][t]) for t in TEMPLATES))
    print("  per language (" + " / ".join(TEMPLATES) + " whole), worst first:")
    row = [f"{lang} " + "/".join(f"{_share(res[lang][t]):.3f}" for t in TEMPLATES) for lang in worst]
    for i in range(0, len(row), 5):
        print("   " + "  ".join(row[i:i + 5]))


if __name__ == "__main__":
    main()
