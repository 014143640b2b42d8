"""The `deboil` command: a thin layer over crawler/, cleaners/ and db/."""
from __future__ import annotations

import json
import os
import sys

import click
from rich.console import Console

from db import Store, UnusableDatabase
from db import export as exporting
from db import queries

from .report import print_run, print_stats

DEFAULT_DB = "deboil.db"
EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2

db_option = click.option(
    "--db", "db_path", envvar="DEBOIL_DB", default=DEFAULT_DB, show_default=True,
    help="SQLite database file (or set DEBOIL_DB).",
)


def open_store(path: str, readonly: bool = False) -> Store:
    if readonly and not os.path.exists(path):
        raise click.ClickException(f"{path}: no such database")
    try:
        return Store(path, readonly=readonly)
    except UnusableDatabase as exc:
        raise click.ClickException(f"unusable database {exc}") from exc


def default_workers() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _progress(console: Console):
    if not console.is_terminal:
        return None

    def show(counts):
        console.print(
            f"\r  stored {counts['new'] + counts['changed'] + counts['unchanged']}"
            f"  failed {counts['failed']}  skipped {counts['skipped']}", end="")
    return show


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(package_name="deboil")
def main():
    """Turn raw web pages into clean, analysis-ready text in SQLite.

    Typical use: `deboil load PAGES/ --db corpus.db`, then `deboil search`,
    `deboil show URL`, `deboil stats` or `deboil export`.
    """
    # A usage error from click exits 2; ClickException (e.g. unusable database) too.
    click.ClickException.exit_code = EXIT_USAGE


@main.command()
@click.argument("paths", nargs=-1, required=True, type=click.Path())
@db_option
@click.option("--site", help="Site name to tag these pages with (enables template learning).")
@click.option("--workers", type=int, default=None, help="Cleaning processes [default: cores]; 0 cleans in-process.")
@click.option("--timeout", type=float, default=60.0, show_default=True, help="Seconds one page may take to clean.")
@click.option("--max-bytes", type=int, default=10 * 1024 * 1024, show_default=True, help="Larger files are refused.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def load(paths, db_path, site, workers, timeout, max_bytes, quiet):
    """Load captured pages: .html/.htm (and .gz), .txt captures, .warc(.gz) archives.

    Folders are read recursively; other files are skipped and counted. A file's url is
    file:// plus its absolute path; loading it again updates its row and adds a version
    only when the clean text changed. Exit code 0: all stored or skipped on purpose;
    1: some inputs failed (recorded in `failures`); 2: usage error or unusable database.
    """
    from crawler.files import iter_files

    from .runner import Runner
    from .templates_pass import reclean_template_sites

    console = Console(stderr=False, quiet=quiet)
    store = open_store(db_path)
    workers = default_workers() if workers is None else workers
    options = {"paths": list(paths), "site": site, "workers": workers, "timeout": timeout,
               "max_bytes": max_bytes}
    runner = Runner(store, "load", options, workers=workers, timeout=timeout,
                    progress=_progress(console))
    try:
        for item in iter_files(paths, site=site, max_bytes=max_bytes):
            runner.feed(item)
    except KeyboardInterrupt:
        runner.abort("interrupted")
        sys.exit(130)
    result = runner.finish()
    if console.is_terminal:
        console.print()
    reclean_template_sites(store, result, workers=workers, timeout=timeout)
    print_run(result, console)
    if not quiet:
        print_stats(queries.stats(store), console)
    sys.exit(result.exit_code)


@main.command()
@db_option
@click.option("--site", help="Only pages of this site.")
@click.option("--workers", type=int, default=None, help="Cleaning processes [default: cores].")
@click.option("--timeout", type=float, default=60.0, show_default=True)
def reclean(db_path, site, workers, timeout):
    """Re-run the cleaners over stored raw pages, with what has been learned since."""
    from .runner import Runner

    store = open_store(db_path)
    workers = default_workers() if workers is None else workers
    runner = Runner(store, "reclean", {"site": site, "workers": workers}, workers=workers,
                    timeout=timeout, save_raw=False)
    for raw in store.raw_pages(site=site):
        runner.feed(raw)
    result = runner.finish()
    print_run(result, Console())
    sys.exit(result.exit_code)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False, writable=True), default="-",
              show_default=True, help="File to write ('-' for stdout).")
@click.option("--site", help="Only pages of this site.")
def export(db_path, fmt, output, site):
    """Export one record per page (url, title, published, lang, text, removed, ...)."""
    store = open_store(db_path, readonly=True)
    if output == "-":
        n = exporting.write(store, sys.stdout, fmt, site)
    else:
        tmp = output + ".part"
        with open(tmp, "w", encoding="utf-8", newline="") as out:
            n = exporting.write(store, out, fmt, site)
        os.replace(tmp, output)  # a reader never sees a half-written export
    click.echo(f"exported {n} pages", err=True)


@main.command()
@click.argument("query")
@db_option
@click.option("--limit", "-n", type=int, default=10, show_default=True)
@click.option("--site", help="Only pages of this site.")
@click.option("--lang", help="Only pages in this language (ISO 639-1).")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search(query, db_path, limit, site, lang, as_json):
    """Full-text search (FTS5, best match first) with snippets."""
    store = open_store(db_path, readonly=True)
    hits = queries.search(store, query, limit=limit, site=site, lang=lang)
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for h in hits:
        click.echo(f"{h['title'] or '(no title)'}  [{h['lang']}]\n  {h['url']}\n  {h['snippet']}\n")
    if not hits:
        click.echo("no match", err=True)


@main.command()
@click.argument("url")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def show(url, db_path, as_json):
    """One page: its fields, its clean text, and what was removed and why."""
    store = open_store(db_path, readonly=True)
    row = queries.page(store, url) or queries.page(store, "file://" + os.path.abspath(url))
    if row is None:
        raise click.ClickException(f"{url}: not in {db_path}")
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False, indent=2))
        return
    for key in ("url", "site", "title", "author", "published", "updated", "page_type", "lang",
                "lang_confidence", "encoding", "encoding_source", "word_count", "version",
                "first_seen", "last_seen"):
        if row.get(key) not in (None, ""):
            click.echo(f"{key:16} {row[key]}")
    if row["issues"]:
        click.echo(f"{'issues':16} " + ", ".join(f"{k} {v}" for k, v in row["issues"].items()))
    click.echo("\n" + row["text"] + "\n")
    if row["removed"]:
        click.echo("removed:")
        for r in row["removed"]:
            click.echo(f"  [{r['reason']}] {r['text'][:160]}")
    for f in row["failures"]:
        click.echo(f"failure: {f['at']} {f['stage']}: {f['reason']}")


@main.command()
@db_option
@click.option("--json", "as_json", is_flag=True)
def stats(db_path, as_json):
    """Pages per site and language, issue counts, removal reasons, failures."""
    store = open_store(db_path, readonly=True)
    s = queries.stats(store)
    if as_json:
        click.echo(json.dumps(s, ensure_ascii=False, indent=2))
    else:
        print_stats(s, Console())


@main.command()
@db_option
@click.option("--limit", "-n", type=int, default=20, show_default=True)
@click.option("--json", "as_json", is_flag=True)
def runs(db_path, limit, as_json):
    """Recent runs with their counts, status and duration."""
    store = open_store(db_path, readonly=True)
    rows = queries.runs(store, limit)
    if as_json:
        click.echo(json.dumps(rows, ensure_ascii=False, indent=2))
        return
    for r in rows:
        counts = ", ".join(f"{k} {v}" for k, v in r["counts"].items() if v)
        click.echo(f"{r['id']:>4}  {r['started']}  {r['command']:8} {r['job'] or '':10} "
                   f"{r['status']:10} {r['duration'] or 0:8.1f}s  {counts}")


@main.command()
@db_option
@click.option("--examples", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of sample pages [default: the bundled examples/].")
def demo(db_path, examples):
    """The bundled default job: load the sample pages and print the summary."""
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    examples = examples or os.path.join(here, "examples")
    ctx = click.get_current_context()
    ctx.invoke(load, paths=(examples,), db_path=db_path, site=None, workers=None,
               timeout=60.0, max_bytes=10 * 1024 * 1024, quiet=False)


if __name__ == "__main__":
    main()
