"""What listing the extractor's left-out blocks in `removed` costs (issue 19).

CPU time a page of the HTML step on the 181 article-extraction pages, with the left-out
pass and without it (the same pipeline, the pass replaced by one returning nothing),
alternating page by page and which goes first, over several rounds: the median of the
rounds' ratios and the added milliseconds a page. The pass is also timed on its own.
"""
from __future__ import annotations

import gzip
import statistics
import time

from deboil.cleaners.html import extract
from deboil.cleaners.steps import default_pipeline
from deboil.models import RawPage

from .paths import find_shared

ROUNDS = 5


def _pages() -> list[RawPage]:
    folder = find_shared() / "bench" / "article-extraction" / "html"
    return [RawPage(url=f"file://{p}", body=gzip.decompress(p.read_bytes()))
            for p in sorted(folder.glob("*.html.gz"))]


def main() -> None:
    pages = _pages()
    pipeline = default_pipeline()
    real = extract.left_out
    alone = [0.0]

    def timed(*args):
        t0 = time.process_time()
        try:
            return real(*args)
        finally:
            alone[0] += time.process_time() - t0

    for raw in pages:  # warm-up: models, caches
        pipeline.run(raw)
    on_rounds, off_rounds, alone_rounds = [], [], []
    try:
        for r in range(ROUNDS):
            on = off = 0.0
            alone[0] = 0.0
            for i, raw in enumerate(pages):
                order = (True, False) if (i + r) % 2 == 0 else (False, True)
                for with_pass in order:
                    extract.left_out = timed if with_pass else (lambda *a: [])
                    t0 = time.process_time()
                    pipeline.run(raw)
                    spent = time.process_time() - t0
                    if with_pass:
                        on += spent
                    else:
                        off += spent
            on_rounds.append(on)
            off_rounds.append(off)
            alone_rounds.append(alone[0])
    finally:
        extract.left_out = real
    n = len(pages)
    ratio = statistics.median(a / b for a, b in zip(on_rounds, off_rounds))
    added = statistics.median((a - b) / n * 1000 for a, b in zip(on_rounds, off_rounds))
    print(f"{n} article pages, {ROUNDS} interleaved rounds, CPU time a page (medians)")
    print(f"  without left-out pass (baseline) {statistics.median(off_rounds) / n * 1000:7.2f} ms")
    print(f"  with left-out pass               {statistics.median(on_rounds) / n * 1000:7.2f} ms"
          f"   ratio {ratio:.3f}, added {added:+.2f} ms")
    print(f"  the pass alone                   {statistics.median(alone_rounds) / n * 1000:7.2f} ms")


if __name__ == "__main__":
    main()
