"""Reading and rendering a large chronology in two processes gives exactly what one process gives."""
from __future__ import annotations

import shutil
import signal
import threading
import time

import pytest
from conftest import ROOT

from chronicle import cite, link, load, pipeline
from chronicle.problems import ContentErrors
from chronicle.render import Site


def snapshot(content: load.Content) -> dict:
    return {
        "problems": [str(p) for p in content.problems],
        "entries": {kind: {rid: (e.path, e.record.model_dump(), e.body, e.body_line) for rid, e in entries.items()}
                    for kind, entries in content.entries.items()},
        "texts": content.texts,
        "broken": content.broken,
        "chronology": content.chronology.model_dump() if content.chronology else None,
    }


def test_two_processes_read_what_one_reads(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    # Problems of every stage: YAML syntax, schema, a missing summary, a text file's bytes.
    (content / "events" / "zz-bad-yaml.md").write_text("---\ntitle: [unclosed\n---\nText.\n")
    (content / "events" / "zz-no-summary.md").write_text(
        "---\ndate: 2024-12-01\ntitle: No summary\ncitations:\n  - source: heavy-losses\n    quote: x\n---\n")
    (content / "people" / "zz-unknown-field.yaml").write_text("name: Someone\nrole: x\ncolour: red\n")
    serial = snapshot(load.load(content))
    assert len(serial["problems"]) >= 3

    monkeypatch.setattr(load, "PARALLEL_FROM", 0)
    assert threading.active_count() == 1  # so parse_files forks the second process
    parallel = snapshot(load.load(content))
    assert parallel == serial


def test_two_processes_render_and_write_what_one_renders(tmp_path, monkeypatch):
    graph = pipeline.check(ROOT / "content")
    one = Site(graph).render()
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)
    monkeypatch.setattr(pipeline, "CHUNK", 5)  # many chunks, taken by both processes in turn
    assert threading.active_count() == 1  # so render_into forks the second process, which writes its pages
    result = pipeline.build(ROOT / "content", tmp_path / "site", index=False)
    site = tmp_path / "site"
    written = {p.relative_to(site).as_posix(): p.read_bytes() for p in site.rglob("*") if p.is_file()}
    assert written == {path: data.encode("utf-8") if isinstance(data, str) else data for path, data in one.items()}
    assert result.files == len(one)
    assert result.pages == sum(1 for path in one if path.endswith(".html"))


def test_two_processes_verify_what_one_verifies(tmp_path, monkeypatch):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    event = sorted((content / "events").glob("*.md"))[0]
    text = event.read_text()
    # A quote not found (a closest passage is suggested) and one found many times (ambiguous).
    event.write_text(text.replace("citations:\n", "citations:\n  - source: kirby-human-wave\n"
                                  "    quote: treating these troops as expandable\n"
                                  "  - source: kirby-human-wave\n    quote: the\n", 1))

    def verified():
        graph = link.link(load.load(content))
        quotes = sorted((q.kind, q.owner, q.index, q.source, q.span) for q in graph.quotes)
        searched_elsewhere = sorted(sid for sid, text in graph.texts.items() if text._folded is None)
        return [str(p) for p in graph.problems], quotes, searched_elsewhere

    cite.prepared.cache_clear()
    problems, quotes, searched_elsewhere = verified()
    assert len(problems) == 2 and len(quotes) > 50 and searched_elsewhere == []
    monkeypatch.setattr(link, "VERIFY_PARALLEL_FROM", 0)
    cite.prepared.cache_clear()  # the texts' remembered searches too: the second process does them afresh
    assert threading.active_count() == 1  # so link forks the second process
    parallel = verified()
    assert parallel[:2] == (problems, quotes)

    # Both processes take sources in turn; while this one is held up before its turn, the other takes
    # them all: every quote is then found by the other process, and the results are the same.
    real = link._index_references

    def slow(graph):
        time.sleep(1)
        real(graph)

    monkeypatch.setattr(link, "_index_references", slow)
    cite.prepared.cache_clear()
    held_up = verified()
    assert held_up[:2] == (problems, quotes)
    assert held_up[2] == sorted(graph_sources(content))


def graph_sources(content) -> list:
    return [path.stem for path in (content / "sources").glob("*.yaml")]


def test_a_build_leaves_nothing_for_the_cyclic_collector(tmp_path):
    """A build freezes what it made before the collector resumes (pipeline._no_cyclic_gc), which is only
    sound while a build makes no reference cycles: what the caller drops must be freed at once."""
    import gc
    import weakref

    result = pipeline.build(ROOT / "content", tmp_path / "site", index=False)
    assert gc.isenabled()
    graph = weakref.ref(result.graph)
    content = weakref.ref(result.graph.content)
    del result
    assert graph() is None and content() is None


def test_an_error_in_either_reading_process_is_raised_not_waited_on(tmp_path, monkeypatch):
    """The second process sends its files in batches; an error there is sent back and raised here, and
    an error here does not leave this process waiting for the other (which ends when no one reads)."""
    import pytest

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    monkeypatch.setattr(load, "PARALLEL_FROM", 0)
    monkeypatch.setattr(load, "BATCH", 2)
    real = load.parse_file

    def failing(path, root, validate=True, cwd=None, regular=False, *, where):
        if validate == (where == "here"):  # this process validates as it reads; the other leaves that here
            if path.suffix == ".md":
                raise RuntimeError(f"broken {where}")
        else:
            time.sleep(0.005)  # the process that does not fail is the slower: the other surely reads an event
        return real(path, root, validate, cwd, regular)

    class Hang(Exception):  # not TimeoutError: an OSError, which multiprocessing's join would swallow
        pass

    def too_long(*_):
        raise Hang("waited for the other process")

    signal.signal(signal.SIGALRM, too_long)
    try:
        for where in ("there", "here"):
            monkeypatch.setattr(load, "parse_file", lambda *a, where=where, **k: failing(*a, **k, where=where))
            signal.alarm(30)  # a hang fails the test instead of stalling the run
            with pytest.raises(RuntimeError, match=f"broken {where}"):
                load.load(content)
            signal.alarm(0)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_a_broken_template_is_reported_after_the_content_problems(tmp_path, monkeypatch):
    """The templates are compiled before the rendering forks its second process, after linking: a broken
    template does not hide the content's problems, which are reported first; without them, it is raised
    and nothing is written."""
    import jinja2

    def broken(self):
        raise jinja2.TemplateSyntaxError("unexpected '}'", 3)

    monkeypatch.setattr(Site, "compile_templates", broken)
    monkeypatch.setattr(pipeline, "PARALLEL_FROM", 0)  # the rendering compiles them all before forking
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    event = sorted((content / "events").glob("*.md"))[0]
    good = event.read_text()
    event.write_text(good.replace("citations:\n", "citations:\n  - source: kirby-human-wave\n"
                                  "    quote: treating these troops as expandable\n", 1))
    with pytest.raises(ContentErrors):
        pipeline.build(content, tmp_path / "site", index=False)
    event.write_text(good)
    with pytest.raises(jinja2.TemplateSyntaxError, match="unexpected"):
        pipeline.build(content, tmp_path / "site", index=False)
    assert not (tmp_path / "site").exists()
