"""Content files that try to leave the site, are huge, or come in another encoding: refused or handled."""
from __future__ import annotations

import json
import os
import resource
import time
import unicodedata

import pytest
from conftest import SOURCE_TEXT, base_files, problems_of, run_build, sha

from chronicle import pipeline, write
from chronicle.render import Site

EVENT = base_files()["events/losses.md"]
SOURCE_YAML = base_files()["sources/art.yaml"]
ID_HINT = "ids are lowercase letters and digits joined by hyphens"


def source_with(text: str | bytes, name: str = "art.txt") -> dict:
    """Return the files that replace the base source with `text`, its SHA-256 recorded."""
    return {"sources/art.txt": None, f"sources/{name}": text,
            "sources/art.yaml": SOURCE_YAML.replace(sha(SOURCE_TEXT), sha(text)).replace("text: art.txt", f"text: {name}")}


def event_quoting(quote: str, extra: str = "") -> dict:
    return {"events/losses.md": EVENT.replace("quote: killed near Plekhovo", f"quote: {json.dumps(quote, ensure_ascii=False)}")
            + extra}


# ---------------------------------------------------------------------- paths

@pytest.mark.parametrize("name, expected", [
    ("people/j\u043ehn-kirby.yaml",  # a Cyrillic о that looks like a Latin o
     "content/people/j\u043ehn-kirby.yaml: file name 'j\u043ehn-kirby.yaml' is not a valid id: it holds U+043E "
     f"CYRILLIC SMALL LETTER O ({ID_HINT}: rename it 'jhn-kirby.yaml')"),
    ("tags/evil\u202egpj.yaml",  # a right-to-left override: prints as 'eviljpg.yaml'
     "content/tags/evil\\u202egpj.yaml: file name 'evil\\u202egpj.yaml' is not a valid id: it holds U+202E "
     f"RIGHT-TO-LEFT OVERRIDE ({ID_HINT}: rename it 'evilgpj.yaml')"),
    ("tags/casu\u200balties.yaml",  # a zero-width space
     "content/tags/casu\\u200balties.yaml: file name 'casu\\u200balties.yaml' is not a valid id: it holds U+200B "
     f"ZERO WIDTH SPACE ({ID_HINT}: rename it 'casualties.yaml')"),
    ("tags/a\\..\\evil.yaml",
     f"content/tags/a\\..\\evil.yaml: file name 'a\\..\\evil.yaml' is not a valid id ({ID_HINT}: rename it "
     "'a-evil.yaml')"),
    ("tags/caf\u00e9.yaml",  # NFC
     "content/tags/caf\u00e9.yaml: file name 'caf\u00e9.yaml' is not a valid id: it holds U+00E9 LATIN SMALL "
     f"LETTER E WITH ACUTE ({ID_HINT}: rename it 'cafe.yaml')"),
    ("tags/cafe\u0301.yaml",  # NFD
     "content/tags/cafe\u0301.yaml: file name 'cafe\u0301.yaml' is not a valid id: it holds U+0301 COMBINING "
     f"ACUTE ACCENT ({ID_HINT}: rename it 'cafe.yaml')"),
])
def test_file_names_that_are_not_ids_are_refused(make_content, name, expected):
    root = make_content({name: "name: X\ndescription: x.\n"})
    assert problems_of(root) == [expected]


def test_ids_that_try_to_leave_the_site_are_refused(make_content):
    root = make_content({"events/losses.md": EVENT.replace(
        "places: [plekhovo]", 'places: [plekhovo]\npeople: ["../../etc/passwd", /etc/passwd, "a\\\\b", "a\\0b", '
                              '"j\u043ehn-kirby", "john-kirby\u200b"]')})
    assert problems_of(root) == [
        f"content/events/losses.md:5: 'people[0]' '../../etc/passwd' is not an id ({ID_HINT}, e.g. 'etc-passwd')",
        f"content/events/losses.md:5: 'people[1]' '/etc/passwd' is not an id ({ID_HINT}, e.g. 'etc-passwd')",
        f"content/events/losses.md:5: 'people[2]' 'a\\\\b' is not an id ({ID_HINT}, e.g. 'a-b')",
        f"content/events/losses.md:5: 'people[3]' 'a\\x00b' is not an id: it holds the control character U+0000 "
        f"({ID_HINT}, e.g. 'a-b')",
        f"content/events/losses.md:5: 'people[4]' 'j\u043ehn-kirby' is not an id: it holds U+043E CYRILLIC SMALL "
        f"LETTER O ({ID_HINT}, e.g. 'jhn-kirby')",
        f"content/events/losses.md:5: 'people[5]' 'john-kirby\\u200b' is not an id: it holds U+200B ZERO WIDTH "
        f"SPACE ({ID_HINT}, e.g. 'john-kirby')",
        "content/events/losses.md:5: a '\\' escape in this value makes the invisible character U+0000 NULL, "
        "which web pages and feeds may not hold (remove the escape)",
    ]


@pytest.mark.parametrize("name", ["../../etc/passwd", "/etc/passwd", "..\\\\art.txt"])
def test_text_file_outside_the_sources_folder_is_not_read(make_content, name):
    root = make_content({"sources/art.yaml": SOURCE_YAML.replace("text: art.txt", f'text: "{name}"')})
    shown = name.replace("\\\\", "\\")
    assert f"content/sources/art.yaml:1: text file '{shown}' not found" in "\n".join(problems_of(root))


def test_symbolic_links_leading_outside_are_refused(make_content, tmp_path):
    outside = tmp_path / "outside"
    (outside / "more").mkdir(parents=True)
    (outside / "secret.yaml").write_text("name: Secret\ndescription: x.\n")
    (outside / "more" / "x.yaml").write_text("name: X\ndescription: x.\n")
    root = make_content()
    (root / "tags" / "secret.yaml").symlink_to(outside / "secret.yaml")
    (root / "tags" / "more").symlink_to(outside / "more")
    (root / "tags" / "inside").symlink_to(root / "people")
    assert problems_of(root) == [
        "content/tags/inside: symbolic link to a folder is not followed "
        "(move the folder into content/ instead of linking to it)",
        "content/tags/more: symbolic link leads outside the content folder (copy the file into content/ instead)",
        "content/tags/secret.yaml: symbolic link leads outside the content folder (copy the file into content/ instead)",
    ]


def test_special_and_unreadable_files_are_reported(make_content, monkeypatch):
    from chronicle import files

    root = make_content()
    os.mkfifo(root / "tags" / "pipe.yaml")  # reading it would wait forever
    read = files._contents

    def refuse(path, size):  # tests run as root, whom file permissions do not stop
        if os.path.basename(path) == "plekhovo.yaml":
            raise PermissionError(13, "Permission denied", str(path))
        return read(path, size)

    monkeypatch.setattr(files, "_contents", refuse)  # the loader's files only
    assert problems_of(root) == [
        "content/places/plekhovo.yaml: cannot read the file: Permission denied (check that it exists and is readable)",
        "content/tags/pipe.yaml: not a regular file (content holds only files and folders)",
    ]


def test_two_records_with_one_output_path_are_an_error(make_content):
    root = make_content({"events/2024/losses.md": EVENT, "organisations/john-kirby.yaml": "name: K\nkind: k\ndescription: d.\n"})
    assert problems_of(root) == [
        "content/events/losses.md: duplicate event id 'losses' (also content/events/2024/losses.md) "
        "(ids are file names and must be unique within a kind: rename one)",
        "content/organisations/john-kirby.yaml: id 'john-kirby' is both a person and an organisation "
        "(speakers and claimants may be either, so rename one (also content/people/john-kirby.yaml))",
    ]


@pytest.mark.parametrize("path, expected", [
    ("../x.html", "refusing to write '../x.html': it is not a plain path inside the site"),
    ("/etc/x.html", "refusing to write '/etc/x.html': it is not a plain path inside the site"),
    ("a\\..\\x.html", "refusing to write 'a\\..\\x.html': it is not a plain path inside the site"),
    ("a/\0.html", "refusing to write 'a/\0.html': it is not a plain path inside the site"),
    ("a//x.html", "refusing to write 'a//x.html': it is not a plain path inside the site"),
    ("events/A.html", "refusing to write 'events/A.html' twice: the second write would replace the first "
                      "(a bug in the build: please report it)"),
])
def test_the_writer_refuses_paths_outside_the_site_or_twice(path, expected):
    with pytest.raises(write.UnsafePath) as err:
        write.check_paths({"events/a.html": "", path: ""})
    assert str(err.value) == expected


# ---------------------------------------------------------------------- sizes

def test_a_10_mb_source_text_builds_in_reasonable_time_and_memory(make_content, tmp_path):
    lines = [f"Paragraph {i}: the forces reported heavy fighting near the village while officials said troops "
             f"were moved under command after drone strikes hit positions." for i in range(80_000)]
    text = "57 F\nLos Angeles\n" + "\n".join(lines) + "\nThe end of the article.\n"
    assert len(text.encode()) > 10_000_000
    root = make_content({**source_with(text), **event_quoting("Paragraph 79999: the forces reported")})
    started = time.monotonic()
    result = run_build("--content", root, "--out", tmp_path / "site")
    assert result.returncode == 0, result.stderr
    assert time.monotonic() - started < 60
    assert resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss < 1_500_000  # KiB
    assert 'id="p80002"' in (tmp_path / "site" / "sources" / "art.html").read_text()


def test_a_quote_missing_from_a_10_mb_text_is_reported_quickly(make_content):
    lines = [f"Sentence {i} of the long article says something." for i in range(250_000)]
    text = "\n".join(lines) + "\n"
    quote = " ".join(lines[200_000:201_000]).replace("Sentence 200500 of", "Sentence 200500 off")
    root = make_content({**source_with(text), **event_quoting(quote)})
    started = time.monotonic()
    assert problems_of(root) == [
        "content/events/losses.md:8: quote not found in source 'art': \"Sentence 200000 of the long article says "
        "something. Sentence 200001 of the lo...\" (closest passage, line 200501 (99% similar): \"...article says "
        "something. Sentence 200500 of the long article says something. Sentence 200501 of the long article says "
        "something. Sentence 200502 of the long...\"; words to change: -off +of)"
    ]
    assert time.monotonic() - started < 20


def test_a_100000_character_quote_is_located_and_a_typo_in_it_found(make_content):
    words = [f"word{i}" for i in range(20_000)]
    long = " ".join(words)[:100_000].rsplit(" ", 1)[0]
    assert len(long) > 99_000
    text = "57 F\nLos Angeles\nIntro.\n" + long + "\nEnd.\n"
    started = time.monotonic()
    assert problems_of(make_content({**source_with(text), **event_quoting(long)})) == []
    typo = long.replace(" word10000 ", " wodr10000 ")
    assert typo != long
    assert problems_of(make_content({**source_with(text), **event_quoting(typo)})) == [
        "content/events/losses.md:8: quote not found in source 'art': \"word0 word1 word2 word3 word4 word5 word6 "
        "word7 word8 word9 word10 word11 wor...\" (closest passage, line 4 (99% similar): \"...word9995 word9996 "
        "word9997 word9998 word9999 word10000 word10001 word10002 word10003 word10004 word10005 word10006 "
        "word10007 word10008 word10009 word10010...\"; words to change: -wodr10000 +word10000)"
    ]
    assert time.monotonic() - started < 20


def test_5000_tags_on_one_event(make_content):
    tags = [f"tag-{i}" for i in range(5000)]
    files = {f"tags/{t}.yaml": f"name: Tag {t}\ndescription: A tag.\n" for t in tags}
    files["events/losses.md"] = EVENT.replace("tags: [casualties]", f"tags: [{', '.join(tags)}]")
    started = time.monotonic()
    graph = pipeline.check(make_content(files))
    pages = Site(graph).render()
    assert pages["events/losses.html"].count('href="../tags/tag-') == 5000
    assert time.monotonic() - started < 60


def test_files_too_big_are_refused_with_the_limit(make_content):
    root = make_content({"sources/art.txt": b"x" * 20_000_001,
                         "events/losses.md": EVENT + ("A long summary. " * 70_000)})
    assert problems_of(root) == [
        "content/events/losses.md: file is 1.1 MB, more than the 1 MB a content file may have "
        "(summaries are short; an article's text belongs in sources/ as a .txt file)",
        "content/sources/art.txt: file is 20.0 MB, more than the 20 MB a source text may have "
        "(one article; split a longer document into several sources)",
    ]


def test_yaml_aliases_are_refused(make_content):
    bomb = "a: &a [x, x, x, x, x, x, x, x, x]\n" + "".join(
        f"{k}: &{k} [{', '.join(['*' + p] * 9)}]\n" for p, k in zip("abcdefgh", "bcdefghi"))
    root = make_content({"tags/casualties.yaml": bomb + "name: C\ndescription: d.\n"})
    assert problems_of(root) == [
        "content/tags/casualties.yaml:2: YAML alias '*a' is not supported (write the value out in full where it is needed)"
    ]


@pytest.mark.parametrize("yaml, line", [
    ("name: " + "[" * 100_000, 1), ("name: " + "[" * 5000 + "]" * 5000, 1), ("name: " + "{a: " * 5000 + "1" + "}" * 5000, 1),
    ("name:\n" + "".join("  " * (i + 1) + f"k{i}:\n" for i in range(100)) + "  " * 101 + "x\n", 33),
    ("- " * 10_000 + "x\n", 1),
])
def test_deep_yaml_nesting_is_refused_not_a_crash(make_content, yaml, line):
    root = make_content({"tags/casualties.yaml": yaml})
    result = run_build("check", "--content", root)  # a crash here would be a segfault, so in its own process
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert f"content/tags/casualties.yaml:{line}: YAML nested more than 32 levels deep (content needs a few levels at " \
           "most, such as citations each with a source and a quote; check the brackets and indentation)" in result.stderr


# ---------------------------------------------------------------------- encodings

def test_a_source_text_not_in_utf8(make_content):
    text = SOURCE_TEXT.replace("Kirby said it twice.", "Kirby said it in Montreal.").encode().replace(
        b"Montreal", b"Montr\xe9al")  # the Latin-1 byte for é
    assert problems_of(make_content(source_with(text))) == [
        "content/sources/art.txt:7: file is not valid UTF-8 (byte 0xe9) (save it as UTF-8)"
    ]


def test_byte_order_marks_are_accepted(make_content):
    bom = "\ufeff"
    root = make_content({**source_with((bom + SOURCE_TEXT).encode()),
                         "events/losses.md": bom + EVENT,
                         "tags/casualties.yaml": bom + "name: Casualties\ndescription: Losses.\n",
                         "chronology.yaml": bom + base_files()["chronology.yaml"]})
    assert problems_of(root) == []
    graph = pipeline.check(root)
    assert graph.texts["art"].text.startswith("57 F")
    [quote] = graph.quotes_of("events", "losses")
    assert quote.span.first_line == 4
    (root / "events" / "losses.md").write_text(bom + EVENT.replace("places:", "place:"))
    assert problems_of(root) == ["content/events/losses.md:4: unknown field 'place' (did you mean 'places'?)"]


def test_crlf_line_endings(make_content, tmp_path):
    crlf = lambda text: text.replace("\n", "\r\n")  # noqa: E731
    text = crlf(SOURCE_TEXT + "The troops advanced\nacross the river.\n")
    root = make_content({**source_with(text.encode()), "events/losses.md": crlf(EVENT) + crlf("\nA second paragraph.\n"),
                         "people/john-kirby.yaml": crlf(base_files()["people/john-kirby.yaml"]),
                         **{"statements/crossing.yaml": crlf("attribution: unattributed\nform: written\ndate: 2024-12\n"
                                                               "renderings:\n  - source: art\n"
                                                               "    quote: The troops advanced across the river.\n")}})
    assert problems_of(root) == []
    graph = pipeline.check(root)
    [quote] = graph.quotes_of("statements", "crossing")
    assert (quote.span.first_line, quote.span.last_line) == (8, 9)
    assert graph.entries["events"]["losses"].body.replace("\r", "") == "A summary.\n\nA second paragraph."
    out = tmp_path / "site"
    assert run_build("--content", root, "--out", out).returncode == 0
    event = (out / "events" / "losses.html").read_text()
    assert "<p>A summary.</p>" in event and "<p>A second paragraph.</p>" in event
    (root / "events" / "losses.md").write_text(crlf(EVENT.replace("places:", "place:")))
    assert problems_of(root) == ["content/events/losses.md:4: unknown field 'place' (did you mean 'places'?)"]


@pytest.mark.parametrize("text_form, quote_form", [("NFD", "NFC"), ("NFC", "NFD")])
def test_a_quote_matches_whichever_unicode_form_it_is_typed_in(make_content, text_form, quote_form):
    sentence = "Le président André Müller a parlé à Kyïv."
    text = SOURCE_TEXT + unicodedata.normalize(text_form, sentence) + "\n"
    quote = unicodedata.normalize(quote_form, "André Müller a parlé")
    assert quote != unicodedata.normalize(text_form, quote)
    root = make_content({**source_with(text), **event_quoting(quote)})
    assert problems_of(root) == []
    [found] = pipeline.check(root).quotes_of("events", "losses")
    assert unicodedata.normalize("NFC", text[found.span.start:found.span.end]) == unicodedata.normalize("NFC", quote)


def test_a_name_and_alias_match_whichever_unicode_form_they_are_typed_in(make_content):
    text = SOURCE_TEXT + unicodedata.normalize("NFD", "André Müller spoke.\n") + "Müller left.\n"
    person = (f"name: {unicodedata.normalize('NFC', 'André Müller')}\naliases: [{unicodedata.normalize('NFD', 'Müller')}]\n"
              "role: envoy\ndescription: An envoy.\n")
    root = make_content({**source_with(text), "people/andre-muller.yaml": person})
    graph = pipeline.check(root)
    occurrences = Site(graph).render()["people/andre-muller.html"]
    assert 'href="../sources/art.html#p8"' in occurrences and 'href="../sources/art.html#p9"' in occurrences


def test_a_text_file_named_in_another_unicode_form(make_content):
    name = unicodedata.normalize("NFD", "café.txt")
    files = source_with(SOURCE_TEXT, name)
    files["sources/art.yaml"] = files["sources/art.yaml"].replace(f"text: {name}", f"text: {unicodedata.normalize('NFC', name)}")
    assert problems_of(make_content(files)) == []


def test_a_quote_occurring_thousands_of_times_lists_the_first_lines(make_content):
    text = "".join(f"Line {i} says the same.\n" for i in range(20_000))
    root = make_content({**source_with(text), **event_quoting("says the same")})
    assert problems_of(root) == [
        "content/events/losses.md:8: quote occurs 20000 times in source 'art' (lines 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, "
        "...) (lengthen the quote so it is unique, or add 'occurrence: N' to pick one)"
    ]


def test_a_folder_that_is_not_a_built_site_is_never_replaced(make_content, tmp_path):
    root = make_content()
    before = sorted(p.relative_to(root).as_posix() for p in root.rglob("*"))
    result = run_build("--content", root, "--out", root)  # a slip of the keyboard must not delete the content
    assert result.returncode == 1 and "Traceback" not in result.stderr
    assert result.stderr == (f"error: refusing to replace '{root}': it holds files but not a site built by "
                             "build.py, and would be deleted (choose a new or empty folder with --out)\n"
                             "Nothing was written.\n")
    assert sorted(p.relative_to(root).as_posix() for p in root.rglob("*")) == before
    (tmp_path / "notes.txt").write_text("mine")
    result = run_build("--content", root, "--out", tmp_path / "notes.txt")
    assert result.returncode == 1 and "it is a file, not a site folder" in result.stderr
    assert (tmp_path / "notes.txt").read_text() == "mine"
    (tmp_path / "empty").mkdir()
    assert run_build("--content", root, "--out", tmp_path / "empty").returncode == 0
    assert run_build("--content", root, "--out", tmp_path / "empty").returncode == 0  # a built site is replaced
    assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


def test_a_file_listed_as_regular_but_replaced_since_is_looked_at_again(make_content, tmp_path):
    """Files the folder listing shows as regular are read without a stat (files._contents_unsized); one
    that has become a link or a fifo by the time it is read is refused as the stat'ed way refuses it."""
    from chronicle import files

    outside = tmp_path / "outside.yaml"
    outside.write_text("name: Secret\ndescription: x.\n")
    root = make_content()
    (root / "tags" / "secret.yaml").symlink_to(outside)
    os.mkfifo(root / "tags" / "pipe.yaml")
    for name, expected in (
            ("secret.yaml", "symbolic link leads outside the content folder (copy the file into content/ instead)"),
            ("pipe.yaml", "not a regular file (content holds only files and folders)")):
        parsed = files.parse_file(root / "tags" / name, root, regular=True)
        assert [f"{p.message} ({p.hint})" for p in parsed.problems] == [expected]
    big = root / "tags" / "big.yaml"
    big.write_bytes(b"name: Big\ndescription: " + b"x" * 1_100_000 + b"\n")
    assert [p.message for p in files.parse_file(big, root, regular=True).problems] == [
        "file is 1.1 MB, more than the 1 MB a content file may have"]
    fine = files.parse_file(root / "tags" / "casualties.yaml", root, regular=True)
    assert not fine.problems and fine.entry.record.name == "Casualties"
