"""The duplicate index in SQLite: signatures, LSH band keys, clusters (issue 17).

Tables (created by schema migration `_dups`):
- `dup_signatures(page, words, exact, minhash, shingles, paragraphs)`: one row per indexed
  page (pages.rowid); `minhash` is NULL for texts too short to be candidates.
- `dup_bands(key, page)`: one row per band of each signature and per long paragraph, keyed
  by hash, so matching a new page is a few indexed lookups whatever the corpus size.
- `dup_clusters(id)`: AUTOINCREMENT, so a cluster id is never handed out twice.
- `dup_gone(page, cluster, minhash)`: filled by the delete trigger on `pages`; the next
  write removes those pages' band rows and refreshes their clusters' similarities.

Clusters grow by joining: a page joins the cluster of its most similar confirmed match (or
founds one with it). A page whose text changes stays in its cluster while it still matches
a member, so `reclean` keeps cluster ids. `dup_of` is the url of the cluster's first-stored
page (lowest rowid); `dup_similarity` is the estimated similarity to that page.
"""
from __future__ import annotations

import sqlite3
from collections import defaultdict
from typing import Iterable

import numpy as np

from deboil.models import utc_now
from deboil.near_dups import (CONTAINMENT, SCHEME, THRESHOLD, Signature, band_keys,
                              containment_possible, estimated_containment, exact_similarity,
                              shingle_set, signature, similarities, similarity)

# Pages read per query while indexing a whole corpus (backfill, or a changed scheme).
_BACKFILL_CHUNK = 2000
# A paragraph found on more pages than this is the site's boilerplate (a disclaimer, an
# author's bio), not a sign of a copy: it yields no candidates.
PARAGRAPH_PAGES = 8
# A band key on more pages than this is either a cluster of near-identical pages (matching
# one of them finds the cluster) or a passage many texts share (a quote, a wire sentence),
# which the page's other bands outweigh: it yields the representative of the group most of
# those pages belong to, not every page. Without this, the pages a common key returns (and
# the work of each page stored) grew with the corpus.
COMMON_BAND = 8
# Pages of a common key read to find its dominant cluster.
BAND_PAGES = 64
# Candidates matched per page, and exact containment checks (each reads and shingles the
# other text), oldest first: the first-stored page of a story is the one dup_of names.
MAX_CANDIDATES = 256
MAX_CONTAINMENT_CHECKS = 32
# Exact containment is computed only where the estimate makes it plausible.
_CONTAINMENT_HINT = 0.5


def create(db) -> None:
    """The schema step: three columns on `pages`, the index tables and the delete trigger."""
    have = {row[1] for row in db.execute("PRAGMA table_info(pages)")}
    for col, typ in (("dup_of", "TEXT"), ("dup_cluster", "INTEGER"), ("dup_similarity", "REAL")):
        if col not in have:  # a file whose version was set back runs the step again
            db.execute(f"ALTER TABLE pages ADD COLUMN {col} {typ}")
    db.execute("CREATE INDEX IF NOT EXISTS idx_pages_dup_cluster ON pages (dup_cluster)"
               " WHERE dup_cluster IS NOT NULL")
    db.execute("CREATE TABLE IF NOT EXISTS dup_signatures (page INTEGER PRIMARY KEY, words INTEGER,"
               " exact INTEGER, minhash BLOB, shingles INTEGER, paragraphs BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS dup_bands (key INTEGER NOT NULL, page INTEGER NOT NULL,"
               " PRIMARY KEY (key, page)) WITHOUT ROWID")
    db.execute("CREATE TABLE IF NOT EXISTS dup_clusters (id INTEGER PRIMARY KEY AUTOINCREMENT,"
               " created TEXT)")
    db.execute("CREATE TABLE IF NOT EXISTS dup_gone (page INTEGER PRIMARY KEY, cluster INTEGER,"
               " minhash BLOB, paragraphs BLOB)")
    db.execute("CREATE TABLE IF NOT EXISTS dup_meta (k TEXT PRIMARY KEY, v TEXT)")
    # '' = pages stored before this step are not indexed yet: the next writer does it.
    db.execute("INSERT OR IGNORE INTO dup_meta (k, v) VALUES ('scheme', '')")
    # Rows deleted by hand (sqlite3, Datasette) leave their clusters at once: the remaining
    # members point at the new first page, a lone survivor is no longer a copy.
    db.execute("""
        CREATE TRIGGER IF NOT EXISTS pages_dup_delete AFTER DELETE ON pages BEGIN
          INSERT OR REPLACE INTO dup_gone (page, cluster, minhash, paragraphs)
            SELECT page, old.dup_cluster, minhash, paragraphs FROM dup_signatures WHERE page = old.rowid;
          DELETE FROM dup_signatures WHERE page = old.rowid;
          UPDATE pages SET dup_of = NULL, dup_cluster = NULL, dup_similarity = NULL
            WHERE old.dup_cluster IS NOT NULL AND dup_cluster = old.dup_cluster
              AND (SELECT count(*) FROM pages WHERE dup_cluster = old.dup_cluster) < 2;
          UPDATE pages SET dup_of = (SELECT url FROM pages f WHERE f.dup_cluster = old.dup_cluster
                                     ORDER BY f.rowid LIMIT 1)
            WHERE old.dup_cluster IS NOT NULL AND dup_cluster = old.dup_cluster;
          UPDATE pages SET dup_of = NULL, dup_similarity = NULL
            WHERE old.dup_cluster IS NOT NULL AND dup_cluster = old.dup_cluster AND dup_of = url;
        END""")


class DupIndex:
    """Writes to the index; every call runs inside the caller's transaction."""

    def __init__(self, conn: sqlite3.Connection):
        self.conn = conn
        self._batch_keys: dict[int, list[int]] = defaultdict(list)

    # --- whole corpus ------------------------------------------------------------------
    def needs_rebuild(self) -> bool:
        row = self.conn.execute("SELECT v FROM dup_meta WHERE k='scheme'").fetchone()
        return row is None or row[0] != SCHEME

    def rebuild(self) -> int:
        """Index every page again under the current scheme (new file, pages stored before the
        index existed, or changed parameters). Clusters keep their ids where members still
        match. Returns the number of pages indexed."""
        self.conn.execute("DELETE FROM dup_bands")
        self.conn.execute("DELETE FROM dup_signatures")
        self.conn.execute("DELETE FROM dup_gone")
        n, last = 0, 0
        while True:
            rows = self.conn.execute("SELECT rowid, text, site FROM pages WHERE rowid > ? ORDER BY rowid"
                                     " LIMIT ?", (last, _BACKFILL_CHUNK)).fetchall()
            if not rows:
                break
            self.update(rows)
            n += len(rows)
            last = rows[-1][0]
        self.conn.execute("INSERT OR REPLACE INTO dup_meta (k, v) VALUES ('scheme', ?)", (SCHEME,))
        return n

    # --- pages written in a batch -----------------------------------------------------------
    def update(self, pages: Iterable[tuple]) -> None:
        """(rowid, text, site) of pages just inserted or whose text changed, in any order, with
        the text's Signature as a fourth item when a worker made it: each is matched against
        everything stored before it, and earlier pages of the same batch."""
        self._purge_gone()
        # Keys of this batch's pages are written once at its end, sorted, so each leaf of the
        # B-tree is visited once a batch; until then, the batch's pages find each other here.
        self._batch_keys: dict[int, list[int]] = defaultdict(list)
        for rowid, text, site, *signed in sorted(pages, key=lambda p: p[0]):
            sig = signed[0] if signed and signed[0] is not None else signature(text or "")
            self._index_one(rowid, text or "", site, sig)
        rows = sorted((k, p) for k, ps in self._batch_keys.items() for p in ps)
        self.conn.executemany("INSERT OR IGNORE INTO dup_bands (key, page) VALUES (?,?)", rows)
        self._batch_keys = defaultdict(list)

    def _index_one(self, rowid: int, text: str, site: str | None, sig: Signature) -> None:
        conn = self.conn
        prev = conn.execute("SELECT minhash, paragraphs FROM dup_signatures WHERE page=?",
                            (rowid,)).fetchone()
        if prev:
            self._drop_keys(rowid, *prev)
        conn.execute("INSERT OR REPLACE INTO dup_signatures (page, words, exact, minhash, shingles,"
                     " paragraphs) VALUES (?,?,?,?,?,?)",
                     (rowid, sig.words, sig.exact, sig.minhash, sig.shingles, sig.paragraphs))
        keys = sig.bands()
        paragraphs = sig.paragraph_keys()
        matches = self._matches(rowid, text, site, sig, keys, paragraphs) if keys else []
        for k in keys + paragraphs:
            self._batch_keys[k].append(rowid)
        self._place(rowid, sig, matches)

    def _drop_keys(self, rowid: int, minhash: bytes | None, paragraphs: bytes | None) -> None:
        if minhash is None:
            return
        keys = band_keys(minhash) + Signature(0, 0, None, paragraphs=paragraphs or b"").paragraph_keys()
        self.conn.executemany("DELETE FROM dup_bands WHERE key=? AND page=?", [(k, rowid) for k in keys])

    def _candidates(self, rowid: int, keys: list[int], paragraphs: list[int]) -> list[int]:
        """Pages to match, oldest first, at most MAX_CANDIDATES."""
        found: set[int] = set()
        common = []
        stored = self._stored_pages(keys + paragraphs, max(COMMON_BAND, PARAGRAPH_PAGES) + 1)
        batch_keys = self._batch_keys
        for limit, group in ((COMMON_BAND, keys), (PARAGRAPH_PAGES, paragraphs)):
            for key in group:
                old, new = stored.get(key, ()), batch_keys.get(key, ())
                if not old and not new:
                    continue  # most keys of a page: found on no other
                pages = [*old, *new]
                if len(pages) <= limit:
                    found.update(pages)
                elif group is paragraphs:
                    continue  # a site's boilerplate
                elif len(old) > COMMON_BAND:
                    common.append(key)
                else:  # common only through this batch's pages: rare, read them all
                    found.update(pages[:BAND_PAGES])
        found.update(self._representatives(common))
        found.discard(rowid)
        return sorted(found)[:MAX_CANDIDATES]

    def _stored_pages(self, keys: list[int], limit: int) -> dict[int, list[int]]:
        """{key: its stored pages} for the keys found on any, at most `limit` pages read a key
        (the oldest), in one statement whatever the number of keys."""
        if not keys:
            return {}
        values = ",".join("(?)" for _ in keys)
        return {key: [int(p) for p in pages.split(",")] for key, pages in self.conn.execute(
            f"WITH k(key) AS (VALUES {values}) SELECT key, pages FROM (SELECT key, (SELECT"
            " group_concat(page) FROM (SELECT page FROM dup_bands b WHERE b.key = k.key LIMIT ?))"
            " AS pages FROM k) WHERE pages IS NOT NULL", (*keys, limit))}

    def _representatives(self, keys: list[int]) -> set[int]:
        """For each common key: among its oldest BAND_PAGES stored pages, grouped by cluster (a
        page in none is a group of its own), the oldest page of the largest group (of each
        largest, on a tie); all in one statement."""
        if not keys:
            return set()
        values = ",".join("(?)" for _ in keys)
        found: set[int] = set()
        for (groups,) in self.conn.execute(
                f"WITH k(key) AS (VALUES {values}) SELECT (SELECT group_concat(rep || ':' || n) FROM"
                " (SELECT min(b.page) AS rep, count(*) AS n FROM (SELECT page FROM dup_bands"
                "  WHERE key = k.key LIMIT ?) b JOIN pages p ON p.rowid = b.page"
                "  GROUP BY coalesce(p.dup_cluster, -b.page) ORDER BY n DESC, rep LIMIT 4)) FROM k",
                (*keys, BAND_PAGES)):
            if not groups:
                continue
            ranked = [tuple(map(int, g.split(":"))) for g in groups.split(",")]
            top = ranked[0][1]
            found.update(rep for rep, n in ranked if n == top)
        return found

    def _matches(self, rowid: int, text: str, site: str | None, sig: Signature, keys: list[int],
                 paragraphs: list[int]) -> list[tuple]:
        """Confirmed matches as (similarity, -rowid, rowid, cluster), best first: estimated
        Jaccard similarity at THRESHOLD, or exact containment at CONTAINMENT for pages of
        two sites. Within one site, a text found inside another is more often the site's
        furniture that the cleaner kept (a disclaimer, an author's bio, a background
        paragraph quoted again) than a copy (bench/dups.py, held-back bodies)."""
        cands = self._candidates(rowid, keys, paragraphs)
        if not cands:
            return []
        rows = self.conn.execute(
            "SELECT s.page, s.exact, s.minhash, s.shingles, p.dup_cluster, p.site FROM dup_signatures s"
            f" JOIN pages p ON p.rowid = s.page WHERE s.page IN ({','.join('?' * len(cands))})"
            " AND s.minhash IS NOT NULL ORDER BY s.page", cands).fetchall()
        if not rows:
            return []
        sims = similarities(sig.minhash, [r[2] for r in rows])
        sims[[i for i, r in enumerate(rows) if r[1] == sig.exact]] = 1.0
        found = [(float(sims[i]), -r[0], r[0], r[4]) for i, r in enumerate(rows) if sims[i] >= THRESHOLD]
        # a part of the other text (or the other way round): pages of two sites, plausible
        # by the estimate, not ruled out by the bound, the oldest first
        check = [i for i, r in enumerate(rows) if sims[i] < THRESHOLD and (site is None or r[5] != site)
                 and estimated_containment(float(sims[i]), sig.shingles, r[3]) >= _CONTAINMENT_HINT]
        if check:
            possible = containment_possible(sims[check], np.full(len(check), sig.shingles),
                                            np.array([rows[i][3] for i in check]))
            check = [i for i, ok in zip(check, possible) if ok][:MAX_CONTAINMENT_CHECKS]
        if check:
            own = shingle_set(text)
            texts = dict(self.conn.execute(
                f"SELECT rowid, text FROM pages WHERE rowid IN ({','.join('?' * len(check))})",
                [rows[i][0] for i in check]))
            for i in check:
                page = rows[i][0]
                if exact_similarity(own, shingle_set(texts.get(page) or ""))[1] >= CONTAINMENT:
                    # as near as a confirmed Jaccard match
                    found.append((max(float(sims[i]), THRESHOLD), -page, page, rows[i][4]))
        return sorted(found, reverse=True)

    def _place(self, rowid: int, sig: Signature, matches: list[tuple]) -> None:
        conn = self.conn
        current = conn.execute("SELECT dup_cluster FROM pages WHERE rowid=?", (rowid,)).fetchone()
        current = current[0] if current else None
        if current is not None and any(m[3] == current for m in matches):
            self._settle(current, joined=rowid)  # still a copy of its cluster: stays there
            return
        if current is not None:
            conn.execute("UPDATE pages SET dup_of=NULL, dup_cluster=NULL, dup_similarity=NULL"
                         " WHERE rowid=?", (rowid,))
            self._settle(current)
        if not matches:
            return
        _, _, best, cluster = matches[0]
        if cluster is None:
            cluster = conn.execute("INSERT INTO dup_clusters (created) VALUES (?)",
                                   (utc_now(),)).lastrowid
            conn.execute("UPDATE pages SET dup_cluster=? WHERE rowid IN (?,?)", (cluster, best, rowid))
            self._settle(cluster)
        else:
            conn.execute("UPDATE pages SET dup_cluster=? WHERE rowid=?", (cluster, rowid))
            self._settle(cluster, joined=rowid)

    def _settle(self, cluster: int, joined: int | None = None) -> None:
        """Point a cluster's members at its first page, with their similarity to it. With
        `joined` (a page that joined after the first one), only that page's row changes."""
        conn = self.conn
        first = conn.execute("SELECT rowid, url FROM pages WHERE dup_cluster=? ORDER BY rowid LIMIT 1",
                             (cluster,)).fetchone()
        if joined is not None and first is not None and joined != first[0]:
            members = [joined]
        else:
            members = [r for (r,) in conn.execute("SELECT rowid FROM pages WHERE dup_cluster=?",
                                                  (cluster,))]
        if len(members) < 2 and joined is None:
            conn.execute("UPDATE pages SET dup_of=NULL, dup_cluster=NULL, dup_similarity=NULL"
                         " WHERE dup_cluster=?", (cluster,))
            return
        sigs = dict((p, (e, m)) for p, e, m in conn.execute(
            f"SELECT page, exact, minhash FROM dup_signatures WHERE page IN"
            f" ({','.join('?' * (len(members) + 1))})", (*members, first[0])))
        head = sigs.get(first[0])
        rows = []
        for page in members:
            if page == first[0]:
                rows.append((None, None, page))
                continue
            own = sigs.get(page)
            sim = None
            if own and head and own[1] is not None and head[1] is not None:
                sim = 1.0 if own[0] == head[0] else similarity(own[1], head[1])
            rows.append((first[1], sim, page))
        conn.executemany("UPDATE pages SET dup_of=?, dup_similarity=? WHERE rowid=?", rows)

    def _purge_gone(self) -> None:
        gone = self.conn.execute("SELECT page, cluster, minhash, paragraphs FROM dup_gone").fetchall()
        if not gone:
            return
        for page, _, minhash, paragraphs in gone:
            self._drop_keys(page, minhash, paragraphs)
        for cluster in {g[1] for g in gone if g[1] is not None}:
            if self.conn.execute("SELECT 1 FROM pages WHERE dup_cluster=? LIMIT 1", (cluster,)).fetchone():
                self._settle(cluster)
        self.conn.execute("DELETE FROM dup_gone")


# --- reads -----------------------------------------------------------------------------
FIELDS = ("dup_of", "dup_cluster", "dup_similarity")


def indexed(conn: sqlite3.Connection) -> bool:
    """False for a file written by an older deboil and opened by no writer since (a read-only
    command does not migrate it): readers then answer as if no page had a copy."""
    return any(r[1] == "dup_cluster" for r in conn.execute("PRAGMA table_info(pages)"))


def clusters(conn: sqlite3.Connection, site: str | None = None, min_size: int = 2,
             samples: int = 3) -> list[dict]:
    """Clusters largest first: size, first url, a few other urls, similarity range to the first."""
    groups: dict[int, list] = defaultdict(list)
    if not indexed(conn):
        return []
    for cluster, url, page_site, sim in conn.execute(
            "SELECT dup_cluster, url, site, dup_similarity FROM pages WHERE dup_cluster IS NOT NULL"
            " ORDER BY dup_cluster, rowid"):
        groups[cluster].append((url, page_site, sim))
    out = []
    for cluster, members in groups.items():
        if len(members) < min_size or (site and not any(m[1] == site for m in members)):
            continue
        sims = [m[2] for m in members[1:] if m[2] is not None]
        out.append({
            "cluster": cluster, "size": len(members), "first_url": members[0][0],
            "sample_urls": [m[0] for m in members[1:1 + samples]],
            "sites": sorted({m[1] for m in members if m[1]}),
            "min_similarity": round(min(sims), 3) if sims else None,
            "mean_similarity": round(sum(sims) / len(sims), 3) if sims else None,
        })
    out.sort(key=lambda c: (-c["size"], c["cluster"]))
    return out


def counts(conn: sqlite3.Connection) -> dict:
    if not indexed(conn):
        return {"copies": 0, "dup_clusters": 0}
    copies, groups = conn.execute(
        "SELECT count(*) - count(DISTINCT dup_cluster), count(DISTINCT dup_cluster) FROM pages"
        " WHERE dup_cluster IS NOT NULL").fetchone()
    return {"copies": copies, "dup_clusters": groups}
