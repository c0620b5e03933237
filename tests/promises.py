"""What a build promises, checked on one case: the helpers of tests/test_promises.py.

`run_case` builds a content folder in-process (build.main) over a copy of a previous site and returns
the exit code and the list of promises it broke: exit 0 or 1 only, no exception escaping main(),
every problem line `path:line: message` or `path: message`, a summary line last, the previous site
byte-identical after a failure and no new site's folder left beside it; after a success, well-formed XML
and JSON everywhere, no path written twice and a page of its own for every record.
"""
from __future__ import annotations

import contextlib
import functools
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import xml.etree.ElementTree as ET
from pathlib import Path

from conftest import ROOT, SOURCE_TEXT, base_files, sha

import build
from chronicle import pipeline, write
from chronicle.search_index import IndexStats

_BUILD = pipeline.build  # build.py calls pipeline.build: the same module's name, patched per case
SUMMARY = re.compile(r"\d+ problems? in \d+ files?; nothing was written\.")

STATEMENT = (
    "speaker: john-kirby\nform: spoken\ndate: 2024-12-16\nrenderings:\n  - source: art\n"
    "    quote: the troops were “expendable.”\nevents: [losses]\n"
)
FIGURE = (
    "claimant: diu\nsubject: North Korean soldiers\ncounted: killed\nvalue: 30\nqualifier: at-least\n"
    "as_of: 2024-12\nplace: plekhovo\ncitations:\n  - source: art\n    quote: at least 30 North Korean soldiers\n"
    "events: [losses]\n"
)
DISCREPANCY = (
    "title: How often Kirby said it\nabout: account\ndescription: Kirby's words, twice.\ncitations:\n"
    "  - source: art\n    quote: Kirby said the troops\n  - source: art\n    quote: Kirby said it twice\n"
    "figures: [diu-killed]\nstatements: [kirby-said]\nevents: [losses]\n"
)


def promise_files() -> dict:
    """Return conftest's small chronology with a record of every kind (a statement, figure, discrepancy)."""
    files = base_files()
    files.update({"statements/kirby-said.yaml": STATEMENT, "figures/diu-killed.yaml": FIGURE,
                  "discrepancies/kirby-twice.yaml": DISCREPANCY})
    return files


RECORDS = {  # kind folder -> the file of its one record in promise_files()
    "sources": "sources/art.yaml", "events": "events/losses.md", "people": "people/john-kirby.yaml",
    "organisations": "organisations/diu.yaml", "places": "places/plekhovo.yaml", "tags": "tags/casualties.yaml",
    "statements": "statements/kirby-said.yaml", "figures": "figures/diu-killed.yaml",
    "discrepancies": "discrepancies/kirby-twice.yaml",
}


def with_text(files: dict, text: str) -> dict:
    """Return `files` with the source text replaced by `text` and its hash updated, so it is accepted."""
    files = dict(files)
    files["sources/art.txt"] = text
    files["sources/art.yaml"] = files["sources/art.yaml"].replace(sha(SOURCE_TEXT), sha(text))
    return files


def write_case(root: Path, files: dict, links: dict) -> Path:
    """Write `files` (text or bytes) and `links` (path -> link target) under `root`; return it."""
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_bytes(data.encode("utf-8", "surrogatepass"))
    for rel, target in links.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        os.symlink(target, path)
    return root


def tree_hashes(folder: Path) -> dict:
    """Return every file under `folder` (relative path) with the SHA-256 of its bytes."""
    return {str(p.relative_to(folder)): hashlib.sha256(p.read_bytes()).hexdigest()
            for p in sorted(folder.rglob("*")) if p.is_file()}


MADE: list = []  # the folders of the previous sites, removed by remove_previous_sites()


def remove_previous_sites() -> None:
    """Remove the previous sites built (at the end of the tests using them)."""
    for folder in MADE:
        shutil.rmtree(folder, ignore_errors=True)
    MADE.clear()
    previous_site.cache_clear()
    own_pages.cache_clear()


@functools.lru_cache(maxsize=2)
def previous_site(index: bool) -> Path:
    """Return a site built once from promise_files() (the site every case builds over)."""
    folder = Path(tempfile.mkdtemp(prefix="promises-previous-"))
    MADE.append(folder)
    content = write_case(folder / "content", promise_files(), {})
    _BUILD(content, folder / "site", index=index)
    return folder / "site"


class Counted:
    """Counts the writes of each path through SiteWriter.write (every file a build writes)."""

    def __init__(self):
        self.writes: dict = {}

    def install(self, monkeypatch) -> None:
        original = write.SiteWriter.write

        def counting(writer, rel, data):
            self.writes[rel] = self.writes.get(rel, 0) + 1
            return original(writer, rel, data)

        monkeypatch.setattr(write.SiteWriter, "write", counting)


def run_case(folder: Path, files: dict, links: dict, *, index: bool, monkeypatch, prepare=None):
    """Return (exit code or None, broken promises) of one build of `files` over a copy of the previous site."""
    content = write_case(folder / "content", files, links)
    out = folder / "site"
    shutil.copytree(previous_site(index), out, symlinks=True)
    before = tree_hashes(out)
    counted = Counted()
    broken: list = []
    with monkeypatch.context() as patch:
        counted.install(patch)
        if not index:  # the command line always indexes; the cases that need no index skip Pagefind
            patch.setattr(build.pipeline, "build", _build_without_index)
        if prepare is not None:
            prepare(patch, content)
        stdout, stderr = io.StringIO(), io.StringIO()
        code = None
        try:
            with contextlib.redirect_stdout(stdout), contextlib.redirect_stderr(stderr):
                code = build.main(["build", "--content", str(content), "--out", str(out)])
        except BaseException as err:  # noqa: BLE001 - an exception escaping main() is a traceback
            broken.append(f"traceback: {type(err).__name__}: {str(err)[:120]}")
    if code is not None:
        broken += _exit_promises(code, stderr.getvalue(), str(content))
    if code == 0:
        broken += _site_promises(out, counted.writes)
    elif out.exists() and tree_hashes(out) != before:
        broken.append("previous site changed after a failure")
    elif not out.exists():
        broken.append("previous site removed after a failure")
    left = sorted(p.name for p in folder.iterdir() if p.name.startswith(".site.new-"))
    broken += [f"a new site's folder left beside the old one: {name}" for name in left[:1]]
    return code, broken


def _build_without_index(*args, **kwargs):
    """Return pipeline.build's result without the search index, with an empty IndexStats to print."""
    result = _BUILD(*args, index=False, **kwargs)
    result.search = IndexStats(0, 0, 0, 0.0)
    return result


def _exit_promises(code: int, stderr: str, content: str) -> list:
    if code not in (0, 1):
        first = stderr.strip().splitlines()[:1]
        return [f"exit {code}: {first[0][:120] if first else ''}"]
    if code == 0:
        return []
    lines = stderr.rstrip("\n").split("\n")
    broken = []
    if not SUMMARY.fullmatch(lines[-1]):
        broken.append(f"no summary line: {lines[-1][:120]}")
        lines.append("")
    for line in lines[:-1]:
        if not re.match(re.escape(content) + r"(/[^:\n]*)?(:\d+)?: \S", line):
            broken.append(f"problem line without path:line: {line[:120]}")
            break
    return broken


def record_pages(site: Path) -> list:
    """Return the page of every record the site's data/chronology.json lists."""
    records = json.loads((site / "data" / "chronology.json").read_bytes())["records"]
    return [record["page"] for kind in records.values() for record in kind]


@functools.lru_cache(maxsize=1)
def own_pages() -> frozenset:
    """Return the pages a site writes that are no record's (indexes, about, search, feeds...)."""
    site = previous_site(False)
    every = {str(p.relative_to(site)) for p in site.rglob("*") if p.is_file()}
    return frozenset(every - set(record_pages(site)))


def _site_promises(out: Path, writes: dict) -> list:
    broken = [f"written {n} times: {rel}" for rel, n in sorted(writes.items()) if n > 1][:1]
    # Two pages at one path may never reach the writer (one rendering plan keyed by path): every record
    # must have a page of its own, none of them one of the site's own pages.
    pages = record_pages(out)
    clashes = sorted({page for page in pages if pages.count(page) > 1 or page in own_pages()})
    broken += [f"record page is also another page: {page}" for page in clashes[:1]]
    for path in sorted(out.rglob("*")):
        if path.suffix == ".xml":
            try:
                ET.parse(path)
            except ET.ParseError as err:
                broken.append(f"not well-formed XML: {path.relative_to(out)}: {err}")
        elif path.suffix == ".json":
            try:
                json.loads(path.read_bytes())
            except ValueError as err:
                broken.append(f"not valid JSON: {path.relative_to(out)}: {str(err)[:80]}")
    return broken


__all__ = ["ROOT", "RECORDS", "SOURCE_TEXT", "promise_files", "previous_site", "remove_previous_sites", "run_case",
           "with_text"]
