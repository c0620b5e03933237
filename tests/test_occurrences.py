"""Where entity names occur in the sources: the one-pass search of a full build equals the per-name one."""
from __future__ import annotations

import re
import sys

from hypothesis import given, settings
from hypothesis import strategies as st

from conftest import ROOT

from chronicle import pipeline, views

sys.path.insert(0, str(ROOT / "benchmarks"))


def per_entity(graph) -> dict:
    found = {}
    for kind in ("people", "organisations", "places"):
        for rid in graph.entries[kind]:
            occurrences = views.name_occurrences(graph, kind, rid)
            if occurrences:
                found[kind, rid] = occurrences
    return found


def test_one_pass_equals_one_name_at_a_time_on_the_shipped_content():
    graph = pipeline.check(ROOT / "content")
    expected = per_entity(graph)
    assert expected[("people", "john-kirby")][0]["lines"]  # the search finds something to compare
    assert views.all_name_occurrences(graph) == expected
    assert views.name_occurrences(graph, "people", "john-kirby") == expected[("people", "john-kirby")]


def test_one_pass_equals_one_name_at_a_time_on_a_synthetic_chronology(tmp_path):
    from synthetic import generate

    generate(tmp_path / "content", events=300)
    graph = pipeline.check(tmp_path / "content")
    expected = per_entity(graph)
    assert len(expected) > 10
    assert views.all_name_occurrences(graph) == expected


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.characters(max_codepoint=127)) | st.text())
def test_the_words_of_a_text_are_the_runs_the_pattern_finds(text):
    assert views.words_of(text) == set(re.findall(r"\w+", text))
