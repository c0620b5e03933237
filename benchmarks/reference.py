"""The bare-loop reference: what this machine does with the same files and none of the product's work.

Every content file is read, its YAML parsed with PyYAML's C loader, its Markdown (or text) rendered by
markdown-it-py into one Jinja2 page, and the page written: one page per file, in two processes. It
verifies no quote, links nothing and shows no record beside another, so it is a floor, not a target;
its use is to tell how fast the machine running the benchmark is (this machine's speed varies from
day to day by half or more), so that a build time can be compared with the issue's reference
numbers, measured on the same kind of machine.
"""
from __future__ import annotations

import os
import sys
import time
from multiprocessing import get_context
from pathlib import Path

import jinja2
import yaml
from markdown_it import MarkdownIt
from markupsafe import Markup

PAGE = jinja2.Environment(autoescape=True).from_string(
    "<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>{{ title }}</title></head><body><main>"
    "<h1>{{ title }}</h1><dl>{% for k, v in fields.items() %}<dt>{{ k }}</dt><dd>{{ v }}</dd>{% endfor %}</dl>"
    "{{ body }}</main></body></html>\n")
_md = MarkdownIt()
_out = Path()


def _page(path: str) -> int:
    text = Path(path).read_text(encoding="utf-8")
    if path.endswith(".md"):
        _, front, body = text.split("---\n", 2)
    elif path.endswith(".yaml"):
        front, body = text, ""
    else:
        front, body = "", text
    fields = yaml.load(front, Loader=yaml.CSafeLoader) or {}
    title = fields.get("title") or fields.get("name") or Path(path).stem
    html = PAGE.render(title=title, fields=fields, body=Markup(_md.render(body)))
    (_out / f"{Path(path).parent.name}-{Path(path).stem}-{Path(path).suffix[1:]}.html").write_text(html, encoding="utf-8")
    return 1


def _start(out: str) -> None:
    global _out
    _out = Path(out)


def reference(content: Path, out: Path) -> dict:
    """Build the bare-loop pages of `content` into `out`; return its seconds and pages."""
    started = time.perf_counter()
    files = sorted(str(p) for p in Path(content).rglob("*") if p.is_file())
    os.makedirs(out, exist_ok=True)
    with get_context("fork").Pool(2, initializer=_start, initargs=(str(out),)) as pool:
        pages = sum(pool.map(_page, files, chunksize=200))
    return {"seconds": time.perf_counter() - started, "pages": pages}


if __name__ == "__main__":
    print(reference(Path(sys.argv[1]), Path(sys.argv[2])))
