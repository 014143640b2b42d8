"""The five sample captures cleaned by the capture step: body, metadata and removed lines
exactly as their gold says; glued headlines and breadcrumbs cut."""
from __future__ import annotations

import pytest

from deboil.cleaners import RawPage, clean
from tests.support import samples
from tests.support.samples import gold_date

SAMPLES = ["000_de433351e9e33d62", "001_79d2e2415bcdce5f", "002_06af052715d38b1c",
           "003_70584ff6008ec7d8", "004_87f295001bb806b5"]


def _sample(name):
    capture = samples.capture(name)
    gold = samples.gold(name)
    page = clean(RawPage(url=capture.as_uri(), body=capture.read_bytes(), kind="text"))
    return page, gold


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_body_is_exactly_gold(name):
    page, gold = _sample(name)
    assert page.text.split("\n\n") == gold["body"]


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_metadata(name):
    page, gold = _sample(name)
    assert page.title == gold["title"]
    assert (page.published, page.published_local) == gold_date(gold.get("published"))
    assert (page.updated, page.updated_local) == gold_date(gold.get("updated"))


@pytest.mark.parametrize("name", SAMPLES)
def test_sample_removed_lines_have_reasons(name):
    page, gold = _sample(name)
    removed = {r.text.strip() for r in page.removed}
    assert all(r.reason for r in page.removed)
    for line in gold["boilerplate"]:
        assert line.strip() in removed, line


def test_clean_sample_is_byte_identical():
    capture = samples.capture("002_06af052715d38b1c")
    lines = [line for line in capture.read_text(encoding="utf-8").splitlines() if line.strip()]
    page = clean(RawPage(url="x", body=capture.read_bytes(), kind="text"))
    assert page.text.split("\n\n") == lines
    assert page.title is None and not page.removed


def test_glued_related_headline_is_cut():
    page, _ = _sample("003_70584ff6008ec7d8")
    last = page.text.split("\n\n")[-1]
    assert "terrorists. Last month" in last
    assert ("US Embassy in Baghdad comes under rocket fire", "glued-headline") in {
        (r.text, r.reason) for r in page.removed}


def test_glued_breadcrumb_is_dropped():
    page, _ = _sample("004_87f295001bb806b5")
    assert "HomeWorld News" in {r.text for r in page.removed}
