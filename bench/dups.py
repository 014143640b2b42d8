"""Exact and near-duplicate detection (issue 17): pair precision/recall and costs.

Quality: the labelled set of bench/dups_corpus.py (benchmark bodies re-published on made-up
sites, as HTML and as text captures, some copies edited) is loaded site by site through the
real CLI, one run per site, so every run is matched against the runs before it. Pairs of
pages in one deboil cluster are compared with the truth (same body), beside datasketch's
MinHashLSH run on the raw page text (template included) with the same shingles, permutations
and threshold. The threshold is chosen in domain-grouped 5-fold cross-validation: in each
fold, the threshold with the best pair F1 on the four training folds is scored on the fifth.
A table shows why texts under MIN_WORDS words are not candidates.

Costs: CPU a page added to storing (save_batch with and without the index, interleaved
batches), memory and time to match new pages against 100,000 stored ones (beside an
in-memory MinHashLSH holding the same signatures), and `deboil dups` over those pages.

`python -m bench.dups --bodies FILE.json` builds the set from other bodies ({id: {"body":
text, "domain": name}}): the held-back check.
"""
from __future__ import annotations

import argparse
import itertools
import json
import os
import random
import re
import resource
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections import defaultdict
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
GRID = [round(0.30 + 0.05 * i, 2) for i in range(13)]  # Jaccard 0.30 .. 0.90
CONTAIN_GRID = [0.6, 0.7, 0.8, 0.9, 9.0]  # 9.0: containment not used


def _cli(*args) -> subprocess.CompletedProcess:
    env = dict(os.environ, PYTHONPATH=str(REPO))
    return subprocess.run([sys.executable, "-m", "deboil", *map(str, args)], capture_output=True,
                          text=True, env=env, cwd=REPO)


# --- the labelled set ---------------------------------------------------------------------
def load_set(dest: Path, bodies: dict | None) -> tuple[dict, Path]:
    from .dups_corpus import build

    labels = build(dest / "set", bodies=bodies)
    db = dest / "set.db"
    for site in sorted(labels["sites"]):
        _cli("load", dest / "set" / site, "--db", db, "--site", site, "--quiet")
    return labels, db


def _pairs_of(clusters: dict[str, object]) -> set[frozenset]:
    groups = defaultdict(list)
    for path, c in clusters.items():
        if c is not None:
            groups[c].append(path)
    return {frozenset(p) for g in groups.values() for p in itertools.combinations(g, 2)}


def _score(pred: set, true: set) -> tuple[float, float]:
    tp = len(pred & true)
    return (tp / len(pred) if pred else 1.0), (tp / len(true) if true else 1.0)


def raw_text(path: str) -> str:
    """What a template-blind deduplicator sees: the whole page's text."""
    if path.endswith(".html"):
        import lxml.html

        return lxml.html.fromstring(Path(path).read_bytes()).text_content()
    return Path(path).read_text(encoding="utf-8")


def baseline_pairs(paths: list[str], threshold: float) -> tuple[set, set]:
    """datasketch MinHashLSH on raw page text: (confirmed pairs, their transitive closure)."""
    from datasketch import MinHash, MinHashLSH

    from deboil.near_dups import NUM_PERM, SHINGLE, words_of

    lsh = MinHashLSH(threshold=threshold, num_perm=NUM_PERM)
    sigs = {}
    for p in paths:
        w = words_of(raw_text(p))
        m = MinHash(num_perm=NUM_PERM, seed=1)
        m.update_batch([" ".join(w[i:i + SHINGLE]).encode() for i in range(max(1, len(w) - SHINGLE + 1))])
        sigs[p] = m
        lsh.insert(p, m)
    pairs = set()
    for p, m in sigs.items():
        for q in lsh.query(m):
            if q != p and m.jaccard(sigs[q]) >= threshold:
                pairs.add(frozenset((p, q)))
    parent = {p: p for p in paths}

    def root(x):
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x
    for a, b in map(tuple, pairs):
        parent[root(a)] = root(b)
    return pairs, _pairs_of({p: root(p) for p in paths})


def quality(tmp: Path, bodies: dict | None) -> None:
    from deboil.near_dups import THRESHOLD

    t0 = time.perf_counter()
    labels, db = load_set(tmp, bodies)
    files = labels["files"]
    paths = sorted(files)
    true = {frozenset(p) for p in itertools.combinations(paths, 2)
            if files[p[0]] is not None and files[p[0]] == files[p[1]]}
    import sqlite3

    con = sqlite3.connect(db)
    stored = {u[len("file://"):]: c for u, c in con.execute("SELECT url, dup_cluster FROM pages")}
    ours = _pairs_of(stored)
    t1 = time.perf_counter()
    direct, closed = baseline_pairs(paths, THRESHOLD)
    t2 = time.perf_counter()
    n_dup = len({b for p, b in files.items() if b and sum(1 for v in files.values() if v == b) > 1})
    print(f"labelled set: {len(paths)} pages on {len(labels['sites'])} made-up sites "
          f"({sum(1 for k in labels['sites'].values() if k == 'html')} HTML, the rest text captures), "
          f"{n_dup} bodies with copies, {len(true)} true pairs; {len(stored)} pages stored "
          f"(loaded in {t1 - t0:.0f}s)")
    for name, pred in (("deboil clusters (clean text)", ours),
                       ("datasketch MinHashLSH, raw text", direct),
                       ("  the same, clusters (closure)", closed)):
        p, r = _score(pred, true)
        ok = "ok" if (p >= 0.99 and r >= 0.95) else "MISS"
        print(f"  {name:34} pairs {len(pred):5}  precision {p:.4f}  recall {r:.4f}"
              + (f"  (targets P>=0.99 R>=0.95: {ok})" if name.startswith("deboil") else ""))
    print(f"  (baseline built and queried in {t2 - t1:.1f}s)")
    for pair in sorted(ours - true, key=sorted)[:5]:
        print("  false pair:", " ~ ".join(f"{Path(p).parent.name}/{Path(p).name}" for p in sorted(pair)))
    cross_validate(con, files, labels["groups"])
    cutoff_table(con, files)


# --- threshold: domain-grouped 5-fold CV ---------------------------------------------------------
def _stored_pairs(con, files: dict) -> list:
    """Pairs as (path, path, estimated Jaccard or 0, exact containment or None): the
    candidates of the stored signatures (sharing a band, or a paragraph found on few pages)
    with their estimate, and every pair of stored texts whose exact containment is 0.5 or
    more, candidate or not, so a containment threshold is judged on all the pairs it would
    call copies wherever their paragraphs sit."""
    from deboil.db.dups import _CONTAINMENT_HINT, PARAGRAPH_PAGES
    from deboil.near_dups import Signature, band_keys, exact_similarity, shingle_set, similarity

    rows = con.execute("SELECT p.url, s.exact, s.minhash, s.shingles, s.paragraphs, p.text FROM"
                       " dup_signatures s JOIN pages p ON p.rowid = s.page WHERE s.minhash IS NOT NULL"
                       ).fetchall()
    buckets, paragraphs = defaultdict(set), defaultdict(set)
    for url, _, m, _, para, _ in rows:
        for k in band_keys(m):
            buckets[k].add(url)
        for k in Signature(0, 0, None, paragraphs=para or b"").paragraph_keys():
            paragraphs[k].add(url)
    groups = list(buckets.values()) + [g for g in paragraphs.values() if len(g) <= PARAGRAPH_PAGES]
    cands = {frozenset(p) for g in groups for p in itertools.combinations(sorted(g), 2)}
    info = {url: (e, m, n, t) for url, e, m, n, _, t in rows}
    sets = {url: shingle_set(t) for url, (_, _, _, t) in info.items()}
    contained = {}
    for a, b in itertools.combinations(sorted(sets), 2):
        if Path(a).parent == Path(b).parent:
            continue  # containment counts across sites only (deboil/db/dups.py)
        c = exact_similarity(sets[a], sets[b])[1]
        if c >= _CONTAINMENT_HINT:
            contained[frozenset((a, b))] = c
    out = []
    for pair in cands | set(contained):
        a, b = sorted(pair)
        (ea, ma, na, _), (eb, mb, nb, _) = info[a], info[b]
        sim = (1.0 if ea == eb else similarity(ma, mb)) if pair in cands else 0.0
        out.append((a[7:], b[7:], sim, contained.get(pair)))
    return out


def _predict(pairs: list, t: float, c: float) -> set:
    return {frozenset((a, b)) for a, b, s, k in pairs if s >= t or (k is not None and k >= c)}


def cross_validate(con, files: dict, groups: dict) -> None:
    from deboil.near_dups import CONTAINMENT, THRESHOLD

    pairs = _stored_pairs(con, files)
    paths = sorted(files)
    group_of = {p: groups.get(files[p]) or f"template:{Path(p).parent.name}" for p in paths}
    names = sorted(set(group_of.values()))
    random.Random(5).shuffle(names)
    fold_of = {g: i % 5 for i, g in enumerate(names)}
    fold = {p: fold_of[group_of[p]] for p in paths}
    true_all = {frozenset(p) for p in itertools.combinations(paths, 2)
                if files[p[0]] is not None and files[p[0]] == files[p[1]]}
    rules = [(t, c) for t in GRID for c in CONTAIN_GRID]
    print("thresholds by domain-grouped 5-fold CV (best pair F1 on the training folds, ties to the"
          " stricter; direct pairs):")
    tp = fp = fn = 0
    chosen = []
    for k in range(5):
        def subset(keep):
            cand = [x for x in pairs if keep(fold[x[0]]) and keep(fold[x[1]])]
            return cand, {t for t in true_all if all(keep(fold[x]) for x in t)}
        train, train_true = subset(lambda f: f != k)
        best = max(rules, key=lambda r: (_f1(_predict(train, *r), train_true), r))
        test, test_true = subset(lambda f: f == k)
        pred = _predict(test, *best)
        p, r = _score(pred, test_true)
        tp += len(pred & test_true)
        fp += len(pred - test_true)
        fn += len(test_true - pred)
        chosen.append(best)
        print(f"  fold {k}: Jaccard >= {best[0]:.2f} or containment >= {best[1]:.2f}  test pairs "
              f"{len(test_true):4}  precision {p:.4f}  recall {r:.4f}")
    print(f"  pooled test folds: precision {tp / max(1, tp + fp):.4f}  recall {tp / max(1, tp + fn):.4f}")
    print(f"  all pairs, P/R by Jaccard threshold (containment {CONTAINMENT} / off):")
    for t in GRID[::2]:
        a = _score(_predict(pairs, t, CONTAINMENT), true_all)
        b = _score(_predict(pairs, t, 9.0), true_all)
        mark = "  <- deboil" if abs(t - THRESHOLD) < 1e-9 else ""
        print(f"    {t:.2f}: {a[0]:.4f}/{a[1]:.4f}   {b[0]:.4f}/{b[1]:.4f}{mark}")
    for c in CONTAIN_GRID[:-1]:
        a = _score(_predict(pairs, THRESHOLD, c), true_all)
        print(f"    containment {c:.2f} (Jaccard {THRESHOLD}): {a[0]:.4f}/{a[1]:.4f}")
    containment_everywhere(con, files)


def containment_everywhere(con, files: dict) -> None:
    """Exact containment of every pair of stored texts, candidates or not: which threshold
    would call different texts copies, whatever keys a corpus happens to share."""
    from deboil.near_dups import MIN_WORDS, exact_similarity, shingle_set

    sets = {u[7:]: shingle_set(t) for u, t, w in con.execute("SELECT url, text, word_count FROM pages")
            if w >= MIN_WORDS}
    paths = sorted(sets)
    counts = {kind: (defaultdict(int), defaultdict(int)) for kind in ("one site", "two sites")}
    for a, b in itertools.combinations(paths, 2):
        c = exact_similarity(sets[a], sets[b])[1]
        if c < 0.5:
            continue
        same = files[a] is not None and files[a] == files[b]
        false, true = counts["one site" if Path(a).parent == Path(b).parent else "two sites"]
        for t in CONTAIN_GRID[:-1]:
            if c >= t:
                (true if same else false)[t] += 1
    for kind, (false, true) in counts.items():
        print(f"  exact containment, all pairs of {MIN_WORDS}+ word texts on {kind} (different texts / copies at or above): "
              + "  ".join(f"{t:.1f}: {false[t]}/{true[t]}" for t in CONTAIN_GRID[:-1]))


def _f1(pred: set, true: set) -> float:
    p, r = _score(pred, true)
    return 2 * p * r / (p + r) if p + r else 0.0


# --- the short-text cut-off ---------------------------------------------------------------------
def _shingles(text: str, k: int = 5) -> set:
    from deboil.near_dups import words_of

    w = words_of(text)
    return {" ".join(w[i:i + k]) for i in range(max(1, len(w) - k + 1))}


def cutoff_table(con, files: dict) -> None:
    """Clean texts cut to their first n words: how many pairs of different texts of one site
    would match (what a cut-off must keep out), and how many true copies still would."""
    from deboil.near_dups import MIN_WORDS, THRESHOLD

    texts = {u[7:]: t for u, t in con.execute("SELECT url, text FROM pages")}
    by_site = defaultdict(list)
    for p in texts:
        by_site[Path(p).parent.name].append(p)
    true = [tuple(p) for p in itertools.combinations(sorted(texts), 2)
            if files[p[0]] is not None and files[p[0]] == files[p[1]]]
    # template-only pages (body None) are kept: what the cleaner leaves of them is what must not match
    negs = [p for ps in by_site.values() for p in itertools.combinations(sorted(ps), 2)
            if files[p[0]] != files[p[1]] or files[p[0]] is None]
    print(f"short-text cut-off (exact Jaccard >= {THRESHOLD} of texts cut to n words; "
          f"{len(negs)} same-site pairs of different texts, {len(true)} copy pairs):")
    for n in (10, 20, 30, 40, 50, 75, 100):
        cut = {}
        for p, t in texts.items():
            w = t.split()
            cut[p] = _shingles(" ".join(w[:n])) if len(w) >= n else None  # shorter: not at this n

        def match(a, b):
            A, B = cut[a], cut[b]
            return A is not None and B is not None and len(A & B) / len(A | B) >= THRESHOLD
        fp = sum(match(a, b) for a, b in negs)
        both = [(a, b) for a, b in true if cut[a] is not None and cut[b] is not None]
        tp = sum(match(a, b) for a, b in both)
        mark = "  <- MIN_WORDS" if n == MIN_WORDS else ""
        print(f"  n={n:3}: different texts matching {fp:4}   copies matching {tp}/{len(both)}"
              f" ({tp / max(1, len(both)):.3f}){mark}")
    short = [(p, len(t.split())) for p, t in texts.items() if len(t.split()) < MIN_WORDS]
    print(f"  stored pages under {MIN_WORDS} words: {len(short)} "
          f"({sum(1 for p, _ in short if files[p] is None)} of them template-only pages)")


# --- costs ------------------------------------------------------------------------------------
def _sentences() -> list[str]:
    from .paths import find_shared

    truth = json.loads((find_shared() / "bench" / "article-extraction" / "ground-truth.json").read_text())
    return [s.strip() for t in truth.values()
            for s in re.split(r"(?<=[.!?])\s+", t["articleBody"]) if len(s.split()) > 5]


def synthetic_pages(n: int, seed: int, lo: int = 3, hi: int = 12, copies: float = 0.05,
                    prefix: str = "p"):
    """PageRecords: lo..hi real news sentences each (~25 words a sentence) in
    paragraphs; a share of them are lightly edited copies of an earlier page."""
    from deboil.models import CleanPage, PageRecord, RawPage

    sents = _sentences()
    rnd = random.Random(seed)
    made = []
    for i in range(n):
        if made and rnd.random() < copies:
            words = rnd.choice(made).split(" ")
            words[rnd.randrange(len(words))] = "meanwhile"
            text = " ".join(words)
        else:
            chosen = rnd.sample(sents, rnd.randint(lo, hi))
            # paragraphs of 1-4 sentences: one sentence is found on many pages of this pool,
            # a paragraph (as in real pages) on one
            paras, at = [], 0
            while at < len(chosen):
                k = rnd.randint(1, 4)
                paras.append(" ".join(chosen[at:at + k]))
                at += k
            text = "\n\n".join(paras)
        if len(made) < 5000:
            made.append(text)
        url = f"https://bench{i % 50}.example/{prefix}{i}"
        yield PageRecord(CleanPage(url=url, text=text, lang="en", title=f"Page {i}"),
                         RawPage(url=url, body=text.encode()[:200], kind="html"))


def store_cpu(tmp: Path, n: int = 4000, rounds: int = 5) -> None:
    """save_batch CPU with the index and without, batches taking turns (the VM drifts)."""
    from deboil.db import Store

    from deboil.near_dups import signature

    extra = []
    for r in range(rounds):
        on = Store(str(tmp / f"on{r}.db"))
        off = Store(str(tmp / f"off{r}.db"), index_dups=False)
        items = list(synthetic_pages(n, seed=r, hi=40))
        cpu = {"on": 0.0, "off": 0.0}
        for i in range(0, n, 1000):
            for name, store in ((("on", on), ("off", off)) if (i // 1000) % 2 == 0 else (("off", off), ("on", on))):
                t0 = time.process_time()
                store.save_batch(items[i:i + 1000], run_id=None)
                cpu[name] += time.process_time() - t0
        extra.append((1000 * (cpu["on"] - cpu["off"]) / n, cpu["on"] / cpu["off"]))
        on.close()
        off.close()
    words = statistics.mean(len(r.page.text.split()) for r in synthetic_pages(500, seed=0, hi=40))
    ms = statistics.median(e[0] for e in extra)
    print(f"CPU added to storing a page (~{words:.0f} words): median {ms:.3f} ms "
          f"(target <= 1 ms: {'ok' if ms <= 1 else 'MISS'}); store without the index = 1.00, with it "
          f"{statistics.median(e[1] for e in extra):.2f} [rounds: {', '.join(f'{e[0]:.3f}' for e in extra)} ms]")
    # the library choice: the signature alone, rensa against datasketch on the same texts
    from datasketch import MinHash

    from deboil.near_dups import NUM_PERM, SHINGLE, words_of

    texts = [r.page.text for r in synthetic_pages(400, seed=9, hi=40)]
    ours, theirs = [], []
    for _ in range(3):
        t0 = time.process_time()
        for t in texts:
            signature(t)
        t1 = time.process_time()
        for t in texts:
            w = words_of(t)
            m = MinHash(num_perm=NUM_PERM, seed=1)
            m.update_batch([" ".join(w[i:i + SHINGLE]).encode() for i in range(len(w) - SHINGLE + 1)])
        t2 = time.process_time()
        ours.append(1e6 * (t1 - t0) / len(texts))
        theirs.append(1e6 * (t2 - t1) / len(texts))
    print(f"signature of one page: deboil (normalise, 5-grams, rensa RMinHash) {statistics.median(ours):.0f} us;"
          f" datasketch MinHash on the same 5-grams {statistics.median(theirs):.0f} us")


_MATCH = """
import resource, sys, time
sys.path.insert(0, {repo!r})
from bench.dups import synthetic_pages
from deboil.db import Store
store = Store(sys.argv[1], index_dups=sys.argv[2] == "on")
items = list(synthetic_pages(1000, seed=99, hi=40, prefix="new", copies=0.0))
# a tenth of them copies of stored pages
old = store.conn.execute("SELECT url, text FROM pages WHERE rowid % 97 = 0 LIMIT 100").fetchall()
for k, (url, text) in enumerate(old):
    items[k].page.text = text.replace(" the ", " a ", 1)
def status(key):
    for line in open("/proc/self/status"):
        if line.startswith(key):
            return int(line.split()[1])
with open("/proc/self/clear_refs", "w") as f:
    f.write("5")  # reset the peak (VmHWM) to the current RSS: the batch's own peak is read
rss0 = status("VmRSS:")
t0, c0 = time.perf_counter(), time.process_time()
store.save_batch(items, run_id=None)
t1, c1 = time.perf_counter(), time.process_time()
found = store.conn.execute("SELECT count(*) FROM pages WHERE url LIKE '%/new%' AND dup_of IS NOT NULL").fetchone()[0]
print(status("VmHWM:"), rss0, t1 - t0, c1 - c0, found)
"""

# Peak RSS from VmHWM: getrusage's ru_maxrss is carried over exec from the bench process.
_LSH = """
import re, sys, sqlite3
import numpy as np
from datasketch import MinHashLSH, LeanMinHash
def hwm():
    with open("/proc/self/status") as fh:
        return int(re.search(r"VmHWM:\\s+(\\d+)", fh.read()).group(1))
con = sqlite3.connect(sys.argv[1])
rss0 = hwm()
lsh = MinHashLSH(threshold=float(sys.argv[2]), num_perm=128)
for page, m in con.execute("SELECT page, minhash FROM dup_signatures WHERE minhash IS NOT NULL"):
    h = np.frombuffer(m, "<u4").astype(np.uint64)
    lsh.insert(page, LeanMinHash(seed=1, hashvalues=h, scheme="legacy"))
print(hwm(), rss0)
"""


def corpus_100k(tmp: Path, n: int = 100_000) -> Path:
    from deboil.db import Store

    db = tmp / "big.db"
    store = Store(str(db))
    t0 = time.perf_counter()
    pages = synthetic_pages(n, seed=3)
    while True:
        batch = list(itertools.islice(pages, 1000))
        if not batch:
            break
        store.save_batch(batch, run_id=None)
    store.close()
    print(f"built {n:,} stored pages (3-12 sentences, 5% edited copies) in {time.perf_counter() - t0:.0f}s")
    return db


def match_and_list(tmp: Path) -> None:
    from deboil.near_dups import THRESHOLD

    db = corpus_100k(tmp)
    figures = {}
    for mode in ("on", "off", "on", "off"):  # interleaved: each on a fresh copy of the file
        copy = tmp / f"copy-{mode}.db"
        shutil.copy(db, copy)
        out = subprocess.run([sys.executable, "-c", _MATCH.format(repo=str(REPO)), str(copy), mode],
                             capture_output=True, text=True, cwd=REPO)
        if out.returncode:
            raise RuntimeError(out.stderr)
        peak, before, wall, cpu, found = out.stdout.split()
        figures.setdefault(mode, []).append((int(peak), int(before), float(wall), float(cpu), int(found)))
        copy.unlink()
    def med(mode, i):
        return statistics.median(f[i] for f in figures[mode])
    grow_on = statistics.median((f[0] - f[1]) / 1024 for f in figures["on"])
    grow_off = statistics.median((f[0] - f[1]) / 1024 for f in figures["off"])
    extra_mb = grow_on - grow_off
    cpu_ms = (med("on", 3) - med("off", 3))  # seconds for 1,000 pages = ms a page
    print(f"storing 1,000 new pages (100 of them copies) into 100,000: with matching {med('on', 2):.2f}s wall "
          f"{med('on', 3):.2f}s CPU, without {med('off', 2):.2f}s / {med('off', 3):.2f}s "
          f"(matching: {cpu_ms:.2f} ms CPU a page); copies found {figures['on'][0][4]}/100")
    print(f"  extra memory of matching: {extra_mb:.1f} MB (target <= 200 MB: {'ok' if extra_mb <= 200 else 'MISS'});"
          f" peak RSS growth during the batch {grow_on:.1f} MB with matching, {grow_off:.1f} MB without")
    out = subprocess.run([sys.executable, "-c", _LSH, str(db), str(THRESHOLD)], capture_output=True,
                         text=True, cwd=REPO)
    if out.returncode == 0:
        peak, before = map(int, out.stdout.split())
        print(f"  baseline: datasketch MinHashLSH holding the same 100,000 signatures in memory: "
              f"{(peak - before) / 1024:.0f} MB")
    else:
        print(f"  baseline: datasketch MinHashLSH failed: {out.stderr.strip().splitlines()[-1:]}")
    times, base = [], []
    for _ in range(3):
        t0 = time.perf_counter()
        res = _cli("dups", "--db", db, "--json")
        times.append(time.perf_counter() - t0)
        t0 = time.perf_counter()
        _cli("stats", "--db", db, "--json")
        base.append(time.perf_counter() - t0)
    n = len(json.loads(res.stdout))
    t = statistics.median(times)
    print(f"deboil dups over 100,000 pages ({n:,} clusters): median {t:.2f}s (target < 10 s: "
          f"{'ok' if t < 10 else 'MISS'}); deboil stats on the same file {statistics.median(base):.2f}s")


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(prog="python -m bench.dups")
    ap.add_argument("--bodies", type=Path, help="JSON {id: {body, domain}}: build the set from these")
    ap.add_argument("--quality-only", action="store_true")
    args = ap.parse_args(argv)
    bodies = None
    if args.bodies:
        from .dups_corpus import _trim

        raw = json.loads(args.bodies.read_text(encoding="utf-8"))
        bodies = {k: (v.get("domain") or k, _trim(v["body"])) for k, v in raw.items()}
    with tempfile.TemporaryDirectory(prefix="deboil-dups-") as tmp:
        tmp = Path(tmp)
        quality(tmp, bodies)
        if not args.quality_only:
            store_cpu(tmp)
            match_and_list(tmp)
    print(f"(peak RSS of this process {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024:.0f} MB)")


if __name__ == "__main__":
    main()
