"""Captures of non-article pages keep their content and lose the site's chrome (issue #16).

tests/data/page_kinds/ (written by `python -m tools.capture_kinds_fixtures`):
- wcxb_excerpts.json: excerpts of WCXB development captures (CC-BY-4.0, Murrough Foley) of
  forum, product, listing and documentation pages, their head and footer around the true
  body's lines. `keep`: true-body lines (those in `lost` the cleaner drops, see
  docs/captures.md); `drop`: lines in no true body that the cleaner removes.
- synthetic_pages.json: pages of `bench/capture_kinds.py` (a forum thread, a product page, a
  listing, a documentation page, built of ../shared/bench/language/sentences, Apache 2.0) in
  twelve scripts; `keep`: the posts, the description and specs, the items, the headings,
  prose, code lines and parameters.
"""
from __future__ import annotations

import json
from pathlib import Path

import pytest

from bench.capture_kinds import SITE_CHROME
from deboil.cleaners import RawPage, clean

DATA = Path(__file__).parents[2] / "data" / "page_kinds"
EXCERPTS = json.loads((DATA / "wcxb_excerpts.json").read_text(encoding="utf-8"))
SYNTHETIC = json.loads((DATA / "synthetic_pages.json").read_text(encoding="utf-8"))


def _removed(lines: list[str]) -> dict[str, str]:
    page = clean(RawPage(url="capture.txt", body="\n".join(lines).encode("utf-8"), kind="text"))
    return {r.text: r.reason for r in page.removed}


@pytest.mark.parametrize("page", EXCERPTS, ids=lambda p: f"{p['page_type']}-{p['id']}")
def test_real_capture_keeps_its_content_and_drops_chrome(page):
    removed = _removed(page["lines"])
    assert [line for line in page["keep"] if line in removed and line not in page["lost"]] == []
    assert [line for line in page["drop"] if line not in removed] == []


def test_real_captures_cover_the_kinds():
    assert {p["page_type"] for p in EXCERPTS} == {"forum", "product", "listing", "documentation"}
    assert all(len(p["keep"]) >= 4 and len(p["drop"]) >= 8 for p in EXCERPTS)


@pytest.mark.parametrize("page", SYNTHETIC, ids=lambda p: f"{p['kind']}-{p['lang']}")
def test_synthetic_page_keeps_its_units(page):
    removed = _removed(page["lines"])
    assert {line: removed[line.strip()] for line in page["keep"] if line.strip() in removed} == {}  # recorded stripped
    assert [line for line in SITE_CHROME if line not in removed] == []


def test_synthetic_pages_cover_kinds_and_scripts():
    kinds: dict[str, set[str]] = {}
    for p in SYNTHETIC:
        kinds.setdefault(p["kind"], set()).add(p["lang"])
    assert set(kinds) == {"forum", "product", "listing", "docs"}
    assert all(len(langs) == 12 for langs in kinds.values())  # listings in en ru el he ko too
    assert {"ar", "hi", "ja", "zh", "th", "ko"} <= set().union(*kinds.values())


MENU = ["Home", "News", "Sport", "Weather", "Contact", "Sign in"]
FOOTER = ["About us", "Privacy policy", "Terms of use", "© 2024 Example Ltd. All rights reserved."]


@pytest.mark.parametrize("kind", ["listing", "docs"])
def test_first_item_under_the_title_is_no_alternate_headline(kind):
    page = next(p for p in SYNTHETIC if p["kind"] == kind and p["lang"] == "en")
    first = page["keep"][0]  # the first item's title line or docs heading, right under the title
    assert first.strip() not in _removed(page["lines"])


def test_byline_under_the_title_still_goes():
    byline = "By Jordan Keller and Sam Reyes"
    paragraph = ("The council approved the new budget on Tuesday after a long debate about "
                 "road repairs, school buildings and the library, which had been closed since May.")
    lines = (MENU + ["Council passes budget after long debate", byline, paragraph,
                     "What changes for residents", paragraph.replace("Tuesday", "Monday"), paragraph.replace("May", "June"),
                     "Related stories", "Ferry line opens to the islands", "The ferry sails twice a day.",
                     "3 min read", "Schools trial a shorter week", "Twelve schools will close on Fridays.",
                     "2 min read", "Rail fares rise less than expected", "Fares go up by two percent.",
                     "4 min read"] + FOOTER)  # items of one shape, but far below the byline
    assert byline in _removed(lines)
