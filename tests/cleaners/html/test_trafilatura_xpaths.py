"""The Python mirrors of trafilatura's XPaths select exactly what the XPaths select."""
from lxml import html as lxml_html
from lxml.etree import XPath
from trafilatura import xpaths

from deboil.cleaners.html import byline as html_byline
from deboil.cleaners.html import trafilatura_xpaths
from deboil.cleaners.html.trafilatura_xpaths import _Mirror

PAGE = """<html><head><title>t</title><link rel="author" href="/me"></head><body>
<div id="comments"><p>c</p></div><div id="commentary"><p>kept</p></div><section class="Comments-area">x</section>
<ul id="comment-list"><li>a</li></ul><ol class="list"><li>b</li></ol><ul class="post-comments"><li>c</li></ul>
<details class="article-comments">d</details><div class="commentary">e</div>
<div class="infinite-scroll"><h1>Title</h1></div><div class="infinitescroll"><p>more</p></div>
<aside id="mvp-post-add-box"><h1>h</h1></aside><section class="elementor-share-buttons x">s</section>
<div class="x"><span class="author-name">Ann Bee</span><a rel="author">Cy Dee</a><author>Ed</author></div>
<p class="byline">By Fay Gee</p><h3 id="Author">Hal</h3><span itemprop="author">Ivy</span>
<div data-component="Byline">Jo</div><div class="sidebar"><span class="author">Kim</span></div>
<figure><span class="writer">Lee</span></figure><time>1 May</time><div class="meta-date">2 May</div>
<a class="print">p</a><span id="ProductReviews">r</span><div data-component="FigureX">f</div>
<p class="screenname">sn</p><div id="xiaobian">xb</div><strong data-testid="AuthorCard">ac</strong>
<div class="username">un</div><span><rel>me</rel>rm</span>
<div class="cookie" id="x">a</div><div id="x" class="cookie">b</div><p id="cookie-bar" class="x">c</p>
<span class="reply-to" id="r">d</span><span id="reply-1" class="r">e</span><div id="x" style="hidden">f</div>
<div style="display:none">g</div><div style="x" id="hidden">h</div><section role="Navigation">i</section>
<div data-lp-replacement-content="">j</div><p aria-hidden="true">k</p><span class="nocomments">l</span>
<div data-component="MostPopularStories">m</div><p class="x ad-slot">n</p><p class="bad-slot">o</p>
<section><div class="post">p1</div><div class="entry">p2</div><main id="article-content"><div class="articleBody">p3
</div><div class="x">p4</div><article class="post-body">p5</article></main></section>
<div class="Main-Content">q1</div><section id="pageContent"><div class="FullText">q2</div></section>
<div class="x Page-Content">q3</div><p class="img-caption">q4</p><span id="bottom" class="x">q5</span>
<div class="top link">q6</div><p style="border:1px">q7</p><div class="bottom-bar" id="z">q8</div>
<main role="article">q9</main></body></html>"""


def _same(a, b) -> bool:
    return len(a) == len(b) and all(x is y for x, y in zip(a, b))


def test_prune_mirrors_select_what_the_xpaths_select():
    assert trafilatura_xpaths.install() == 12  # trafilatura's XPaths as mirrored
    tree = lxml_html.fromstring(PAGE)
    mirrors = [x for name in ("RAW_TREE_PRUNE_XPATH", "REMOVE_COMMENTS_AND_LISTS_XPATH", "OVERALL_DISCARD_XPATH",
                                 "BODY_XPATH", "REMOVE_COMMENTS_XPATH", "DISCARD_IMAGE_ELEMENTS",
                                 "PRECISION_DISCARD_XPATH")
               for x in getattr(xpaths, name) if isinstance(x, _Mirror)]
    assert len(mirrors) == 11
    for mirror in mirrors:
        original = XPath(mirror.path, namespaces={"re": xpaths.REGEXP_NS})
        found = mirror(tree)
        assert found and _same(found, original(tree))


def test_byline_mirrors_select_what_the_xpaths_select():
    assert html_byline.MIRRORS_TRAFILATURA
    tree = lxml_html.fromstring(PAGE)
    found = html_byline._discarded(tree)
    assert found and _same(found, xpaths.AUTHOR_DISCARD_XPATHS[0](tree))
    for selection, xpath in zip((html_byline._by_author_names, html_byline._by_byline_names,
                                 html_byline._by_any_element), xpaths.AUTHOR_XPATHS):
        found = list(selection(tree))
        assert found and _same(found, xpath(tree))


def test_mirrored_patterns_never_match_an_empty_value():
    # the mirrors skip absent attributes, which re:test reads as ""
    patterns = [*trafilatura_xpaths._FIXED, html_byline._DISCARD_ID, html_byline._DISCARD_CLASS,
                html_byline._AUTHOR_CLASS_1, html_byline._AUTHOR_ID_2, html_byline._AUTHOR_CLASS_2,
                html_byline._AUTHOR_ID_3, html_byline._AUTHOR_CLASS_3]
    assert not any(p.search("") for p in patterns)


BASIC_PAGE = """<html><head><style>s</style><script>x</script></head><body>
<aside><p>a</p><aside>nested</aside></aside><div class="site-footer">f1</div><div id="Footer">f2</div>
<div class="" id="footer">kept: the empty class is the first attribute</div><div id="footer" class="">f3</div>
<p class="footer">kept: not a div</p><fencedframe>ff</fencedframe><footer>ft</footer><svg><path/></svg>
<template>t</template><div class="Cookie-Banner">cb</div><span id="ONETRUST-x">ot</span>
<p class="cookiebot" id="x">cbt</p><div class="cookie">kept</div><section id="consent_manager">cm</section>
<div class="x"><div class="moove-gdpr-info"><p>g</p></div></div><p>body text</p></body></html>"""


def test_basic_clean_mirror_selects_what_the_xpath_selects():
    trafilatura_xpaths.install()
    mirror = trafilatura_xpaths.trafilatura_baseline.BASIC_CLEAN_XPATH
    assert isinstance(mirror, _Mirror)
    original = XPath(mirror.path, namespaces={"re": xpaths.REGEXP_NS})
    for page in (BASIC_PAGE, PAGE):
        tree = lxml_html.fromstring(page)
        found = mirror(tree)
        assert found and _same(found, original(tree))
        body = tree.find(".//body")  # html2txt cleans from <body>
        assert _same(mirror(body), original(body))


def test_basic_clean_mirror_takes_only_patterns_that_read_no_context():
    context = trafilatura_xpaths._CONTEXT
    assert all(context.search(p) for p in ("^cookie", "cookie$", r"\bcookie", "(?=c)ookie", "(?<!x)cookie"))
    assert not context.search("cookie[-_]?(?:banner|bar)|notice[-_]{0,2}cookie|cmplz")


def _random_page(rng) -> str:
    """Nested blocks whose class and id values mix the gated mirrors' words with others."""
    words = ["comment", "Comments", "commentary", "comol", "disqus_thread", "dsq-comments", "post-comments",
             "infinite-scroll", "infinitescroll", "mvp-post-add-wrap", "elementor-share-buttons", "img-caption",
             "content", "main", "x", "nav", "footer", "reply-1", "caption", "Commentary-box"]
    tags = ["div", "section", "aside", "ul", "ol", "details", "p", "span", "list", "article"]

    def block(depth: int) -> str:
        attrs = ""
        for name in ("id", "class"):
            if rng.random() < 0.5:
                attrs += f' {name}="{rng.choice(words)}{rng.choice(["", "-a", " y"])}"'
        tag = rng.choice(tags)
        inner = "".join(block(depth + 1) for _ in range(rng.randint(0, 3 if depth < 4 else 0)))
        heading = "<h1>h</h1>" if rng.random() < 0.2 else ""
        return f"<{tag}{attrs}>t{heading}{inner}</{tag}>tail"

    return "<html><body>" + "".join(block(0) for _ in range(6)) + "</body></html>"


def test_gated_mirrors_select_the_same_with_the_page_names():
    import random

    from deboil.cleaners.html.fallback import class_and_id_values
    from deboil.cleaners.html.trafilatura_xpaths import (_Captions, _appended_posts, _comment_containers,
                                                         _comments, _share_buttons, page_names)

    rng = random.Random(15)
    selections = [_appended_posts, _share_buttons, _comments, _comment_containers, _Captions()]
    skipped = found = 0
    for page in [PAGE, *(_random_page(rng) for _ in range(300))]:
        tree = lxml_html.fromstring(page)
        names = class_and_id_values(tree)
        for select in selections:
            alone = select(tree)
            with page_names(names):
                gated = select(tree)
            assert _same(alone, gated)
            found += bool(alone)
            with page_names(set()):  # no value at all: nothing to select by name
                skipped += not select(tree)
    assert skipped == 301 * len(selections)
    assert found > 600  # the random pages do hold what the mirrors select
    # outside the context the mirrors walk as before
    tree = lxml_html.fromstring(PAGE)
    with page_names({"unrelated"}):
        pass
    assert _comments(tree) and _appended_posts(tree) and _share_buttons(tree)


def test_page_names_are_only_a_hint_inside_the_context():
    from deboil.cleaners.html.trafilatura_xpaths import _PAGE_NAMES, page_names

    with page_names({"a", "b"}):
        assert _PAGE_NAMES.get() in ("a\nb", "b\na")
        with page_names(None):  # unknown: the outer hint still holds
            assert _PAGE_NAMES.get() is not None
    assert _PAGE_NAMES.get() is None
    try:
        with page_names({"a"}):
            raise ValueError
    except ValueError:
        pass
    assert _PAGE_NAMES.get() is None
