"""The `deboil` command: a thin layer over crawler/, cleaners/ and db/."""
from __future__ import annotations

import json
import os
import sqlite3
import sys
import time

import click
from rich.console import Console

from deboil.db import Store, UnusableDatabase
from deboil.db import export as exporting
from deboil.db import queries

from deboil.run.cores import usable_cores
from deboil.progress import RunProgress, failure_summary, summary_line
from deboil.report import print_stats, print_steps
from deboil.run.echo import printable, storable

DEFAULT_DB = "deboil.db"
EXIT_OK, EXIT_FAILURES, EXIT_USAGE = 0, 1, 2
EXIT_BUSY = 3  # `crawl`: another run of the same job holds its lock

db_option = click.option(
    "--db", "db_path", envvar="DEBOIL_DB", default=DEFAULT_DB, show_default=True,
    help="SQLite database file (or set DEBOIL_DB).",
)


quiet_option = click.option("--quiet", "-q", is_flag=True,
                            help="Print nothing but errors (no progress, no summary line).")
verbose_option = click.option("--verbose", "-v", is_flag=True,
                              help="Also print what each cleaning step did and the corpus summary.")


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


def run_inputs(runner, inputs):
    """Feed every input to the runner and finish the run; Ctrl-C keeps what was cleaned."""
    try:
        for item in inputs:
            runner.feed(item)
        return runner.finish()
    except KeyboardInterrupt:
        interrupted(runner)
        raise  # DeboilGroup: one line, exit 130
    except BaseException:
        runner.pool.close()
        raise


def interrupted(runner) -> None:
    """Ctrl-C: keep what was cleaned, mark the run (the workers ignore SIGINT)."""
    try:
        runner.abort("interrupted")
    except Exception:  # the database failing too must not hide why we stop
        pass


def open_store(path: str, readonly: bool = False) -> Store:
    if readonly and not os.path.exists(path):
        raise click.ClickException(f"{path}: no such database")
    try:
        return Store(path, readonly=readonly)
    except UnusableDatabase as exc:
        raise click.ClickException(f"unusable database {exc}") from exc


class DeboilGroup(click.Group):
    """Ctrl-C anywhere in a command (a run marks itself aborted first) means exit 130 and
    one line; click would print "Aborted!" and exit 1, the code scripts read as "some
    inputs failed"."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except (KeyboardInterrupt, click.Abort):
            click.echo("deboil: interrupted", err=True)
            sys.exit(130)


@click.group(cls=DeboilGroup, context_settings={"help_option_names": ["-h", "--help"]})
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
@quiet_option
@verbose_option
@click.option("--redis", "redis_url", envvar="DEBOIL_REDIS", default=None,
              help="redis://HOST:PORT/DB: clean here, send the pages to a stream that "
                   "`deboil ingest` stores (no --db). See docs/distributed.md.")
@click.option("--job", "job_name", default="load", show_default=True,
              help="With --redis: the stream's job name.")
def load(paths, db_path, site, workers, timeout, max_bytes, quiet, verbose, redis_url, job_name):
    """Load captured pages: .html/.htm (and .gz), .txt captures, .warc(.gz) archives.

    Folders are read recursively; other files are skipped and counted. A file's url is
    file:// plus its absolute path; loading it again updates its row and adds a version
    only when the clean text changed. Exit code 0: all stored or skipped on purpose;
    1: some inputs failed (recorded in `failures`); 2: usage error or unusable database.
    """
    from deboil.crawler.files import iter_files, page_kinds, walk

    from deboil.run.runner import Runner
    from deboil.run.templates_pass import reclean_template_sites

    missing = [p for p in paths if not os.path.lexists(p)]
    if missing:  # a mistyped path is a usage error, not "nothing to do"
        raise click.UsageError(f"no such file or folder: {printable(missing[0])}")
    if redis_url:
        _load_to_redis(paths, redis_url, job_name, site, workers, timeout, max_bytes, quiet)
    store = open_store(db_path)
    workers = usable_cores() if workers is None else workers
    options = {"paths": [storable(p) for p in paths], "site": site, "workers": workers,
               "timeout": timeout, "max_bytes": max_bytes}
    bar = RunProgress("load", quiet=quiet)
    if bar.enabled:  # a total for the bar; WARC archives hold an unknown number of pages
        files = [p for p, _ in walk(paths)]
        if not any(p.name.lower().endswith((".warc", ".warc.gz")) for p in files):
            bar.total = len(files)
    with unusable_database_errors(db_path) as guard:
        with bar:
            runner = guard.runner = Runner(store, "load", options, workers=workers, timeout=timeout,
                                           progress=bar.update, err=bar.err,
                                           kinds=page_kinds(paths) if workers else None)
            bar.watch(runner.counts)
            result = run_inputs(runner, iter_files(paths, site=site, max_bytes=max_bytes,
                                                   lazy=runner.reads_files))
        reclean_template_sites(store, result, workers=workers, timeout=timeout)
        _report_run("load", result, quiet=quiet, verbose=verbose, tables=bar.enabled,
                    stats=queries.stats(store))
        store.close()
    sys.exit(result.exit_code)


def _load_to_redis(paths, redis_url, job_name, site, workers, timeout, max_bytes, quiet):
    from .distributed.keys import RedisUnavailable
    from .distributed.stream_load import load_to_stream

    workers = usable_cores() if workers is None else workers
    t0 = time.monotonic()
    try:
        counts = load_to_stream(paths, redis_url, job_name, site=site, workers=workers,
                                timeout=timeout, max_bytes=max_bytes)
    except RedisUnavailable as exc:
        raise click.ClickException(f"redis unavailable: {exc}") from exc
    except KeyboardInterrupt:
        sys.exit(130)
    if not quiet:
        click.echo(f"load {job_name} (redis): {time.monotonic() - t0:.1f}s: sent {counts['sent']}, "
                   f"failed {counts['failed']}, skipped {counts['skipped']}")
    sys.exit(EXIT_FAILURES if counts["failed"] else EXIT_OK)


@main.command()
@db_option
@click.option("--site", help="Only pages of this site.")
@click.option("--workers", type=click.IntRange(min=0), default=None, help="Cleaning processes [default: cores].")
@click.option("--timeout", type=click.FloatRange(min=0, min_open=True), default=60.0, show_default=True)
@quiet_option
@verbose_option
def reclean(db_path, site, workers, timeout, quiet, verbose):
    """Re-run the cleaners over stored raw pages, with what has been learned since."""
    from deboil.run.runner import Runner

    store = open_store(db_path)
    workers = usable_cores() if workers is None else workers
    bar = RunProgress("reclean", quiet=quiet)
    if bar.enabled:
        bar.total = queries.count_raw(store, site)
    with unusable_database_errors(db_path) as guard:
        with bar:
            runner = guard.runner = Runner(store, "reclean", {"site": site, "workers": workers},
                                           workers=workers, timeout=timeout, save_raw=False,
                                           progress=bar.update, err=bar.err)
            bar.watch(runner.counts)
            result = run_inputs(runner, store.raw_pages(site=site, on_error=runner.fail))
        _report_run("reclean", result, quiet=quiet, verbose=verbose, tables=bar.enabled)
        store.close()
    sys.exit(result.exit_code)


def _report_run(command: str, result, *, quiet: bool, verbose: bool, tables: bool,
                stats: dict | None = None, **summary) -> None:
    """The run's one dated summary line on stdout; on a terminal or with -v, what each
    cleaning step did and the corpus summary too; with -q nothing (failures are on stderr)."""
    if quiet:
        return
    click.echo(summary_line(command, result, **summary))
    if tables or verbose:
        console = Console()
        print_steps(result, console)
        if stats is not None:
            print_stats(stats, console)


def _iso_date(ctx, param, value):
    """An ISO 8601 date or date-time, as --since/--until compare them with stored dates."""
    if value is None:
        return None
    from datetime import date, datetime

    try:  # written back in the extended form the filters compare (20240301 -> 2024-03-01)
        return date.fromisoformat(value).isoformat()
    except ValueError:
        pass
    try:
        return datetime.fromisoformat(value.replace("Z", "+00:00")).isoformat()
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 date (e.g. 2024-03-01 or "
                                 "2024-03-01T08:30:00Z)") from None


@main.command()
@db_option
@click.option("--format", "fmt", type=click.Choice(["jsonl", "csv", "parquet"]), default="jsonl",
              show_default=True)
@click.option("--output", "-o", type=click.Path(dir_okay=False), default="-",
              show_default=True, help="File to write ('-' for stdout; parquet needs a file).")
@click.option("--site", help="Only pages of this site.")
@click.option("--lang", help="Only pages in this language (ISO 639-1, or und).")
@click.option("--page-type", help="Only pages of this type (article, forum, product, ...).")
@click.option("--kind", type=click.Choice(["html", "text"]), help="Only HTML pages or only text captures.")
@click.option("--since", callback=_iso_date, help="Only pages whose --date-field is on or after this ISO date (a date compares the page's own date; a date-time is a moment, UTC without an offset).")
@click.option("--until", callback=_iso_date, help="Only pages whose --date-field is on or before this ISO date (a date takes in the whole day).")
@click.option("--date-field", type=click.Choice(["published", "updated", "first_seen", "last_seen", "last_changed"]),
              default="published", show_default=True, help="The date --since/--until bound.")
@click.option("--unique", is_flag=True, help="One page per set of copies (the first stored).")
def export(db_path, fmt, output, site, lang, page_type, kind, since, until, date_field, unique):
    """Export one record per page (url, title, published, lang, text, removed, ...).

    Parquet keeps the same fields with types: issues and langs as maps, removed as a list of
    (text, reason) structs, dates as UTC timestamps, published_local and updated_local as
    timestamps without a zone.
    """
    filters = exporting.Filters(site=site, lang=lang, page_type=page_type, kind=kind,
                                since=since, until=until, date_field=date_field,
                                unique=unique)
    if fmt == "parquet" and output == "-":
        raise click.UsageError("--format parquet needs --output FILE")
    store = open_store(db_path, readonly=True)
    bad: list[tuple[str, str]] = []

    def skip_row(url: str, reason: str) -> None:
        bad.append((url, reason))
        click.echo(printable(f"deboil: {url}: export: {reason}"), err=True)

    try:
        if output == "-":
            n = exporting.write(store, sys.stdout, fmt, filters=filters, on_error=skip_row)
            sys.stdout.flush()
        elif os.path.exists(output) and not os.path.isfile(output):
            # A device or FIFO (/dev/null, a pipe to another program): write to it as it is;
            # renaming a file over it would replace the device node itself.
            if fmt == "parquet":
                n = _write_parquet(store, output, filters, skip_row)
            else:
                with open(output, "w", encoding="utf-8", newline="") as out:
                    n = exporting.write(store, out, fmt, filters=filters, on_error=skip_row)
        else:
            tmp = output + ".part"
            try:
                if fmt == "parquet":
                    n = _write_parquet(store, tmp, filters, skip_row)
                else:
                    with open(tmp, "w", encoding="utf-8", newline="") as out:
                        n = exporting.write(store, out, fmt, filters=filters, on_error=skip_row)
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


def _write_parquet(store, path, filters, on_error) -> int:
    from deboil.db.export_parquet import write_parquet

    return write_parquet(store, path, filters, on_error=on_error)


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
@click.option("--collapse", is_flag=True, help="Show copies of one text as one hit.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def search(query, db_path, limit, site, lang, collapse, as_json):
    """Full-text search (FTS5, best match first) with snippets.

    \b
    FTS5 syntax passes through:
      deboil search 'harb*'                 prefix
      deboil search 'harbour OR cycling'    either word
      deboil search 'harbour NOT storm'     the first without the second
      deboil search '"harbour reopens"'     exact phrase
      deboil search 'title:harbour'         in the title only (columns: title, text)
      deboil search 'NEAR(storm harbour, 5)'  within 5 words of each other
    Text that is not valid FTS5 (e.g. `harbour-storm`) is searched as its plain words,
    all required, with a note on stderr.
    """
    from deboil.db.fts_query import translate

    store = open_store(db_path, readonly=True)
    note = translate(query).note
    if note:
        click.echo(f"note: {note}", err=True)
    hits = queries.search(store, query, limit=limit, site=site, lang=lang, collapse=collapse)
    if as_json:
        click.echo(json.dumps(hits, ensure_ascii=False, indent=2))
        return
    for h in hits:
        copies = f"  (+{h['copies']} copies)" if h.get("copies") else ""
        click.echo(f"{h['title'] or '(no title)'}  [{h['lang']}]{copies}\n  {h['url']}\n  {h['snippet']}\n")
    if not hits:
        click.echo("no match", err=True)


SHOWN_PER_REASON = 5


def removed_lines(removed: list[dict], per_reason: int | None) -> list[str]:
    """`removed` grouped by reason (in the order reasons first occur), each group's entries
    in page order, cut to `per_reason` with a count of the rest."""
    groups: dict[str, list[str]] = {}
    for r in removed:
        groups.setdefault(r["reason"], []).append(r["text"])
    words = sum(len(r["text"].split()) for r in removed)
    out = [f"removed: {len(removed)} entries, {words} words, by reason"]
    for reason, texts in groups.items():
        out.append(f"  {reason} ({len(texts)})")
        shown = texts if per_reason is None else texts[:per_reason]
        out += [f"    {printable(t[:160])}" for t in shown]
        if len(texts) > len(shown):
            out.append(f"    … {len(texts) - len(shown)} more (--all shows them)")
    return out


@main.command()
@click.argument("url")
@db_option
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
@click.option("--all", "show_all", is_flag=True,
              help=f"Every removed entry (by default {SHOWN_PER_REASON} per reason).")
def show(url, db_path, as_json, show_all):
    """One page: its fields, its clean text, and what was removed and why (grouped by
    reason: for HTML pages also the blocks the extractor left out)."""
    store = open_store(db_path, readonly=True)
    row = queries.page(store, url) or queries.page(store, "file://" + os.path.abspath(url))
    if row is None:
        raise click.ClickException(f"{url}: not in {db_path}")
    if as_json:
        click.echo(json.dumps(row, ensure_ascii=False, indent=2))
        return
    for key in ("url", "site", "title", "author", "published", "published_local", "updated",
                "updated_local", "page_type", "lang",
                "lang_confidence", "encoding", "encoding_source", "word_count", "version",
                "first_seen", "last_seen", "dup_of", "dup_cluster", "dup_similarity"):
        if row.get(key) not in (None, ""):
            click.echo(f"{key:16} {row[key]}")
    if row["issues"]:
        click.echo(f"{'issues':16} " + ", ".join(f"{k} {v}" for k, v in row["issues"].items()))
    click.echo("\n" + row["text"] + "\n")
    if row["removed"]:
        for line in removed_lines(row["removed"], None if show_all else SHOWN_PER_REASON):
            click.echo(line)
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
@click.option("--site", help="Only clusters with a page on this site.")
@click.option("--min-size", type=click.IntRange(min=2), default=2, show_default=True,
              help="Only clusters of at least this many pages.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def dups(db_path, site, min_size, as_json):
    """Pages that carry the same text: each cluster's size, first url, sample urls, similarity.

    Copies are found as pages are stored (exact, and near: estimated Jaccard similarity of
    word 5-grams of the clean text); texts under 50 words are never matched.
    """
    from deboil.db.dups import clusters

    store = open_store(db_path, readonly=True)
    found = clusters(store.conn, site=site, min_size=min_size)
    if as_json:
        click.echo(json.dumps(found, ensure_ascii=False, indent=2))
        return
    for c in found:
        sim = "" if c["min_similarity"] is None else (
            f"  similarity {c['min_similarity']:.2f}-1.00 (mean {c['mean_similarity']:.2f})")
        click.echo(f"cluster {c['cluster']}: {c['size']} pages{sim}\n  first {c['first_url']}")
        for url in c["sample_urls"]:
            click.echo(f"  copy  {url}")
        if c["size"] > 1 + len(c["sample_urls"]):
            click.echo(f"  ... and {c['size'] - 1 - len(c['sample_urls'])} more")
    click.echo(f"{len(found)} clusters, {sum(c['size'] - 1 for c in found)} copies", err=True)


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
@db_option
@click.option("--host", default="127.0.0.1", show_default=True,
              help="Address to listen on (loopback: this machine only).")
@click.option("--port", "-p", type=click.IntRange(0, 65535), default=8001, show_default=True)
@click.option("--immutable", is_flag=True,
              help="The file never changes while served (faster; new pages not shown).")
def serve(db_path, host, port, immutable):
    """Browse the corpus in Datasette: facets, search with snippets, saved queries.

    Read-only. Internal columns are left out of table pages ("Show all columns" brings
    them back) and long text is cut there; a row page shows everything. Saved queries:
    search, failures of the last run, pages with an issue code, versions of a url.
    """
    from deboil.serve import serve as run_server

    from deboil.db.schema import SCHEMA_VERSION

    store = open_store(db_path, readonly=True)
    version = queries.schema_version(store)
    store.close()
    if version == 0:
        raise click.ClickException(f"{db_path}: not a deboil database (no schema version)")
    if version < SCHEMA_VERSION:  # an older file: add the foreign keys and views first
        if os.access(db_path, os.W_OK):
            open_store(db_path).close()
        else:
            click.echo(f"note: {db_path} is read-only; its schema ({version}) is served as it is",
                       err=True)
    if host not in ("127.0.0.1", "localhost", "::1"):
        click.echo(f"note: listening on {host}: whoever reaches it can read the whole corpus",
                   err=True)
    click.echo(f"serving {db_path} at http://{host}:{port}/ (Ctrl-C to stop)", err=True)
    run_server(db_path, host, port, immutable=immutable)


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
@click.option("--allow-origin", "allow_origins", multiple=True, metavar="ORIGIN",
              help="Also allow scheme://host[:port] beside the seeds' origins (repeatable).")
@click.option("--delay", type=float, help="Seconds between requests to a domain [default: 1].")
@click.option("--timeout", type=float, help="Download timeout in seconds [default: 30].")
@click.option("--retries", type=int, help="Retries of a failed fetch, with back-off [default: 2].")
@click.option("--user-agent", help="User-Agent header (also used for robots.txt rules).")
@click.option("--no-autothrottle", is_flag=True, help="Fixed delay instead of AutoThrottle.")
@click.option("--concurrency", type=click.IntRange(1, 64),
              help="Requests at once to one domain [default: 2].")
@click.option("--no-sitemaps", is_flag=True, help="Do not read sitemaps (robots.txt Sitemap: lines).")
@click.option("--no-feeds", is_flag=True,
              help="Do not follow RSS/Atom feeds (linked, or guessed at /feed, /rss.xml, ...).")
@click.option("--fresh", is_flag=True,
              help="Start the job's queue over instead of resuming an unfinished crawl.")
@click.option("--workers", type=int, default=None, help="Cleaning processes [default: cores].")
@quiet_option
@click.option("--verbose", "-v", is_flag=True, help="Show Scrapy's log (INFO).")
@click.option("--redis", "redis_url", envvar="DEBOIL_REDIS", default=None,
              help="redis://HOST:PORT/DB: share the job with other crawlers; pages go to the "
                   "job's stream for `deboil ingest` (no --db). See docs/distributed.md.")
@click.option("--lease", type=float, default=60.0, show_default=True,
              help="With --redis: seconds before a url taken by a dead crawler is handed out again.")
def crawl(urls, db_path, job_name, config_path, site, max_pages, depth, allow, deny,
          allow_origins, delay, timeout, retries, user_agent, no_autothrottle, concurrency,
          no_sitemaps, no_feeds, fresh, workers, quiet, verbose, redis_url, lease):
    """Crawl sites (robots.txt, sitemaps, feeds, links) and store what is new or changed.

    Either seed URLs or `--job NAME` from deboil.toml (options given here override the
    job's). Seed URLs make a job named after them (first host and a digest of the list):
    the same seeds again resume it, other seeds are another job. `--depth 0` fetches the
    seeds only. Re-runs send conditional requests; a killed run resumes where it stopped
    (`--fresh` starts over).
    Exit code 0: ok; 1: some urls failed (see `failures`); 2: usage error or unusable
    database; 3: the same job is already running.
    """
    from deboil.crawler.jobs import JobError, job_from_table, load_job, seeds_job_name
    from deboil.run.crawl import Busy, run_crawl

    overrides = {k: v for k, v in {
        "site": site, "max_pages": max_pages, "depth": depth, "allow": list(allow) or None,
        "deny": list(deny) or None, "allowed_origins": list(allow_origins) or None,
        "delay": delay, "timeout": timeout, "retries": retries,
        "user_agent": user_agent, "autothrottle": False if no_autothrottle else None,
        "concurrency_per_domain": concurrency, "sitemaps": False if no_sitemaps else None,
        "feeds": False if no_feeds else None,
    }.items() if v is not None}
    try:
        if job_name and urls and redis_url:  # --job names the shared job of these seeds
            job = job_from_table(job_name, {"seeds": list(urls), **overrides})
        elif job_name and urls:
            raise JobError("give seed URLs or --job, not both")
        elif job_name:
            job = load_job(job_name, config_path)
            job = job_from_table(job.name, {**job.options(), **overrides})
        elif urls:
            job = job_from_table(seeds_job_name(list(urls)), {"seeds": list(urls), **overrides})
        else:
            raise JobError("give seed URLs or --job NAME")
    except JobError as exc:
        raise click.UsageError(str(exc)) from exc
    workers = usable_cores() if workers is None else workers
    if redis_url or job.redis:
        _crawl_on_redis(job, redis_url or job.redis, workers, lease, verbose)
    try:
        with RunProgress(f"crawl {job.name}", quiet=quiet) as bar:
            outcome = run_crawl(job, db_path, workers=workers, progress=bar.update, err=bar.err,
                                log_level="INFO" if verbose else "ERROR", fresh=fresh)
    except Busy as exc:
        click.echo(f"deboil: busy: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except UnusableDatabase as exc:
        raise click.ClickException(f"unusable database {exc}") from exc
    except sqlite3.DatabaseError as exc:  # the database failed during the crawl
        raise click.ClickException(f"unusable database {db_path}: {exc}") from exc
    if failure_summary(outcome.result):  # errors: printed with -q too
        click.echo(failure_summary(outcome.result), err=True)
    if not quiet:
        click.echo(crawl_summary(job.name, outcome))
    sys.exit(130 if outcome.finish_reason == "shutdown" else outcome.exit_code)


def _crawl_on_redis(job, redis_url: str, workers: int, lease: float, verbose: bool):
    from .distributed.crawl import run_distributed_crawl
    from .distributed.keys import RedisUnavailable

    try:
        outcome = run_distributed_crawl(job, redis_url, workers=workers, lease_seconds=lease,
                                        log_level="INFO" if verbose else "ERROR")
    except RedisUnavailable as exc:
        raise click.ClickException(f"redis unavailable: {exc}") from exc
    c = outcome.counts
    keys = ("fetched", "sent", "not_modified", "failed", "robots_skipped")
    resumed = ", joined a running cycle" if outcome.resumed else ""
    click.echo(f"crawl {job.name} (redis{resumed}): {outcome.finish_reason or 'stopped'} in "
               f"{outcome.duration:.1f}s: " + ", ".join(f"{k} {c[k]}" for k in keys))
    sys.exit(outcome.exit_code)


@main.command()
@click.option("--redis", "redis_url", envvar="DEBOIL_REDIS", required=True,
              help="redis://HOST:PORT/DB the crawlers send to.")
@db_option
@click.option("--job", "jobs", multiple=True,
              help="Read this job's stream (repeatable) [default: every job crawlers announced].")
@click.option("--idle-exit", type=float, default=None,
              help="Exit after this many seconds with nothing to read [default: run until stopped].")
def ingest(redis_url, db_path, jobs, idle_exit):
    """The one writer: store what crawlers (`crawl --redis`) and `load --redis` send.

    Reads each job's Redis stream through a consumer group, stores a batch in one
    transaction and acknowledges it after the commit; on start it takes over what a dead
    writer left. SIGTERM: the batch in hand is stored, then exit 0. Exit 2: unusable
    database or Redis; 3: another writer holds this database.
    """
    from .run.crawl import Busy
    from .distributed.ingest import run_ingest
    from .distributed.keys import RedisUnavailable

    console = Console(stderr=False)
    progress = None
    if console.is_terminal:
        def progress(c):
            sys.stdout.write(f"\r\x1b[K  new {c['new']}  changed {c['changed']}  unchanged "
                             f"{c['unchanged']}  not modified {c['not_modified']}  failed {c['failed']}")
            sys.stdout.flush()
    try:
        result = run_ingest(redis_url, db_path, list(jobs) or None, idle_exit=idle_exit,
                            err=_ClearLine() if console.is_terminal else None, progress=progress)
    except Busy as exc:
        click.echo(f"deboil: busy: {exc}", err=True)
        sys.exit(EXIT_BUSY)
    except UnusableDatabase as exc:
        raise click.ClickException(f"unusable database {exc}") from exc
    except sqlite3.DatabaseError as exc:  # the database failed under the writer: unacknowledged
        raise click.ClickException(f"unusable database {db_path}: {exc}") from exc  # stays pending
    except RedisUnavailable as exc:
        raise click.ClickException(f"redis unavailable: {exc}") from exc
    if console.is_terminal:
        console.print()
    c = result.counts
    keys = ("new", "changed", "unchanged", "not_modified", "failed", "robots_skipped", "replayed")
    click.echo(f"ingest: run {result.run_id} {result.status} in {result.duration:.1f}s: "
               + ", ".join(f"{k} {c[k]}" for k in keys))
    sys.exit(EXIT_OK)


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

    return summary_line("crawl", r, job=job_name, resumed=outcome.resumed, keys=tuple(CRAWL))


@main.command()
@db_option
@click.option("--run", "run_id", type=int, help="Failures of this run [default: the latest with any].")
@click.option("--limit", "-n", type=int, default=None, help="At most this many.")
@click.option("--json", "as_json", is_flag=True, help="Print JSON instead of text.")
def failures(db_path, run_id, limit, as_json):
    """Failures and warnings of a run, by reason: what a run's summary line counted."""
    store = open_store(db_path, readonly=True)
    run_id, rows = queries.failures(store, run_id, limit)
    if as_json:
        click.echo(json.dumps({"run": run_id, "failures": rows}, ensure_ascii=False, indent=2))
        return
    if not rows:
        click.echo(f"no failures{f' in run {run_id}' if run_id else ''}", err=True)
        return
    from collections import Counter

    click.echo(f"run {run_id}: {len(rows)} failures and warnings")
    for (stage, level, reason), n in Counter((r["stage"], r["level"], r["reason"]) for r in rows).most_common():
        click.echo(f"  {n:>5}  {stage}{' (warning)' if level == 'warning' else ''}: {reason}")
    click.echo("")
    for r in rows:
        click.echo(f"{r['at']}  {r['stage']}: {r['reason']}  {r['url']}")


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
                   max_bytes=10 * 1024 * 1024, quiet=False, verbose=True, redis_url=None,
                   job_name="load")
    except SystemExit as exc:
        sys.exit(max(code, exc.code or 0))


DEMO_PORT = 8719


def _demo_crawl(db_path: str, root: str) -> int:
    from deboil.crawler.jobs import Job
    from deboil.run.crawl import Busy, run_crawl
    from deboil.crawler.testserver import SiteServer

    try:  # a fixed port keeps the demo's urls the same from one `make run` to the next
        server = SiteServer(root=root, port=DEMO_PORT)
    except OSError:
        server = SiteServer(root=root)
    with server:
        job = Job(name="demo", seeds=[server.url("/")], site="demo-site", delay=0.05,
                  autothrottle=False, timeout=5, retries=1, retry_backoff=0.2, depth=5)
        try:
            with RunProgress("crawl demo") as bar:
                outcome = run_crawl(job, db_path, workers=usable_cores(), progress=bar.update,
                                    err=bar.err)
        except Busy as exc:
            click.echo(f"deboil: busy: {exc}", err=True)
            return EXIT_BUSY
        except UnusableDatabase as exc:
            raise click.ClickException(f"unusable database {exc}") from exc
    if failure_summary(outcome.result):
        click.echo(failure_summary(outcome.result), err=True)
    click.echo(crawl_summary(job.name, outcome))
    return outcome.exit_code


if __name__ == "__main__":
    main()
