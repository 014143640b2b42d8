"""Does a learned page-type classifier beat the hand cues (pagetype.detect_page_type) out of fold?

    PYTHONPATH=. python -m tools.page_type_cv [--features FILE]        # type accuracy
    PYTHONPATH=. python -m tools.page_type_cv --reread COPY             # COPY: a copy of the html cache
    PYTHONPATH=. python -m tools.page_type_cv --score CACHE COPY [--pages FILE]   # word F1 (~10 min)
    PYTHONPATH=. python -m tools.page_type_cv --pages FILE --mix BASE COPY OUT   # forest's type for some types only

Every wcxb-dev page (1,358, true type in metadata.json) and every article-extraction page
(181, all articles) is parsed as extract_html parses it, up to the type guess; there the
hand cues' guess and a feature row are taken: each cue's raw value (JSON-LD type counts,
og:type, URL path words per kind, date in the path, slug, home page, docs generator, <pre>,
<article>, <time>, cart buttons) rather than its weighted points, plus cheap DOM counts
(tags, words, link words, the largest group of repeated sibling "cards"). A one-vs-rest
boosted forest per type (tools.gbdt_fit), argmax of the margins, is fitted and scored with
domain-grouped 5-fold CV (bench.html_cv.group_folds); a variant also reads the hand cues'
per-type points. Printed: accuracy per true type beside the hand cues, both confusion
matrices, and how many article-extraction pages a forest fitted on all of wcxb-dev calls
non-article. `--reread` re-reads, in a copy of the html cache, the pages whose out-of-fold
type (+ hand points) differs from the hand cues'; `--score` prints bench.html_cv's shipped
word F1 for caches side by side. docs/html-learned.md item 11.
"""
from __future__ import annotations

import argparse
import gzip
import json
import re
from collections import Counter
from pathlib import Path

import numpy as np

from bench.html_cv import group_folds
from bench.paths import find_shared
from deboil.cleaners.html import extract as deboil_html
from deboil.cleaners.html import pagetype as pt
from deboil.models import CleanPage, Context

TYPES = pt.TYPES
LD_NAMES = sorted({t for w in pt._LD_WEIGHTS.values() for t in w} |
                  {"Question", "FAQPage", "WebPage", "ListItem", "BreadcrumbList", "Recipe", "Event",
                   "Organization", "Person", "Offer", "AggregateRating", "Review", "Comment", "SearchResultsPage"})
OG_NAMES = ("article", "product", "product.item", "product.group", "website", "book", "profile", "video", "other")
TAGS = ("a", "p", "li", "ul", "h1", "h2", "h3", "h4", "img", "form", "input", "button", "table", "tr", "pre",
        "code", "article", "section", "time", "nav", "aside", "footer", "blockquote", "figure", "select",
        "iframe", "dl", "textarea")
PRICE = re.compile(r"[$€£¥₹]\s?\d|\d[\d.,]*\s?(?:€|\$|£|USD|EUR|GBP)\b")


class _Stop(Exception):
    pass


def feature_names() -> list[str]:
    return ([f"ld_{t}" for t in LD_NAMES] + ["ld_products", "ld_items"] + [f"og_{o}" for o in OG_NAMES] +
            [f"path_{k}" for k in pt._PATH_WORDS] + [f"last_{k}" for k in pt._PATH_WORDS] +
            ["segments", "date_in_path", "slug_list_of", "slug_words", "home", "file_url", "docs_generator",
             "carts"] + [f"n_{t}" for t in TAGS] +
            ["words", "link_words", "link_share", "card_max", "card_groups", "card_words_share", "prices",
             "comment_classes", "post_classes", "product_classes"])


def hand_points(tree, sig, url) -> dict:
    """The hand cues' points per type (detect_page_type's Counter), for the variant."""
    seen: dict = {}
    real = pt.Counter

    class Spy(Counter):
        def __init__(self, *a, **k):
            super().__init__(*a, **k)
            seen.setdefault("score", self)  # the first Counter made is the points

    pt.Counter = Spy
    try:
        kind = pt.detect_page_type(tree, sig, url)
    finally:
        pt.Counter = real
    score = seen["score"]
    return kind, [float(score.get(t, 0)) for t in TYPES]


def page_features(tree, sig, url: str) -> list[float]:
    ld = Counter(sig.ld_types)
    row = [float(ld.get(t, 0)) for t in LD_NAMES]
    row += [float(ld.get("Product", 0) + ld.get("ProductGroup", 0)), float(len(sig.ld_types))]
    og = (sig.first_meta("og:type") or "").lower()
    row += [float(og == o) for o in OG_NAMES[:-1]] + [float(bool(og) and og not in OG_NAMES)]
    segs = pt._path_segments(url)
    head, last = segs[:-1], segs[-1:]
    row += [float(any(s in words for s in head)) for words in pt._PATH_WORDS.values()]
    row += [float(any(s in words for s in last)) for words in pt._PATH_WORDS.values()]
    slug = pt._SLUG_SPLIT.split(segs[-1].rsplit(".", 1)[0]) if segs else []
    row += [float(len(segs)), float(bool(pt._DATE_IN_PATH.search(url or ""))), float(slug[:2] == ["list", "of"]),
            float(len(slug)), float(url.startswith("http") and not segs), float(url.startswith("file:")),
            float(bool(pt._DOCS_GENERATOR.search(sig.first_meta("generator") or ""))),
            float(sum(pt._is_cart(el) for el in tree.iter("button", "a", "input")))]
    tags: Counter = Counter()
    card_max, card_groups, card_words = 0, 0, 0
    classes = Counter()
    for el in tree.iter():
        if not isinstance(el.tag, str):
            continue
        tags[el.tag] += 1
        cls = (el.get("class") or "").lower()
        if cls:
            classes["comment"] += "comment" in cls
            classes["post"] += "post" in cls or "reply" in cls
            classes["product"] += "product" in cls
        kids = Counter((c.tag, c.get("class")) for c in el if isinstance(c.tag, str) and c.tag not in ("br", "option"))
        if kids:
            (key, n), = kids.most_common(1)
            if n >= 4 and key[0] not in ("p", "span", "tr", "td"):
                card_groups += 1
                if n > card_max:
                    card_max = n
                    card_words = sum(len(c.text_content().split()) for c in el
                                     if isinstance(c.tag, str) and (c.tag, c.get("class")) == key)
    body = tree.find(".//body")
    text = (body if body is not None else tree).text_content()
    words = len(text.split())
    link_words = sum(len((a.text_content() or "").split()) for a in tree.iter("a"))
    row += [float(tags[t]) for t in TAGS]
    row += [float(words), float(link_words), link_words / max(words, 1), float(card_max), float(card_groups),
            card_words / max(words, 1), float(len(PRICE.findall(text))), float(classes["comment"]),
            float(classes["post"]), float(classes["product"])]
    return row


def page_rows(html: str, url: str) -> dict:
    """The hand guess, its points and the feature row, on the tree and url extract_html types."""
    out: dict = {}
    real = deboil_html.detect_page_type

    def spy(tree, sig, cues):
        out["hand"], out["points"] = hand_points(tree, sig, cues)
        out["x"] = page_features(tree, sig, cues)
        raise _Stop

    deboil_html.detect_page_type = spy
    try:
        deboil_html.extract_html(CleanPage(url=url or "file:///page.html", document=html), Context())
    except _Stop:
        pass
    finally:
        deboil_html.detect_page_type = real
    return out


def collect(shared: Path) -> list[dict]:
    from tools.html_readings import pages
    base = shared / "bench" / "wcxb-dev"
    meta = json.loads((base / "metadata.json").read_text())
    rows = []
    for which in ("wcxb", "article"):
        for key, url, path in pages(shared, which):
            html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
            rec = page_rows(html, url)
            if which == "wcxb":
                rec.update(set="wcxb", id=key, type=meta[key]["page_type"], domain=meta[key]["domain"])
            else:
                rec.update(set="article", id=key, type="article", domain="")
            rows.append(rec)
    return rows


def fit_types(X, y, trees, depth):
    from tools.gbdt_fit import fit_forest
    w = np.ones(len(y))
    return [fit_forest(X, (y == t).astype(float), w, trees=trees, depth=depth) for t in TYPES]


def predict_types(forests, X) -> np.ndarray:
    margins = np.column_stack([f.margin(X) for f in forests])
    return np.array(TYPES)[margins.argmax(axis=1)]


def confusion(true, pred, title) -> None:
    print(f"{title}: rows true type, columns guessed ({', '.join(t[:4] for t in TYPES)})")
    for t in TYPES:
        cells = [int(((true == t) & (pred == p)).sum()) for p in TYPES]
        print(f"  {t:14}" + "".join(f"{c:6}" for c in cells))


def reread(cache: Path, types: dict[str, str]) -> None:
    """The pages whose type `types` changes, read again by the rules under that type, their
    block rows rebuilt: `cache` (a copy of the shipped cache) then feeds bench.html_cv."""
    import pickle
    from tools.html_readings import pages, rules_reading
    from tools.train_html_blocks import page_blocks
    readings = cache / "readings-wcxb.jsonl"
    recs = [json.loads(line) for line in readings.open()]
    changed = {r["id"] for r in recs if types[r["id"]] != r["deboil_type"]}
    print(f"re-reading {len(changed)} pages whose type changes", flush=True)
    (table_path,) = cache.glob("blocks-*.pkl")
    columns = tuple(table_path.stem[len("blocks-"):].split("-"))
    table = pickle.loads(table_path.read_bytes())
    paths = {key: (url, path) for key, url, path in pages(find_shared(), "wcxb")}
    real = deboil_html.detect_page_type
    for rec in recs:
        if rec["id"] not in changed:
            continue
        url, path = paths[rec["id"]]
        html = gzip.decompress(path.read_bytes()).decode("utf-8", errors="replace")
        deboil_html.detect_page_type = lambda tree, sig, cues, kind=types[rec["id"]]: kind
        try:
            rec.update(rules_reading(html, url))
        finally:
            deboil_html.detect_page_type = real
        texts, X, y = page_blocks(html, {c: rec[c] for c in columns}, rec["deboil_type"], table[rec["id"]]["truth"])
        table[rec["id"]].update(texts=texts, X=X.astype(np.float32), y=y.astype(np.float32))
    readings.write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
    table_path.write_bytes(pickle.dumps(table))


def score(caches: list[str], pages_out: str | None) -> None:
    """bench.html_cv's shipped column (4 decimals) for each cache, fold by fold, per true type,
    and on the pages whose detected type differs between the first cache and each other."""
    from bench.html_cv import cross_validate_edits, ensure_readings
    from bench.scoring import word_f1
    runs = []
    for c in caches:
        recs = ensure_readings(Path(c))
        keys, folds, texts, _, table = cross_validate_edits(Path(c), recs)
        f1 = np.array([word_f1(texts["shipped"][k], table[k]["truth"]) for k in keys])
        runs.append((c, recs, f1))
    true = np.array([table[k]["type"] for k in keys])
    if pages_out:
        Path(pages_out).write_text(json.dumps({"keys": keys, "folds": folds.tolist(), "true": true.tolist(), "runs": [
            {"cache": c, "f1": f1.tolist(), "types": [recs[k]["deboil_type"] for k in keys]} for c, recs, f1 in runs]}))
    print("word F1 out of fold, shipped model: " + " | ".join(c for c, _, _ in runs))
    for label, m in [("all", np.ones(len(keys), bool)), *((f"fold {f + 1}", folds == f) for f in range(5)),
                     *((t, true == t) for t in TYPES)]:
        print(f"  {label:14} n={int(m.sum()):4}  " + " | ".join(f"{f1[m].mean():.4f}" for _, _, f1 in runs))
    base_recs = runs[0][1]
    for c, recs, f1 in runs[1:]:
        m = np.array([recs[k]["deboil_type"] != base_recs[k]["deboil_type"] for k in keys])
        print(f"  pages re-typed in {c}: n={int(m.sum())}  {runs[0][2][m].mean():.4f} -> {f1[m].mean():.4f}")
        for t in TYPES:
            mt = m & (true == t)
            if mt.any():
                print(f"    true {t:14} n={int(mt.sum()):4}  {runs[0][2][mt].mean():.4f} -> {f1[mt].mean():.4f}")


def kept_types(d: dict) -> list[list[str]]:
    """Per fold: the forest-guessed types whose re-typed training pages gained word F1."""
    folds, (base, new) = np.array(d["folds"]), d["runs"]
    gain = np.array(new["f1"]) - np.array(base["f1"])
    guess = np.array(new["types"])
    changed = np.array(base["types"]) != guess
    return [[t for t in TYPES if gain[(folds != f) & changed & (guess == t)].sum() > 0] for f in range(5)]


def mix(path: str, base: Path, retyped: Path, out: Path) -> None:
    """A cache holding, per page, the re-typed record only where its fold keeps the forest's
    guess (kept_types), else the hand cues' record: `--score` then scores it exactly."""
    import pickle
    d = json.loads(Path(path).read_text())
    kept = kept_types(d)
    fold_of = dict(zip(d["keys"], d["folds"]))
    new_recs = {r["id"]: r for r in map(json.loads, (retyped / "readings-wcxb.jsonl").open())}
    (table_path,) = retyped.glob("blocks-*.pkl")
    new_table = pickle.loads(table_path.read_bytes())
    table = pickle.loads((base / table_path.name).read_bytes())
    recs = [json.loads(line) for line in (base / "readings-wcxb.jsonl").open()]
    n = 0
    for i, rec in enumerate(recs):
        key = rec["id"]
        new = new_recs[key]
        if new["deboil_type"] != rec["deboil_type"] and new["deboil_type"] in kept[fold_of[key]]:
            recs[i], table[key] = new, new_table[key]
            n += 1
    out.mkdir(parents=True, exist_ok=True)
    (out / "readings-wcxb.jsonl").write_text("".join(json.dumps(r, ensure_ascii=False) + "\n" for r in recs))
    (out / table_path.name).write_bytes(pickle.dumps(table))
    print(f"{n} pages re-typed; kept per fold: {kept}")


def adopt_by_type(path: str) -> None:
    """Per fold: keep the forest's guess only where it names a type whose re-typed training
    pages gained word F1 (first run: hand cues, second: forest), score the held-out fold.
    Approximate: both runs' block models saw every re-typed training page as re-typed."""
    d = json.loads(Path(path).read_text())
    folds, (base, new) = np.array(d["folds"]), d["runs"]
    f0, f1 = np.array(base["f1"]), np.array(new["f1"])
    guess = np.array(new["types"])
    changed = np.array(base["types"]) != guess
    out = f0.copy()
    for f in range(5):
        train, test = folds != f, folds == f
        kept = [t for t in TYPES if (f1 - f0)[train & changed & (guess == t)].sum() > 0]
        m = test & changed & np.isin(guess, kept)
        out[m] = f1[m]
        print(f"  fold {f + 1}: forest's guess kept for {kept}: {f0[test].mean():.4f} -> {out[test].mean():.4f}")
    print(f"  all: {f0.mean():.4f} -> {out.mean():.4f} (forest everywhere {f1.mean():.4f})")


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--features", default="/work/cache-html-pagetype/page-type-features.jsonl",
                    help="cache of the feature rows (written when missing)")
    ap.add_argument("--trees", type=int, default=150)
    ap.add_argument("--depth", type=int, default=3)
    ap.add_argument("--reread", metavar="CACHE",
                    help="a copy of the html cache: re-read the pages whose out-of-fold forest type "
                         "(with hand points) differs from the hand cues', for bench.html_cv --cache CACHE")
    ap.add_argument("--pages", help="with --score: write each page's F1 and type per cache here; "
                    "alone: adopt the forest's type only for the guessed types that gained in the training folds")
    ap.add_argument("--mix", nargs=3, metavar=("BASE", "RETYPED", "OUT"),
                    help="with --pages: write OUT, the re-typed pages of the kept types only")
    ap.add_argument("--score", nargs="+", metavar="CACHE", help="html_cv's shipped word F1 over these caches")
    args = ap.parse_args(argv)
    if args.score:
        score(args.score, args.pages)
        return
    if args.pages and args.mix:
        mix(args.pages, Path(args.mix[0]), Path(args.mix[1]), Path(args.mix[2]))
        return
    if args.pages:
        adopt_by_type(args.pages)
        return
    path = Path(args.features)
    if path.exists():
        rows = [json.loads(line) for line in path.open()]
    else:
        rows = collect(find_shared())
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("".join(json.dumps(r) + "\n" for r in rows))
    dev = [r for r in rows if r["set"] == "wcxb"]
    art = [r for r in rows if r["set"] == "article"]
    y = np.array([r["type"] for r in dev])
    hand = np.array([r["hand"] for r in dev])
    folds = group_folds([r["domain"] for r in dev])
    variants = {"raw cues + DOM": lambda rs: np.array([r["x"] for r in rs]),
                "raw cues + DOM + hand points": lambda rs: np.array([r["x"] + r["points"] for r in rs])}
    preds = {}
    for name, make in variants.items():
        X = make(dev)
        pred = np.empty(len(dev), dtype=object)
        for f in range(5):
            tr, te = folds != f, folds == f
            pred[te] = predict_types(fit_types(X[tr], y[tr], args.trees, args.depth), X[te])
        preds[name] = pred.astype(str)
    if args.reread:
        oof = preds["raw cues + DOM + hand points"]
        reread(Path(args.reread), {r["id"]: t for r, t in zip(dev, oof)})
        return
    print(f"wcxb-dev ({len(dev)} pages), page-type accuracy, domain-grouped 5-fold CV "
          f"(forests {args.trees} trees depth {args.depth}, fitted on the other folds)")
    names = ["hand cues", *preds]
    print("  " + " | ".join(names))
    for t in [None, *TYPES]:
        m = np.ones(len(y), bool) if t is None else y == t
        cells = [f"{(hand[m] == y[m]).mean():.3f}"] + [f"{(p[m] == y[m]).mean():.3f}" for p in preds.values()]
        print(f"  {t or 'all':14} n={int(m.sum()):4}  " + " | ".join(cells))
    for f in range(5):
        m = folds == f
        cells = [f"{(hand[m] == y[m]).mean():.3f}"] + [f"{(p[m] == y[m]).mean():.3f}" for p in preds.values()]
        print(f"  fold {f + 1:<9} n={int(m.sum()):4}  " + " | ".join(cells))
    confusion(y, hand, "hand cues")
    for name, p in preds.items():
        confusion(y, p, f"forest ({name}), out of fold")
    for name, make in variants.items():
        forests = fit_types(make(dev), y, args.trees, args.depth)
        p = predict_types(forests, make(art))
        hand_art = Counter(r["hand"] for r in art)
        print(f"article-extraction ({len(art)} articles), forest ({name}) fitted on all wcxb-dev: "
              f"{int((p != 'article').sum())} called non-article {dict(Counter(p[p != 'article']))}; "
              f"hand cues: {sum(v for k, v in hand_art.items() if k != 'article')} non-article")


if __name__ == "__main__":
    main()
