"""A table laying the page out is read as <div>s; a data table stays a table; the site's
name in the layout's first cell goes."""
from __future__ import annotations

from lxml import html as lxml_html

from deboil.cleaners import RawPage, clean
from deboil.cleaners.html.fallback import word_counts
from deboil.cleaners.html.layout_tables import row_share, unwrap_layout_tables

PARAS = ["The council met on Tuesday to vote on the budget for next year. It passed by seven votes to two.",
         "Residents had asked for more money for the parks. The mayor said the request would be heard in May.",
         "The library will open on Sundays from April. Its staff will grow by three people."]
MENU = "<a href='/'>Home</a><br><a href='/news'>News</a><br><a href='/sport'>Sport</a><br><a href='/contact'>Contact</a>"
LAYOUT = ("<html><head><title>Council passes budget | Town News</title></head><body><table width='100%'>"
          f"<tr><td colspan='2'><b>Town News</b></td></tr><tr><td width='150'>{MENU}</td><td>"
          "<b>Council passes budget</b><br><br>" + "<br><br>".join(PARAS) + "</td></tr></table></body></html>")
DATA = ("<html><body><p>Results of the vote, by ward, as the clerk read them out on Tuesday evening.</p>"
        "<table><tr><th>Ward</th><th>Votes for the budget and the new library hours</th></tr>"
        + "".join(f"<tr><td>Ward {i}</td><td>{PARAS[i % 3]}</td></tr>" for i in range(3)) + "</table></body></html>")


def _unwrapped(doc: str) -> tuple[int, object]:
    tree = lxml_html.fromstring(doc)
    wc = word_counts(tree)
    return unwrap_layout_tables(tree, wc[tree], wc), tree


def test_a_layout_table_becomes_divs():
    n, tree = _unwrapped(LAYOUT)
    assert n == 1 and not tree.xpath("//table | //tr | //td")


def test_a_table_with_header_cells_is_data():
    n, tree = _unwrapped(DATA)
    assert n == 0 and len(tree.xpath("//td")) == 6


def test_row_share():
    assert row_share(["| one two |", "three four five six"]) == 0.5
    assert row_share([]) == 0


def test_a_table_laid_page_keeps_its_paragraphs_apart():
    page = clean(RawPage(url="http://www.example.org/news/item1.htm", body=LAYOUT.encode(), kind="html"))
    lines = page.text.split("\n\n")
    assert all(p in lines for p in PARAS)
    assert not any(line.startswith("|") for line in lines)
    # the site's name in the first cell, above the headline, is the header's
    assert "Town News" not in lines and ("Town News", "header") in [(r.text, r.reason) for r in page.removed]
