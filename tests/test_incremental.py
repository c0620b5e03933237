"""The preview's incremental rebuild: it redoes only affected pages, and equals a full build."""
from __future__ import annotations

import shutil
from pathlib import Path

import pytest
from conftest import ROOT

from chronicle import pipeline, render
from chronicle.incremental import Preview
from chronicle.render import Site

CONTENT = ROOT / "content"


def snapshot(folder: Path) -> dict:
    return {p.relative_to(folder).as_posix(): p.read_bytes() for p in sorted(folder.rglob("*")) if p.is_file()}


@pytest.fixture
def project(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    preview = Preview(content, tmp_path / "preview")
    assert not preview.build().problems
    return content, preview, tmp_path


def assert_same_as_full_build(content: Path, preview: Preview, tmp_path: Path, step: str):
    full = tmp_path / f"full-{step}"
    pipeline.build(content, full, index=False)  # the preview serves its search index from elsewhere
    a, b = snapshot(preview.out), snapshot(full)
    assert sorted(a) == sorted(b), step
    assert [p for p in a if a[p] != b[p]] == [], step
    # What each page depends on is what a full render records, and the inverted index agrees with it.
    site = Site(pipeline.check(content))
    site.render()
    assert preview.deps == site.deps, step
    users: dict = {}
    for page, keys in preview.deps.items():
        for key in keys:
            users.setdefault(key, set()).add(page)
    assert preview.users == users, step


def edit(path: Path, old: str, new: str) -> Path:
    text = path.read_text()
    assert old in text, (path, old)
    path.write_text(text.replace(old, new, 1))
    return path


def event_ids(content: Path) -> list[str]:
    return sorted(p.stem for p in (content / "events").glob("*.md"))


def test_editing_an_event_title_redoes_only_its_neighbourhood(project):
    content, preview, _ = project
    graph = preview.graph
    eid = "miller-briefing-north-korean-deaths"
    entry = graph.entries["events"][eid]
    report = preview.update([edit(content / "events" / f"{eid}.md", entry.record.title, "A new title")])
    rendered = set(preview.last_rendered)
    assert f"events/{eid}.html" in rendered and "index.html" in rendered
    at = graph.timeline.index(eid)
    assert {f"events/{graph.timeline[at - 1]}.html", f"events/{graph.timeline[at + 1]}.html"} <= rendered
    for person in entry.record.people:
        assert f"people/{person}.html" in rendered
    for quote in graph.quotes_of("events", eid):
        assert f"sources/{quote.source}.html" in rendered
    for sid in graph.referrers("events", eid, "statements"):
        assert f"statements/{sid}.html" in rendered
    unrelated = [e for e in graph.timeline if not (set(graph.entries["events"][e].record.tags)
                                                   | set(graph.entries["events"][e].record.people)
                                                   | set(graph.entries["events"][e].record.places)
                                                   | set(graph.entries["events"][e].record.organisations))
                 & (set(entry.record.tags) | set(entry.record.people) | set(entry.record.places)
                    | set(entry.record.organisations))]
    assert unrelated and not {f"events/{e}.html" for e in unrelated} & rendered - {
        f"events/{graph.timeline[at - 1]}.html", f"events/{graph.timeline[at + 1]}.html"}
    assert report.rendered < len(preview.deps) / 2
    assert "A new title" in (preview.out / f"events/{eid}.html").read_text()


@pytest.fixture(params=[100, 2], ids=["entity lines in one block", "in blocks of two"])
def entity_block(request, monkeypatch):
    """An entity page's lines are kept in blocks (render.ENTITY_BLOCK): the shipped content's fit in one."""
    monkeypatch.setattr(render, "ENTITY_BLOCK", request.param)
    return request.param


def test_a_sequence_of_edits_equals_a_full_build(entity_block, project):
    content, preview, tmp_path = project
    ids = event_ids(content)
    events = content / "events"
    new, renamed = events / "zz-new-event.md", events / "zz-renamed-event.md"
    statement = sorted((content / "statements").glob("*.yaml"))[0]

    def add():
        new.write_text((events / "ukraine-incursion-into-kursk.md").read_text().replace("title: ", "title: Newly added: ", 1).replace("Newly added: ", "Newly added, "))
        return [new]

    def rename():
        new.rename(renamed)
        return [new, renamed]

    def delete():
        renamed.unlink()
        return [renamed]

    steps = [  # each step changes files on disk and returns the paths it changed
        ("summary", lambda: [edit(events / f"{ids[0]}.md", "\n---\n", "\n---\nAn added first sentence. ")]),
        ("date", lambda: [edit(events / "miller-briefing-north-korean-deaths.md", "date: 2024-12-16", "date: 2025-02-02")]),
        ("add", add),
        ("rename", rename),
        ("person", lambda: [edit(content / "people" / "john-kirby.yaml", "name: John Kirby", "name: John F. Kirby")]),
        ("tags", lambda: [edit(events / f"{ids[1]}.md", "tags: [", "tags: [friendly-fire, ")]),
        ("statement", lambda: [edit(statement, "form: ", "context: Added in the preview.\nform: ")
                               if "context:" not in statement.read_text()
                               else edit(statement, "context: ", "context: Reworded. ")]),
        ("delete", delete),
        ("source", lambda: [edit(content / "sources" / "heavy-losses.yaml", "title: North", "title: The North")]),
    ]
    for name, change in steps:
        report = preview.update(change())
        assert not report.problems, (name, [str(p) for p in report.problems])
        assert_same_as_full_build(content, preview, tmp_path, name)


def test_errors_keep_the_last_good_site_and_recover(project):
    content, preview, tmp_path = project
    before = snapshot(preview.out)
    broken = edit(content / "events" / "ukraine-incursion-into-kursk.md", "title:", "titel:")
    report = preview.update([broken])
    assert {p.path for p in report.problems} == {str(broken)}
    assert sorted(p.message for p in report.problems) == ["missing required field 'title'", "unknown field 'titel'"]
    assert snapshot(preview.out) == before
    assert "2 problem(s); the last good site is still served" in report.line()
    other = edit(content / "events" / "miller-briefing-north-korean-deaths.md", "Miller said", "Miller told reporters")
    assert preview.update([other]).problems  # still broken elsewhere
    fixed = edit(broken, "titel:", "title:")
    report = preview.update([fixed])
    assert not report.problems
    assert_same_as_full_build(content, preview, tmp_path, "recovered")


def test_template_change_is_a_full_rebuild(project, tmp_path):
    content, _, _ = project
    templates = tmp_path / "templates"
    shutil.copytree(ROOT / "templates", templates)
    preview = Preview(content, tmp_path / "preview2", templates)
    preview.build()
    about = edit(templates / "about.html", "<h2>How to read it</h2>", "<h2>How to read this</h2>")
    report = preview.update([about])
    assert report.full and "How to read this" in (preview.out / "about.html").read_text()
    base = edit(templates / "base.html", "<body>", '<body class="edited">')  # extended by every page
    report = preview.update([base])
    assert report.full and '<body class="edited">' in (preview.out / "events" / "ukraine-incursion-into-kursk.html").read_text()


def test_deferred_data_files_catch_up(project):
    content, preview, tmp_path = project
    event = edit(content / "events" / "ukraine-incursion-into-kursk.md", "title: Ukraine", "title: Deferred, Ukraine")
    report = preview.update([event], defer_data=True)
    assert not report.problems
    assert "Deferred" in (preview.out / "events" / "ukraine-incursion-into-kursk.html").read_text()
    assert "Deferred" not in (preview.out / "data" / "chronology.json").read_text()
    assert preview.finish().rewritten >= 1
    assert preview.finish() is None
    assert_same_as_full_build(content, preview, tmp_path, "deferred")


def test_relink_equals_a_full_link_after_edits(tmp_path):
    """The preview's partial re-link gives exactly the graph a full link gives."""
    import random

    from chronicle.link import link, relink
    from chronicle.load import Loader

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    loader = Loader(content)
    loader.scan()
    graph = link(loader.content())
    rng = random.Random(7)
    events = sorted((content / "events").glob("*.md"))
    statements = sorted((content / "statements").glob("*.yaml"))
    dates = ["2024-12-16", "2025-02-02", "2024-10~", "../2024-12-01", "2023-05"]
    for step in range(12):
        path = rng.choice(events + statements)
        text = path.read_text()
        if path.suffix == ".md" and step % 3 == 0:
            text = text.replace("\ndate: ", f"\ndate: {rng.choice(dates)}\nxdate: ", 1)
            text = "\n".join(line for line in text.split("\n") if not line.startswith("xdate: "))
        elif path.suffix == ".md" and step % 3 == 1:
            text = text.replace("tags: [", "tags: [diplomacy, ", 1) if "diplomacy" not in text else text
        else:
            if path.suffix == ".md":
                text = text.replace("\n---\n", "\n---\nEdited. ", 1)
            elif "note:" not in text:
                text = text.replace("form: ", "note: Edited.\nform: ", 1)
        path.write_text(text)
        loader.update([path])
        fresh = loader.content()
        partial, full = relink(graph, fresh), link(fresh)
        if full.problems:
            assert partial is None or partial.problems, step
            continue
        assert partial is not None, step
        assert partial.timeline == full.timeline, step
        assert partial.refs == full.refs, step
        assert partial.quotes == full.quotes, step
        assert partial.quotes_by_owner == full.quotes_by_owner, step
        assert partial.quotes_by_source == full.quotes_by_source, step
        assert partial.problems == full.problems == [], step
        graph = partial


def test_the_patched_content_equals_a_fresh_load(tmp_path):
    """After each save, the loader patches the previous content; it equals reading everything again."""
    from chronicle.load import Loader, load

    content = tmp_path / "content"
    shutil.copytree(CONTENT, content)
    loader = Loader(content)
    loader.scan()
    loader.content()
    events = sorted((content / "events").glob("*.md"))
    person = content / "people" / "john-kirby.yaml"
    saves = [  # each saves files and returns the paths the watcher reports
        lambda: [edit(events[0], "title: ", "title: Edited ")],
        lambda: [edit(person, "name: John Kirby", "name: John F. Kirby"), content / "people" / ".john-kirby.yaml.swp"],
        lambda: [edit(events[1], "\n---\n", "\n---\nAn added sentence. "), events[1].with_name(events[1].name + "~")],
        lambda: [edit(events[2], "title: ", "titel: ")],  # a problem: assembled in full, then patched again
        lambda: [edit(events[2], "titel: ", "title: ")],
        lambda: [edit(events[3], "title: ", "title: Again ")],
    ]
    patched = 0
    for save in saves:
        loader.update(save())
        got = loader.content()
        patched += got.derived is not None
        fresh = load(content)
        assert [str(p) for p in got.problems] == [str(p) for p in fresh.problems]
        for kind in fresh.entries:
            assert list(got.entries[kind]) == list(fresh.entries[kind])
            assert all(got.entries[kind][rid].record == e.record and got.entries[kind][rid].body == e.body
                       for rid, e in fresh.entries[kind].items())
        assert got.texts == fresh.texts and got.chronology == fresh.chronology
    assert patched >= 4  # the saves without a problem before or after were patched, not reassembled
