"""Site template knowledge for cleaning processes, read from the database and cached.

Workers read with their own read-only connection (WAL allows it while the writer writes)
and refresh a site's template every so often, so pages later in a run benefit from pages
stored earlier in it.
"""
from __future__ import annotations

import os
import time

from deboil.models import SiteTemplate

REFRESH_SECONDS = 5.0


class CachedTemplates:
    """Each site's template, read again at most every REFRESH_SECONDS. Subclasses say where
    from (`_read`); None means: clean without template knowledge."""

    def __init__(self):
        self._cache: dict[str, tuple[float, SiteTemplate | None]] = {}

    def get(self, site: str | None) -> SiteTemplate | None:
        if not site:
            return None
        hit = self._cache.get(site)
        if hit and time.monotonic() - hit[0] < REFRESH_SECONDS:
            return hit[1]
        template = self._read(site)
        self._cache[site] = (time.monotonic(), template)
        return template

    def _read(self, site: str) -> SiteTemplate | None:
        raise NotImplementedError


class TemplateSource(CachedTemplates):
    """Read from the database, through a read-only connection of this process."""

    def __init__(self, db_path: str | None):
        super().__init__()
        self.db_path = db_path
        self._store = None

    def get(self, site: str | None) -> SiteTemplate | None:
        return super().get(site) if self.db_path else None

    def _read(self, site: str) -> SiteTemplate | None:
        from deboil.db import Store  # deboil wires db to cleaners; cleaners never import db

        if not os.path.exists(self.db_path):
            return None
        try:
            if self._store is None:
                self._store = Store(self.db_path, readonly=True)
            return self._store.site_template(site)
        except Exception:  # unreadable or busy database: clean without template knowledge
            return None
