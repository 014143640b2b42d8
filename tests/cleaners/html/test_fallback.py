"""The DOM reading used beside trafilatura: blocks, forms, hidden parts, panels, streamed parts."""
from __future__ import annotations

from lxml import html as lxml_html

from deboil.cleaners.html.fallback import dom_blocks


def test_dom_blocks_skip_chrome_and_related_sections():
    html = """<html><body>
      <header class="site-header"><a href="/">Home</a></header>
      <nav><a href="/a">A</a><a href="/b">B</a></nav>
      <main>
        <h1>Blue mug</h1><p>Stoneware mug, 350 ml.</p>
        <ul><li>Dishwasher safe</li><li>Handmade</li></ul>
        <table><tr><th>Height</th><td>9 cm</td></tr></table>
        <section><h2>Customers also bought</h2><ul><li><a href="/x">Red mug</a></li></ul></section>
      </main>
      <div class="cookie-banner">We use cookies</div>
      <footer>© Shop</footer></body></html>"""
    blocks = dom_blocks(lxml_html.fromstring(html))
    assert blocks[:4] == ["Blue mug", "Stoneware mug, 350 ml.", "Dishwasher safe", "Handmade"]
    assert any("Height" in b and "9 cm" in b for b in blocks)
    joined = " ".join(blocks)
    for gone in ("Home", "Red mug", "cookies", "© Shop", "Customers also bought"):
        assert gone not in joined


def test_page_wide_form_is_not_chrome():
    """ASP.NET pages wrap the whole body in a <form>: it must not swallow the content."""
    body = "<p>" + "word " * 60 + "</p>"
    html = f"<html><body><form id='aspnetForm'>{body}</form></body></html>"
    assert dom_blocks(lxml_html.fromstring(html))


def test_form_without_fields_is_not_chrome():
    """A form holding hidden inputs only wraps text (each comment in the form that edits
    it); one with a field to fill in or a button is still skipped."""
    body = "<p>" + "word " * 60 + "</p>"
    html = ("<html><body>" + body +
            "<form class='usertext'><input type='hidden' name='id' value='1'><p>A reply kept here.</p></form>"
            "<form><input type='email' name='e'><p>Sign up for our letter.</p></form>"
            "<form><button>Hide</button><p>Hidden thing.</p></form></body></html>")
    blocks = dom_blocks(lxml_html.fromstring(html))
    assert "A reply kept here." in blocks
    assert not {"Sign up for our letter.", "Hidden thing."} & set(blocks)


def test_visible_words_leave_out_hidden_subtrees():
    from deboil.cleaners.html.fallback import visible_words, word_counts

    page = ("<html><head><title>one two</title><style>p { x: y }</style></head><body>"
            "<p>three four <script>var a = 1;</script>five</p>"
            "<noscript><p>hidden words <noscript>nested too</noscript> here</p><style>q</style></noscript>tail six"
            "<template><div>not shown <template>deeper</template></div></template>"
            "<div>seven <b>eight</b></div></body></html>")
    tree = lxml_html.fromstring(page)
    assert visible_words(tree) == word_counts(tree)[tree] == 9  # one two ... tail six seven eight


def test_collapsed_panels_revealed_outside_chrome_only():
    from deboil.cleaners.html.fallback import reveal_collapsed_panels
    html = """<html><body>
      <header><button aria-expanded="false" aria-controls="menu">Menu</button>
        <div id="menu" aria-hidden="true">Shop Help</div></header>
      <main><h3><a aria-expanded="false" aria-controls="a1">Question?</a></h3>
        <div id="a1" aria-hidden="true">The answer.</div>
        <div id="deco" aria-hidden="true">Decoration</div></main></body></html>"""
    tree = lxml_html.fromstring(html)
    assert reveal_collapsed_panels(tree) == 1
    assert "The answer." in dom_blocks(tree)
    assert tree.get_element_by_id("menu").get("aria-hidden") == "true"
    assert tree.get_element_by_id("deco").get("aria-hidden") == "true"


def test_streamed_parts_nest_and_keep_order():
    from deboil.cleaners.html.fallback import place_streamed_parts
    html = """<html><body><main><p>One.</p><template id="B:0"></template><p>Four.</p></main>
      <div hidden id="S:0"><p>Two.</p><template id="P:1"></template></div>tail
      <div hidden id="S:1"><p>Three.</p></div></body></html>"""
    tree = lxml_html.fromstring(html)
    assert place_streamed_parts(tree) == 2
    assert [p.text for p in tree.find(".//main").iter("p")] == ["One.", "Two.", "Three.", "Four."]
    assert "tail" in tree.find(".//body").text_content()


def test_dom_reading_makes_each_pass_once():
    from deboil.cleaners.html.fallback import DomReading, word_counts

    tree = lxml_html.fromstring("<html><body><nav><a href='/'>Home</a></nav><main><p>One two three.</p>"
                                "<div class='comments'><p>A reply.</p></div></main></body></html>")
    reading = DomReading(tree)
    assert reading.blocks() == dom_blocks(tree) and reading.blocks() is reading.blocks()
    assert reading.blocks(keep_comments=True) == dom_blocks(tree, keep_comments=True)
    assert reading.counts() is reading.counts() and reading.counts() == word_counts(tree)
