"""The `deboil` command: a thin layer over crawler/, cleaners/ and db/."""
from __future__ import annotations

import json
import os
import sqlite3
import sys

import click
from rich.console import Console

from deboil.db import Store, UnusableDatabase
from deboil.db import export as exporting
from deboil.db import queries

from deboil.run.cores import usable_cores
from deboil.run.echo import printable, storable
from deboil.report import print_run, print_stats

DEFAULT_DB = "deboil.db"
EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 3  # `crawl`: another run of the same job holds its lock

db_option = click.option(
    "--db", "db_path", envvar="DEBOIL_DB", default=DEFAULT_DB, show_default=True,
    help="SQLite database file (or set DEBOIL_DB).",
)


class unusable_database_errors:
    """SQLite refusing to write mid-command (read-only file, full disk, a lock held past
    DEBOIL_LOCK_TIMEOUT): one line and exit 2, never a traceback. `runner`, once set, is
    stopped and its run marked, where the database still takes that much."""

    def __init__(self, path: str):
        self.path = path
        self.runner = None

    def __enter__(self):
        return self

    def __exit__(self, kind, exc, tb):
        if isinstance(exc, (UnusableDatabase, sqlite3.OperationalError)) and self.runner:
            self.runner.pool.close()
            try:
                self.runner.store.end_run(self.runner.run_id, "failed: database error",
                                          dict(self.runner.counts))
            except sqlite3.Error:
                pass  # left 'running': the next run on this host marks it killed
        if isinstance(exc, UnusableDatabase):
            raise click.ClickException(f"unusable database {exc}") from exc
        if isinstance(exc, sqlite3.OperationalError):
            raise click.ClickException(f"unusable database {self.path}: {exc}") from exc
        return False


def interrupted(runner) -> None:
    """Ctrl-C: keep what was cleaned, mark the run, one line (the workers ignore SIGINT)."""
    try:
        runner.abort("interrupted")
    except Exception:  # the database failing too must not hide why we stop
        pass
    click.echo("deboil: interrupted", err=True)
    sys.exit(130)


def open_store(path: str, readonly: bool = False) -> Store:
    if readonly and not os.path.exists(path):
        raise click.ClickException(f"{path}: no such database")
    try:
        return Store(path, readonly=readonly)
    except UnusableDatabase as exc:
        raise click.ClickException(f"unusable database {exc}") from exc


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
@click.option("--workers", type=click.IntRange(min=0), default=None, help="Cleaning processes [default: cores]; 0 cleans in-process.")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True, help="Seconds one page may take to clean.")
@click.option("--max-bytes", type=click.IntRange(min=1), default=10 * 1024 * 1024, show_default=True, help="Larger files are refused.")
@click.option("--quiet", "-q", is_flag=True, help="Print nothing but errors.")
def load(paths, db_path, site, workers, timeout, max_bytes, quiet):
    """Load captured pages: .html/.htm (and .gz), .txt captures, .warc(.gz) archives.

    Folders are read recursively; other files are skipped and counted. A file's url is
    file:// plus its absolute path; loading it again updates its row and adds a version
    only when the clean text changed. Exit code 0: all stored or skipped on purpose;
    1: some inputs failed (recorded in `failures`); 2: usage error or unusable database.
    """
    from deboil.crawler.files import iter_files

    from deboil.run.runner import Runner
    from deboil.run.templates_pass import reclean_template_sites

    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:  # a mistyped path is a usage error, not "nothing to do"
        raise click.UsageError(f"no such file or folder: {printable(missing[0])}")
    console = Console(stderr=False, quiet=quiet)
    store = open_store(db_path)
    workers = usable_cores() if workers is None else workers
    options = {"paths": [storable(p) for p in paths], "site": site, "workers": workers,
               "timeout": timeout, "max_bytes": max_bytes}
    with unusable_database_errors(db_path) as guard:
        runner = guard.runner = Runner(store, "load", options, workers=workers, timeout=timeout,
                                       progress=_progress(console))
        try:
            for item in iter_files(paths, site=site, max_bytes=max_bytes, lazy=runner.reads_files):
                runner.feed(item)
            result = runner.finish()
        except KeyboardInterrupt:
            interrupted(runner)
        except BaseException:
            runner.pool.close()
            raise
        if console.is_terminal:
            console.print()
        reclean_template_sites(store, result, workers=workers, timeout=timeout)
        print_run(result, console)
        if not quiet:
            print_stats(queries.stats(store), console)
        store.close()
    sys.exit(result.exit_code)


@main.command()
@db_option
@click.option("--site", help="Only pages of this site.")
@click.option("--workers", type=click.IntRange(min=0), default=None, help="Cleaning processes [default: cores].")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True)
def reclean(db_path, site, workers, timeout):
    """Re-run the cleaners over stored raw pages, with what has been learned since."""
    from deboil.run.runner import Runner

    store = open_store(db_path)
    workers = usable_cores() if workers is None else workers
    with unusable_database_errors(db_path) as guard:
        runner = guard.runner = Runner(store, "reclean", {"site": site, "workers": workers},
                                       workers=workers, timeout=timeout, save_raw=False)
        try:
            for raw in store.raw_pages(site=site, on_error=runner.fail):
                runner.feed(raw)
            result = runner.finish()
        except KeyboardInterrupt:
            interrupted(runner)
        except BaseException:
            runner.pool.close()
            raise
        print_run(result, Console())
        store.close()
    sys.exit(result.exit_code)


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv"]), default="jsonl", show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-",
              show_default=True, help="File to write ('-' for stdout).")
@click.option("--site", help="Only pages of this site.")
def export(db_path, fmt, output, site):
    """Export one record per page (url, title, published, lang, text, removed, ...)."""
    store = open_store(db_path, readonly=True)
    bad: list[tuple[str, str]] = []

    def skip_row(url: str, reason: str) -> None:
        bad.append((url, reason))
        click.echo(printable(f"deboil: {url}: export: {reason}"), err=True)

    try:
        if output == "-":
            n = exporting.write(store, sys.stdout, fmt, site, on_error=skip_row)
            sys.stdout.flush()
        elif os.path.exists(output) and not os.path.isfile(output):
            # A device or FIFO (/dev/null, a pipe to another program): write to it as it is;
            # renaming a file over it would replace the device node itself.
            with open(output, "w", encoding="utf-8", newline="") as out:
                n = exporting.write(store, out, fmt, site, on_error=skip_row)
        else:
            tmp = output + ".part"
            try:
                with open(tmp, "w", encoding="utf-8", newline="") as out:
                    n = exporting.write(store, out, fmt, site, on_error=skip_row)
                os.replace(tmp, output)  # a reader never sees a half-written export
            except BaseException:
                if os.path.exists(tmp):
                    os.unlink(tmp)
                raise
    except OSError as exc:
        where = "stdout" if output == "-" else output
        raise click.ClickException(f"cannot write {printable(where)}: {exc.strerror or exc}") from None
    if bad:
        _record_export_failures(db_path, bad)
    click.echo(f"exported {n} pages" + (f", {len(bad)} unreadable rows left out" if bad else ""),
               err=True)
    sys.exit(EXIT_FAILURES if bad else EXIT_OK)


def _record_export_failures(db_path: str, bad: list[tuple[str, str]]) -> None:
    """A failures row per row left out of an export, where the database can be written."""
    try:
        store = Store(db_path)
        for url, reason in bad:
            store.fail(storable(url), "export", reason)
        store.close()
    except (UnusableDatabase, sqlite3.Error, OSError):
        pass  # a read-only database: the stderr lines are the report


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
@click.option("--steps", "-s", is_flag=True,
              help="Also what each cleaning step did: pages changed, issue codes added, lines removed by reason.")
def runs(db_path, limit, as_json, steps):
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
        if steps:
            for line in step_lines(r["steps"]):
                click.echo(f"      {line}")


def step_lines(steps: dict) -> list[str]:
    """One line per step that touched a page: changed pages, issues added, removals by reason."""
    out = []
    for name, s in steps.items():
        if not s.get("pages"):
            continue
        parts = [f"{s.get('changed', 0)}/{s['pages']} pages changed"]
        if s.get("issues"):
            parts.append("issues " + ", ".join(f"{k} {v}" for k, v in s["issues"].items()))
        if s.get("removed"):
            parts.append("removed " + ", ".join(f"{k} {v}" for k, v in s["removed"].items()))
        out.append(f"{name:14} " + "; ".join(parts))
    return out


@main.command()
@click.argument("urls", nargs=-1)
@db_option
@click.option("--job", "job_name", help="Run the named job from the config file.")
@click.option("--config", "config_path", envvar="DEBOIL_CONFIG", default="deboil.toml",
              show_default=True, help="TOML file with [jobs.NAME] tables (or set DEBOIL_CONFIG).")
@click.option("--site", help="Site name for the pages [default: the first seed's host].")
@click.option("--max-pages", type=int, help="Stop after this many pages (the rest stays queued).")
@click.option("--depth", type=int, help="Link hops from a seed [default: 3].")
@click.option("--allow", multiple=True, help="Only urls matching this regex (repeatable).")
@click.option("--deny", multiple=True, help="Never urls matching this regex (repeatable).")
@click.option("--delay", type=float, help="Seconds between requests to a domain [default: 1].")
@click.option("--timeout", type=float, help="Download timeout in seconds [default: 30].")
@click.option("--retries", type=int, help="Retries of a failed fetch, with back-off [default: 2].")
@click.option("--user-agent", help="User-Agent header (also used for robots.txt rules).")
@click.option("--no-autothrottle", is_flag=True, help="Fixed delay instead of AutoThrottle.")
@click.option("--workers", type=int, default=None, help="Cleaning processes [default: cores].")
@click.option("--verbose", "-v", is_flag=True, help="Show Scrapy's log (INFO).")
def crawl(urls, db_path, job_name, config_path, site, max_pages, depth, allow, deny, delay,
          timeout, retries, user_agent, no_autothrottle, workers, verbose):
    """Crawl sites (robots.txt, sitemaps, feeds, links) and store what is new or changed.

    Either seed URLs or `--job NAME` from deboil.toml (options given here override the
    job's). Re-runs send conditional requests; a killed run resumes where it stopped.
    Exit code 0: ok; 1: some urls failed (see `failures`); 2: usage error or unusable
    database; 3: the same job is already running.
    """
    from deboil.crawler.jobs import JobError, job_from_table, load_job
    from deboil.run.crawl import Busy, run_crawl

    overrides = {k: v for k, v in {
        "site": site, "max_pages": max_pages, "depth": depth, "allow": list(allow) or None,
        "deny": list(deny) or None, "delay": delay, "timeout": timeout, "retries": retries,
        "user_agent": user_agent, "autothrottle": False if no_autothrottle else None,
    }.items() if v is not None}
    try:
        if job_name and urls:
            raise JobError("give seed URLs or --job, not both")
        if job_name:
            job = load_job(job_name, config_path)
            job = job_from_table(job.name, {**job.options(), **overrides})
        elif urls:
            from urllib.parse import urlsplit

            name = overrides.get("site") or urlsplit(urls[0]).hostname or "crawl"
            job = job_from_table(name, {"seeds": list(urls), **overrides})
        else:
            raise JobError("give seed URLs or --job NAME")
    except JobError as exc:
        raise click.UsageError(str(exc)) from exc
    console = Console(stderr=False)
    workers = usable_cores() if workers is None else workers
    try:
        outcome = run_crawl(job, db_path, workers=workers, progress=_crawl_progress(console),
                            err=_ClearLine() if console.is_terminal else None,
                            log_level="INFO" if verbose else "ERROR")
    except Busy as exc:
        click.echo(f"deboil: busy: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except UnusableDatabase as exc:
        raise click.ClickException(f"unusable database {exc}") from exc
    except sqlite3.DatabaseError as exc:  # the database failed during the crawl
        raise click.ClickException(f"unusable database {db_path}: {exc}") from exc
    if console.is_terminal:
        console.print()
    click.echo(crawl_summary(job.name, outcome))
    sys.exit(130 if outcome.finish_reason == "shutdown" else outcome.exit_code)


def _crawl_progress(console: Console):
    if not console.is_terminal:
        return None

    def show(c):  # rewrite one line in place: carriage return, then clear to its end
        sys.stdout.write(f"\r\x1b[K  fetched {c['fetched']}  new {c['new']}  changed {c['changed']}"
                         f"  unchanged {c['unchanged']}  not modified {c['not_modified']}"
                         f"  failed {c['failed']}")
        sys.stdout.flush()
    return show


class _ClearLine:
    """stderr that first wipes the progress line, so failure lines don't run into it."""

    def write(self, text: str) -> None:
        if text.strip():
            sys.stderr.write("\r\x1b[K")
        sys.stderr.write(text)

    def flush(self) -> None:
        sys.stderr.flush()


def crawl_summary(job_name: str, outcome) -> str:
    r = outcome.result
    from deboil.run.counters import CRAWL

    counts = ", ".join(f"{k} {r.counts[k]}" for k in CRAWL)
    resumed = " (resumed)" if outcome.resumed else ""
    return f"crawl {job_name}{resumed}: run {r.run_id} {r.status} in {r.duration:.1f}s: {counts}"


@main.command()
@db_option
@click.option("--examples", type=click.Path(exists=True, file_okay=False), default=None,
              help="Folder of sample pages [default: the bundled examples/].")
@click.option("--no-crawl", is_flag=True, help="Only load the sample captures.")
def demo(db_path, examples, no_crawl):
    """The bundled default job: crawl the demo site, load the sample captures, summarise.

    The demo site (examples/site/) is served on loopback (port 8719, or any free one)
    while it is crawled; then the page files in examples/ (or --examples) are loaded.
    """
    here = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
    bundled = os.path.join(here, "examples")
    # examples/ also holds the demo site (crawled, not loaded): load the page files beside it.
    from pathlib import Path

    from deboil.crawler.files import kind_of

    paths = (examples,) if examples else tuple(
        str(p) for p in sorted(Path(bundled).iterdir()) if p.is_file() and kind_of(p))
    ctx = click.get_current_context()
    code = EXIT_OK
    if not no_crawl:
        code = _demo_crawl(db_path, os.path.join(bundled, "site"))
    try:
        ctx.invoke(load, paths=paths, db_path=db_path, site=None, workers=None, timeout=60.0,
                   max_bytes=10 * 1024 * 1024, quiet=False)
    except SystemExit as exc:
        sys.exit(max(code, exc.code or 0))


DEMO_PORT = 8719


def _demo_crawl(db_path: str, root: str) -> int:
    from deboil.crawler.jobs import Job
    from deboil.run.crawl import Busy, run_crawl
    from deboil.crawler.testserver import SiteServer

    console = Console()
    try:  # a fixed port keeps the demo's urls the same from one `make run` to the next
        server = SiteServer(root=root, port=DEMO_PORT)
    except OSError:
        server = SiteServer(root=root)
    with server:
        job = Job(name="demo", seeds=[server.url("/")], site="demo-site", delay=0.05,
                  autothrottle=False, timeout=5, retries=1, retry_backoff=0.2, depth=5)
        try:
            outcome = run_crawl(job, db_path, workers=usable_cores(),
                                progress=_crawl_progress(console))
        except Busy as exc:
            click.echo(f"deboil: busy: {exc}", err=True)
            return EXIT_BUSY
        except UnusableDatabase as exc:
            raise click.ClickException(f"unusable database {exc}") from exc
    if console.is_terminal:
        console.print()
    click.echo(crawl_summary(job.name, outcome))
    return outcome.exit_code


if __name__ == "__main__":
    main()
