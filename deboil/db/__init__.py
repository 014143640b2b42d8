"""SQLite storage: schema, writes, queries and export. Imports cleaners' models only."""
from deboil.db.store import Saved, Store, UnusableDatabase

__all__ = ["Saved", "Store", "UnusableDatabase"]
