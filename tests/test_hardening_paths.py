"""Ids that cannot collide with the site's own pages, paths resolved without exceptions escaping, and
every failing command ending with problems in place and a summary line (issue 22)."""
from __future__ import annotations

import errno
import os
import pickle
import re
import shutil

import pytest
from conftest import ROOT, base_files, problems_of, run_build

from chronicle import kinds, load, pipeline, urls, validate, write
from chronicle.render import Site

EVENT = base_files()["events/losses.md"]
CITES = "citations:\n  - source: art\n    quote: killed near Plekhovo\n"
RECORDS = {  # one valid record of every kind, as (file suffix, text)
    "sources": (".yaml", base_files()["sources/art.yaml"]),
    "events": (".md", EVENT),
    "statements": (".yaml", "speaker: john-kirby\nform: spoken\ndate: 2024-12-17\nrenderings:\n"
                            "  - source: art\n    quote: Kirby said it twice\n"),
    "figures": (".yaml", f"claimant: diu\nsubject: North Korean soldiers\ncounted: killed\nvalue: 30\n"
                         f"as_of: 2024-12\n{CITES}"),
    "people": (".yaml", "name: John Kirby\nrole: spokesman\ndescription: A spokesman.\n"),
    "organisations": (".yaml", "name: DIU\nkind: agency\ndescription: An agency.\n"),
    "places": (".yaml", "name: Plekhovo\nkind: village\ndescription: A village.\n"),
    "tags": (".yaml", "name: Casualties\ndescription: Losses.\n"),
    "discrepancies": (".yaml", f"title: Who counted the dead\nabout: account\ndescription: Accounts differ.\n{CITES}"
                               "  - source: art\n    quote: Kirby said it twice\n"),
}
SUGGESTED = {"sources": "test-article", "events": "losses-near-plekhovo", "statements": "",
             "figures": "north-korean-soldiers", "people": "john-kirby", "organisations": "diu",
             "places": "plekhovo", "tags": "casualties", "discrepancies": "who-counted-the-dead"}
PROBLEM = re.compile(r"^\S[^:]*(?::\d+)?: \S")  # path[:line]: message
SUMMARY = re.compile(r"^\d+ problems? in \d+ files?; nothing was written\.$")
LOOP_HINT = ("symbolic link loop: following it leads back to a link already followed "
             "(replace the link with the file it was meant to name)")


def test_every_kind_is_in_the_table_of_records_here():
    assert set(RECORDS) == set(kinds.KINDS)


# ---------------------------------------------------------------------- reserved ids

@pytest.mark.parametrize("kind", sorted(RECORDS))
def test_a_record_named_index_is_refused_in_every_kind(make_content, kind):
    suffix, text = RECORDS[kind]
    root = make_content({f"{kind}/index{suffix}": text})
    better = SUGGESTED[kind]
    hint = f"rename the file after what it holds, e.g. '{better}{suffix}'" if better else \
        f"rename the file, e.g. 'index-1{suffix}'"
    assert problems_of(root) == [
        f"content/{kind}/index{suffix}: id 'index' is reserved: the site keeps {kind}/index.html for a page "
        f"of its own ({hint})"]


def test_a_reserved_id_is_reported_with_the_files_other_problems(make_content):
    root = make_content({"tags/index.yaml": "name: Casualties\ndescription: Losses.\ncolour: red\n"})
    assert problems_of(root) == [
        "content/tags/index.yaml: id 'index' is reserved: the site keeps tags/index.html for a page of its own "
        "(rename the file after what it holds, e.g. 'casualties.yaml')",
        "content/tags/index.yaml:3: unknown field 'colour' (allowed fields: name, description)",
    ]


def test_the_build_refuses_an_index_record_and_keeps_the_previous_site(make_content, tmp_path):
    root = make_content()
    out = tmp_path / "site"
    assert run_build("--content", root, "--out", out).returncode == 0
    before = {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()}
    shutil.copy(root / "tags" / "casualties.yaml", root / "tags" / "index.yaml")
    result = run_build("--content", root, "--out", out, cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "content/tags/index.yaml: id 'index' is reserved: the site keeps tags/index.html for a page of its own "
        "(rename the file after what it holds, e.g. 'casualties.yaml')\n"
        "1 problem in 1 file; nothing was written.\n"))
    assert {p.relative_to(out): p.read_bytes() for p in out.rglob("*") if p.is_file()} == before


def test_the_reserved_ids_are_the_names_of_the_pages_the_site_writes_beside_records(tmp_path):
    """The rule is derived from what the site writes: every file a build of the shipped content puts in a
    kind's folder is a record's page, a capture download, or one of urls.own_pages, whose names are
    exactly the reserved ids."""
    assert kinds.KINDS.reserved_ids == {"index"}
    graph = pipeline.check(ROOT / "content")
    files = Site(graph, track=False).render()
    for path in files:
        kind, _, name = path.partition("/")
        if kind not in kinds.KINDS:
            assert "/" not in path or kind in kinds.RESERVED, path  # the top level, or a folder no kind has
            continue
        records = graph.entries[kind]
        assert (name.removesuffix(".html") in records or path in urls.own_pages(kind)
                or (kind == "sources" and name.removesuffix(".capture.zip") in records)), path
        if path in urls.own_pages(kind):
            assert name.removesuffix(".html") in kinds.KINDS.reserved_ids


# ---------------------------------------------------------------------- ids too long for a file name

def test_the_longest_id_is_computed_from_the_names_the_site_makes_of_it():
    assert validate.site_names("x") == ["x.html", "x.capture.zip", ".x.html.tmp", ".x.capture.zip.tmp"]
    assert validate.MAX_ID_LENGTH == 255 - len(".capture.zip.tmp") - 1 == 238


def test_an_id_too_long_for_the_sites_file_names_is_refused(make_content):
    long_id = "a" * 100 + "-" + "b" * 151  # a 256-character file name with .md: 252 characters of id
    ok_id = "c" * validate.MAX_ID_LENGTH
    root = make_content({f"events/{long_id}.md": EVENT.replace("Losses near", "Other losses near"),
                         f"tags/{ok_id}.yaml": "name: Long\ndescription: The longest id.\n",
                         f"tags/{ok_id}d.yaml": "name: Longer\ndescription: One more.\n"})
    assert problems_of(root) == [
        f"content/events/{long_id}.md: id is 252 characters long, more than the 238 an id may have (the site "
        "names files after it, such as '.ID.capture.zip.tmp', and a file name holds at most 255 bytes: "
        f"shorten it, e.g. '{long_id[:238]}.md')",
        f"content/tags/{ok_id}d.yaml: id is 239 characters long, more than the 238 an id may have (the site "
        "names files after it, such as '.ID.capture.zip.tmp', and a file name holds at most 255 bytes: "
        f"shorten it, e.g. '{ok_id}.yaml')",
    ]


def test_a_source_with_the_longest_id_builds_with_its_capture(make_content, tmp_path):
    """The longest id's longest names: its capture download in the site (built here) and the preview's
    temporary name of that download (a file made here by that name)."""
    sid = "s" * validate.MAX_ID_LENGTH
    files = base_files()
    root = make_content({"sources/art.yaml": None, f"sources/{sid}.yaml": files["sources/art.yaml"]
                         + "capture: x.capture.txt\ncapture_sha256: "
                         + "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855\n"
                         + "captured: 2024-12-18\ncaptured_note: A test.\n",
                         "sources/x.capture.txt": "",
                         "events/losses.md": EVENT.replace("source: art", f"source: {sid}")})
    out = tmp_path / "site"
    result = run_build("--content", root, "--out", out)
    assert result.returncode == 0, result.stderr
    assert (out / "sources" / f"{sid}.capture.zip").is_file() and (out / "sources" / f"{sid}.html").is_file()
    (tmp_path / write.temporary_name(f"{sid}.capture.zip")).write_bytes(b"")


# ---------------------------------------------------------------------- symbolic links and unreadable paths

@pytest.mark.parametrize("links, expected", [
    ({"events/self.md": "self.md"}, [f"content/events/self.md: {LOOP_HINT}"]),
    ({"events/a.md": "b.md", "events/b.md": "a.md"}, [f"content/events/a.md: {LOOP_HINT}",
                                                      f"content/events/b.md: {LOOP_HINT}"]),
    ({"sources/x.txt": "x.txt"}, [f"content/sources/x.txt: {LOOP_HINT}"]),
    ({"events/nothing.md": "missing.md"}, [
        "content/events/nothing.md: symbolic link leads to nothing: what it names does not exist "
        "(replace the link with the file itself, or remove it)"]),
    ({"events/d/up": "../d"}, [  # a folder loop: links to folders are not followed
        "content/events/d/up: symbolic link to a folder is not followed "
        "(move the folder into content/ instead of linking to it)"]),
])
def test_symbolic_link_loops_are_problems_with_the_file_named(make_content, links, expected):
    root = make_content()
    for name, target in links.items():
        (root / name).parent.mkdir(parents=True, exist_ok=True)
        (root / name).symlink_to(target)
    assert problems_of(root) == expected


def test_a_loop_in_place_of_the_settings_is_named(make_content):
    root = make_content()
    (root / "chronology.yaml").unlink()
    (root / "chronology.yaml").symlink_to("chronology.yaml")
    assert problems_of(root) == [f"content/chronology.yaml: {LOOP_HINT}"]


def test_a_folder_that_cannot_be_listed_is_named(make_content, monkeypatch):
    root = make_content({"tags/more/other.yaml": "name: Other\ndescription: x.\n"})
    scandir = os.scandir

    def refuse(path):  # tests run as root, whom permissions do not stop
        if os.path.basename(path) == "more":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        if os.path.basename(path) == "places":
            raise OSError(errno.ENAMETOOLONG, "File name too long", path)
        return scandir(path)

    monkeypatch.setattr(load.os, "scandir", refuse)
    assert problems_of(root) == [
        "content/events/losses.md:4: unknown place 'plekhovo' in places "
        "(add content/places/plekhovo.yaml, or use an existing id)",
        "content/places: cannot read the folder: its path is longer than the system allows "
        "(move it up, closer to content/, or shorten the names of the folders it is in)",
        "content/tags/more: cannot read the folder: Permission denied (check that it exists and is readable)",
    ]


def test_a_file_that_cannot_be_looked_at_is_named(make_content, monkeypatch):
    from chronicle import files

    root = make_content()
    (root / "tags" / "link.yaml").symlink_to("casualties.yaml")
    lstat = os.lstat

    def refuse(path, *args, **kwargs):
        if os.path.basename(path) == "link.yaml":
            raise PermissionError(errno.EACCES, "Permission denied", path)
        return lstat(path, *args, **kwargs)

    monkeypatch.setattr(files.os, "lstat", refuse)
    assert problems_of(root) == [
        "content/tags/link.yaml: cannot read the file: Permission denied (check that it exists and is readable)"]


def test_a_kind_that_is_a_file_and_settings_that_are_a_folder_are_named(make_content):
    root = make_content({"chronology.yaml": None, "chronology.yaml/x": "", "tags/casualties.yaml": None,
                         "events/losses.md": EVENT.replace("tags: [casualties]", "tags: []")})
    shutil.rmtree(root / "tags", ignore_errors=True)
    (root / "tags").write_text("name: Casualties\n")
    assert problems_of(root) == [
        "content/chronology.yaml: chronology settings are a folder, not a file "
        "(remove the folder and create the file with title, description and language)",
        "content/tags: expected the folder of tags, not a file "
        "(remove the file and make a folder tags/ holding one .yaml file per tag)",
    ]


def test_the_preview_reads_a_loop_made_while_it_runs(make_content):
    loader = load.Loader(make_content())
    loader.scan()
    assert loader.content().problems == []
    (loader.root / "events" / "self.md").symlink_to("self.md")
    (loader.root / "tags" / "d").mkdir()
    loader.update([loader.root / "events" / "self.md", loader.root / "tags" / "d"])
    assert [str(p) for p in loader.content().problems] == [f"content/events/self.md: {LOOP_HINT}"]


# ---------------------------------------------------------------------- the writer: each path once

def test_the_writer_refuses_a_second_write_to_one_path(tmp_path):
    writer = write.SiteWriter(tmp_path)
    writer.write("people/index.html", "the index")
    with pytest.raises(write.WrittenTwice) as err:
        writer.write("people/index.html", "a record's page")
    assert str(err.value) == ("refusing to write 'people/index.html' twice: the second write would replace the "
                              "first (a bug in the build: please report it)")
    assert (tmp_path / "people" / "index.html").read_text() == "the index"
    with pytest.raises(write.WrittenTwice):
        writer.write("People/Index.html", "")  # the same file on macOS and Windows
    assert writer.paths == ["people/index.html"]


def test_the_writer_refuses_a_path_the_other_rendering_process_wrote_too(tmp_path):
    writer = write.SiteWriter(tmp_path)
    writer.write("a.html", "")
    writer.written_elsewhere(["b.html", "c.html"])
    with pytest.raises(write.WrittenTwice, match="'b.html' twice"):
        writer.write("b.html", "")
    with pytest.raises(write.WrittenTwice, match="'a.html' twice"):
        writer.written_elsewhere(["a.html"])
    sent = pickle.loads(pickle.dumps(write.WrittenTwice("x/y.html")))  # as the second process sends it
    assert (sent.path, str(sent)) == ("x/y.html", str(write.WrittenTwice("x/y.html")))


def test_a_page_that_would_take_anothers_path_stops_the_build(make_content, monkeypatch, tmp_path):
    """With the id check out of the way, the record 'index' reaches the renderer: its page and the index
    page are refused as one path, and the previous site is kept."""
    from chronicle import files

    root = make_content()
    out = tmp_path / "site"
    pipeline.build(root, out, index=False)
    before = sorted(p.relative_to(out) for p in out.rglob("*"))
    shutil.copy(root / "tags" / "casualties.yaml", root / "tags" / "index.yaml")
    monkeypatch.setattr(files, "id_problem", lambda *args: None)
    with pytest.raises(write.WrittenTwice, match="^refusing to write 'tags/index.html' twice"):
        pipeline.build(root, out, index=False)
    assert sorted(p.relative_to(out) for p in out.rglob("*")) == before
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".site.new")] == []


def test_build_says_a_path_written_twice_is_an_internal_error(monkeypatch, capsys, tmp_path):
    import build

    def twice(*args, **kwargs):
        raise write.WrittenTwice("tags/index.html")

    monkeypatch.setattr(pipeline, "build", twice)
    assert build.main(["--out", str(tmp_path / "site")]) == 1
    assert capsys.readouterr().err == (
        "error: internal error: refusing to write 'tags/index.html' twice: the second write would replace the "
        "first (a bug in the build: please report it)\nThe previous site was left as it was.\n")


# ---------------------------------------------------------------------- output folders

def test_output_folders_that_cannot_be_written_are_refused_with_the_reason(make_content, tmp_path):
    root = make_content()
    (tmp_path / "file").write_text("mine")
    long_name = "o" * 242
    cases = [
        (tmp_path / "file" / "site",
         f"error: refusing to write '{tmp_path}/file/site': '{tmp_path}/file' is a file, not a folder "
         "(choose another --out)"),
        (root / "site",
         f"error: refusing to write the site into '{root}/site': it is inside the content folder '{root}', "
         "where every file is read as content (choose an --out outside it)"),
        (root / "events" / "site",
         f"error: refusing to write the site into '{root}/events/site': it is inside the content folder "
         f"'{root}', where every file is read as content (choose an --out outside it)"),
        (tmp_path,
         f"error: refusing to replace '{tmp_path}': the content folder '{root}' is inside it, and would be "
         "deleted with the previous site (choose another --out)"),
        (tmp_path / long_name,
         f"error: refusing to write '{tmp_path}/{long_name}': its name is 242 bytes long, and the build makes "
         "'.oooooooo....new-12345678' beside it, which must fit in 255 bytes (choose an --out whose name has "
         "at most 241)"),
    ]
    for out, expected in cases:
        result = run_build("--content", root, "--out", out)
        assert (result.returncode, result.stderr) == (1, expected + "\nNothing was written.\n"), out
    assert (tmp_path / "file").read_text() == "mine" and not (root / "site").exists()
    assert run_build("--content", root, "--out", tmp_path / ("o" * 241)).returncode == 0


# ---------------------------------------------------------------------- every failure: in place, with a summary

def _assert_in_place(stderr: str) -> None:
    lines = stderr.splitlines()
    assert "Traceback" not in stderr and lines, stderr
    assert SUMMARY.match(lines[-1]), stderr
    assert all(PROBLEM.match(line) for line in lines[:-1]), stderr


@pytest.mark.parametrize("command", ["check", "build"])
def test_broken_paths_give_problems_in_place_and_a_summary(make_content, tmp_path, command):
    breakages = {
        "loop": lambda root: (root / "events" / "self.md").symlink_to("self.md"),
        "long": lambda root: (root / "events" / ("a" * 252 + ".md")).write_text(EVENT),
        "kind file": lambda root: (shutil.rmtree(root / "places"), (root / "places").write_text("")),
        "top-level loop": lambda root: (root / "loop").symlink_to("loop"),
        "content is a file": lambda root: (shutil.rmtree(root), root.write_text("")),
    }
    for name, breaking in breakages.items():
        root = make_content()
        breaking(root)
        result = run_build(command, "--content", root, *(["--out", tmp_path / "site"] if command == "build" else []))
        assert result.returncode == 1, name
        _assert_in_place(result.stderr)
        if root.is_dir():
            shutil.rmtree(root)
        else:
            root.unlink()


def test_serve_without_a_content_folder_says_so_and_stops(tmp_path):
    result = run_build("serve", "--content", tmp_path / "none", "--port", "8791", cwd=tmp_path)
    assert (result.returncode, result.stderr) == (1, (
        "none: content folder not found (pass --content DIR, or run from the project folder)\n"
        "1 problem in 1 file; nothing was written.\n"))
