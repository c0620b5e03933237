"""Reading a built site: every page's links and ids, for link and anchor checks."""
from __future__ import annotations

import posixpath
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import unquote, urlsplit


class _Page(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.links: list[str] = []
        self.ids: set[str] = set()
        self.marks: dict[str, bool] = {}  # anchor id -> followed by a <mark class="cited">
        self._pending: list[str] = []

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if "id" in attrs:
            self.ids.add(attrs["id"])
            if tag == "span" and "anchor" in (attrs.get("class") or ""):
                self._pending.append(attrs["id"])
        for name in ("href", "src"):
            if attrs.get(name) and tag in ("a", "link", "img", "script"):
                self.links.append(attrs[name])
        if tag == "mark" and "cited" in (attrs.get("class") or ""):
            for anchor in self._pending:
                self.marks[anchor] = True
            self._pending = []


def read_site(root: Path) -> dict[str, _Page]:
    """Return every HTML page of the site at `root`, parsed, keyed by its site path."""
    pages = {}
    for path in sorted(root.rglob("*.html")):
        parser = _Page()
        parser.feed(path.read_text(encoding="utf-8"))
        pages[path.relative_to(root).as_posix()] = parser
    return pages


def internal_targets(page_path: str, href: str) -> tuple[str, str] | None:
    """Return (site path, anchor) an internal link points to, or None for an external one."""
    parts = urlsplit(href)
    if parts.scheme or parts.netloc or href.startswith("//"):
        return None
    target = posixpath.normpath(posixpath.join(posixpath.dirname(page_path), unquote(parts.path))) \
        if parts.path else page_path
    return target, unquote(parts.fragment)
