"""The HTML step on small hand-written pages: widgets, repeats, metadata, dates, lists of addresses."""
from __future__ import annotations

from lxml import html as lxml_html

from deboil.cleaners.html.extract import article_widgets, drop_repeated_paragraphs, extract_html
from deboil.models import CleanPage, Context

from .pages import run


def test_article_widgets_by_class_words():
    html = """<html><body><article class="post author-content">
      <p>""" + "Body words here. " * 40 + """</p>
      <div class="elementor-author-box__bio"><p>Jane is a writer.</p></div>
      <div id="postAuthorInfo"><span>Jane Doe</span></div>
      <div class="w-form-fail">Oops! Something went wrong while submitting the form.</div>
      <div class="go-further-cta"><p>Record and summarize your meetings.</p></div>
      <div class="authored-by-line">x</div><div class="formula">E = mc2</div></article></body></html>"""
    tree = lxml_html.fromstring(html)
    found = article_widgets(tree, 120)
    assert [el.get("class") or el.get("id") for el in found] == [
        "elementor-author-box__bio", "postAuthorInfo", "w-form-fail", "go-further-cta"]
    assert article_widgets(tree, 4) == []  # bigger than half the body: not a box


def test_repeated_paragraphs_dropped_once_seen():
    page = CleanPage(url="https://forum.example/t/1")
    post = "I don't know what is correct or at least sounds better, please let me know."
    lines = [post, "Price $5", "Reply", post, "Price $5", "Reply"]
    assert drop_repeated_paragraphs(page, lines) == [post, "Price $5", "Reply", "Price $5", "Reply"]
    assert [r.reason for r in page.removed] == ["repeat"]


def test_extract_html_sets_metadata_on_small_page():
    html = """<html><head><title>Fixing a bike chain - Bike Blog</title>
      <meta property="og:site_name" content="Bike Blog">
      <meta property="og:type" content="article">
      <link rel="canonical" href="/posts/chain">
      <meta property="article:modified_time" content="2024-03-05T10:00:00Z">
      <script type="application/ld+json">{"@type": "BlogPosting", "datePublished": "2024-03-01",
        "headline": "Fixing a bike chain"}</script></head>
      <body><nav><a href="/">Home</a></nav><article><h1>Fixing a bike chain</h1>
      <p>""" + "A chain breaks when you least expect it, so carry a tool. " * 8 + """</p>
      <p>Share this article</p></article></body></html>"""
    page = run(html, "https://bikes.example/posts/chain?utm=x")
    assert page.title == "Fixing a bike chain"
    assert page.site_name == "Bike Blog"
    assert page.published == "2024-03-01" and page.published_local is None
    assert page.updated == "2024-03-05T10:00:00Z" and page.updated_local is None  # time and zone kept
    assert page.canonical_url == "https://bikes.example/posts/chain"
    assert page.page_type == "article"
    assert "carry a tool" in page.text and "Share this" not in page.text


def test_dates_from_time_elements():
    body = "<p>" + "My router drops the connection every night at two and I cannot see why. " * 6 + "</p>"
    # microdata on a <time>: the question's dateCreated
    qa = (f'<html><body><main><div><time itemprop="dateCreated" datetime="2014-02-04T13:02:27">Feb 4</time>'
          f'{body}</div><time datetime="2020-07-05">edited</time></main></body></html>')
    page = run(qa, "https://qa.example/questions/42/router")
    # a time without a zone: the date in published, the wall-clock time in published_local
    assert (page.published, page.published_local) == ("2014-02-04", "2014-02-04T13:02:27")
    # a forum thread without declared dates: its first <time> dates the opening post
    thread = (f'<html><body><main><article class="post"><time datetime="2010-10-16T08:00:00Z">Oct</time>{body}'
              f'</article><article class="post"><time datetime="2014-11-28">Nov</time>{body}</article>'
              f'</main></body></html>')
    page = run(thread, "https://forum.example/threads/router-drops.123/")
    assert page.page_type == "forum"
    assert (page.published, page.published_local) == ("2010-10-16T08:00:00Z", None)


def test_non_html_pages_untouched():
    page = CleanPage(url="file:///x.txt", kind="text", document="plain")
    assert extract_html(page, Context()).text == ""


def test_widget_names_searched_at_once_match_one_by_one():
    """The page's class/id values are searched joined (on ASCII only those holding a key run);
    the result must be what testing each value alone gives (no match across two values,
    camelCase split as before, re.I's foldings of non-ASCII letters such as the long s)."""
    import random

    from deboil.cleaners.html.extract import _ARTICLE_WIDGETS, article_widget_names
    from deboil.cleaners.html.fallback import split_camel

    rnd = random.Random(7)
    parts = ["author", "Bio", "box", "cta", "newsletter", "Modal", "about", "the", "form", "done",
             "-", "_", " ", "sign", "up", "writer", "Card", "popup", "subscribe", "x", "\n",
             "Fail", "SUBSCRIPTION", "Contributors", "AUTHOR", "info", "\u017f", "\u00e9", "s", "Up"]
    for _ in range(6000):
        values = {"".join(rnd.choice(parts) for _ in range(rnd.randint(1, 4)))
                  for _ in range(rnd.randint(1, 6))}
        one_by_one = {v for v in values if _ARTICLE_WIDGETS.search(split_camel(v))}
        assert article_widget_names(values) == one_by_one, values


def test_characters_xml_forbids_still_deleted_before_parsing():
    # cleaners.html skips trafilatura's substitution only on pages that have none of them
    from trafilatura.utils import INVALID_XML_CHARS, load_html

    assert load_html("<html><body><p>a\x00b\x0bc\ufffe d é</p></body></html>").find(".//p").text == "abc d é"
    page = "<html><body><p>clean é page\t\n</p></body></html>"
    assert INVALID_XML_CHARS.sub("", page) is page


def test_a_saved_pages_folders_do_not_steer_what_it_is():
    # A file's folders name the reader's disk: "w", "docs" or "news" in them are no cue.
    from pathlib import Path
    html = (Path(__file__).parents[3] / "examples" / "site" / "about.html").read_text()
    base = run(html, "file:///home/ann/saved/about.html")
    for folder in ("w", "docs", "news/2024/05", "shop/category"):
        page = run(html, f"file:///srv/{folder}/about.html")
        assert (page.page_type, page.published, page.text) == (base.page_type, base.published, base.text), folder
    # A saved page that declares where it lives is read by that url.
    declared = html.replace("<head>", '<head><link rel="canonical" href="https://x.example/docs/api/about">', 1)
    assert "<link rel=\"canonical\"" in declared
    assert run(declared, "file:///srv/saved/about.html").page_type == "documentation"


def test_a_copyright_year_is_not_a_publication_date():
    body = "<p>" + "The new ferry timetable starts next week with two extra crossings. " * 6 + "</p>"
    footer = "<footer><p>© 2024 Millbrook Courier. All rights reserved.</p></footer>"
    page = run(f"<html><head><title>Ferry timetable</title><meta property='og:type' content='article'>"
               f"</head><body><article><h1>Ferry timetable</h1>{body}</article>{footer}</body></html>",
               "https://news.example/ferry-timetable")
    assert page.page_type == "article" and page.published is None
    # the same page with its day stated keeps it, 1 January included
    stated = run(f"<html><head><title>Ferry timetable</title><meta property='og:type' content='article'>"
                 f"</head><body><article><h1>Ferry timetable</h1><time datetime='2025-01-01'>1 January 2025</time>"
                 f"{body}</article>{footer}</body></html>", "https://news.example/ferry-timetable")
    assert stated.published == "2025-01-01"


def test_huge_tag_start_agrees_with_the_regex_wherever_the_run_falls():
    from deboil.cleaners.html.extract import _HUGE_TAG_START, _WINDOW, _huge_tag_start

    filler = "<p>word</p>" * 9000  # ~99,000 characters, a bracket every few
    run = "a" * 65540
    cases = []
    for near in (0, _WINDOW, 3 * _WINDOW, len(filler)):
        for at in {min(max(0, 11 * (near // 11 + d)), len(filler)) for d in (-1, 0, 1)}:  # between elements
            for opener, huge in (("<div ", True), ("<", True), (">", False), ("<1", False), ("x", False)):
                cases.append((filler[:at] + opener + run + filler[at:], huge))
    cases += [(filler, False), (filler + "<d" + "a" * 65535 + ">", False)]  # one character short
    for doc, huge in cases:
        assert _huge_tag_start(doc) is huge
        assert (_HUGE_TAG_START.search(doc) is not None) is huge


def test_widget_lines_dropped_the_same_with_the_keys_given():
    import random

    from deboil.cleaners.html.extract import drop_widget_lines
    from deboil.cleaners.html.fallback import squash

    rng = random.Random(5)
    words = ["Share", "this", "story", "About", "the", "author", "Jane", "Doe", "writes", "on", "Économie", "—", "!"]
    for _ in range(300):
        lines = [" ".join(rng.choice(words) for _ in range(rng.randint(1, 14))) for _ in range(rng.randint(0, 8))]
        widget = {squash(line) for line in lines if rng.random() < 0.3} | {squash(" ".join(words * 2))}
        plain, keyed = CleanPage(url="u"), CleanPage(url="u")
        assert drop_widget_lines(plain, lines, widget) == drop_widget_lines(keyed, lines, widget,
                                                                           [squash(x) for x in lines])
        assert plain.removed == keyed.removed
