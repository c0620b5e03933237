"""Kinds: one declaration per content kind, from which loading, linking, pages, search and navigation derive.

A kind is a folder of records under content/, one record per file, checked against its schema model;
its records' pages live at `{name}/{id}.html` and its index at `{name}/index.html` (see urls.py).
What the other modules know of every kind is read here, from `KINDS` (what is particular to one
kind stays in its module: the texts of sources, the timeline of events, the pages of each):

- loading: the folder, the file suffix and the model (unknown folders, fields and values reported);
- linking: which fields hold ids of which kinds (checked, with did-you-mean), which field holds the
  citations (each quote located in its source), which field dates a record (the order of back-references);
- pages: the `render.Site` method of its record pages (a kind without one of its own gets the generic
  `record_page`) and of its index page, the labels, the navigation entry;
- search: the kind's name in the index, the filter it is (if any), and the facets of its pages.

A new kind is one more `Kind` in the table below (and its model in schema.py); tests declare toy
kinds with `KINDS.adding(...)` and `declared(...)`, which restores the table afterwards.
Modules read the table as `kinds.KINDS` when they need it, never copying it at import, so that a
table declared for a while is the one they see.
"""
from __future__ import annotations

from contextlib import contextmanager
from dataclasses import dataclass, field
from functools import cached_property

from . import schema, urls

RESERVED = ("assets", "data", "pagefind", "timeline")  # site folders that are not kinds


@dataclass(frozen=True)
class Nav:
    """A kind's entry in the site's main menu (templates/chrome.html) and the search page's indexes."""

    label: str
    order: int  # place in the menu, smallest first
    path: str = ""  # the page it leads to; '' for the kind's index page


@dataclass(frozen=True)
class Filter:
    """A search filter (and timeline filter) whose values are the names of a kind's records."""

    name: str  # e.g. "person": data-pagefind-filter="person", and the timeline form's field
    order: int  # place among the filters of the search page and the timeline, smallest first


@dataclass(frozen=True)
class Kind:
    """One content kind, as every module sees it."""

    name: str  # its folder under content/ and in the site, e.g. "people"
    model: type  # the pydantic model of one record (schema.py)
    label: str  # one record, as pages and the search index call it: "Person"
    plural: str  # "People": index titles, headings of lists
    suffix: str = ".yaml"  # ".md": YAML front matter and a Markdown summary below it
    references: dict = field(default_factory=dict)
    """Field -> the kinds whose ids it holds, e.g. {"speaker": ("people", "organisations")}: a field
    naming a record of either kind (whose ids must then differ)."""
    citations: str | None = None  # the field holding its list of Citation, e.g. "renderings"
    dated: str | None = None  # the EDTF field dating a record ("date", "as_of"), if dated
    entity: bool = False
    """A named thing that records refer to (a person, a place, a tag): the records naming it show it
    as a chip, and events naming the same entities are related."""
    names_in_sources: bool = False  # its pages list where its name and aliases occur in the sources
    filter: Filter | None = None
    facets: tuple | None = None
    """The fields whose records' names its pages give the search index as filter values: a field of
    its own ("tags") or one of a record it names ("figures.claimant"). None: every reference field
    naming a filter kind. A page of a filter kind also carries its own name, and a citing record the
    titles of the sources it cites."""
    page: str = "record_page"  # the render.Site method of its record pages
    template: str = "record.html"  # the template `record_page` renders them with
    index: str | None = "index"  # the render.Site method of its index page, or None for none
    index_note: str | None = None  # the field shown after each title on the index page
    nav: Nav | None = None
    bulk: bool = False  # many cheap record pages: rendered last, in chunks both processes share

    @property
    def singular(self) -> str:
        """Return how messages name one record: 'person'."""
        return self.label.lower()


class Kinds(dict):
    """The declared kinds by name, in their declared order (the order of exports and of quotes), with
    what the modules derive from them, each worked out once per table. A dict, since a build looks
    kinds up tens of thousands of times (a Mapping's lookups would be Python calls); not to be
    changed: a new table is made with `adding`."""

    def __init__(self, kinds):
        kinds = list(kinds)
        super().__init__((kind.name, kind) for kind in kinds)
        if len(self) != len(kinds):
            twice = next(k.name for i, k in enumerate(kinds) if k.name in [j.name for j in kinds[:i]])
            raise ValueError(f"kind '{twice}' is declared twice")
        _check(self)

    def _refuse(self, *args, **kwargs):
        raise TypeError("a kinds table is not changed: make a new one with adding()")

    __setitem__ = __delitem__ = clear = pop = popitem = setdefault = update = __ior__ = _refuse

    def adding(self, *kinds: Kind) -> Kinds:
        """Return a new table: these kinds followed by `kinds`."""
        return Kinds([*self.values(), *kinds])

    @cached_property
    def citing(self) -> dict:
        """Return kind -> its citation field, for the kinds whose records cite sources."""
        return {k.name: k.citations for k in self.values() if k.citations}

    @cached_property
    def referring(self) -> dict:
        """Return kind -> {field: target kinds}, for the kinds whose records refer to others."""
        return {k.name: k.references for k in self.values() if k.references}

    @cached_property
    def either(self) -> dict:
        """Return (kind, other kind) -> the fields that may name a record of either (speaker, claimant)."""
        found: dict = {}
        for k in self.values():
            for name, targets in k.references.items():
                for i, first in enumerate(targets):
                    for second in targets[i + 1:]:
                        found.setdefault((first, second), []).append(name)
        return found

    @cached_property
    def entity_fields(self) -> dict:
        """Return kind -> [(field, entity kind)]: its reference fields naming one entity kind each."""
        return {k.name: [(name, targets[0]) for name, targets in k.references.items()
                         if len(targets) == 1 and self[targets[0]].entity] for k in self.values()}

    @cached_property
    def filters(self) -> list:
        """Return the filter kinds, in filter order."""
        return sorted((k for k in self.values() if k.filter), key=lambda k: (k.filter.order, k.name))

    @cached_property
    def facets(self) -> dict:
        """Return kind -> [(field, then, targets)] of its facets: `then` is the field of the record
        `field` names (or None), `targets` the filter kinds the value may name, in their order."""
        found = {}
        for k in self.values():
            paths = k.facets if k.facets is not None else \
                [name for name, targets in k.references.items() if any(self[t].filter for t in targets)]
            found[k.name] = []
            for path in paths:
                name, _, then = path.partition(".")
                targets = k.references[name]
                if then:
                    targets = self[targets[0]].references[then]
                found[k.name].append((name, then or None, tuple(t for t in targets if self[t].filter)))
        return found

    @cached_property
    def reserved_ids(self) -> frozenset:
        """Return the ids no record of any kind may have: the names of the site's own pages in a kind's
        folder (urls.own_pages, e.g. 'index' for `people/index.html`), which its page would overwrite."""
        return frozenset(path.rpartition("/")[2].removesuffix(".html") for k in self for path in urls.own_pages(k))

    @cached_property
    def navigation(self) -> list:
        """Return the main menu's (site path, label) of each kind that has an entry, in menu order."""
        listed = sorted((k for k in self.values() if k.nav), key=lambda k: (k.nav.order, k.name))
        return [(k.nav.path or urls.index(k.name), k.nav.label) for k in listed]


def _check(table: Kinds) -> None:
    """Raise ValueError, saying which kind and field, for a declaration that names what is not there."""
    for k in table.values():
        if k.name in RESERVED or not schema.ID_RE.match(k.name):
            raise ValueError(f"kind '{k.name}': the name must be an id and not one of {', '.join(RESERVED)}")
        fields = k.model.model_fields
        named = [*k.references, *(f for f in (k.citations, k.dated, k.index_note) if f)]
        for name in named:
            if name not in fields:
                raise ValueError(f"kind '{k.name}': its model {k.model.__name__} has no field '{name}'")
        for name, targets in k.references.items():
            for target in targets:
                if target not in table:
                    raise ValueError(f"kind '{k.name}': field '{name}' refers to kind '{target}', not declared")
        if k.nav and not k.nav.path and not k.index:
            raise ValueError(f"kind '{k.name}': its menu entry leads to its index page, and it has none")
        for path in k.facets or ():
            name, _, then = path.partition(".")
            if name not in k.references or (then and any(then not in table[t].references
                                                          for t in k.references[name])):
                raise ValueError(f"kind '{k.name}': facet '{path}' is not a reference field (or one of what it names)")
    names = [k.filter.name for k in table.values() if k.filter]
    if len(set(names)) != len(names):
        raise ValueError(f"two kinds declare the same filter name: {', '.join(sorted(names))}")


def ids_in(value) -> list:
    """Return the ids a reference field's value holds: [] for none, [id] for one, the list for a list."""
    if value is None:
        return []
    return [value] if isinstance(value, str) else list(value)



KINDS = Kinds([
    Kind("sources", schema.Source, "Source", "Sources", dated="date", filter=Filter("source", 5),
         page="source_page", nav=Nav("Sources", 1)),
    Kind("events", schema.Event, "Event", "Events", suffix=".md",
         references={"people": ("people",), "organisations": ("organisations",), "places": ("places",),
                     "tags": ("tags",)},
         citations="citations", dated="date", page="event_page", index=None,
         nav=Nav("Timeline", 0, "index.html"), bulk=True),
    Kind("statements", schema.Statement, "Statement", "Statements",
         references={"speaker": ("people", "organisations"), "events": ("events",), "tags": ("tags",)},
         citations="renderings", dated="date", page="statement_page", nav=Nav("Statements", 2), bulk=True),
    Kind("figures", schema.Figure, "Figure", "Figures",
         references={"claimant": ("people", "organisations"), "place": ("places",), "events": ("events",),
                     "tags": ("tags",)},
         citations="citations", dated="as_of", page="figure_page", index="figures_index",
         nav=Nav("Figures", 3), bulk=True),
    Kind("people", schema.Person, "Person", "People", entity=True, names_in_sources=True,
         filter=Filter("person", 1), page="entity_page", index_note="description", nav=Nav("People", 5)),
    Kind("organisations", schema.Organisation, "Organisation", "Organisations", entity=True,
         names_in_sources=True, filter=Filter("organisation", 2), page="entity_page",
         index_note="description", nav=Nav("Organisations", 6)),
    Kind("places", schema.Place, "Place", "Places", entity=True, names_in_sources=True,
         filter=Filter("place", 3), page="entity_page", index_note="description", nav=Nav("Places", 7)),
    Kind("tags", schema.Tag, "Tag", "Tags", entity=True, filter=Filter("tag", 4), page="entity_page",
         index_note="description", nav=Nav("Tags", 8)),
    Kind("discrepancies", schema.Discrepancy, "Discrepancy", "Discrepancies",
         references={"figures": ("figures",), "statements": ("statements",), "events": ("events",)},
         citations="citations", facets=("figures.claimant", "statements.speaker"), page="discrepancy_page",
         index_note="about", nav=Nav("Discrepancies", 4)),
])


@contextmanager
def declared(table: Kinds):
    """Make `table` the declared kinds while the block runs (a test's toy kind), then restore the table."""
    global KINDS
    before, KINDS = KINDS, table
    try:
        yield table
    finally:
        KINDS = before
