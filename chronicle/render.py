"""Render: the linked graph in, every output file of the site (path -> text) out."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from . import dates, export, feeds, jsonld, markdown, search, svg, urls, views
from .fragments import Fragments
from .link import Graph
from .parts import Parts

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TIMELINE_PAGE_LIMIT = 300  # beyond this, the timeline is split into pages by year (or month)
ENTITY_KINDS = ("people", "organisations", "places", "tags")


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Return the Jinja2 environment: autoescaping, undefined names are errors, and each part of
    parts.Parts is a filter (`{{ cites | cite_list }}`)."""
    env = jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        auto_reload=False,  # no file check per page: the preview makes a new environment when templates change
        cache_size=-1,  # every template kept, in a plain dict: a page asks for its own and the one it extends
        trim_blocks=True,
        lstrip_blocks=True,
    )
    # A template sees only what its page passes (Site.page): Jinja2's default globals (range, dict,
    # lipsum, cycler, joiner, namespace), which no template uses, are removed, as Jinja2 copies the
    # globals into every page's context (1% of the build). Add one here if a template needs it.
    env.globals.clear()
    for name in _PART_NAMES:
        env.filters[name] = _part(getattr(Parts, name))
    env.filters["markdown"] = markdown.render
    env.filters["thousands"] = lambda n: f"{n:,}"
    return env


# the public methods of Parts, each returning Markup: a new one is a filter with nothing else to do
_PART_NAMES = [name for name, value in vars(Parts).items() if callable(value) and not name.startswith("_")]


def _part(method):
    """Return a filter calling a method of the page's Parts (the `parts` every page is given, whose
    links are relative to its folder): `{{ value | name(more) }}` is `parts.name(value, more)`.

    Filters, because Jinja2 looks a filter up once, when it compiles a template, while each call
    such as `parts.name(value)` goes through Context.call, which looks for pass_context markers on
    the method first and took longer than most of the parts (ten calls a page)."""
    @jinja2.pass_context
    def part(context, value, *args):
        return method(context["parts"], value, *args)
    part.__name__ = method.__name__
    return part


class Chrome(NamedTuple):
    """The parts of a page that depend only on its folder and section (see Site._chrome). A class with
    attributes rather than a dict: a template's `chrome.head` looks for an attribute first, and a
    dict's miss (an exception) cost more than the lookup, four times a page."""

    head: Markup
    header: Markup
    footer: Markup
    csp: Markup


class Site:
    """Renders the pages of one graph; each page knows its own path and what it depends on.

    A page's dependencies are keys naming the records it shows: ('events', id) for a record's own
    fields, ('members', kind, id) for the set of records that refer to it, ('all', kind) for every
    record of a kind, and ('cites', source id) for the records citing a source. The preview server
    re-renders exactly the pages whose keys changed (see `incremental.py`). A one-off full build has no
    use for them and passes `track=False`: the keys are then not worked out (a tenth of the rendering).
    """

    def __init__(self, graph: Graph, templates: Path = TEMPLATES, base_url: str | None = None,
                 env: jinja2.Environment | None = None, fragments: Fragments | None = None, track: bool = True):
        self.graph = graph
        self.templates = templates
        self.env = env or environment(templates)  # the preview passes its own, to keep compiled templates
        self.fragments = fragments if fragments is not None else Fragments()  # and its own, kept across edits
        self.chronology = graph.content.chronology
        base = base_url or self.chronology.base_url
        self.base_url = (base.rstrip("/") + "/") if base else None
        self.files: dict = {}
        self.track = track
        self.deps: dict = {}  # page path -> frozenset of dependency keys (when tracking)
        self._chromes: dict = {}
        self._articles: dict = {}  # source id -> its JSON-LD, for the events citing it
        self._links: dict = {}  # folder -> the Parts of its pages' links (see _parts)
        self._dates: dict = {}  # the HTML of each date, for the Parts of every folder
        self._compiled = False  # every template (see compile_templates)

    def page(self, path: str, template: str, title: str, description: str = "", jsonld_data=None,
             deps=(), **context) -> None:
        """Render one HTML page at site path `path`, recording what it depends on. `jsonld_data` is
        the page's JSON-LD as data, or as its ready <script> element (Markup)."""
        parts = self._parts(path)
        facets = search.page_facets(self.graph, path, self.track)  # what the search index learns of it
        text = self.env.get_template(template).render(
            page=path, link=parts.link, parts=parts, title=title, chronology=self.chronology,
            facets=facets, chrome=self._chrome(path),
            description=description or self.chronology.description,
            canonical=(self.base_url + path) if self.base_url else "",
            jsonld=(jsonld_data if isinstance(jsonld_data, Markup) else jsonld.script(jsonld_data)) if jsonld_data else "",
            graph=self.graph, views=views, urls=urls, when=self.graph.when, **context)
        self.files[path] = text
        if self.track:
            self.deps[path] = frozenset(deps) | {("chronology",)} | (facets.deps if facets else frozenset())

    def _parts(self, path: str) -> Parts:
        """Return the Parts of a page, with links relative to it. A link depends only on the page's
        folder (urls.relative), so the pages of a folder share one Parts and its table of links, each
        worked out once: a page links to about 15 others, many of them shared."""
        folder = path.rpartition("/")[0]
        parts = self._links.get(folder)
        if parts is None:
            links: dict = {}

            def link(target: str) -> str:
                found = links.get(target)
                if found is None:
                    page, hash_, anchor = target.partition("#")
                    if hash_ and page:  # anchors are many and seldom repeat: only the page's link is kept
                        return link(page) + hash_ + anchor
                    found = links[target] = urls.relative(path, target)
                return found
            parts = self._links[folder] = Parts(self.graph, link, self._dates)
        return parts

    def _chrome(self, path: str) -> Chrome:
        """Return the head links, header and footer of a page (templates/chrome.html) and its
        Content-Security-Policy: they depend only on the page's folder (for relative links) and
        section (for the current menu item)."""
        key = (path.rpartition("/")[0], path.split("/")[0])
        chrome = self._chromes.get(key)
        if chrome is None:
            module = self.env.get_template("chrome.html").make_module(
                {"page": path, "link": self._parts(path).link, "chronology": self.chronology})
            chrome = self._chromes[key] = Chrome(module.head(), module.header(), module.footer(),
                                                 Markup(self.env.get_template("csp.html").render()))
        return chrome

    def compile_templates(self) -> None:
        """Compile every page template now (a tenth of a second), not at its first page: before the
        second rendering process is forked, so that the two do not both compile them."""
        if self._compiled:
            return
        for name in self.env.list_templates(filter_func=lambda name: name.endswith(".html")):
            self.env.get_template(name)
        self._compiled = True

    # ------------------------------------------------------------------ what pages exist

    def specs(self) -> dict:
        """Return every page path mapped to (method name, arguments) that renders it, in a stable order.

        Made once per graph: it depends only on the records there are and the timeline's order, so the
        preview's re-link passes it on when those hold.
        """
        specs = self.graph.cache.get("specs")
        if specs is None:
            specs = self.graph.cache["specs"] = self._make_specs()
        return specs

    def _make_specs(self) -> dict:
        g = self.graph
        specs = {}
        periods = _periods(g, g.timeline, TIMELINE_PAGE_LIMIT)
        specs["index.html"] = ("home", (periods,))
        if len(periods) > 1:
            for i in range(len(periods)):
                specs[periods[i]["href"]] = ("period_page", (periods, i))
        for eid in g.timeline:
            specs[urls.page("events", eid)] = ("event_page", (eid,))
        for kind in ("sources", "statements", "discrepancies", *ENTITY_KINDS):
            specs[urls.index(kind)] = ("index", (kind,))
        specs[urls.index("figures")] = ("figures_index", ())
        for kind, method in (("sources", "source_page"), ("statements", "statement_page"),
                             ("figures", "figure_page"), ("discrepancies", "discrepancy_page")):
            for rid in sorted(g.entries[kind]):
                specs[urls.page(kind, rid)] = (method, (rid,))
        for kind in ENTITY_KINDS:
            for rid in sorted(g.entries[kind]):
                specs[urls.page(kind, rid)] = ("entity_page", (kind, rid))
        specs["about.html"] = ("about", ())
        specs["search.html"] = ("search_page", ())
        specs["404.html"] = ("not_found", ())
        return specs

    def render(self, paths=None, write=None) -> dict:
        """Return every output file (or only the pages in `paths`, with no data files).

        With `write`, each page is handed to `write(path, html)` as soon as it is rendered instead of
        being kept, and only the data files (if any) are returned.
        """
        specs = self.specs()
        if paths is None:
            views.all_name_occurrences(self.graph)  # every entity page asks: one pass over the texts
        self.render_pages(specs if paths is None else [p for p in specs if p in paths], write)
        if paths is None:
            self.files.update(self.data_files(specs))
            self.files.update(self.assets())
        return self.files

    def render_pages(self, paths, write=None) -> None:
        """Render the pages at `paths`, in that order: into `files`, or handed each to `write(path, html)`."""
        specs = self.specs()
        for path in paths:
            method, args = specs[path]
            getattr(self, method)(*args)
            if write is not None:
                write(path, self.files.pop(path))

    def data_files(self, specs: dict) -> dict:
        """Return the feed, sitemap, robots.txt and the exports: they depend on everything."""
        pages = sorted(p for p in specs if p != "404.html")
        return {**feeds.files(self.graph, self.base_url, pages), **export.files(self.graph)}

    def assets(self) -> dict:
        """Return the static files under templates/assets."""
        root = self.templates / "assets"
        return {"assets/" + p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    # ------------------------------------------------------------------ dependency helpers

    def _title_deps(self, kind: str, rid: str) -> set:
        """Return the keys of a record shown only by its date and title: its fields, speaker or claimant."""
        if not self.track:
            return _UNTRACKED
        record = self.graph.entries[kind][rid].record
        keys = {(kind, rid)}
        for field in ("speaker", "claimant"):
            ref = getattr(record, field) if field in type(record).model_fields else None
            if ref:
                keys.add((self.graph.kind_of(ref), ref))
        return keys

    def _record_deps(self, kind: str, rid: str) -> set:
        """Return the keys of a record shown as a link or table row: its fields, speaker or claimant, sources."""
        if not self.track:
            return _UNTRACKED
        g = self.graph
        record = g.entries[kind][rid].record
        keys = {(kind, rid)}
        for field in ("speaker", "claimant", "place"):
            ref = getattr(record, field) if field in type(record).model_fields else None
            if ref:
                keys.add((g.kind_of(ref, ("people", "organisations", "places")), ref))
        keys |= {("sources", q.source) for q in g.quotes_of(kind, rid)}
        return keys

    def _event_list_deps(self, ids) -> set:
        if not self.track:
            return _UNTRACKED
        keys = set()
        for eid in ids:
            keys |= self.fragments.get(("event deps", eid), lambda eid=eid: (self._event_deps(eid), {("events", eid)}))
        return keys

    def _event_deps(self, eid: str) -> frozenset:
        record = self.graph.entries["events"][eid].record
        return frozenset(self._record_deps("events", eid) | {(k, v) for k in ENTITY_KINDS for v in getattr(record, k)})

    def _event_item(self, page: str):
        """Return what timeline pages call to show one event (parts.event_item), kept until the
        event, its sources or the people, places and tags it names change."""
        folder = page.rpartition("/")[0]
        parts = self._parts(page)
        if not self.track:  # a full build shows each event on one timeline page: nothing to keep
            return parts.event_item

        def item(eid, heading):
            return self.fragments.get(("event item", folder, heading, eid),
                                      lambda: (parts.event_item(eid, heading), self._event_list_deps([eid])))
        return item

    def _listed(self, page: str, by: str, rid: str) -> tuple:
        """Return an entity page's line for one record, and what it depends on."""
        def make():
            deps = frozenset(self._title_deps(by, rid))
            return (views.linked_line(self.graph, by, rid, page), deps), deps
        return self.fragments.get(("listed", _line_folder(page, by), by, rid), make)

    # ------------------------------------------------------------------ timeline

    def home(self, periods: list) -> None:
        g = self.graph
        if len(periods) == 1:
            overview = Markup(svg.timeline(g, g.timeline, self._parts("index.html").link))
            self.page("index.html", "timeline.html", self.chronology.title, events=g.timeline,
                      event_item=self._event_item("index.html"), overview=overview, periods=[], period=None, filters=search.timeline_filters(g, g.timeline),
                      deps={("all", "events")} | self._event_list_deps(g.timeline))
        else:  # a long timeline: the overview counts events per page, so an edit leaves it as it is
            density = Markup(svg.density(periods, self._parts("index.html").link))
            self.page("index.html", "timeline.html", self.chronology.title, events=[],
                      overview=density, periods=periods, period=None, filters=None, deps={("periods",)})

    def period_page(self, periods: list, i: int) -> None:
        g = self.graph
        period = periods[i]
        path = period["href"]
        chart = svg.timeline(g, period["events"], self._parts(path).link)
        self.page(path, "timeline.html", f"{period['label']}: {self.chronology.title}",
                  events=period["events"], event_item=self._event_item(path), overview=Markup(chart),
                  periods=periods, period=period,
                  filters=search.timeline_filters(g, period["events"]),
                  prev=periods[i - 1] if i else None, next=periods[i + 1] if i + 1 < len(periods) else None,
                  deps={("periods",)} | self._event_list_deps(period["events"]))

    # ------------------------------------------------------------------ records

    def event_page(self, eid: str) -> None:
        g = self.graph
        entry = g.entries["events"][eid]
        prev, nxt = views.neighbours(g, eid)
        statements = g.referrers("events", eid, "statements")
        figures = g.referrers("events", eid, "figures")
        discrepancies = g.referrers("events", eid, "discrepancies")
        related = views.related_events(g, eid)
        deps = _UNTRACKED
        if self.track:
            deps = self._record_deps("events", eid) | {("members", "events", eid)}
            deps |= {("events", n["id"]) for n in (prev, nxt, *related) if n}
            for kind in ENTITY_KINDS:  # related events come from the members of the same entities
                deps |= {x for v in getattr(entry.record, kind) for x in ((kind, v), ("members", kind, v))}
            for kind, ids in (("statements", statements), ("figures", figures), ("discrepancies", discrepancies)):
                for rid in ids:
                    deps |= self._record_deps(kind, rid)
        self.page(urls.page("events", eid), "event.html", entry.record.title, _summary(entry.body),
                  jsonld.event_script(g, eid, self.base_url, self._articles), deps=deps, entry=entry, prev=prev, next=nxt,
                  cites=views.citations(g, "events", eid),
                  statements=views.refs(g, "statements", statements), figures=figures,
                  discrepancies=views.refs(g, "discrepancies", discrepancies), related=related)

    def source_page(self, sid: str) -> None:
        g = self.graph
        entry = g.entries["sources"][sid]
        deps = {("sources", sid), ("cites", sid)}
        for quote in g.quotes_by_source.get(sid, []) if self.track else ():
            if quote.kind != "sources":
                deps |= self._record_deps(quote.kind, quote.owner)
        self.page(urls.page("sources", sid), "source.html", entry.record.title,
                  f"Source text with cited passages: {entry.record.title}",
                  jsonld.source(g, sid, self.base_url), deps=deps, entry=entry,
                  paragraphs=views.source_paragraphs(g, sid),
                  exceptions=entry.record.quote_exceptions)

    def statement_page(self, sid: str) -> None:
        g = self.graph
        entry = g.entries["statements"][sid]
        discrepancies = g.referrers("statements", sid, "discrepancies")
        deps = self._record_deps("statements", sid) | {("members", "statements", sid)}
        deps |= {("events", e) for e in entry.record.events}
        deps |= {("discrepancies", d) for d in discrepancies}
        self.page(urls.page("statements", sid), "statement.html", views.statement_title(g, sid), "",
                  jsonld.statement(g, sid, self.base_url), deps=deps, entry=entry,
                  speaker=views.who(g, entry.record.speaker, entry.record.attribution),
                  renderings=views.renderings(g, sid), events=views.refs(g, "events", entry.record.events),
                  discrepancies=views.refs(g, "discrepancies", discrepancies))

    def figures_index(self) -> None:
        g = self.graph
        ids = sorted(g.entries["figures"])
        chart = svg.figures_chart(g, ids, self._parts(urls.index("figures")).link)
        deps = {("all", "figures"), ("all", "people"), ("all", "organisations"), ("all", "sources")}
        self.page(urls.index("figures"), "figures.html", "Figures",
                  "Every numeric claim, attributed: who claims how many, as of when, reported by whom.",
                  deps=deps, groups=views.figure_groups(g, ids), chart=Markup(chart))

    def figure_page(self, fid: str) -> None:
        g = self.graph
        entry = g.entries["figures"][fid]
        discrepancies = g.referrers("figures", fid, "discrepancies")
        deps = self._record_deps("figures", fid) | {("members", "figures", fid)}
        deps |= {("events", e) for e in entry.record.events} | {("discrepancies", d) for d in discrepancies}
        self.page(urls.page("figures", fid), "figure.html", views.figure_sentence(g, fid), "", deps=deps,
                  entry=entry, claimant=views.who(g, entry.record.claimant, entry.record.attribution),
                  cites=views.citations(g, "figures", fid), events=views.refs(g, "events", entry.record.events),
                  place=views.refs(g, "places", [entry.record.place] if entry.record.place else []),
                  discrepancies=views.refs(g, "discrepancies", discrepancies))

    def discrepancy_page(self, did: str) -> None:
        g = self.graph
        entry = g.entries["discrepancies"][did]
        deps = self._record_deps("discrepancies", did)
        for kind in ("figures", "statements", "events"):
            for rid in getattr(entry.record, kind):
                deps |= self._record_deps(kind, rid)
        self.page(urls.page("discrepancies", did), "discrepancy.html", entry.record.title,
                  entry.record.description, deps=deps, entry=entry, cites=views.citations(g, "discrepancies", did),
                  figures=entry.record.figures, statements=views.refs(g, "statements", entry.record.statements),
                  events=views.refs(g, "events", entry.record.events))

    def entity_page(self, kind: str, rid: str) -> None:
        g = self.graph
        entry = g.entries[kind][rid]
        path = urls.page(kind, rid)
        count, listed, deps = self._entity_list(kind, rid)
        occurrences = self.fragments.get(("occurrences", kind, rid), lambda: (
            self._parts(path).occurrences(
                views.name_occurrences(g, kind, rid) if kind != "tags" else []),
            {(kind, rid), ("all", "sources")}))
        self.page(path, "entity.html", entry.record.name, entry.record.description,
                  deps=deps | {(kind, rid), ("all", "sources")},  # all sources: name occurrences
                  kind=kind, entry=entry, count=count, listed=listed, occurrences=occurrences)

    def _entity_list(self, kind: str, rid: str) -> tuple:
        """Return (count, <li> lines, dependency keys) of what links to an entity.

        A popular tag lists thousands of records. Its lines are kept in blocks of ENTITY_BLOCK, each
        depending on the records its lines show and on the entity's members (their order), so that
        after one record changes, the preview remakes one block, not thousands of lines and the
        registration of each line's keys (which took more than half of such an edit).
        """
        path = urls.page(kind, rid)
        members = frozenset({("members", kind, rid)})
        items = self.fragments.get(("entity items", kind, rid), lambda: (self._entity_items(kind, rid), members))

        def block(start: int):
            def make():
                found = [self._listed(path, by, i) for by, i in items[start:start + ENTITY_BLOCK]]
                deps = members.union(*[keys for _, keys in found]) if self.track else _UNTRACKED
                return ("\n".join([line for line, _ in found]), deps), deps
            return self.fragments.get(("entity block", kind, rid, start), make)

        blocks = [block(start) for start in range(0, len(items), ENTITY_BLOCK)]
        deps = members.union(*[keys for _, keys in blocks]) if self.track else _UNTRACKED
        return len(items), Markup("\n".join([text for text, _ in blocks])), deps

    def _entity_items(self, kind: str, rid: str) -> list:
        """Return (kind, id) of the events, statements and figures linking to an entity, in date order."""
        g = self.graph
        linked = {by: g.referrers(kind, rid, by) for by in ("events", "statements", "figures")}
        items = sorted(((g.when(g.entries[by][i]).sort_key, by, i) for by, ids in linked.items() for i in ids))
        return [(by, i) for _, by, i in items]

    def index(self, kind: str) -> None:
        g = self.graph
        if kind in ("sources", "statements"):
            ids = sorted(g.entries[kind], key=lambda i: (g.when(g.entries[kind][i]).sort_key, i))
        else:
            ids = sorted(g.entries[kind], key=lambda i: (views.title_of(g, kind, i).casefold(), i))
        deps = {("all", kind)} | ({("all", "people"), ("all", "organisations")} if kind == "statements" else set())
        label = views.KIND_LABELS[kind][1]
        self.page(urls.index(kind), "index.html", label, f"{label} in this chronology.", deps=deps,
                  kind=kind, ids=ids)

    def about(self) -> None:
        self.page("about.html", "about.html", "About this chronology")

    def search_page(self) -> None:
        self.page("search.html", "search.html", "Search",
                  "Search every event, statement, figure, source and person of this chronology.",
                  filters=search.FILTERS)

    def not_found(self) -> None:
        self.page("404.html", "404.html", "Page not found", base_href=self.base_url or "")


_UNTRACKED = frozenset()  # the dependency keys of a page or piece when they are not tracked
ENTITY_BLOCK = 100  # lines of an entity page kept together (see Site._entity_list)


def _line_folder(page: str, by: str) -> str:
    """Return the folder part of the key of an entity page's line for a record of kind `by`: the line
    links to ../{by}/... from every first-level folder but {by}/, so it is made once for them all."""
    folder = page.rpartition("/")[0]
    return "../" if "/" not in folder and folder not in ("", by) else folder


def _summary(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"


def _periods(graph: Graph, ids: list, limit: int) -> list[dict]:
    """Split events into pages of at most about `limit`: by year, and a crowded year by month."""
    if ids is graph.timeline:  # asked several times per build: remembered for the graph
        key = ("periods", limit)
        if key not in graph.cache:
            graph.cache[key] = _split(graph, ids, limit)
        return graph.cache[key]
    return _split(graph, ids, limit)


def _split(graph: Graph, ids: list, limit: int) -> list[dict]:
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
