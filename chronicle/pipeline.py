"""The build as a recipe: load, link, render, write; each stage a plain function."""
from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path

from .link import Graph, link
from .load import load
from .problems import ContentErrors
from .render import Site
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
    files: int  # everything written: pages, assets, feeds, exports
    seconds: float


def build(content_dir: Path, out_dir: Path, base_url: str | None = None) -> BuildResult:
    """Check the content, render it, and swap the new site in at `out_dir`."""
    started = time.perf_counter()
    graph = check(content_dir)
    files = Site(graph, base_url=base_url).render()
    written = write_site(files, out_dir)
    pages = sum(1 for path in files if path.endswith(".html"))
    return BuildResult(graph, pages, written, time.perf_counter() - started)
