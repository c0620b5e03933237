"""Render: the linked graph in, every output file of the site (path -> text) out."""
from __future__ import annotations

import json
from pathlib import Path

import jinja2
from markdown_it import MarkdownIt
from markupsafe import Markup

from . import dates, export, feeds, jsonld, svg, urls, views
from .link import Graph

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TIMELINE_PAGE_LIMIT = 300  # beyond this, the timeline is split into pages by year (or month)
ENTITY_KINDS = ("people", "organisations", "places", "tags")

_markdown = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Return the Jinja2 environment: autoescaping, and undefined names are errors."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.filters["markdown"] = lambda text: Markup(_markdown.render(text))
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


class Site:
    """Renders every page of one graph; each page knows its own path for relative links."""

    def __init__(self, graph: Graph, templates: Path = TEMPLATES, base_url: str | None = None):
        self.graph = graph
        self.env = environment(templates)
        self.chronology = graph.content.chronology
        base = base_url or self.chronology.base_url
        self.base_url = (base.rstrip("/") + "/") if base else None
        self.files: dict = {}

    def page(self, path: str, template: str, title: str, description: str = "", jsonld_data=None, **context):
        """Render one HTML page at site path `path`."""
        link = lambda target: urls.relative(path, target)  # noqa: E731
        html = self.env.get_template(template).render(
            page=path, link=link, title=title, chronology=self.chronology,
            description=description or self.chronology.description,
            canonical=(self.base_url + path) if self.base_url else "",
            jsonld=jsonld.script(jsonld_data) if jsonld_data else "",
            graph=self.graph, views=views, urls=urls, when=self.graph.when, **context)
        self.files[path] = html

    def render(self) -> dict:
        """Return every output file: pages, assets, feeds and exports."""
        g = self.graph
        self.timeline_pages()
        for eid in g.timeline:
            self.event_page(eid)
        self.index("sources", sorted(g.entries["sources"], key=lambda s: (g.when(g.entries["sources"][s]).sort_key, s)))
        for sid in sorted(g.entries["sources"]):
            self.source_page(sid)
        statements = sorted(g.entries["statements"], key=lambda s: (g.when(g.entries["statements"][s]).sort_key, s))
        self.index("statements", statements)
        for sid in statements:
            self.statement_page(sid)
        self.figures_index()
        for fid in sorted(g.entries["figures"]):
            self.figure_page(fid)
        self.index("discrepancies", sorted(g.entries["discrepancies"]))
        for did in sorted(g.entries["discrepancies"]):
            self.discrepancy_page(did)
        for kind in ENTITY_KINDS:
            ids = sorted(g.entries[kind], key=lambda i: (views.title_of(g, kind, i).casefold(), i))
            self.index(kind, ids)
            for rid in ids:
                self.entity_page(kind, rid)
        self.page("about.html", "about.html", "About this chronology")
        self.page("404.html", "404.html", "Page not found", base_href=self.base_url or "")
        self.assets()
        pages = sorted(p for p in self.files if p.endswith(".html") and p != "404.html")
        self.files.update(feeds.files(g, self.base_url, pages))
        self.files.update(export.files(g))
        return self.files

    # ------------------------------------------------------------------ timeline

    def timeline_pages(self) -> None:
        g = self.graph
        periods = _periods(g, g.timeline, TIMELINE_PAGE_LIMIT)
        overview = svg.timeline(g, g.timeline, lambda p: urls.relative("index.html", p))
        if len(periods) == 1:
            self.page("index.html", "timeline.html", self.chronology.title, events=g.timeline,
                      overview=Markup(overview), periods=[], period=None)
            return
        self.page("index.html", "timeline.html", self.chronology.title, events=[],
                  overview=Markup(overview), periods=periods, period=None)
        for i, period in enumerate(periods):
            path = period["href"]
            chart = svg.timeline(g, period["events"], lambda p, path=path: urls.relative(path, p))
            self.page(path, "timeline.html", f"{period['label']}: {self.chronology.title}",
                      events=period["events"], overview=Markup(chart), periods=periods, period=period,
                      prev=periods[i - 1] if i else None, next=periods[i + 1] if i + 1 < len(periods) else None)

    # ------------------------------------------------------------------ records

    def event_page(self, eid: str) -> None:
        g = self.graph
        entry = g.entries["events"][eid]
        prev, nxt = views.neighbours(g, eid)
        self.page(urls.page("events", eid), "event.html", entry.record.title, _summary(entry.body),
                  jsonld.event(g, eid, self.base_url), entry=entry, prev=prev, next=nxt,
                  cites=views.citations(g, "events", eid), entities=views.entity_links(g, entry.record),
                  statements=views.refs(g, "statements", g.referrers("events", eid, "statements")),
                  figures=g.referrers("events", eid, "figures"),
                  discrepancies=views.refs(g, "discrepancies", g.referrers("events", eid, "discrepancies")),
                  related=views.related_events(g, eid))

    def source_page(self, sid: str) -> None:
        g = self.graph
        entry = g.entries["sources"][sid]
        self.page(urls.page("sources", sid), "source.html", entry.record.title,
                  f"Source text with cited passages: {entry.record.title}",
                  jsonld.source(g, sid, self.base_url), entry=entry,
                  paragraphs=views.source_paragraphs(g, sid),
                  exceptions=entry.record.quote_exceptions)

    def statement_page(self, sid: str) -> None:
        g = self.graph
        entry = g.entries["statements"][sid]
        self.page(urls.page("statements", sid), "statement.html", views.statement_title(g, sid), "",
                  jsonld.statement(g, sid, self.base_url), entry=entry,
                  speaker=views.who(g, entry.record.speaker, entry.record.attribution),
                  renderings=views.renderings(g, sid), events=views.refs(g, "events", entry.record.events),
                  discrepancies=views.refs(g, "discrepancies", g.referrers("statements", sid, "discrepancies")))

    def figures_index(self) -> None:
        g = self.graph
        ids = sorted(g.entries["figures"])
        chart = svg.figures_chart(g, ids, lambda p: urls.relative(urls.index("figures"), p))
        self.page(urls.index("figures"), "figures.html", "Figures",
                  "Every numeric claim, attributed: who claims how many, as of when, reported by whom.",
                  groups=views.figure_groups(g, ids), chart=Markup(chart))

    def figure_page(self, fid: str) -> None:
        g = self.graph
        entry = g.entries["figures"][fid]
        self.page(urls.page("figures", fid), "figure.html", views.figure_sentence(g, fid), "",
                  entry=entry, claimant=views.who(g, entry.record.claimant, entry.record.attribution),
                  cites=views.citations(g, "figures", fid), events=views.refs(g, "events", entry.record.events),
                  place=views.refs(g, "places", [entry.record.place] if entry.record.place else []),
                  discrepancies=views.refs(g, "discrepancies", g.referrers("figures", fid, "discrepancies")))

    def discrepancy_page(self, did: str) -> None:
        g = self.graph
        entry = g.entries["discrepancies"][did]
        self.page(urls.page("discrepancies", did), "discrepancy.html", entry.record.title,
                  entry.record.description, entry=entry, cites=views.citations(g, "discrepancies", did),
                  figures=entry.record.figures, statements=views.refs(g, "statements", entry.record.statements),
                  events=views.refs(g, "events", entry.record.events))

    def entity_page(self, kind: str, rid: str) -> None:
        g = self.graph
        entry = g.entries[kind][rid]
        linked = {by: g.referrers(kind, rid, by) for by in ("events", "statements", "figures")}
        items = sorted(((g.when(g.entries[by][i]).sort_key, by, i) for by, ids in linked.items() for i in ids))
        self.page(urls.page(kind, rid), "entity.html", entry.record.name, entry.record.description,
                  kind=kind, entry=entry, items=[(by, i) for _, by, i in items],
                  occurrences=views.name_occurrences(g, kind, rid) if kind != "tags" else [])

    def index(self, kind: str, ids: list) -> None:
        label = views.KIND_LABELS[kind][1]
        self.page(urls.index(kind), "index.html", label, f"{label} in this chronology.", kind=kind, ids=ids)

    def assets(self) -> None:
        for path in sorted((TEMPLATES / "assets").rglob("*")):
            if path.is_file():
                self.files["assets/" + path.relative_to(TEMPLATES / "assets").as_posix()] = path.read_bytes()


def _summary(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"


def _periods(graph: Graph, ids: list, limit: int) -> list[dict]:
    """Split events into pages of at most about `limit`: by year, and a crowded year by month."""
    if len(ids) <= limit:
        return [{"events": ids}]
    by_year: dict = {}
    for eid in ids:
        by_year.setdefault(graph.when(graph.entries["events"][eid]).year, []).append(eid)
    periods = []
    for year, events in by_year.items():
        if len(events) <= limit:
            periods.append(_period(str(year) if year is not None else "undated", events))
            continue
        by_month: dict = {}
        for eid in events:
            by_month.setdefault(graph.when(graph.entries["events"][eid]).lower[1], []).append(eid)
        for month, month_events in by_month.items():
            periods.append(_period(f"{year}-{month:02d}", month_events,
                                   f"{dates.MONTHS[month - 1]} {year}"))
    return periods


def _period(key: str, events: list, label: str = "") -> dict:
    return {"key": key, "label": label or key, "href": f"timeline/{key}.html", "events": events}
