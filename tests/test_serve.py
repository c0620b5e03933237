"""The preview server as an author uses it: a real browser, real files, real processes."""
from __future__ import annotations

import os
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

# Stopping lets a search indexing that is running finish (serve.Indexer.close waits up to 30 s): on a
# loaded machine, Pagefind may still be indexing the last rebuild when Ctrl-C comes.
STOP_TIMEOUT = 40


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@contextmanager
def serving(content: Path, port: int, scratch: Path | None = None, host: str = "127.0.0.1"):
    """Run `build.py serve` on `content`; yield (process, output lines so far); always stop it.

    The server makes its temporary folder in `scratch` (by default a fresh folder beside `content`). It
    is stopped as an author stops it, by Ctrl-C (SIGINT), and given the time to clean up: once it has
    stopped, its folder must be gone from `scratch`.
    """
    scratch = scratch or content.parent / "tmp"
    scratch.mkdir(exist_ok=True)
    before = set(scratch.iterdir())
    process = subprocess.Popen([sys.executable, str(ROOT / "build.py"), "serve", "--content", str(content),
                                "--host", host, "--port", str(port)], stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True, bufsize=1, env={**os.environ, "TMPDIR": str(scratch)})
    lines: list[str] = []
    try:
        wait_for_line(process, lines, f"serving http://{host}:{port}/")
        yield process, lines
    finally:
        stopped = stop(process, lines)
    assert stopped, f"the server did not stop within {STOP_TIMEOUT} s of Ctrl-C: {lines}"
    assert set(scratch.iterdir()) <= before, "the server left its temporary folder behind"


def stop(process, lines: list) -> bool:
    """Stop the server by Ctrl-C, waiting for it; kill it only if it does not stop. Return whether it stopped."""
    stopped = True
    if process.poll() is None:
        process.send_signal(signal.SIGINT)
        try:
            process.wait(timeout=STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
            stopped = False
    if not process.stdout.closed:  # (a test may have read it to the end)
        lines.extend(process.stdout.read().splitlines())
    return stopped


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
    errors: list[str] = []
    with serving(content, port) as (process, lines), browser() as chromium:
        page = chromium.new_page()
        page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
        page.goto(f"http://127.0.0.1:{port}/events/ukraine-incursion-into-kursk.html")
        # Under the site's CSP, the reload script runs and connects.
        page.wait_for_function("() => window.chroniclePreview === 'connected'", timeout=10_000)
        assert "Ukraine mounts an incursion" in page.locator("h1").inner_text()

        event.write_text(original.replace("title: Ukraine mounts", "title: Edited live, Ukraine mounts"))
        # (while the page reloads, it may have no heading yet)
        page.wait_for_function("() => document.querySelector('h1') && "
                               "document.querySelector('h1').textContent.includes('Edited live')", timeout=15_000)

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
    assert [e for e in errors if "Content Security Policy" in e] == []


def test_a_burst_of_saves_gives_one_rebuild(content):
    port = free_port()
    with serving(content, port) as (process, lines):
        for path in sorted((content / "events").glob("*.md"))[:30]:
            path.write_text(path.read_text() + "\n")
        wait_for_line(process, lines, "rebuilt")
        time.sleep(2.5)  # anything still to come would arrive within the debounce window
        process.send_signal(signal.SIGINT)
        rest, _ = process.communicate(timeout=STOP_TIMEOUT)
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


@pytest.mark.parametrize("stop_signal", [signal.SIGINT, signal.SIGTERM, signal.SIGHUP],
                         ids=["Ctrl-C", "SIGTERM", "SIGHUP (terminal closed)"])
def test_ctrl_c_stops_cleanly_and_removes_the_preview_folder(content, tmp_path, stop_signal):
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    port = free_port()
    with serving(content, port, scratch) as (process, lines):
        assert [p.name[:18] for p in scratch.iterdir()] == ["chronicle-preview-"]
        process.send_signal(stop_signal)
        rest, _ = process.communicate(timeout=STOP_TIMEOUT)
    assert process.returncode == 0
    assert rest.strip().endswith("stopped") and "Traceback" not in rest
    assert list(scratch.iterdir()) == []


def test_a_killed_servers_folder_is_removed_by_the_next_one(content, tmp_path):
    """kill -9 leaves no chance to clean up: the next preview removes what it left, and nothing of a
    preview still running."""
    scratch = tmp_path / "scratch"
    scratch.mkdir()
    with serving(content, free_port(), scratch) as (killed, _):
        [left] = scratch.iterdir()
        killed.kill()
        killed.wait()
        assert left.exists()
        with serving(content, free_port(), scratch):
            [running] = scratch.iterdir()
            assert running != left
            with serving(content, free_port(), scratch):  # a third does not touch the running one's
                assert running.is_dir() and len(list(scratch.iterdir())) == 2
            assert list(scratch.iterdir()) == [running]


def test_listening_beyond_this_machine_gives_a_warning(content):
    port = free_port()
    with serving(content, port, host="0.0.0.0") as (process, lines):
        pass
    assert lines[0] == ("warning: listening on 0.0.0.0: anyone who can reach this machine can read the preview. "
                        "Use the default (127.0.0.1) unless you mean it.")


def test_the_default_is_this_machine_only(content):
    from build import parse_args

    assert parse_args(["serve"]).host == "127.0.0.1"


def raw_get(port: int, path: str) -> tuple[int, bytes]:
    """Send `path` exactly as given (no normalising, no quoting); return the status and body."""
    import http.client

    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    connection.putrequest("GET", path, skip_host=False, skip_accept_encoding=True)
    connection.endheaders()
    response = connection.getresponse()
    body = response.read()
    connection.close()
    return response.status, body


def test_nothing_outside_the_site_is_served(content, tmp_path):
    from urllib.parse import quote

    scratch = tmp_path / "scratch"
    scratch.mkdir()
    secret = "chronicle-secret-6b1f0c"
    (tmp_path / "secret.txt").write_text(secret)
    port = free_port()
    with serving(content, port, scratch) as (process, lines):
        [preview] = scratch.iterdir()  # chronicle-preview-*/site is served
        (preview / "secret.txt").write_text(secret)
        assert raw_get(port, "/index.html")[0] == 200
        deadline = time.monotonic() + 30
        while raw_get(port, "/pagefind/pagefind.js")[0] != 200:  # the index is made in the background
            assert time.monotonic() < deadline, "the search index was not served"
            time.sleep(0.2)
        absolute = str(tmp_path / "secret.txt")
        attempts = ["/../secret.txt", "/../../secret.txt", "/%2e%2e/secret.txt", "/%2E%2E%2Fsecret.txt",
                    "/..%2fsecret.txt", "/..%5csecret.txt", "/..\\secret.txt", "/.%2e/.%2e/secret.txt",
                    "/%252e%252e/secret.txt", "/assets/../../secret.txt", "/assets/%2e%2e%2f%2e%2e%2fsecret.txt",
                    "//" + absolute.lstrip("/"), "/" + quote(absolute, safe=""), "/%2F" + quote(absolute.lstrip("/")),
                    "/pagefind/../../secret.txt", "/pagefind/%2e%2e/%2e%2e/secret.txt",
                    "/pagefind/..%2f..%2f..%2fsecret.txt", "/pagefind/" + quote(absolute, safe=""),
                    "/../../../../../../etc/passwd", "//etc/passwd", "/%2Fetc%2Fpasswd", "/index.html%00.txt",
                    "/%E2%80%A5/secret.txt", "/%EF%BC%8E%EF%BC%8E/secret.txt"]  # look-alikes of '..' 
        served = {}
        for path in attempts:
            status, body = raw_get(port, path)
            if secret.encode() in body or b"root:" in body or status == 200:
                served[path] = (status, body[:80])
    assert served == {}


def test_the_feed_and_exports_follow_an_edit_once_the_saves_pause(content):
    import urllib.request

    port = free_port()
    event = content / "events" / "ukraine-incursion-into-kursk.md"
    with serving(content, port) as (process, lines):
        event.write_text(event.read_text().replace("title: Ukraine mounts", "title: Edited for the feed, Ukraine mounts"))
        wait_for_line(process, lines, "rebuilt")
        deadline = time.monotonic() + 15
        while True:
            feed = urllib.request.urlopen(f"http://127.0.0.1:{port}/feed.xml", timeout=5).read().decode()
            data = urllib.request.urlopen(f"http://127.0.0.1:{port}/data/chronology.json", timeout=5).read().decode()
            if "Edited for the feed" in feed and "Edited for the feed" in data:
                break
            assert time.monotonic() < deadline, "the feed and exports were not rewritten after the edit"
            time.sleep(0.2)


def test_while_the_content_has_problems_no_request_gets_a_link_off_the_site(content):
    """The error page links to the last good version of the page asked for: only for a plain site path.
    Anything else (a backslash, which browsers read as a slash, a control character, '..') gets a 404 and
    no traceback (issue 22: '/%5Cevil.example/x.html' gave a link to '/\\evil.example/...')."""
    event = content / "events" / "ukraine-incursion-into-kursk.md"
    event.write_text(event.read_text().replace("title:", "titel:"))
    port = free_port()
    with serving(content, port) as (process, lines):
        status, body = raw_get(port, "/events/x.html")
        assert status == 500 and b'href="/events/x.html?last-good=1"' in body
        status, body = raw_get(port, "/events/%C3%A9t%C3%A9%3F.html")
        assert status == 500 and b'href="/events/%C3%A9t%C3%A9%3F.html?last-good=1"' in body
        refused = {}
        for path in ["/%5Cevil.example/x.html", "/\\evil.example/x.html", "/%09evil.example/x.html",
                     "/%0Aevil.example/x.html", "/%0D%0Aevil.example/x.html", "//evil.example/x.html",
                     "/%2Fevil.example/x.html", "/%5C%5Cevil.example/x.html", "/events/%5C/x.html",
                     "/x%00.html", "/%00", "/index.html%00.txt", "/%00/", "/./index.html", "/events/../index.html",
                     "/%E2%80%AEevil.html", "/assets/%00style.css", "/pagefind/%00pagefind.js"]:
            status, body = raw_get(port, path)
            refused[path] = (status, b"last-good" in body)
    assert refused == {path: (404, False) for path in refused}
    assert [line for line in lines if "Traceback" in line or "Error" in line] == []


def test_an_open_page_is_told_to_reload_after_a_rebuild_or_at_once_if_it_missed_one(content):
    """The reload channel without a browser: a page served before the last rebuild is told to reload as
    soon as its socket opens; one that is current waits for the next rebuild."""
    import asyncio
    import re

    from tornado.websocket import websocket_connect

    port = free_port()
    event = content / "events" / "ukraine-incursion-into-kursk.md"

    async def told(version: str, then_edit: bool = False) -> list:
        """Return what a socket opened with `version` is told within a second, and then after an edit."""
        socket = await websocket_connect(f"ws://127.0.0.1:{port}/_preview/reload?version={version}")

        async def heard(seconds: float):
            try:
                return await asyncio.wait_for(socket.read_message(), timeout=seconds)
            except asyncio.TimeoutError:
                return None

        said = [await heard(1)]
        if then_edit:
            event.write_text(event.read_text().replace("title: Ukraine mounts", "title: Edited, Ukraine mounts"))
            said.append(await heard(15))
        socket.close()
        return said

    with serving(content, port) as (process, lines):
        page = raw_get(port, "/events/ukraine-incursion-into-kursk.html")[1].decode()
        [version] = re.findall(r'<script src="/_preview/reload\.js" data-version="([^"]+)"></script></body>', page)
        assert asyncio.run(told("an-old-version")) == ["reload"]
        assert asyncio.run(told(version, then_edit=True)) == [None, "reload"]
        wait_for_line(process, lines, "rebuilt")
        assert asyncio.run(told(version)) == ["reload"]  # that page missed the rebuild
