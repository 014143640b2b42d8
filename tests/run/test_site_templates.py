"""Site templates end to end: lines shared by many pages of one site are removed as
`template`, the counts persist in the database, and bodies stay whole."""
from __future__ import annotations

import json
import sqlite3

from tests.support.cli import run_cli

HEADER = ["Valley Gazette", "Subscribe for 1 euro a month and read without limits",
          "Weather: light rain, 12 degrees"]
FOOTER = ["Think your friends would be interested? Pass this story on!",
          "Valley Gazette is published by Valley Media Group, 14 Mill Street.",
          "Letters to the editor: write to the desk on the second floor"]
TOPICS = ["bridge", "market", "school", "library", "orchard", "station", "theatre", "clinic",
          "ferry", "museum"]


def body(topic: str) -> list[str]:
    return [
        f"The town council met on Tuesday to discuss the future of the old {topic}, which has "
        f"been the subject of a long argument between residents and the planning office.",
        f"Supporters of the {topic} say it is part of the town's history and should be repaired "
        f"with money from the regional fund rather than sold to a developer.",
        f"A final decision on the {topic} is expected in the spring, after a public consultation "
        f"that will run for six weeks and include two evening meetings.",
    ]


def test_shared_lines_of_one_site_are_template(tmp_path):
    pages = tmp_path / "gazette"
    pages.mkdir()
    for i, topic in enumerate(TOPICS):
        title = f"Council debates the {topic}"
        lines = HEADER + [title, f"{i + 1} March 2024"] + body(topic) + FOOTER
        (pages / f"{topic}.txt").write_text("\n\n".join(lines), encoding="utf-8")
    db = tmp_path / "g.db"
    run_cli("load", pages, "--db", db, "--site", "gazette", check=0)
    con = sqlite3.connect(db)
    rows = con.execute("SELECT url, text, removed, version FROM pages").fetchall()
    assert len(rows) == 10
    for url, text, removed, version in rows:
        topic = url.rsplit("/", 1)[1].removesuffix(".txt")
        assert text.split("\n\n") == body(topic), url  # the body, whole and alone
        reasons = {r["text"]: r["reason"] for r in json.loads(removed)}
        for line in HEADER + FOOTER:
            assert line in reasons, (url, line)
        # lines no rule knows by their wording are caught only because the site repeats them
        assert reasons["Valley Gazette is published by Valley Media Group, 14 Mill Street."] == "template"
        assert reasons["Letters to the editor: write to the desk on the second floor"] == "template"
        assert version == 1  # the second, template-aware pass amends the run's own version
    counts = dict(con.execute("SELECT site, pages FROM sites"))
    assert counts == {"gazette": 10}
    assert con.execute("SELECT max(pages) FROM site_lines WHERE site='gazette'").fetchone()[0] == 10


def test_template_knowledge_persists_for_later_runs(tmp_path):
    """A scheduled job: pages of earlier runs teach the cleaner about the next one."""
    db = tmp_path / "g.db"
    for i, topic in enumerate(TOPICS):
        d = tmp_path / f"run{i}"
        d.mkdir()
        lines = HEADER + [f"Council debates the {topic}"] + body(topic) + FOOTER
        (d / f"{topic}.txt").write_text("\n\n".join(lines), encoding="utf-8")
        run_cli("load", d, "--db", db, "--site", "gazette", "--quiet", check=0)
    con = sqlite3.connect(db)
    last = json.loads(con.execute("SELECT removed FROM pages WHERE url LIKE '%museum.txt'").fetchone()[0])
    assert {"text": "Letters to the editor: write to the desk on the second floor",
            "reason": "template"} in last
