"""Section headings, interface lines and link lines after extraction."""
from __future__ import annotations

from lxml import html as lxml_html

from deboil.cleaners.html.sections import drop_link_lines, link_texts, section_reason, ui_reason


def test_section_headings():
    assert section_reason("Related stories") == "related"
    assert section_reason("Customers who viewed this item also bought") == "related"
    assert section_reason("Popular destinations in Japan") is None


def test_interface_lines():
    assert ui_reason("Skip Navigation") == "nav"
    assert ui_reason("Was this helpful?") == "nav"
    assert ui_reason("AdvertisementAdvertisement") == "nav"
    assert ui_reason("Related: What is the Crypto Travel Rule? An Overview") == "related"
    assert ui_reason("Read more: How to bake rye bread") == "related"
    # a sentence that happens to open with the word is body text
    assert ui_reason("Related: we found the data was wrong in two places.") is None
    assert ui_reason("Skip the first step if your oven is already hot.") is None


def test_link_list_items_kept_on_guides_only():
    lines = ["Intro paragraph of the guide with several words in it. " * 3, "- Decision Tree in Machine Learning"]
    links = {"decision tree in machine learning"}
    assert drop_link_lines(lines, links, keep_list_items=True)[0] == lines
    assert drop_link_lines(lines, links)[0] == lines[:1]


def test_link_texts_skip_in_page_anchors():
    tree = lxml_html.fromstring(
        '<html><body><a href="#a">Cherry blossom time in Japan now</a>'
        '<a href="https://blog.example/japan-trip/#best-time">Best time to visit Japan weather</a>'
        '<a href="/topic/coffee#ref4">The rise of the coffeehouse in Europe</a>'
        '<a href="https://blog.example/other-post/">Ten things to pack for Japan</a></body></html>')
    assert link_texts(tree, 3, "https://blog.example/japan-trip/") == {
        "the rise of the coffeehouse in europe", "ten things to pack for japan"}
    assert link_texts(tree, 3, "https://www.blog.example/topic/coffee") == {
        "best time to visit japan weather", "ten things to pack for japan"}


def test_a_childless_links_text_is_its_text_content():
    # link_texts reads a link without children by its .text: the same as text_content(),
    # also after edits that leave several text nodes side by side
    import random

    rng = random.Random(3)
    pieces = ["Read", " the ", "full story", "\n", "", "caf\u00e9 ", "&amp; more", "<b>bold</b>", "<i></i>",
              "<!-- c -->", "<span>in <em>side</em></span>", "<br>"]
    for _ in range(400):
        links = "".join(f'<a href="/p{i}">{"".join(rng.choice(pieces) for _ in range(rng.randint(0, 4)))}</a>'
                        for i in range(8))
        tree = lxml_html.fromstring(f"<html><body><p>{links}</p></body></html>")
        for el in list(tree.iter("b", "span")):
            if rng.random() < 0.5:
                el.drop_tag()  # its text joins the link's
        for a in tree.iter("a"):
            if not len(a):
                assert (a.text or "") == a.text_content()
        expected = set()
        for a in tree.iter("a"):
            text = " ".join(a.text_content().split()).casefold().strip(" -•|»›")
            if len(a.text_content().split()) >= 2 and len(text.split()) >= 2:
                expected.add(text)
        assert link_texts(tree, 2) == expected
