"""Interrupted and concurrent builds: a killed build leaves the previous site whole, two builds never mix."""
from __future__ import annotations

import hashlib
import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
from conftest import EVENT_TITLE_LINE, ROOT, run_build

from benchmarks.synthetic import generate
from chronicle import write

BUILD = [sys.executable, str(ROOT / "build.py")]


def manifest(site: Path, with_search: bool = True) -> dict:
    """Return every file of `site` with its SHA-256 (the search index's own files left out, if asked)."""
    return {p.relative_to(site).as_posix(): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(site.rglob("*")) if p.is_file() and (with_search or "pagefind" not in p.parts)}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".site."))


@pytest.fixture(scope="module")
def synthetic(tmp_path_factory):
    """A synthetic chronology big enough that writing and indexing take a while, built once."""
    folder = tmp_path_factory.mktemp("interrupted")
    generate(folder / "content", events=400)
    result = run_build("--content", folder / "content", "--out", folder / "site")
    assert result.returncode == 0, result.stderr
    return folder


def start_build(folder: Path) -> subprocess.Popen:
    return subprocess.Popen([*BUILD, "--content", str(folder / "content"), "--out", str(folder / "site")],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, start_new_session=True)


def test_a_build_killed_while_writing_leaves_the_previous_site_and_the_next_build_works(synthetic):
    site = synthetic / "site"
    before = manifest(site)
    event = sorted((synthetic / "content" / "events").glob("*.md"))[0]
    event.write_text(event.read_text().replace("title: ", "title: Changed, ", 1))
    for delay in (0.0, 0.02, 0.08, 0.4):  # while writing pages, then while indexing for search
        stale = {p.name for p in synthetic.iterdir()}
        process = start_build(synthetic)
        deadline = time.monotonic() + 60
        while not any(p.name.startswith(".site.new-") and p.name not in stale for p in synthetic.iterdir()):
            assert process.poll() is None and time.monotonic() < deadline, process.communicate()
            time.sleep(0.002)
        time.sleep(delay)
        os.killpg(process.pid, signal.SIGKILL)  # the build, its second renderer and Pagefind, as a kill -9 would
        process.wait()
        if "Changed, " in (site / "events" / f"{event.stem}.html").read_text():
            pytest.fail(f"killed after {delay} s, the build had already swapped the new site in; lower the delays")
        assert manifest(site) == before, f"killed after {delay} s"
    result = run_build("--content", synthetic / "content", "--out", site)
    assert result.returncode == 0, result.stderr
    assert "Changed, " in (site / "events" / f"{event.stem}.html").read_text()
    assert leftovers(synthetic) == []  # the killed builds' folders and lock are gone


def test_a_swap_killed_halfway_is_undone_by_the_next_build(make_content, tmp_path):
    """Where the atomic exchange is not available, the site is moved aside then replaced: if killed
    in between, the next build (even one that fails) puts the previous site back first."""
    out = tmp_path / "site"
    root = make_content()
    assert run_build("--content", root, "--out", out).returncode == 0
    before = manifest(out)
    aside = tmp_path / ".site.old-x1y2z3"
    aside.mkdir()
    out.rename(aside / "site")  # what a build killed between the two renames leaves
    (tmp_path / ".site.new-a1b2c3" / "events").mkdir(parents=True)
    event = root / "events" / "losses.md"
    event.write_text(event.read_text().replace(EVENT_TITLE_LINE, "title: no"))
    result = run_build("--content", root, "--out", out)
    assert result.returncode == 1
    assert manifest(out) == before
    assert leftovers(tmp_path) == []


def test_a_second_build_waits_for_the_first(make_content, tmp_path):
    out = tmp_path / "site"
    root = make_content()
    with write.output_lock(out):  # a build in progress
        process = start_build(tmp_path)
        line = process.stderr.readline()
        assert line == f"another build (process {os.getpid()}) is writing {out}; waiting for it to finish (Ctrl-C to stop)\n"
        time.sleep(0.5)
        assert process.poll() is None and not out.exists()
    stdout, stderr = process.communicate(timeout=60)
    assert process.returncode == 0, stderr
    assert stdout.startswith("built ") and (out / "events" / "losses.html").is_file()
    assert leftovers(tmp_path) == []
    assert root.is_dir()


def test_two_builds_started_at_once_give_one_whole_site(synthetic, tmp_path):
    out = tmp_path / "site"
    first, second = (subprocess.Popen([*BUILD, "--content", str(synthetic / "content"), "--out", str(out)],
                                      stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True) for _ in range(2))
    results = [p.communicate(timeout=120) + (p.returncode,) for p in (first, second)]
    assert [code for _, _, code in results] == [0, 0], results
    waited = [err for _, err, _ in results if "waiting for it to finish" in err]
    assert len(waited) == 1, results  # builds of several seconds started together: one waits
    assert manifest(out, with_search=False) == manifest(synthetic / "site", with_search=False)
    assert leftovers(tmp_path) == []


def test_the_lock_is_held_once_per_thread_and_waited_for_across_threads(tmp_path):
    out = tmp_path / "site"
    order = []

    def other():
        with write.output_lock(out, on_wait=lambda pid: order.append(("waiting", pid))):
            order.append("other")

    with write.output_lock(out):
        with write.output_lock(out):  # re-entrant: the pipeline holds it around new_site
            thread = threading.Thread(target=other)
            thread.start()
            time.sleep(0.3)
            order.append("first")
    thread.join(10)
    assert order == [("waiting", os.getpid()), "first", "other"]
    assert leftovers(tmp_path) == []
