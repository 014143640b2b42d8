"""htmldate's free-text date fallback goes to our parser, not dateparser."""
import htmldate.extractors

from deboil.cleaners import patches
from deboil.cleaners.html.dates import parse_text_date
from deboil.cleaners.html.extract import extract_html
from deboil.models import CleanPage, Context


def test_hook_is_installed():
    patches.install()
    assert htmldate.extractors._external_date is parse_text_date


def test_textual_dates_parse_without_dateparser():
    assert parse_text_date("Dec. 19, 2025").date().isoformat() == "2025-12-19"
    assert parse_text_date("20 декабря 2020, 21:03").isoformat() == "2020-12-20T21:03:00"
    assert parse_text_date("Mon-Sat 8:00 AM to 10:00 PM EST") is None


def test_a_page_dated_only_in_its_text_gets_that_date():
    body = "<p>" + "Plain words about the harbour and its boats, nothing more. " * 12 + "</p>"
    doc = (f"<html><head><title>Harbour notes</title></head><body><article><h1>Harbour notes</h1>"
           f"<div class='byline'>Posted on Dec. 19, 2025 by staff</div>{body}</article></body></html>")
    page = extract_html(CleanPage(url="https://example.org/notes", document=doc), Context())
    assert page.published == "2025-12-19"


def test_a_product_page_gets_no_date_from_its_text():
    """Dates found by searching a product page are copyright years or price updates: only a
    declared date counts there."""
    body = "<p>" + "A sturdy oak table for six, oiled by hand, delivered flat. " * 12 + "</p>"
    doc = ("<html><head><title>Oak table</title>"
           '<meta property="og:type" content="product"></head><body><main><h1>Oak table</h1>'
           f"<div class='updated'>Price updated Dec. 19, 2025</div>{body}"
           "<button>Add to cart</button></main><footer>© 2024 Shop</footer></body></html>")
    page = extract_html(CleanPage(url="https://shop.example/p/oak-table", document=doc), Context())
    assert page.page_type == "product"
    assert page.published is None
    declared = doc.replace("</head>", '<meta property="article:published_time" content="2025-12-01"></head>')
    page = extract_html(CleanPage(url="https://shop.example/p/oak-table", document=declared), Context())
    assert page.published == "2025-12-01"


def test_a_camel_case_meta_name_is_found():
    """Meta names are read lower-cased: `itemprop="dateModified"` must still give `updated`."""
    body = "<p>" + "Plain words about the harbour and its boats, nothing more. " * 12 + "</p>"
    doc = ("<html><head><title>Harbour notes</title>"
           '<meta name="dateModified" content="2025-12-20"></head><body><article><h1>Harbour notes</h1>'
           f"{body}</article></body></html>")
    page = extract_html(CleanPage(url="https://example.org/notes", document=doc), Context())
    assert page.updated == "2025-12-20"
