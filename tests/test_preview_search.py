"""The preview's search index: after an edit, only the bundles holding a changed page are indexed again,
and the index served equals a full build's."""
from __future__ import annotations

import io
import json
import shutil
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

import pytest  # noqa: E402
from conftest import ROOT  # noqa: E402
from test_search import fragments_in  # noqa: E402

from chronicle import pipeline, search_index  # noqa: E402
from chronicle.incremental import Preview  # noqa: E402
from chronicle.preview_search import SearchIndexer  # noqa: E402

SPLIT = 40  # pages per bundle: the shipped content makes several
EVENT = "events/ukraine-incursion-into-kursk.md"


@pytest.fixture
def project(tmp_path, monkeypatch):
    monkeypatch.setattr(search_index, "BUNDLE_PAGES", SPLIT)
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    indexer = SearchIndexer(tmp_path / "search", io.StringIO())
    preview = Preview(content, tmp_path / "site", on_pages=indexer.pages)
    assert not preview.build().problems
    assert indexer.index_changed() == list(range(len(indexer.plan.starts)))
    return preview, indexer, content


def served(indexer: SearchIndexer) -> dict:
    """Return the fragments of every bundle listed in the served bundles.json, by page, and check that
    each page is in one bundle only."""
    listing = json.loads((indexer.root / indexer.locate("bundles.json")).read_text())
    found: dict = {}
    for name in listing["bundles"]:
        folder = indexer.root / indexer.locate(name + "pagefind.js")
        assert folder.is_file()
        bundle = fragments_in(folder.parent)
        assert not bundle.keys() & found.keys()
        found.update(bundle)
    return found


def built(content: Path, out: Path) -> dict:
    """Return the fragments of a full build of `content`, by page."""
    pipeline.build(content, out)
    listing = json.loads((out / "pagefind" / "bundles.json").read_text())
    found: dict = {}
    for name in listing["bundles"]:
        found.update(fragments_in(out / "pagefind" / name))
    return found


def edit(path: Path, old: str, new: str) -> None:
    text = path.read_text()
    assert old in text
    path.write_text(text.replace(old, new, 1))


def test_an_edit_indexes_again_only_the_bundle_of_the_edited_record(project, tmp_path):
    preview, indexer, content = project
    before = dict(indexer.folders)
    edit(content / EVENT, "title: Ukraine mounts", "title: Zanzibarish, Ukraine mounts")
    report = preview.update([content / EVENT])
    assert report.rendered > 5  # its neighbours, people, places, tags, sources list it too
    bundle = indexer.plan.bundle["events/ukraine-incursion-into-kursk.html"]
    assert indexer.index_changed() == [bundle]
    assert {b: f for b, f in indexer.folders.items() if b != bundle} == {b: f for b, f in before.items() if b != bundle}
    assert indexer.folders[bundle] != before[bundle]
    assert "Zanzibarish" in served(indexer)["events/ukraine-incursion-into-kursk.html"]["meta"]["title"]
    assert served(indexer) == built(content, tmp_path / "full")
    assert indexer.index_changed() == []  # nothing changed since


def test_added_removed_and_moved_pages_leave_the_index_a_full_build_makes(project, tmp_path):
    preview, indexer, content = project
    event = content / EVENT
    new = content / "events" / "zz-added-event.md"
    new.write_text(event.read_text().replace("date: 2024-08\n", "date: 2022-02-24\n", 1))
    gone = content / "events" / "isw-report-echoes-diu-claims.md"  # no record refers to it
    gone.unlink()
    edit(event, "date: 2024-08\n", "date: 2025-04-01\n")  # into a later bundle
    was = indexer.copies.where["events/ukraine-incursion-into-kursk.html"]
    assert not preview.update([new, gone, event]).problems
    now = indexer.copies.where["events/ukraine-incursion-into-kursk.html"]
    assert now > was and {now, was} <= set(indexer.index_changed())
    assert served(indexer) == built(content, tmp_path / "full")
    # the index before stays a while for pages still loading it; the one before that is removed
    edit(event, "title: Ukraine mounts", "title: Once more, Ukraine mounts")
    preview.update([event])
    indexer.index_changed()
    names = {p.name for p in indexer.root.iterdir()} - {"copies"}
    assert len([n for n in names if n.startswith("bundles-")]) == 2
    assert names <= {f"{b + 1}-{run}" for b in range(len(indexer.plan.starts)) for run in (1, 2, 3)} | \
        {"bundles-2.json", "bundles-3.json"}


def test_files_outside_the_bundles_are_not_located(project):
    _, indexer, _ = project
    assert indexer.locate("pagefind.js") == f"{indexer.folders[0]}/pagefind.js"
    assert indexer.locate("2/pagefind.js") == f"{indexer.folders[1]}/pagefind.js"
    assert indexer.locate(f"{len(indexer.plan.starts) + 1}/pagefind.js") is None
    assert indexer.locate("bundles.json") == indexer.listing


def test_an_empty_chronology_is_served_an_empty_listing(tmp_path):
    content = tmp_path / "content"
    content.mkdir()
    (content / "chronology.yaml").write_text("title: T\ndescription: D.\nlanguage: en\n")
    indexer = SearchIndexer(tmp_path / "search", io.StringIO())
    preview = Preview(content, tmp_path / "site", on_pages=indexer.pages)
    assert not preview.build().problems
    assert indexer.index_changed() == []
    listing = json.loads((indexer.root / indexer.locate("bundles.json")).read_text())
    assert listing == {"bundles": [], "dated": 0}
