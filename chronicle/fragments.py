"""Pieces of pages kept from one render to the next, until a record they show changes.

A popular tag lists thousands of records, and a timeline page hundreds of events: when one of them
changes, the preview re-renders the whole page, but only that one line needs making again. Each
piece is kept with the dependency keys of the records it shows (as `render.Site` declares them for
pages); the preview tells `forget` which keys changed, and the pieces depending on them are dropped.
"""
from __future__ import annotations


_MISSING = object()


class Fragments:
    """A cache of page pieces, each dropped when a record it depends on changes."""

    def __init__(self):
        self._kept: dict = {}
        self._users: dict = {}  # dependency key -> keys of the pieces that depend on it

    def get(self, key, make):
        """Return the piece kept under `key`, or make it: `make()` returns (piece, dependency keys)."""
        piece = self._kept.get(key, _MISSING)  # not try/except: in a full build every piece is new
        if piece is _MISSING:
            piece, deps = make()
            self._kept[key] = piece
            for dep in deps:
                self._users.setdefault(dep, set()).add(key)
        return piece

    def forget(self, changed) -> None:
        """Drop every piece that depends on one of the `changed` keys, e.g. ('events', id)."""
        for dep in changed:
            for key in self._users.pop(dep, ()):
                self._kept.pop(key, None)

    def __len__(self) -> int:
        return len(self._kept)
