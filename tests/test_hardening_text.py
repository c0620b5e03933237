"""Issue 22: characters XML and HTML forbid (refused in content files with their line and name, shown
as U+FFFD from source texts, which are evidence), and quotes running from the article into page chrome."""
from __future__ import annotations

import json
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest
from browser import VNU, require
from conftest import SOURCE_TEXT, base_files, problems_of, sha, write_tree
from hypothesis import HealthCheck, given, settings, strategies as st

from chronicle import characters, pipeline
from chronicle.incremental import Preview
from chronicle.problems import Problem
from chronicle.read import decode

EVENT = base_files()["events/losses.md"]
FORBIDDEN = ([chr(c) for c in range(0x20) if chr(c) not in "\t\n\r"] + [chr(c) for c in range(0x7F, 0xA0)]
             + ["\ufdd0", "\ufdef", "\ufffe", "\uffff", "\U0001fffe", "\U0010ffff"])
SAYS = "which web pages and feeds may not hold"
DELETE_IT = "(delete it; tabs and line breaks are the only control characters content may hold)"


# ------------------------------------------------------------------ decode: every content file

@pytest.mark.parametrize("c", FORBIDDEN, ids=lambda c: f"U+{ord(c):04X}")
def test_each_forbidden_character_is_a_problem_on_its_line(c):
    text, problems = decode(f"a\nb{c}c\n".encode("utf-8"), "f.md")
    assert text == "a\nb\ufffdc\n"  # one for one: the file's other problems keep their lines and columns
    assert problems == [Problem("f.md", 2, f"invisible character {characters.named(c)}, {SAYS}", DELETE_IT[1:-1])]


@pytest.mark.parametrize("c, name", [("\x00", "U+0000 NULL"), ("\x07", "U+0007 BELL"), ("\x1b", "U+001B ESCAPE"),
                                     ("\x1f", "U+001F INFORMATION SEPARATOR ONE"), ("\x7f", "U+007F DELETE"),
                                     ("\x85", "U+0085 NEXT LINE"), ("\x9f", "U+009F APPLICATION PROGRAM COMMAND"),
                                     ("\ufffe", "U+FFFE (a noncharacter)"), ("\ud800", "U+D800 (a lone surrogate)")])
def test_characters_are_named(c, name):
    assert characters.named(c) == name


def test_the_fast_check_agrees_with_the_pattern_on_every_character():
    """characters.clean looks in UTF-8 bytes; FORBIDDEN is the rule. Every character below U+10000
    (surrogates too) and the first and last of every plane above, alone and among others."""
    chars = [*range(0x10000), *(p * 0x10000 + i for p in range(1, 17) for i in (*range(16), *range(0xFFF0, 0x10000)))]
    for c in map(chr, chars):
        for text in (c, f"a{c}b", f"“{c}é", f"\U0001f642{c}"):
            assert characters.clean(text) == (not characters.FORBIDDEN.search(text)), hex(ord(c))


def test_tab_line_breaks_and_other_characters_are_kept():
    text = "\ufeffa\tb\r\nc\u2028d\ufeffe\ufffd\U0001f642\U0010fffd\n"
    assert decode(text.encode(), "f") == (text[1:], [])


def test_one_problem_per_line_naming_its_characters_once():
    assert [str(p) for p in decode("ok\na\x00\x00\x07 b\x01\x02\x03\x04\n\x07\n".encode(), "f")[1]] == [
        f"f:2: invisible characters U+0000 NULL, U+0007 BELL, U+0001 START OF HEADING and 3 more, {SAYS} "
        "(delete them; tabs and line breaks are the only control characters content may hold)",
        f"f:3: invisible character U+0007 BELL, {SAYS} {DELETE_IT}",
    ]


def test_a_surrogate_cannot_be_written_in_utf8():
    assert [str(p) for p in decode("a\n\ud800".encode("utf-8", "surrogatepass"), "f")[1]] == [
        "f:2: file is not valid UTF-8 (byte 0xed) (save it as UTF-8)"]


def test_source_texts_are_not_refused():
    assert decode(b"a\x00b\x07", "t.txt", evidence=True) == ("a\x00b\x07", [])


# ------------------------------------------------------------------ the build: messages as printed

def test_control_characters_in_every_kind_of_content_file(make_content):
    root = make_content({
        "events/losses.md": EVENT.replace("title: Losses", "title: Lo\x07sses").replace("A summary.", "A sum\x00mary."),
        "people/john-kirby.yaml": 'name: "John\\x1b Kirby"\naliases: [Kirby]\nrole: spokesman\ndescription: A spo\x85kesman.\n',
        "chronology.yaml": "title: Test\x0cchronology\ndescription: A test.\nlanguage: en\n",
        "tags/casualties.yaml": "name: Casualties\ndescription: Losses.\ncolour: red\x7f\n",
    })
    assert problems_of(root) == [
        f"content/chronology.yaml:1: invisible character U+000C FORM FEED, {SAYS} {DELETE_IT}",
        f"content/events/losses.md:3: invisible character U+0007 BELL, {SAYS} {DELETE_IT}",
        f"content/events/losses.md:10: invisible character U+0000 NULL, {SAYS} {DELETE_IT}",
        f"content/people/john-kirby.yaml:1: a '\\' escape in this value makes the invisible character U+001B ESCAPE, "
        f"{SAYS} (remove the escape)",
        f"content/people/john-kirby.yaml:4: invisible character U+0085 NEXT LINE, {SAYS} {DELETE_IT}",
        f"content/tags/casualties.yaml:3: invisible character U+007F DELETE, {SAYS} {DELETE_IT}",
        # collected with the file's other problems
        "content/tags/casualties.yaml:3: unknown field 'colour' (allowed fields: name, description)",
    ]


def test_crlf_content_files_still_build(make_content):
    root = make_content({name: text.replace("\n", "\r\n") for name, text in base_files().items()
                         if not name.endswith(".txt")})
    assert problems_of(root) == []


def test_the_preview_reports_them_too(make_content, tmp_path):
    root = make_content()
    preview = Preview(root, tmp_path / "preview")
    assert not preview.build().problems
    (root / "events/losses.md").write_text(EVENT.replace("A summary.", "A \x07summary."))
    report = preview.update([root / "events/losses.md"])
    assert [str(p) for p in report.problems] == [
        f"content/events/losses.md:10: invisible character U+0007 BELL, {SAYS} {DELETE_IT}"]


# ------------------------------------------------------------------ source texts: kept, shown valid

ODD = "".join(FORBIDDEN)
ODD_TEXT = SOURCE_TEXT + f"Odd bytes from the page: {ODD}, and a vertical\x0btab.\n"


def _odd_source(make_content) -> Path:
    art = base_files()["sources/art.yaml"].replace(sha(SOURCE_TEXT), sha(ODD_TEXT))
    return make_content({"sources/art.txt": ODD_TEXT, "sources/art.yaml": art})


@pytest.fixture
def odd_site(make_content, tmp_path) -> Path:
    root = _odd_source(make_content)
    pipeline.build(root, tmp_path / "site", index=False)
    return tmp_path / "site"


def test_a_source_text_with_forbidden_characters_builds_into_valid_xml_and_html(odd_site):
    for xml in odd_site.rglob("*.xml"):
        ET.parse(xml)
    for page in odd_site.rglob("*.html"):
        assert not characters.FORBIDDEN.search(page.read_text()), page
    assert f"Odd bytes from the page: {chr(0xFFFD) * len(ODD)}, and a vertical\ufffdtab." in \
        (odd_site / "sources/art.html").read_text()


def test_the_data_export_keeps_the_source_text_verbatim(odd_site):
    data = json.loads((odd_site / "data/chronology.json").read_text())
    [art] = [s for s in data["records"]["sources"] if s["id"] == "art"]
    assert art["article_text"] == ODD_TEXT and sha(art["article_text"]) == art["sha256"]


def test_the_source_page_is_valid_html(odd_site):
    require(VNU, "the Nu HTML Checker (vnu-jar)")
    result = subprocess.run(["java", "-jar", str(VNU), "--errors-only", "--format", "json",
                             str(odd_site / "sources/art.html")], capture_output=True, text=True)
    assert json.loads(result.stderr or '{"messages": []}')["messages"] == []


def test_a_quote_over_a_vertical_tab_is_not_found_as_a_space(make_content):
    root = _odd_source(make_content)
    (root / "events/losses.md").write_text(EVENT.replace("killed near Plekhovo", "a vertical tab"))
    [problem] = problems_of(root)
    assert problem.startswith("content/events/losses.md:8: quote not found in source 'art'")


# ------------------------------------------------------------------ quotes running into page chrome

CHROMED = SOURCE_TEXT + "See also another story\nThe end of the article.\n"  # line 8 is chrome


def _chromed(make_content, quote: str) -> list[str]:
    art = base_files()["sources/art.yaml"].replace(sha(SOURCE_TEXT), sha(CHROMED)) \
        + "  - lines: '8'\n    label: related link\n"
    return problems_of(make_content({"sources/art.txt": CHROMED, "sources/art.yaml": art,
                                     "events/losses.md": EVENT.replace("killed near Plekhovo", quote)}))


def test_a_quote_running_from_the_article_into_chrome(make_content):
    assert _chromed(make_content, "Kirby said it twice. See also another") == [
        "content/events/losses.md:8: quote runs from the article into page chrome of source 'art' "
        "(lines 8: related link); its article part ends at line 7 with \"Kirby said it twice.\" "
        "(end the quote there; chrome is not evidence)"]


def test_a_quote_running_over_chrome_into_the_article_again(make_content):
    assert _chromed(make_content, "were “expendable.” Kirby said it twice. See also another story The end") == [
        "content/events/losses.md:8: quote runs from the article into page chrome of source 'art' "
        "(lines 8: related link); its article part ends at line 7 with \"were “expendable.” Kirby said it twice.\" "
        "(end the quote there; chrome is not evidence)"]


def test_a_quote_running_from_chrome_into_the_article(make_content):
    assert _chromed(make_content, "Los Angeles The DIU said that") == [
        "content/events/losses.md:8: quote runs from page chrome of source 'art' (lines 1-2: weather line) "
        "into the article; its article part starts at line 4 with \"The DIU said that\" "
        "(start the quote there; chrome is not evidence)"]


def test_a_quote_touching_two_chrome_ranges_names_both(make_content):
    text = "See a story\nThe article.\nSee another\n"
    art = (base_files()["sources/art.yaml"].replace(sha(SOURCE_TEXT), sha(text)).replace("1-2", "'1'")
           + "  - lines: '3'\n    label: related link\n")
    root = make_content({"sources/art.txt": text, "sources/art.yaml": art,
                         "events/losses.md": EVENT.replace("killed near Plekhovo", "a story The article. See")})
    assert problems_of(root) == [
        "content/events/losses.md:8: quote runs from page chrome of source 'art' (lines 1: weather line; "
        "lines 3: related link) into the article; its article part starts at line 2 with \"The article.\" "
        "(start the quote there; chrome is not evidence)"]


def test_a_quote_wholly_in_chrome_keeps_its_message(make_content):
    assert _chromed(make_content, "See also another story") == [
        "content/events/losses.md:8: quote falls in page chrome of source 'art' (lines 8: related link), "
        "not in the article (cite the article itself; chrome is not evidence)"]


# ------------------------------------------------------------------ any characters at all

ANY = st.text(st.sampled_from(FORBIDDEN + ["\ud800", "\udfff"]) | st.characters(codec="utf-8")
              | st.sampled_from("ab \t\n\r\u2028"), max_size=8)


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(title=ANY, summary=ANY, source=ANY)
def test_any_characters_are_refused_on_their_line_or_build_valid_xml(make_content, tmp_path_factory,
                                                                    title, summary, source):
    """A title (double-quoted: JSON's escapes make the C0 controls), a summary and a source text of any
    characters: the check names each line holding a forbidden one, or every XML file parses and no
    page holds one. Surrogates cannot be written in UTF-8: a file holding their bytes is not UTF-8."""
    event = EVENT.replace("title: Losses near Plekhovo", "title: " + json.dumps("T" + title, ensure_ascii=False)) \
        .replace("A summary.", "A summary." + summary)
    text = (SOURCE_TEXT + source + "\n").encode("utf-8", "surrogatepass")
    art = base_files()["sources/art.yaml"].replace(sha(SOURCE_TEXT), sha(text))
    root = make_content({"events/losses.md": event.encode("utf-8", "surrogatepass"),
                         "sources/art.txt": text, "sources/art.yaml": art})
    problems = problems_of(root)
    surrogate = re.compile("[\ud800-\udfff]")
    if surrogate.search(event) or surrogate.search(source):
        assert any(p.endswith(": file is not valid UTF-8 (byte 0xed) (save it as UTF-8)") for p in problems), problems
        return
    lines = {line for line, _ in characters.problem_lines(event)}
    lines |= {3} if characters.FORBIDDEN.search(title) else set()
    assert {int(p.split(":")[1]) for p in problems} == lines, problems
    assert all("invisible character" in p for p in problems), problems
    if problems:
        return
    site = tmp_path_factory.mktemp("site") / "out"
    pipeline.build(root, site, index=False)
    for xml in site.rglob("*.xml"):
        ET.parse(xml)
    for page in site.rglob("*.html"):
        assert not characters.FORBIDDEN.search(page.read_text()), page
