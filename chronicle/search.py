"""Search: what each page tells Pagefind (kind, date, filters), and indexing a built site with Pagefind.

Pagefind (the PyPI package `pagefind[bin]`, which ships its binary) reads the built HTML and writes a
static index into `site/pagefind/`, which the search page loads in the browser. Only the part of a
page marked `data-pagefind-body` is indexed, so navigation, headers and footers are not; lists that
only link to other pages are marked `data-pagefind-ignore`. The facets below become
`data-pagefind-meta`, `data-pagefind-filter` and `data-pagefind-sort` attributes (see base.html).

Pagefind holds the whole index in memory while it writes it, and that memory grows with the words of
the pages one run indexes (about 1.45 GB for the 19,000 pages of the 10,000-event benchmark). So a site
of more than BUNDLE_PAGES indexed pages is indexed in bundles of consecutive dates, one Pagefind run
each: the first in `site/pagefind/`, the others in `site/pagefind/2/`, `3/`, ... `pagefind/bundles.json`
lists them in date order (undated pages last), and the search page searches them all and joins the
results: by score for best match first, bundle after bundle when ordered by date.
"""
from __future__ import annotations

import json
import math
import os
import re
import shutil
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

from markupsafe import Markup

from . import kinds, views
from .html import escape
from .kinds import ids_in
from .graph import Graph

BUNDLE = "pagefind"  # the index folder inside the site
# Pagefind also writes its ready-made interfaces; the site has its own, so these are removed.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT = 600  # seconds; a site of tens of thousands of pages indexes in well under a minute
BUNDLE_PAGES = 8000  # indexed pages per Pagefind run: the benchmark's 19,110 make three, of at most 496 MB
BUNDLES_FILE = "bundles.json"  # in the first bundle's folder: {"bundles": ["", "2/", ...], "dated": n}
HEAD = 32768  # bytes of a page read first to find its data-pagefind-body
_SORT = re.compile(rb'data-pagefind-sort="date:([^"]*)"')


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


def index_site(site: Path, output: Path | None = None, bundle_pages: int = BUNDLE_PAGES) -> IndexStats:
    """Index the built site at `site` with Pagefind; return what the index holds.

    The index goes to `site/pagefind/` (or to `output`, for the preview server, which serves it from
    elsewhere); in bundles of at most `bundle_pages` pages when the site has more. Raises
    SearchIndexError with a readable message if Pagefind is missing or fails.
    """
    started = time.perf_counter()
    site = Path(site).resolve()
    output = Path(output).resolve() if output else site / BUNDLE
    executable = _executable()
    groups = bundles(site, output, bundle_pages)
    if len(groups) == 1:
        _pagefind(executable, site, output)
    else:
        for number, group in enumerate(groups, 1):
            _pagefind_pages(executable, site, group.pages, output if number == 1 else output / str(number))
    names = [""] + [f"{number}/" for number in range(2, len(groups) + 1)]
    listed = {"bundles": names, "dated": sum(1 for group in groups if group.dated)}
    (output / BUNDLES_FILE).write_text(json.dumps(listed) + "\n", encoding="utf-8")
    for name in names:
        for unused in UNUSED:
            (output / name / unused).unlink(missing_ok=True)
    files = [p for p in output.rglob("*") if p.is_file()]
    pages = sum(1 for p in files if p.suffix == ".pf_fragment")
    return IndexStats(pages, len(files), sum(p.stat().st_size for p in files), time.perf_counter() - started)


class Bundle(NamedTuple):
    pages: list  # site paths; [] for a site indexed whole
    dated: bool  # whether any of its pages has a date to sort by


def bundles(site: Path, output: Path, bundle_pages: int = BUNDLE_PAGES) -> list[Bundle]:
    """Split the pages of `site` that Pagefind indexes into bundles of at most `bundle_pages`, in the
    order of their dates (the `data-pagefind-sort` date; undated pages last, then by path).

    A site of no more HTML pages than that is one bundle, `[Bundle([], True)]`, indexed whole, without
    reading a page. The search page leaves the bundles without dates out of a search ordered by date: in
    them, Pagefind would not leave out the undated pages, as it does in the others.
    """
    pages = []
    for folder, subfolders, names in os.walk(site):
        subfolders[:] = [name for name in subfolders if Path(folder, name) != output]
        rel = os.path.relpath(folder, site)
        pages += [name if rel == "." else f"{rel}/{name}" for name in names if name.endswith(".html")]
    if len(pages) <= bundle_pages:
        return [Bundle([], True)]
    keyed = []
    for rel in pages:
        with open(site / rel, "rb") as page:
            html = page.read(HEAD)  # where the page's body and its sort date are marked, as a rule
            at = html.find(b"data-pagefind-body")
            if at < 0 and len(html) == HEAD:
                html += page.read()
                at = html.find(b"data-pagefind-body")
        if at >= 0:  # as Pagefind: once any page marks its body, pages without one are left out
            found = _SORT.search(html, html.rfind(b"<", 0, at), html.find(b">", at)) or _SORT.search(html)
            keyed.append((found is None, found.group(1) if found else b"", rel))
    keyed.sort()
    count = math.ceil(len(keyed) / bundle_pages)
    size = math.ceil(len(keyed) / count) if keyed else 0
    return [Bundle([rel for *_, rel in keyed[i:i + size]], not keyed[i][0])
            for i in range(0, len(keyed), size)] or [Bundle([], True)]


def _pagefind_pages(executable: Path, site: Path, pages: list, output: Path) -> None:
    """Index only `pages` of `site`: Pagefind reads a folder beside it holding hard links to them (so
    their addresses stay as they are), made and removed here."""
    tree = Path(tempfile.mkdtemp(prefix=".search-", dir=site.parent))
    try:
        made = set()
        for rel in pages:
            target = tree / rel
            if target.parent not in made:
                target.parent.mkdir(parents=True, exist_ok=True)
                made.add(target.parent)
            try:
                os.link(site / rel, target)
            except OSError:  # a file system without hard links
                shutil.copyfile(site / rel, target)
        _pagefind(executable, tree, output, shown=site)
    finally:
        shutil.rmtree(tree, ignore_errors=True)


def _pagefind(executable: Path, site: Path, output: Path, shown: Path | None = None) -> None:
    shown = shown or site  # the site a message names
    command = [str(executable), "--site", str(site), "--output-path", str(output), "--keep-index-url", "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        raise SearchIndexError(f"Pagefind did not finish indexing {shown} within {TIMEOUT} s") from None
    except OSError as err:
        raise SearchIndexError(f"could not run Pagefind ({executable}): {err.strerror or err}") from None
    if result.returncode != 0 or not (output / "pagefind.js").is_file():
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = "\n  ".join(lines[-8:]) or f"exit code {result.returncode}"
        raise SearchIndexError(f"Pagefind could not index {shown}:\n  {detail}")


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

class Facets(NamedTuple):
    """What one record page tells the search index: its kind, date, sort key and filter values (a named
    tuple: every record page has one, made faster than a frozen dataclass)."""

    kind: str  # "Event"
    date: str  # the date in words, or ''
    sort: str  # ISO date to sort by, or ''
    filter_spans: Markup
    """The filter values, in display order, as Pagefind reads them: each
    ` <span data-pagefind-filter="name">value</span>` (made here rather than by a template loop: every
    record page has them)."""


def filters() -> list:
    """Return the search page's filters as (name, label): the kind of record, then each filter kind's."""
    return [("kind", "Kind"), *[(k.filter.name, k.label) for k in kinds.KINDS.filters]]


def page_facets(graph: Graph, path: str) -> Facets | None:
    """Return the facets of the record page at site path `path`, or None for pages not indexed."""
    kind, _, name = path.partition("/")
    declared = kinds.KINDS.get(kind)
    if declared is None or not name.endswith(".html") or "/" in name:
        return None
    rid = name[:-5]
    entries = graph.entries
    entry = entries[kind].get(rid)
    if entry is None:  # an index page such as people/index.html
        return None
    # (kind, id) of the records named as filter values, in display order: the page's own record if
    # its kind is a filter, the records its facets name, then the sources it cites
    refs = [(kind, rid)] if declared.filter else []
    for field, then, targets in kinds.KINDS.facets[kind]:
        values = getattr(entry.record, field)
        if then:  # the records this one names name the filter values
            through = entries[declared.references[field][0]]
            values = [ref for via in values for ref in ids_in(getattr(through[via].record, then))]
        for ref in (values,) if type(values) is str else values or ():  # one id, or a list of them
            for target in targets:
                if ref in entries[target]:  # (an unknown id is reported by linking)
                    refs.append((target, ref))
                    break
    sources = [q.source for q in graph.quotes_of(kind, rid)] if declared.citations else []
    # Each value's span is made once: thousands of pages name the same few hundred records.
    spans: dict = {}  # (filter name, value) -> its span, in display order, each once
    for key in [*refs, *[("sources", sid) for sid in sources]]:
        value = graph.memo.get(("facet", *key), lambda key=key: _filter_span(graph, *key))
        if value is not None:
            spans.setdefault(*value)
    date, sort = "", ""
    if declared.dated:
        when = graph.when(entry)
        date, sort = when.words, when.iso("lower") or when.iso("upper")
    return Facets(declared.label, date, sort, Markup("".join(spans.values())))


def _filter_span(graph: Graph, kind: str, rid: str) -> tuple | None:
    """Return ((filter name, value), its span) for a record named as a filter value, or None for an
    unknown id (reported by linking)."""
    if rid not in graph.entries[kind]:
        return None
    pair = (kinds.KINDS[kind].filter.name, views.title_of(graph, kind, rid))
    return pair, f' <span data-pagefind-filter="{escape(pair[0])}">{escape(pair[1])}</span>'


def timeline_filters(graph: Graph, ids: list) -> dict:
    """Return the choices of the timeline's filter form for the events `ids`, with counts: one per
    filter kind that events name (by their facets) or cite (sources).

    {"selects": [{"name": "person", "label": "Person", "attribute": "people",
                  "options": [(id, name, count), ...]}, ...],
     "first": earliest ISO date, "last": latest ISO date}
    The attribute is the event field (data-people on each timeline item, see parts.event_item).
    """
    fields = [(field, targets) for field, then, targets in kinds.KINDS.facets["events"] if then is None]
    attributes = {"sources": "sources"}  # filter kind -> the timeline items' attribute holding its ids
    for field, targets in fields:
        for target in targets:
            attributes.setdefault(target, field)
    counts: dict = {kind: {} for kind in attributes}
    bounds = []
    entries = graph.entries
    for eid in ids:
        entry = entries["events"][eid]
        for field, targets in fields:
            for ref in ids_in(getattr(entry.record, field)):
                for target in targets:  # the kind holding it, of those the field may name
                    if ref in entries[target]:
                        counts[target][ref] = counts[target].get(ref, 0) + 1
                        break
        for sid in dict.fromkeys(q.source for q in graph.quotes_of("events", eid)):
            counts["sources"][sid] = counts["sources"].get(sid, 0) + 1
        when = graph.when(entry)
        bounds += [b for b in (when.iso("lower"), when.iso("upper")) if b]
    selects = []
    for declared in kinds.KINDS.filters:
        kind = declared.name
        if kind not in counts:
            continue  # a filter kind events neither name nor cite
        options = sorted(((ref, views.title_of(graph, kind, ref), n) for ref, n in counts[kind].items()),
                         key=lambda o: (o[1].casefold(), o[0]))
        if options:
            selects.append({"name": declared.filter.name, "label": declared.label,
                            "attribute": attributes[kind], "options": options})
    return {"selects": selects, "first": min(bounds, default=""), "last": max(bounds, default="")}
