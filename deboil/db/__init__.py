"""SQLite storage: schema, writes, queries and export. Imports cleaners' models only."""
import sys


def _sqlite_utils_without_pandas() -> None:
    """Import sqlite-utils with pandas out of its sight. When pandas is installed,
    sqlite-utils imports it only to map pandas Timestamps to TEXT, which deboil never stores:
    ~0.5 s of CPU at the start of every command. pandas stays importable afterwards."""
    if "sqlite_utils" in sys.modules or "pandas" in sys.modules:
        return
    sys.modules["pandas"] = None  # makes `import pandas` raise ImportError, which sqlite-utils expects
    try:
        import sqlite_utils  # noqa: F401
    finally:
        if sys.modules.get("pandas", 0) is None:
            del sys.modules["pandas"]


_sqlite_utils_without_pandas()

from deboil.db.store import Saved, Store, UnusableDatabase  # noqa: E402

__all__ = ["Saved", "Store", "UnusableDatabase"]
