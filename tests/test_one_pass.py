"""Every problem in one pass: a file with a schema error still has its references and quotes checked,
and every file's problems are reported in the same run; the broken record never enters the graph."""
from __future__ import annotations

import shutil

from conftest import ROOT, SOURCE_TEXT, base_files, problems_of, run_build, sha

from chronicle import parallel
from chronicle.incremental import Preview
from chronicle.link import link
from chronicle.load import load

EVENT = base_files()["events/losses.md"]
SOURCE = base_files()["sources/art.yaml"]


def test_an_event_with_a_bad_date_an_unknown_tag_and_a_mistyped_quote_gives_all_three(make_content):
    root = make_content({"events/losses.md": EVENT.replace("date: 2024-12-14", "date: 13/11/2024")
                         .replace("tags: [casualties]", "tags: [casualty]")
                         .replace("killed near Plekhovo", "killed close to Plekhovo")})
    assert problems_of(root) == [
        "content/events/losses.md:2: 'date': '13/11/2024' is not a valid EDTF date: write it as 2024-11-13 "
        "(year-month-day)",
        "content/events/losses.md:5: unknown tag 'casualty' in tags (did you mean 'casualties'?)",
        "content/events/losses.md:8: quote not found in source 'art': \"killed close to Plekhovo\" (closest "
        "passage, line 4 (71% similar): \"were killed near Plekhovo. Kirby\"; words to change: -close to +near)",
    ]
    content = load(root)
    graph = link(content)
    assert "losses" not in graph.entries["events"] and "losses" in content.broken["events"]
    assert graph.located == [] and graph.quotes_by_owner == {}  # its quotes were located, not kept


def test_a_statement_with_a_schema_error_has_its_speaker_tags_and_renderings_checked(make_content):
    root = make_content({"statements/s.yaml": (
        "speaker: jon-kirby\nform: shouted\ndate: 2024-12-XX\ntags: [casualty]\n"
        "renderings:\n  - source: art\n    quote: the troops were expendabel\n")})
    assert problems_of(root) == [
        "content/statements/s.yaml:1: unknown person or organisation 'jon-kirby' in speaker "
        "(did you mean 'john-kirby'?)",
        "content/statements/s.yaml:2: 'form' has the value 'shouted', which is not allowed "
        "(expected 'spoken' or 'written')",
        "content/statements/s.yaml:4: unknown tag 'casualty' in tags (did you mean 'casualties'?)",
        "content/statements/s.yaml:7: quote not found in source 'art': \"the troops were expendabel\" (closest "
        "passage, line 6 (96% similar): \"the troops were \"expendable.\"\"; words to change: -expendabel "
        "+\"expendable)",
    ]


def test_a_figure_with_a_bad_as_of_has_its_claimant_and_quote_checked(make_content):
    root = make_content({"figures/f.yaml": (
        "claimant: dui\nsubject: North Korean soldiers\ncounted: killed-or-wounded\nvalue: 30\n"
        "qualifier: at-least\nas_of: 14.12.2024\ncitations:\n  - source: art\n    quote: at least 31\n")})
    assert problems_of(root) == [
        "content/figures/f.yaml:1: unknown person or organisation 'dui' in claimant (did you mean 'diu'?)",
        "content/figures/f.yaml:6: 'as_of': '14.12.2024' is not a valid EDTF date: write it as 2024-12-14 "
        "(year-month-day)",
        "content/figures/f.yaml:9: quote not found in source 'art': \"at least 31\" (closest passage, line 4 "
        "(91% similar): \"\"at least 30\"; words to change: -31 +30)",
    ]


def test_quotes_citing_a_source_with_a_schema_error_are_still_checked(make_content):
    root = make_content({
        "sources/art.yaml": SOURCE.replace("title: Test article\n", ""),
        "events/losses.md": EVENT.replace("killed near Plekhovo", "killed close to Plekhovo"),
    })
    assert problems_of(root) == [
        "content/events/losses.md:8: quote not found in source 'art': \"killed close to Plekhovo\" (closest "
        "passage, line 4 (71% similar): \"were killed near Plekhovo. Kirby\"; words to change: -close to +near)",
        "content/sources/art.yaml:1: missing required field 'title' (how the site names the source: its "
        "headline, or a short description in square brackets when the text carries none)",
    ]


def test_a_source_with_a_schema_error_and_a_changed_text_says_both(make_content):
    changed = SOURCE_TEXT.replace("30", "40")
    root = make_content({"sources/art.yaml": SOURCE.replace("language: en\n", ""), "sources/art.txt": changed})
    problems = problems_of(root)
    assert [p.split(" (")[0] for p in problems] == [
        "content/sources/art.yaml:1: missing required field 'language'",
        f"content/sources/art.yaml:2: 'art.txt' has changed, or its recorded sha256 is wrong: the file's "
        f"SHA-256 is {sha(changed)}"]


def test_a_source_with_a_schema_error_and_an_unreadable_text_reports_it(make_content):
    text = "57 F\nCaf\xe9\nkilled near Plekhovo\n".encode("latin-1")
    root = make_content({"sources/art.yaml": SOURCE.replace(f"sha256: {sha(SOURCE_TEXT)}\n", "")
                         .replace("title: Test article\n", "title: Test article\nsha256: 0000\n"),
                         "sources/art.txt": text})
    assert problems_of(root) == [
        "content/sources/art.txt:2: file is not valid UTF-8 (byte 0xe9) (save it as UTF-8)",
        f"content/sources/art.yaml:3: 'sha256' should be text, but YAML read '0000' as a number "
        f"(write it as sha256: {sha(text)}, the SHA-256 of art.txt)",
    ]


def test_a_broken_source_naming_a_missing_text_says_so(make_content):
    root = make_content({"sources/art.yaml": SOURCE.replace("text: art.txt", "text: article.txt")
                         .replace("language: en\n", "")})
    assert problems_of(root) == [
        "content/sources/art.yaml:1: missing required field 'language' (language of the text, e.g. 'en')",
        "content/sources/art.yaml:1: text file 'article.txt' not found (did you mean 'art.txt'?)",
    ]


def test_an_event_with_a_schema_error_and_no_summary_says_both(make_content):
    root = make_content({"events/losses.md": EVENT.replace("title:", "titel:").replace("A summary.\n", "")})
    assert problems_of(root) == [
        "content/events/losses.md:2: missing required field 'title' (a short neutral title)",
        "content/events/losses.md:3: unknown field 'titel' (did you mean 'title'?)",
        "content/events/losses.md:10: event has no summary "
        "(write a neutral summary in your own words below the front matter)",
    ]


def test_unreadable_references_and_citations_are_left_to_the_schema_check(make_content):
    root = make_content({"events/losses.md": EVENT.replace("tags: [casualties]", "tags: [Casualties, 7, zzz]")
                         .replace("source: art", "source: [art]")})
    assert problems_of(root) == [
        "content/events/losses.md:5: 'tags[0]' 'Casualties' is not an id (ids are lowercase letters and "
        "digits joined by hyphens, e.g. 'casualties')",
        "content/events/losses.md:5: 'tags[1]' should be text, but YAML read '7' as a number "
        "(put it in quotes: \"7\")",
        "content/events/losses.md:5: unknown tag 'zzz' in tags (add content/tags/zzz.yaml, or use an existing id)",
        "content/events/losses.md:7: 'citations[0].source' should be text, not a list",
    ]


def test_the_build_fails_and_writes_nothing(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    event = content / "events" / "akhmat-friendly-fire-incident.md"
    event.write_text(event.read_text().replace("date: 2024-10/2025-03-10", "date: 13/11/2024")
                     .replace("casualties, intelligence", "casualty, intelligence")
                     .replace("killing eight Chechen", "killing nine Chechen"))
    result = run_build("--content", content, "--out", tmp_path / "site", cwd=tmp_path)
    assert result.returncode == 1
    assert not (tmp_path / "site").exists()
    assert result.stderr.splitlines()[-1] == "3 problems in 1 file; nothing was written."
    assert [line.split(": ")[0] for line in result.stderr.splitlines()[:3]] == [
        "content/events/akhmat-friendly-fire-incident.md:2", "content/events/akhmat-friendly-fire-incident.md:10",
        "content/events/akhmat-friendly-fire-incident.md:13"]


def test_the_preview_shows_the_same_problems_as_a_full_check(tmp_path):
    content = tmp_path / "content"
    shutil.copytree(ROOT / "content", content)
    preview = Preview(content, tmp_path / "preview")
    assert not preview.build().problems
    event = content / "events" / "akhmat-friendly-fire-incident.md"
    event.write_text(event.read_text().replace("date: 2024-10/2025-03-10", "date: 13/11/2024")
                     .replace("casualties, intelligence", "casualty, intelligence")
                     .replace("killing eight Chechen", "killing nine Chechen"))
    report = preview.update([event])
    assert len(report.problems) == 3
    assert [str(p) for p in report.problems] == problems_of(content)


def test_a_broken_source_has_its_quote_exceptions_located(make_content):
    root = make_content({"sources/art.yaml": SOURCE.replace("language: en\n", "") +
                         "quote_exceptions:\n  - quote: expendible\n    reason: a scare quote\n"})
    assert problems_of(root) == [
        "content/sources/art.yaml:1: missing required field 'language' (language of the text, e.g. 'en')",
        "content/sources/art.yaml:10: quote not found in source 'art': \"expendible\" (closest passage, line 6 "
        "(90% similar): \"\"expendable.\"\"; words to change: -expendible +expendable)",
    ]


def test_two_reading_processes_report_the_same(make_content, monkeypatch):
    files = {"events/losses.md": EVENT.replace("date: 2024-12-14", "date: 13/11/2024")
             .replace("tags: [casualties]", "tags: [casualty]").replace("killed near Plekhovo", "killed close to Plekhovo"),
             "sources/art.yaml": SOURCE.replace("title: Test article\n", ""),
             **{f"tags/t{i}.yaml": "name: T\ndescription: D.\n" for i in range(250)}}  # batches for both
    one = problems_of(make_content(files))
    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "files", 0)
    monkeypatch.setitem(parallel.SECOND_PROCESS_FROM, "quotes", 0)
    assert problems_of(make_content(files)) == one
    assert len(one) == 4
