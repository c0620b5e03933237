"""Exports (chronology JSON, CSL-JSON, TimelineJS) and feeds (Atom, sitemap, robots.txt)."""
from __future__ import annotations

import datetime
import hashlib
import json
import re
import uuid
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import export, feeds, urls
from chronicle.cite import normalise
from chronicle.problems import ContentErrors

from conftest import ROOT, sha

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"

# Top-level keys of a CSL-JSON item and keys of a date variable (CSL-JSON schema 1.0).
CSL_ITEM_KEYS = {
    "type", "id", "categories", "language", "journalAbbreviation", "shortTitle", "author", "chair",
    "collection-editor", "compiler", "composer", "container-author", "contributor", "curator", "director",
    "editor", "editorial-director", "executive-producer", "interviewer", "illustrator", "organizer",
    "original-author", "performer", "producer", "recipient", "reviewed-author", "translator", "accessed",
    "available-date", "event-date", "issued", "original-date", "submitted", "abstract", "annote", "archive",
    "archive_collection", "archive_location", "archive-place", "authority", "call-number", "chapter-number",
    "citation-number", "citation-label", "collection-number", "collection-title", "container-title",
    "container-title-short", "dimensions", "division", "DOI", "edition", "event", "event-place",
    "first-reference-note-number", "genre", "ISBN", "ISSN", "issue", "jurisdiction", "keyword", "locator",
    "medium", "note", "number", "number-of-pages", "number-of-volumes", "original-publisher",
    "original-publisher-place", "original-title", "page", "page-first", "part", "part-title", "PMCID", "PMID",
    "printing", "publisher", "publisher-place", "references", "reviewed-title", "scale", "section", "source",
    "status", "supplement", "title", "title-short", "translated-title", "URL", "version", "volume",
    "year-suffix",
}
CSL_DATE_KEYS = {"date-parts", "season", "circa", "literal", "raw"}
CSL_NAME_KEYS = {"family", "given", "dropping-particle", "non-dropping-particle", "suffix", "literal"}


def check(root: Path):
    """Return the Graph of the content at `root` (pipeline.check, without needing the renderer)."""
    try:
        from chronicle import pipeline
    except (ImportError, SyntaxError):  # the renderer mid-edit; checking needs only load and link
        pipeline = None
    if pipeline is not None:
        return pipeline.check(root)
    from chronicle.link import link
    from chronicle.load import load
    content = load(Path(root))
    graph = link(content)
    if content.problems or graph.problems:
        raise ContentErrors(content.problems + graph.problems)
    return graph


def source_files(sid: str, date: str, text: str, extra: str = "") -> dict:
    note = "" if re.fullmatch(r"\d{4}-\d{2}-\d{2}", date) else "date_note: Derived from the text.\n"
    return {
        f"sources/{sid}.txt": text,
        f"sources/{sid}.yaml": (f"text: {sid}.txt\nsha256: {sha(text)}\ntitle: Article {sid}\n"
                                f"date: '{date}'\n{note}language: en\n{extra}"),
    }


def event_file(date: str, title: str = "An event", quote: str = "Kirby said it twice", tags: str = "[]",
               source: str = "art", body: str = "A summary.") -> str:
    return (f"---\ndate: '{date}'\ntitle: '{title}'\ntags: {tags}\ncitations:\n"
            f"  - source: {source}\n    quote: {quote}\n---\n{body}\n")


OTHER_TEXT = "Headline of the other article\n\nIt reported a clash on 3 January.\n"


@pytest.fixture
def graph(make_content):
    """A chronology with one event and one source per kind of date the exports must keep."""
    overrides = {
        "tags/prisoners.yaml": "name: Prisoners & POWs\ndescription: Captures.\n",
        "events/month.md": event_file("2024-12", "Month only", tags="[prisoners, casualties]"),
        "events/about.md": event_file("2024-12~", "About a month"),
        "events/uncertain-day.md": event_file("2024-12-15?", "Uncertain day"),
        "events/between.md": event_file("2024-12-26/2025-01-11", "Between two days"),
        "events/between-months.md": event_file("2024-12~/2025-01~", "Between about two months"),
        "events/before.md": event_file("../2024-12-17", "On or before"),
        "events/after.md": event_file("2024-12-26/..", "On or after",
                                      quote="Kirby said the troops were “expendable.”"),
        "events/escaped.md": event_file("2025-01-03", "Tags <b>bold</b> & more", quote="a clash",
                                        source="other", body="First <para> & so on.\n\nSecond paragraph."),
        "people/kim.yaml": "name: Kim Söng-il\nrole: reporter\ndescription: Reporter.\n",
        **source_files("other", "2025-01", OTHER_TEXT,
                       "headline: Headline of the other article\npublisher: null\n"
                       "publisher_note: Not printed.\nauthors: [Kim Söng-il, Jane Roe]\n"
                       "url: https://example.org/a?x=1&y=2\n"),
        **source_files("open", "../2025-03-10", "An open-dated text.\n", "publisher: Open Wire\n"),
        **source_files("range", "2024-12-16/2025-03-10", "A range-dated text.\n", "publisher: Range Post\n"),
        **source_files("month", "2024-12", "A month-dated text.\n", "publisher: Month Times\n"),
    }
    return check(make_content(overrides))


def _json(files: dict, path: str):
    text = files[path].decode("utf-8")
    assert text.endswith("\n") and not text.endswith("\n\n")
    return json.loads(text)


# ------------------------------------------------------------------ data/chronology.json

def test_chronology_json_holds_every_record_with_located_citations(graph):
    data = _json(export.files(graph), "data/chronology.json")
    assert data["format_version"] == 1
    assert data["chronology"]["title"] == "Test chronology"
    records = data["records"]
    assert [e["id"] for e in records["events"]] == graph.timeline == data["timeline"]
    assert {s["id"] for s in records["sources"]} == set(graph.entries["sources"]) == {"art", "other", "open", "range", "month"}
    for kind in graph.entries:
        assert sorted(r["id"] for r in records[kind]) == sorted(graph.entries[kind])
        for record in records[kind]:
            assert record["page"] == urls.page(kind, record["id"])
    sources = {s["id"]: s for s in records["sources"]}
    for sid, source in sources.items():
        assert hashlib.sha256(source["article_text"].encode()).hexdigest() == source["sha256"]
    cited = 0
    for event in records["events"]:
        assert event["summary"] == graph.entries["events"][event["id"]].body
        for citation in event["citations"]:
            text = sources[citation["source"]]["article_text"]
            span = citation["span"]
            exact = text[span["start"]:span["end"]]
            assert exact == citation["exact"]
            assert normalise(exact) == normalise(citation["quote"])
            assert span["first_line"] == text.count("\n", 0, span["start"]) + 1
            assert span["last_line"] == text.count("\n", 0, span["end"] - 1) + 1
            assert citation["link"].startswith(f"sources/{citation['source']}.html#q-events-{event['id']}-")
            cited += 1
    assert cited == len(records["events"])


def test_chronology_json_dates_have_words_and_open_bounds_as_null(graph):
    events = {e["id"]: e for e in _json(export.files(graph), "data/chronology.json")["records"]["events"]}
    assert events["losses"]["when"] == {"edtf": "2024-12-14", "words": "14 December 2024",
                                        "lower": "2024-12-14", "upper": "2024-12-14"}
    assert events["month"]["when"]["lower"] == "2024-12-01" and events["month"]["when"]["upper"] == "2024-12-31"
    assert events["before"]["when"]["lower"] is None and events["before"]["when"]["upper"] == "2024-12-17"
    assert events["after"]["when"]["upper"] is None
    assert events["about"]["when"]["words"] == "about December 2024"
    people = _json(export.files(graph), "data/chronology.json")["records"]["people"]
    assert "when" not in people[0]


def test_shipped_content_exports():
    try:
        graph = check(ROOT / "content")
    except ContentErrors:
        pytest.skip("shipped content is mid-edit and does not check")
    out = export.files(graph)
    data = _json(out, "data/chronology.json")
    assert len(data["records"]["events"]) == len(graph.entries["events"])
    assert len(_json(out, "data/sources.csl.json")) == len(graph.entries["sources"])
    placed = _json(out, "data/timelinejs.json")["events"]
    assert {e["unique_id"] for e in placed} <= set(graph.entries["events"])
    for kind in ("events", "statements", "figures", "discrepancies"):
        for record in data["records"][kind]:
            for item in record.get("renderings" if kind == "statements" else "citations", []):
                text = graph.content.texts[item["source"]]
                assert text[item["span"]["start"]:item["span"]["end"]] == item["exact"]
                assert normalise(item["exact"]) == normalise(item["quote"])
    feed = ET.fromstring(feeds.files(graph, None, ["index.html"])["feed.xml"])
    assert len(feed.findall(f"{ATOM}entry")) == len(graph.entries["events"])


# ------------------------------------------------------------------ data/sources.csl.json

def _check_csl_shape(items):
    assert isinstance(items, list)
    for item in items:
        assert set(item) <= CSL_ITEM_KEYS, set(item) - CSL_ITEM_KEYS
        assert isinstance(item["id"], str) and item["type"] == "article-newspaper"
        for name in item.get("author", []):
            assert set(name) <= CSL_NAME_KEYS
        for key in ("title", "container-title", "URL", "language", "note"):
            assert isinstance(item.get(key, ""), str)
        date = item["issued"]
        assert set(date) <= CSL_DATE_KEYS
        if "date-parts" in date:
            assert 1 <= len(date["date-parts"]) <= 2
            assert all(1 <= len(p) <= 3 and all(isinstance(n, int) for n in p) for p in date["date-parts"])
        else:
            assert isinstance(date["literal"], str)


def test_csl_json_sources(graph):
    items = _json(export.files(graph), "data/sources.csl.json")
    _check_csl_shape(items)
    by_id = {item["id"]: item for item in items}
    assert [item["id"] for item in items] == sorted(by_id)
    assert by_id["art"]["issued"] == {"date-parts": [[2024, 12, 17]]}
    assert by_id["art"]["container-title"] == "Test Daily" and by_id["art"]["title"] == "Test article"
    assert by_id["month"]["issued"] == {"date-parts": [[2024, 12]]}
    assert by_id["range"]["issued"] == {"date-parts": [[2024, 12, 16], [2025, 3, 10]]}
    assert by_id["open"]["issued"] == {"literal": "on or before 10 March 2025", "raw": "../2025-03-10"}
    other = by_id["other"]
    assert other["title"] == "Headline of the other article"  # the headline, not the site title
    assert other["author"] == [{"literal": "Kim Söng-il"}, {"literal": "Jane Roe"}]
    assert "container-title" not in other
    assert other["URL"] == "https://example.org/a?x=1&y=2"
    assert "Publisher: Not printed." in other["note"] and "Derived from the text." in other["note"]
    assert other["language"] == "en"
    assert "Kim Söng-il" in export.files(graph)["data/sources.csl.json"].decode("utf-8")  # ensure_ascii=False


def test_csl_dates_keep_qualifiers():
    from chronicle import dates
    assert export.csl_date(dates.parse("2024-12~")) == {"date-parts": [[2024, 12]], "circa": True}
    assert export.csl_date(dates.parse("2024-12-XX")) == {"date-parts": [[2024, 12]]}
    assert export.csl_date(dates.parse("2024")) == {"date-parts": [[2024]]}
    assert export.csl_date(dates.parse("2024-21")) == {"date-parts": [[2024]], "season": 1}
    assert export.csl_date(dates.parse("2024-12-26/..")) == {"literal": "on or after 26 December 2024",
                                                            "raw": "2024-12-26/.."}


# ------------------------------------------------------------------ data/timelinejs.json

def test_timelinejs_structure(graph):
    data = _json(export.files(graph), "data/timelinejs.json")
    assert data["title"]["text"]["headline"] == "Test chronology"
    slides = {s["unique_id"]: s for s in data["events"]}
    assert [s["unique_id"] for s in data["events"]] == graph.timeline
    for slide in data["events"]:
        assert isinstance(slide["start_date"]["year"], int)
        assert set(slide["start_date"]) <= {"year", "month", "day"}
        assert slide["text"]["headline"] and slide["display_date"]
    assert slides["losses"]["start_date"] == {"year": 2024, "month": 12, "day": 14}
    assert slides["month"]["start_date"] == {"year": 2024, "month": 12}
    assert "end_date" not in slides["month"] and "end_date" not in slides["losses"]
    assert slides["about"]["start_date"] == {"year": 2024, "month": 12}
    assert slides["about"]["display_date"] == "about December 2024"
    assert slides["uncertain-day"]["display_date"] == "15 December 2024 (uncertain)"
    assert slides["between"]["start_date"] == {"year": 2024, "month": 12, "day": 26}
    assert slides["between"]["end_date"] == {"year": 2025, "month": 1, "day": 11}
    assert slides["between"]["display_date"].startswith("between ")
    assert slides["between-months"]["end_date"] == {"year": 2025, "month": 1}
    assert slides["between-months"]["display_date"] == "between about December 2024 and about January 2025"
    assert slides["before"]["start_date"] == {"year": 2024, "month": 12, "day": 17}
    assert "end_date" not in slides["before"]
    assert slides["before"]["display_date"] == "on or before 17 December 2024"
    assert slides["after"]["start_date"] == {"year": 2024, "month": 12, "day": 26}
    assert slides["after"]["display_date"] == "on or after 26 December 2024"
    assert slides["month"]["group"] == "Prisoners & POWs"  # the first tag's name
    assert slides["losses"]["group"] == "Casualties"
    assert "group" not in slides["about"]
    escaped = slides["escaped"]["text"]
    assert escaped["headline"] == "Tags &lt;b&gt;bold&lt;/b&gt; &amp; more"
    assert escaped["text"] == ("<p>First &lt;para&gt; &amp; so on.</p><p>Second paragraph.</p>"
                               "<p>Sources:</p><ul><li>Article other</li></ul>")


# ------------------------------------------------------------------ determinism

def test_exports_and_feeds_are_deterministic(graph):
    pages = ["index.html", "events/losses.html"]
    first = {**export.files(graph), **feeds.files(graph, "https://example.org/k", pages)}
    again = {**export.files(graph), **feeds.files(graph, "https://example.org/k", pages)}
    assert first == again
    rebuilt = check(Path("content"))  # the fixture's folder (the working folder is its project)
    assert first == {**export.files(rebuilt), **feeds.files(rebuilt, "https://example.org/k", pages)}
    today = datetime.date.today().isoformat()
    for path, text in first.items():
        assert today not in (text.decode("utf-8") if isinstance(text, bytes) else text), path


# ------------------------------------------------------------------ feed.xml

def test_atom_feed_without_base_url(graph):
    text = feeds.files(graph, None, ["index.html"])["feed.xml"]
    assert text.startswith('<?xml version="1.0" encoding="utf-8"?>\n')
    feed = ET.fromstring(text)
    assert feed.tag == f"{ATOM}feed"
    assert feed.findtext(f"{ATOM}title") == "Test chronology"
    assert feed.findtext(f"{ATOM}id").startswith("urn:uuid:")
    assert feed.findtext(f"{ATOM}author/{ATOM}name") == "Test chronology"
    # updated is the latest event upper bound (31 January 2025, of 'between-months'), never build time
    assert feed.findtext(f"{ATOM}updated") == "2025-01-31T00:00:00Z"
    entries = feed.findall(f"{ATOM}entry")
    assert len(entries) == len(graph.entries["events"])
    ids = []
    for entry in entries:
        for name in ("id", "title", "updated", "summary"):
            assert entry.findtext(f"{ATOM}{name}"), name
        assert re.fullmatch(r"\d{4}-\d{2}-\d{2}T00:00:00Z", entry.findtext(f"{ATOM}updated"))
        ids.append(entry.findtext(f"{ATOM}id"))
    assert len(set(ids)) == len(ids) and all(i.startswith("urn:uuid:") for i in ids)
    by_title = {e.findtext(f"{ATOM}title"): e for e in entries}
    assert by_title["Losses near Plekhovo"].find(f"{ATOM}link").get("href") == "events/losses.html"
    assert by_title["Tags <b>bold</b> & more"] is not None  # escaped in XML, intact once parsed
    assert "14 December 2024" in by_title["Losses near Plekhovo"].findtext(f"{ATOM}summary")
    assert [e.findtext(f"{ATOM}id") for e in entries] == [feeds.entry_id(eid, None) for eid in reversed(graph.timeline)]


def test_atom_feed_with_base_url(graph):
    feed = ET.fromstring(feeds.files(graph, "https://example.org/kursk", [])["feed.xml"])
    assert feed.findtext(f"{ATOM}id") == "https://example.org/kursk/feed.xml"
    links = {link.get("rel"): link.get("href") for link in feed.findall(f"{ATOM}link")}
    assert links == {"alternate": "https://example.org/kursk/index.html", "self": "https://example.org/kursk/feed.xml"}
    first = feed.find(f"{ATOM}entry")
    assert first.findtext(f"{ATOM}id") == "https://example.org/kursk/events/" + graph.timeline[-1] + ".html"
    assert first.find(f"{ATOM}link").get("href") == first.findtext(f"{ATOM}id")


def test_entry_ids_are_stable_across_builds():
    assert feeds.entry_id("losses", None) == feeds.entry_id("losses", None) != feeds.entry_id("other", None)
    assert feeds.entry_id("losses", None) == "urn:uuid:" + str(uuid.uuid5(uuid.NAMESPACE_URL,
                                                                           "chronicle:event:losses"))


# ------------------------------------------------------------------ sitemap.xml, robots.txt, .nojekyll

def test_sitemap_lists_every_page(graph):
    pages = ["index.html", "events/losses.html", "sources/art.html", "events/index.html", "index.html"]
    text = feeds.files(graph, "https://example.org/k/", pages)["sitemap.xml"]
    root = ET.fromstring(text)
    locs = [loc.text for loc in root.iter(f"{SITEMAP}loc")]
    assert locs == ["https://example.org/k/" + p for p in sorted(set(pages))]
    assert "<!--" not in text
    relative = feeds.files(graph, None, pages)["sitemap.xml"]
    assert "<!--" in relative and "base URL" in relative
    assert [loc.text for loc in ET.fromstring(relative).iter(f"{SITEMAP}loc")] == sorted(set(pages))


def test_robots_and_nojekyll(graph):
    with_base = feeds.files(graph, "https://example.org/k", [])
    assert with_base["robots.txt"] == "User-agent: *\nAllow: /\nSitemap: https://example.org/k/sitemap.xml\n"
    without = feeds.files(graph, None, [])
    assert "Sitemap" not in without["robots.txt"] and "User-agent: *" in without["robots.txt"]
    assert with_base[".nojekyll"] == without[".nojekyll"] == ""


def test_base_url_normalised_and_checked(graph):
    assert feeds.normalise_base("https://example.org/k") == "https://example.org/k/"
    assert feeds.normalise_base("https://example.org/k/") == "https://example.org/k/"
    assert feeds.normalise_base(None) is None and feeds.normalise_base("") is None
    with pytest.raises(ValueError):
        feeds.normalise_base("example.org/k")
    assert feeds.base_url_of(graph) is None
    assert feeds.base_url_of(graph, "http://x.test") == "http://x.test/"


def test_output_paths_are_safe_for_the_writer(graph):
    from chronicle.write import check_paths
    check_paths({**export.files(graph), **feeds.files(graph, None, ["index.html"])})


json_values = st.recursive(
    st.none() | st.booleans() | st.integers(-2**63, 2**63 - 1) | st.text()
    | st.floats(allow_nan=False, allow_infinity=False),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=30)


@settings(max_examples=300, deadline=None)
@given(json_values, st.integers(0, 4))
def test_exports_read_back_as_what_was_written(value, levels):
    text = export.dump(value, levels).decode("utf-8")
    assert text.endswith("\n") and json.loads(text) == value


def test_exports_indent_the_outer_levels_and_put_one_record_per_line():
    data = {"format_version": 1, "records": {"events": [{"id": "a", "tags": ["x", "ü"]}, {"id": "b", "n": 2.5}],
                                             "tags": []}}
    assert export.dump(data, levels=3).decode("utf-8") == (
        '{\n'
        '  "format_version": 1,\n'
        '  "records": {\n'
        '    "events": [\n'
        '      {"id":"a","tags":["x","ü"]},\n'
        '      {"id":"b","n":2.5}\n'
        '    ],\n'
        '    "tags": []\n'
        '  }\n'
        '}\n')
    assert export.dump([{"id": 1}, {2: "two"}], levels=1) == b'[\n  {"id":1},\n  {"2":"two"}\n]\n'
