"""How a corpus looks in Datasette (`deboil serve`): labels, facets, hidden columns, saved queries.

Datasette metadata as a plain dict, built for the name Datasette gives the database (the
file's stem). The saved queries are SQL over this package's schema, so they live here.
"""
from __future__ import annotations

# Columns left out of a table's page until asked for (Datasette's `_nocol`; "Show all
# columns" brings them back). Internal fingerprints, raw bytes and long JSON would push
# every row to a screen of its own. The row page shows everything.
HIDDEN_COLUMNS = {
    "pages": ["line_hashes", "removed", "langs", "encoding_source", "canonical_url",
              "site_name", "text_hash", "status", "fetched_at", "last_changed", "source",
              "author", "updated", "lang_confidence", "encoding", "removed_words",
              "first_seen", "published_local", "updated_local"],
    "raw": ["body", "headers"],
    "runs": ["options", "steps"],
    "versions": ["text_hash"],
}

# Column descriptions Datasette shows on the table page (the date rule of the README).
PAGE_COLUMN_LABELS = {
    "published": "Publication date as the page states it: YYYY-MM-DD, or "
                 "YYYY-MM-DDTHH:MM:SS+HH:MM (Z for UTC) when it states a time with a zone",
    "updated": "Last update, in the same form as published",
    "published_local": "Publication time as the page states it, zone unknown "
                       "(YYYY-MM-DDTHH:MM:SS); empty when published carries a zone or no time was given",
    "updated_local": "Update time as the page states it, zone unknown; see published_local",
    "first_seen": "When deboil first stored the url (UTC)",
    "last_seen": "When deboil last fetched or read the url (UTC)",
    "removed": "What was left out and why: JSON list of {text, reason}",
}

# Room for the text beside the other columns, and its paragraphs run together in tables, so
# a cut text takes two or three lines (a row page keeps its blank lines).
CSS = """
.table .rows-and-columns td.col-text, .query .rows-and-columns td.col-text
  { min-width: 30em; white-space: normal; }
.rows-and-columns td.col-snippet { min-width: 30em; white-space: normal; }
/* file urls are as long as the folder they were loaded from: wide enough that a 120-character
   url takes three lines, not six */
.rows-and-columns td.col-url { min-width: 22em; word-break: break-all; }
"""

# Text longer than this is cut in tables and query results (with "…"); whole on a row page.
CELL_CHARS = 120

SEARCH_SQL = """
select pages.url, pages.title, pages.site, pages.lang, pages.page_type, pages.published,
  snippet(pages_fts, -1, '<mark>', '</mark>', ' … ', 16) as snippet,
  round(pages_fts.rank, 3) as rank
from pages_fts join pages on pages.rowid = pages_fts.rowid
where pages_fts match deboil_match(:q)
order by pages_fts.rank
limit 100
""".strip()

LAST_RUN_FAILURES_SQL = """
select failures.id, failures.url, failures.stage, failures.level, failures.reason, failures.at,
  runs.id as run_id, runs.command, runs.job
from failures join runs on runs.id = failures.run_id
where failures.run_id = (select max(id) from runs)
order by failures.level, failures.reason, failures.url
""".strip()

PAGES_WITH_ISSUE_SQL = """
select pages.url, pages.title, pages.site, pages.lang, pages.page_type, j.value as count
from pages, json_each(pages.issues) as j
where j.key = :issue
order by j.value desc, pages.url
limit 1000
""".strip()

URL_VERSIONS_SQL = """
select versions.version, versions.fetched_at, versions.run_id, versions.title,
  length(versions.text) as chars, versions.text
from versions
where versions.url = :url
order by versions.version desc
""".strip()

ISSUE_COUNTS_SQL = """
select j.key as issue, count(*) as pages, sum(j.value) as occurrences
from pages, json_each(pages.issues) as j
group by j.key order by pages desc
""".strip()

DUPLICATE_CLUSTERS_SQL = """
select pages.dup_cluster as cluster, count(*) as size,
  min(case when pages.dup_of is null then pages.url end) as first_url,
  group_concat(pages.url, ' | ') as urls, round(min(pages.dup_similarity), 3) as min_similarity
from pages
where pages.dup_cluster is not null
group by pages.dup_cluster
order by size desc, cluster
limit 500
""".strip()


def metadata(database: str) -> dict:
    """Datasette metadata for a corpus served under the name `database`."""
    page_facets = ["site", "lang", "page_type", "kind"]
    return {
        "title": "deboil corpus",
        "description": "Clean text of web pages with their metadata, "
                       "what was removed and why, versions, runs and failures.",
        "databases": {
            database: {
                "tables": {
                    "pages": {
                        "title": "Pages (latest clean text of each url)",
                        "description": "One row per url. Click a url for the whole text, "
                                       "what was removed and why. issues: JSON object of "
                                       "issue codes with counts.",
                        "label_column": "title",
                        "columns": PAGE_COLUMN_LABELS,
                        "facets": page_facets,
                        "sort_desc": "last_seen",
                        "size": 50,
                        "fts_table": "pages_fts",
                        "fts_pk": "rowid",
                    },
                    "versions": {
                        "title": "Versions (each distinct text of a url)",
                        "label_column": "title",
                        "facets": ["run_id"],
                        "sort_desc": "fetched_at",
                    },
                    "failures": {
                        "title": "Failures and warnings",
                        "label_column": "reason",
                        "facets": ["stage", "level", "run_id"],
                        "sort_desc": "id",
                    },
                    "runs": {
                        "title": "Runs",
                        "label_column": "command",
                        "facets": ["command", "status", "job"],
                        "sort_desc": "id",
                    },
                    "raw": {"title": "Raw bytes as fetched or read",
                            "facets": ["kind", "site", "content_type"]},
                    "frontier": {"title": "Crawl frontier", "facets": ["job", "state"]},
                    "page_issues": {"title": "Issue codes, one row per page and code",
                                    "facets": ["issue", "site", "lang", "page_type"]},
                    "site_lines": {"hidden": True},
                    # the duplicate index's internals: its results are the pages' dup_* columns
                    **{t: {"hidden": True} for t in ("dup_signatures", "dup_bands", "dup_clusters",
                                                     "dup_gone", "dup_meta")},
                },
                "queries": {
                    "search": {
                        "title": "Search (ranked, with snippets)",
                        "description": "FTS5 syntax: harb*, harbour OR cycling, harbour NOT "
                                       "storm, \"exact phrase\", title:harbour. Other text is "
                                       "searched as plain words.",
                        "sql": SEARCH_SQL,
                    },
                    "last_run_failures": {
                        "title": "Failures of the last run",
                        "sql": LAST_RUN_FAILURES_SQL,
                    },
                    "pages_with_issue": {
                        "title": "Pages with a given issue code",
                        "description": "e.g. mojibake_fixed, charset_mismatch, low_text",
                        "sql": PAGES_WITH_ISSUE_SQL,
                    },
                    "issue_counts": {
                        "title": "Issue codes: pages and occurrences",
                        "sql": ISSUE_COUNTS_SQL,
                    },
                    "url_versions": {
                        "title": "Versions of a url",
                        "sql": URL_VERSIONS_SQL,
                    },
                    "duplicate_clusters": {
                        "title": "Pages carrying the same text (duplicate clusters)",
                        "description": "size, first-stored url, every member, the lowest "
                                       "estimated similarity to the first",
                        "sql": DUPLICATE_CLUSTERS_SQL,
                    },
                },
            },
        },
    }
