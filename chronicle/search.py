"""Search: what each page tells Pagefind (kind, date, filters), and indexing a built site with Pagefind.

Pagefind (the PyPI package `pagefind[bin]`, which ships its binary) reads the built HTML and writes a
static index into `site/pagefind/`, which the search page loads in the browser. Only the part of a
page marked `data-pagefind-body` is indexed, so navigation, headers and footers are not; lists that
only link to other pages are marked `data-pagefind-ignore`. The facets below become
`data-pagefind-meta`, `data-pagefind-filter` and `data-pagefind-sort` attributes (see base.html).
"""
from __future__ import annotations

import shutil
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from markupsafe import Markup

from .html import escape
from .link import Graph

BUNDLE = "pagefind"  # the index folder inside the site
# Pagefind also writes its ready-made interfaces; the site has its own, so these are removed.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT = 600  # seconds; a site of tens of thousands of pages indexes in well under a minute

KIND_NAMES = {"events": "Event", "statements": "Statement", "figures": "Figure", "sources": "Source",
              "discrepancies": "Discrepancy", "people": "Person", "organisations": "Organisation",
              "places": "Place", "tags": "Tag"}
FILTERS = (("kind", "Kind"), ("person", "Person"), ("organisation", "Organisation"), ("place", "Place"),
           ("tag", "Tag"), ("source", "Source"))
ENTITY_FILTERS = {"people": "person", "organisations": "organisation", "places": "place", "tags": "tag"}


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why, in one or a few lines."""


@dataclass(frozen=True)
class IndexStats:
    pages: int  # pages in the index
    files: int  # files of the index bundle
    bytes: int  # their size on disk
    seconds: float

    def line(self) -> str:
        return f"search index: {self.pages} pages, {self.files} files, {self.bytes / 1024:.0f} KiB"


def index_site(site: Path, output: Path | None = None) -> IndexStats:
    """Index the built site at `site` with Pagefind; return what the index holds.

    The bundle goes to `site/pagefind/` (or to `output`, for the preview server, which serves it from
    elsewhere). Raises SearchIndexError with a readable message if Pagefind is missing or fails.
    """
    started = time.perf_counter()
    site = Path(site).resolve()
    output = Path(output).resolve() if output else site / BUNDLE
    executable = _executable()
    command = [str(executable), "--site", str(site), "--output-path", str(output), "--keep-index-url", "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Pagefind did not finish indexing {site} within {TIMEOUT} s") from None
    except OSError as err:
        raise SearchIndexError(f"could not run Pagefind ({executable}): {err.strerror or err}") from None
    if result.returncode != 0 or not (output / "pagefind.js").is_file():
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = "\n  ".join(lines[-8:]) or f"exit code {result.returncode}"
        raise SearchIndexError(f"Pagefind could not index {site}:\n  {detail}")
    for name in UNUSED:
        (output / name).unlink(missing_ok=True)
    files = [p for p in output.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".pf_fragment")
    return IndexStats(pages, len(files), sum(p.stat().st_size for p in files), time.perf_counter() - started)


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    executable = get_executable() if get_executable else None
    if executable is None:
        found = shutil.which("pagefind")
        if not found:
            raise SearchIndexError("Pagefind is not installed: run pip install -r requirements.txt "
                                   "(it installs pagefind[bin], which ships the binary)")
        executable = Path(found)
    return executable


# ---------------------------------------------------------------------- what pages tell the index

@dataclass(frozen=True)
class Facets:
    """What one record page tells the search index: its kind, date, sort key and filter values."""

    kind: str  # "Event"
    date: str  # the date in words, or ''
    sort: str  # ISO date to sort by, or ''
    filters: tuple  # ((filter name, value), ...) in display order
    deps: frozenset  # dependency keys of the names shown as filter values

    @property
    def filter_spans(self) -> Markup:
        """The filter values as Pagefind reads them, each ` <span data-pagefind-filter="name">value</span>`
        (made here rather than by a template loop: every record page has them)."""
        return Markup("".join(f' <span data-pagefind-filter="{escape(name)}">{escape(value)}</span>'
                              for name, value in self.filters))


def page_facets(graph: Graph, path: str) -> Facets | None:
    """Return the facets of the record page at site path `path`, or None for pages not indexed."""
    kind, _, name = path.partition("/")
    if kind not in KIND_NAMES or not name.endswith(".html") or "/" in name:
        return None
    rid = name[:-5]
    entry = graph.entries[kind].get(rid)
    if entry is None:  # an index page such as people/index.html
        return None
    record = entry.record
    values: list = []
    deps: set = set()

    def add(ref_kind: str, ids) -> None:
        for ref in ids:
            if ref and ref in graph.entries[ref_kind]:
                values.append((ENTITY_FILTERS[ref_kind], graph.entries[ref_kind][ref].record.name))
                deps.add((ref_kind, ref))

    def add_agent(ref: str | None) -> None:
        if ref:
            add(graph.kind_of(ref), [ref])

    if kind == "events":
        for ref_kind in ENTITY_FILTERS:
            add(ref_kind, getattr(record, ref_kind))
    elif kind == "statements":
        add_agent(record.speaker)
        add("tags", record.tags)
    elif kind == "figures":
        add_agent(record.claimant)
        add("places", [record.place])
        add("tags", record.tags)
    elif kind == "discrepancies":
        for fid in record.figures:
            add_agent(graph.entries["figures"][fid].record.claimant)
        for sid in record.statements:
            add_agent(graph.entries["statements"][sid].record.speaker)
    elif kind in ENTITY_FILTERS:
        add(kind, [rid])
    sources = [rid] if kind == "sources" else [q.source for q in graph.quotes_of(kind, rid)]
    for sid in sources:
        values.append(("source", graph.entries["sources"][sid].record.title))
        deps.add(("sources", sid))
    date, sort = "", ""
    if kind in ("events", "statements", "figures", "sources"):
        when = graph.when(entry)
        date, sort = when.words, when.iso("lower") or when.iso("upper")
    return Facets(KIND_NAMES[kind], date, sort, tuple(dict.fromkeys(values)), frozenset(deps))


def timeline_filters(graph: Graph, ids: list) -> dict:
    """Return the choices of the timeline's filter form for the events `ids`, with counts.

    {"selects": [{"name": "person", "label": "Person", "options": [(id, name, count), ...]}, ...],
     "first": earliest ISO date, "last": latest ISO date}
    """
    counts: dict = {kind: {} for kind in (*ENTITY_FILTERS, "sources")}
    bounds = []
    for eid in ids:
        entry = graph.entries["events"][eid]
        for kind in ENTITY_FILTERS:
            for ref in getattr(entry.record, kind):
                counts[kind][ref] = counts[kind].get(ref, 0) + 1
        for sid in dict.fromkeys(q.source for q in graph.quotes_of("events", eid)):
            counts["sources"][sid] = counts["sources"].get(sid, 0) + 1
        when = graph.when(entry)
        bounds += [b for b in (when.iso("lower"), when.iso("upper")) if b]
    selects = []
    for kind, name, label in (("people", "person", "Person"), ("organisations", "organisation", "Organisation"),
                              ("places", "place", "Place"), ("tags", "tag", "Tag"), ("sources", "source", "Source")):
        title = (lambda r: graph.entries[kind][r].record.title) if kind == "sources" \
            else (lambda r: graph.entries[kind][r].record.name)
        options = sorted(((ref, title(ref), n) for ref, n in counts[kind].items()), key=lambda o: (o[1].casefold(), o[0]))
        if options:
            selects.append({"name": name, "label": label, "options": options})
    return {"selects": selects, "first": min(bounds, default=""), "last": max(bounds, default="")}
