"""Serving a built site on 127.0.0.1 and driving Debian's Chromium with Playwright."""
from __future__ import annotations

import functools
import http.server
import os
import shutil
import threading
from contextlib import contextmanager
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
CHROMIUM = shutil.which("chromium") or "/usr/bin/chromium"
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
VNU = ROOT / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"]


def require(path: Path | str, what: str) -> None:
    """Skip when a test tool is missing on a developer's machine; in CI a missing tool is a failure."""
    if not Path(path).exists():
        message = f"{what} not installed ({path}); ./test.sh installs it"
        if os.environ.get("CI"):
            pytest.fail(message)
        pytest.skip(message)


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, *args):  # keep test output clean
        pass


@contextmanager
def serve(root: Path, headers: dict | None = None):
    """Serve `root` on 127.0.0.1 at a free port, adding `headers` to every response; yield the base URL."""
    extra = dict(headers or {})

    class Handler(_QuietHandler):
        def end_headers(self):
            for name, value in extra.items():
                self.send_header(name, value)
            super().end_headers()

    handler = functools.partial(Handler, directory=str(root))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


@contextmanager
def browser():
    """Yield a Playwright browser running Debian's Chromium headless; always closed."""
    require(CHROMIUM, "Chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        instance = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        try:
            yield instance
        finally:
            instance.close()
