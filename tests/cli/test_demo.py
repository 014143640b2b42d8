"""`deboil demo`: the bundled site crawled over loopback and the example captures loaded."""
from __future__ import annotations

from tests.support.crawl_site import deboil, path_of, query


def test_demo_crawls_bundled_site_and_loads_captures(tmp_path):
    db = tmp_path / "demo.db"
    done = deboil("demo", "--db", str(db))
    assert done.returncode == 0, done.stderr
    assert "crawl demo: run 1 ok" in done.stdout
    sites = dict(query(db, "SELECT coalesce(site, ''), count(*) FROM pages GROUP BY 1"))
    loaded = {u.rsplit("/", 1)[1] for (u,) in query(db, "SELECT url FROM pages WHERE url LIKE 'file:%'")}
    assert sites["demo-site"] >= 30 and sites[""] == len(loaded)  # the crawl, and the files
    assert {f"{n}.txt" for n in ("000_de433351e9e33d62", "001_79d2e2415bcdce5f",
                                 "002_06af052715d38b1c", "003_70584ff6008ec7d8",
                                 "004_87f295001bb806b5")} <= loaded  # the five captures
    urls = {path_of(u) for (u,) in query(db, "SELECT url FROM pages WHERE site='demo-site'")}
    assert "/news/archive.html" in urls  # listed only in the feed
    assert "/news/orchard.html" in urls  # listed only in the sitemap
    assert not any(u.startswith("/private/") for u in urls)  # robots.txt
    (encoding, text), = query(db, "SELECT encoding, text FROM pages WHERE url LIKE '%/letters.html'")
    assert encoding == "windows-1251" and "Уважаемая редакция" in text
