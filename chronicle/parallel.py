"""The build's second process, forked for reading, verifying and rendering: when it pays for itself, and
how the two processes share the work (each takes the next piece from a shared counter until none is left)."""
from __future__ import annotations

import os
import threading


def second_process_pays(work: int, threshold: int) -> bool:
    """Return whether `work` items are worth a forked second process.

    Only with at least `threshold` items (below it, starting the process costs more than it saves),
    two cores or more, and no other thread running: forking a threaded process (the preview server)
    is unsafe, as the child may inherit a lock some thread held.
    """
    return work >= threshold and (os.cpu_count() or 1) >= 2 and threading.active_count() == 1


def take(taken) -> int:
    """Return the next number of `taken`, a counter shared by the forked processes (a
    multiprocessing.Value), and count it taken: each piece of work numbered so is done by one of them."""
    with taken.get_lock():
        at = taken.value
        taken.value = at + 1
    return at
