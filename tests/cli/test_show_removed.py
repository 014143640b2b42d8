"""`deboil show` explains the whole page: removed entries grouped by reason, the extractor's
left-out blocks among them, long groups collapsed unless --all."""
from __future__ import annotations

import json

from tests.support.cli import run_cli

PARA = "The harbour reopened on Tuesday after engineers cleared the debris of the storm {}. "


def page_html() -> str:
    parts = []
    for i in range(8):  # eight share rows, each between two kept paragraphs
        parts.append(f"<p>{PARA.format(i) * 3}</p>")
        parts.append(f'<div class="share-row"><a href="#">Share {i} on Facebook</a></div>')
    return ("<html><head><title>Harbour reopens</title></head><body>"
            "<nav><a href='/'>Home</a> <a href='/news'>News</a></nav>"
            f"<article><h1>Harbour reopens</h1>{''.join(parts)}</article>"
            "<footer><p>© 2024 Harbour Times</p></footer></body></html>")


def test_show_groups_removed_by_reason(tmp_path):
    path = tmp_path / "page.html"
    path.write_text(page_html(), encoding="utf-8")
    db = tmp_path / "s.db"
    run_cli("load", path, "--db", db, check=0)
    shown = run_cli("show", path, "--db", db, check=0).stdout
    removed = shown[shown.index("removed:"):]
    assert "  nav (1)\n    Home | News\n" in removed
    assert "  footer (1)\n    © 2024 Harbour Times\n" in removed
    assert "  share (8)\n" in removed and "… 3 more (--all shows them)" in removed
    assert "Share 4 on Facebook" in removed and "Share 5 on Facebook" not in removed
    everything = run_cli("show", path, "--db", db, "--all", check=0).stdout
    assert "Share 7 on Facebook" in everything and "more (--all" not in everything
    record = json.loads(run_cli("show", path, "--db", db, "--json", check=0).stdout)
    assert {"text": "Home | News", "reason": "nav"} in record["removed"]
    assert "engineers cleared the debris" in record["text"]
