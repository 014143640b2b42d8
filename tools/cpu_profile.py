"""Where the cleaning pipeline's CPU goes on HTML pages: a sampling profile in process time.

    python tools/cpu_profile.py [--set articles|wcxb] [--top 60]

SIGPROF fires on the process's CPU time (ITIMER_PROF), so time other jobs take from a shared
machine is not counted. Python runs a signal handler only between bytecodes, so a sample that
lands inside a long C call (an lxml parse) is taken when it returns: each sample is weighted
by the CPU time since the one before, which gives C calls their time. cProfile's per-call
overhead, by contrast, inflates Python-heavy code several times over. Prints ms a page,
inclusive and self, by function. `articles`: the 181 article pages twice; `wcxb`: every
fourth wcxb-dev page (340).
"""
from __future__ import annotations

import argparse
import signal
import sys
import time
from collections import Counter
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))


class Sampler:
    def __init__(self, interval: float = 0.001):
        self.interval = interval
        self.inclusive: Counter = Counter()
        self.own: Counter = Counter()
        self.total = 0
        self._last = 0.0

    def _sample(self, signum, frame) -> None:
        now = time.process_time()
        weight = round((now - self._last) / self.interval) or 1
        self._last = now
        self.total += weight
        seen, first = set(), True
        while frame is not None:
            code = frame.f_code
            key = f"{code.co_filename.rsplit('site-packages/', 1)[-1]}:{code.co_firstlineno}({code.co_name})"
            if first:
                self.own[key] += weight
                first = False
            if key not in seen:
                self.inclusive[key] += weight
                seen.add(key)
            frame = frame.f_back

    def start(self) -> None:
        self._last = time.process_time()
        signal.signal(signal.SIGPROF, self._sample)
        signal.setitimer(signal.ITIMER_PROF, self.interval, self.interval)

    def stop(self) -> None:
        signal.setitimer(signal.ITIMER_PROF, 0, 0)

    def report(self, pages: int, top: int) -> None:
        def ms(n: int) -> float:
            return 1000 * self.interval * n / pages

        print(f"sampled {ms(self.total):.2f} ms a page")
        for title, counts in (("inclusive", self.inclusive), ("self", self.own)):
            print(f"--- {title}, ms a page")
            for key, n in counts.most_common(top):
                print(f"{ms(n):8.3f}  {key}")


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tools/cpu_profile.py")
    parser.add_argument("--set", dest="which", choices=("articles", "wcxb"), default="articles")
    parser.add_argument("--top", type=int, default=60)
    args = parser.parse_args(argv)
    from tools.page_sets import warm_pipeline_and_pages

    pipeline, raws = warm_pipeline_and_pages(args.which, 2)
    sampler = Sampler()
    t0 = time.process_time()
    sampler.start()
    for raw in raws:
        pipeline.run(raw)
    sampler.stop()
    print(f"{args.which}: {len(raws)} pages, {1000 * (time.process_time() - t0) / len(raws):.2f} ms CPU a page")
    sampler.report(len(raws), args.top)


if __name__ == "__main__":
    main()
