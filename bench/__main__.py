"""`make bench`: every section prints its figures beside baselines measured in the same run.

Usage: python -m bench [section ...]   (sections: html html_cv captures captures_cv capture_short encoding language speed distributed export dups left_out)
"""
from __future__ import annotations

import importlib
import sys
import time

SECTIONS = ["html", "html_cv", "captures", "captures_cv", "capture_short", "encoding", "language", "speed", "distributed", "export", "dups", "left_out"]


def main(argv: list[str]) -> int:
    wanted = argv or SECTIONS
    for name in wanted:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            print(f"== {name}: not available ({exc})")
            continue
        print(f"\n== {name} " + "=" * (70 - len(name)), flush=True)
        t0 = time.perf_counter()
        sys.argv = [f"bench.{name}"]  # sections parse their own options; give them none
        module.main()
        print(f"({name}: {time.perf_counter() - t0:.0f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
