"""Feeds and crawler files: Atom feed, sitemap, robots.txt, .nojekyll. Pure and deterministic.

`files(graph, base_url, pages)` returns {site path: text}:

- `feed.xml` -- Atom 1.0 (RFC 4287): every event, newest first (the timeline reversed). Nothing
  depends on the time of the build: the feed's `updated` is the latest event date (its strict upper
  bound, or its lower bound when the end is open), and each entry's `updated` is that of its event.
  Entry ids are stable: `{base_url}events/<id>.html` with a base URL, else
  `urn:uuid:<uuid5(NAMESPACE_URL, 'chronicle:event:<id>')>`. The feed's own id is
  `{base_url}feed.xml`, else a uuid5 of the chronology title. The author is the chronology title.
  Without a base URL, links are relative to the site root (where feed.xml is).
- `sitemap.xml` -- every page given, sorted, once. Locs are absolute with a base URL; without one they
  are relative to the site root and a comment says that a valid sitemap needs a base URL.
- `robots.txt` -- allows everything; a `Sitemap:` line only with a base URL.
- `.nojekyll` -- empty, so GitHub Pages serves the site as it is.

`base_url` is normalised to end with '/'. `base_url_of(graph, override)` gives the one to use: the
override (e.g. a --base-url option) if given, else the chronology's `base_url` setting, else None.
"""
from __future__ import annotations

import re
import uuid
from typing import Iterable
from urllib.parse import quote, urlsplit

from . import characters, urls
from .graph import Graph

ATOM = "http://www.w3.org/2005/Atom"
SITEMAP = "http://www.sitemaps.org/schemas/sitemap/0.9"
DECLARATION = '<?xml version="1.0" encoding="utf-8"?>\n'
# XML comments may not contain "--", so the option is named without its dashes.
NO_BASE_COMMENT = ("No base URL was given, so these locs are relative to the site root. A valid "
                   "sitemap needs absolute URLs: build with a base URL (the build option base-url, "
                   "or base_url in chronology.yaml).")
EPOCH = (1970, 1, 1)


def normalise_base(base_url: str | None) -> str | None:
    """Return `base_url` ending with '/', or None; raise ValueError unless it is an http(s) URL."""
    if base_url is None or not base_url.strip():
        return None
    base = base_url.strip()
    parts = urlsplit(base)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError(f"base URL {base_url!r} should be an absolute http(s) URL, e.g. https://example.org/kursk/")
    return base if base.endswith("/") else base + "/"


def base_url_of(graph: Graph, override: str | None = None) -> str | None:
    """Return the base URL to use: `override` if given, else the chronology's setting; normalised."""
    settings = graph.content.chronology
    return normalise_base(override or (settings.base_url if settings else None))


def files(graph: Graph, base_url: str | None, pages: Iterable[str]) -> dict[str, str]:
    """Return feed.xml, sitemap.xml, robots.txt and .nojekyll for `graph` and the site's `pages`."""
    base = normalise_base(base_url)
    return {
        "feed.xml": atom(graph, base),
        "sitemap.xml": sitemap(pages, base),
        "robots.txt": robots(base),
        ".nojekyll": "",
    }


_PLAIN = re.compile(r"[A-Za-z0-9/#:~=,._-]*")


def _href(path: str, base: str | None) -> str:
    if not _PLAIN.fullmatch(path):  # ids are plain: most paths need no escaping
        path = quote(path, safe="/#:~=,.-_")
    return base + path if base else path


def _timestamp(ymd: tuple) -> str:
    y, m, d = ymd
    return f"{y:04d}-{m:02d}-{d:02d}T00:00:00Z"


def _latest(when) -> tuple:
    """Return the latest known day of a date: its upper bound, or its lower one when open-ended."""
    for bound in (when.upper, when.lower):
        if abs(bound[0]) < 10**6:
            return bound
    return EPOCH


def entry_id(eid: str, base: str | None) -> str:
    """Return the stable Atom id of event `eid`."""
    if base:
        return base + urls.page("events", eid)
    return "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"chronicle:event:{eid}"))


def _text(text: str) -> str:
    """Escape character data as ElementTree does: & < >; what XML forbids made U+FFFD (content refuses
    it, so none should reach here, but one NUL would make the whole feed unreadable)."""
    return characters.replaced(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def _attr(value: str) -> str:
    """Escape an attribute value as ElementTree does: & < > " and CR, LF, tab as character references."""
    return (_text(value).replace('"', "&quot;")
            .replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#09;"))


def _leaf(tag: str, text: str, attrs: str = "") -> str:
    """Return an element without children as ElementTree writes it: `<tag />` when it has no text."""
    return f"<{tag}{attrs}>{_text(text)}</{tag}>" if text else f"<{tag}{attrs} />"


def _link(href: str, media_type: str, rel: str = "alternate") -> str:
    return f'<link rel="{rel}" type="{media_type}" href="{_attr(href)}" />'


# The feed and sitemap are written as ElementTree would write them after ET.indent(space="  "):
# one element a line, two spaces an indentation level. tests/test_feeds_xml.py checks the identity.

def atom(graph: Graph, base: str | None) -> str:
    """Return the Atom feed of the events, newest first."""
    settings = graph.content.chronology
    title = settings.title if settings else "Chronology"
    events = [graph.entries["events"][eid] for eid in reversed(graph.timeline)]
    latest = max((_latest(graph.when(e)) for e in events), default=EPOCH)

    lang = f' xml:lang="{_attr(settings.language)}"' if settings else ""
    lines = [f'<feed xmlns="{ATOM}"{lang}>', "  " + _leaf("title", title)]
    if settings:
        lines.append("  " + _leaf("subtitle", " ".join(settings.description.split())))
    feed_id = base + "feed.xml" if base else \
        "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL, f"chronicle:feed:{title}"))
    lines += ["  " + _leaf("id", feed_id),
              "  " + _leaf("updated", _timestamp(latest)),
              "  <author>",
              "    " + _leaf("name", title),
              "  </author>",
              "  " + _link(_href("index.html", base), "text/html")]
    if base:
        lines.append("  " + _link(base + "feed.xml", "application/atom+xml", rel="self"))
    lines.append("  <generator>chronicle</generator>")
    updated, categories = {}, {}  # by day and by tag: thousands of events share a few hundred of each
    for entry in events:
        when = graph.when(entry)
        day = _latest(when)
        if day not in updated:
            updated[day] = "    " + _leaf("updated", _timestamp(day))
        lines += ["  <entry>",
                  "    " + _leaf("title", entry.record.title),
                  "    " + _leaf("id", entry_id(entry.id, base)),
                  updated[day],
                  "    " + _link(_href(urls.page("events", entry.id), base), "text/html")]
        for tag in entry.record.tags:
            category = categories.get(tag)
            if category is None:
                record = graph.entries["tags"].get(tag)
                label = record.record.name if record else tag
                category = categories[tag] = f'    <category term="{_attr(tag)}" label="{_attr(label)}" />'
            lines.append(category)
        summary = " ".join(entry.body.split())
        lines += ["    " + _leaf("summary", f"Date: {when.words}. {summary}".rstrip(), ' type="text"'),
                  "  </entry>"]
    lines.append("</feed>")
    return DECLARATION + "\n".join(lines) + "\n"


def sitemap(pages: Iterable[str], base: str | None) -> str:
    """Return a sitemap listing every page once, sorted."""
    comment = "" if base else f"<!-- {NO_BASE_COMMENT} -->\n"
    entries = "".join(f"  <url>\n    {_leaf('loc', _href(page, base))}\n  </url>\n"
                      for page in sorted(set(pages)))
    urlset = f'<urlset xmlns="{SITEMAP}">\n{entries}</urlset>' if entries else f'<urlset xmlns="{SITEMAP}" />'
    return DECLARATION + comment + urlset + "\n"


def robots(base: str | None) -> str:
    """Return robots.txt: everything allowed; the sitemap named when its URL is known."""
    lines = ["User-agent: *", "Allow: /"]
    if base:
        lines.append(f"Sitemap: {base}sitemap.xml")
    return "\n".join(lines) + "\n"
