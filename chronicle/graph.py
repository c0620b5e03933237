"""The content graph: the linked chronology that pages read, with the indexes derived from it.

`link.link` makes it; for the preview, `Graph.track` makes every read of it recorded (depends.py).
"""
from __future__ import annotations

from dataclasses import dataclass, field

from . import dates, kinds
from .cite import Span
from .depends import Memo, Reads, Records
from .load import Content, Entry


@dataclass(slots=True)  # not frozen: made 30,000 times at 10,000 events, in the link's one-process part
class Quote:
    """A located citation: which record cites which passage of which source."""

    kind: str
    owner: str
    index: int
    source: str
    text: str
    span: Span


@dataclass
class Graph:
    """The linked chronology: records by kind, dates parsed, quotes located, events in order.

    Pages read it through `entries` and the index methods below; for the preview, `track()` makes
    every such read recorded (see depends.py)."""

    content: Content
    texts: dict = field(default_factory=dict)  # source id -> SourceText
    located: list = field(default_factory=list)  # quotes located while linking, before they are indexed
    refs: dict = field(default_factory=dict)  # (kind, id) -> {referring kind: [ids in date order]}
    quotes_by_owner: dict = field(default_factory=dict)  # (kind, id) -> [Quote]
    quotes_by_source: dict = field(default_factory=dict)  # source id -> [Quote]
    problems: list = field(default_factory=list)
    cache: dict = field(default_factory=dict)  # kept for one graph: owner ranks, a full build's name occurrences
    changed: set | None = None  # (kind, id) of the records `relink` redid; None after a full link

    def __post_init__(self):
        # Records by kind: the content's, kept as an attribute, not a property (read a million times).
        self.entries = self.content.entries
        self.reads = Reads()
        self.memo = Memo(self.reads)  # values derived from the graph for its pages
        self._timeline: list = []
        self._indexes: dict = {}  # the index methods' lookups, made at their first use

    def track(self, reads: Reads | None = None, memo: Memo | None = None) -> None:
        """Record every read of the graph from now on (see depends.py), into `reads` and keeping
        values in `memo` when given (the preview's, carried from one graph to the next)."""
        if reads is not None:
            self.reads, self.memo = reads, memo
        self.reads.on = True
        self.entries = {kind: Records(kind, items, self.reads) for kind, items in self.content.entries.items()}
        self.texts = Records("sources", self.texts, self.reads)

    def adopt(self, old: "Graph", changed: set) -> None:
        """Follow `old`, the preview's previous graph, given the keys that `changed` between them
        (incremental.changed_keys): take its memo, less what was made from those keys, and its indexes
        whose keys did not change, rather than make them again; then record reads, as it did."""
        old.memo.forget(changed)
        for key, value in old._indexes.items():
            if key not in changed:
                self._indexes.setdefault(key, value)
        self.track(old.reads, old.memo)

    @property
    def timeline(self) -> list:
        """Event ids in date order."""
        self.reads.add(ORDER)
        return self._timeline

    @timeline.setter
    def timeline(self, ids: list) -> None:
        self._timeline = ids
        self._indexes = {}

    @property
    def quotes(self) -> list:
        """Return every located Quote, in content order: sources' exceptions, then events, statements..."""
        found = []
        for kind in ("sources", *kinds.KINDS.citing):
            for rid in self.content.entries[kind]:
                found += self.quotes_by_owner.get((kind, rid), ())
        return found

    def when(self, entry: Entry) -> dates.When:
        """Return the parsed date of a record of a dated kind (by the field its kind declares)."""
        try:
            return entry.when_parsed  # kept on the entry (a file's record does not change)
        except AttributeError:
            when = entry.when_parsed = dates.parse(getattr(entry.record, kinds.KINDS[entry.kind].dated))
            return when

    def get(self, kind: str, rid: str) -> Entry:
        """Return the entry of `kind` with id `rid`."""
        return self.entries[kind][rid]

    def kind_of(self, rid: str, among=("people", "organisations")) -> str:
        """Return which of the kinds `among` holds `rid` (by default those of speakers and claimants)."""
        return next(kind for kind in among if rid in self.entries[kind])

    def referrers(self, kind: str, rid: str, by: str) -> list:
        """Return the ids of `by` records that refer to record `rid` of `kind`, in date order."""
        self.reads.add(("members", kind, rid))
        return self.refs.get((kind, rid), {}).get(by, [])

    def dated_members(self, kind: str, rid: str) -> list:
        """Return (kind, id) of the records referring to a record, those of dated kinds first, in date order."""
        return self.derived(("members", kind, rid), lambda: _dated_members(self, kind, rid))

    def member_positions(self, kind: str, rid: str) -> tuple:
        """Return the timeline positions of the events referring to a record (ascending), and their ids."""
        return self.derived(("member positions", kind, rid), lambda: _member_positions(self, kind, rid))

    def derived(self, key: tuple, make):
        """Return `make()`, an index derived from the graph, made once per graph (and timeline order):
        reading it records `key`, not what `make` reads (incremental.changed_keys compares indexes)."""
        self.reads.add(key)
        found = self._indexes.get(key)
        if found is None:
            with self.reads.recording(merge=False):
                found = self._indexes[key] = make()
        return found

    def position(self, eid: str) -> int:
        """Return an event's position on the timeline."""
        self.reads.add(("position", eid))
        return self.positions()[eid]

    def neighbours(self, eid: str) -> tuple:
        """Return the ids of the events before and after `eid` on the timeline (or None)."""
        self.reads.add(("adjacent", eid))
        order, at = self._timeline, self.positions()[eid]
        return (order[at - 1] if at > 0 else None), (order[at + 1] if at + 1 < len(order) else None)

    def quotes_of(self, kind: str, owner: str) -> list:
        """Return the located quotes of one record, in citation order."""
        self.reads.add((kind, owner))
        return self.quotes_by_owner.get((kind, owner), [])

    def quotes_in(self, sid: str) -> list:
        """Return the located quotes of a source, in content order."""
        self.reads.add(("cites", sid))
        return self.quotes_by_source.get(sid, [])

    def counts(self) -> dict:
        """Return how many records of each kind, and renderings (after statements), the chronology holds."""
        counts = {}
        for kind, items in self.content.entries.items():
            counts[kind] = len(items)
            if kind == "statements":
                counts["renderings"] = sum(len(e.record.renderings) for e in items.values())
        return counts

    def positions(self) -> dict:
        """Return each event's position on the timeline, recording nothing (for indexes and linking)."""
        found = self._indexes.get(ORDER)  # kept under the key of what it is made from
        if found is None:
            found = self._indexes[ORDER] = {eid: i for i, eid in enumerate(self._timeline)}
        return found


ORDER = ("order",)


def _dated_members(graph: Graph, kind: str, rid: str) -> list:
    """Return (kind, id) of the records referring to a record: those of dated kinds in date order, then
    the others, kind by kind, each in id order (see Graph.dated_members)."""
    entries, linked = graph.content.entries, graph.refs.get((kind, rid), {})
    dated = sorted((graph.when(entries[by][i]).sort_key, by, i)
                   for by in linked if kinds.KINDS[by].dated for i in linked[by])
    undated = [(by, i) for by in kinds.KINDS if by in linked and not kinds.KINDS[by].dated for i in linked[by]]
    return [(by, i) for _, by, i in dated] + undated


def _member_positions(graph: Graph, kind: str, rid: str) -> tuple:
    members = graph.refs.get((kind, rid), {}).get("events", [])
    order = graph.positions()
    return [order[e] for e in members], members
