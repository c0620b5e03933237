"""Search: what each record page tells the search index (kind, date, filters), and the timeline's filters.

The facets below become `data-pagefind-meta`, `data-pagefind-filter` and `data-pagefind-sort`
attributes (see base.html); only the part of a page marked `data-pagefind-body` is indexed, so
navigation, headers and footers are not, and lists that only link to other pages are marked
`data-pagefind-ignore`. Making the index is search_index.py's.
"""
from __future__ import annotations

from typing import NamedTuple

from markupsafe import Markup

from . import kinds, views
from .graph import Graph
from .html import escape
from .kinds import ids_in


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
    date = graph.when(entry).words if declared.dated else ""
    return Facets(declared.label, date, sort_date(graph, kind, entry), Markup("".join(spans.values())))


def sort_date(graph: Graph, kind: str, entry) -> str:
    """Return the ISO date a record's page is sorted by in search results, or '' for an undated kind."""
    if not kinds.KINDS[kind].dated:
        return ""
    when = graph.when(entry)
    return when.iso("lower") or when.iso("upper")


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
