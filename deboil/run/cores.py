"""How many cores deboil may use: the default number of workers, and whether they have
every core (see Runner.reads_files)."""
from __future__ import annotations

import os


def usable_cores() -> int:
    """Cores this process may run on: its CPU affinity (as a container or `taskset` sets it)
    where the OS tells it, else the machine's count."""
    if hasattr(os, "sched_getaffinity"):
        return len(os.sched_getaffinity(0))
    return os.cpu_count() or 1
