"""`import PATH`: a saved page, a PDF or a text file made into a source that `check` accepts, with its
capture kept byte for byte; nothing overwritten; unreadable input a clear message and exit 1."""
from __future__ import annotations

import datetime
import gzip
import hashlib
from pathlib import Path

import pytest
import yaml

from chronicle import import_source
from chronicle.import_source import Options
from conftest import problems_of

EXTRACTION = Path(__file__).resolve().parent.parent.parent / "shared" / "extraction"
POLYGRAPH = EXTRACTION / "html" / "1ee91d1fce65e09be8b8d2d29eab771546d98ca2ba5c862941e660e9fec12432.html.gz"
needs_pages = pytest.mark.skipif(not EXTRACTION.is_dir(), reason="../shared/extraction is absent: "
                                 "the saved pages these tests import are not here")
DAY = datetime.date(2026, 12, 4)
CHRONOLOGY = "title: Test\ndescription: A test.\nlanguage: en\n"


@pytest.fixture
def content(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    root = tmp_path / "content"
    root.mkdir()
    (root / "chronology.yaml").write_text(CHRONOLOGY)
    return root


def run(path, content, **given):
    printed = []
    code = import_source.run(Path(path), Options(content, today=DAY, **given), out=printed.append)
    return code, printed


@needs_pages
def test_a_saved_page_becomes_a_source_that_check_accepts(content):
    code, printed = run(POLYGRAPH, content)
    assert code == 0, printed
    sid = "russia-and-syria-u-s-backed-syrian-forces-blocking-refugee"
    sources = content / "sources"
    assert sorted(p.name for p in sources.iterdir()) == [f"{sid}.capture.html.gz", f"{sid}.txt", f"{sid}.yaml"]
    assert (sources / f"{sid}.capture.html.gz").read_bytes() == POLYGRAPH.read_bytes()  # byte for byte
    record = yaml.safe_load((sources / f"{sid}.yaml").read_text())
    text = (sources / f"{sid}.txt").read_bytes()
    assert record["sha256"] == hashlib.sha256(text).hexdigest()
    assert record["capture_sha256"] == hashlib.sha256(POLYGRAPH.read_bytes()).hexdigest()
    assert record["url"] == "https://www.polygraph.info/a/fact-check-russia-us-al-tanf-rukban/30279001.html"
    assert record["language"] == "en"
    assert record["captured"] == DAY
    assert "imported with chronicle on 2026-12-04" in record["captured_note"]
    assert record["date_note"].startswith("From the page's ")
    assert "The Pentagon rejected these accusations as “patently false,”" in text.decode()
    assert "\n\n" not in text.decode()  # one paragraph a line
    assert printed[:3] == [f"wrote content/sources/{sid}.txt: the article text, "
                           f"{text.count(10)} paragraphs, one a line",
                           f"wrote content/sources/{sid}.capture.html.gz: the capture, byte for byte as {POLYGRAPH.name}",
                           f"wrote content/sources/{sid}.yaml: its metadata"]
    assert "  - url: https://www.polygraph.info/a/fact-check-russia-us-al-tanf-rukban/30279001.html " \
           "(from the page's canonical link)" in printed
    assert problems_of(content) == []


@needs_pages
def test_import_never_overwrites_and_refuses_the_same_file_twice(content):
    assert run(POLYGRAPH, content, source_id="al-tanf")[0] == 0
    before = {p.name: p.read_bytes() for p in (content / "sources").iterdir()}
    code, printed = run(POLYGRAPH, content, source_id="other")
    assert (code, printed[0]) == (1, "error: this file was imported already: content/sources/al-tanf.capture.html.gz "
                                     "holds the same bytes")
    plain = content.parent / "page.html"
    plain.write_bytes(gzip.decompress(POLYGRAPH.read_bytes()) + b"\n")
    code, printed = run(plain, content, source_id="al-tanf")
    assert (code, printed) == (1, ["error: content/sources/al-tanf.yaml already exists; nothing is overwritten: "
                                   "give another id with --id", "Nothing was written."])
    assert {p.name: p.read_bytes() for p in (content / "sources").iterdir()} == before


@needs_pages
def test_given_url_and_archived_url_are_recorded(content):
    code, _ = run(POLYGRAPH, content, source_id="al-tanf", url="https://example.org/a",
                  archived_url="https://web.archive.org/web/2019/https://example.org/a")
    assert code == 0
    record = yaml.safe_load((content / "sources/al-tanf.yaml").read_text())
    assert (record["url"], record["archived_url"]) == \
        ("https://example.org/a", "https://web.archive.org/web/2019/https://example.org/a")
    assert problems_of(content) == []


def test_a_text_file_with_chrome_proposed_as_comments(content):
    page = content.parent / "article.txt"
    page.write_text("Home | World | Politics\r\n\r\nTroops moved to the border, officials said on Monday.\r\n"
                    "The ministry gave no figure for the number of soldiers involved.\r\nShare | Tweet | Email\r\n")
    code, printed = run(page, content, source_id="border")
    assert code == 0, printed
    text = (content / "sources/border.txt").read_text()
    assert text.splitlines()[1] == "Troops moved to the border, officials said on Monday."
    written = (content / "sources/border.yaml").read_text()
    assert "# chrome:\n#   - lines: \"4\"\n#     label: Share buttons\n" in written
    assert (content / "sources/border.capture.txt").read_bytes() == page.read_bytes()
    record = yaml.safe_load(written)
    assert "chrome" not in record  # proposals, for the author to confirm
    assert record["date"] == "../2026-12-04"
    assert record["language"] == "und"
    assert any(line.startswith("  - proposed page chrome, lines 4:") for line in printed)
    assert problems_of(content) == []


@pytest.mark.parametrize("name, data, message", [
    ("missing.html", None, "error: missing.html: no such file"),
    ("notes.docx", b"PK", "error: notes.docx: not a file import reads; it reads saved web pages (.html, .htm, "
                          ".html.gz), PDFs (.pdf) and text files (.txt)"),
])
def test_unreadable_input_is_a_message_and_exit_1(content, name, data, message):
    if data is not None:
        (content.parent / name).write_bytes(data)
    code, printed = run(content.parent / name, content)
    assert (code, printed) == (1, [message, "Nothing was written."])
    assert not (content / "sources").exists() or not any((content / "sources").iterdir())


def test_not_a_content_folder(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    (tmp_path / "a.txt").write_text("Some words of an article.\n")
    code, printed = run(tmp_path / "a.txt", tmp_path / "nowhere")
    assert code == 1
    assert printed[0] == ("error: nowhere is not a content folder (it has no chronology.yaml): make one with "
                          "`python build.py init nowhere`, or pass --content DIR")


def test_a_bad_id_is_refused_with_a_slug(content):
    (content.parent / "a.txt").write_text("Some words of an article.\n")
    code, printed = run(content.parent / "a.txt", content, source_id="My Source")
    assert (code, printed[0]) == (1, "error: --id 'My Source' is not a valid id: ids are lowercase letters and "
                                     "digits joined by hyphens, e.g. 'my-source'")


@needs_pages
def test_the_import_command(tmp_path):
    from conftest import run_build

    content = tmp_path / "mine"
    assert run_build("init", content).returncode == 0
    done = run_build("import", POLYGRAPH, "--id", "al-tanf", "--content", content,
                     "--archived-url", "https://web.archive.org/web/2019/x", cwd=tmp_path)
    assert done.returncode == 0, done.stderr
    assert done.stdout.splitlines()[-1] == \
        '  - then cite it: python build.py cite "WORDS" --source al-tanf --content ' + str(content)
    assert "archived_url: https://web.archive.org/web/2019/x\n" in (content / "sources/al-tanf.yaml").read_text()
    assert run_build("check", "--content", content).returncode == 0
    again = run_build("import", POLYGRAPH, "--content", content, cwd=tmp_path)
    assert (again.returncode, again.stdout.splitlines()[0]) == \
        (1, "error: this file was imported already: mine/sources/al-tanf.capture.html.gz holds the same bytes")


def test_a_pdf_becomes_a_source(content):
    from test_extract import PDF_LINES, minimal_pdf

    report = content.parent / "Heavy losses report.pdf"
    report.write_bytes(minimal_pdf(PDF_LINES, b"/Title (Heavy losses) /Author (Jane Doe) /CreationDate (D:20241214093000Z)"))
    code, printed = run(report, content)
    assert code == 0, printed
    record = yaml.safe_load((content / "sources/heavy-losses.yaml").read_text())
    assert (record["title"], record["authors"], record["date"], record["language"]) == \
        ("Heavy losses", ["Jane Doe"], datetime.date(2024, 12, 14), "en-GB")
    assert record["date_note"] == "From the PDF's /CreationDate."
    assert record["capture"] == "heavy-losses.capture.pdf"
    assert record["captured_note"].startswith("A PDF, Heavy losses report.pdf, imported with chronicle on 2026-12-04")
    assert (content / "sources/heavy-losses.capture.pdf").read_bytes() == report.read_bytes()
    assert problems_of(content) == []


def test_a_pdf_without_text_is_a_message(content):
    from test_extract import minimal_pdf

    scan = content.parent / "scan.pdf"
    scan.write_bytes(minimal_pdf([]))
    code, printed = run(scan, content)
    assert code == 1 and printed[0].startswith("error: ") and "OCR it first" in printed[0], printed
    assert printed[1] == "Nothing was written."


def test_a_reserved_id_is_refused(content):
    (content.parent / "a.txt").write_text("Some words of an article.\n")
    code, printed = run(content.parent / "a.txt", content, source_id="index")
    assert (code, printed[0]) == (1, "error: --id 'index' is reserved: the site keeps sources/index.html for a page "
                                     "of its own: give another id")


@pytest.mark.parametrize("lang, expected, note", [
    ("en_US", "en-US", None),
    ("english", "und", "The page does not state its language (und: undetermined)."),  # not a tag: not stated
])
def test_the_page_language_becomes_a_language_tag(content, lang, expected, note):
    page = content.parent / "page.html"
    page.write_text(f"<html lang='{lang}'><head><title>Troops at the border</title></head><body><article>"
                    "<h1>Troops at the border</h1><p>Troops moved to the border on Monday, officials said, and the "
                    "ministry gave no figure for the number of soldiers involved in the move.</p><p>A second "
                    "paragraph of the article says more about the troops and where they were seen.</p>"
                    "</article></body></html>")
    code, printed = run(page, content, source_id="border")
    assert code == 0, printed
    record = yaml.safe_load((content / "sources/border.yaml").read_text())
    assert record["language"] == expected
    assert (note is None and "language" not in (record["note"] or "")) or note in record["note"]
    assert problems_of(content) == []
