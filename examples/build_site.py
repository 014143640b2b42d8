"""Regenerate the bundled demo site in examples/site/ (committed; run after editing this).

    python examples/build_site.py

A small town news site with the clutter real pages have: navigation and icon rows, share
and cookie lines, a language switcher, a footer; plus robots.txt (with a disallowed
folder), a sitemap, an RSS feed, pages reachable only through those, and one page in a
legacy charset (cp1251, declared in the HTTP header through _headers.json).
"""
from __future__ import annotations

import json
import random
from pathlib import Path
from xml.sax.saxutils import escape

SITE = Path(__file__).parent / "site"
BASE = "/"  # links are root-relative so the site works on any host and port

TOPICS = [
    ("river", "The river clean-up", "volunteers pulled tyres, bottles and a rusted bicycle from the shallows"),
    ("library", "The library extension", "the reading room will double in size and stay open until nine"),
    ("market", "The Saturday market", "twelve new stalls selling cheese, bread and vegetables joined the square"),
    ("bridge", "The old bridge repairs", "engineers found the stone arches sound but the railings corroded"),
    ("school", "The school garden", "pupils planted beans, squash and sunflowers behind the gymnasium"),
    ("bus", "The new bus timetable", "buses to the station now run every twenty minutes on weekdays"),
    ("choir", "The town choir", "forty singers rehearsed for the winter concert in the chapel"),
    ("park", "The park benches", "the council replaced thirty benches with ones made of recycled oak"),
    ("museum", "The museum night", "more than two thousand visitors came to see the restored mill machinery"),
    ("bakery", "The bakery reopening", "the family bakery on Mill Street reopened after the flood damage"),
    ("cycling", "The cycling lanes", "a protected lane now runs from the harbour to the university"),
    ("harbour", "The harbour festival", "fishing boats were decorated with lights for the harbour festival"),
    ("trees", "The street trees", "two hundred lime trees will be planted along the ring road"),
    ("theatre", "The youth theatre", "the youth theatre staged a comedy written by its own members"),
    ("clinic", "The evening clinic", "the health centre will open an evening clinic twice a week"),
    ("snow", "The snow plan", "gritting lorries will start on the hill roads before dawn"),
    ("chess", "The chess club", "the chess club won the regional league for the third year"),
    ("orchard", "The community orchard", "neighbours pressed four hundred litres of apple juice"),
    ("station", "The station roof", "the station roof will be covered with solar panels by spring"),
    ("pool", "The swimming pool", "the outdoor pool will be heated with waste heat from the bakery ovens"),
    ("archive", "The photo archive", "residents lent old photographs of the market square to the archive"),
    ("ferry", "The ferry service", "the ferry to the island will run hourly during the summer"),
    ("recycling", "The recycling centre", "the recycling centre now accepts old mattresses and garden waste"),
    ("elections", "The council elections", "turnout in the council elections rose to sixty-two per cent"),
]

SENTENCES = [
    "On {day}, {fact}, the organisers said.",
    "{Name}, who has lived in the town for {years} years, said the change was long overdue.",
    "The project cost {cost} thousand euros, most of it paid by a regional grant.",
    "A public meeting about {topic} will be held in the town hall next month.",
    "Critics said the plans had been announced with too little warning for residents.",
    "The council expects the work to be finished before the end of the year.",
    "Local shops reported more customers in the week after {topic} was announced.",
    "{Name} added that the next step would depend on the weather and on volunteers.",
]
NAMES = ["Maria Keller", "Tomas Berg", "Anna Lindqvist", "Jonas Weber", "Elena Rossi",
         "Peter Novak", "Sofia Marin", "Lukas Brandt"]
DAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]


def paragraphs(rng: random.Random, topic: str, fact: str, n: int = 4) -> list[str]:
    out = []
    for _ in range(n):
        picks = rng.sample(SENTENCES, 3)
        out.append(" ".join(s.format(day=rng.choice(DAYS), fact=fact, Name=rng.choice(NAMES),
                                     years=rng.randint(3, 60), cost=rng.randint(20, 900),
                                     topic=topic.lower()) for s in picks))
    return out


def page(title: str, body_html: str, lang: str = "en", charset: str = "utf-8",
         extra_head: str = "") -> str:
    return f"""<!DOCTYPE html>
<html lang="{lang}">
<head>
<meta charset="{charset}">
<title>{escape(title)} | Millbrook Courier</title>
<link rel="alternate" type="application/rss+xml" title="Millbrook Courier" href="/feed.xml">
{extra_head}</head>
<body>
<div class="cookie-banner">We use cookies to improve your experience. Accept all cookies | Manage preferences</div>
<header>
<nav><a href="/">Home</a> | <a href="/news/">News</a> | <a href="/about.html">About</a> | <a href="/contact.html">Contact</a></nav>
<div class="lang">Language: <a href="/">English</a> · <a href="/de/">Deutsch</a> · <a href="/ru/">Русский</a></div>
<div class="icons">🏠 Home 🔍 Search 📰 News ☰ Menu</div>
</header>
<main>
{body_html}
</main>
<div class="share">Share this article: Facebook | Twitter | WhatsApp | Email | Print</div>
<footer>
<p>© 2024 Millbrook Courier. All rights reserved. Privacy policy | Terms of use | Cookie settings</p>
<p>Follow us: 📘 Facebook 🐦 Twitter 📷 Instagram</p>
</footer>
</body>
</html>
"""


def article(rng: random.Random, slug: str, title: str, fact: str, date: str,
            related: list[tuple[str, str]]) -> str:
    paras = "\n".join(f"<p>{escape(p)}</p>" for p in paragraphs(rng, title, fact))
    links = "".join(f'<li><a href="/news/{s}.html">{escape(t)}</a></li>' for s, t in related)
    body = f"""<article>
<h1>{escape(title)}</h1>
<p class="byline">By {rng.choice(NAMES)} · <time datetime="{date}">{date}</time></p>
{paras}
</article>
<aside><h2>Related</h2><ul>{links}</ul></aside>"""
    return page(title, body)


def build() -> None:
    rng = random.Random(7)
    (SITE / "news").mkdir(parents=True, exist_ok=True)
    (SITE / "private").mkdir(exist_ok=True)
    (SITE / "de").mkdir(exist_ok=True)
    (SITE / "ru").mkdir(exist_ok=True)
    dated = [(slug, title, fact, f"2024-{1 + i // 3:02d}-{1 + (i * 7) % 27:02d}")
             for i, (slug, title, fact) in enumerate(TOPICS)]
    linked, sitemap_only, feed_only = dated[:16], dated[16:20], dated[20:]
    for i, (slug, title, fact, date) in enumerate(dated):
        related = [(s, t) for s, t, _, _ in linked[i % 12:i % 12 + 3] if s != slug]
        (SITE / "news" / f"{slug}.html").write_text(article(rng, slug, title, fact, date, related),
                                                      encoding="utf-8")
    items = "".join(f'<li><a href="/news/{s}.html">{escape(t)}</a> <span>{d}</span></li>'
                    for s, t, _, d in linked)
    (SITE / "news" / "index.html").write_text(
        page("News", f"<h1>All news</h1><ul>{items}</ul>"), encoding="utf-8")
    top = "".join(f'<li><a href="/news/{s}.html">{escape(t)}</a></li>' for s, t, _, _ in linked[:6])
    (SITE / "index.html").write_text(page("Home", f"""<h1>Millbrook Courier</h1>
<p>News from Millbrook and the river valley, written by people who live here.</p>
<h2>Top stories</h2><ul>{top}</ul>
<p><a href="/news/">More news</a> · <a href="/letters.html">Letters (Russian edition)</a></p>"""),
        encoding="utf-8")
    (SITE / "about.html").write_text(page("About", """<h1>About the Courier</h1>
<p>The Millbrook Courier has reported on the town since 1921. It is owned by a cooperative of
its readers and edited by a team of four journalists and many volunteers.</p>
<p>We publish every weekday morning. Corrections are printed on this page within a day.</p>
<p>Our newsroom is above the bakery on Mill Street; visitors are welcome on Thursdays.</p>"""),
        encoding="utf-8")
    (SITE / "contact.html").write_text(page("Contact", """<h1>Contact</h1>
<p>Write to the newsroom at 12 Mill Street, Millbrook, or call us on weekday mornings.</p>
<p>Tips about local news are welcome; we protect our sources.</p>"""), encoding="utf-8")
    (SITE / "de" / "index.html").write_text(page("Startseite", """<h1>Millbrook Courier auf Deutsch</h1>
<p>Die Stadt Millbrook liegt an einem kleinen Fluss. Freiwillige haben am Wochenende den Fluss
gereinigt und dabei Reifen, Flaschen und ein altes Fahrrad gefunden.</p>
<p>Die Bibliothek wird erweitert und bleibt künftig bis neun Uhr abends geöffnet.</p>""", lang="de"),
        encoding="utf-8")
    (SITE / "ru" / "index.html").write_text(page("Главная", """<h1>Миллбрук Курьер по-русски</h1>
<p>Город Миллбрук стоит на небольшой реке. В выходные добровольцы очистили реку от шин,
бутылок и старого велосипеда.</p>
<p>Библиотеку расширят, и читальный зал будет открыт до девяти часов вечера.</p>""", lang="ru"),
        encoding="utf-8")
    # Legacy charset: cp1251 bytes, declared only in the HTTP header (see _headers.json).
    letters = page("Письма читателей", """<h1>Письма читателей</h1>
<p>Уважаемая редакция! Спасибо за статью о новом расписании автобусов. Теперь я успеваю на
поезд каждое утро и больше не опаздываю на работу.</p>
<p>Хотелось бы, чтобы газета чаще писала о библиотеке и о школьном саде: дети очень гордятся
своими подсолнухами и фасолью.</p>
<p>С уважением, Ольга Петрова, улица Мельничная.</p>""", lang="ru", charset="windows-1251")
    (SITE / "letters.html").write_bytes(letters.encode("cp1251", errors="replace"))
    (SITE / "private" / "drafts.html").write_text(
        page("Drafts", "<h1>Unpublished drafts</h1><p>Not for crawlers.</p>"), encoding="utf-8")
    (SITE / "_headers.json").write_text(json.dumps(
        {"/letters.html": {"Content-Type": "text/html; charset=windows-1251"}}, indent=2) + "\n",
        encoding="utf-8")
    (SITE / "robots.txt").write_text(
        "User-agent: *\nDisallow: /private/\n\nSitemap: /sitemap.xml\n", encoding="utf-8")
    urls = ["/", "/about.html", "/contact.html", "/news/", "/private/drafts.html"] + \
        [f"/news/{s}.html" for s, _, _, _ in linked + sitemap_only]
    entries = "".join(f"  <url><loc>{u}</loc></url>\n" for u in urls)
    (SITE / "sitemap.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n' + entries + "</urlset>\n",
        encoding="utf-8")
    feed_items = "".join(
        f"  <item><title>{escape(t)}</title><link>/news/{s}.html</link><pubDate>{d}</pubDate></item>\n"
        for s, t, _, d in linked[:4] + feed_only)
    (SITE / "feed.xml").write_text(
        '<?xml version="1.0" encoding="UTF-8"?>\n<rss version="2.0"><channel>\n'
        "  <title>Millbrook Courier</title><link>/</link>\n" + feed_items + "</channel></rss>\n",
        encoding="utf-8")


if __name__ == "__main__":
    build()
