"""The build as a recipe: load, link, render, write; each stage a plain function."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .link import Graph, link
from .load import load
from .problems import ContentErrors
from .render import Site
from .search import IndexStats, index_site
from .write import write_site


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


def build(content_dir: Path, out_dir: Path, base_url: str | None = None, index: bool = True) -> BuildResult:
    """Check the content, render it, index it for search, and swap the new site in at `out_dir`.

    The search index is made in the new folder before the swap, so a failed indexing (SearchIndexError)
    leaves the previous site as it was.
    """
    started = time.perf_counter()
    graph = check(content_dir)
    files = Site(graph, base_url=base_url).render()
    stats = []
    written = write_site(files, out_dir, before_swap=(lambda folder: stats.append(index_site(folder)))
                         if index else None)
    pages = sum(1 for path in files if path.endswith(".html"))
    indexed = stats[0] if stats else None
    return BuildResult(graph, pages, written + (indexed.files if indexed else 0), time.perf_counter() - started,
                       indexed)
