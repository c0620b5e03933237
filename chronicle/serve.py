"""The preview command: builds into a temporary folder, serves it, rebuilds on change, shows errors.

Files are watched with watchfiles, which groups a burst of saves (an editor writing several files, a
`git checkout` changing fifty) into one set of changes, so a burst gives one rebuild. The site is built
into a temporary folder, never into site/, and served by `preview_server` (tornado), which tells the
open pages to reload after each rebuild. After each successful rebuild the bundles of the search index
holding a changed page are remade in the background (see preview_search.SearchIndexer). The temporary
folder is removed however the server stops: Ctrl-C, SIGTERM, SIGHUP (a closed terminal), an error; the
folder of a killed server (kill -9) is removed by the next preview that starts (see preview_folder).
"""
from __future__ import annotations

import asyncio
import errno
import fcntl
import logging
import os
import shutil
import signal
import socket
import sys
import tempfile
import threading
import webbrowser
from contextlib import contextmanager
from pathlib import Path

import watchfiles
from tornado.ioloop import IOLoop

from .incremental import Preview
from .load import load
from .preview_server import Reloads, application
from .render import TEMPLATES
from .preview_search import SearchIndexer
from .problems import summary_line

LOOPBACK = ("127.0.0.1", "localhost", "::1")
DEBOUNCE_MS = 1600  # longest a burst of changes is gathered before a rebuild
STEP_MS = 50  # a burst has ended once nothing changed for this long
QUIET_MS = 1000  # the feed, sitemap and exports are remade once nothing changed for this long
FOLDER_PREFIX = "chronicle-preview-"
LOCK_FILE = ".lock"  # locked by the running preview (see preview_folder)
STOP_SIGNALS = (signal.SIGINT, signal.SIGTERM, signal.SIGHUP)


def serve(content: Path, host: str = "127.0.0.1", port: int = 8000, *, templates: Path = TEMPLATES,
          open_browser: bool = False, base_url: str | None = None, out=sys.stdout) -> int:
    """Build, serve and keep rebuilding until Ctrl-C (or SIGTERM, SIGHUP); return the exit code."""
    if host not in LOOPBACK:
        print(f"warning: listening on {host}: anyone who can reach this machine can read the preview. "
              "Use the default (127.0.0.1) unless you mean it.", file=out)
    if not _port_free(host, port):
        free = next((p for p in range(port + 1, port + 50) if _port_free(host, p)), None)
        hint = f"; try --port {free}" if free else ""
        print(f"error: port {port} on {host} is already in use (another preview?){hint}", file=sys.stderr)
        return 2
    if not os.path.isdir(content):  # nothing to watch for it to appear: said as the build says it, and stop
        problems = load(Path(content)).problems
        for problem in problems:
            print(problem, file=sys.stderr)
        print(summary_line(problems), file=sys.stderr)
        return 1
    previous = {sig: signal.getsignal(sig) for sig in STOP_SIGNALS}
    try:
        _stop_by_interrupt()
        with preview_folder() as scratch:
            _build_and_serve(content, templates, base_url, scratch, host, port, open_browser, out)
    except OSError as err:
        if err.errno != errno.EADDRINUSE:
            raise
        print(f"error: port {port} on {host} is already in use", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        pass
    finally:
        for sig, handler in previous.items():
            signal.signal(sig, handler)
    print("stopped", file=out, flush=True)
    return 0


def _build_and_serve(content: Path, templates: Path, base_url, scratch: Path, host: str, port: int,
                     open_browser: bool, out) -> None:
    """Build into `scratch`/site, then serve it until a stop signal, rebuilding on every change."""
    site = scratch / "site"
    site.mkdir()
    stop = threading.Event()
    indexer = SearchIndexer(scratch / "search", out)
    preview = Preview(content, site, templates, base_url, on_pages=indexer.pages)
    watchers: list[threading.Thread] = []

    def watch(reload_pages) -> None:  # called once the server listens
        thread = threading.Thread(target=_watch, name="chronicle-watch", daemon=True,
                                  args=(preview, [Path(content), Path(templates)], stop, out, indexer, reload_pages))
        thread.start()
        watchers.append(thread)

    try:
        report = preview.build()
        _report(report, preview, out)
        if not report.problems:
            indexer.request()
        asyncio.run(_serve_until_stopped(site, preview, indexer, watch, host, port, open_browser, out))
    finally:
        _stop_by_interrupt()  # asyncio reset the signals it handled: a second Ctrl-C still removes the folder
        stop.set()
        for thread in watchers:
            thread.join(timeout=5)
        indexer.close()


async def _serve_until_stopped(site: Path, preview: Preview, indexer: "SearchIndexer", watch, host: str,
                               port: int, open_browser: bool, out) -> None:
    """Serve until SIGINT, SIGTERM or SIGHUP; `watch(reload_pages)` starts the watching thread."""
    # tornado warns on stderr of each refused request (an invalid URL, say); the terminal is for rebuilds
    logging.getLogger("tornado.general").setLevel(logging.ERROR)
    reloads = Reloads()
    server = application(site, preview, indexer, reloads).listen(port, host)
    stopping = asyncio.Event()
    loop = asyncio.get_running_loop()
    for sig in STOP_SIGNALS:
        loop.add_signal_handler(sig, stopping.set)
    ioloop = IOLoop.current()
    watch(lambda: ioloop.add_callback(reloads.reload))  # add_callback is the thread-safe way in
    url = f"http://{'[' + host + ']' if ':' in host else host}:{port}/"
    print(f"serving {url} (Ctrl-C to stop)", file=out, flush=True)
    if open_browser:
        threading.Timer(0.5, webbrowser.open, args=(url,)).start()
    await stopping.wait()
    server.stop()
    reloads.close()


@contextmanager
def preview_folder():
    """Yield a fresh temporary folder for the preview; remove it when the block ends.

    Each folder holds a lock file (the kernel's flock, released however the process ends) locked for as
    long as its preview runs, so a folder whose lock can be taken was left by a killed preview: those
    are removed first. The folder is made under another name and renamed once locked, so that a preview
    starting meanwhile never takes a new folder for a dead one.
    """
    _remove_abandoned()
    making = Path(tempfile.mkdtemp(prefix=f".{FOLDER_PREFIX}new-"))
    lock = os.open(making / LOCK_FILE, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        fcntl.flock(lock, fcntl.LOCK_EX)
        folder = making.with_name(FOLDER_PREFIX + making.name.rsplit("-", 1)[1])
        making.rename(folder)
        try:
            yield folder
        finally:
            shutil.rmtree(folder, ignore_errors=True)
    finally:
        os.close(lock)
        shutil.rmtree(making, ignore_errors=True)  # if the rename failed


def _remove_abandoned() -> None:
    for folder in Path(tempfile.gettempdir()).glob(FOLDER_PREFIX + "*"):
        try:
            lock = os.open(folder / LOCK_FILE, os.O_WRONLY)
        except OSError:  # gone meanwhile, someone else's, or made by a version without the lock
            continue
        try:
            fcntl.flock(lock, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError:  # its preview is running
            continue
        else:
            shutil.rmtree(folder, ignore_errors=True)
        finally:
            os.close(lock)


def _stop_by_interrupt() -> None:
    """Make SIGTERM and SIGHUP stop the preview as Ctrl-C does (KeyboardInterrupt), so that it cleans up."""
    signal.signal(signal.SIGINT, signal.default_int_handler)
    signal.signal(signal.SIGTERM, _interrupt)
    signal.signal(signal.SIGHUP, _interrupt)


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


def _watch(preview: Preview, paths: list, stop: threading.Event, out, indexer: "SearchIndexer",
           reload_pages) -> None:
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
        reload_pages()
        deferred = True
        if not report.problems:
            indexer.request()


def _relevant(change, path: str) -> bool:
    name = Path(path).name
    return not (name.startswith(".") or name.endswith(("~", ".swp", ".tmp")) or "__pycache__" in path)


def _report(report, preview: Preview, out) -> None:
    print(report.line(), file=out, flush=True)
    for problem in report.problems:
        print(f"  {problem}", file=out, flush=True)
