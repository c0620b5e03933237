"""Measuring a command as a whole: its wall time, CPU time and the peak memory of its process tree.

Memory is measured three ways, the first being the one reported as the tree's:
- Pss: the sum, over the process and every descendant alive at the moment, of the proportional set
  size (/proc/PID/smaps_rollup: a page shared by n processes counts 1/n in each, so the pages a
  forked chronicle process shares with its parent count once). Reading it walks the process's page
  tables (about 16 ms of CPU per GB), so it is sampled at most every PSS_MIN_S seconds and less often
  for large processes, keeping the sampling under a twentieth of a core.
- Rss summed over the tree, sampled every SAMPLE_S seconds (cheap: /proc/PID/status); a page
  shared by a forked process counts in each, so for chronicle this is an upper bound.
- The largest single process's peak Rss, exact (the kernel's, from wait4), not sampled.
A peak shorter than a sample can be missed; the builds measured hold theirs for seconds.
"""
from __future__ import annotations

import os
import subprocess
import threading
import time
from pathlib import Path

SAMPLE_S = 0.05
PSS_MIN_S = 0.2
PSS_SHARE = 0.05  # of one core, at most, spent reading Pss


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


def summed(pids: list[int], file: str, field: str) -> int:
    """Return the sum of `field` (in kB) of /proc/PID/`file` over `pids` (a process gone counts 0)."""
    total = 0
    for pid in pids:
        try:
            text = Path(f"/proc/{pid}/{file}").read_text()
        except OSError:
            continue
        at = text.find(f"\n{field}:")
        if at >= 0:
            total += int(text[at + len(field) + 2:].split(None, 1)[0])
    return total


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
    """Samples the memory of a process tree in a thread until stopped; keeps the peaks (kB)."""

    def __init__(self, pid: int):
        self.pid, self.pss, self.rss = pid, 0, 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="peak-memory", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        next_pss = 0.0
        while not self._stop.is_set():
            pids = tree(self.pid)
            self.rss = max(self.rss, summed(pids, "status", "VmRSS"))
            if time.perf_counter() >= next_pss:
                cost = time.thread_time()
                self.pss = max(self.pss, summed(pids, "smaps_rollup", "Pss"))
                cost = time.thread_time() - cost
                next_pss = time.perf_counter() + max(PSS_MIN_S, cost / PSS_SHARE)
            self._stop.wait(SAMPLE_S)

    def stop(self) -> None:
        self._stop.set()
        self._thread.join()


def run(command: list, cwd: Path | None = None) -> dict:
    """Run `command` to its end; return its wall seconds, CPU seconds (of it and of the children it
    waited for), the peak memory of its process tree and of its largest process (MB), and what it
    printed; raise CalledProcessError if it failed."""
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    peak = PeakMemory(process.pid)
    output = {}
    readers = [threading.Thread(target=lambda name, stream: output.update({name: stream.read()}), args=item)
               for item in (("out", process.stdout), ("err", process.stderr))]
    for reader in readers:
        reader.start()
    _, status, usage = os.wait4(process.pid, 0)  # the child's own rusage: CPU time and exact peak Rss
    seconds = time.perf_counter() - started
    process.returncode = os.waitstatus_to_exitcode(status)
    peak.stop()
    for reader in readers:
        reader.join()
    if process.returncode:
        raise subprocess.CalledProcessError(process.returncode, command, output["out"], output["err"])
    return {"seconds": seconds, "cpu": usage.ru_utime + usage.ru_stime, "peak_pss_mb": peak.pss / 1024,
            "peak_rss_mb": peak.rss / 1024, "largest_process_mb": usage.ru_maxrss / 1024, "output": output["out"]}


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
