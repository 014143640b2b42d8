"""What the extractor left out of an HTML page is listed in `removed`, with reasons read off
the blocks; the kept text is the same with and without the listing."""
from __future__ import annotations

from deboil.cleaners.html import extract
from deboil.cleaners.html.left_out import MAX_CHARS, MAX_ENTRIES, left_out
from deboil.models import Removed

from lxml import html as lxml_html

from .pages import run

BODY = "<p>" + "The harbour reopened on Tuesday after engineers cleared the debris of the storm. " * 5 + "</p>"
PAGE = f"""<html><head><title>Harbour reopens</title></head><body>
<div id="cookie-banner"><p>We use cookies to improve your experience.</p><a href="#">Accept</a></div>
<header><a href="/">Harbour Times</a><nav><ul><li><a href="/news">News</a></li>
  <li><a href="/sport">Sport</a></li><li><a href="/weather">Weather</a></li></ul></nav></header>
<article><h1>Harbour reopens</h1>{BODY}
  <p>Boats came back the same afternoon, and the ferry ran again by the evening as planned.</p>
  <div class="share-tools"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
</article>
<aside class="related-stories"><h3>Related stories</h3><ul>
  <li><a href="/a">Storm hits the coast again this week</a></li>
  <li><a href="/b">Ferry timetable changes for winter</a></li></ul></aside>
<section id="comments"><h2>2 Comments</h2><p>Great news for the town, finally.</p></section>
<footer><p>&copy; 2024 Harbour Times. All rights reserved.</p><a href="/privacy">Privacy policy</a></footer>
</body></html>"""


def by_reason(page) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for r in page.removed:
        out.setdefault(r.reason, []).append(r.text)
    return out


def test_chrome_blocks_listed_with_their_reasons():
    page = run(PAGE, "https://harbour.example/2024/03/05/reopens")
    assert "engineers cleared the debris" in page.text and "ferry ran again" in page.text
    found = by_reason(page)
    assert any("We use cookies" in t for t in found["cookie"])
    assert any("News" in t and "Sport" in t and "Weather" in t for t in found["nav"])
    assert any("Facebook" in t and "Twitter" in t for t in found["share"])
    assert any("Storm hits the coast" in t and "Ferry timetable" in t for t in found["related"])
    assert any("Great news for the town" in t for t in found["comments"])
    assert any("All rights reserved" in t for t in found["footer"])
    # nothing kept is listed as left out; the headline is there once, as deboil's own `title`
    listed = " ".join(r.text for r in page.removed)
    assert "engineers cleared" not in listed and "ferry ran again" not in listed
    assert [r.reason for r in page.removed if "Harbour reopens" in r.text] == ["title"]


def test_kept_text_unchanged_by_the_listing(monkeypatch):
    url = "https://harbour.example/2024/03/05/reopens"
    with_listing = run(PAGE, url)
    monkeypatch.setattr(extract, "left_out", lambda *args: [])
    without = run(PAGE, url)
    assert with_listing.text == without.text and with_listing.title == without.title
    assert without.removed == with_listing.removed[:len(without.removed)]
    assert len(with_listing.removed) > len(without.removed)


def test_reasons_from_link_density_and_phrasing_outside_regions():
    tree = lxml_html.fromstring(
        "<html><body><div><p>Body text that was kept by the extractor for this page.</p>"
        "<div><a href='/1'>Home</a> <a href='/2'>About</a></div>"
        "<div><a href='/x'>Ten things to know about the harbour works this spring</a></div>"
        "<p>A paragraph the extractor dropped although it reads like prose.</p>"
        "<p>Share this article</p></div></body></html>")
    entries = left_out(tree, ["Body text that was kept by the extractor for this page."], [], None)
    reasons = {e.text: e.reason for e in entries}
    assert reasons["Home About"] == "nav"
    assert reasons["Ten things to know about the harbour works this spring"] == "related"
    assert reasons["A paragraph the extractor dropped although it reads like prose."] == "not-extracted"
    assert reasons["Share this article"] == "share"


def test_already_removed_lines_and_hidden_text_not_listed_again():
    tree = lxml_html.fromstring(
        "<html><body><p>Kept words of the article body for this test.</p>"
        "<p>Sign up for our newsletter today</p><div hidden><p>Hidden menu copy</p></div>"
        "<script>var x = 'script text';</script></body></html>")
    entries = left_out(tree, ["Kept words of the article body for this test."],
                       [Removed("Sign up for our newsletter today", "newsletter")], None)
    assert entries == []


def test_bounded_entries_and_size():
    items = "".join(f"<p>Dropped paragraph number {i} with enough words to stand alone.</p>" for i in range(200))
    long_nav = "<nav>" + "".join(f"<a href='/{i}'>Section {i}</a>" for i in range(500)) + "</nav>"
    tree = lxml_html.fromstring(f"<html><body>{long_nav}{items}</body></html>")
    entries = left_out(tree, [], [], None)
    assert len(entries) == MAX_ENTRIES
    assert entries[0].reason == "nav" and len(entries[0].text) <= MAX_CHARS and entries[0].text.endswith("…")
    assert all(len(e.text) <= MAX_CHARS for e in entries)
