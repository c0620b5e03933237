"""The search index: copies of the record pages as they are rendered, in bundles, indexed by Pagefind.

Pagefind (the PyPI package `pagefind[bin]`, which ships its binary) writes a static index that the
search page loads in the browser (templates/assets/search.js). Readers search the record pages: each
event, statement, figure, source, discrepancy, person, organisation, place and tag. The lists that
repeat them (timeline, indexes) are not indexed, nor the parts of a record page marked
`data-pagefind-ignore` (lists of other records, navigation).

As each record page is rendered, by either rendering process, `Copies.add` writes what Pagefind reads of
it (`search_copy`: the page's `<main data-pagefind-body>` without the ignored lists, half the bytes) into
the folder of its bundle; once every page is rendered, `index_copies` runs Pagefind on each bundle's
folder, two at a time on two cores. The site's output folder is not read again, and a page's copy
changes only when what the index holds of it changes, which tells the preview which bundles to remake.

Pagefind's Python API (`pagefind.index.PagefindIndex`) could take the pages as strings, but its
client reads one answer of the Pagefind service per tenth of a second (pagefind 1.5.2: a
`sleep(0.1)` before each read): 19,110 pages would take 32 minutes. So the pages are handed over as
files, and Pagefind runs as its command line, on a folder per bundle.

Pagefind holds a bundle's whole index in memory while it writes it: about 60 KB per page of the
benchmark's events and statements, 350 KB per source (their texts). So a large site is indexed in
bundles of consecutive dates, of at most BUNDLE_PAGES (a source counting one more per 2,000
characters of its text), about 190 MB each: the first bundle in `site/pagefind/`, the others in
`site/pagefind/2/`, `3/`, ... `pagefind/bundles.json` lists them in date order (undated pages last).
The search page merges them into one Pagefind for best match first, and searches each dated bundle
apart when ordered by date, one bundle's results after the other's.
"""
from __future__ import annotations

import bisect
import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from hashlib import blake2b
from pathlib import Path

from . import kinds, urls
from .graph import Graph
from .search import sort_date
from .write import temporary_name

BUNDLE = "pagefind"  # the index folder inside the site
BUNDLES_FILE = "bundles.json"  # in the first bundle's folder: {"bundles": ["", "2/", ...], "dated": n}
COPIES = ".search-copies"  # the folder of the copies, inside the new site's folder until the swap
# Pagefind also writes its ready-made interfaces; the site has its own, so these are removed.
UNUSED = ("pagefind-ui.js", "pagefind-ui.css", "pagefind-modular-ui.js", "pagefind-modular-ui.css",
          "pagefind-component-ui.js", "pagefind-component-ui.css", "pagefind-highlight.js")
TIMEOUT = 600  # seconds for one bundle; a bundle of the largest size indexes in a few seconds
BUNDLE_PAGES = 2800  # pages per bundle, a source counting 1 + len(text) // TEXT_PAGE (see above)
TEXT_PAGE = 2000
_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)
JOBS = 2  # Pagefind runs at a time: each keeps about one core busy; two bundles of 190 MB at most


class SearchIndexError(RuntimeError):
    """Pagefind could not index the site; the message says why, in one or a few lines."""


@dataclass(frozen=True)
class IndexStats:
    pages: int  # pages in the index
    files: int  # files of the index bundles
    bytes: int  # their size on disk
    seconds: float

    def line(self) -> str:
        return f"search index: {self.pages} pages, {self.files} files, {self.bytes / 1024:.0f} KiB"


# ---------------------------------------------------------------------- what Pagefind reads of a page

IGNORE = "data-pagefind-ignore"
# Ignored elements cut from the copy: in the templates and parts.py none of them holds an element of
# its own name, so each ends at the first closing tag of its name (tests/test_search.py checks that the
# index made from the copies equals the one made from the pages). Other ignored elements (the <div>
# holding the page's filters and metadata, the page chrome of a source) are kept for Pagefind.
CUT = frozenset({"section", "nav", "ul", "p", "figcaption", "dd", "a"})


def search_copy(html: str) -> str:
    """Return the copy of a record page that Pagefind indexes as it would the page: its <html> start tag
    (the language) and its <main> element, without the ignored elements named in CUT."""
    start, end = html.find("<main"), html.rfind("</main>")
    opening = html.find("<html")
    out = [html[opening:html.find(">", opening) + 1], "<body>"]
    kept = scan = start
    while (found := html.find(IGNORE, scan, end)) >= 0:
        scan = found + len(IGNORE)
        tag = html.rfind("<", kept, found)
        if tag < 0 or html.find(">", tag, found) >= 0:  # the words in a text, not an attribute
            continue
        name = html[tag + 1:found].split(None, 1)[0]
        close = html.find(f"</{name}>", scan, end) if name in CUT else -1
        if close >= 0:
            out.append(html[kept:tag])
            kept = scan = close + len(name) + 3
    out += [html[kept:end], "</main></body></html>"]
    return "".join(out)


# ---------------------------------------------------------------------- bundles

def page_key(graph: Graph, path: str) -> tuple | None:
    """Return the place of the record page at site path `path` in the order of the bundles, (undated,
    date, path), or None for a page that is not indexed."""
    kind, _, name = path.partition("/")
    if kind not in kinds.KINDS or not name.endswith(".html") or "/" in name:
        return None
    entry = graph.entries[kind].get(name[:-5])
    if entry is None:  # an index page such as people/index.html
        return None
    date = sort_date(graph, kind, entry)
    return (date == "", date, path)


class Plan:
    """Which bundle each record page is indexed in: bundles of consecutive dates (undated pages last),
    of at most `limit` pages (see BUNDLE_PAGES), or one bundle for a site of no more."""

    def __init__(self, keys: dict, weights: dict, limit: int = BUNDLE_PAGES):
        ordered = sorted(keys.values())
        total = sum(weights.values())
        count = max(1, -(-total // limit))
        share = total / count
        self.starts: list = ordered[:1]  # the key of each bundle's first page
        weight = 0
        for key in ordered:
            if weight >= share * len(self.starts) and len(self.starts) < count:
                self.starts.append(key)
            weight += weights[key[2]]
        self.bundle = {key[2]: self.bundle_of(key) for key in ordered}  # page path -> bundle number

    @classmethod
    def of(cls, graph: Graph, limit: int | None = None) -> "Plan":
        """Return the plan of every record page of `graph`, in bundles of `limit` (BUNDLE_PAGES)."""
        keys, weights = {}, {}
        for kind in kinds.KINDS:
            for rid in graph.entries[kind]:
                path = urls.page(kind, rid)
                keys[path] = page_key(graph, path)
                text = graph.texts.get(rid) if kind == "sources" else None  # its text, read in full
                weights[path] = 1 + (len(text.text) // TEXT_PAGE if text is not None else 0)
        return cls(keys, weights, limit or BUNDLE_PAGES)

    def bundle_of(self, key: tuple) -> int:
        """Return the bundle (0, 1, ...) of a page placed at `key`, one planned or not (the preview's)."""
        return max(0, bisect.bisect_right(self.starts, key) - 1)

    def dated(self, bundle: int) -> bool:
        """Return whether `bundle` may hold dated pages (the search page orders those by date)."""
        return bool(self.starts) and not self.starts[bundle][0]


def bundle_name(bundle: int) -> str:
    """Return the folder of a bundle inside pagefind/: '' for the first, then '2/', '3/', ..."""
    return "" if bundle == 0 else f"{bundle + 1}/"


def listing(plan: Plan, bundles) -> str:
    """Return bundles.json for the `bundles` of `plan` that have an index, in order."""
    bundles = sorted(bundles)
    return json.dumps({"bundles": [bundle_name(b) for b in bundles],
                       "dated": sum(1 for b in bundles if plan.dated(b))}) + "\n"


class Copies:
    """The copies Pagefind reads, one folder per bundle (`root`/1, `root`/2, ...). `add` is called
    with every file the build writes, by either rendering process; the preview calls it with the
    bundle of each page it renders, remembering what each copy holds (`remember`), and collects the
    bundles whose copies changed from `changed`."""

    def __init__(self, root: Path, plan: Plan, remember: bool = False):
        self.root, self.plan, self.remember = Path(root), plan, remember
        self._prefix = os.fspath(self.root) + os.sep
        self._made: set = set()
        self.where: dict = {}  # page path -> bundle of its copy (when remembering)
        self.digests: dict = {}  # page path -> digest of its copy (when remembering)
        self.changed: set = set()  # bundles whose copies changed (when remembering)

    def add(self, path: str, html, bundle: int | None = None) -> None:
        """Copy the page at site path `path` for the index (nothing for a page not indexed)."""
        if bundle is None:
            bundle = self.plan.bundle.get(path)
            if bundle is None:
                return
        copy = search_copy(html).encode("utf-8")
        if self.remember:
            digest = blake2b(copy, digest_size=16).digest()
            before = self.where.get(path)
            if before == bundle and self.digests.get(path) == digest:
                return
            if before is not None and before != bundle:  # its date moved it to another bundle
                self.remove(path)
            self.where[path], self.digests[path] = bundle, digest
            self.changed.add(bundle)
        folder, _, name = f"{bundle + 1}/{path}".rpartition("/")
        if folder not in self._made:  # thousands of pages share a few folders
            os.makedirs(self._prefix + folder, exist_ok=True)
            self._made.add(folder)
        target = f"{self._prefix}{folder}/{name}"
        # The preview's Pagefind may be reading the folder meanwhile: it sees the old copy or the new.
        temporary = f"{self._prefix}{folder}/{temporary_name(name)}" if self.remember else target
        fd = os.open(temporary, _NEW_FILE, 0o666)  # lighter than open(), as write.SiteWriter
        try:
            view = memoryview(copy)
            while view:  # os.write may write less than asked
                view = view[os.write(fd, view):]
        finally:
            os.close(fd)
        if temporary != target:
            os.replace(temporary, target)

    def remove(self, path: str) -> None:
        """Remove the copy of a page gone (when remembering)."""
        bundle = self.where.pop(path, None)
        if bundle is not None:
            self.digests.pop(path, None)
            os.unlink(f"{self._prefix}{bundle + 1}/{path}")
            self.changed.add(bundle)

    def folder(self, bundle: int) -> Path:
        return self.root / str(bundle + 1)

    def bundles(self) -> list:
        """Return the bundles holding a copy, in order."""
        if self.remember:
            return sorted(set(self.where.values()))
        return sorted(int(p.name) - 1 for p in self.root.iterdir() if p.name.isdigit()) if self.root.is_dir() else []


# ---------------------------------------------------------------------- running Pagefind

def index_copies(copies: Copies, output: Path) -> IndexStats:
    """Index every bundle of `copies` into `output` (the site's pagefind/ folder); return what the
    index holds. Raises SearchIndexError with a readable message if Pagefind is missing or fails."""
    started = time.perf_counter()
    output = Path(output)
    bundles = copies.bundles()
    run_bundles([(copies.folder(b), output / bundle_name(b)) for b in bundles], in_order=True)
    output.mkdir(parents=True, exist_ok=True)
    (output / BUNDLES_FILE).write_text(listing(copies.plan, bundles), encoding="utf-8")
    pages = files = size = 0
    for folder, _, names in os.walk(output):
        for name in names:
            files += 1
            size += os.stat(os.path.join(folder, name)).st_size
            pages += name.endswith(".pf_fragment")
    return IndexStats(pages, files, size, time.perf_counter() - started)


def run_bundles(runs: list, jobs: int | None = None, in_order: bool = False) -> None:
    """Run Pagefind on each (folder of copies, output folder) of `runs`, `jobs` (JOBS) at a time, and remove
    the files of its own interfaces; raise SearchIndexError naming what failed. With `in_order` (a
    build's copies), the copies are first moved into a folder of their own in the order of their paths
    (see _in_order), removed once indexed, while the other Pagefind runs."""
    executable = _executable()
    if not runs:
        return

    def run(folder: Path, output: Path) -> str | None:
        if not in_order:
            return _pagefind(executable, folder, output)
        ordered = _in_order(folder)
        try:
            return _pagefind(executable, ordered, output)
        finally:
            shutil.rmtree(ordered, ignore_errors=True)

    with ThreadPoolExecutor(max_workers=max(1, min(jobs or JOBS, len(runs), os.cpu_count() or 1))) as pool:
        errors = [error for error in pool.map(lambda args: run(*args), runs) if error]
    if errors:
        raise SearchIndexError(errors[0])
    for _, output in runs:
        for unused in UNUSED:
            (output / unused).unlink(missing_ok=True)


def _in_order(folder: Path) -> Path:
    """Move the copies in `folder` into a new folder beside it, in the order of their paths; return it.

    Pagefind numbers the pages in the order it finds them in their folders, which is the order in
    which they were made on many file systems; the two rendering processes make them in an order of
    their own, and the index (though not what it finds) would differ from one build to the next."""
    ordered = folder.with_name(folder.name + "-in-order")
    pages = []
    for at, _, names in os.walk(folder):
        rel = os.path.relpath(at, folder)
        pages += [name if rel == "." else f"{rel}/{name}" for name in names]
    made = set()
    for rel in sorted(pages):
        parent = rel.rpartition("/")[0]
        if parent not in made:
            os.makedirs(ordered / parent, exist_ok=True)
            made.add(parent)
        os.rename(folder / rel, ordered / rel)
    return ordered


def _pagefind(executable: Path, site: Path, output: Path) -> str | None:
    """Run Pagefind on the copies in `site`; return None, or what went wrong."""
    command = [str(executable), "--site", str(site), "--output-path", str(output), "--keep-index-url", "--quiet"]
    try:
        result = subprocess.run(command, capture_output=True, text=True, timeout=TIMEOUT)
    except subprocess.TimeoutExpired:
        return f"Pagefind did not finish indexing within {TIMEOUT} s"
    except OSError as err:
        return f"could not run Pagefind ({executable}): {err.strerror or err}"
    if result.returncode != 0 or not (output / "pagefind.js").is_file():
        lines = [line for line in (result.stderr + result.stdout).splitlines() if line.strip()]
        detail = "\n  ".join(lines[-8:]) or f"exit code {result.returncode}"
        return f"Pagefind could not index the site:\n  {detail}"
    return None


def _executable() -> Path:
    try:
        from pagefind.service import get_executable
    except ImportError:
        get_executable = None
    executable = get_executable() if get_executable else None
    if executable is None:
        found = shutil.which("pagefind")
        if not found:
            raise SearchIndexError("Pagefind is not installed: run pip install -r requirements.txt "
                                   "(it installs pagefind[bin], which ships the binary)")
        executable = Path(found)
    return executable
