"""Copies across the corpus (issue 17): matched run after run through the real CLI and a real
SQLite file, on clean text, so two sites' copies of one story match and one site's articles,
sharing its template, do not."""
from __future__ import annotations

import json
import random
import sqlite3

from tests.support.cli import export_records, run_cli

from deboil.models import CleanPage, PageRecord, RawPage
from deboil.db import Store
from deboil.near_dups import MIN_WORDS, THRESHOLD, signature, similarity

VOCAB = ("harbour council budget river school market bridge museum station library ferry clinic "
         "mayor residents planning office regional fund developer spring consultation evening "
         "meeting repairs history argument decision public weeks months report engineers costs "
         "traffic visitors tourists summer winter weather storm flood repair contract company "
         "workers union strike agreement minister election voters campaign debate policy tax "
         "prices energy housing rent families children teachers students exams results").split()

GAZETTE = {"head": ["Valley Gazette", "Home\nNews\nSport\nWeather\nOpinion",
                    "Subscribe for 1 euro a month and read without limits"],
           "foot": ["Most read today: the ferry timetable, the new clinic and the summer fair",
                    "Valley Gazette is published by Valley Media Group, 14 Mill Street.",
                    "Letters to the editor: write to the desk on the second floor"]}
COURIER = {"head": ["Coast Courier", "Front page\nLocal\nBusiness\nCulture",
                    "Support independent journalism on the coast: become a member today"],
           "foot": ["Coast Courier Ltd, registered in the harbour district, all rights reserved",
                    "Cookie settings · Privacy · Terms · Contact the newsroom"]}


def article(seed: int, paragraphs: int = 5, words: int = 40) -> list[str]:
    rnd = random.Random(seed)
    return [" ".join(rnd.choice(VOCAB) for _ in range(words)).capitalize() + "." for _ in range(paragraphs)]


def capture(site: dict, title: str, body: list[str]) -> str:
    return "\n\n".join(site["head"] + [title] + body + site["foot"]) + "\n"


def write_site(folder, site: dict, pages: dict[str, list[str]]) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for name, body in pages.items():
        (folder / f"{name}.txt").write_text(capture(site, f"Story {name}", body), encoding="utf-8")


def rows(db) -> dict[str, tuple]:
    con = sqlite3.connect(db)
    return {u.rsplit("/", 1)[1]: (of.rsplit("/", 1)[1] if of else None, c, s) for u, of, c, s in
            con.execute("SELECT url, dup_of, dup_cluster, dup_similarity FROM pages")}


def test_second_run_copy_on_another_site_points_at_the_first(tmp_path):
    db = tmp_path / "c.db"
    write_site(tmp_path / "gazette", GAZETTE, {f"g{i}": article(i) for i in range(6)})
    run_cli("load", tmp_path / "gazette", "--db", db, "--site", "gazette", "--quiet", check=0)
    assert all(v == (None, None, None) for v in rows(db).values())

    copy = article(2)
    copy[1] = copy[1].replace(" ", " council ", 1)  # a word added
    copy.append("Editor's note: this story first appeared in the Valley Gazette.")
    write_site(tmp_path / "courier", COURIER, {"c-copy": copy, **{f"c{i}": article(100 + i) for i in range(5)}})
    run_cli("load", tmp_path / "courier", "--db", db, "--site", "courier", "--quiet", check=0)

    found = rows(db)
    dup_of, cluster, sim = found["c-copy.txt"]
    assert dup_of == "g2.txt" and cluster is not None and THRESHOLD <= sim < 1.0
    assert found["g2.txt"] == (None, cluster, None)  # the first stored: no dup_of, same cluster
    others = {k: v for k, v in found.items() if k not in ("c-copy.txt", "g2.txt")}
    assert all(v == (None, None, None) for v in others.values()), others

    shown = json.loads(run_cli("show", tmp_path / "courier" / "c-copy.txt", "--db", db, "--json",
                               check=0).stdout)
    assert shown["dup_of"].endswith("/gazette/g2.txt") and shown["dup_cluster"] == cluster
    text = run_cli("show", tmp_path / "courier" / "c-copy.txt", "--db", db, check=0).stdout
    assert "dup_of" in text and "gazette/g2.txt" in text
    listed = json.loads(run_cli("dups", "--db", db, "--json", check=0).stdout)
    assert [(c["size"], c["first_url"].rsplit("/", 1)[1]) for c in listed] == [(2, "g2.txt")]
    assert json.loads(run_cli("dups", "--db", db, "--json", "--min-size", "3", check=0).stdout) == []
    stats = json.loads(run_cli("stats", "--db", db, "--json", check=0).stdout)
    assert (stats["copies"], stats["dup_clusters"]) == (1, 1)


def test_articles_of_one_site_sharing_its_template_are_not_copies(tmp_path):
    """Short bodies inside a long template: as raw pages they are near-copies of each other
    (checked below), as clean text they are not; template-only pages never cluster."""
    pages = {f"g{i}": article(i, paragraphs=2, words=30) for i in range(8)}
    pages.update({f"empty{i}": [] for i in range(3)})  # nothing but the template
    heavy = dict(GAZETTE, foot=GAZETTE["foot"] + [
        "About the Valley Gazette: founded in 1921, the paper covers the valley towns, their "
        "councils, schools, markets and sport, and publishes a weekend magazine with long reads, "
        "recipes, puzzles, letters from readers and a guide to what is on in the region this week.",
        "Our journalists follow the editors' code of practice. If you think we got something wrong, "
        "tell the readers' editor by letter or by telephone on weekday mornings; corrections are "
        "printed on page two of the next edition and noted at the end of the story online.",
        "Advertising in the Valley Gazette reaches forty thousand households every week: ask our "
        "sales team about notices, classified pages, sponsored supplements and the events guide."])
    write_site(tmp_path / "g", heavy, pages)
    raw = [(tmp_path / "g" / f"g{i}.txt").read_text() for i in range(2)]
    assert similarity(signature(raw[0]).minhash, signature(raw[1]).minhash) >= THRESHOLD
    db = tmp_path / "c.db"
    run_cli("load", tmp_path / "g", "--db", db, "--site", "gazette", "--quiet")
    found = rows(db)
    assert len(found) >= 8
    assert all(v == (None, None, None) for v in found.values()), found
    words = dict(sqlite3.connect(db).execute("SELECT url, word_count FROM pages"))
    assert min(n for u, n in words.items() if u.rsplit("/", 1)[1].startswith("g")) >= MIN_WORDS


def test_short_texts_are_never_matched_but_long_enough_ones_are(tmp_path):
    store = Store(str(tmp_path / "s.db"))
    short = " ".join(VOCAB[:MIN_WORDS - 5])
    longer = " ".join(VOCAB[:MIN_WORDS + 5])
    pages = [CleanPage(url=f"https://{host}.example/{name}", text=text, site=host)
             for host in ("a", "b") for name, text in (("short", short), ("long", longer))]
    store.save_batch([PageRecord(p, RawPage(url=p.url, body=b"", site=p.site)) for p in pages], run_id=None)
    got = dict(store.conn.execute("SELECT url, dup_of FROM pages"))
    assert got["https://b.example/short"] is None
    assert got["https://b.example/long"] == "https://a.example/long"


def _store_pages(store, texts: dict[str, str]) -> None:
    store.save_batch([PageRecord(CleanPage(url=u, text=t), RawPage(url=u, body=b"")) for u, t in texts.items()],
                     run_id=None)


def test_changed_and_deleted_pages_update_their_cluster(tmp_path):
    store = Store(str(tmp_path / "s.db"))
    body = " ".join(" ".join(p) for p in article(5))
    _store_pages(store, {"https://a.example/1": body, "https://b.example/1": body + " Updated.",
                         "https://c.example/1": body, "https://d.example/2": body})
    q = "SELECT url, dup_of, dup_cluster FROM pages ORDER BY rowid"
    (a, _, cl), *rest = store.conn.execute(q).fetchall()
    assert all(r[1] == a and r[2] == cl for r in rest)
    # a copy rewritten into another story leaves the cluster; the others stay
    _store_pages(store, {"https://b.example/1": " ".join(" ".join(p) for p in article(6))})
    assert dict((u, c) for u, _, c in store.conn.execute(q))["https://b.example/1"] is None
    # deleting the first page by hand: the next one becomes the first
    with store.conn:
        store.conn.execute("DELETE FROM pages WHERE url = 'https://a.example/1'")
    got = {u: (of, c) for u, of, c in store.conn.execute(q)}
    assert got["https://c.example/1"] == (None, cl)
    assert got["https://d.example/2"] == ("https://c.example/1", cl)
    # ... and a second deletion leaves a lone page, which is no copy of anything
    with store.conn:
        store.conn.execute("DELETE FROM pages WHERE url = 'https://c.example/1'")
    assert store.conn.execute("SELECT count(*) FROM pages WHERE dup_cluster IS NOT NULL").fetchone()[0] == 0
    # the next write purges the deleted pages' band rows
    _store_pages(store, {"https://e.example/1": "unrelated " * 60})
    indexed = {p for (p,) in store.conn.execute("SELECT DISTINCT page FROM dup_bands")}
    assert indexed == {r for (r,) in store.conn.execute("SELECT rowid FROM pages")}


def test_reclean_keeps_cluster_ids(tmp_path):
    """The first gazette page is cleaned before the site's template is known, so a later
    `reclean` changes its text: its cluster must keep its id."""
    db = tmp_path / "c.db"
    body = article(7, paragraphs=8)
    write_site(tmp_path / "first", GAZETTE, {"g-copy": body})
    run_cli("load", tmp_path / "first", "--db", db, "--site", "gazette", "--quiet", check=0)
    write_site(tmp_path / "more", GAZETTE, {f"g{i}": article(i) for i in range(8)})
    run_cli("load", tmp_path / "more", "--db", db, "--site", "gazette", "--quiet", check=0)
    write_site(tmp_path / "courier", COURIER, {"c-copy": body, "c1": article(200)})
    run_cli("load", tmp_path / "courier", "--db", db, "--site", "courier", "--quiet", check=0)
    con = sqlite3.connect(db)
    text_before = con.execute("SELECT text FROM pages WHERE url LIKE '%g-copy.txt'").fetchone()[0]
    before = rows(db)
    assert before["c-copy.txt"][0] == "g-copy.txt"

    run_cli("reclean", "--db", db, check=0)
    text_after = con.execute("SELECT text FROM pages WHERE url LIKE '%g-copy.txt'").fetchone()[0]
    assert text_after != text_before  # the template lines are gone now
    after = rows(db)
    assert after["c-copy.txt"][:2] == before["c-copy.txt"][:2]
    assert after["g-copy.txt"][:2] == before["g-copy.txt"][:2]
    assert after["c-copy.txt"][2] > before["c-copy.txt"][2]  # the two texts are closer now


def test_export_unique_drops_the_copies(tmp_path):
    db = tmp_path / "c.db"
    write_site(tmp_path / "gazette", GAZETTE, {f"g{i}": article(i) for i in range(4)})
    write_site(tmp_path / "courier", COURIER, {"c-copy": article(1), "c-copy2": article(3), "c9": article(9)})
    for site in ("gazette", "courier"):
        run_cli("load", tmp_path / site, "--db", db, "--site", site, "--quiet", check=0)
    everything = export_records(db)
    assert {"dup_of", "dup_cluster", "dup_similarity"} <= set(next(iter(everything.values())))
    out = tmp_path / "unique.jsonl"
    run_cli("export", "--db", db, "--unique", "--output", out, check=0)
    unique = {json.loads(line)["url"].rsplit("/", 1)[1] for line in out.read_text().splitlines()}
    assert unique == {"g0.txt", "g1.txt", "g2.txt", "g3.txt", "c9.txt"}
    assert len(everything) == 7


def test_a_file_from_before_the_index_reads_and_then_indexes(tmp_path):
    """An older file: read-only commands answer without the columns; the next writer adds
    them and matches the pages stored before."""
    db = tmp_path / "old.db"
    store = Store(str(db))
    body = " ".join(" ".join(p) for p in article(3))
    _store_pages(store, {"https://a.example/1": body, "https://b.example/1": body})
    store.close()
    con = sqlite3.connect(db)
    con.execute("DROP TRIGGER pages_dup_delete")
    con.execute("DROP INDEX idx_pages_dup_cluster")
    for col in ("dup_of", "dup_cluster", "dup_similarity"):
        con.execute(f"ALTER TABLE pages DROP COLUMN {col}")
    con.execute("DELETE FROM dup_meta")
    con.execute("PRAGMA user_version = 3")
    con.commit()
    con.close()
    assert set(export_records(db)) == {"https://a.example/1", "https://b.example/1"}
    assert json.loads(run_cli("dups", "--db", db, "--json", check=0).stdout) == []
    assert json.loads(run_cli("stats", "--db", db, "--json", check=0).stdout)["copies"] == 0
    Store(str(db)).close()  # a writer migrates and indexes what was stored
    got = {r["url"]: r["dup_of"] for r in export_records(db).values()}
    assert got == {"https://a.example/1": None, "https://b.example/1": "https://a.example/1"}


def test_a_text_ending_in_a_line_without_words_is_signed_and_stored(tmp_path):
    # a last line of punctuation ("—") once started a paragraph past the last word, and the
    # signature's IndexError stopped the whole load
    body = article(11)
    sig = signature("\n".join(body + ["—"]))
    assert sig.minhash is not None
    assert sig.paragraphs == signature("\n".join(body)).paragraphs
    (tmp_path / "a.txt").write_text("\n\n".join(["Story a", *body, "—"]) + "\n", encoding="utf-8")
    db = tmp_path / "x.db"
    result = run_cli("load", str(tmp_path / "a.txt"), "--db", str(db))
    assert result.returncode == 0, result.stderr
    assert len(rows(db)) == 1


def test_a_key_on_many_pages_yields_its_cluster_once_and_copies_still_join_it(tmp_path):
    # 30 copies of one story, one word changed each: every band key they share is on more
    # than COMMON_BAND pages, so a new copy is matched against a representative of the
    # cluster, not against all 30; it still joins the cluster and points at the first page
    from deboil.db.dups import COMMON_BAND

    store = Store(str(tmp_path / "s.db"))
    body = " ".join(article(5, paragraphs=4))

    def edited(i: int) -> str:
        words = body.split(" ")
        words[(7 * i) % len(words)] = f"word{i}"
        return " ".join(words)
    for start in range(0, 30, 10):  # three batches: later copies find earlier ones stored
        _store_pages(store, {f"https://s{i}.example/a": edited(i) for i in range(start, start + 10)})
    (cluster,) = store.conn.execute("SELECT DISTINCT dup_cluster FROM pages").fetchone()
    assert cluster is not None
    new = edited(99)
    sig = signature(new)
    many = [k for k in sig.bands() if store.conn.execute(
        "SELECT count(*) FROM dup_bands WHERE key=?", (k,)).fetchone()[0] > COMMON_BAND]
    assert len(many) >= 10  # the case this is about
    candidates = store.dups._candidates(10_000, sig.bands(), sig.paragraph_keys())
    assert 1 <= len(candidates) < 10
    _store_pages(store, {"https://new.example/a": new})
    got = store.conn.execute("SELECT dup_of, dup_cluster FROM pages WHERE url='https://new.example/a'").fetchone()
    assert got == ("https://s0.example/a", cluster)


def test_containment_bound_keeps_real_parts_and_rules_out_one_shared_paragraph():
    import numpy as np

    from deboil.near_dups import containment_possible, shingle_set, exact_similarity

    story = article(21, paragraphs=12)
    teaser = "\n\n".join(story[:3])  # a quarter of the story: contained in it
    other = "\n\n".join([story[0]] + article(22, paragraphs=3))  # shares one paragraph
    full = "\n\n".join(story)
    for part, contained in ((teaser, True), (other, False)):
        a, b = signature(part), signature(full)
        assert (exact_similarity(shingle_set(part), shingle_set(full))[1] >= 0.8) is contained
        assert containment_possible(np.array([similarity(a.minhash, b.minhash)]), np.array([a.shingles]),
                                    np.array([b.shingles]))[0] == contained


def test_a_workers_signature_is_used_only_for_the_text_it_was_made_from(tmp_path):
    # the writer takes the signature a cleaning worker made (its own would be the same, so a
    # foreign one shows it is used), and ignores one whose text hash is not the stored text's
    store = Store(str(tmp_path / "s.db"))
    first = "\n\n".join(article(31))
    unrelated = "\n\n".join(article(32))
    store.save_batch([PageRecord(CleanPage(url="https://a.example/1", text=first), RawPage(url="https://a.example/1", body=b""))],
                     run_id=None)
    page = CleanPage(url="https://b.example/used", text=unrelated)
    stale = CleanPage(url="https://b.example/stale", text=unrelated + "\n\nOne more line.")
    store.save_batch([PageRecord(page, RawPage(url=page.url, body=b""), signature=(page.text_hash, signature(first))),
                      PageRecord(stale, RawPage(url=stale.url, body=b""), signature=(page.text_hash, signature(first)))],
                     run_id=None)
    got = dict(store.conn.execute("SELECT url, dup_of FROM pages"))
    assert got["https://b.example/used"] == "https://a.example/1"
    assert got["https://b.example/stale"] is None
