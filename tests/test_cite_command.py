"""`build.py cite "WORDS"`: each match printed as a citation that, pasted into a record, passes check."""
import re
import sys

import pytest
import yaml
from conftest import ROOT, base_files, problems_of, sha, write_tree

sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def cite(capsys, *args):
    """Return (exit code, stdout, stderr) of `build.py cite ARGS` run in this process."""
    code = build.main(["cite", *args, "--content", "content"])
    out, err = capsys.readouterr()
    return code, out, err


def pasted(content, snippet: str) -> list:
    """Return the problems of the content once `snippet` is the citations of its event."""
    event = content / "events" / "losses.md"
    text = event.read_text()
    event.write_text(re.sub(r"citations:\n(?:  .*\n)+", lambda _: "citations:\n" + snippet, text, count=1))
    return problems_of(content)


def test_a_unique_passage_is_printed_as_a_citation_with_its_line(make_content, capsys):
    make_content()
    code, out, err = cite(capsys, "killed near")
    assert code == 0, err
    assert out == ("  # content/sources/art.txt line 4\n"
                   "  - source: art\n"
                   '    quote: "killed near"\n'
                   "  # 1 match in 1 source\n")
    assert err == ""


def test_a_quote_is_lengthened_word_by_word_until_unique(make_content, capsys):
    content = make_content()
    code, out, _ = cite(capsys, "Kirby \t said")  # whitespace folded as the build does
    assert code == 0
    assert out == ("  # content/sources/art.txt line 6\n"
                   "  - source: art\n"
                   '    quote: "Kirby said the"\n'
                   "  # content/sources/art.txt line 7\n"
                   "  - source: art\n"
                   '    quote: "Kirby said it"\n'
                   "  # 2 matches in 1 source\n")
    assert pasted(content, out) == []


def test_case_matters_as_in_the_build(make_content, capsys):
    make_content()
    code, _, err = cite(capsys, "kirby said")
    assert code == 1
    assert 'not found verbatim in 1 source: "kirby said"' in err


def test_a_line_that_repeats_is_cited_with_its_occurrence(make_content, capsys):
    text = "Same line here.\nOther words.\nSame line here.\n"
    content = make_content({"sources/art.txt": text,
                            "sources/art.yaml": base_files()["sources/art.yaml"]
                            .replace(sha(base_files()["sources/art.txt"]), sha(text)).split("chrome:")[0]})
    code, out, _ = cite(capsys, "line")
    assert code == 0
    assert out == ("  # content/sources/art.txt line 1\n"
                   "  - source: art\n"
                   '    quote: "Same line here"\n'
                   "    occurrence: 1\n"
                   "  # content/sources/art.txt line 3\n"
                   "  - source: art\n"
                   '    quote: "Same line here"\n'
                   "    occurrence: 2\n"
                   "  # 2 matches in 1 source\n")
    assert pasted(content, out) == []


def test_typographic_quotes_and_yaml_specials_paste_and_pass_check(make_content, capsys):
    text = 'He said: “at least 30” — #1 of \\ all: "no" \'yes\'\nAnother line.\n'
    content = make_content({"sources/art.txt": text,
                            "sources/art.yaml": base_files()["sources/art.yaml"]
                            .replace(sha(base_files()["sources/art.txt"]), sha(text)).split("chrome:")[0]})
    code, out, _ = cite(capsys, '"at least 30" - #1 of \\ all: "no"')
    assert code == 0
    item = yaml.safe_load(out)
    assert item == [{"source": "art", "quote": '“at least 30” — #1 of \\ all: "no"'}]
    assert pasted(content, out) == []


def test_matches_in_page_chrome_are_skipped_and_said(make_content, capsys):
    make_content()
    code, out, err = cite(capsys, "Los Angeles")
    assert code == 1
    assert out == ""
    assert err == ("skipped: 1 match in the page chrome of source 'art' (line 2, in lines 1-2: weather line); "
                   "the build refuses quotes there\n"
                   'not found outside page chrome in 1 source: "Los Angeles"\n')


def test_nothing_found_prints_the_closest_passages_and_exits_1(make_content, capsys):
    make_content({"sources/other.txt": "Nothing about it here at all.\n",
                  "sources/other.yaml": "text: other.txt\nsha256: " + sha("Nothing about it here at all.\n")
                  + "\ntitle: Other\npublisher: P\ndate: 2024-12-18\nlanguage: en\n"})
    code, out, err = cite(capsys, "killed near Plekhova")
    assert code == 1
    assert out == ""
    lines = err.splitlines()
    assert lines[0] == 'not found verbatim in 2 sources: "killed near Plekhova"'
    assert lines[1] == "closest passages:"
    assert lines[2] == '  content/sources/art.txt line 4 (95% similar, source \'art\'): "were killed near Plekhovo."'
    assert len(lines) == 3  # other.txt's closest passage is far less similar: left out


def test_one_source_only(make_content, capsys):
    make_content({"sources/other.txt": "killed near it\n",
                  "sources/other.yaml": "text: other.txt\nsha256: " + sha("killed near it\n")
                  + "\ntitle: Other\npublisher: P\ndate: 2024-12-18\nlanguage: en\n"})
    code, out, _ = cite(capsys, "killed near")
    assert code == 0 and "- source: art" in out and "- source: other" in out
    code, out, _ = cite(capsys, "killed near", "--source", "other")
    assert code == 0
    assert out == ("  # content/sources/other.txt line 1\n"
                   "  - source: other\n"
                   '    quote: "killed near"\n'
                   "  # 1 match in 1 source\n")


@pytest.mark.parametrize("args, message", [
    (["   "], 'build.py cite: error: give the words to find, e.g. cite "killed near the village"\n'),
    (["killed", "--source", "arts"], "build.py cite: error: no source 'arts' (did you mean 'art'?)\n"),
])
def test_usage_errors_exit_2(make_content, capsys, args, message):
    make_content()
    code, out, err = cite(capsys, *args)
    assert (code, out, err) == (2, "", message)


def test_no_words_at_all_is_argparse_usage(make_content, capsys):
    make_content()
    assert build.main(["cite"]) == 2
    assert "the following arguments are required: WORDS" in capsys.readouterr().err


def test_content_with_problems_still_searches_what_could_be_read(make_content, capsys):
    make_content({"tags/casualties.yaml": "name: Casualties\n",
                  "sources/broken.yaml": "text: broken.txt\ntitle: Broken\n", "sources/broken.txt": "killed near x\n"})
    code, out, err = cite(capsys, "killed near")
    assert code == 0
    assert out.count("- source:") == 1 and "- source: art" in out
    assert "content/tags/casualties.yaml" not in err  # check's to list, not cite's
    assert "content/sources/broken.yaml:1: missing required field" in err  # why a text was not searched
    assert err.endswith("4 problems in 2 files (python build.py check lists them); the sources whose text could "
                        "be read were searched.\n")


def test_no_source_yet(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    write_tree(tmp_path / "content", {"chronology.yaml": "title: T\ndescription: D.\nlanguage: en\n"})
    code, out, err = cite(capsys, "anything")
    assert (code, out) == (1, "")
    assert err == "build.py cite: no source text to search: add a source first (python build.py import PATH)\n"


def test_a_named_source_whose_text_cannot_be_read(make_content, capsys):
    content = make_content()
    (content / "sources" / "art.txt").write_text("changed\n")
    code, out, err = cite(capsys, "killed near", "--source", "art")
    assert (code, out) == (1, "")
    assert err.splitlines()[-2:] == [
        "1 problem in 1 file (python build.py check lists them); the sources whose text could be read were searched.",
        "build.py cite: the text of source 'art' could not be read: see its problems above"]
    assert "content/sources/art.yaml:2: 'art.txt' has changed" in err
