"""The preview server as an author uses it: a real browser, real files, real processes."""
from __future__ import annotations

import shutil
import signal
import socket
import subprocess
import sys
import time
from contextlib import contextmanager
from pathlib import Path

import pytest
from browser import browser
from conftest import ROOT


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(content: Path, port: int, env: dict | None = None):
    """Run `build.py serve` on `content`; yield (process, output lines so far); always stop it."""
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                                "--port", str(port)], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                               text=True, bufsize=1, env=env)
    lines: list[str] = []
    try:
        wait_for_line(process, lines, "serving http://127.0.0.1:")
        yield process, lines
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGINT)
            try:
                process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
            lines.extend(process.stdout.read().splitlines())


def wait_for_line(process, lines: list, text: str, timeout: float = 20) -> str:
    """Read the server's output until a line containing `text`; return it."""
    import selectors

    selector = selectors.DefaultSelector()
    selector.register(process.stdout, selectors.EVENT_READ)
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if selector.select(timeout=0.2):
            line = process.stdout.readline()
            if not line:
                break
            lines.append(line.rstrip("\n"))
            if text in line:
                return line
    raise AssertionError(f"no line with {text!r} in: {lines}")


@pytest.fixture
def content(tmp_path):
    folder = tmp_path / "content"
    shutil.copytree(ROOT / "content", folder)
    return folder


def test_edit_reload_break_and_recover_in_the_browser(content):
    port = free_port()
    event = content / "events" / "ukraine-incursion-into-kursk.md"
    original = event.read_text()
    with serving(content, port) as (process, lines), browser() as chromium:
        page = chromium.new_page()
        page.goto(f"http://127.0.0.1:{port}/events/ukraine-incursion-into-kursk.html")
        page.wait_for_function("() => window.LiveReload !== undefined", timeout=10_000)
        assert "Ukraine mounts an incursion" in page.locator("h1").inner_text()

        event.write_text(original.replace("title: Ukraine mounts", "title: Edited live, Ukraine mounts"))
        page.wait_for_function("() => document.querySelector('h1').textContent.includes('Edited live')",
                               timeout=15_000)

        event.write_text(original.replace("title:", "titel:"))
        page.wait_for_function("() => document.title.includes('problem')", timeout=15_000)
        body = page.locator("main").inner_text()
        assert "ukraine-incursion-into-kursk.md:" in body and "unknown field 'titel'" in body
        last_good = page.locator("a", has_text="last good version")
        assert last_good.count() == 1

        event.write_text(original)
        page.wait_for_function("() => document.querySelector('h1') && "
                               "document.querySelector('h1').textContent.includes('Ukraine mounts')",
                               timeout=15_000)
        assert "problem" not in page.title()
        page.close()
    assert any("2 problem(s); the last good site is still served" in line for line in lines)


def test_a_burst_of_saves_gives_one_rebuild(content):
    port = free_port()
    with serving(content, port) as (process, lines):
        for path in sorted((content / "events").glob("*.md"))[:30]:
            path.write_text(path.read_text() + "\n")
        wait_for_line(process, lines, "rebuilt")
        time.sleep(2.5)  # anything still to come would arrive within the debounce window
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=10)
    rebuilds = [line for line in lines + rest.splitlines() if ": rebuilt" in line or ": full rebuild" in line][1:]
    assert len(rebuilds) == 1, rebuilds
    assert "and 27 more: rebuilt" in rebuilds[0]


def test_port_in_use_gives_a_clear_message(content):
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]
        result = subprocess.run([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                                 "--port", str(port)], capture_output=True, text=True, timeout=30)
    assert result.returncode == 2
    assert f"error: port {port} on 127.0.0.1 is already in use (another preview?); try --port " in result.stderr
    assert "Traceback" not in result.stderr


def test_ctrl_c_stops_cleanly_and_removes_the_preview_folder(content, tmp_path):
    import os

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    port = free_port()
    with serving(content, port, env={**os.environ, "TMPDIR": str(scratch)}) as (process, lines):
        assert [p.name[:18] for p in scratch.iterdir()] == ["chronicle-preview-"]
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=10)
    assert process.returncode == 0
    assert rest.strip().endswith("stopped") and "Traceback" not in rest
    assert list(scratch.iterdir()) == []
