"""Each kind of content error gives its exact message, with file:line and a hint."""
from __future__ import annotations

import pytest
from conftest import SOURCE_TEXT, base_files, problems_of, sha

EVENT = base_files()["events/losses.md"]


def event_with(old: str, new: str) -> dict:
    assert old in EVENT
    return {"events/losses.md": EVENT.replace(old, new)}


def test_base_content_is_valid(make_content):
    assert problems_of(make_content()) == []


def test_unknown_id_suggests_the_closest(make_content):
    root = make_content(event_with("places: [plekhovo]", "people: [john-kirbi]\nplaces: [plekhovo]"))
    assert problems_of(root) == [
        "content/events/losses.md:4: unknown person 'john-kirbi' in people (did you mean 'john-kirby'?)"
    ]


def test_unknown_id_suggests_through_aliases(make_content):
    root = make_content(event_with("places: [plekhovo]", "people: [kirby]\nplaces: [plekhovo]"))
    assert problems_of(root) == [
        "content/events/losses.md:4: unknown person 'kirby' in people (did you mean 'john-kirby'?)"
    ]


def test_unknown_tag_without_close_match(make_content):
    root = make_content(event_with("tags: [casualties]", "tags: [zzz]"))
    assert problems_of(root) == [
        "content/events/losses.md:5: unknown tag 'zzz' in tags "
        "(add content/tags/zzz.yaml, or use an existing id)"
    ]


def test_duplicate_yaml_key(make_content):
    root = make_content(event_with("title: Losses near Plekhovo\n",
                                   "title: Losses near Plekhovo\ntitle: Again\n"))
    assert problems_of(root) == [
        "content/events/losses.md:4: duplicate key 'title' (first at line 3) "
        "(YAML would silently keep only the last one; remove or merge one of them)"
    ]


def test_unquoted_no_where_text_is_expected(make_content):
    root = make_content(event_with("title: Losses near Plekhovo", "title: no"))
    assert problems_of(root) == [
        "content/events/losses.md:3: 'title' should be text, but YAML read 'no' as false "
        "(put it in quotes: title: \"no\")"
    ]


def test_missing_field(make_content):
    root = make_content(event_with("title: Losses near Plekhovo\n", ""))
    assert problems_of(root) == [
        "content/events/losses.md:2: missing required field 'title' (a short neutral title)"
    ]


def test_unknown_field_suggests_the_closest(make_content):
    root = make_content(event_with("places:", "place:"))
    assert problems_of(root) == [
        "content/events/losses.md:4: unknown field 'place' (did you mean 'places'?)"
    ]


def test_malformed_edtf(make_content):
    root = make_content(event_with("date: 2024-12-14", "date: 2024-14-12"))
    [problem] = problems_of(root)
    assert problem == ("content/events/losses.md:2: 'date': '2024-14-12' is not a valid EDTF date: "
                       "2024-14-12 is not a date in the calendar (check the month and day; use XX for an "
                       "unknown day or month)")


def test_unparseable_edtf_gives_examples(make_content):
    root = make_content(event_with("date: 2024-12-14", "date: mid-December"))
    [problem] = problems_of(root)
    assert problem.startswith("content/events/losses.md:2: 'date': 'mid-December' is not a valid EDTF date; "
                              "use for example 2024-12-14")


def test_not_utf8(make_content):
    root = make_content({"events/losses.md": EVENT.replace("A summary.", "Caf\xe9").encode("latin-1")})
    assert problems_of(root) == [
        "content/events/losses.md:10: file is not valid UTF-8 (byte 0xe9) (save it as UTF-8)"
    ]


def test_changed_source_text(make_content):
    root = make_content({"sources/art.txt": SOURCE_TEXT.replace("30", "40")})
    digest = sha(SOURCE_TEXT.replace("30", "40"))
    assert problems_of(root) == [
        f"content/sources/art.yaml:2: 'art.txt' has changed, or its recorded sha256 is wrong: the file's "
        f"SHA-256 is {digest} (source texts are evidence and must stay byte for byte as published: restore "
        f"the original; if the text is new, or deliberately a new version, record sha256: {digest})"]


def test_event_without_citation(make_content):
    root = make_content(event_with("citations:\n  - source: art\n    quote: killed near Plekhovo\n",
                                   "citations: []\n"))
    assert problems_of(root) == [
        "content/events/losses.md:6: 'citations' needs at least 1 item(s) (every claim needs a citation: "
        "add '- source: ID' and 'quote: ...' from that source)"
    ]


def test_event_without_summary(make_content):
    root = make_content(event_with("A summary.\n", ""))
    assert problems_of(root) == [
        "content/events/losses.md:10: event has no summary "
        "(write a neutral summary in your own words below the front matter)"
    ]


def test_quote_not_found_shows_closest_passage(make_content):
    root = make_content(event_with("killed near Plekhovo", "killed close to Plekhovo"))
    assert problems_of(root) == [
        "content/events/losses.md:8: quote not found in source 'art': \"killed close to Plekhovo\" "
        "(closest passage, line 4 (71% similar): \"were killed near Plekhovo. Kirby\"; "
        "words to change: -close to +near)"
    ]


def test_quote_matches_across_quote_dash_and_space_styles(make_content):
    root = make_content(event_with("killed near Plekhovo",
                                   "'\"at   least 30 North Korean soldiers\" were killed'"))
    assert problems_of(root) == []


def test_quote_case_must_match(make_content):
    root = make_content(event_with("killed near Plekhovo", "KILLED near Plekhovo"))
    [problem] = problems_of(root)
    assert "quote not found in source 'art'" in problem


def test_ambiguous_quote(make_content):
    root = make_content(event_with("killed near Plekhovo", "Kirby said"))
    assert problems_of(root) == [
        "content/events/losses.md:8: quote occurs 2 times in source 'art' (lines 6, 7) "
        "(lengthen the quote so it is unique, or add 'occurrence: N' to pick one)"
    ]


def test_occurrence_picks_one(make_content):
    root = make_content(event_with("quote: killed near Plekhovo", "quote: Kirby said\n    occurrence: 2"))
    assert problems_of(root) == []


def test_quote_in_page_chrome(make_content):
    root = make_content(event_with("killed near Plekhovo", "Los Angeles"))
    assert problems_of(root) == [
        "content/events/losses.md:8: quote falls in page chrome of source 'art' (lines 1-2: weather line), "
        "not in the article (cite the article itself; chrome is not evidence)"
    ]


def test_unknown_source(make_content):
    root = make_content(event_with("source: art", "source: arts"))
    assert problems_of(root) == [
        "content/events/losses.md:7: unknown source 'arts' (did you mean 'art'?)"
    ]


def test_duplicate_ids_in_subfolders(make_content):
    root = make_content({"events/2024/losses.md": EVENT})
    [problem] = problems_of(root)
    assert problem.startswith("content/events/losses.md: duplicate event id 'losses' (also content/events/2024/losses.md)")


def test_invalid_file_name(make_content):
    root = make_content({"events/Big Losses.md": EVENT})
    assert problems_of(root) == [
        "content/events/Big Losses.md: file name 'Big Losses.md' is not a valid id "
        "(ids are lowercase letters and digits joined by hyphens: rename it 'big-losses.md')"
    ]


def test_unexpected_folder(make_content):
    root = make_content({"evnts/x.md": EVENT})
    assert problems_of(root) == ["content/evnts: unexpected folder 'evnts' (did you mean 'events'?)"]


def test_invalid_yaml_syntax(make_content):
    root = make_content(event_with("tags: [casualties]", "tags: [casualties"))
    [problem] = problems_of(root)
    assert problem.startswith("content/events/losses.md:6: invalid YAML")


def test_missing_front_matter(make_content):
    root = make_content({"events/losses.md": "Just text.\n"})
    assert problems_of(root) == [
        "content/events/losses.md:1: missing front matter "
        "(start the file with a line '---', the YAML fields, then another '---')"
    ]


def test_source_without_date_note_for_an_interval(make_content):
    meta = base_files()["sources/art.yaml"].replace("date: 2024-12-17", "date: 2024-12-14/2025-01")
    [problem] = problems_of(make_content({"sources/art.yaml": meta}))
    assert problem == ("content/sources/art.yaml:1: date_note is required when the date is not one exact day: "
                       "say what the text allows and why")


FIGURE = ("claimant: diu\nsubject: North Korean soldiers\ncounted: killed-or-wounded\n"
          "value: 30\nqualifier: at-least\nas_of: 2024-12-14\n"
          "citations:\n  - source: art\n    quote: at least 30\n")


def test_valid_statement_and_figure(make_content):
    root = make_content({
        "statements/s.yaml": ("speaker: john-kirby\nform: spoken\ndate: 2024-12-XX\n"
                              "renderings:\n  - source: art\n    quote: “expendable.”\n"),
        "figures/f.yaml": FIGURE,
    })
    assert problems_of(root) == []


def test_statement_needs_a_speaker_or_attribution(make_content):
    root = make_content({"statements/s.yaml": ("form: spoken\ndate: 2024-12-XX\n"
                                               "renderings:\n  - source: art\n    quote: expendable\n")})
    assert problems_of(root) == [
        "content/statements/s.yaml:1: give a speaker id, or an attribution such as 'unattributed'"]


def test_figure_amount_forms(make_content):
    root = make_content({"figures/f.yaml": FIGURE.replace("value: 30\n", "value: 30\nvague: many\n")})
    assert problems_of(root) == [
        "content/figures/f.yaml:1: give exactly one of: value, low and high (a range), or vague"]


def test_figure_counted_suggests_the_allowed_value(make_content):
    root = make_content({"figures/f.yaml": FIGURE.replace("killed-or-wounded", "killed or wounded")})
    assert problems_of(root) == [
        "content/figures/f.yaml:3: 'counted' has the value 'killed or wounded', which is not allowed "
        "(did you mean 'killed-or-wounded'?)"]


def test_all_problems_are_collected(make_content):
    root = make_content({
        **event_with("tags: [casualties]", "tags: [casualty]"),
        "people/john-kirby.yaml": "name: John Kirby\nrole: x\n",
        "sources/art.txt": SOURCE_TEXT + "more\n",
    })
    problems = problems_of(root)
    assert [p.split(":")[0] for p in problems] == [
        "content/events/losses.md", "content/people/john-kirby.yaml", "content/sources/art.yaml"]


def test_person_and_organisation_share_an_id(make_content):
    root = make_content({"organisations/john-kirby.yaml": "name: X\nkind: y\ndescription: z\n"})
    [problem] = problems_of(root)
    assert problem.startswith("content/organisations/john-kirby.yaml: id 'john-kirby' is both a person and an organisation")


def test_sha_helper_matches_fixture():
    assert len(sha(SOURCE_TEXT)) == 64


def test_bare_year_is_a_date(make_content):
    assert problems_of(make_content(event_with("date: 2024-12-14", "date: 2024"))) == []


OTHER_TEXT = "Nothing here.\nKirby said it thrice and again.\n"


def test_quote_found_in_another_source_names_it(make_content):
    other = (base_files()["sources/art.yaml"].replace("art.txt", "other.txt").replace(sha(SOURCE_TEXT), sha(OTHER_TEXT))
             .split("chrome:")[0])
    root = make_content({"sources/other.txt": OTHER_TEXT, "sources/other.yaml": other,
                         **event_with("source: art\n    quote: killed near Plekhovo",
                                      "source: other\n    quote: Kirby said it twice")})
    assert problems_of(root) == [
        "content/events/losses.md:8: quote not found in source 'other': \"Kirby said it twice\" "
        "(it occurs verbatim in 'art' (line 7): did you mean source: art?)"
    ]


@pytest.mark.parametrize("written, hint", [
    ("13/11/2024", "write it as 2024-11-13 (year-month-day)"),
    ("13.11.2024", "write it as 2024-11-13 (year-month-day)"),
    ("11/13/2024", "write it as 2024-11-13 (year-month-day)"),
    ("13 November 2024", "write it as 2024-11-13 (year-month-day)"),
    ("November 13, 2024", "write it as 2024-11-13 (year-month-day)"),
    ("05/11/2024", "write 2024-11-05 if it is 5 November, or 2024-05-11 if it is 11 May "
                   "(day and month could be either way round; EDTF is year-month-day)"),
    ("Dec 2024", "write it as 2024-12 (year-month)"),
])
def test_a_date_written_another_way_gets_its_edtf_form(make_content, written, hint):
    root = make_content(event_with("date: 2024-12-14", f"date: {written}"))
    assert problems_of(root) == [f"content/events/losses.md:2: 'date': '{written}' is not a valid EDTF date: {hint}"]


def test_a_figure_as_of_written_another_way_gets_its_edtf_form(make_content):
    root = make_content({"figures/f.yaml": FIGURE.replace("as_of: 2024-12-14", "as_of: 14/12/2024")})
    assert problems_of(root) == [
        "content/figures/f.yaml:6: 'as_of': '14/12/2024' is not a valid EDTF date: write it as 2024-12-14 "
        "(year-month-day)"]


@pytest.mark.parametrize("field, hint", [
    ("person: [john-kirby]", "did you mean 'people'?"),
    ("persons: [john-kirby]", "did you mean 'people'?"),
    ("speaker: john-kirby", "did you mean 'people'?"),
    ("location: [plekhovo]", "did you mean 'places'?"),
    ("organization: [diu]", "did you mean 'organisations'?"),
    ("org: [diu]", "did you mean 'organisations'?"),
    ("tag: [casualties]", "did you mean 'tags'?"),
    ("sources: [art]", "did you mean 'citations'?"),
    ("summary: Losses.", "the summary goes below the closing `---`, in Markdown"),
    ("description: Losses.", "the summary goes below the closing `---`, in Markdown"),
    ("quote: killed near Plekhovo", "quotes go in citations: - source: ID, quote: ..."),
    ("tagz: [casualties]", "did you mean 'tags'?"),  # no meaning: the spelling
])
def test_an_unknown_field_close_in_meaning_names_the_field_meant(make_content, field, hint):
    root = make_content(event_with("title: Losses near Plekhovo\n", f"title: Losses near Plekhovo\n{field}\n"))
    name = field.split(":")[0]
    assert problems_of(root) == [f"content/events/losses.md:4: unknown field '{name}' ({hint})"]


def test_unknown_source_fields_close_in_meaning(make_content):
    meta = base_files()["sources/art.yaml"].replace(
        "date: 2024-12-17\n", "published: 2024-12-17\nlink: https://example.org/a\nauthor: A. Writer\n")
    assert problems_of(make_content({"sources/art.yaml": meta})) == [
        "content/sources/art.yaml:1: missing required field 'date' "
        "(publication date (EDTF); an interval when the text does not state it)",
        "content/sources/art.yaml:5: unknown field 'published' (did you mean 'date'?)",
        "content/sources/art.yaml:6: unknown field 'link' (did you mean 'url'?)",
        "content/sources/art.yaml:7: unknown field 'author' (did you mean 'authors'?)",
    ]


def test_statement_quote_field_says_where_quotes_go(make_content):
    root = make_content({"statements/s.yaml": "speaker: john-kirby\nform: spoken\ndate: 2024-12-XX\n"
                                              "quote: expendable\n"})
    assert problems_of(root) == [
        "content/statements/s.yaml:1: missing required field 'renderings' "
        "(the verbatim words as each source reports them)",
        "content/statements/s.yaml:4: unknown field 'quote' (quotes go in renderings: - source: ID, quote: ...)",
    ]


def test_a_new_source_without_sha256_is_given_the_hash(make_content):
    meta = base_files()["sources/art.yaml"].replace(f"sha256: {sha(SOURCE_TEXT)}\n", "")
    assert problems_of(make_content({"sources/art.yaml": meta})) == [
        f"content/sources/art.yaml:1: missing required field 'sha256' "
        f"(add this line: sha256: {sha(SOURCE_TEXT)}, the SHA-256 of art.txt)"]


def test_a_sha256_yaml_reads_as_a_number_is_given_the_hash(make_content):
    meta = base_files()["sources/art.yaml"].replace(f"sha256: {sha(SOURCE_TEXT)}", "sha256: 0000")
    assert problems_of(make_content({"sources/art.yaml": meta})) == [
        f"content/sources/art.yaml:2: 'sha256' should be text, but YAML read '0000' as a number "
        f"(write it as sha256: {sha(SOURCE_TEXT)}, the SHA-256 of art.txt)"]


def test_an_id_yaml_reads_as_a_number_is_to_be_quoted(make_content):
    assert problems_of(make_content(event_with("source: art", "source: 0000"))) == [
        "content/events/losses.md:7: 'citations[0].source' should be text, but YAML read '0000' as a number "
        "(put it in quotes: source: \"0000\")"]
    assert problems_of(make_content(event_with("places: [plekhovo]", "places: [plekhovo, 0000]"))) == [
        "content/events/losses.md:4: 'places[1]' should be text, but YAML read '0000' as a number "
        "(put it in quotes: \"0000\")"]
