"""Property-based: each class of broken or hostile content of issue 22, and the promises a build keeps.

Each case is the small chronology of tests/promises.py (conftest's, with a record of every kind) or the
shipped one, with one realistic or nasty change of one class (tests/promise_cases.py). The build runs
in-process (build.main) over a previous site and must keep every promise of the README: exit 0 or 1 only
(3 is for a machine's indexing failure, never content), no exception escaping main(), each problem line
`path:line: message` or `path: message`, a summary line last, the previous site byte-identical after a
failure, and after a success well-formed XML and JSON in every file, no path written twice and a page of
its own for every record. Cases the README says are refused (reserved ids, other scripts' digits, YAML 1.1
numbers and tags, a quote running into chrome) must exit 1.

CI runs the cases the issue reports and a few derandomized examples per class. `CHRONICLE_LONG_PROMISES=1`
(or a number of examples per class) runs many more, records every case instead of stopping at the first
failure, and prints a table of the counts per class (cases, exit 0, exit 1, other, failures, and what failed);
`CHRONICLE_PROMISES_LOG=FILE` lists every failed case in FILE, a line each.
"""
from __future__ import annotations

import collections
import os
import shutil
import stat
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, Phase, example, given, settings
from promise_cases import CLASSES, REPORTED, Case, unreadable
from promises import remove_previous_sites, run_case

LONG = os.environ.get("CHRONICLE_LONG_PROMISES", "")
LOG = os.environ.get("CHRONICLE_PROMISES_LOG")  # a file to list every failed case in (class, case, exit, what)
EXAMPLES = (int(LONG) if LONG.isdigit() and int(LONG) > 1 else 60) if LONG else 10


COUNTS: dict = {name: collections.Counter() for name in CLASSES}
FAILED: dict = {name: collections.Counter() for name in CLASSES}  # what failed, by its first words
FIRST: dict = {}  # (class, what failed) -> the first case it failed with, and how


def run(case: Case) -> tuple:
    """Return (exit code, broken promises) of the case, built in a fresh folder."""
    folder = Path(tempfile.mkdtemp(prefix="promises-"))
    try:
        with pytest.MonkeyPatch.context() as patch:
            prepare = (lambda p, content: unreadable(case, p, content)) if case.unreadable else None
            code, broken = run_case(folder, case.files, case.links, index=case.index, monkeypatch=patch,
                                    prepare=prepare)
        if case.refused and code == 0:
            broken.append("accepted though it should be refused")
        if case.check is not None and code == 0:
            broken += case.check(folder / "site")
        return code, broken
    finally:
        for path in folder.rglob("*"):  # an unreadable file, chmod 000, or a link loop: removable as is
            if not path.is_symlink() and path.is_file() and not os.access(path, os.R_OK):
                path.chmod(stat.S_IRUSR | stat.S_IWUSR)
        shutil.rmtree(folder, ignore_errors=True)


def _kind_of(problem: str) -> str:
    """Return what a broken promise says, without the case's particulars (for the table)."""
    head = problem.split(": ")[0]
    if head == "traceback":
        return ": ".join(problem.split(": ")[:2])
    return head


@pytest.fixture(scope="module", autouse=True)
def table(request):
    yield
    remove_previous_sites()
    if not LONG:
        return
    reporter = request.config.pluginmanager.getplugin("terminalreporter")
    capture = request.config.pluginmanager.getplugin("capturemanager")
    with capture.global_and_fixture_disabled():
        _print_table(reporter.write_line if reporter else print)


def _print_table(write) -> None:
    write("")
    write(f"{'class':<22} {'cases':>6} {'exit 0':>7} {'exit 1':>7} {'other':>6} {'failed':>7}  what failed (cases)")
    for name in CLASSES:
        counts = COUNTS[name]
        if not counts["cases"]:  # not run (pytest -k)
            continue
        what = "; ".join(f"{kind} ({n})" for kind, n in FAILED[name].most_common())
        other = counts["cases"] - counts["exit 0"] - counts["exit 1"]  # exit 3, 2, or a traceback
        write(f"{name:<22} {counts['cases']:>6} {counts['exit 0']:>7} {counts['exit 1']:>7} {other:>6} "
              f"{counts['failed']:>7}  {what}")
    write("")
    write("first case of each failure:")
    for (name, kind), first in FIRST.items():
        write(f"  {name}: {kind}: {first[:300]}")


@pytest.mark.parametrize("name", list(CLASSES))
def test_every_class_of_broken_content_keeps_the_promises(name):
    examples: dict = {}  # what failed -> the first case it failed with (long mode)

    @settings(max_examples=EXAMPLES, derandomize=True, database=None, deadline=None,
              phases=[Phase.explicit, Phase.generate], suppress_health_check=list(HealthCheck))
    @given(CLASSES[name])
    def check(case):
        code, broken = run(case)
        COUNTS[name]["cases"] += 1
        COUNTS[name][f"exit {code}"] += 1
        if broken:
            COUNTS[name]["failed"] += 1
            for kind in dict.fromkeys(map(_kind_of, broken)):
                FAILED[name][kind] += 1
                examples.setdefault(kind, f"{case.note}: {broken}")
                FIRST.setdefault((name, kind), examples[kind])
            if LOG:
                with open(LOG, "a", encoding="utf-8") as log:
                    log.write(f"{name}\t{case.note}\texit {code}\t{'; '.join(broken)}\n")
        if not LONG:  # in CI the first broken promise fails the test; in the long mode every case is counted
            assert not broken, f"{case.note}: exit {code}: {broken}"

    for case in reversed(REPORTED.get(name, list)()):  # example() runs them in the order applied
        check = example(case)(check)
    check()
    assert not examples, "\n".join(examples.values())
