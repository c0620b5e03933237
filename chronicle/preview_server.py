"""The preview's web server: returns the tornado Application that serves the preview folder.

Built on tornado's public API only (`web.Application`, `RequestHandler`, `StaticFileHandler` through the
override points its documentation lists, `websocket.WebSocketHandler`), as MkDocs owns its preview
server rather than patching livereload's. What it serves:

- pages (`/`, `.../`, `*.html`) read from the preview folder with one external script added,
  `/_preview/reload.js`, so that each page keeps its Content-Security-Policy (`script-src 'self'`, which
  refuses inline scripts); while the content has problems, the error page instead (`?last-good=1`
  shows the last good version of the page);
- the reload channel, a WebSocket at `/_preview/reload`: the server tells every open page to reload after
  a rebuild (`Reloads.reload`). Nothing polls: watchfiles tells serve.py when files change;
- other files of the site by `StaticFileHandler`, and `/pagefind/` from the latest search index, which is
  made outside the preview folder, a folder per bundle (see preview_search.SearchIndexer).

A request for anything that is not a plain site path (`..`, `.`, an empty segment such as `//`, a
backslash, a control character: see `plain`) gets a 404, so no path outside the folder is read and no
link made from a request leads off the site.
"""
from __future__ import annotations

import html
import os
import secrets
from pathlib import Path
from urllib.parse import quote

from tornado.web import Application, HTTPError, RequestHandler, StaticFileHandler
from tornado.websocket import WebSocketClosedError, WebSocketHandler

from .problems import visible
from .search_index import BUNDLE

PREFIX = "/_preview/"  # the server's own addresses; no site path starts with '_' (ids are [a-z0-9-])
RELOAD_JS = (Path(__file__).with_name("preview_reload.js")).read_bytes()
PAGE = r"/(|.*/|.*\.html)"  # what is answered with a page (or the error page); the rest are files


def plain(path: str) -> bool:
    """Return whether `path` (a decoded URL path without its first '/') is a plain path in the site.

    Plain: segments separated by single slashes (a last empty one names a folder), none '.' or '..',
    no backslash (which browsers read as a slash), no control or other unprintable character.
    """
    if path == "":
        return True
    parts = path.split("/")
    if parts[-1] == "":
        parts.pop()
    return all(part not in ("", ".", "..") and "\\" not in part and part.isprintable() for part in parts)


class Reloads:
    """The open pages' reload channel, used on the server's thread only (others use IOLoop.add_callback).

    `version` names the current build; a page is served with it, and its socket, once open, is told to
    reload at once if the version changed meanwhile. It starts with a random part, so that pages left
    open while the server restarts reload once they reconnect.
    """

    def __init__(self):
        self._start = secrets.token_hex(4)
        self._builds = 0
        self.version = f"{self._start}-0"
        self.sockets: set = set()

    def reload(self) -> None:
        """A rebuild ended: tell every open page to reload."""
        self._builds += 1
        self.version = f"{self._start}-{self._builds}"
        for socket in list(self.sockets):
            _send_reload(socket)

    def close(self) -> None:
        """Close every socket, so that the server can stop."""
        for socket in list(self.sockets):
            socket.close()
        self.sockets.clear()


def _send_reload(socket: WebSocketHandler) -> None:
    try:
        socket.write_message("reload")
    except WebSocketClosedError:  # the page was closing; on_close forgets it
        pass


def application(site: Path, preview, indexer, reloads: Reloads) -> Application:
    """Return the Application serving `site` (the preview folder) and the search index of `indexer`.

    `preview` (an incremental.Preview) says whether the content has problems; `indexer.locate` says
    where each file of the latest search index is, under `indexer.root` (None until it is made).
    """
    site = str(Path(site).resolve())
    return Application([
        (PREFIX + r"reload\.js", _ReloadScript),
        (PREFIX + "reload", _ReloadSocket),
        (f"/{BUNDLE}/(.*)", _SearchFiles, {"path": str(Path(indexer.root).resolve())}),
        (PAGE, _Page, {"site": site}),
        (r"/(.*)", _SiteFiles, {"path": site, "default_filename": "index.html"}),
    ], preview=preview, indexer=indexer, reloads=reloads,  # read by the handlers as self.settings[...]
        log_function=lambda handler: None)  # serve.py prints one line per rebuild, not one per request


class _ReloadScript(RequestHandler):
    def get(self):
        self.set_header("Content-Type", "text/javascript; charset=utf-8")
        self.set_header("Cache-Control", "no-cache")
        self.write(RELOAD_JS)


class _ReloadSocket(WebSocketHandler):
    """A page's end of the reload channel (the browser's same-origin check is WebSocketHandler's own)."""

    def open(self):
        reloads = self.settings["reloads"]
        if self.get_query_argument("version", "") != reloads.version:
            _send_reload(self)  # rebuilt since the page was served
        else:
            reloads.sockets.add(self)

    def on_close(self):
        self.settings["reloads"].sockets.discard(self)


class _Page(RequestHandler):
    """A page of the site with the reload script added, or the error page while the content has problems."""

    def initialize(self, site: str):
        self.site = site

    def get(self, path: str):
        if not plain(path):
            raise HTTPError(404)
        self.set_header("Cache-Control", "no-store")  # a page shown again after an edit is fetched again
        self.set_header("Content-Type", "text/html; charset=utf-8")
        problems, version = self.settings["preview"].problems, self.settings["reloads"].version
        if problems and self.get_query_argument("last-good", None) is None:
            self.set_status(500)
            self.write(with_reload_script(error_page(problems, path).encode(), version))
            return
        page = _read_inside(self.site, path + "index.html" if path == "" or path.endswith("/") else path)
        if page is None:
            raise HTTPError(404)
        self.write(with_reload_script(page, version))

    head = get  # tornado sends the headers of the page without its body


def _read_inside(root: str, path: str) -> bytes | None:
    """Return the bytes of the regular file `path` in the folder `root`, or None if there is none."""
    absolute = os.path.realpath(os.path.join(root, path))
    if not absolute.startswith(root + os.sep):  # a link leading out of the folder
        return None
    try:
        with open(absolute, "rb") as file:
            return file.read()
    except OSError:  # missing, a folder, unreadable
        return None


def with_reload_script(page: bytes, version: str) -> bytes:
    """Return `page` with the reload script added at the end of its body."""
    script = f'<script src="{PREFIX}reload.js" data-version="{html.escape(version)}"></script>'.encode()
    end = page.rfind(b"</body>")
    return page + script if end < 0 else page[:end] + script + page[end:]


class _SiteFiles(StaticFileHandler):
    """The site's other files (styles, scripts, images, feeds, exports), revalidated on every use."""

    def parse_url_path(self, url_path: str) -> str:
        if not plain(url_path):
            raise HTTPError(404)
        return super().parse_url_path(url_path)

    def set_extra_headers(self, path: str) -> None:
        self.set_header("Cache-Control", "no-cache")  # a style edited in templates/ shows on the reload


class _SearchFiles(_SiteFiles):
    """The latest search index, served as /pagefind/ from the folders its bundles were written to."""

    def parse_url_path(self, url_path: str) -> str:
        found = self.settings["indexer"].locate(url_path) if plain(url_path) else None
        if found is None:
            raise HTTPError(404)
        return super().parse_url_path(found)


def error_page(problems: list, path: str) -> str:
    """Return the page shown instead of the page at `path` (a plain site path) while the content has problems."""
    if not plain(path):
        raise ValueError(f"not a plain site path: {path!r}")  # its link could lead off the site
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
<p><a href="/{html.escape(quote(path))}?last-good=1">See the last good version of this page</a></p>
</main>
</body>
</html>
"""
