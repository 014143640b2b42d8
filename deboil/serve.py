"""`deboil serve`: Datasette over one corpus, read-only, with deboil's metadata and hooks."""
from __future__ import annotations

from pathlib import Path

from deboil.db.browse import CELL_CHARS, metadata


def make_app(db_path: str, immutable: bool = False):
    """A Datasette instance over `db_path`.

    Read-only either way: by default opened with `mode=ro`, so pages a crawl or load stores
    meanwhile show up; `immutable` (for a file nothing writes) lets Datasette skip locking
    and count rows once.
    """
    from datasette.app import Datasette
    from datasette.plugins import pm

    from deboil import datasette_plugin

    if not pm.is_registered(datasette_plugin):
        pm.register(datasette_plugin, name="deboil")
    name = Path(db_path).stem
    files = {"immutables": [db_path]} if immutable else {"files": [db_path]}
    return Datasette(
        **files,
        metadata=metadata(name),
        settings={
            "truncate_cells_html": CELL_CHARS,
            "default_page_size": 50,
            "facet_time_limit_ms": 500,
            "sql_time_limit_ms": 3000,
            "allow_download": False,  # the raw file is for `deboil export` or a copy
        },
    )


def serve(db_path: str, host: str, port: int, immutable: bool = False,
          log_level: str = "warning") -> None:
    import uvicorn

    # Datasette runs its startup hooks on the first request.
    uvicorn.run(make_app(db_path, immutable).app(), host=host, port=port, log_level=log_level, lifespan="on")
