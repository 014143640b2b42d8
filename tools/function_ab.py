"""In-process A/B of one function of the HTML pipeline between two checkouts, on the inputs
the pipeline really gives it: one pass of this checkout's pipeline over the page set records
every call's arguments, then the old checkout's copy of the module and this one's are timed
on them in interleaved rounds (CPU time), after checking they return the same on every call.

    python tools/function_ab.py OLD_TREE deboil.cleaners.encoding.mojibake repair_mojibake [--set wcxb]

The old module is loaded from OLD_TREE's file under another name (its own imports come from
this checkout), so a function whose module's imports changed between the two cannot be
compared so. `articles`: the 181 article pages once; `wcxb`: every fourth wcxb-dev page.
"""
from __future__ import annotations

import argparse
import copy
import importlib
import importlib.util
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from tools.ab_rounds import interleaved, report  # noqa: E402
from tools.page_sets import warm_pipeline_and_pages  # noqa: E402  (imports deboil only when called)


def old_module(tree: Path, dotted: str):
    """OLD_TREE's copy of the module `dotted` (e.g. deboil.cleaners.html.left_out), loaded
    under another name beside this checkout's."""
    path = tree / (dotted.replace(".", "/") + ".py")
    spec = importlib.util.spec_from_file_location(f"old_{dotted}", path)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def on_each_call(which: str, namespace, name: str, on_call) -> None:
    """One pass of this checkout's pipeline over the set, `on_call(*args, **kwargs)` before
    each call of `namespace.name` (the namespace the pipeline looks the function up in)."""
    pipeline, raws = warm_pipeline_and_pages(which, 1)
    original = getattr(namespace, name)
    # the modules that imported it by name (`from ... import name`) hold it too
    holders = [namespace, *(m for key, m in list(sys.modules.items())
                            if key.startswith("deboil") and m is not namespace
                            and getattr(m, name, None) is original)]

    def wrapped(*args, **kwargs):
        on_call(*args, **kwargs)
        return original(*args, **kwargs)

    for holder in holders:
        setattr(holder, name, wrapped)
    try:
        for raw in raws:
            pipeline.run(raw)
    finally:
        for holder in holders:
            setattr(holder, name, original)


def recorded_calls(which: str, module, name: str) -> list[tuple]:
    """The (args, kwargs) of every call of `module.name` in one pipeline pass over the set."""
    calls = []
    # copied before the call: it may change them
    on_each_call(which, module, name, lambda *a, **kw: calls.append(copy.deepcopy((a, kw))))
    return calls


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(prog="tools/function_ab.py")
    parser.add_argument("old", type=Path)
    parser.add_argument("module")
    parser.add_argument("function")
    parser.add_argument("--set", dest="which", choices=("articles", "wcxb"), default="articles")
    parser.add_argument("--rounds", type=int, default=7)
    parser.add_argument("--repeat", type=int, default=3, help="passes over the calls a round")
    args = parser.parse_args(argv)
    module = importlib.import_module(args.module)
    calls = recorded_calls(args.which, module, args.function)
    if not calls:
        sys.exit(f"{args.function} was never called on the {args.which} pages")
    old, new = getattr(old_module(args.old, args.module), args.function), getattr(module, args.function)
    for a, kw in calls:
        assert old(*a, **kw) == new(*a, **kw), f"outputs differ on a call of {args.function}"

    def measure(function, slot: int) -> float:
        start = time.process_time()
        for _ in range(args.repeat):
            for a, kw in calls:
                function(*a, **kw)
        return 1000 * (time.process_time() - start) / args.repeat / len(calls)

    olds, news = interleaved(measure, old, new, args.rounds)
    print(f"{len(calls)} calls, the same output on each")
    print(report(f"{args.which}, {args.function} in-process", olds, news).replace("ms/page", "ms/call"))


if __name__ == "__main__":
    main()
