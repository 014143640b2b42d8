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


def test_raw_tree_copied_only_where_the_comparison_reads_it(monkeypatch):
    # trafilatura's comparison returns a long recall-mode extraction before reading the raw
    # tree: the patched cascade skips that copy, and the extraction is the same either way
    import trafilatura
    from trafilatura import core

    from deboil.cleaners import patches

    patches.install()
    assert getattr(core._extract_and_compare, "deboil", False)
    page = ("<html><body><nav><a href='/'>Home</a></nav><article>"
            + "".join(f"<p>Paragraph {i} of a long article with enough words to count as text.</p>"
                      for i in range(80))
            + "</article><div class='comments'><p>A reader's comment.</p></div></body></html>")
    copies = []
    real_copy = patches.copy
    monkeypatch.setattr(patches, "copy", lambda tree: copies.append(tree) or real_copy(tree))
    for recall, read in ((True, False), (False, True)):
        copies.clear()
        ours = trafilatura.bare_extraction(page, favor_recall=recall, include_comments=False)
        assert bool(copies) is read
        with monkeypatch.context() as m:
            m.setattr(core, "_extract_and_compare", _stock_extract_and_compare)
            stock = trafilatura.bare_extraction(page, favor_recall=recall, include_comments=False)
        assert ours.text == stock.text and len(ours.text) > 2000


def _stock_extract_and_compare(cleaned_tree, cleaned_tree_backup, tree, options):
    from copy import copy

    from trafilatura import core

    postbody, temp_text = core.extract_content(cleaned_tree, options)
    if not options.fast:
        postbody, temp_text = core.compare_extraction(cleaned_tree_backup, copy(tree), postbody, temp_text, options)
    return postbody, temp_text


def test_justext_union_is_the_set_justext_makes_of_it():
    # trafilatura's union of jusText's stop-word lists comes lower-cased from the model cache,
    # and jusText takes it as it is instead of lower-casing it again
    import justext
    from justext import core as justext_core
    from trafilatura import external

    from deboil.cleaners import patches

    patches.install()
    union = external.jt_stoplist_init()
    assert isinstance(union, frozenset) and external.JT_STOPLIST is union
    assert justext_core.define_stoplist(union) is union
    assert "the" in union and "und" in union and all(w == w.lower() for w in list(union)[:1000])
    english = justext.get_stoplist("English")
    assert justext_core.define_stoplist(english) == frozenset(w.lower() for w in english)
