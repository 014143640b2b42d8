"""Title, headline and site name from a page's head and body."""
from __future__ import annotations

from lxml import html as lxml_html

from deboil.cleaners.html.meta import headline, site_name, strip_site_suffix
from deboil.cleaners.html.structured import read_signals


def test_title_site_suffix():
    assert strip_site_suffix("What is Cloud Computing? | Google Cloud", "Google Cloud") == "What is Cloud Computing?"
    assert strip_site_suffix("Gaming News | Game Rant", None) == "Gaming News"
    assert strip_site_suffix("No separator here", "Site") == "No separator here"
    # a segment that holds the site name among more words is the product, not the site
    assert strip_site_suffix("Gymshark Arrival T-Shirt - Black", "Gymshark") == "Gymshark Arrival T-Shirt - Black"
    assert strip_site_suffix("Filing taxes in 2026 - Intuit TurboTax Blog", "TurboTax") == "Filing taxes in 2026"
    # no declared site name: the host's words run together name it
    assert strip_site_suffix("Acmetodo | A list for your work", None, "acmetodo") == "A list for your work"


def _headline(head: str, body: str, url: str = "https://forum.example/t/1") -> str | None:
    tree = lxml_html.fromstring(f"<html><head>{head}</head><body>{body}</body></html>")
    sig = read_signals(tree)
    return headline(tree, sig, site_name(sig), url)


def test_headline_skips_logo_and_section_h1s():
    # a logo <h1> holding the site name is not the headline: the site suffix is left
    # out of the declared title before comparing
    assert _headline("<title>Strategy review request - Money Forum</title>",
                     "<h1>Money Forum</h1><h2>Strategy review request</h2>") == "Strategy review request"
    assert _headline('<meta property="og:site_name" content="City Mag"><title>Bike trails | City Mag</title>',
                     "<h1>City Mag</h1><h1>The best bike trails in town</h1>"
                     '<script type="application/ld+json">{"@type": "Article", '
                     '"headline": "The best bike trails in town"}</script>') == "The best bike trails in town"
    # a one-word h1 naming the section, found at the end of a long title, is not it either
    long_title = "Hair follicles grown in the lab for the first time in a mouse study"
    assert _headline(f"<title>{long_title} : science</title>", "<h1>science</h1>") == long_title
    # an h1 that opens the title is the headline, however short
    assert _headline("<title>Quickstart — Flask Documentation (3.1.x)</title>",
                     "<h1>Quickstart</h1>") == "Quickstart"
