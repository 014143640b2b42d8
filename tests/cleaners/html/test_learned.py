"""The learned HTML parts: fragments read as pages, the block walk keeps structure in
reading order, the block model's edits, and the selector/model files match their features."""
from __future__ import annotations

import gzip
import json

import pytest

from deboil.cleaners.html.extract import extract_html
from deboil.cleaners.html.blocks import walk_blocks
from deboil.cleaners.html.fragment import load_page
from deboil.cleaners.html import learned
from deboil.cleaners.html.learned import MODEL_PATH, BlockModel, edit_lines
from deboil.models import CleanPage, Context
from tests.cleaners.html.pages import assert_snippets, run
from tests.support.shared import shared_root

SENTENCE = "The committee met on Tuesday to review the budget and the plans for next year. "


def test_fragment_without_html_or_body_is_read():
    """Markup that starts with text and holds several top-level elements: lxml alone
    parses it into nothing, so the page came out empty."""
    frag = "Intro line before any tag. " + "<p>" + SENTENCE * 6 + "</p><p>" + SENTENCE * 5 + "</p>"
    assert load_page(frag) is not None
    page = extract_html(CleanPage(url="file:///fragment.html", document=frag), Context())
    assert "committee met on Tuesday" in page.text
    assert len(page.text.split()) >= 100


def test_whole_page_is_not_wrapped_again():
    tree = load_page("<html><head><title>t</title></head><body><p>" + SENTENCE + "</p></body></html>")
    assert tree.find(".//body") is not None and len(tree.findall(".//body")) == 1


def test_block_walk_keeps_structure_in_reading_order():
    """Headings, list items, table cells and code each a block, in document order; scripts never."""
    html = ("<html><body><h2>Install</h2><p>" + SENTENCE + "</p><ul><li>first item</li><li>second item</li></ul>"
            "<table><tr><th>Name</th><th>Value</th></tr><tr><td>depth</td><td>3</td></tr></table>"
            "<pre>pip install deboil</pre><script>var x = 1;</script></body></html>")
    texts = [b.text for b in walk_blocks(load_page(html))]
    assert texts == ["Install", SENTENCE.strip(), "first item", "second item", "Name", "Value", "depth", "3",
                     "pip install deboil"]


def test_edit_lines_drops_low_and_adds_high_blocks_in_place():
    lines = ["Intro paragraph of the page", "A comment thread line", "Closing paragraph"]
    texts = ["Intro paragraph of the page", "Spec row: 12 volts", "A comment thread line", "Closing paragraph"]
    probs = [0.9, 0.95, 0.02, 0.8]
    held = [True, False, True, True]
    out = edit_lines(lines, texts, probs, held, t_drop=0.1, t_add=0.9)
    assert out == ["Intro paragraph of the page", "Spec row: 12 volts", "Closing paragraph"]
    # thresholds that edit nothing give the rules' lines back
    assert edit_lines(lines, texts, probs, held, t_drop=0.0, t_add=1.01) == lines


def test_shipped_block_model_matches_its_features():
    """BlockModel refuses a model whose feature list differs from html_blocks' (a model
    must be retrained by tools/train_html_blocks.py, never edited)."""
    model = BlockModel(json.loads(MODEL_PATH.read_text()))
    assert 0 <= model.t_drop < model.t_add
    assert model.by_type and set(model.by_type) <= set(model.types)
    for page_type, (t_drop, t_add) in model.by_type.items():
        assert 0 <= t_drop < t_add and model.thresholds(page_type) == (t_drop, t_add)
    assert model.thresholds("no-such-type") == (model.t_drop, model.t_add)


def test_a_type_fitted_to_no_edit_keeps_the_rules_reading(monkeypatch):
    """A type whose fitted pair edits nothing skips the block pass: its lines come back as they are."""
    model = BlockModel(json.loads(MODEL_PATH.read_text()))
    monkeypatch.setattr(learned, "_MODEL", [model])
    monkeypatch.setitem(model.by_type, "listing", learned.NO_EDIT)
    page = CleanPage(url="https://shop.example/list", page_type="listing")
    lines = ["Item one", "Item two"]
    tree = load_page("<html><body><p>Item one</p><p>Item two</p><p>" + SENTENCE * 5 + "</p></body></html>")
    assert learned.refine_page(page, tree, lines) is lines
    monkeypatch.setitem(model.by_type, "listing", (0.99, 1.01))  # drops every line it scores lower
    assert learned.refine_page(page, tree, lines) != lines


# One page of each WCXB type from wcxb-dev (not the 300-page sample the rules were written
# on), with the annotators' must-have and must-not snippets; on five of them trafilatura's
# defaults miss a must-have or keep a must-not.
@pytest.mark.shared
@pytest.mark.parametrize("file_id, page_type", [
    ("0437", "article"), ("4412", "documentation"), ("4855", "service"), ("0575", "forum"),
    ("4361", "listing"), ("2898", "product"), ("4852", "collection")])
def test_unseen_page_of_each_type_keeps_and_drops_the_truth_snippets(file_id, page_type):
    base = shared_root() / "bench" / "wcxb-dev"
    assert json.loads((base / "metadata.json").read_text())[file_id]["page_type"] == page_type
    gt = json.loads((base / "ground-truth" / f"{file_id}.json").read_text())
    html = gzip.decompress((base / "html" / f"{file_id}.html.gz").read_bytes()).decode("utf-8", "replace")
    truth = gt["ground_truth"]
    assert truth["with"] and truth["without"]
    assert_snippets(run(html, gt["url"]), truth["with"], truth["without"])
