"""Shared pieces of the crawl tests: a fixture site, a job file, and running `deboil`."""
from __future__ import annotations

import os
import socket
import sqlite3
import subprocess
import sys
from pathlib import Path

from deboil.crawler.testserver import SiteServer

REPO = Path(__file__).resolve().parents[2]

WORDS = ("the council met on tuesday to discuss the harbour the library and the new bus "
         "timetable while residents asked questions about parking trees and the river").split()


def article(title: str, seed: int, links: list[str] = (), extra_head: str = "") -> str:
    """A small page with body text and the usual clutter around it."""
    paras = []
    for p in range(4):
        words = [WORDS[(seed * 7 + p * 11 + i * 3) % len(WORDS)] for i in range(45)]
        paras.append(f"<p>{title} report {seed}.{p}: {' '.join(words).capitalize()}.</p>")
    nav = " | ".join(f'<a href="{u}">{u}</a>' for u in links)
    return f"""<!DOCTYPE html><html><head><meta charset="utf-8"><title>{title}</title>
{extra_head}</head><body>
<div class="cookies">We use cookies. Accept | Manage</div>
<nav>{nav}</nav>
<article><h1>{title}</h1>{''.join(paras)}</article>
<div class="share">Share: Facebook | Twitter | Email</div>
<footer>© 2024 Fixture News</footer></body></html>"""


def fixture_site(server: SiteServer) -> dict[str, str]:
    """Program `server` with every case the crawler must handle; returns name -> path."""
    other = server.url("/elsewhere.html", host="localhost")  # another domain on loopback
    refused = f"http://127.0.0.1:{closed_port()}/refused.html"  # another port, nobody listening
    server.route("/robots.txt", body="User-agent: *\nDisallow: /private/\n"
                 f"Sitemap: {server.url('/sitemap-index.xml')}\n", content_type="text/plain")
    links = ["/a.html", "/b.html", "/private/secret.html", "/away", "/loop-a", "/missing",
             "/broken", "/slow", "/big", "/report", "/mislabeled.html", "/moved", refused]
    server.route("/", body=article("Home", 1, links, extra_head=(
        '<link rel="alternate" type="application/rss+xml" href="/feed.xml">'
        '<link rel="alternate" type="application/atom+xml" href="/atom.xml">')))
    server.route("/a.html", body=article("Alpha", 2, ["/", "/b.html"]))
    server.route("/b.html", body=article("Bravo", 3, ["/", "/a.html"]))
    server.route("/from-sitemap.html", body=article("Sitemap only", 4))
    server.route("/from-feed.html", body=article("Feed only", 5))
    server.route("/target.html", body=article("Target", 6))
    server.route("/private/secret.html", body=article("Secret", 7))
    server.route("/sitemap-index.xml", content_type="application/xml", body=(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<sitemap><loc>{server.url('/sitemap.xml')}</loc></sitemap></sitemapindex>"))
    server.route("/sitemap.xml", content_type="application/xml", body=(
        '<?xml version="1.0" encoding="UTF-8"?>\n'
        '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        f"<url><loc>{server.url('/from-sitemap.html')}</loc></url>"
        f"<url><loc>{server.url('/a.html')}</loc></url></urlset>"))
    server.route("/feed.xml", content_type="application/rss+xml", body=(
        '<?xml version="1.0"?><rss version="2.0"><channel><title>Fixture</title>'
        f"<item><title>Feed only</title><link>{server.url('/from-feed.html')}</link></item>"
        "</channel></rss>"))
    server.route("/atom.xml", content_type="application/atom+xml", body=(
        '<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
        "<title>Fixture</title><entry><title>Atom only</title>"
        '<link rel="alternate" href="/from-atom.html"/></entry></feed>'))
    server.route("/from-atom.html", body=article("Atom only", 10))
    server.route("/away", status=302, redirect=other)
    server.route("/loop-a", status=302, redirect="/loop-b")
    server.route("/loop-b", status=302, redirect="/loop-a")
    server.route("/moved", status=301, redirect="/target.html")
    server.route("/missing", status=404, body="<html><body>gone</body></html>")
    server.route("/broken", status=500, body="<html><body>oops</body></html>")
    server.route("/slow", body=article("Slow", 8), delay=3.0)
    server.route("/big", body=article("Big", 9) + "<!--" + "x" * 300_000 + "-->")
    server.route("/report", body=b"%PDF-1.4\n%\xe2\xe3\xcf\xd3\n1 0 obj\n<<>>\nendobj\n",
                 content_type="application/pdf")
    cyrillic = ("<html><head><title>Письма</title></head><body><article><h1>Письма читателей</h1>"
                + "<p>Уважаемая редакция! Спасибо за статью о новом расписании автобусов, теперь "
                  "я успеваю на поезд каждое утро и больше не опаздываю на работу.</p>" * 4
                + "</article></body></html>")
    server.route("/mislabeled.html", body=cyrillic.encode("cp1251"),
                 content_type="text/html; charset=utf-8")  # declared utf-8, really cp1251
    return {"other": other, "refused": refused}


def closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


STORED = {"/", "/a.html", "/b.html", "/from-sitemap.html", "/from-feed.html", "/from-atom.html",
          "/target.html", "/mislabeled.html"}
FAILED = {"/missing": "HTTP 404", "/broken": "HTTP 500", "/slow": "timed out",
          "/big": "too large", "/report": "not HTML", "/away": "another origin",
          "/loop-a": "redirect loop", "/refused.html": "connection refused"}


def write_job(path: Path, server: SiteServer, name: str = "fixture", **extra) -> Path:
    """A deboil.toml with a fast, test-sized job."""
    options = {"timeout": 1.0, "retries": 1, "retry_backoff": 0.1, "delay": 0.0,
               "autothrottle": False, "max_bytes": 100_000, "concurrency_per_domain": 4,
               **extra}
    lines = ["[jobs.%s]" % name, f'seeds = ["{server.url("/")}"]']
    for key, value in options.items():
        lines.append(f"{key} = " + (str(value).lower() if isinstance(value, bool)
                                    else repr(value).replace("'", '"')))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def deboil(*args: str, timeout: float = 90, **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, "-m", "deboil", *args], cwd=REPO, env=env(),
                          capture_output=True, text=True, timeout=timeout, **kwargs)


def env() -> dict:
    clean = {k: v for k, v in os.environ.items() if k != "DEBOIL_DB"}
    return {**clean, "PYTHONPATH": str(REPO)}


def query(db: Path, sql: str, args=()) -> list[tuple]:
    conn = sqlite3.connect(f"file:{db}?mode=ro", uri=True)
    try:
        return conn.execute(sql, args).fetchall()
    finally:
        conn.close()


def path_of(url: str) -> str:
    from urllib.parse import urlsplit

    parts = urlsplit(url)
    return parts.path + (f"?{parts.query}" if parts.query else "")
