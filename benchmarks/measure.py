"""Measuring a command as a whole: its wall time, CPU time and the peak memory of its process tree.

The memory is the sum, over the process and every descendant alive at the moment, of the
proportional set size (Pss in /proc/PID/smaps_rollup: each page shared by n processes counts 1/n in
each, so the pages a forked chronicle process shares with its parent count once), sampled every
SAMPLE_S seconds; the peak is the largest sum seen. The resident sizes (Rss) are summed too, which
counts shared pages once per process. A peak shorter than a sample can be missed; the builds measured
hold their peak for seconds.
"""
from __future__ import annotations

import os
import resource
import subprocess
import threading
import time
from pathlib import Path

SAMPLE_S = 0.05


def tree(pid: int) -> list[int]:
    """Return `pid` and its descendants alive now (through each thread's /proc children list)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        try:
            tasks = os.listdir(f"/proc/{current}/task")
        except OSError:
            continue
        for task in tasks:
            try:
                children = Path(f"/proc/{current}/task/{task}/children").read_text().split()
            except OSError:
                continue
            todo.extend(int(child) for child in children)
    return found


def memory(pids: list[int]) -> tuple[int, int]:
    """Return the summed Pss and Rss of `pids` in kB (processes gone meanwhile count 0)."""
    pss = rss = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/smaps_rollup").read_text()
        except OSError:
            continue
        for line in text.splitlines()[1:]:
            name, _, value = line.partition(":")
            if name == "Pss":
                pss += int(value.split()[0])
            elif name == "Rss":
                rss += int(value.split()[0])
    return pss, rss


def cpu_seconds(pids: list[int]) -> float:
    """Return the CPU time (user and system) the processes `pids` have used so far."""
    ticks = os.sysconf("SC_CLK_TCK")
    total = 0
    for pid in pids:
        try:
            fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
        except OSError:
            continue
        # utime, stime, and the cutime and cstime of children it has reaped (fields 14 to 17 of stat),
        # so that the time of a child that ends between two readings is still counted
        total += sum(int(field) for field in fields[11:15])
    return total / ticks


class PeakMemory:
    """Samples the memory of a process tree in a thread until stopped; keeps the peak (kB)."""

    def __init__(self, pid: int):
        self.pid, self.pss, self.rss = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        while not self._stop.is_set():
            pss, rss = memory(tree(self.pid))
            self.pss, self.rss = max(self.pss, pss), max(self.rss, rss)
            self._stop.wait(SAMPLE_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run(command: list, cwd: Path | None = None) -> dict:
    """Run `command` to its end; return its wall seconds, CPU seconds (of it and of the children it
    waited for) and peak memory of its process tree (MB), or raise CalledProcessError."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = PeakMemory(process.pid)
    out, err = process.communicate()
    seconds = time.perf_counter() - started
    peak.stop()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, out, err)
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu = (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
    return {"seconds": seconds, "cpu": cpu, "peak_pss_mb": peak.pss / 1024, "peak_rss_mb": peak.rss / 1024,
            "output": out}


def wait_idle(pid: int, timeout: float = 600, window: float = 1.0, windows: int = 2, busy: float = 0.05) -> float:
    """Wait until the process tree of `pid` has used less than `busy` of a core in each of `windows`
    consecutive windows of `window` seconds; return the seconds waited (TimeoutError after `timeout`).

    Two windows of a second: chronicle's preview writes its feed and exports a second after the last
    change, so one quiet second can come before that work."""
    started, quiet = time.perf_counter(), 0
    last = cpu_seconds(tree(pid))
    while quiet < windows:
        if time.perf_counter() - started > timeout:
            raise TimeoutError(f"process {pid} still busy after {timeout:.0f} s")
        time.sleep(window)
        now = cpu_seconds(tree(pid))
        quiet = quiet + 1 if now - last < busy * window else 0
        last = now
    return time.perf_counter() - started
