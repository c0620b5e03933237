"""schema.org JSON-LD for event, statement and source pages."""
from __future__ import annotations

import orjson
from markupsafe import Markup

from . import urls
from .graph import Graph


def _json(data) -> str:
    # Compact, keys sorted, by orjson (a fifth of the json module's time; every event page has one).
    return orjson.dumps(data, option=orjson.OPT_SORT_KEYS).decode("utf-8").replace("<", "\\u003c")


def script(data: dict) -> Markup:
    """Return a JSON-LD <script> block; '<' is escaped so content can never close the element."""
    return _wrapped(_json(data))


def _wrapped(text: str) -> Markup:
    return Markup(f'<script type="application/ld+json">\n{text}\n</script>')


def _abs(base_url: str | None, path: str) -> dict:
    return {"url": base_url + path} if base_url else {}


def _agent(graph: Graph, rid: str | None, attribution: str | None) -> dict:
    if rid:
        kind = graph.kind_of(rid)
        return {"@type": "Person" if kind == "people" else "Organization",
                "name": graph.entries[kind][rid].record.name}
    return {"@type": "Thing", "name": attribution or "unattributed"}


def _date(when, bound: str) -> dict:
    iso = when.iso(bound)
    return {("startDate" if bound == "lower" else "endDate"): iso} if iso else {}


def article(graph: Graph, sid: str, base_url: str | None) -> dict:
    """Return a source as a schema.org NewsArticle."""
    record = graph.entries["sources"][sid].record
    when = graph.when(graph.entries["sources"][sid])
    data = {"@type": "NewsArticle", "headline": record.headline or record.title,
            "inLanguage": record.language, **_abs(base_url, urls.page("sources", sid))}
    if record.url:
        data["sameAs"] = record.url
    if record.authors:
        data["author"] = [{"@type": "Person", "name": a} for a in record.authors]
    if record.publisher:
        data["publisher"] = {"@type": "Organization", "name": record.publisher}
    if when.is_exact_day:
        data["datePublished"] = when.edtf
    return data


def source(graph: Graph, sid: str, base_url: str | None) -> dict:
    return {"@context": "https://schema.org", **article(graph, sid, base_url)}


def event(graph: Graph, eid: str, base_url: str | None) -> dict:
    """Return an event as a schema.org Event, citing its sources."""
    data = _event(graph, eid, base_url)
    data["citation"] = [article(graph, s, base_url) for s in _cited(graph, eid)]
    return data


def event_script(graph: Graph, eid: str, base_url: str | None) -> Markup:
    """Return script(event(graph, eid, base_url)), each cited source's JSON made once (in the graph's
    memo: a source may be cited by a hundred events)."""
    cited = [graph.memo.get(("article", sid, base_url), lambda sid=sid: _json(article(graph, sid, base_url)))
             for sid in _cited(graph, eid)]
    text = _json(_event(graph, eid, base_url))  # keys sorted, so "citation" goes right after "@type"
    if not text.startswith(_EVENT_START):  # pragma: no cover - the two keys before it are fixed
        raise AssertionError(text[:80])
    return _wrapped(f'{_EVENT_START}"citation":[{",".join(cited)}],{text[len(_EVENT_START):]}')


_EVENT_START = '{"@context":"https://schema.org","@type":"Event",'


def _cited(graph: Graph, eid: str) -> list:
    return sorted({q.source for q in graph.quotes_of("events", eid)})


def _event(graph: Graph, eid: str, base_url: str | None) -> dict:
    """Return the Event without its citations."""
    entry = graph.entries["events"][eid]
    when = graph.when(entry)
    places = [{"@type": "Place", "name": graph.entries["places"][p].record.name} for p in entry.record.places]
    data = {"@context": "https://schema.org", "@type": "Event", "name": entry.record.title,
            "description": " ".join(entry.body.split()), **_date(when, "lower"), **_date(when, "upper"),
            **_abs(base_url, urls.page("events", eid))}
    if places:
        data["location"] = places
    return data


def statement(graph: Graph, sid: str, base_url: str | None) -> dict:
    """Return a statement as schema.org Quotations, one per rendering, each based on its source."""
    record = graph.entries["statements"][sid].record
    creator = _agent(graph, record.speaker, record.attribution)
    return {"@context": "https://schema.org", "@graph": [
        {"@type": "Quotation", "text": r.quote, "creator": creator,
         "isBasedOn": article(graph, r.source, base_url)} for r in record.renderings]}
