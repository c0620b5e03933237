"""The build as a recipe: load, link, render, write; each stage a plain function."""
from __future__ import annotations

import gc
import os
import shutil
import time
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from . import kinds, search_index, views
from .graph import Graph
from .link import link
from .load import load
from .parallel import in_two_processes, second_process_pays
from .problems import ContentErrors
from .render import Site
from .search_index import IndexStats
from .write import UnsafePath, WrittenTwice, new_site, output_lock


def check(content_dir: Path) -> Graph:
    """Return the linked graph of the content, or raise ContentErrors listing every problem."""
    content = load(Path(content_dir))
    graph = link(content)
    problems = content.problems + graph.problems
    if problems:
        raise ContentErrors(problems)
    return graph


@dataclass
class BuildResult:
    graph: Graph
    pages: int  # HTML pages
    files: int  # everything written: pages, assets, feeds, exports, search index
    seconds: float
    search: IndexStats | None = None  # None when built without the search index


def build(content_dir: Path, out_dir: Path, base_url: str | None = None, index: bool = True,
          timings: dict | None = None, on_wait=None) -> BuildResult:
    """Check the content, render it, index it for search, and swap the new site in at `out_dir`.

    The search index is made in the new folder before the swap, so a failed indexing (SearchIndexError)
    leaves the previous site as it was. `timings`, if given, receives the seconds of each stage. One build
    at a time builds into `out_dir`: another one waits, after calling `on_wait(pid of the running build)`.
    """
    _check_apart(Path(content_dir), Path(out_dir))
    with output_lock(Path(out_dir), on_wait), _no_cyclic_gc():
        return _build(content_dir, out_dir, base_url, index, timings)


def _check_apart(content_dir: Path, out_dir: Path) -> None:
    """Raise UnsafePath if the site would be written inside the content (and read as content by the next
    build), or the content is inside the output folder (and would be deleted with the previous site).
    (The same folder for both is refused by write.new_site: it holds files but not a site.)"""
    content, out = Path(os.path.realpath(content_dir)), Path(os.path.realpath(out_dir))
    if content == out:
        return
    if out.is_relative_to(content):
        raise UnsafePath(f"refusing to write the site into '{out_dir}': it is inside the content folder "
                         f"'{content_dir}', where every file is read as content (choose an --out outside it)")
    if content.is_relative_to(out):
        raise UnsafePath(f"refusing to replace '{out_dir}': the content folder '{content_dir}' is inside it, "
                         "and would be deleted with the previous site (choose another --out)")


@contextmanager
def _no_cyclic_gc():
    """Pause the cyclic garbage collector for a build: a build makes millions of small objects that
    live to its end, and the collector's repeated passes over them took a fifth of its time. Memory
    is still freed as usual when objects are dropped (reference counting).

    At the end, what the build made is frozen (gc.freeze) before the collector resumes: otherwise the
    first allocation after it walked every object the build left (0.2 s at 10,000 events) to find no
    garbage, since a build makes no reference cycles that outlive it (tests/test_parallel.py checks).
    Frozen objects are still freed when dropped."""
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.freeze()
            gc.enable()


def _build(content_dir, out_dir, base_url, index, timings) -> BuildResult:
    started = time.perf_counter()
    timings = {} if timings is None else timings
    with _stage(timings, "load"):
        content = load(Path(content_dir))
    with _stage(timings, "link"):
        graph = link(content, timings)
    timings["link"] -= timings.get("verify", 0.0)  # reported apart
    problems = content.problems + graph.problems
    if problems:
        raise ContentErrors(problems)
    stats, copies = [], []  # copies: the search index's copies of the pages (search_index.Copies)

    def index_then_time(folder):
        timings["write"] = time.perf_counter() - writing
        if (folder / search_index.BUNDLE).exists():  # Pagefind would write over what was written there
            raise WrittenTwice(search_index.BUNDLE + "/")
        with _stage(timings, "search"):
            stats.append(search_index.index_copies(copies[0], folder / search_index.BUNDLE))
            if (folder / search_index.COPIES).exists():  # none when there is no record page yet
                shutil.rmtree(folder / search_index.COPIES)

    with new_site(Path(out_dir), before_swap=index_then_time if index else None) as writer:
        with _stage(timings, "render"):  # each page is written as soon as it is rendered
            if index:  # and its copy for the search index made (search_index.py), by the same process
                copies.append(search_index.Copies(writer.folder / search_index.COPIES, search_index.Plan.of(graph)))
                writer.also = copies[0].add
            render_into(graph, writer, base_url)
        writing = time.perf_counter()
    if not index:
        timings["write"] = time.perf_counter() - writing
    pages = sum(1 for path in writer.paths if path.endswith(".html"))
    indexed = stats[0] if stats else None
    return BuildResult(graph, pages, len(writer.paths) + (indexed.files if indexed else 0),
                       time.perf_counter() - started, indexed)


@contextmanager
def _stage(timings: dict, name: str):
    started = time.perf_counter()
    try:
        yield
    finally:
        timings[name] = timings.get(name, 0.0) + time.perf_counter() - started


CHUNK = 64  # pages either rendering process takes at a time (the last few decide how close they finish)


def render_into(graph: Graph, writer, base_url: str | None = None) -> None:
    """Render every output file of the site and write it with `writer` (a write.SiteWriter), in two
    processes when it pays (parallel.in_two_processes).

    The second process is forked after linking, so it shares the graph without copying it; it renders
    chunks of the pages and writes them itself, and sends back only their paths.
    """
    site = Site(graph, base_url=base_url, track=False)  # no preview to tell
    specs = site.specs()
    fork = second_process_pays(len(specs), "pages")
    if fork:
        site.compile_templates()  # once, before forking, not in both processes
    # This process writes the feeds and exports and renders the pages of the kinds whose names are
    # looked for in the sources (people, organisations, places: they need where their names occur in
    # the sources, worked out here, after forking, while the other process renders). The other pages
    # are cut into chunks, in order, which both processes take in turn. Pages that show many records
    # or compare them (the timeline, indexes, sources, discrepancies) come first, the thousands of
    # single records (of the kinds declared `bulk`) last: a costly chunk left for the end kept one
    # process busy for a fifth of a second after the other finished.
    named = tuple(f"{name}/" for name, declared in kinds.KINDS.items() if declared.names_in_sources)
    rest = sorted((p for p in specs if not p.startswith(named)), key=_single_record)
    chunks = [rest[i:i + CHUNK] for i in range(0, len(rest), CHUNK)]

    def here_only() -> None:
        for path, data in site.data_files(specs).items():
            writer.write(path, data)
        views.all_name_occurrences(graph)  # every entity page asks: one pass over the texts for all
        site.render_pages([p for p in specs if p.startswith(named)], writer.write)

    def here(at: int) -> None:
        site.render_pages(chunks[at], writer.write)

    def there(at: int) -> list:
        written = len(writer.paths)  # the writer as it was when the process was forked, and since
        site.render_pages(chunks[at], writer.write)
        return writer.paths[written:]

    def receive(at: int, paths: list) -> None:
        writer.written_elsewhere(paths)  # none written by both processes (write.WrittenTwice)

    in_two_processes(len(chunks), here, there, receive, here_only, fork)
    for path, data in site.assets().items():
        writer.write(path, data)


def _single_record(path: str) -> bool:
    """Return whether a page shows a single record of a kind of many cheap pages (an event, statement or
    figure: by the thousand)."""
    kind, _, name = path.partition("/")
    return name != "index.html" and kind in kinds.KINDS and kinds.KINDS[kind].bulk

