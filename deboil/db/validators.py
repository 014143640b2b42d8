"""Read-only access to what a crawl needs of stored pages: HTTP validators and raw bodies.

Used from the crawler's reactor thread through its own read-only connection (WAL lets it
read while the writer thread commits), so that thread never touches the writer's Store.
"""
from __future__ import annotations

import sqlite3
from urllib.parse import quote

from deboil.db.codec import unpack


def readonly_uri(path: str) -> str:
    """A `file:` URI for a read-only open; the path quoted, so `#` or `?` in it stay a name."""
    return f"file:{quote(str(path))}?mode=ro"


class StoredValidators:
    def __init__(self, db_path: str):
        self.db_path = db_path
        self.conn: sqlite3.Connection | None = None

    def _db(self) -> sqlite3.Connection:
        if self.conn is None:
            self.conn = sqlite3.connect(readonly_uri(self.db_path), uri=True, timeout=10,
                                        check_same_thread=False)
        return self.conn

    def validators(self, url: str) -> tuple[str | None, str | None]:
        """(ETag, Last-Modified) stored with a page that is still in `pages`."""
        row = self._db().execute(
            "SELECT r.etag, r.last_modified FROM raw r JOIN pages p ON p.url = r.url"
            " WHERE r.url=?", (url,)).fetchone()
        return row if row else (None, None)

    def stored_body(self, url: str) -> tuple[bytes, str | None] | None:
        """(raw body, content type) of a stored page, for a 304 answer."""
        row = self._db().execute("SELECT body, content_type FROM raw WHERE url=?", (url,)).fetchone()
        return (unpack(row[0]), row[1]) if row else None

    def close(self) -> None:
        if self.conn is not None:
            self.conn.close()
            self.conn = None
