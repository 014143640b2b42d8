"""`make bench`: every section prints its figures beside baselines measured in the same run.

Usage: python -m bench [section ...] [-- option ...]
  sections: html html_cv captures captures_cv capture_short html_short html_articles encoding language speed distributed export dups left_out
  options after `--` go to every section named (e.g. `python -m bench html_cv -- --cache DIR`);
  `python -m bench.SECTION --help` lists a section's options.
"""
from __future__ import annotations

import importlib
import sys
import time

SECTIONS = ["html", "html_cv", "captures", "captures_cv", "capture_short", "html_short", "html_articles", "encoding", "language", "speed", "distributed", "export", "dups", "left_out"]


def split_args(argv: list[str]) -> tuple[list[str], list[str]]:
    """(sections, options): the options are what follows `--`. An option before `--` is an
    error, not a section name: it used to be taken for one and the section ran without it."""
    cut = argv.index("--") if "--" in argv else len(argv)
    sections, options = argv[:cut], argv[cut + 1:]
    stray = [a for a in sections if a.startswith("-")]
    if stray:
        raise SystemExit(f"bench: {' '.join(stray)}: section options go after `--` "
                         f"(python -m bench SECTION -- {' '.join(stray)} ...)")
    return sections or SECTIONS, options


def main(argv: list[str]) -> int:
    wanted, options = split_args(argv)
    for name in wanted:
        try:
            module = importlib.import_module(f"bench.{name}")
        except ModuleNotFoundError as exc:
            print(f"== {name}: not available ({exc})")
            continue
        print(f"\n== {name} " + "=" * (70 - len(name)), flush=True)
        t0 = time.perf_counter()
        sys.argv = [f"bench.{name}", *options]  # sections parse their own options from sys.argv
        module.main()
        print(f"({name}: {time.perf_counter() - t0:.0f}s)", flush=True)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
