"""`build.py init DIR` and `build.py new KIND ID`: what they write, what they refuse, and that check passes."""
import re
import sys

import pytest
import yaml
from conftest import ROOT, sha
from sitecheck import internal_targets, read_site

from chronicle import kinds

sys.path.insert(0, str(ROOT))
import build  # noqa: E402


def run(capsys, *args):
    """Return (exit code, stdout, stderr) of `build.py ARGS` run in this process."""
    code = build.main([str(a) for a in args])
    out, err = capsys.readouterr()
    return code, out, err


# ---------------------------------------------------------------------- init

def test_init_makes_an_empty_chronology_that_checks_and_builds(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, err = run(capsys, "init", "mine")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "made the content folder mine/:",
        "  mine/chronology.yaml: the title, description, language and base_url of the site; fill them in",
        "  mine/{sources,events,statements,figures,people,organisations,places,tags,discrepancies}/: "
        "one empty folder per kind of record",
        "next:",
        "  python build.py import PAGE.html --content mine   add a source: a saved web page, a PDF or a text file",
        '  python build.py cite "some words" --content mine  find a passage in the sources, as a citation to paste',
        "  python build.py new events ID --content mine      a blank event to fill in (or: sources, statements, "
        "figures, people, organisations, places, tags, discrepancies)",
        "  python build.py serve --content mine              preview the site as you edit",
    ]
    folder = tmp_path / "mine"
    assert sorted(p.name for p in folder.iterdir()) == sorted(["chronology.yaml", *kinds.KINDS])
    for kind in kinds.KINDS:
        assert [p.name for p in (folder / kind).iterdir()] == [".gitkeep"]
    settings = (folder / "chronology.yaml").read_text()
    assert yaml.safe_load(settings) == {"title": "Untitled chronology", "base_url": None, "language": "en",
                                        "description": "What this chronology is about, in one or two sentences."}
    assert "# required: the site title\ntitle: Untitled chronology\n" in settings
    assert "# optional: public URL, for canonical links, feed and sitemap\nbase_url: null\n" in settings

    code, out, err = run(capsys, "check", "--content", folder)
    assert (code, err) == (0, "")
    assert out == ("ok: 0 sources, 0 events, 0 statements, 0 renderings, 0 figures, 0 people, 0 organisations, "
                   "0 places, 0 tags, 0 discrepancies\n")
    code, out, err = run(capsys, "--content", folder, "--out", tmp_path / "site")
    assert (code, err) == (0, ""), err
    assert out.startswith("built 12 pages")
    home = (tmp_path / "site" / "index.html").read_text()
    assert '<h2 id="empty-h">No events yet</h2>' in home
    assert "<code>python build.py new events ID</code>" in home
    assert "Overview" not in home  # no empty chart
    for kind in ("sources", "statements", "figures", "people", "organisations", "places", "tags", "discrepancies"):
        page = (tmp_path / "site" / kind / "index.html").read_text()
        assert "<p>None yet.</p>" in page, kind
    site = tmp_path / "site"
    for path, page in read_site(site).items():  # no link of the empty site leads nowhere
        for href in page.links:
            target = internal_targets(path, href)
            assert target is None or (site / target[0]).exists(), (path, href)


def test_init_into_an_empty_folder(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    code, _, _ = run(capsys, "init", tmp_path / "empty")
    assert code == 0 and (tmp_path / "empty" / "chronology.yaml").is_file()


def test_init_takes_the_content_option_as_its_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, out, _ = run(capsys, "init", "--content", "here")
    assert code == 0 and (tmp_path / "here" / "chronology.yaml").is_file()
    assert "  python build.py serve --content here" in out


def test_init_never_writes_into_a_folder_that_holds_anything(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "full").mkdir()
    (tmp_path / "full" / "chronology.yaml").write_text("mine")
    code, out, err = run(capsys, "init", "full")
    assert (code, out) == (1, "")
    assert err == ("build.py init: error: full is not empty (it holds chronology.yaml); init never writes over "
                   "anything: give a new or empty folder\n")
    assert (tmp_path / "full" / "chronology.yaml").read_text() == "mine"
    assert [p.name for p in (tmp_path / "full").iterdir()] == ["chronology.yaml"]
    (tmp_path / "file").write_text("x")
    code, _, err = run(capsys, "init", "file")
    assert code == 1 and err == "build.py init: error: file is a file, not a folder; give a new or empty folder\n"


# ---------------------------------------------------------------------- new

# What an author writes in place of the blanks (a list: one value per item, for lists of citations).
FILLED = {
    "events": {"date": "2024-12-15", "title": "More losses", "source": "art", "quote": "killed near Plekhovo",
               "tags": "[casualties]"},
    "statements": {"form": "spoken", "date": "2024-12-17", "speaker": "john-kirby", "source": "art",
                   "quote": "the troops were “expendable.”"},
    "figures": {"subject": "North Korean soldiers", "counted": "killed-or-wounded", "as_of": "2024-12-14",
                "attribution": "the DIU", "value": "30", "qualifier": "at-least", "source": "art",
                "quote": "at least 30 North Korean soldiers"},
    "discrepancies": {"title": "How often Kirby said it", "about": "wording", "description": "Differs.",
                      "source": ["art", "art"], "quote": ["Kirby said the troops", "Kirby said it twice"]},
    "people": {"name": "Jane Roe", "description": "A spokeswoman.", "role": "spokeswoman"},
    "organisations": {"name": "Agency", "description": "An agency.", "kind": "agency"},
    "places": {"name": "Kurilovka", "description": "A village.", "kind": "village"},
    "tags": {"name": "Tactics", "description": "How they fight."},
}


def fill(text: str, values: dict) -> str:
    """Return `text` with the line of each field in `values` (not a comment) given its value, as an
    author fills in a blank: a list gives the values of successive lines of that name (list items)."""
    pending = {name: list(v) if isinstance(v, list) else [v] for name, v in values.items()}
    lines = []
    for line in text.splitlines(keepends=True):
        field = re.match(r"( *(?:- )?)(\w+):", line)
        if field and pending.get(field.group(2)):
            line = f"{field.group(1)}{field.group(2)}: {pending[field.group(2)].pop(0)}\n"
        lines.append(line)
    assert not any(pending.values()), pending
    return "".join(lines)


def comments_before(text: str, name: str) -> str:
    """Return the comment lines just above the field `name`, joined into one line."""
    lines = text.splitlines()
    at = next(i for i, line in enumerate(lines) if line.startswith(f"{name}:"))
    above = []
    while lines[at - 1].startswith("# "):
        at -= 1
        above.insert(0, lines[at][2:])
    return " ".join(above)


@pytest.mark.parametrize("kind", [k for k in kinds.KINDS if k != "sources"])
def test_new_writes_every_field_described_and_passes_check_once_filled(make_content, capsys, kind):
    content = make_content()
    declared = kinds.KINDS[kind]
    code, out, err = run(capsys, "new", kind, f"new-{kind}", "--content", "content")
    path = content / kind / f"new-{kind}{declared.suffix}"
    assert (code, err) == (0, "")
    assert out == (f"wrote content/{kind}/new-{kind}{declared.suffix}: fill in the fields marked 'required', "
                   "then run python build.py check --content content\n")
    text = path.read_text()
    front = text.split("---\n")[1] if declared.suffix == ".md" else text
    fields = declared.model.model_fields
    positions = [next(i for i, line in enumerate(front.splitlines()) if line.startswith(f"{name}:"))
                 for name in fields]  # every field is there, uncommented
    required = [name for name, info in fields.items() if info.is_required()]
    optional = [p for p, n in zip(positions, fields) if n not in required]
    assert max(p for p, n in zip(positions, fields) if n in required) < min(optional, default=len(front.splitlines()))
    for name, info in fields.items():
        assert comments_before(front, name).startswith(
            ("required: " if info.is_required() else "optional: ") + info.description), name
    assert yaml.safe_load(front)  # valid YAML as written
    problems = [p for p in _check(capsys) if p.startswith(f"content/{kind}/")]
    assert problems and all("Traceback" not in p for p in problems)  # blanks are reported, not accepted

    filled = fill(text, FILLED[kind]) + ("The DIU reported more losses.\n" if declared.suffix == ".md" else "")
    path.write_text(filled)
    assert _check(capsys) == []


def _check(capsys) -> list:
    code, out, err = run(capsys, "check", "--content", "content")
    assert code in (0, 1) and "Traceback" not in err
    return err.splitlines()[:-1] if code else []


def test_a_blank_event_names_its_blanks_then_its_missing_summary(make_content, capsys):
    content = make_content()
    run(capsys, "new", "events", "blank", "--content", "content")
    problems = _check(capsys)
    assert problems[0].startswith("content/events/blank.md:7: 'date' is empty")
    assert [p.split(": ", 1)[1] for p in problems] == [
        "'date' is empty (fill it in: when it happened (EDTF), as precise as the sources allow and no more)",
        "'title' is empty (fill it in: a short neutral title)",
        "'citations[0].source' is empty (fill it in: id of the source (the name of its .yaml file))",
        "'citations[0].quote' is empty (fill it in: verbatim excerpt; whitespace, quote and dash styles may differ)",
        "event has no summary (write a neutral summary in your own words below the front matter)"]
    path = content / "events" / "blank.md"
    path.write_text(fill(path.read_text(), FILLED["events"]))
    assert _check(capsys) == ["content/events/blank.md:35: event has no summary (write a neutral summary in your "
                              "own words below the front matter)"]


def test_nested_records_are_shown_as_items(make_content, capsys):
    content = make_content()
    run(capsys, "new", "events", "e", "--content", "content")
    run(capsys, "new", "sources", "s", "--content", "content")
    event = (content / "events" / "e.md").read_text()
    assert ("citations:\n"
            "  - source:  # required: id of the source (the name of its .yaml file)\n"
            "    quote:  # required: verbatim excerpt; whitespace, quote and dash styles may differ\n"
            "    occurrence: null  # optional: which occurrence, when the excerpt occurs more than once\n") in event
    source = (content / "sources" / "s.yaml").read_text()
    assert ("chrome: []\n"
            "# for example:\n"
            "# chrome:\n"
            "#   - lines:  # required: a line or range of lines, e.g. '1-3' or '19'\n"
            "#     label:  # required: what these lines are, e.g. 'weather line', 'reader comments'\n") in source


def test_new_source_makes_its_text_file_and_points_to_import(make_content, capsys):
    content = make_content()
    code, out, err = run(capsys, "new", "sources", "fresh", "--content", "content")
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "wrote content/sources/fresh.yaml: fill in the fields marked 'required', then run python build.py check "
        "--content content",
        "  its text: paste the article into content/sources/fresh.txt (made empty), one paragraph per line, "
        "exactly as published; then check gives the sha256 to fill in",
        "  (python build.py import PATH --content content makes a source from a saved page, PDF or text file, "
        "with its text, hash and metadata)",
    ]
    assert (content / "sources" / "fresh.txt").read_text() == ""
    record = (content / "sources" / "fresh.yaml").read_text()
    assert "\ntext: fresh.txt\n" in record and "\nsha256:\n" in record
    unfilled = _check(capsys)  # told, not a traceback
    assert [p.split(": ", 1)[1].split(" (")[0] for p in unfilled] == [f"'{name}' is empty"
                                                                      for name in ("sha256", "title", "date", "language")]
    text = "Troops were seen near the border.\n"
    (content / "sources" / "fresh.txt").write_text(text)
    (content / "sources" / "fresh.yaml").write_text(
        fill(record, {"sha256": sha(text), "title": "Seen", "date": "2024-12-19", "language": "en",
                      "publisher": "Daily"}))
    assert _check(capsys) == []


def test_new_source_beside_its_text_fills_in_the_hash(make_content, capsys):
    content = make_content()
    text = "Pasted first.\n"
    (content / "sources" / "pasted.txt").write_text(text)
    code, out, _ = run(capsys, "new", "sources", "pasted", "--content", "content")
    assert code == 0
    assert ("  its text: content/sources/pasted.txt, which exists already; its sha256 is filled in (record it "
            "again if you change the text)") in out
    record = (content / "sources" / "pasted.yaml").read_text()
    assert f"\nsha256: {sha(text)}\n" in record
    assert (content / "sources" / "pasted.txt").read_text() == text  # untouched


def test_new_never_overwrites(make_content, capsys):
    content = make_content()
    before = (content / "events" / "losses.md").read_text()
    code, out, err = run(capsys, "new", "events", "losses", "--content", "content")
    assert (code, out) == (1, "")
    assert err == ("build.py new: error: content/events/losses.md exists already; new never writes over a file: "
                   "edit it, or choose another id\n")
    assert (content / "events" / "losses.md").read_text() == before


@pytest.mark.parametrize("args, message", [
    (["event", "x"], "unknown kind 'event' (did you mean 'events'?; kinds: sources, events, statements, figures, "
                     "people, organisations, places, tags, discrepancies)"),
    (["person", "x"], "unknown kind 'person' (did you mean 'people'?; kinds: sources, events, statements, figures, "
                      "people, organisations, places, tags, discrepancies)"),
    (["evnts", "x"], "unknown kind 'evnts' (did you mean 'events'?; kinds: sources, events, statements, figures, "
                     "people, organisations, places, tags, discrepancies)"),
    (["events", "Kirby Briefing"], "'Kirby Briefing' is not an id: ids are lowercase letters and digits joined "
                                   "by hyphens, e.g. 'kirby-briefing'"),
])
def test_new_refuses_an_unknown_kind_or_a_bad_id(make_content, capsys, args, message):
    content = make_content()
    before = sorted(content.rglob("*"))
    code, out, err = run(capsys, "new", *args, "--content", "content")
    assert (code, out, err) == (2, "", f"build.py new: error: {message}\n")
    assert sorted(content.rglob("*")) == before


def test_new_needs_a_content_folder(tmp_path, capsys, monkeypatch):
    monkeypatch.chdir(tmp_path)
    code, _, err = run(capsys, "new", "events", "x", "--content", "nowhere")
    assert code == 1
    assert err == ("build.py new: error: no content folder at nowhere (make one with: python build.py init "
                   "nowhere)\n")
    assert not (tmp_path / "nowhere").exists()


def test_new_refuses_a_reserved_id(make_content, capsys):
    make_content()
    assert build.main(["new", "tags", "index", "--content", "content"]) == 2
    assert capsys.readouterr().err == ("build.py new: error: id 'index' is reserved: the site keeps tags/index.html "
                                       "for a page of its own: choose another id\n")
