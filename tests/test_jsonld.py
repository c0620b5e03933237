"""schema.org JSON-LD: what event, statement and source pages tell search engines."""
from __future__ import annotations

import json
import re

import pytest

from chronicle import jsonld, pipeline

from conftest import ROOT, base_files

SCRIPT = re.compile(r'^<script type="application/ld\+json">\n(.*)\n</script>$', re.S)


@pytest.fixture(scope="module")
def graph():
    return pipeline.check(ROOT / "content")


@pytest.mark.parametrize("base_url", [None, "https://example.org/chronology/"])
def test_an_event_script_is_the_event_data_encoded(graph, base_url):
    for eid in graph.timeline:  # each source's JSON made once and kept in the graph's memo, as in a render
        made = jsonld.event_script(graph, eid, base_url)
        assert made == jsonld.script(jsonld.event(graph, eid, base_url))
        data = json.loads(SCRIPT.match(made).group(1))
        assert data["@type"] == "Event" and data["name"] == graph.entries["events"][eid].record.title
        cited = {q.source for q in graph.quotes_of("events", eid)}
        assert [c["headline"] for c in data["citation"]] == [
            graph.entries["sources"][s].record.headline or graph.entries["sources"][s].record.title
            for s in sorted(cited)]
    assert {graph.memo.get(("article", q.source, base_url), lambda: None)
            for eid in graph.timeline for q in graph.quotes_of("events", eid)} == \
        {jsonld._json(jsonld.article(graph, q.source, base_url))
         for eid in graph.timeline for q in graph.quotes_of("events", eid)}


def test_content_cannot_close_the_script_element(make_content):
    files = base_files()
    files["events/losses.md"] = files["events/losses.md"].replace(
        "title: Losses near Plekhovo", 'title: "Losses </script><script>alert(1)</script>"')
    graph = pipeline.check(make_content(files))
    made = jsonld.event_script(graph, "losses", None)
    assert made.count("</script>") == 1 and made.endswith("</script>")
    assert json.loads(SCRIPT.match(made).group(1))["name"] == "Losses </script><script>alert(1)</script>"
