"""The leases one crawler holds: frontier url -> its entry in the shared frontier.

Written by the scheduler (reactor thread) when it takes entries, read and ended by the
stream sink (its own thread) once the url's outcome is in the stream, and renewed from the
reactor while held. A lock keeps the two threads' views whole.
"""
from __future__ import annotations

import threading


class LeaseBook:
    def __init__(self):
        self._held: dict[str, str] = {}
        self._lock = threading.Lock()

    def hold(self, url: str, entry: str) -> None:
        with self._lock:
            self._held[url] = entry

    def end(self, url: str) -> str | None:
        """The entry whose lease ends with `url`'s outcome (None: not leased, e.g. robots.txt)."""
        with self._lock:
            return self._held.pop(url, None)

    def entries(self) -> list[str]:
        with self._lock:
            return list(self._held.values())

    def take_all(self) -> list[str]:
        with self._lock:
            held, self._held = list(self._held.values()), {}
            return held

    def __len__(self) -> int:
        return len(self._held)
