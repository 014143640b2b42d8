"""Synthetic HTML article sites in 51 languages: is every paragraph kept, and the chrome out?

    PYTHONPATH=. .venv/bin/python -m bench.html_articles [--pages N] [--seed S] [--show K]

The site-shaped twin of `html_short`, and the HTML twin of `capture_short`'s synthetic
articles. Each page is an article built from ../shared/bench/language/sentences: a cookie
notice, a site header with a <nav> menu, an <h1> headline, a byline with a date, five <p>
paragraphs of three sentences (maybe a figure with a caption after the lede), a share bar,
a related-links list and a footer with a copyright line, in one of four templates:

- `html5`: semantic <header>/<nav>/<main>/<article>/<aside>/<footer>;
- `divsoup`: the same in <div>s and <span>s with class names (a grid layout);
- `blog`: a blog post (entry header and meta, entry content, tags, previous/next links,
  a widget sidebar, a "powered by" footer);
- `legacy`: a table layout of the 1990s, <font> and <b> tags, the paragraphs as text
  between <br><br> in a table cell beside the menu;
- `rtl`: the html5 layout of a right-to-left site (dir="rtl", its chrome in Arabic), for
  the right-to-left languages only.

Every page carries lang= (and dir="rtl" for ar, fa, he, ur). The paragraphs are of the
page's language, or of five languages mixed (`mixed`), seeded. Per language and template:
the share of pages whose five paragraphs are all stored whole (as `html_short` reads
"whole"), the share whose lede is, and the share where chrome text leaked into the stored
text (a stored line made of menu, share, cookie, footer or related-link text); per template
also the share whose paragraphs are each a line of their own ("apart": whole but glued to
the menu or to each other is not apart).
"""
from __future__ import annotations

import argparse
import html
import random
from collections import defaultdict
from dataclasses import dataclass

from bench.capture_short import FOOTER, HEADER, load
from bench.html_short import _flat, expected, paragraphs
from deboil.cleaners import RawPage, clean

RTL = {"ar", "fa", "he", "ur"}
LOGOS = ["Example Media", "Example Notes"]  # the site's name in its header
PAGES_PER_LANGUAGE = 10  # per template and mix: 4,160 pages, about a minute
SHARE = ["Share this article", "Facebook", "Twitter", "LinkedIn", "Email", "Copy link"]
COOKIE = ["We use cookies to improve your experience on our site. By continuing to browse, "
          "you agree to our use of cookies.", "Accept", "Manage settings"]
RELATED_HEADING = "Related stories"
RELATED = ["Council approves new budget after long debate", "Storm warning issued for the coast this weekend",
           "Local team wins the regional championship final", "Ten things to know before the elections",
           "Museum reopens its doors after two years of repairs", "Prices of fuel rise for the third month"]
RTL_MENU = ["الرئيسية", "أخبار", "اقتصاد", "رياضة", "ثقافة", "رأي", "اتصل بنا"]
RTL_SHARE = ["شارك المقال", "فيسبوك", "تويتر", "واتساب"]
RTL_COOKIE = ["نستخدم ملفات تعريف الارتباط لتحسين تجربتك على موقعنا.", "موافق"]
RTL_RELATED = ["أخبار ذات صلة", "ارتفاع أسعار الوقود للشهر الثالث على التوالي",
               "افتتاح المتحف بعد عامين من أعمال الترميم", "فوز الفريق المحلي بالبطولة الإقليمية"]
RTL_FOOTER = ["من نحن", "سياسة الخصوصية", "شروط الاستخدام", "© 2024 الموقع. جميع الحقوق محفوظة."]
BLOG_CHROME = ["Posted in News", "Tagged travel, notes", "Previous post", "Next post", "Recent Posts",
               "Proudly powered by WordPress", "Leave a comment"]
CAPTION = "The harbour at dawn, seen from the old lighthouse. Photo: Jane Doe / Example Media"
# Chrome inside the article, each on a share of the pages: an inline "read more" link and an
# advertisement slot between paragraphs, a newsletter box, a tag list and an author box after
# the last one.
READ_MORE = ["Read more:", "Council approves new budget after long debate"]
NEWSLETTER = ["Sign up for our newsletter", "Get the best stories of the day delivered to your inbox.", "Subscribe"]
TAGS = ["Tags:", "politics", "economy", "weather"]
ADVERT = "Advertisement"
AUTHOR_BIO = "Jane Doe is a senior reporter at Example Media covering climate, transport and city politics."
# How a lede is written: a plain <p>, a lead class, bold, or a standfirst box.
LEDES = ["<p>{}</p>", "<p class='lead'>{}</p>", "<p><strong>{}</strong></p>",
         "<div class='standfirst'><p>{}</p></div>"]


def _links(texts: list[str], sep: str = "", item: str = "{}") -> str:
    return sep.join(item.format(f"<a href='/{i}'>{html.escape(t)}</a>") for i, t in enumerate(texts))


def _cookie(texts: list[str], cls: str) -> str:
    return (f"<div class='{cls}'><p>{html.escape(texts[0])}</p>"
            + "".join(f"<button>{html.escape(t)}</button>" for t in texts[1:]) + "</div>")


def _figure(with_figure: bool) -> str:
    return (f"<figure><img src='/img/harbour.jpg' alt='Harbour'><figcaption>{html.escape(CAPTION)}"
            "</figcaption></figure>") if with_figure else ""


def _inline_chrome(rng: random.Random) -> str:
    out = ""
    if rng.random() < 0.5:
        out += f"<p class='read-more'><strong>{READ_MORE[0]}</strong> <a href='/news/budget'>{READ_MORE[1]}</a></p>"
    if rng.random() < 0.3:
        out += f"<div class='ad-slot'><span class='ad-label'>{ADVERT}</span><div id='div-gpt-ad-1'></div></div>"
    return out


def _after_chrome(rng: random.Random) -> str:
    out = ""
    if rng.random() < 0.5:
        out += (f"<div class='newsletter'><h3>{NEWSLETTER[0]}</h3><p>{NEWSLETTER[1]}</p>"
                f"<form><input type='email' placeholder='Email'><button>{NEWSLETTER[2]}</button></form></div>")
    if rng.random() < 0.5:
        out += f"<div class='tags'><span>{TAGS[0]}</span> {_links(TAGS[1:], ' ')}</div>"
    if rng.random() < 0.3:
        out += f"<div class='author-box'><img src='/img/jane.jpg' alt=''><p>{AUTHOR_BIO}</p></div>"
    return out


def _html5(menu, share, cookie, related, footer, head, byline, body) -> str:
    return (f"{_cookie(cookie, 'cookie-notice')}<header class='site-header'><a href='/' class='logo'>{LOGOS[0]}</a>"
            f"<nav><ul>{_links(menu, item='<li>{}</li>')}</ul></nav></header>"
            f"<main><article><h1>{head}</h1><p class='byline'>{byline}</p>{body}"
            f"<div class='share'><span>{html.escape(share[0])}</span>{_links(share[1:], ' ')}</div></article>"
            f"<aside class='related'><h2>{html.escape(related[0])}</h2><ul>{_links(related[1:], item='<li>{}</li>')}"
            f"</ul></aside></main><footer><ul>{_links(footer[:-1], item='<li>{}</li>')}</ul>"
            f"<p>{html.escape(footer[-1])}</p></footer>")


def _divsoup(menu, share, cookie, related, footer, head, byline, body) -> str:
    return (f"<div id='wrapper'><div class='top-bar'><div class='logo'><a href='/'>{LOGOS[0]}</a></div>"
            f"<div class='menu'>{_links(menu, ' | ')}</div></div><div class='container'><div class='row'>"
            f"<div class='col-md-8'><div class='post'><h1 class='title'>{head}</h1><div class='meta'>{byline}</div>"
            f"<div class='text'>{body}</div><div class='social-buttons'><span>{html.escape(share[0])}</span>"
            f"{_links(share[1:], ' ')}</div></div></div><div class='col-md-4'><div class='box'>"
            f"<div class='box-title'>{html.escape(related[0])}</div><div class='links'>{_links(related[1:], '<br>')}"
            f"</div></div></div></div></div><div class='bottom'><div class='links'>{_links(footer[:-1], ' · ')}</div>"
            f"<div class='copy'>{html.escape(footer[-1])}</div></div>{_cookie(cookie, 'cookie-bar')}</div>")


def _blog(menu, share, cookie, related, footer, head, byline, body) -> str:
    posted, tagged, prev, nxt, recent, powered, comment = BLOG_CHROME
    return (f"<div id='page' class='site'><header id='masthead' class='site-header'><p class='site-title'>"
            f"<a href='/'>{LOGOS[1]}</a></p><nav id='site-navigation' class='main-navigation'><ul class='menu'>"
            f"{_links(menu, item='<li class=menu-item>{}</li>')}</ul></nav></header><div id='content' class='site-content'>"
            f"<div id='primary' class='content-area'><main id='main' class='site-main'><article class='post type-post hentry'>"
            f"<header class='entry-header'><h1 class='entry-title'>{head}</h1><div class='entry-meta'>{byline}</div></header>"
            f"<div class='entry-content'>{body}<div class='sharedaddy'><h3>{html.escape(share[0])}</h3>"
            f"<ul>{_links(share[1:], item='<li>{}</li>')}</ul></div></div><footer class='entry-footer'>"
            f"<span class='cat-links'>{posted}</span> <span class='tags-links'>{tagged}</span> "
            f"<span class='comments-link'><a href='#respond'>{comment}</a></span></footer></article>"
            f"<nav class='post-navigation'><a href='/prev'>{prev}</a> <a href='/next'>{nxt}</a></nav></main></div>"
            f"<aside id='secondary' class='widget-area'><section class='widget'><h2 class='widget-title'>{recent}</h2>"
            f"<ul>{_links(related[1:], item='<li>{}</li>')}</ul></section></aside></div>"
            f"<footer id='colophon' class='site-footer'><div class='site-info'>{html.escape(footer[-1])} "
            f"<a href='https://wordpress.org/'>{powered}</a></div></footer></div>{_cookie(cookie, 'cookie-law-info-bar')}")


def _legacy(menu, share, cookie, related, footer, head, byline, body) -> str:
    return (f"<table width='100%' cellpadding='4'><tr><td colspan='2' bgcolor='#003366'><font color='white' size='5'>"
            f"<b>{LOGOS[0]}</b></font></td></tr><tr><td valign='top' width='160'>{_links(menu, '<br>')}</td>"
            f"<td valign='top'><font size='5'><b>{head}</b></font><br><font size='2'>{byline}</font><br><br>{body}"
            f"<br><br>{html.escape(share[0])}: {_links(share[1:], ' | ')}<br><br><b>{html.escape(related[0])}</b><br>"
            f"{_links(related[1:], '<br>')}</td></tr><tr><td colspan='2' align='center'><font size='1'>"
            f"{_links(footer[:-1], ' | ')}<br>{html.escape(footer[-1])}</font></td></tr></table>"
            f"{_cookie(cookie, 'cookies')}")


INLINE_CHROME = READ_MORE + NEWSLETTER + TAGS + [ADVERT, AUTHOR_BIO]
LAYOUTS = {"html5": _html5, "divsoup": _divsoup, "blog": _blog, "legacy": _legacy, "rtl": _html5}
TEMPLATES = list(LAYOUTS)
URLS = {"html5": "https://news.example.com/world/2024/03/12/story-{}.html",
        "divsoup": "https://www.example.net/article.php?id={}",
        "blog": "https://notes.example.org/2024/03/post-{}/",
        "legacy": "http://www.example-town.org/news/item{}.htm",
        "rtl": "https://www.example.ae/news/2024/03/12/{}"}


def chrome(template: str) -> list[str]:
    """The chrome texts of a template: a stored line made of them is a leak."""
    if template == "rtl":
        return LOGOS + RTL_MENU + RTL_SHARE + RTL_COOKIE + RTL_RELATED + RTL_FOOTER + INLINE_CHROME
    extra = BLOG_CHROME if template == "blog" else []
    return LOGOS + HEADER + SHARE + COOKIE + [RELATED_HEADING] + RELATED + FOOTER + extra + INLINE_CHROME


@dataclass
class Page:
    lang: str
    template: str
    mixed: bool
    url: str
    body: bytes
    paras: list[str]  # each three sentences joined by a space
    headline: str


def make_page(template: str, lang: str, paras: list[str], headline: str, rng: random.Random, n: int = 0) -> Page:
    """One article page of a template around these paragraphs."""
    rtl = template == "rtl"
    menu, share, cookie, footer = (RTL_MENU, RTL_SHARE, RTL_COOKIE, RTL_FOOTER) if rtl else (HEADER, SHARE, COOKIE, FOOTER)
    related = RTL_RELATED if rtl else [RELATED_HEADING] + rng.sample(RELATED, 4)
    day = rng.randint(1, 28)
    byline = (f"By <a href='/authors/jane-doe' rel='author'>Jane Doe</a> · "
              f"<time datetime='2024-03-{day:02d}'>{day} March 2024</time>")
    if template == "legacy":  # paragraphs as text between line breaks, no chrome inside
        body = "<br><br>".join(map(html.escape, paras))
    else:
        body = (rng.choice(LEDES).format(html.escape(paras[0])) + _figure(rng.random() < 0.5) + paragraphs(paras[1:3])
                + _inline_chrome(rng) + paragraphs(paras[3:]) + _after_chrome(rng))
    inner = LAYOUTS[template](menu, share, cookie, related, footer, html.escape(headline), byline, body)
    direction = " dir='rtl'" if lang in RTL else ""
    page = (f"<!DOCTYPE html><html lang='{lang}'{direction}><head><meta charset='utf-8'>"
            f"<title>{html.escape(headline)} | Example Media</title></head><body>{inner}</body></html>")
    return Page(lang, template, False, URLS[template].format(n), page.encode("utf-8"), paras, headline)


def synthetic_pages(data: dict[str, list[str]], pages: int = PAGES_PER_LANGUAGE, seed: int = 0) -> list[Page]:
    """Seeded pages: per language, template (rtl: right-to-left languages only) and mix."""
    rng = random.Random(seed)
    langs = sorted(data)
    out = []
    for lang in langs:
        for template in TEMPLATES:
            if template == "rtl" and lang not in RTL:
                continue
            for mixed in (False, True):
                for _ in range(pages):
                    paras = [" ".join(rng.sample(data[rng.choice(langs)] if mixed else data[lang], 3)) for _p in range(5)]
                    headline = " ".join(rng.choice(data[lang]).split()[:7]).rstrip(".!?。।۔,،")
                    page = make_page(template, lang, paras, headline, rng, len(out))
                    page.mixed = mixed
                    out.append(page)
    return out


def _words(line: str) -> list[str]:
    return line.strip("-*•· |").replace("|", " ").replace("·", " ").split()


def leaked(text: str, template: str) -> list[str]:
    """Stored lines made only of the words of chrome labels (menu, share, footer links),
    or holding a whole chrome text of 3+ words."""
    pieces = [_flat(p) for p in chrome(template)]
    vocabulary = {w for p in pieces if len(p.split()) < 3 for w in p.split()}  # labels, not sentences
    long = [p for p in pieces if len(p.split()) >= 3]
    return [line for line in (_flat(l) for l in text.splitlines()) if line and (
        set(_words(line)) <= vocabulary or any(p in line for p in long))]


@dataclass
class Outcome:
    whole: bool
    lede: bool
    leak: list[str]
    missing: list[int]  # indexes of the paragraphs not stored whole
    apart: bool  # each paragraph a line of its own (not glued to chrome or to the others)


def judge(page: Page) -> Outcome:
    text = clean(RawPage(url=page.url, body=page.body, kind="html")).text
    flat = _flat(text)
    wants = expected(page.paras)
    miss = [i for i, want in enumerate(wants) if want not in flat]
    lines = {_flat(line) for line in text.splitlines()}
    return Outcome(not miss, 0 not in miss, leaked(text, page.template), miss, all(w in lines for w in wants))


def measure(pages: list[Page], show: int = 0) -> list[Outcome]:
    """Each page's outcome, in the pages' order; `show` prints that many failures."""
    outcomes = []
    for page in pages:
        out = judge(page)
        outcomes.append(out)
        if (out.missing or out.leak) and show > 0:
            show -= 1
            print(f"  [{page.lang} {page.template}{' mixed' if page.mixed else ''}] missing paragraphs "
                  f"{out.missing}, leaked {out.leak[:3]}")
    return outcomes


def grouped(pages: list[Page], outcomes: list[Outcome], key) -> dict:
    groups: dict = defaultdict(list)
    for page, out in zip(pages, outcomes):
        groups[key(page)].append(out)
    return groups


def shares(outcomes: list[Outcome]) -> tuple[float, float, float]:
    """(all five whole, lede kept, chrome leaked) shares."""
    n = len(outcomes) or 1
    return (sum(o.whole for o in outcomes) / n, sum(o.lede for o in outcomes) / n,
            sum(bool(o.leak) for o in outcomes) / n)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="bench.html_articles")
    parser.add_argument("--pages", type=int, default=PAGES_PER_LANGUAGE, help="pages per language, template and mix")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--show", type=int, default=0, help="print this many failures")
    args = parser.parse_args(argv)
    data = load()
    pages = synthetic_pages(data, args.pages, args.seed)
    outcomes = measure(pages, args.show)
    print(f"synthetic HTML articles, {len(data)} languages, {len(pages)} pages "
          "(all five paragraphs whole / lede kept / chrome leaked):")
    by_mix = grouped(pages, outcomes, lambda p: (p.template, p.mixed))
    for template in TEMPLATES:
        print(f"  {template:8s} " + ", ".join(
            f"{'mixed' if mixed else 'one language'} " + _cell(by_mix[template, mixed]) for mixed in (False, True)))
    print(f"  all      {_cell(outcomes)}")
    res = grouped(pages, outcomes, lambda p: (p.lang, p.template))
    def worst(lang: str) -> tuple:
        whole, lede, leak = zip(*(shares(res[lang, t]) for t in TEMPLATES if (lang, t) in res))
        return min(whole), min(lede), -max(leak), lang

    langs = sorted({lang for lang, _t in res}, key=worst)
    print("  per language (" + " / ".join(TEMPLATES) + ": whole, lede, leaked), worst first:")
    row = [f"{lang} " + "  ".join("/".join(f"{s:.2f}" for s in shares(res[lang, t])) for t in TEMPLATES if (lang, t) in res)
           for lang in langs]
    for i in range(0, len(row), 3):
        print("   " + "    ".join(row[i:i + 3]))


def _cell(outcomes: list[Outcome]) -> str:
    apart = sum(o.apart for o in outcomes) / (len(outcomes) or 1)
    return "/".join(f"{s:.2%}" for s in shares(outcomes)) + f", apart {apart:.2%} ({len(outcomes)})"


if __name__ == "__main__":
    main()
