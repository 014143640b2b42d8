"""What `patches.install()` changes in other libraries keeps their behaviour."""
from __future__ import annotations

from lxml import html as lxml_html


def test_parsed_nodes_get_lxml_html_classes():
    # patches.install() picks lxml.html's node classes in C for trafilatura's parser: the same
    # classes lxml.html's own (Python) lookup gives, form controls included
    from trafilatura.utils import load_html

    page = ("<html><head><title>t</title></head><body><FORM action='/x'><LABEL>Name</LABEL>"
            "<Input name='q' value='v'><select name='s'><option>a</option></select>"
            "<textarea>x</textarea></FORM><svg><lineargradient/></svg><p>text &amp; more</p>"
            "</body></html>")
    ours, theirs = load_html(page), lxml_html.fromstring(page)
    assert [type(el) for el in ours.iter()] == [type(el) for el in theirs.iter()
                                                if not isinstance(el, lxml_html.HtmlComment)]
    assert {type(el).__name__ for el in ours.iter()} >= {
        "FormElement", "LabelElement", "InputElement", "SelectElement", "TextareaElement", "HtmlElement"}
    assert ours.find(".//input").value == "v"
