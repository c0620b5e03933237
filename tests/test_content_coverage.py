"""The shipped chronology covers its sources: every quotation mark in an article body is rendered."""
from __future__ import annotations

from pathlib import Path

import pytest

from chronicle import pipeline

CONTENT = Path(__file__).resolve().parent.parent / "content"
MARKS = "“”\"«»"


@pytest.fixture(scope="module")
def graph():
    return pipeline.check(CONTENT)


def uncovered_marks(graph, sid: str) -> list[str]:
    """Return the quotation marks in the article body of `sid` outside every rendering and exception."""
    text = graph.texts[sid]
    source = graph.entries["sources"][sid].record
    chrome = {n for c in source.chrome for n in range(c.span[0], c.span[1] + 1)}
    spans = [(q.span.start, q.span.end) for q in graph.quotes_by_source.get(sid, [])
             if q.kind in ("statements", "sources")]  # renderings, and the listed exceptions
    missing = []
    for at, char in enumerate(text.text):
        if char not in MARKS or text.line_of(at) in chrome:
            continue
        # A rendering may include its quotation marks or stop just inside them.
        if not any(start - 1 <= at <= end for start, end in spans):
            line = text.line_of(at)
            missing.append(f"{sid} line {line}: …{text.text[max(0, at - 30):at + 30]}…")
    return missing


def test_every_quotation_mark_is_covered_by_a_rendering_or_exception(graph):
    missing = [m for sid in sorted(graph.entries["sources"]) for m in uncovered_marks(graph, sid)]
    assert missing == []


def test_every_source_is_cited(graph):
    cited = {q.source for q in graph.quotes if q.kind != "sources"}
    assert cited == set(graph.entries["sources"])


def test_every_entity_is_linked_or_named_in_an_article(graph):
    from chronicle.views import name_occurrences

    idle = [f"{kind}/{rid}" for kind in ("people", "organisations", "places")
            for rid in graph.entries[kind]
            if not graph.refs.get((kind, rid)) and not name_occurrences(graph, kind, rid)]
    unused_tags = [rid for rid in graph.entries["tags"] if not graph.refs.get(("tags", rid))]
    assert idle == [] and unused_tags == []


def test_every_figure_and_statement_is_attributed(graph):
    for kind, field in (("figures", "claimant"), ("statements", "speaker")):
        for rid, entry in graph.entries[kind].items():
            assert getattr(entry.record, field) or entry.record.attribution, f"{kind}/{rid}"


def test_contradicting_casualty_estimates_are_recorded(graph):
    disputed = {f for d in graph.entries["discrepancies"].values() for f in d.record.figures}
    killed_or_wounded = {rid for rid, e in graph.entries["figures"].items()
                         if e.record.counted == "killed-or-wounded" and e.record.value}
    assert len(killed_or_wounded) >= 3 and killed_or_wounded & disputed
