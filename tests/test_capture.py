"""A source's capture: the original file kept beside its text, checked by its hash, shown on the source
page as a capture record, and published as a download only (inside a ZIP), never as a page."""
from __future__ import annotations

import io
import zipfile

import pytest

from chronicle import captures, pipeline
from conftest import base_files, problems_of, sha

CAPTURE = (b"<!doctype html><html lang=en><head><title>Test article</title>"
           b"<script>document.cookie='stolen'</script></head><body><p>The DIU said.</p></body></html>")


def with_capture(data: bytes = CAPTURE, **fields) -> dict:
    """Return the base files with a capture given to their source (fields replace the capture's)."""
    given = {"capture": "art.capture.html", "capture_sha256": sha(data), "captured": "2026-12-04",
             "captured_note": "A saved web page, imported with chronicle.",
             "archived_url": "https://archive.example/2024/art"} | fields
    files = base_files()
    files["sources/art.yaml"] += "".join(f"{k}: {v}\n" for k, v in given.items() if v is not None)
    files["sources/art.capture.html"] = data
    return files


def test_capture_record_on_the_source_page_and_the_capture_as_a_zip_download(make_content, tmp_path):
    root = make_content(with_capture())
    result = pipeline.build(root, tmp_path / "site", index=False)
    site = tmp_path / "site"
    page = (site / "sources/art.html").read_text()
    record = page[page.index('id="capture-h"'):page.index('id="text-h"')]
    assert "<dt>Archived copy</dt><dd><a href=\"https://archive.example/2024/art\"" in record
    assert '<time datetime="2026-12-04">4 December 2026</time>' in record
    assert "A saved web page, imported with chronicle." in record
    assert f"<code>art.capture.html</code>, {len(CAPTURE)} bytes, SHA-256 <code class=\"hash\">{sha(CAPTURE)}</code>" in record
    assert f"SHA-256 <code class=\"hash\">{sha(base_files()['sources/art.txt'])}</code>" in record
    assert '<a href="art.capture.zip" download>Download the capture</a>' in record
    with zipfile.ZipFile(site / "sources/art.capture.zip") as archive:
        assert archive.namelist() == ["art.capture.html"]
        assert archive.read("art.capture.html") == CAPTURE  # byte for byte
    # never served as a page: its script appears in no file of the site as it is
    assert not [p for p in site.rglob("*") if p.is_file() and b"document.cookie='stolen'" in p.read_bytes()]
    assert "sources/art.capture.zip" in {p.relative_to(site).as_posix() for p in site.rglob("*.zip")}
    assert result.pages > 0


def test_the_zip_is_the_same_bytes_every_time():
    assert captures.zipped("a.capture.pdf", b"%PDF-1.4 x") == captures.zipped.__wrapped__("a.capture.pdf", b"%PDF-1.4 x")
    info = zipfile.ZipFile(io.BytesIO(captures.zipped("a.capture.pdf", b"x"))).infolist()[0]
    assert info.date_time == (1980, 1, 1, 0, 0, 0) and info.create_system == 3


def test_a_changed_capture_is_refused(make_content):
    root = make_content(with_capture(capture_sha256="f" * 64))
    assert problems_of(root) == [
        f"content/sources/art.yaml:11: capture 'art.capture.html' has changed: its SHA-256 is {sha(CAPTURE)}, "
        "not the recorded one (a capture is evidence and must stay byte for byte as it was captured; "
        "restore the original)"]


def test_a_missing_capture_hash_is_given_to_paste(make_content):
    root = make_content(with_capture(capture_sha256=None))
    assert problems_of(root) == [
        "content/sources/art.yaml:10: missing field 'capture_sha256' "
        f"(add this line: capture_sha256: {sha(CAPTURE)}, the SHA-256 of art.capture.html)"]


def test_a_capture_file_not_there_is_named_with_the_closest(make_content):
    files = with_capture(capture="art.capture.htm")
    root = make_content(files)
    assert problems_of(root) == [
        "content/sources/art.yaml:10: capture file 'art.capture.htm' not found (did you mean 'art.capture.html'?)"]


def test_a_capture_no_source_names_is_reported(make_content):
    root = make_content({"sources/other.capture.pdf": b"%PDF-1.4"})
    assert problems_of(root) == [
        "content/sources/other.capture.pdf: capture has no source that names it "
        "(name it in a source's capture: field, or remove it)"]


def test_a_capture_needs_when_and_how(make_content):
    root = make_content(with_capture(captured_note=None))
    [problem] = problems_of(root)
    assert "a capture needs captured (when) and captured_note (how it was made)" in problem


@pytest.mark.parametrize("original, expected", [
    ("Saved Page.html", "x.capture.html"), ("page.HTML.GZ", "x.capture.html.gz"), ("report.pdf", "x.capture.pdf"),
    ("notes.txt", "x.capture.txt"), ("page.htm", "x.capture.htm")])
def test_capture_names_keep_the_original_suffix(original, expected):
    assert captures.name_for("x", original) == expected


def test_the_capture_in_the_exports(make_content):
    from chronicle import export
    from chronicle.link import link
    from chronicle.load import load

    graph = link(load(make_content(with_capture())))
    [item] = export.csl(graph)
    assert item["accessed"] == {"date-parts": [[2026, 12, 4]]}
    assert "Archived copy: https://archive.example/2024/art\nCapture: A saved web page, imported with chronicle." \
        in item["note"]
    [record] = export.chronology(graph)["records"]["sources"]
    assert (record["capture"], record["capture_sha256"], record["captured"]) == \
        ("art.capture.html", sha(CAPTURE), "2026-12-04")
