"""The preview server: serves the site with livereload, rebuilds on change, shows errors in the browser.

Files are watched with watchfiles, which groups a burst of saves (an editor writing several files, a
`git checkout` changing fifty) into one set of changes, so a burst gives one rebuild. livereload serves
the site and tells the browser to reload. The site is built into a temporary folder, never into site/.
After each successful rebuild the search index is remade in the background (see _SearchIndexer).
"""
from __future__ import annotations

import errno
import html
import logging
import shutil
import signal
import socket
import sys
import tempfile
import threading
import webbrowser
from pathlib import Path

import livereload
import watchfiles
from livereload.handlers import LiveReloadHandler, StaticFileHandler
from livereload.server import LiveScriptInjector
from tornado.ioloop import IOLoop
from tornado.web import HTTPError

from .incremental import Preview
from .problems import visible
from .render import TEMPLATES
from .search import BUNDLE, SearchIndexError, index_site

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEBOUNCE_MS = 1600  # longest a burst of changes is gathered before a rebuild
STEP_MS = 50  # a burst has ended once nothing changed for this long
QUIET_MS = 1000  # the feed, sitemap and exports are remade once nothing changed for this long


def serve(content: Path, host: str = "127.0.0.1", port: int = 8000, *, templates: Path = TEMPLATES,
          open_browser: bool = False, base_url: str | None = None, out=sys.stdout) -> int:
    """Build, serve and keep rebuilding until Ctrl-C; return the exit code."""
    if host not in LOOPBACK:
        print(f"warning: listening on {host}: anyone who can reach this machine can read the preview. "
              "Use the default (127.0.0.1) unless you mean it.", file=out)
    if not _port_free(host, port):
        free = next((p for p in range(port + 1, port + 50) if _port_free(host, p)), None)
        hint = f"; try --port {free}" if free else ""
        print(f"error: port {port} on {host} is already in use (another preview?){hint}", file=sys.stderr)
        return 2
    scratch = Path(tempfile.mkdtemp(prefix="chronicle-preview-"))
    site = scratch / "site"
    stop = threading.Event()
    watcher = None
    indexer = _SearchIndexer(site, scratch / "search", out)
    previous = signal.signal(signal.SIGTERM, _interrupt)
    try:
        preview = Preview(content, site, templates, base_url)
        site.mkdir(exist_ok=True)
        report = preview.build()
        _report(report, preview, out)
        if not report.problems:
            indexer.request()
        server = livereload.Server(watcher=_NoPolling())
        server._setup_logging = lambda: None  # one line per rebuild is ours to print
        logging.getLogger("tornado.access").disabled = True
        server.SFH = _handler_for(preview, indexer)
        loop = IOLoop.current()
        watcher = threading.Thread(target=_watch, args=(preview, [Path(content), Path(templates)], stop, loop, out,
                                                        indexer), name="chronicle-watch", daemon=True)
        watcher.start()
        url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
        if open_browser:
            threading.Timer(0.5, webbrowser.open, args=(url,)).start()
        loop.add_callback(lambda: print(f"serving {url} (Ctrl-C to stop)", file=out, flush=True))
        server.serve(port=port, host=host, root=str(site), restart_delay=0)
    except OSError as err:
        if err.errno != errno.EADDRINUSE:
            raise
        print(f"error: port {port} on {host} is already in use", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        stop.set()
        if watcher:
            watcher.join(timeout=5)
        indexer.close()
        signal.signal(signal.SIGTERM, previous)
        shutil.rmtree(scratch, ignore_errors=True)
    print("stopped", file=out, flush=True)
    return 0


def _interrupt(signum, frame):
    raise KeyboardInterrupt


def _port_free(host: str, port: int) -> bool:
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    with socket.socket(family, socket.SOCK_STREAM) as probe:
        try:
            probe.bind((host, port))
        except OSError:
            return False
    return True


def _watch(preview: Preview, paths: list, stop: threading.Event, loop: IOLoop, out,
           indexer: "_SearchIndexer | None" = None) -> None:
    """Rebuild once per burst of changes, tell every open page to reload, then re-index for search.

    The feed, sitemap and exports show every record, and take seconds to remake for a large chronology:
    they are written once the saves pause (QUIET_MS without a change), so that a save that follows
    another does not wait for them.
    """
    deferred = False
    for changes in watchfiles.watch(*paths, stop_event=stop, debounce=DEBOUNCE_MS, step=STEP_MS,
                                    watch_filter=_relevant, raise_interrupt=False,
                                    rust_timeout=QUIET_MS, yield_on_timeout=True):
        if not changes:  # a quiet moment
            if deferred:
                preview.finish()
                deferred = False
            continue
        report = preview.update({path for _, path in changes}, defer_data=True)
        _report(report, preview, out)
        loop.add_callback(LiveReloadHandler.reload_waiters)
        deferred = True
        if indexer is not None and not report.problems:
            indexer.request()


class _SearchIndexer:
    """Remakes the preview's search index in the background, so that search works without slowing reloads.

    At most one indexing runs at a time; a request that comes while one runs makes it run once more when
    it ends (any number of requests meanwhile coalesce into that one). Each index is written to a fresh
    folder outside the site (a full rebuild of the preview prunes files it did not write) and then
    served as /pagefind/ by the handler; the one before stays a while for pages still loading it.
    """

    def __init__(self, site: Path, root: Path, out):
        self.site, self.root, self.out = site, root, out
        self.current: Path | None = None  # the folder holding the latest pagefind/
        self.runs = 0
        self._lock = threading.Lock()
        self._running = False
        self._again = False
        self._closed = False
        self._thread: threading.Thread | None = None

    def request(self) -> None:
        with self._lock:
            if self._closed:
                return
            if self._running:
                self._again = True
                return
            self._running = True
            self._thread = threading.Thread(target=self._run, name="chronicle-search", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self.runs += 1
            folder = self.root / str(self.runs)
            try:
                index_site(self.site, folder / BUNDLE)
            except SearchIndexError as err:
                print(f"search index not updated: {err}", file=self.out, flush=True)
                shutil.rmtree(folder, ignore_errors=True)
            else:
                self.current = folder
                for old in self.root.iterdir():  # keep the latest two
                    if old.name.isdigit() and int(old.name) < self.runs - 1:
                        shutil.rmtree(old, ignore_errors=True)
            with self._lock:
                if not self._again or self._closed:
                    self._running = False
                    return
                self._again = False

    def close(self, timeout: float = 30) -> None:
        """Let a running indexing finish (its files go with the preview folder) and start no other."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join(timeout)


def _relevant(change, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path)


def _report(report, preview: Preview, out) -> None:
    print(report.line(), file=out, flush=True)
    for problem in report.problems:
        print(f"  {problem}", file=out, flush=True)


class _ExternalLiveScript(LiveScriptInjector):
    """Adds livereload's client to each page as an external script.

    livereload's own snippet is an inline script, which the site's Content-Security-Policy
    (script-src 'self') blocks; the client reads the server's address from its own src.
    """

    script = b'<script src="/livereload.js"></script>'


class _NoPolling(livereload.watcher.Watcher):
    """livereload's own watcher stays idle: watchfiles does the watching (see _watch)."""

    def start(self, callback):
        return True  # tells livereload not to poll


def _handler_for(preview: Preview, indexer: _SearchIndexer | None = None):
    class Handler(StaticFileHandler):
        """Serves the site, or the list of problems while the content has any; /pagefind/ from the index."""

        def prepare(self):
            self._transforms = [_ExternalLiveScript(self.request) if isinstance(t, LiveScriptInjector) else t
                                for t in self._transforms]

        async def get(self, path, include_body=True):
            if path.startswith(BUNDLE + "/") and indexer is not None:
                if indexer.current is None:
                    raise HTTPError(404)
                self.root = str(indexer.current)
                await super().get(path, include_body)
                return
            wants_page = path == "" or path.endswith((".html", "/"))
            if preview.problems and wants_page and self.get_query_argument("last-good", None) is None:
                self.set_status(500)
                self.set_header("Content-Type", "text/html; charset=utf-8")
                self.set_header("Cache-Control", "no-store")
                self.finish(error_page(preview.problems, path))
                return
            await super().get(path, include_body)

    return Handler


def error_page(problems: list, path: str) -> str:
    """Return the page shown instead of the site while the content has problems."""
    shown = lambda text: html.escape(visible(text))  # noqa: E731 - direction overrides and zero-width shown
    items = "\n".join(
        f"<li><code>{shown(p.path)}{':' + str(p.line) if p.line else ''}</code> {shown(p.message)}"
        + (f"<br><small>{shown(p.hint)}</small>" if p.hint else "") + "</li>" for p in problems)
    count = f"{len(problems)} problem{'s' if len(problems) != 1 else ''}"
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{count} in the content</title>
<style>body{{font:1rem/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem}}
h1{{color:#a11}}li{{margin:.6rem 0}}code{{background:#f3f1ec;padding:0 .2rem}}</style>
</head>
<body>
<main>
<h1>{count} in the content</h1>
<p>The site was not rebuilt. Fix the files below and save: this page reloads by itself.</p>
<ol>
{items}
</ol>
<p><a href="/{html.escape(path.lstrip('/'))}?last-good=1">See the last good version of this page</a></p>
</main>
</body>
</html>
"""
