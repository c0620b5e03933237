"""Dependencies recorded as pages render: the records and derived indexes each page reads.

While a page, or a piece kept between renders (`Memo`), is made for the preview, every read of the
graph is recorded as a key (Lektor's `record_dependency` is the model):

| key | read by |
|---|---|
| `(kind, id)` | one record: `graph.entries[kind][id]`, `.get`, `in`, `graph.quotes_of(kind, id)` |
| `("ids", kind)` | which records of a kind exist: iterating `graph.entries[kind]`, its `len`, its keys |
| `("all", kind)` | every record of a kind: its `.values()` or `.items()` |
| `("members", kind, id)` | the records referring to one: `graph.referrers`, `graph.dated_members` |
| `("member positions", kind, id)` | where on the timeline the events referring to one stand |
| `("cites", source id)` | the quotes located in a source: `graph.quotes_in` |
| `("order",)` | the timeline's order of events: `graph.timeline` |
| `("position", id)`, `("adjacent", id)` | one event's place on the timeline; its neighbours |
| `("periods",)` | how the timeline is split into pages |

The graph's index methods read what they derive from without recording it, and record their own key
instead: `incremental.changed_keys` tells, for two graphs, which of these keys differ, by comparing
the indexes themselves, so a page reading an index is redone only when the index changed. A full
build records nothing (`Graph.track` is not called) and pays only for the key lookups of `Memo`.
"""
from __future__ import annotations

from contextlib import contextmanager

_MISSING = object()
_NONE = frozenset()


class Reads:
    """The sets of keys being recorded: a page's, and inside it those of the kept pieces it makes."""

    __slots__ = ("stack", "on")

    def __init__(self):
        self.stack: list = []
        self.on = False  # recording at all: the preview's graphs, not a full build's

    def add(self, key) -> None:
        if self.stack:
            self.stack[-1].add(key)

    def update(self, keys) -> None:
        if self.stack:
            self.stack[-1].update(keys)

    @contextmanager
    def recording(self, merge: bool = True):
        """Record the keys read inside the block into the set yielded; with `merge`, they are read
        by the enclosing recording too (a piece kept inside a page), else not (an index reading
        what it derives from)."""
        keys: set = set()
        self.stack.append(keys)
        try:
            yield keys
        finally:
            self.stack.pop()
            if merge and self.stack:
                self.stack[-1].update(keys)


class Records(dict):
    """The records of one kind by id (as the graph holds them), recording each read in `reads`."""

    __slots__ = ("kind", "reads")

    def __init__(self, kind: str, items: dict, reads: Reads):
        super().__init__(items)
        self.kind = kind
        self.reads = reads

    def __getitem__(self, rid):
        self.reads.add((self.kind, rid))
        return dict.__getitem__(self, rid)

    def get(self, rid, default=None):
        self.reads.add((self.kind, rid))
        return dict.get(self, rid, default)

    def __contains__(self, rid) -> bool:
        self.reads.add((self.kind, rid))
        return dict.__contains__(self, rid)

    def __iter__(self):
        self.reads.add(("ids", self.kind))
        return dict.__iter__(self)

    def __len__(self) -> int:
        self.reads.add(("ids", self.kind))
        return dict.__len__(self)

    def keys(self):
        self.reads.add(("ids", self.kind))
        return dict.keys(self)

    def values(self):
        self.reads.add(("all", self.kind))
        return dict.values(self)

    def items(self):
        self.reads.add(("all", self.kind))
        return dict.items(self)

    def __reduce__(self):  # a copy or a pickle is a plain dict: it records nothing
        return dict, (dict(dict.items(self)),)


class Memo:
    """Values derived from the graph, each kept with the keys its making read, until one of them
    changes (`forget`). Reusing a value records those keys again, so a page reading a kept value
    depends on what the value was made from, as if it had made it."""

    def __init__(self, reads: Reads):
        self.reads = reads
        self._kept: dict = {}  # key -> (value, keys read making it)
        self._users: dict = {}  # key read -> the keys of the values made from it

    def get(self, key, make):
        """Return the value kept under `key`, or `make()` it and keep it."""
        found = self._kept.get(key, _MISSING)
        if found is not _MISSING:
            value, deps = found
            if deps:
                self.reads.update(deps)
            return value
        if not self.reads.on:
            value = make()
            self._kept[key] = (value, _NONE)
            return value
        with self.reads.recording() as deps:
            value = make()
        deps = frozenset(deps)
        self._kept[key] = (value, deps)
        for dep in deps:
            self._users.setdefault(dep, set()).add(key)
        return value

    def forget(self, changed) -> None:
        """Drop every value made from one of the `changed` keys."""
        for dep in changed:
            for key in self._users.pop(dep, ()):
                self._kept.pop(key, None)

    def __len__(self) -> int:
        return len(self._kept)
