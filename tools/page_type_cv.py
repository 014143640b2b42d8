"""Does a learned page-type classifier beat the hand cues (pagetype.detect_page_type) out of fold?

    PYTHONPATH=. python -m tools.page_type_cv [--features FILE]

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
non-article. docs/html-learned.md item 11.
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


def main(argv=None) -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--features", default="/work/cache-html-pagetype/page-type-features.jsonl",
                    help="cache of the feature rows (written when missing)")
    ap.add_argument("--trees", type=int, default=150)
    ap.add_argument("--depth", type=int, default=3)
    args = ap.parse_args(argv)
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
