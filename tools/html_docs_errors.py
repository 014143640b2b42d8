"""Where documentation pages lose (issue #15, docs/html-learned.md 16): an error analysis, not shipped.

    PYTHONPATH=. python -m tools.html_docs_errors [--cache DIR] [--out FILE]

For every wcxb-dev page whose truth type is documentation: word precision and recall of the
shipped text out of fold (the block model and its pair fitted on the other four folds as
bench.html_cv does, `fit_edits`), of each cached reading (trafilatura defaults / precision /
recall, the rules' reading, the DOM pass) and of the block oracle (the blocks whose 3-word
shingles are mostly in the truth). Every block of the page gets a kind (`block_kind`: code,
table, heading, list item, admonition, navigation, footer, feedback widget, version picker,
...; read from its tag, its ancestors' tags and class/id words, and its text: an analysis
label only, no model reads it). The shipped text's lost words (truth words it lacks) and
extra words are placed on the blocks that hold them, and for each kind the F1 the pages
would have if that kind's blocks alone were set as the oracle sets them (true blocks in,
the others out), holding everything else: which kinds carry the gap to the oracle.
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
from collections import Counter
from pathlib import Path

from trafilatura.utils import load_html

from bench.html_cv import dev_pages
from bench.paths import find_shared
from deboil.cleaners.html.blocks import _names_of, _shingles, reading_index, held, walk_blocks
from deboil.cleaners.html.learned import edit_lines
from tools.html_stage2_cv import study_inputs
from tools.train_html_blocks import fit_edits, model_thresholds, predict

READINGS = ("traf", "traf_precision", "traf_recall", "deboil", "dom")
_WORD = re.compile(r"\w+")
KINDS = ("feedback", "version", "breadcrumb", "prevnext", "toc", "sidebar", "nav", "footer", "header",
         "code", "table", "admonition", "heading", "list", "hidden", "text")

_FEEDBACK = re.compile(r"edit (this|on) |edit page|improve this (page|doc)|was this (page|article|helpful)|"
                       r"helpful\?|feedback|report an? (issue|problem|bug)|suggest (an )?edit|view source|"
                       r"last (updated|modified|edited)|on github|rate this", re.I)
_PREVNEXT = re.compile(r"^(«|‹|<|←)?\s*(previous|prev|next|back|older|newer)\b|\b(previous|next) (page|article|topic|chapter|section)\b|(»|›|→)$", re.I)
_VERSION_TEXT = re.compile(r"^(v(ersion)?\s*)?\d+(\.\d+)+(\s*\(?(latest|stable|current|lts|dev)\)?)?$|^(latest|stable|dev)$", re.I)
_ADMON = {"admonition", "note", "notes", "warning", "tip", "tips", "callout", "alert", "caution", "important",
          "hint", "danger", "attention", "notice", "infobox", "seealso", "deprecated", "todo"}
_CODE = {"highlight", "codehilite", "sourcecode", "codeblock", "prism", "hljs", "syntax", "literal", "shiki",
         "snippet", "console", "terminal"}
# the nearest ancestor with one of these words (or tags) decides a block's region
_CONTENT = {"content", "maincontent", "article", "markdown", "prose", "document", "documentwrapper", "body",
            "main", "md", "rst", "entry", "post", "theme"}
_TOC = {"toc", "tableofcontents", "onthispage", "pagetoc", "minitoc", "contents"}
_SIDEBAR = {"sidebar", "sidenav", "leftnav", "rightnav", "docsnav", "treeview", "drawer", "leftbar", "rightbar",
            "sphinxsidebar", "sidebarwrapper", "side"}
_BREAD = {"breadcrumb", "breadcrumbs", "crumbs", "crumb"}
_PAGER = {"pager", "pagination", "paginator", "prevnext", "navfooter", "nextprev", "prev", "previous", "next"}
_VERSION = {"version", "versions", "versionpicker", "versionswitcher"}
_FOOTER = {"footer", "colophon", "copyright", "sitefooter"}
_HEADER = {"header", "navbar", "topbar", "masthead", "banner", "topnav", "headerbar", "appbar"}
_NAV = {"nav", "navigation", "menu", "navmenu"}


def _ancestry(el, up: int = 14):
    """(tag, class/id/role words) of el and up to `up` ancestors, nearest first."""
    out = []
    while el is not None and len(out) <= up:
        ws = _names_of(el) | ({el.get("role")} if el.get("role") else set())
        out.append((el.tag if isinstance(el.tag, str) else "", ws))
        el = el.getparent()
    return out


def _region(anc) -> str:
    """The kind of page region the nearest marked ancestor says the block sits in."""
    for level, (tag, ws) in enumerate(anc):
        if tag in ("main", "article") or ws & _CONTENT:
            return "content"
        if tag == "footer" or ws & _FOOTER:
            return "footer"
        if ws & _BREAD:
            return "breadcrumb"
        if ws & _PAGER and (level <= 4 or ws & {"pager", "pagination", "prevnext", "navfooter"}):
            return "prevnext"
        if ws & _TOC:
            return "toc"
        if tag == "header" or ws & _HEADER:
            return "header"
        if tag == "aside" and not ws & _ADMON or ws & _SIDEBAR:
            return "sidebar"
        if tag == "nav" or ws & _NAV:
            return "nav"
        if ws & _VERSION and level <= 4:
            return "version"
    return "content"


def block_kind(owner, text: str, hidden: bool) -> str:
    """An analysis label for a block: its own text for widgets, else the region its nearest
    marked ancestor names, else (in the content) its own tag and its near ancestors'."""
    anc = _ancestry(owner)
    short = len(text.split()) <= 12
    if short and _FEEDBACK.search(text):
        return "feedback"
    if short and _VERSION_TEXT.match(text.strip()):
        return "version"
    region = _region(anc)
    if region != "content":
        return region
    if short and _PREVNEXT.search(text):
        return "prevnext"
    tags = {t for t, _ in anc}
    near = set().union(*(w for _, w in anc[:4]))
    if "pre" in tags or near & _CODE or owner.tag == "code":
        return "code"
    if tags & {"table", "td", "th"}:
        return "table"
    if near & _ADMON:
        return "admonition"
    if owner.tag in ("h1", "h2", "h3", "h4", "h5", "h6", "dt"):
        return "heading"
    if "li" in tags or owner.tag == "dd":
        return "list"
    if hidden:
        return "hidden"
    return "text"


def page_kinds(html: str, texts: list[str]) -> list[str]:
    """Each block's kind, the blocks walked again as the block table walked them."""
    tree = load_html(html)
    blocks = walk_blocks(tree) if tree is not None else []
    assert [b.text for b in blocks] == texts, "block walk differs from the cached table"
    out = []
    for b in blocks:
        hid = any(el.get("hidden") is not None or el.get("aria-hidden") == "true" for el in b.owner.iterancestors())
        out.append(block_kind(b.owner, b.text, hid))
    return out


def bag(text: str) -> Counter:
    return Counter(w.lower() for w in _WORD.findall(text or ""))


def prf(p: Counter, t: Counter) -> tuple[float, float, float]:
    if not p and not t:
        return 1.0, 1.0, 1.0
    tp = sum((p & t).values())
    if tp == 0:
        return 0.0, 0.0, 0.0
    P, R = tp / sum(p.values()), tp / sum(t.values())
    return P, R, 2 * P * R / (P + R)


def oof_shipped(table, recs, keys, names, lines, folds):
    """Out-of-fold shipped text and held-out block scores of every page (bench.html_cv's way)."""
    held_col = names.index("in_deboil")
    texts, scores, pairs = {}, {}, []
    for f in range(5):
        tr = [k for k, g in zip(keys, folds) if g != f]
        forest, pair, fitted = fit_edits([table[k] for k in tr], [lines[k] for k in tr], held_col, None,
                                         [recs[k]["deboil_type"] for k in tr])
        shipped = model_thresholds(fitted)
        pairs.append(pair)
        print(f"fold {f + 1}: pair {pair}", flush=True)
        for k, g in zip(keys, folds):
            if g != f:
                continue
            p = table[k]
            q = predict(forest, p)
            hb = p["X"][:, held_col] > 0.5 if len(q) else []
            d, a = shipped.get(recs[k]["deboil_type"], pair)
            texts[k] = "\n".join(edit_lines(lines[k], p["texts"], q, hb, d, a))
            scores[k] = q
    return texts, scores, pairs


CONTENT_KINDS = ("text", "code", "list", "heading", "admonition", "table")


def page_rows(key, table, readings, shipped, kinds) -> dict:
    """One page's P/R/F1 per system, lost / extra words by kind, and per kind the F1 change
    if that kind's blocks were as the oracle sets them (both ways, adds only, drops only)."""
    p = table[key]
    truth = bag(p["truth"])
    texts, y = p["texts"], p["y"]
    oracle = "\n".join(t for t, v in zip(texts, y) if v > 0.5)
    outs = {"shipped": shipped[key], **{r: readings[key][r] for r in READINGS}, "oracle": oracle}
    row = {"prf": {s: prf(bag(o), truth) for s, o in outs.items()}}
    out = bag(shipped[key])
    idx = reading_index(shipped[key])
    h = [held(_shingles(t), _WORD.findall(t.lower()), idx) for t in texts]
    bb = [bag(t) for t in texts]
    kd = kinds[key]
    lost, extra = Counter(), Counter()
    miss = truth - out  # placed on unheld blocks, true blocks first
    for i in sorted(range(len(texts)), key=lambda i: -y[i]):
        if h[i] < 0.5 and miss:
            take = bb[i] & miss
            lost[kd[i]] += sum(take.values())
            miss -= take
    lost["(in no block)"] += sum(miss.values())
    over = out - truth  # placed on held blocks, false blocks first
    for i in sorted(range(len(texts)), key=lambda i: y[i]):
        if h[i] >= 0.5 and over:
            take = bb[i] & over
            extra[kd[i]] += sum(take.values())
            over -= take
    extra["(in no block)"] += sum(over.values())
    base = prf(out, truth)[2]
    fix = {}
    for kind in KINDS:
        add, rem = Counter(), Counter()
        for b, k, v, hh in zip(bb, kd, y, h):
            if k == kind and v > 0.5 and hh < 0.5:
                add += b
            elif k == kind and v <= 0.5 and hh >= 0.5:
                rem += b
        fix[kind] = (prf(out + add - rem, truth)[2] - base, prf(out + add, truth)[2] - base,
                     prf(out - rem, truth)[2] - base)
    content = [i for i in range(len(texts)) if kd[i] in CONTENT_KINDS and h[i] >= 0.5]
    held_content = sum(len(texts[i].split()) for i in content)
    false_content = sum(len(texts[i].split()) for i in content if y[i] <= 0.5)
    row.update(lost=lost, extra=extra, fix=fix, base=base,
               selective=false_content / max(1, held_content))
    return row


def print_kinds(title: str, rows: list[dict]) -> None:
    mean = lambda xs: sum(xs) / len(xs)
    lost, extra = sum((r["lost"] for r in rows), Counter()), sum((r["extra"] for r in rows), Counter())
    gap = mean([r["prf"]["oracle"][2] - r["base"] for r in rows])
    print(f"{title}: n={len(rows)}, shipped {mean([r['base'] for r in rows]):.4f}, oracle "
          f"{mean([r['prf']['oracle'][2] for r in rows]):.4f} (gap {gap:+.4f}); lost words {sum(lost.values())}, "
          f"extra {sum(extra.values())}")
    print("  kind          lost   extra | F1 change if the kind were as the oracle: both / adds only / drops only")
    for kind in sorted(KINDS, key=lambda k: -mean([r["fix"][k][0] for r in rows])):
        print(f"  {kind:11} {lost[kind]:6} {extra[kind]:7} | " +
              " / ".join(f"{mean([r['fix'][kind][j] for r in rows]):+.4f}" for j in range(3)))
    print(f"  (in no block) {lost['(in no block)']:4} {extra['(in no block)']:7}")


def analyse(keys, table, readings, shipped, folds, kinds, types):
    """Print the P/R table, the gap's concentration, lost / extra words and oracle fixes by kind."""
    systems = ("shipped", *READINGS, "oracle")
    rows = {k: page_rows(k, table, readings, shipped, kinds) for k in keys}
    mean = lambda xs: sum(xs) / len(xs)
    print(f"documentation pages (truth type), n={len(keys)}: word P / R / F1 (mean per page)")
    for s in systems:
        P, R, F = (mean([rows[k]["prf"][s][i] for k in keys]) for i in range(3))
        print(f"  {s:15} P {P:.3f}  R {R:.3f}  F1 {F:.4f}")
    print("per fold F1, shipped | traf | rules | oracle:")
    for f in range(5):
        ks = [k for k in keys if folds[k] == f]
        print(f"  fold {f + 1} n={len(ks):2}: " + " | ".join(f"{mean([rows[k]['prf'][s][2] for k in ks]):.4f}"
                                                            for s in ("shipped", "traf", "deboil", "oracle")))
    print("by detected type: n, shipped | traf | rules | dom | oracle")
    for t in sorted(set(types.values())):
        ks = [k for k in keys if types[k] == t]
        print(f"  {t:13} n={len(ks):2}: " + " | ".join(f"{mean([rows[k]['prf'][s][2] for k in ks]):.4f}"
                                                      for s in ("shipped", "traf", "deboil", "dom", "oracle")))
    best = mean([max(rows[k]["prf"][s][2] for s in systems if s != "oracle") for k in keys])
    best_o = mean([max(rows[k]["prf"][s][2] for s in systems) for k in keys])
    print(f"the better reading per page (shipped or a cached one): {best:.4f}; with the block oracle {best_o:.4f}")
    gaps = sorted(((rows[k]["prf"]["oracle"][2] - rows[k]["base"], k) for k in keys), reverse=True)
    total = sum(g for g, _ in gaps)
    print(f"gap to the oracle, summed over pages {total:.2f} (mean {total / len(keys):+.4f}); to 0.945: "
          f"{(0.945 - mean([rows[k]['base'] for k in keys])) * len(keys):.2f}. Share in the worst pages: " +
          ", ".join(f"top {n} {sum(g for g, _ in gaps[:n]) / total:.0%}" for n in (2, 5, 10, 20)))
    sel = [k for k in keys if rows[k]["selective"] >= 0.25]
    print(f"pages whose truth leaves out >= 25 % of the main-content words the shipped text holds "
          f"(selective truth): {len(sel)}: " + ", ".join(f"{k} ({rows[k]['selective']:.0%}, "
                                                         f"gap {rows[k]['prf']['oracle'][2] - rows[k]['base']:+.2f})" for k in sel))
    print_kinds("all documentation pages", [rows[k] for k in keys])
    print_kinds("without the selective-truth pages", [rows[k] for k in keys if k not in sel])
    for t in ("documentation", "article"):
        print_kinds(f"detected {t}, without the selective-truth pages",
                    [rows[k] for k in keys if k not in sel and types[k] == t])
    print("worst pages (shipped - oracle): key, detected type, shipped P/R/F1, traf F1, rules F1, dom F1, oracle F1")
    for g, key in gaps[:20]:
        r = rows[key]["prf"]
        print(f"  {key} {types[key]:13} {r['shipped'][0]:.3f}/{r['shipped'][1]:.3f}/{r['shipped'][2]:.3f} "
              f"{r['traf'][2]:.3f} {r['deboil'][2]:.3f} {r['dom'][2]:.3f} {r['oracle'][2]:.3f}")
    return rows


def main(argv=None):
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html")
    ap.add_argument("--oof", default="/work/cache-docserr/oof-shipped.pkl",
                    help="cache of the out-of-fold shipped texts and block scores")
    ap.add_argument("--type", default="documentation")
    args = ap.parse_args(argv)
    cache = Path(args.cache)
    table, recs, keys, names, lines, folds = study_inputs(cache)
    oof = Path(args.oof)
    if oof.exists():
        texts, scores, pairs = pickle.loads(oof.read_bytes())
    else:
        texts, scores, pairs = oof_shipped(table, recs, keys, names, lines, folds)
        oof.parent.mkdir(parents=True, exist_ok=True)
        oof.write_bytes(pickle.dumps((texts, scores, pairs)))
    fold_of = dict(zip(keys, folds))
    docs = [k for k in keys if table[k]["type"] == args.type]
    readings = {}
    for line in (cache / "readings-wcxb.jsonl").open():
        r = json.loads(line)
        if r["id"] in docs:
            readings[r["id"]] = {s: r[s] for s in READINGS}
    base, _ = dev_pages(find_shared())
    kinds = {}
    for k in docs:
        html = gzip.decompress((base / "html" / f"{k}.html.gz").read_bytes()).decode("utf-8", "replace")
        kinds[k] = page_kinds(html, table[k]["texts"])
    types = {k: recs[k]["deboil_type"] for k in docs}
    analyse(docs, table, readings, texts, fold_of, kinds, types)


if __name__ == "__main__":
    main()
