"""Incremental rebuilds for the preview: re-read changed files, re-render only the pages they affect.

The result is byte-identical to a full build of the same content (tests/test_incremental.py).
How a page's dependencies are declared is described in `render.Site`.
"""
from __future__ import annotations

import gc
import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import kinds, urls, views
from .fragments import Fragments
from .link import Graph, link, relink
from .load import CONFIG_FILE, Loader, display_path
from .render import TEMPLATES, TIMELINE_PAGE_LIMIT, Site, _periods, environment
from .write import check_paths


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
    """A site kept up to date in `out_dir` as content and templates change."""

    def __init__(self, content_dir: Path, out_dir: Path, templates: Path = TEMPLATES, base_url: str | None = None):
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
        self.periods: list = []
        self.last_rendered: list = []  # pages rendered by the last rebuild, for tests and reports
        self._pending_data = None  # (site, specs) whose data files an update deferred
        self.env = environment(self.templates)
        self.fragments = Fragments()  # pieces of pages, kept from one update to the next

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
        self.fragments = Fragments()
        site = Site(graph, self.templates, self.base_url, self.env, self.fragments)
        files = site.render()
        rewritten, removed = self._write(files, complete=True)
        self._keep(graph, site.deps)
        self.last_rendered = sorted(site.deps)
        return Report(changed, rewritten, removed, len(site.deps), time.perf_counter() - started, full=True)

    def _keep(self, graph: Graph, deps: dict) -> None:
        self.graph, self.deps, self.problems = graph, deps, []
        self.users = {}
        for page, keys in deps.items():
            for key in keys:
                self.users.setdefault(key, set()).add(page)
        self.periods = _period_keys(graph)

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
        site = Site(graph, self.templates, self.base_url, self.env, self.fragments)
        specs = site.specs()
        keys, pages = self._changes(self.graph, graph)
        self.fragments.forget(keys)
        affected = set().union(*(self.users.get(key, ()) for key in keys))
        affected |= pages | (specs.keys() - self.deps.keys())
        site.render(paths=affected)
        files = {p: site.files[p] for p in site.files}
        if defer_data:
            self._pending_data = (site, specs)
        else:
            self._pending_data = None
            files.update(site.data_files(specs))
        gone = self.deps.keys() - specs.keys()
        rewritten, removed = self._write(files, remove=gone)
        self._redeps(gone, site.deps)
        self.graph, self.problems = graph, []
        self.periods = _period_keys(graph)
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

    def _changes(self, old: Graph, new: Graph) -> tuple[set, set]:
        """Return the dependency keys that changed between two graphs, and pages to redo regardless."""
        changed = set(new.changed) if new.changed is not None else _changed(old, new)
        keys = set()
        for kind, rid in changed:
            keys |= {(kind, rid), ("all", kind)}
            before, after = _references(old, kind, rid), _references(new, kind, rid)
            # Only references added or dropped change the members of what they point to.
            keys |= {("members", target, ref) for target, ref in before ^ after}
            if (rid in old.entries[kind]) != (rid in new.entries[kind]) or _moved(old, new, kind, rid):
                # Added, removed or moved in time: lists ordered by date (and the related events
                # chosen by nearness in time) change for everything it refers to.
                keys |= {("members", target, ref) for target, ref in before | after}
            for graph in (old, new):
                keys |= {("cites", q.source) for q in graph.quotes_of(kind, rid)}
        pages = set()
        moved = {rid for kind, rid in changed if kind == "events"}
        if moved:
            for graph in (old, new):
                order = graph.timeline
                index = views.timeline_positions(graph)
                for eid in moved & index.keys():
                    i = index[eid]
                    pages |= {urls.page("events", order[j]) for j in (i - 1, i + 1) if 0 <= j < len(order)}
            if _period_keys(new) != self.periods:
                keys.add(("periods",))
                pages |= {p for p in self.deps if p.startswith("timeline/")} | {"index.html"}
        return keys, pages

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
            temporary = target.with_name(f".{target.name}.tmp")
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


def _moved(old: Graph, new: Graph, kind: str, rid: str) -> bool:
    """Return whether a dated record's date changed."""
    if kinds.KINDS[kind].dated is None:
        return False
    return old.when(old.entries[kind][rid]) != new.when(new.entries[kind][rid])


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


def _period_keys(graph: Graph) -> list:
    """Return the timeline's pages as (path, event ids): what period pages and their navigation show."""
    return [(p.get("href"), tuple(p["events"])) for p in _periods(graph, graph.timeline, TIMELINE_PAGE_LIMIT)]
