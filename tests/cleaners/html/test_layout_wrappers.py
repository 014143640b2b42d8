"""Layout wrappers named like chrome ("page-footer") that hold the page's text."""
from __future__ import annotations

from lxml import html as lxml_html

from deboil.cleaners.html.fallback import word_counts
from deboil.cleaners.html.layout_wrappers import unmask_layout_wrappers


def test_layout_wrappers_unmasked_only_when_large_and_outside_chrome():
    prose = "<p>" + "word " * 80 + "</p>"
    html = (f"<html><body><div class='lead'>{prose}</div>"
            f"<div class='page-footer x' id='sidebarWrap'>{prose * 3}</div>"
            f"<div class='site-footer'><p>Copyright notice</p></div></body></html>")
    tree = lxml_html.fromstring(html)
    wrapper, small = tree.find_class("page-footer")[0], tree.find_class("site-footer")[0]
    assert unmask_layout_wrappers(tree, 322, word_counts(tree)) == 1
    assert wrapper.get("class") is None and wrapper.get("id") is None
    assert small.get("class") == "site-footer"
    # inside a semantic footer it is the page's footer
    tree = lxml_html.fromstring(html.replace("<div class='page-footer", "<footer><div class='page-footer")
                                .replace("</div><div class='site", "</div></footer><div class='site"))
    assert unmask_layout_wrappers(tree, 322, word_counts(tree)) == 0
    # a large block beside the page's <main> is chrome (a shop's footer of product grids)
    tree = lxml_html.fromstring(f"<html><body><main>{prose}</main>"
                                f"<div class='footer-group'>{prose * 3}</div></body></html>")
    assert unmask_layout_wrappers(tree, 322, word_counts(tree)) == 0
