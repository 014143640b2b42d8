"""Running the HTML step on a page, and reading benchmark pages with their truth."""
from __future__ import annotations

import gzip
import json
import re

from deboil.cleaners.html.extract import extract_html
from deboil.models import CleanPage, Context
from tests.support.shared import shared_root

_WORDS = re.compile(r"\w+")


def squash(text: str) -> str:
    return " ".join(_WORDS.findall(text.casefold()))


def run(html: str, url: str) -> CleanPage:
    return extract_html(CleanPage(url=url, document=html), Context())


def wcxb(file_id: str) -> tuple[CleanPage, dict]:
    base = shared_root() / "bench" / "wcxb-sample"
    gt = json.loads((base / "ground-truth" / f"{file_id}.json").read_text())
    html = gzip.decompress((base / "html" / f"{file_id}.html.gz").read_bytes()).decode("utf-8", "replace")
    return run(html, gt["url"]), gt["ground_truth"]


def article(url_part: str) -> tuple[CleanPage, str]:
    base = shared_root() / "bench" / "article-extraction"
    truth = json.loads((base / "ground-truth.json").read_text())
    key = next(k for k, v in truth.items() if url_part in v["url"])
    html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", "replace")
    return run(html, truth[key]["url"]), truth[key]["articleBody"]


def assert_snippets(page: CleanPage, present: list[str], absent: list[str]) -> None:
    text = squash(page.text)
    for s in present:
        assert squash(s) in text, f"missing: {s!r}"
    for s in absent:
        assert squash(s) not in text, f"should be gone: {s!r}"
