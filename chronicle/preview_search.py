"""The preview's search index: remade in the background, one bundle at a time, only where pages changed.

The preview hands every page it renders to `SearchIndexer.pages` (incremental.Preview's `on_pages`),
which keeps each record page's copy for the index (search_index.Copies, as the build does) and notes
the bundles whose copies changed: a copy holds only what the index holds of a page, so an edit that
changes only the lists of other pages (a person's events, an event's neighbours) changes no copy but
the edited record's. `request` then re-indexes those bundles in a thread, each into a fresh folder,
while the others stay as they were, and preview_server serves /pagefind/ through `locate`.

Pagefind's index cannot be updated in place: its Python API can replace a page in an index it holds in
memory, but not remove one, holds the whole index in memory for as long as the preview runs (1.5 GB at
10,000 events), and takes a tenth of a second per page it is given (see search_index.py). Remaking the
bundles that changed, from their copies, takes a few seconds at most and keeps no memory.
"""
from __future__ import annotations

import shutil
import threading
from pathlib import Path

from . import search_index
from .search_index import BUNDLES_FILE, Copies, Plan, SearchIndexError, page_key


class SearchIndexer:
    """Keeps the copies of the preview's record pages in `root`/copies and their index in `root`.

    At most one indexing runs at a time; a request that comes while one runs makes it run once more when
    it ends (any number of requests meanwhile coalesce into that one). Each bundle is indexed into a
    fresh folder (`root`/N-RUN) and served from there once it is complete; the one before stays a while
    for pages still loading it.
    """

    def __init__(self, root: Path, out):
        self.root, self.out = Path(root), out
        self.plan: Plan | None = None  # made at the first build, kept for the preview's life
        self.copies: Copies | None = None
        self.folders: dict = {}  # bundle -> name of the folder of its latest index, in root
        self.listing: str | None = None  # name of the latest bundles.json, in root
        self.runs = 0
        self._replaced: list = []  # what the latest indexing replaced, removed by the next one
        self._lock = threading.Lock()  # guards the copies' bookkeeping and the folders served
        self._running = False
        self._again = False
        self._closed = False
        self._thread: threading.Thread | None = None

    def pages(self, graph, pages: dict, gone) -> None:
        """Take the pages the preview just rendered (site path -> HTML) and the paths of pages gone."""
        with self._lock:
            if self.plan is None:
                self.plan = Plan.of(graph)
                self.copies = Copies(self.root / "copies", self.plan, remember=True)
            for path, html in pages.items():
                key = page_key(graph, path)
                if key is not None:
                    self.copies.add(path, html, self.plan.bundle_of(key))
            for path in gone:
                self.copies.remove(path)

    def request(self) -> None:
        """Re-index the bundles whose copies changed, in the background."""
        with self._lock:
            if self._closed or self.copies is None:
                return
            if self._running:
                self._again = True
                return
            self._running = True
            self._thread = threading.Thread(target=self._run, name="chronicle-search", daemon=True)
            self._thread.start()

    def _run(self) -> None:
        while True:
            self.index_changed()
            with self._lock:
                if not self._again or self._closed:
                    self._running = False
                    return
                self._again = False

    def index_changed(self) -> list:
        """Re-index the bundles whose copies changed since the last time; return them."""
        with self._lock:
            changed, self.copies.changed = sorted(self.copies.changed), set()
            present = set(self.copies.bundles())
        if not changed and self.listing:
            return []
        self.runs += 1
        targets = [b for b in changed if b in present]  # a bundle without pages is no longer served
        runs = [(self.copies.folder(b), self.root / f"{b + 1}-{self.runs}") for b in targets]
        try:
            search_index.run_bundles(runs)
        except SearchIndexError as err:
            print(f"search index not updated: {err}", file=self.out, flush=True)
            for _, folder in runs:
                shutil.rmtree(folder, ignore_errors=True)
            with self._lock:
                self.copies.changed.update(changed)  # tried again after the next change
            return []
        listing = f"bundles-{self.runs}.json"
        self.root.mkdir(parents=True, exist_ok=True)  # not made yet by a copy when there is no record page
        (self.root / listing).write_text(search_index.listing(self.plan, present), encoding="utf-8")
        with self._lock:
            replaced = [self.folders.pop(b) for b in changed if b in self.folders] + [self.listing]
            self.folders.update({b: output.name for b, (_, output) in zip(targets, runs)})
            self.listing = listing
        # What was replaced stays until the next time, for pages still loading it; what it replaced goes.
        for name in self._replaced:
            path = self.root / name
            shutil.rmtree(path, ignore_errors=True) if path.is_dir() else path.unlink(missing_ok=True)
        self._replaced = [name for name in replaced if name]
        return changed

    def locate(self, url_path: str) -> str | None:
        """Return where the file at /pagefind/`url_path` is, relative to root, or None if it is not there."""
        with self._lock:
            if url_path == BUNDLES_FILE:
                return self.listing
            first, _, rest = url_path.partition("/")
            if first.isdigit() and rest and int(first) >= 2:
                folder = self.folders.get(int(first) - 1)
                return f"{folder}/{rest}" if folder else None
            folder = self.folders.get(0)
            return f"{folder}/{url_path}" if folder else None

    def close(self, timeout: float = 30) -> None:
        """Let a running indexing finish (its files go with the preview folder) and start no other."""
        with self._lock:
            self._closed = True
            thread = self._thread
        if thread is not None:
            thread.join(timeout)
