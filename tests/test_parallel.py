"""Work in two processes (chronicle.parallel): reading, locating quotes and rendering a large chronology
in two processes give exactly what one process gives; an error in either process is raised, not waited on."""
from __future__ import annotations

import shutil
import signal
import threading
import time

import pytest
from conftest import ROOT

from chronicle import cite, files, link, load, parallel, pipeline
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

    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "files", 0)
    assert threading.active_count() == 1  # so files.parse_files forks the second process
    two = snapshot(load.load(content))
    assert two == serial


def test_two_processes_render_and_write_what_one_renders(tmp_path, monkeypatch):
    graph = pipeline.check(ROOT / "content")
    one = Site(graph).render()
    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "pages", 0)
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
    # The hint for a quote not found looks for it in every other source, in this process; what this
    # test counts is which process searched the sources for the quotes citing them.
    monkeypatch.setattr(link, "_elsewhere", lambda graph, citation: "")

    def verified():
        graph = link.link(load.load(content))
        quotes = sorted((q.kind, q.owner, q.index, q.source, q.span) for q in graph.quotes)
        searched_elsewhere = sorted(sid for sid, text in graph.texts.items() if text._folded is None)
        return [str(p) for p in graph.problems], quotes, searched_elsewhere

    cite.prepared.cache_clear()
    problems, quotes, searched_elsewhere = verified()
    assert len(problems) == 2 and len(quotes) > 50 and searched_elsewhere == []
    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "quotes", 0)
    cite.prepared.cache_clear()  # the texts' remembered searches too: the second process does them afresh
    assert threading.active_count() == 1  # so link forks the second process
    two = verified()
    assert two[:2] == (problems, quotes)

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
    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "files", 0)
    monkeypatch.setattr(files, "BATCH", 2)
    real = files.parse_file

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
            monkeypatch.setattr(files, "parse_file", lambda *a, where=where, **k: failing(*a, **k, where=where))
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
    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "pages", 0)  # the rendering compiles them all before forking
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


# ---------------------------------------------------------------- the helper itself

def shared(pieces: int, here, there, meanwhile=None) -> dict:
    """Return piece -> what did it, from parallel.in_two_processes with a second process forked."""
    done = {}

    def done_here(at):
        assert at not in done
        done[at] = ("here", here(at))

    def received(at, result):
        assert at not in done
        done[at] = ("there", result)

    assert threading.active_count() == 1
    parallel.in_two_processes(pieces, done_here, there, received, meanwhile)
    return done


def test_two_processes_take_the_pieces_in_turn_each_once():
    import os

    def slowly(at):
        time.sleep(0.01)  # long enough that the other process surely takes some meanwhile
        return at * at, os.getpid()

    done = shared(200, slowly, slowly)
    assert sorted(done) == list(range(200))
    assert all(result[0] == at * at for at, (_, result) in done.items())
    here = {at for at, (where, result) in done.items() if where == "here" and result[1] == os.getpid()}
    there = {at for at, (where, result) in done.items() if where == "there" and result[1] != os.getpid()}
    assert here and there and len(here) + len(there) == 200


def test_the_second_process_starts_while_this_one_does_what_it_does_meanwhile():
    import os

    ran = []
    done = shared(5, lambda at: pytest.fail("this process was held up until none was left"),
                  lambda at: os.getpid(), meanwhile=lambda: (ran.append(1), time.sleep(1)))
    assert ran == [1] and sorted(done) == list(range(5))
    assert {where for where, _ in done.values()} == {"there"} and os.getpid() not in {pid for _, pid in done.values()}


def test_without_a_second_process_this_one_does_it_all_in_order():
    order = []
    parallel.in_two_processes(4, order.append, lambda at: pytest.fail("no second process"),
                              lambda at, result: pytest.fail("nothing to receive"),
                              meanwhile=lambda: order.append("meanwhile"), fork=False)
    assert order == ["meanwhile", 0, 1, 2, 3]


def test_second_process_pays_from_its_threshold_on_and_never_beside_a_thread(monkeypatch):
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 2)
    assert parallel.second_process_pays(400, "pages") and not parallel.second_process_pays(399, "pages")
    stop = threading.Event()
    thread = threading.Thread(target=stop.wait)
    thread.start()
    try:
        assert not parallel.second_process_pays(10**6, "pages")  # forking a threaded process is unsafe
    finally:
        stop.set()
        thread.join()
    monkeypatch.setattr(parallel.os, "cpu_count", lambda: 1)
    assert not parallel.second_process_pays(10**6, "pages")


class TwoArguments(Exception):
    """An exception that cannot be made again from its pickled arguments."""

    def __init__(self, first, second):
        super().__init__(f"{first} and {second}")


@pytest.fixture
def no_hang():
    """Fail a test that waits for the other process for more than 30 s, instead of stalling the run."""
    class Hang(Exception):  # not TimeoutError: an OSError, which multiprocessing's join would swallow
        pass

    def too_long(*_):
        raise Hang("waited for the other process")

    signal.signal(signal.SIGALRM, too_long)
    signal.alarm(30)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, signal.SIG_DFL)


def test_an_error_in_the_second_process_is_raised_here_with_where_it_was(no_hang):
    def failing(at):
        raise ValueError(f"piece {at} is broken")

    def held_up(at):
        time.sleep(0.05)  # so that the other process surely takes a piece

    with pytest.raises(ValueError, match=r"piece \d+ is broken") as raised:
        shared(100, held_up, failing)
    assert "in the second process" in raised.value.__notes__[0] and "failing" in raised.value.__notes__[0]

    def unpicklable(at):
        raise TwoArguments("one", "two")

    with pytest.raises(RuntimeError, match="^TwoArguments: one and two\nin the second process"):
        shared(100, held_up, unpicklable)


def test_a_second_process_that_dies_is_reported_not_waited_on(no_hang):
    import os

    def dying(at):
        os._exit(3)

    with pytest.raises(RuntimeError, match=r"the second process stopped unexpectedly \(exit code 3\)"):
        shared(100, lambda at: time.sleep(0.05), dying)


def test_an_error_here_stops_the_second_process(no_hang):
    def failing(*_):
        raise ValueError("broken here")

    for meanwhile in (None, failing):
        started = time.perf_counter()
        with pytest.raises(ValueError, match="broken here"):
            shared(10_000, failing, lambda at: time.sleep(0.01), meanwhile)  # 100 s of work there, if it went on
        assert time.perf_counter() - started < 10
