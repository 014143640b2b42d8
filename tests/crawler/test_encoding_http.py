"""Legacy-charset pages served over real HTTP with their real headers, crawled and stored.

Covers the four declaration cases of bench/encoding: charset in the HTTP header only, in
<meta> only, nowhere, and wrongly declared; the stored text must be the true text."""
from __future__ import annotations

import codecs
import json

import pytest

from deboil.crawler.testserver import SiteServer
from tests.support.crawl_site import deboil, query

pytestmark = pytest.mark.shared  # the pages served are the bench's encoding pages

CASES = ["ru-cp1251-header-0", "el-iso-8859-7-header-0", "ja-shift_jis-header-0",
         "ar-cp1256-meta-0", "pl-iso-8859-2-meta-0", "ru-koi8-r-none-0", "zh-gb18030-none-0",
         "ru-cp1251-wrong-0", "de-cp1252-wrong-0"]


@pytest.fixture(scope="module")
def crawled(tmp_path_factory, shared_dir):
    root = shared_dir / "bench" / "encoding"
    truth = json.loads((root / "truth.json").read_text(encoding="utf-8"))
    cases = [k for k in CASES if k in truth and (root / "pages" / f"{k}.html").exists()]
    assert len(cases) >= 6, "bench/encoding no longer holds the pages this test serves"
    tmp = tmp_path_factory.mktemp("enc")
    with SiteServer() as server:
        for key in cases:
            t = truth[key]
            ctype = t["http_content_type"] if t["declared"] == "header" else "text/html"
            server.route(f"/{key}.html", body=(root / "pages" / f"{key}.html").read_bytes(),
                         content_type=ctype)
        links = "".join(f'<li><a href="/{k}.html">{k}</a></li>' for k in cases)
        server.route("/", body=f"<html><body><h1>Index</h1><ul>{links}</ul></body></html>")
        db = tmp / "enc.db"
        proc = deboil("crawl", server.url("/"), "--db", str(db), "--no-autothrottle",
                      "--delay", "0", "--timeout", "5", "--retries", "0", "--workers", "1")
        assert proc.returncode in (0, 1), proc.stderr
    return db, truth, cases, server


def test_every_declaration_case_is_stored_as_the_true_text(crawled):
    db, truth, cases, server = crawled
    for key in cases:
        url = server.url(f"/{key}.html")
        rows = query(db, "SELECT text, encoding, issues FROM pages WHERE url = ?", (url,))
        assert rows, f"{key} not stored"
        text, encoding, issues = rows[0]
        first = truth[key]["body"].split("\n\n")[0].strip()
        assert first in text, (key, encoding, text[:200])
        expected = truth[key]["charset"]
        assert codecs.lookup(encoding).name == codecs.lookup(expected).name or \
            key.startswith(("ja-", "zh-")), (key, encoding, expected)  # supersets (cp932, gb18030) are fine
        assert bool(json.loads(issues).get("charset_mismatch")) == key.endswith("wrong-0"), key
