"""Related events: those sharing most entities with an event, then the nearest in time, then the earlier."""
from __future__ import annotations

import bisect
import sys
from collections import Counter

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

from chronicle import pipeline, views

sys.path.insert(0, str(ROOT / "benchmarks"))


def ranked_plainly(graph, rid: str) -> list:
    """The definition, by sorting every candidate: among the RELATED_WINDOW events nearest in time on
    each side of `rid` that share an entity with it, the RELATED_LIMIT best, in timeline order."""
    order = {eid: i for i, eid in enumerate(graph.timeline)}
    here, record = order[rid], graph.entries["events"][rid].record
    shared: Counter = Counter()
    for kind in ("people", "organisations", "places", "tags"):
        for value in getattr(record, kind):
            ranks = [order[e] for e in graph.referrers(kind, value, "events")]
            at = bisect.bisect_left(ranks, here)
            shared.update(ranks[max(0, at - views.RELATED_WINDOW):at + views.RELATED_WINDOW + 1])
    shared.pop(here, None)
    best = sorted(shared, key=lambda p: (-shared[p], abs(p - here), p > here))[:views.RELATED_LIMIT]
    return [graph.timeline[p] for p in sorted(best)]


def test_related_events_are_the_best_ranked_on_a_synthetic_chronology(tmp_path):
    from synthetic import generate

    generate(tmp_path / "content", events=600)
    graph = pipeline.check(tmp_path / "content")
    found = {eid: [r["id"] for r in views.related_events(graph, eid)] for eid in graph.timeline}
    assert sum(len(ids) == views.RELATED_LIMIT for ids in found.values()) > 500
    assert found == {eid: ranked_plainly(graph, eid) for eid in graph.timeline}


def test_related_events_on_the_shipped_content():
    graph = pipeline.check(ROOT / "content")
    for eid in graph.timeline:
        assert [r["id"] for r in views.related_events(graph, eid)] == ranked_plainly(graph, eid)


@settings(max_examples=500, deadline=None)
@given(st.sets(st.integers(0, 60)), st.integers(0, 60), st.integers(0, 8))
def test_the_nearest_positions_are_found_walking_out_from_here(positions, here, k):
    positions.discard(here)
    expected = sorted(positions, key=lambda p: (abs(p - here), p > here))[:k]
    assert views._nearest(sorted(positions), here, k) == expected


def test_an_event_naming_no_one_and_nothing_has_no_related_events(tmp_path):
    import shutil

    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    (content / "events" / "zz-unattached.md").write_text(
        "---\ndate: 2025-01\ntitle: An event naming no entity\ncitations:\n  - source: us-confirms-deaths\n"
        "    quote: The Akhmat unit, known for its ferocity and brutality, operates under the command of "
        "Chechen leader Ramzan Kadyrov.\n---\nA summary.\n")
    graph = pipeline.check(content)
    assert views.related_events(graph, "zz-unattached") == []
    assert ranked_plainly(graph, "zz-unattached") == []
