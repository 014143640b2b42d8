"""Datasette hooks for `deboil serve`: the search function, snippet highlights, quiet tables.

Registered by deboil/serve.py in its own process only, so a plain `datasette` run elsewhere
is untouched.
"""
from __future__ import annotations

from urllib.parse import parse_qsl, urlencode

import markupsafe
from datasette import hookimpl

from datasette.utils.asgi import Response

from deboil.db.browse import CSS, HIDDEN_COLUMNS
from deboil.db.fts_query import match_expression

MARK_OPEN, MARK_CLOSE = "<mark>", "</mark>"


@hookimpl
def prepare_connection(conn):
    # The saved search query matches `deboil_match(:q)`: FTS5 syntax as typed, other text as
    # plain words, so a stray quote or hyphen never ends in an SQL error page.
    conn.create_function("deboil_match", 1, match_expression, deterministic=True)


CSS_PATH = "/-/deboil.css"


@hookimpl
def register_routes():
    async def css(request):
        return Response(CSS, content_type="text/css; charset=utf-8")
    return [(r"^/-/deboil\.css$", css)]


@hookimpl
def extra_css_urls(datasette):
    return [datasette.urls.path(CSS_PATH)]


@hookimpl
def render_cell(value, column):
    # snippet() wraps the matched words in <mark>; everything else in the cell is escaped.
    if column == "snippet" and isinstance(value, str) and MARK_OPEN in value:
        escaped = str(markupsafe.escape(value))
        return markupsafe.Markup(
            escaped.replace(str(markupsafe.escape(MARK_OPEN)), MARK_OPEN)
            .replace(str(markupsafe.escape(MARK_CLOSE)), MARK_CLOSE))
    return None


@hookimpl
def asgi_wrapper(datasette):
    def wrap(app):
        async def hide_internal_columns(scope, receive, send):
            target = _with_hidden_columns(datasette, scope) if scope["type"] == "http" else None
            if target is None:
                await app(scope, receive, send)
                return
            await send({"type": "http.response.start", "status": 302,
                        "headers": [(b"location", target.encode()),
                                    (b"content-type", b"text/plain")]})
            await send({"type": "http.response.body", "body": b""})
        return hide_internal_columns
    return wrap


def _with_hidden_columns(datasette, scope) -> str | None:
    """The same table page with its internal columns left out, when the request named no
    columns of its own; None to let the request through."""
    if scope.get("method") != "GET":
        return None
    args = parse_qsl(scope.get("query_string", b"").decode(), keep_blank_values=True)
    if any(k in ("_col", "_nocol") for k, _ in args):
        return None
    for name in datasette.databases:
        for table, hidden in HIDDEN_COLUMNS.items():
            path = datasette.urls.table(name, table)
            if scope["path"] == path:
                return path + "?" + urlencode(args + [("_nocol", c) for c in hidden])
    return None
