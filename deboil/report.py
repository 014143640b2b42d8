"""Human-readable summaries printed at the end of a run and by `stats`."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table


def print_stats(stats: dict, console: Console, title: str = "deboil corpus") -> None:
    t = Table(title=title, show_header=False, title_justify="left")
    t.add_column(style="bold")
    t.add_column()
    t.add_row("pages", str(stats["pages"]))
    t.add_row("versions", str(stats["versions"]))
    if "copies" in stats:
        t.add_row("copies", f"{stats['copies']} (of {stats['dup_clusters']} texts stored more than once)")
    t.add_row("languages", _pairs(stats["by_lang"]))
    t.add_row("sites", _pairs(stats["by_site"]))
    t.add_row("issue codes", _pairs(stats["issues"]) or "none")
    t.add_row("removed (why)", _pairs(stats["removed_reasons"]) or "none")
    t.add_row("words kept", f"{stats['words_kept']:,}")
    t.add_row("words removed", f"{stats['words_removed']:,}")
    t.add_row("failures", _pairs(stats["failures"]) or "none")
    console.print(t)


def print_steps(result, console: Console) -> None:
    """Time per cleaning step of a run (also stored in `runs.steps`)."""
    if result.steps and any(s["pages"] for s in result.steps.values()):
        t = Table(title="what each cleaning step did", title_justify="left")
        for col in ("step", "seconds", "pages", "changed", "ms/page", "issues added", "lines removed"):
            t.add_column(col, justify="left" if col in ("step", "issues added", "lines removed") else "right")
        for name, s in result.steps.items():
            ms = 1000 * s["seconds"] / s["pages"] if s["pages"] else 0.0
            t.add_row(name, f"{s['seconds']:.2f}", str(s["pages"]), str(s["changed"]), f"{ms:.1f}",
                      _pairs(s.get("issues", {})), _pairs(s.get("removed", {})))
        console.print(t)


def _pairs(d: dict) -> str:
    return ", ".join(f"{k} {v}" for k, v in d.items())
