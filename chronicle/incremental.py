"""Incremental rebuilds for the preview: re-read changed files, re-render only the pages they affect.

What each page read of the graph is recorded as it renders (depends.py); after an edit,
`changed_keys` tells which of those keys differ between the old graph and the new, and the pages that
read one of them are rendered again. The result is byte-identical to a full build of the same content
(tests/test_incremental.py, tests/test_preview_machine.py).
"""
from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import kinds
from .graph import ORDER, Graph
from .link import link, relink
from .load import CONFIG_FILE, Loader, display_path
from .render import PERIODS, TEMPLATES, Site, environment, timeline_periods
from .write import check_paths, temporary_name


@dataclass
class Report:
    """What one rebuild did, for the one line the terminal shows."""

    changed: list
    rewritten: int = 0
    removed: int = 0
    rendered: int = 0
    seconds: float = 0.0
    full: bool = False
    problems: list = field(default_factory=list)

    def line(self) -> str:
        """Return the rebuild as one line: what changed, pages rewritten, time taken."""
        what = ", ".join(self.changed[:3]) + (f" and {len(self.changed) - 3} more" if len(self.changed) > 3 else "")
        took = f"{self.seconds * 1000:.0f} ms"
        if self.problems:
            return f"{what}: {len(self.problems)} problem(s); the last good site is still served ({took})"
        kind = "full rebuild" if self.full else "rebuilt"
        return (f"{what}: {kind}, {self.rewritten} file(s) rewritten, {self.removed} removed "
                f"({self.rendered} pages rendered) in {took}")


class Preview:
    """A site kept up to date in `out_dir` as content and templates change.

    `on_pages`, when given, is called after each successful rebuild with the graph, the pages rendered
    (site path -> HTML) and the paths of the pages gone (the preview's search index: preview_search.py).
    """

    def __init__(self, content_dir: Path, out_dir: Path, templates: Path = TEMPLATES, base_url: str | None = None,
                 on_pages=None):
        self.content_dir = Path(content_dir).resolve()
        self.out = Path(out_dir)
        self.templates = Path(templates).resolve()
        self.base_url = base_url
        self.loader = Loader(self.content_dir)
        self.graph: Graph | None = None
        self.deps: dict = {}  # page path -> dependency keys, as last rendered
        self.users: dict = {}  # dependency key -> the pages that depend on it (self.deps inverted)
        self.written: dict = {}  # site path -> bytes on disk
        self.problems: list = []
        self.last_rendered: list = []  # pages rendered by the last rebuild, for tests and reports
        self._pending_data = None  # (site, specs) whose data files an update deferred
        self.env = environment(self.templates)
        self.on_pages = on_pages

    # ------------------------------------------------------------------ full

    def build(self) -> Report:
        """Read everything and build the whole site."""
        started = time.perf_counter()
        self.loader.scan()
        return self._full(["everything"], started)

    def _full(self, changed: list, started: float) -> Report:
        self._pending_data = None
        graph = link(self.loader.content())
        problems = graph.content.problems + graph.problems
        if problems:
            self.problems = sorted(set(problems))
            return Report(changed, seconds=time.perf_counter() - started, problems=self.problems)
        self.env = environment(self.templates)  # templates may have changed: compile afresh
        site = Site(graph, self.templates, self.base_url, self.env)  # records what each page reads
        files = site.render()
        rewritten, removed = self._write(files, complete=True)
        if self.on_pages is not None:
            self.on_pages(graph, {p: files[p] for p in site.deps}, self.deps.keys() - site.deps.keys())
        self._keep(graph, site.deps)
        self.last_rendered = sorted(site.deps)
        return Report(changed, rewritten, removed, len(site.deps), time.perf_counter() - started, full=True)

    def _keep(self, graph: Graph, deps: dict) -> None:
        self.graph, self.deps, self.problems = graph, deps, []
        self.users = {}
        for page, keys in deps.items():
            for key in keys:
                self.users.setdefault(key, set()).add(page)

    # ------------------------------------------------------------------ incremental

    def update(self, paths, defer_data: bool = False) -> Report:
        """Rebuild after the files at `paths` changed; see `_update`. The cyclic garbage collector is
        paused meanwhile: on a large chronology a full collection can double the time of an edit, so
        it runs in `finish()`, after the browser has reloaded."""
        was_enabled = gc.isenabled()
        gc.disable()
        try:
            return self._update(paths, defer_data)
        finally:
            if was_enabled:
                gc.enable()

    def _update(self, paths, defer_data: bool = False) -> Report:
        """Rebuild after the files at `paths` changed (added, modified or removed).

        With `defer_data`, the feed, sitemap and exports (which depend on everything, and take the
        longest) are left for `finish()`, so that the changed pages can be shown first.
        """
        started = time.perf_counter()
        paths = {Path(os.path.abspath(p)) for p in paths}
        # Editors' short-lived temporary files (sed's, some IDEs') come and go within the burst.
        shown = sorted(display_path(p) for p in paths if p.exists() or p in self.loader.parsed) \
            or ["(temporary files)"]
        self.loader.update(p for p in paths if p.is_relative_to(self.content_dir))
        structural = any(p.is_relative_to(self.templates) or p == self.content_dir / CONFIG_FILE
                         or p == self.content_dir for p in paths)
        if self.graph is None or structural:
            return self._full(shown, started)
        content = self.loader.content()
        graph = relink(self.graph, content) or link(content)
        problems = graph.content.problems + graph.problems
        if problems:
            self.problems = sorted(set(problems))
            return Report(shown, seconds=time.perf_counter() - started, problems=self.problems)
        keys = changed_keys(self.graph, graph)
        graph.adopt(self.graph, keys)  # the memo and indexes not made from them, and the recording
        site = Site(graph, self.templates, self.base_url, self.env)
        specs = site.specs()
        affected = set().union(*(self.users.get(key, ()) for key in keys))
        affected |= specs.keys() - self.deps.keys()
        site.render(paths=affected)
        files = {p: site.files[p] for p in site.files}
        if defer_data:
            self._pending_data = (site, specs)
        else:
            self._pending_data = None
            files.update(site.data_files(specs))
        gone = self.deps.keys() - specs.keys()
        rewritten, removed = self._write(files, remove=gone)
        if self.on_pages is not None:
            self.on_pages(graph, {p: files[p] for p in site.deps}, gone)
        self._redeps(gone, site.deps)
        self.graph, self.problems = graph, []
        self.last_rendered = sorted(site.deps)
        return Report(shown, rewritten, removed, len(site.deps), time.perf_counter() - started)

    def _redeps(self, gone, rendered: dict) -> None:
        """Record the dependencies of the pages just rendered, and forget those of pages gone."""
        for page, keys in [(p, frozenset()) for p in gone] + list(rendered.items()):
            before = self.deps.get(page, frozenset())
            for key in before - keys:
                users = self.users[key]
                users.discard(page)
                if not users:
                    del self.users[key]
            for key in keys - before:
                self.users.setdefault(key, set()).add(page)
            if page in gone:
                self.deps.pop(page, None)
            else:
                self.deps[page] = keys

    def finish(self) -> Report | None:
        """Write the feed, sitemap and exports an update deferred, and collect the garbage it left;
        return what it wrote, or None."""
        if not self._pending_data:
            gc.collect()
            return None
        started = time.perf_counter()
        site, specs = self._pending_data
        self._pending_data = None
        rewritten, _ = self._write(site.data_files(specs))
        gc.collect()
        return Report(["feeds and exports"], rewritten, 0, 0, time.perf_counter() - started)

    # ------------------------------------------------------------------ writing

    def _write(self, files: dict, complete: bool = False, remove=()) -> tuple[int, int]:
        """Write the files whose bytes changed; remove pages gone (or, if complete, anything not in files)."""
        check_paths(files)
        data = {p: v.encode("utf-8") if isinstance(v, str) else v for p, v in files.items()}
        gone = set(remove)
        if complete:
            on_disk = {p.relative_to(self.out).as_posix() for p in self.out.rglob("*") if p.is_file()} \
                if self.out.is_dir() else set()
            gone |= on_disk - data.keys()
            self.written = {p: v for p, v in self.written.items() if p in data}
        rewritten = 0
        for path in sorted(data):
            if self.written.get(path) == data[path]:
                continue
            target = self.out / path
            target.parent.mkdir(parents=True, exist_ok=True)
            temporary = target.with_name(temporary_name(target.name))
            temporary.write_bytes(data[path])
            os.replace(temporary, target)  # a reader never sees half a page
            self.written[path] = data[path]
            rewritten += 1
        for path in sorted(gone):
            (self.out / path).unlink(missing_ok=True)
            self.written.pop(path, None)
        return rewritten, len(gone)


def _changed(old: Graph, new: Graph) -> set:
    """Return (kind, id) of every record added, removed or changed between two graphs."""
    changed = set()
    for kind in new.entries:
        before, after = old.entries[kind], new.entries[kind]
        for rid in before.keys() | after.keys():
            if before.get(rid) is not after.get(rid):  # unchanged files keep their Entry objects
                changed.add((kind, rid))
    for sid in old.texts.keys() | new.texts.keys():
        if old.texts.get(sid) is not new.texts.get(sid) and \
                getattr(old.texts.get(sid), "text", None) != getattr(new.texts.get(sid), "text", None):
            changed.add(("sources", sid))
    return changed


def _references(graph: Graph, kind: str, rid: str) -> set:
    """Return the (kind, id) pairs a record refers to, or an empty set if it does not exist."""
    entry = graph.entries[kind].get(rid)
    if entry is None:
        return set()
    found = set()
    for name, targets in kinds.KINDS[kind].references.items():
        value = getattr(entry.record, name)
        for ref in [value] if isinstance(value, str) else (value or []):
            found |= {(target, ref) for target in targets}
    return found


def changed_keys(old: Graph, new: Graph) -> set:
    """Return the dependency keys (see depends.py) whose value differs between two graphs: those of
    the records added, removed or changed, and of the indexes derived from them that differ."""
    changed = set(new.changed) if new.changed is not None else _changed(old, new)
    keys: set = set()
    targets: set = set()  # (kind, id) of what the changed records refer to, before or after
    moved = False  # whether a dated record was added, removed or moved in time
    for kind, rid in changed:
        keys |= {(kind, rid), ("all", kind)}
        before, after = old.content.entries[kind].get(rid), new.content.entries[kind].get(rid)
        if (before is None) != (after is None):
            keys.add(("ids", kind))
        moved = moved or (kinds.KINDS[kind].dated is not None and (before is None or after is None or old.when(before) != new.when(after)))
        targets |= _references(old, kind, rid) | _references(new, kind, rid)
        for graph in (old, new):
            quotes = graph.quotes_by_owner.get((kind, rid), ())
            keys |= {("cites", q.source) for q in quotes}
            if kind == "sources":  # the quotes located in a changed text are the citing records'
                keys |= {(q.kind, q.owner) for q in graph.quotes_by_source.get(rid, ())}
    reordered = old.timeline is not new.timeline and old.timeline != new.timeline
    for target, ref in targets:  # their members differ, or the order of their members by date
        if old.refs.get((target, ref)) != new.refs.get((target, ref)):
            keys |= {("members", target, ref), ("member positions", target, ref)}
        elif moved and old.dated_members(target, ref) != new.dated_members(target, ref):
            keys.add(("members", target, ref))
    if reordered:
        keys |= {ORDER, *_moved_events(old, new)}
        for target, ref in old.refs.keys() | new.refs.keys():
            if old.member_positions(target, ref)[0] != new.member_positions(target, ref)[0]:
                keys.add(("member positions", target, ref))
    if moved and timeline_periods(old) != timeline_periods(new):
        keys.add(PERIODS)
    return keys


def _moved_events(old: Graph, new: Graph) -> set:
    """Return the position and adjacency keys of the events whose place on the timeline changed."""
    keys = set()
    before, after = old.positions(), new.positions()
    for eid in before.keys() | after.keys():
        if before.get(eid) != after.get(eid):
            keys.add(("position", eid))
        if _around(old, before, eid) != _around(new, after, eid):
            keys.add(("adjacent", eid))
    return keys


def _around(graph: Graph, positions: dict, eid: str) -> tuple | None:
    return graph.neighbours(eid) if eid in positions else None
