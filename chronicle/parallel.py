"""When a second process pays for itself: the build forks one for reading, verifying and rendering."""
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
