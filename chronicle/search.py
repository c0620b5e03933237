"""Search: what each record page tells the search index (kind, date, filters), and the timeline's filters.

The facets below become `data-pagefind-meta`, `data-pagefind-filter` and `data-pagefind-sort`
attributes (see base.html); only the part of a page marked `data-pagefind-body` is indexed, so
navigation, headers and footers are not, and lists that only link to other pages are marked
`data-pagefind-ignore`. Making the index is search_index.py's.
"""
from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from .html import escape
from .link import Graph

KIND_NAMES = {"events": "Event", "statements": "Statement", "figures": "Figure", "sources": "Source",
              "discrepancies": "Discrepancy", "people": "Person", "organisations": "Organisation",
              "places": "Place", "tags": "Tag"}
FILTERS = (("kind", "Kind"), ("person", "Person"), ("organisation", "Organisation"), ("place", "Place"),
           ("tag", "Tag"), ("source", "Source"))
ENTITY_FILTERS = {"people": "person", "organisations": "organisation", "places": "place", "tags": "tag"}
DATED = ("events", "statements", "figures", "sources")  # the kinds whose pages are sorted by date


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


def _agent(graph: Graph, ref: str | None) -> list:
    """Return [(kind, id)] of a speaker or claimant, or [] when there is none."""
    return [(graph.kind_of(ref), ref)] if ref else []


def page_facets(graph: Graph, path: str) -> Facets | None:
    """Return the facets of the record page at site path `path`, or None for pages not indexed."""
    kind, _, name = path.partition("/")
    if kind not in KIND_NAMES or not name.endswith(".html") or "/" in name:
        return None
    rid = name[:-5]
    entries = graph.entries
    entry = entries[kind].get(rid)
    if entry is None:  # an index page such as people/index.html
        return None
    record = entry.record
    # (kind, id) of the records named as filter values, in display order
    if kind == "events":
        refs = [(ref_kind, ref) for ref_kind in ENTITY_FILTERS for ref in getattr(record, ref_kind)]
    elif kind in ENTITY_FILTERS:
        refs = [(kind, rid)]
    elif kind == "statements":
        refs = [*_agent(graph, record.speaker), *[("tags", ref) for ref in record.tags]]
    elif kind == "figures":
        refs = [*_agent(graph, record.claimant), *([("places", record.place)] if record.place else []),
                *[("tags", ref) for ref in record.tags]]
    elif kind == "discrepancies":
        refs = [key for fid in record.figures for key in _agent(graph, entries["figures"][fid].record.claimant)]
        refs += [key for sid in record.statements for key in _agent(graph, entries["statements"][sid].record.speaker)]
    else:  # sources
        refs = []
    sources = [rid] if kind == "sources" else [q.source for q in graph.quotes_of(kind, rid)]
    # Each value's span is made once: thousands of pages name the same few hundred records.
    spans: dict = {}  # (filter name, value) -> its span, in display order, each once
    for key in [*refs, *[("sources", sid) for sid in sources]]:
        value = graph.memo.get(("facet", *key), lambda key=key: _filter_span(entries, *key))
        if value is not None:
            spans.setdefault(*value)
    date = graph.when(entry).words if kind in DATED else ""
    return Facets(KIND_NAMES[kind], date, sort_date(graph, kind, entry), Markup("".join(spans.values())))


def sort_date(graph: Graph, kind: str, entry) -> str:
    """Return the ISO date a record's page is sorted by in search results, or '' for an undated kind."""
    if kind not in DATED:
        return ""
    when = graph.when(entry)
    return when.iso("lower") or when.iso("upper")


def _filter_span(entries: dict, kind: str, rid: str) -> tuple | None:
    """Return ((filter name, value), its span) for a record named as a filter value, or None for an
    unknown id (reported by linking)."""
    if rid not in entries[kind]:
        return None
    pair = ("source", entries["sources"][rid].record.title) if kind == "sources" \
        else (ENTITY_FILTERS[kind], entries[kind][rid].record.name)
    return pair, f' <span data-pagefind-filter="{escape(pair[0])}">{escape(pair[1])}</span>'


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
