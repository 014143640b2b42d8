"""Block table of the article-extraction pages (181 news and blog pages), as block_table's.

    PYTHONPATH=. python -m tools.html_article_blocks [--cache DIR]

Per page: the rules' reading (block model off) and the DOM pass, each block's features and
label (share of its 3-word shingles in the page's articleBody), the detected type, and the
page's domain (from its URL), so the block model can be trained and grouped-CV'd on both
development sets. Written to DIR/article-blocks-deboil-dom.pkl (not named blocks-*.pkl:
train_html_blocks.table_for takes such a file for wcxb-dev's table).
"""
from __future__ import annotations

import argparse
import gzip
import json
import pickle
import re
from pathlib import Path

import numpy as np
from trafilatura.utils import load_html

from bench.paths import find_shared
from deboil.cleaners.html.fallback import dom_blocks
from tools.html_readings import rules_reading
from tools.train_html_blocks import page_blocks


def main(argv=None) -> None:
    ap = argparse.ArgumentParser()
    ap.add_argument("--cache", default="/work/cache-html")
    args = ap.parse_args(argv)
    base = find_shared() / "bench" / "article-extraction"
    truth = json.loads((base / "ground-truth.json").read_text())
    table = {}
    for key in sorted(truth):
        url = truth[key].get("url") or ""
        html = gzip.decompress((base / "html" / f"{key}.html.gz").read_bytes()).decode("utf-8", errors="replace")
        rec = rules_reading(html, url)
        tree = load_html(html)
        dom = "\n".join(dom_blocks(tree)) if tree is not None else ""
        texts, X, y = page_blocks(html, {"deboil": rec["deboil"], "dom": dom}, rec["deboil_type"],
                                  truth[key]["articleBody"])
        host = re.sub(r"^https?://(www\.)?", "", url).split("/")[0] or key
        table[key] = {"texts": texts, "X": X.astype(np.float32), "y": y.astype(np.float32),
                      "truth": truth[key]["articleBody"], "type": "news", "domain": host,
                      "deboil": rec["deboil"], "deboil_type": rec["deboil_type"]}
    out = Path(args.cache) / "article-blocks-deboil-dom.pkl"
    out.write_bytes(pickle.dumps(table))
    print(f"wrote {out}: {len(table)} pages")


if __name__ == "__main__":
    main()
