"""Render: the linked graph in, every output file of the site (path -> text) out."""
from __future__ import annotations

from pathlib import Path
from typing import NamedTuple

import jinja2
from markupsafe import Markup

from . import captures, dates, export, feeds, jsonld, kinds, markdown, search, svg, urls, views
from .graph import Graph
from .parts import Parts
from .write import WrittenTwice

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"
TIMELINE_PAGE_LIMIT = 300  # beyond this, the timeline is split into pages by year (or month)
SHARED_PAGES = ("entity_page", "record_page", "index")  # page methods of several kinds: given the kind first


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
    """Renders the pages of one graph; each page knows its own path.

    With `track` (the preview), what each page reads of the graph is recorded while it renders (see
    depends.py) and kept in `deps`, page path -> frozenset of keys: the preview re-renders exactly the
    pages that read something that changed (see `incremental.py`). A one-off full build has no use for
    them and passes `track=False`.
    """

    def __init__(self, graph: Graph, templates: Path = TEMPLATES, base_url: str | None = None,
                 env: jinja2.Environment | None = None, track: bool = True):
        self.graph = graph
        self.templates = templates
        self.env = env or environment(templates)  # the preview passes its own, to keep compiled templates
        self.chronology = graph.content.chronology
        base = base_url or self.chronology.base_url
        self.base_url = (base.rstrip("/") + "/") if base else None
        self.files: dict = {}
        self.track = track
        if track and not graph.reads.on:
            graph.track()
        self.deps: dict = {}  # page path -> frozenset of dependency keys (when tracking)
        self._chromes: dict = {}
        self._links: dict = {}  # folder -> the Parts of its pages' links (see _parts)
        self._dates: dict = {}  # the HTML of each date, for the Parts of every folder
        self._compiled = False  # every template (see compile_templates)

    def page(self, path: str, template: str, title: str, description: str = "", jsonld_data=None,
             **context) -> None:
        """Render one HTML page at site path `path`. `jsonld_data` is the page's JSON-LD as data, or
        as its ready <script> element (Markup)."""
        parts = self._parts(path)
        facets = search.page_facets(self.graph, path)  # what the search index learns of it
        text = self.env.get_template(template).render(
            page=path, link=parts.link, parts=parts, title=title, chronology=self.chronology,
            facets=facets, chrome=self._chrome(path),
            description=description or self.chronology.description,
            canonical=(self.base_url + path) if self.base_url else "",
            jsonld=(jsonld_data if isinstance(jsonld_data, Markup) else jsonld.script(jsonld_data)) if jsonld_data else "",
            views=views, **context)
        self.files[path] = text

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
                {"page": path, "link": self._parts(path).link, "chronology": self.chronology,
                 "nav": kinds.KINDS.navigation})
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

        Made once, and kept by the preview until a record is added or removed or the timeline's order
        changes.
        """
        return self.graph.memo.get("specs", self._make_specs)

    def _make_specs(self) -> dict:
        g = self.graph
        specs = _Once()
        periods = timeline_periods(g)
        specs["index.html"] = ("home", (periods,))
        if len(periods) > 1:
            for i in range(len(periods)):
                specs[periods[i]["href"]] = ("period_page", (periods, i))
        for kind, declared in kinds.KINDS.items():  # each kind's index page, by the method its kind names
            if declared.index:
                specs[urls.index(kind)] = (declared.index, (kind,) if declared.index in SHARED_PAGES else ())
        for kind, declared in kinds.KINDS.items():  # and its records' pages: events in timeline order
            method, shared = declared.page, declared.page in SHARED_PAGES
            for rid in g.timeline if kind == "events" else sorted(g.entries[kind]):
                specs[urls.page(kind, rid)] = (method, (kind, rid) if shared else (rid,))
        specs["about.html"] = ("about", ())
        specs["search.html"] = ("search_page", ())
        specs["404.html"] = ("not_found", ())
        return dict(specs)

    def render(self, paths=None, write=None) -> dict:
        """Return every output file (or only the pages in `paths`, with no data files).

        With `write`, each page is handed to `write(path, html)` as soon as it is rendered instead of
        being kept, and only the data files (if any) are returned.
        """
        specs = self.specs()
        if paths is None and not self.track:
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
            if self.track:
                with self.graph.reads.recording() as keys:
                    getattr(self, method)(*args)
                self.deps[path] = frozenset(keys)
            else:
                getattr(self, method)(*args)
            if write is not None:
                write(path, self.files.pop(path))

    def data_files(self, specs: dict) -> dict:
        """Return the feed, sitemap, robots.txt and the exports: they depend on everything."""
        pages = sorted(p for p in specs if p != "404.html")
        files = _Once()
        for made in (feeds.files(self.graph, self.base_url, pages), export.files(self.graph), captures.files(self.graph)):
            files.update(made)
        return dict(files)

    def assets(self) -> dict:
        """Return the static files under templates/assets."""
        root = self.templates / "assets"
        return {"assets/" + p.relative_to(root).as_posix(): p.read_bytes()
                for p in sorted(root.rglob("*")) if p.is_file()}

    def _event_item(self, page: str):
        """Return what timeline pages call to show one event (parts.event_item), kept in the graph's
        memo for the preview (a full build shows each event on one timeline page: nothing to keep)."""
        folder = page.rpartition("/")[0]
        parts = self._parts(page)
        if not self.track:
            return parts.event_item

        def item(eid, heading):
            return self.graph.memo.get(("event item", folder, heading, eid), lambda: parts.event_item(eid, heading))
        return item

    def _listed(self, page: str, by: str, rid: str) -> str:
        """Return an entity page's line for one record."""
        return self.graph.memo.get(("listed", _line_folder(page, by), by, rid),
                                   lambda: views.linked_line(self.graph, by, rid, page))

    # ------------------------------------------------------------------ timeline

    def home(self, periods: list) -> None:
        g = self.graph
        if len(periods) == 1:
            overview = Markup(svg.timeline(g, g.timeline, self._parts("index.html").link))
            self.page("index.html", "timeline.html", self.chronology.title, events=g.timeline,
                      event_item=self._event_item("index.html"), overview=overview, periods=[], period=None,
                      filters=search.timeline_filters(g, g.timeline))
        else:  # a long timeline: the overview counts events per page, so an edit leaves it as it is
            density = Markup(svg.density(periods, self._parts("index.html").link))
            self.page("index.html", "timeline.html", self.chronology.title, events=[],
                      overview=density, periods=periods, period=None, filters=None)

    def period_page(self, periods: list, i: int) -> None:
        g = self.graph
        period = periods[i]
        path = period["href"]
        chart = svg.timeline(g, period["events"], self._parts(path).link)
        self.page(path, "timeline.html", f"{period['label']}: {self.chronology.title}",
                  events=period["events"], event_item=self._event_item(path), overview=Markup(chart),
                  periods=periods, period=period,
                  filters=search.timeline_filters(g, period["events"]),
                  prev=periods[i - 1] if i else None, next=periods[i + 1] if i + 1 < len(periods) else None)

    # ------------------------------------------------------------------ records

    def event_page(self, eid: str) -> None:
        g = self.graph
        entry = g.entries["events"][eid]
        prev, nxt = views.neighbours(g, eid)
        statements = g.referrers("events", eid, "statements")
        figures = g.referrers("events", eid, "figures")
        discrepancies = g.referrers("events", eid, "discrepancies")
        self.page(urls.page("events", eid), "event.html", entry.record.title, _summary(entry.body),
                  jsonld.event_script(g, eid, self.base_url), entry=entry, prev=prev, next=nxt,
                  cites=views.citations(g, "events", eid),
                  statements=views.refs(g, "statements", statements), figures=figures,
                  discrepancies=views.refs(g, "discrepancies", discrepancies), related=views.related_events(g, eid))

    def source_page(self, sid: str) -> None:
        g = self.graph
        entry = g.entries["sources"][sid]
        self.page(urls.page("sources", sid), "source.html", entry.record.title,
                  f"Source text with cited passages: {entry.record.title}",
                  jsonld.source(g, sid, self.base_url), entry=entry,
                  paragraphs=views.source_paragraphs(g, sid), capture=views.capture(g, sid),
                  exceptions=entry.record.quote_exceptions)

    def statement_page(self, sid: str) -> None:
        g = self.graph
        entry = g.entries["statements"][sid]
        discrepancies = g.referrers("statements", sid, "discrepancies")
        self.page(urls.page("statements", sid), "statement.html", views.statement_title(g, sid), "",
                  jsonld.statement(g, sid, self.base_url), entry=entry,
                  speaker=views.who(g, entry.record.speaker, entry.record.attribution),
                  renderings=views.renderings(g, sid), events=views.refs(g, "events", entry.record.events),
                  discrepancies=views.refs(g, "discrepancies", discrepancies))

    def figures_index(self) -> None:
        g = self.graph
        ids = sorted(g.entries["figures"])
        chart = svg.figures_chart(g, ids, self._parts(urls.index("figures")).link)
        self.page(urls.index("figures"), "figures.html", "Figures",
                  "Every numeric claim, attributed: who claims how many, as of when, reported by whom.",
                  groups=views.figure_groups(g, ids), chart=Markup(chart))

    def figure_page(self, fid: str) -> None:
        g = self.graph
        entry = g.entries["figures"][fid]
        discrepancies = g.referrers("figures", fid, "discrepancies")
        self.page(urls.page("figures", fid), "figure.html", views.figure_sentence(g, fid), "",
                  entry=entry, claimant=views.who(g, entry.record.claimant, entry.record.attribution),
                  cites=views.citations(g, "figures", fid), events=views.refs(g, "events", entry.record.events),
                  place=views.refs(g, "places", [entry.record.place] if entry.record.place else []),
                  discrepancies=views.refs(g, "discrepancies", discrepancies))

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
        path = urls.page(kind, rid)
        count, listed = self._entity_list(kind, rid)
        occurrences = g.memo.get(("occurrences", kind, rid), lambda: self._parts(path).occurrences(
            views.name_occurrences(g, kind, rid) if kinds.KINDS[kind].names_in_sources else []))
        self.page(path, "entity.html", entry.record.name, entry.record.description,
                  kind=kind, declared=kinds.KINDS[kind], entry=entry, count=count, listed=listed,
                  occurrences=occurrences)

    def _entity_list(self, kind: str, rid: str) -> tuple:
        """Return (count, <li> lines) of the events, statements and figures linking to an entity.

        A popular tag lists thousands of records. Its lines are kept in blocks of ENTITY_BLOCK, each
        made from the entity's members (their order) and the records its lines show, so that after
        one record changes, the preview remakes one block, not thousands of lines.
        """
        path = urls.page(kind, rid)
        items = self.graph.dated_members(kind, rid)

        def block(start: int) -> str:  # made from the members, read here: the block is kept
            lines = self.graph.dated_members(kind, rid)[start:start + ENTITY_BLOCK]
            return "\n".join([self._listed(path, by, i) for by, i in lines])

        blocks = [self.graph.memo.get(("entity block", kind, rid, start), lambda start=start: block(start))
                  for start in range(0, len(items), ENTITY_BLOCK)]
        return len(items), Markup("\n".join(blocks))

    def record_page(self, kind: str, rid: str) -> None:
        """The page of a record whose kind has no page method of its own, with the template its kind
        names (templates/record.html): its fields, its citations and the records referring to it."""
        g = self.graph
        declared = kinds.KINDS[kind]
        entry = g.entries[kind][rid]
        fields = views.record_fields(g, kind, rid)
        referrers = views.referrers(g, kind, rid)
        self.page(urls.page(kind, rid), declared.template, views.title_of(g, kind, rid),
                  getattr(entry.record, "description", None) or "", entry=entry, declared=declared,
                  fields=fields, cites=views.citations(g, kind, rid), referrers=referrers)

    def index(self, kind: str) -> None:
        g = self.graph
        declared = kinds.KINDS[kind]
        if declared.dated:
            ids = sorted(g.entries[kind], key=lambda i: (g.when(g.entries[kind][i]).sort_key, i))
        else:
            ids = sorted(g.entries[kind], key=lambda i: (views.title_of(g, kind, i).casefold(), i))
        label = declared.plural
        self.page(urls.index(kind), "index.html", label, f"{label} in this chronology.",
                  kind=kind, declared=declared, ids=ids)

    def about(self) -> None:
        self.page("about.html", "about.html", "About this chronology")

    def search_page(self) -> None:
        self.page("search.html", "search.html", "Search",
                  "Search every event, statement, figure, source and person of this chronology.",
                  filters=search.filters(), nav=kinds.KINDS.navigation)

    def not_found(self) -> None:
        self.page("404.html", "404.html", "Page not found", base_href=self.base_url or "")


ENTITY_BLOCK = 100  # lines of an entity page kept together (see Site._entity_list)


class _Once(dict):
    """A dict of site paths that refuses a path given twice (write.WrittenTwice): a page or file that
    would take another's path, which a plain dict would silently drop."""

    def __setitem__(self, path, value):
        if path in self:
            raise WrittenTwice(path)
        super().__setitem__(path, value)

    def update(self, other):
        for path, value in other.items():
            self[path] = value


def _line_folder(page: str, by: str) -> str:
    """Return the folder part of the key of an entity page's line for a record of kind `by`: the line
    links to ../{by}/... from every first-level folder but {by}/, so it is made once for them all."""
    folder = page.rpartition("/")[0]
    return "../" if "/" not in folder and folder not in ("", by) else folder


def _summary(body: str) -> str:
    text = " ".join(body.split())
    return text if len(text) <= 200 else text[:197].rsplit(" ", 1)[0] + "…"


def timeline_periods(graph: Graph) -> list[dict]:
    """Return the pages the timeline is split into (see _split), an index of the graph."""
    return graph.derived(PERIODS, lambda: _split(graph, graph.timeline, TIMELINE_PAGE_LIMIT))


PERIODS = ("periods",)


def _split(graph: Graph, ids: list, limit: int) -> list[dict]:
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
