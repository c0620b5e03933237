"""Render: the linked graph in, a dict of output files (path -> text) out."""
from __future__ import annotations

from pathlib import Path

import jinja2

from .link import Graph

TEMPLATES = Path(__file__).resolve().parent.parent / "templates"


def environment(templates: Path = TEMPLATES) -> jinja2.Environment:
    """Return the Jinja2 environment: autoescaping, and undefined names are errors."""
    return jinja2.Environment(
        loader=jinja2.FileSystemLoader(str(templates)),
        autoescape=True,
        undefined=jinja2.StrictUndefined,
        keep_trailing_newline=True,
    )


def render(graph: Graph, templates: Path = TEMPLATES) -> dict:
    """Return every output file of the site for `graph`."""
    env = environment(templates)
    events = [graph.entries["events"][eid] for eid in graph.timeline]
    page = env.get_template("index.html").render(
        chronology=graph.content.chronology, events=events, when=graph.when)
    return {"index.html": page}
