"""chronicle.extract on real saved pages, made-up pages, PDFs and text files, and what it refuses."""
from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pypdf
import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "benchmarks"))

from chronicle.extract import Article, ExtractError, Found, extract  # noqa: E402
from chronicle.extract.dates import day_or_month  # noqa: E402
from chronicle.extract.plaintext import chrome  # noqa: E402
from extraction import f1  # noqa: E402

# The saved pages of the article-extraction benchmark: ../shared/extraction beside the checkout, or the
# folder CHRONICLE_EXTRACTION names (a git worktree elsewhere has no shared/ beside it). Never copied here.
PAGES = Path(os.environ.get("CHRONICLE_EXTRACTION") or ROOT.parent / "shared" / "extraction")

CITYAM = "360c732d1fdbfc6895d7096c0c0b8c0d581bb1af80160f4c6a0f1fd9ff85e469"
PHYS = "e1c7023ee2148901b086256fdd30a0893d10b0720b510d5ff07a021109347266"
LHPAT = "85439e26c41c75901820d01a13e8cea7836abb58635ea3986f71a163ab0311d3"
PV = "b0cf2bbf0192315eec95ede9c59bbf4ae58699275739d590edc24b012e3e8800"


@pytest.fixture(scope="module")
def pages() -> Path:
    if not (PAGES / "ground-truth.json").is_file():
        pytest.skip(f"../shared/extraction is absent: the saved pages of the extraction benchmark are not at {PAGES} "
                    "(set CHRONICLE_EXTRACTION to their folder)")
    return PAGES


def page(pages: Path, key: str) -> Path:
    return pages / "html" / f"{key}.html.gz"


@pytest.mark.parametrize("key, at_least", [(CITYAM, 0.95), (PHYS, 0.96), (LHPAT, 0.99), (PV, 0.99)])
def test_text_matches_the_marked_article(pages, key, at_least):
    truth = json.loads((pages / "ground-truth.json").read_text(encoding="utf-8"))[key]["articleBody"]
    article = extract(page(pages, key))
    assert f1(truth, article.text) >= at_least
    assert article.text.endswith("\n") and "\n\n" not in article.text
    assert all(line == line.rstrip() and line for line in article.text.splitlines())
    assert article.format == "html" and article.how == "article text extracted with trafilatura 2.3.1"
    assert article.chrome == []


def test_metadata_of_a_page_with_open_graph_tags(pages):
    # The page says: <html lang="en-GB">, <title>... : CityAM</title>, <h1> in its <article>, rel="author"
    # link "Anna Menin", og:site_name "CityAM", article:published_time 2019-11-20T09:22:35+00:00, a canonical link.
    article = extract(page(pages, CITYAM))
    assert article.title == Found("Alibaba to raise up to $12.9bn in landmark Hong Kong listing : CityAM", "the page's <title>")
    assert article.headline == Found("Alibaba to raise up to $12.9bn in landmark Hong Kong listing", "the article's <h1> heading")
    assert article.authors == Found(["Anna Menin"], "the byline's rel=author link")
    assert article.publisher == Found("CityAM", "the page's og:site_name")
    assert article.date == Found("2019-11-20", "the page's article:published_time")
    assert article.language == Found("en-GB", "the <html lang> attribute")
    assert article.url == Found("https://www.cityam.com/alibaba-to-raise-up-to-12-9bn-in-landmark-hong-kong-listing/",
                                "the page's canonical link")
    assert article.text.startswith("Alibaba is set to raise up to $12.9bn (£10bn) from its record-breaking second listing")


def test_metadata_from_json_ld(pages):
    # No article:published_time nor <html lang> here: JSON-LD "datePublished": "2019-11-18T08:55:39-05:00"
    # (the day as the publisher wrote it, not moved to UTC), its author and publisher, a Content-Language meta.
    article = extract(page(pages, PHYS))
    assert article.date == Found("2019-11-18", "the page's JSON-LD datePublished")
    assert article.authors == Found(["Science X staff"], "the page's JSON-LD author")
    assert article.publisher == Found("Phys.org", "the page's JSON-LD publisher")
    assert article.language == Found("en-US", "the page's Content-Language")


def test_a_japanese_page(pages):
    article = extract(page(pages, LHPAT))
    assert article.headline == Found("商品の改造が商標法違反に！？", "the article's <h1> heading")
    assert article.publisher == Found("特許業務法人ライトハウス国際特許事務所", "the page's og:site_name")
    assert article.date == Found("2016-12-01", "the page's article:published_time")
    assert article.language == Found("ja", "the <html lang> attribute")
    assert article.authors == Found([], None)


def test_plain_html_and_gzip_give_the_same_article(pages, tmp_path):
    plain = tmp_path / "saved.html"
    plain.write_bytes(gzip.decompress(page(pages, CITYAM).read_bytes()))
    also = tmp_path / "saved.htm"
    shutil.copy(plain, also)
    assert extract(plain) == extract(also) == extract(page(pages, CITYAM))


def html_page(body: str, head: str = "") -> str:
    prose = " ".join(["The council voted on Tuesday to close the old bridge for repairs after engineers found cracks."] * 4)
    return (f"<!DOCTYPE html><html><head>{head}<title>Bridge closed - The Example</title></head><body>"
            f"<nav><a href='/'>Home</a> <a href='/news'>News</a></nav><article><h1>Bridge closed</h1>"
            f"<p>{prose}</p><p>{body}</p><p>{prose}</p></article></body></html>")


def test_a_windows_1252_page_is_decoded_by_its_declaration(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_bytes(html_page("The mayor’s office said it would cost €2 million — “at least”.",
                                "<meta charset='iso-8859-1'>").encode("cp1252"))
    assert "The mayor’s office said it would cost €2 million — “at least”." in extract(saved).text.splitlines()


def test_an_undeclared_page_that_is_not_utf8_is_detected(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_bytes(html_page("Les élèves ont déjà quitté l'école après la fermeture du pont de la Garonne, "
                                "a précisé la préfète à la presse régionale.").encode("latin-1"))
    assert "Les élèves ont déjà quitté l'école" in extract(saved).text


def test_a_utf16_page_with_a_byte_order_mark(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_bytes(codecs.BOM_UTF16_LE + html_page("Zürich’s engineers agreed.").encode("utf-16-le"))
    assert "Zürich’s engineers agreed." in extract(saved).text.splitlines()


def test_dates_in_a_made_up_page(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text(html_page("It reopens in spring.", "<meta property='og:url' content='https://example.org/bridge'>"
                               "<script type='application/ld+json'>{\"@type\": \"NewsArticle\", \"datePublished\": \"2024-12\"}</script>"),
                     encoding="utf-8")
    article = extract(saved)
    assert article.date == Found("2024-12", "the page's JSON-LD datePublished")  # no day invented
    assert article.url == Found("https://example.org/bridge", "the page's og:url")
    assert article.headline == Found("Bridge closed", "the article's <h1> heading")
    assert article.language == Found(None, None)


def test_a_date_only_htmldate_finds_is_called_a_guess(tmp_path):
    saved = tmp_path / "page.html"
    saved.write_text(html_page("It reopens in spring.").replace("</article>", "<p class='date'>Posted 19 November 2019</p></article>"),
                     encoding="utf-8")
    assert extract(saved).date == Found("2019-11-19", "a date found by htmldate in the page (a guess from its markup: check it)")


@pytest.mark.parametrize("written, edtf", [
    ("2024-12-14", "2024-12-14"), ("2024-12-14T23:30:00-05:00", "2024-12-14"), ("20241214", "2024-12-14"),
    ("2024-12", "2024-12"), ("2024/12/14", "2024-12-14"), ("Sat, 14 Dec 2024 09:00:00 GMT", "2024-12-14"),
    ("2024-13-01", None), ("2024-02-30", None), ("2024", None), ("yesterday", None), ("", None)])
def test_dates_as_written(written, edtf):
    assert day_or_month(written) == edtf


def minimal_pdf(lines: list[str], info: bytes = b"") -> bytes:
    """Return a PDF made by hand: one page, Helvetica, one text line per entry of `lines`."""
    ops = b"BT /F1 12 Tf 72 720 Td 14 TL " + b" ".join(b"(" + line.encode("latin-1") + b") Tj T*" for line in lines) + b" ET"
    objects = [b"<< /Type /Catalog /Pages 2 0 R /Lang (en-GB) >>",
               b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
               b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R "
               b"/Resources << /Font << /F1 5 0 R >> >> >>",
               b"<< /Length %d >>\nstream\n" % len(ops) + ops + b"\nendstream",
               b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
               b"<< " + info + b" >>"]
    out, offsets = bytearray(b"%PDF-1.4\n"), []
    for number, body in enumerate(objects, 1):
        offsets.append(len(out))
        out += b"%d 0 obj\n" % number + body + b"\nendobj\n"
    xref = len(out)
    out += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1) + b"".join(b"%010d 00000 n \n" % at for at in offsets)
    out += b"trailer\n<< /Size %d /Root 1 0 R /Info 6 0 R >>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return bytes(out)


PDF_LINES = ["Troops sent to the front in Octo-", "ber were killed within weeks of", "arriving, officials said.",
             "A second paragraph starts here."]


def test_a_pdf_joins_broken_lines_into_paragraphs(tmp_path):
    saved = tmp_path / "report.pdf"
    saved.write_bytes(minimal_pdf(PDF_LINES, b"/Title (Heavy losses) /Author (Jane Doe; John Roe) /CreationDate (D:20241214093000Z)"))
    assert extract(saved) == Article(
        text="Troops sent to the front in October were killed within weeks of arriving, officials said.\n"
             "A second paragraph starts here.\n",
        title=Found("Heavy losses", "the PDF's /Title"), headline=Found(None, None),
        authors=Found(["Jane Doe", "John Roe"], "the PDF's /Author"), publisher=Found(None, None),
        date=Found("2024-12-14", "the PDF's /CreationDate"), language=Found("en-GB", "the PDF's /Lang"),
        url=Found(None, None), chrome=[], how="text layer extracted with pypdf 7.1.1, lines joined into paragraphs",
        format="pdf")


def test_a_pdf_dated_only_by_month(tmp_path):
    saved = tmp_path / "report.pdf"
    saved.write_bytes(minimal_pdf(PDF_LINES, b"/CreationDate (D:202412)"))
    article = extract(saved)
    assert article.date == Found("2024-12", "the PDF's /CreationDate")
    assert article.title == Found(None, None) and article.authors == Found([], None)


def written(writer: pypdf.PdfWriter) -> bytes:
    out = io.BytesIO()
    writer.write(out)
    return out.getvalue()


def test_pdfs_that_cannot_be_read(tmp_path):
    original = tmp_path / "original.pdf"
    original.write_bytes(minimal_pdf(PDF_LINES))
    locked = pypdf.PdfWriter(clone_from=original)
    locked.encrypt("secret", algorithm="RC4-128")
    (tmp_path / "locked.pdf").write_bytes(written(locked))
    blank = pypdf.PdfWriter()
    blank.add_blank_page(612, 792)
    (tmp_path / "scan.pdf").write_bytes(written(blank))
    (tmp_path / "empty.pdf").write_bytes(b"")
    for name, message in [
            ("locked.pdf", "is encrypted with a password; save an unlocked copy and import that"),
            ("scan.pdf", "has no text layer (a scan or images only); OCR it first (e.g. ocrmypdf) and import the result"),
            ("empty.pdf", "cannot be read as a PDF (Cannot read an empty file)")]:
        with pytest.raises(ExtractError) as err:
            extract(tmp_path / name)
        assert str(err.value) == f"{tmp_path / name}: {message}"


def test_a_pdf_locked_with_an_empty_password_is_read(tmp_path):
    original = tmp_path / "original.pdf"
    original.write_bytes(minimal_pdf(PDF_LINES))
    locked = pypdf.PdfWriter(clone_from=original)
    locked.encrypt("", algorithm="RC4-128")
    (tmp_path / "open.pdf").write_bytes(written(locked))
    assert extract(tmp_path / "open.pdf").text.startswith("Troops sent to the front in October were killed")


@pytest.mark.parametrize("name, data, message", [
    ("empty.html", b"", "cannot be read as HTML"),
    ("binary.html", bytes(range(256)) * 10, "cannot tell the character encoding of this page (it may not be text)"),
    ("empty.html.gz", b"", "cannot be read as HTML"),
    ("broken.html.gz", b"hello", "is not a valid gzip file (Not a gzipped file (b'he'))"),
    ("not.pdf", b"<html>not a pdf</html>", "cannot be read as a PDF (Stream has ended unexpectedly)"),
    ("blank.txt", b"\n \r\n\t\n", "no article text found in this file (it is empty or only blank lines)"),
    ("latin.txt", "café".encode("latin-1"), "is not UTF-8 text (byte 3: unexpected end of data); save it as UTF-8"),
    ("binary.txt", b"abc\x00def", "holds NUL characters: a binary file, not text"),
    ("notes.docx", b"PK", "not a saved web page, PDF or text file (expected a name ending in .html, .htm, "
                          ".html.gz, .htm.gz, .pdf, .txt)"),
    ("menu.html", b"<html><head><title>Front page</title></head><body><div><img src='a.png'></div><div></div></body></html>",
     "no article text found in this page (is it the saved article, not a front page or a consent wall?)"),
])
def test_files_that_cannot_be_read_give_one_clear_line(tmp_path, name, data, message):
    (tmp_path / name).write_bytes(data)
    with pytest.raises(ExtractError) as err:
        extract(tmp_path / name)
    assert str(err.value) == f"{tmp_path / name}: {message}"


def test_a_missing_file(tmp_path):
    with pytest.raises(ExtractError) as err:
        extract(tmp_path / "gone.html")
    assert str(err.value) == f"{tmp_path / 'gone.html'}: cannot be read (No such file or directory)"


def test_a_text_file_is_kept_as_it_is(tmp_path):
    saved = tmp_path / "story.txt"
    saved.write_bytes("\ufeffFirst paragraph.  \r\n\r\nSecond one,\twith a tab.\rThird.\n\n\u00a0\n".encode("utf-8"))
    article = extract(saved)
    assert article.text == "First paragraph.\nSecond one,\twith a tab.\nThird.\n"
    assert (article.format, article.chrome, article.title, article.authors) == ("text", [], Found(None, None), Found([], None))
    utf16 = tmp_path / "notepad.txt"
    utf16.write_bytes(codecs.BOM_UTF16_LE + "Zürich’s engineers agreed.\r\n".encode("utf-16-le"))
    assert extract(utf16).text == "Zürich’s engineers agreed.\n"


MADE_UP = """\
Home
Share | Tweet
By Jane Doe
Updated 3 hours ago
1,234 views
The council voted on Tuesday to close the bridge for repairs, after engineers found cracks in two of its supports.
By then, the traffic had already been diverted through the town centre for a week, and shops complained.
By the numbers
Updated figures show 1,000 cars a day used the bridge.
Advertisement
The mayor said the bridge would reopen in the spring, once the supports have been replaced and tested by the engineers who found the cracks.
We use cookies to improve your experience. By continuing you accept our cookie policy.
© 2024 The Daily Example. All rights reserved.
Subscribe
"""


def test_chrome_proposals_in_a_made_up_page(tmp_path):
    saved = tmp_path / "story.txt"
    saved.write_text(MADE_UP, encoding="utf-8")
    assert extract(saved).chrome == [
        (1, 5, "Navigation or accessibility links; Share buttons; Byline; Dateline (published or updated); "
               "A counter (views, comments, shares)"),
        (10, 10, "Advertisement"),
        (12, 14, "Cookie notice; Copyright line; Subscription or sign-in prompt"),
    ]


def shipped_sources(tmp_path) -> list[tuple[str, list[str], set[int]]]:
    """Return each shipped source text's name, its lines as extracted, and its hand-marked chrome lines
    renumbered as in the extracted text (blank lines dropped)."""
    result = []
    for meta in sorted((ROOT / "content" / "sources").glob("*.yaml")):
        record = yaml.safe_load(meta.read_text(encoding="utf-8"))
        copy = tmp_path / record["text"]
        shutil.copy(meta.parent / record["text"], copy)
        original = copy.read_text(encoding="utf-8").split("\n")
        kept = [number for number, line in enumerate(original, 1) if line.strip()]
        marked = set()
        for span in record.get("chrome", []):
            first, _, last = str(span["lines"]).partition("-")
            marked |= set(range(int(first), int(last or first) + 1))
        result.append((copy.name, copy, {kept.index(n) + 1 for n in marked if n in kept}))
    return result


def test_chrome_proposals_on_the_shipped_sources(tmp_path):
    proposed_anywhere = {}
    for name, path, marked in shipped_sources(tmp_path):
        article = extract(path)
        proposed = {n for first, last, _ in article.chrome for n in range(first, last + 1)}
        assert proposed <= marked, f"{name}: proposes article lines {sorted(proposed - marked)} as chrome"
        proposed_anywhere[name] = (len(proposed), len(marked))
    # What it finds of the hand-marked chrome (the rest is the author's to mark): the weather, city and
    # date over one page; the accessibility links over another, and the author's address, comments and
    # other headlines under it (not its byline "Daniel Kim Views" nor its photo credit "Rodong Sinmun").
    assert proposed_anywhere == {"000_93de8827a5fcb3f7.txt": (0, 1), "001_7675fc0b2fed4aaf.txt": (0, 0),
                                 "002_85a0a6b640ef767e.txt": (3, 3), "003_cf7ffd0df13b3f0f.txt": (0, 0),
                                 "004_8fceef0da60e1c2e.txt": (82, 85)}


def test_chrome_is_not_proposed_in_prose():
    lines = ["By the numbers", "Updated figures show 1,000 cars a day used the bridge.",
             "Share prices fell sharply on Tuesday after the announcement, traders said.",
             "Related", "The bridge, related officials said, will reopen in spring after a long and careful repair by the engineers who found it cracked."]
    assert chrome(lines) == []


def test_the_benchmark_meets_its_target(pages, tmp_path, capsys):
    import extraction

    assert extraction.main(["--json", str(tmp_path / "figures.json")]) == 0
    figures = json.loads((tmp_path / "figures.json").read_text(encoding="utf-8"))
    assert figures["pages"] == 120 and figures["failed"] == {}  # every page read, none raised
    assert figures["mean_f1"] >= 0.95
    assert f"mean F1: {figures['mean_f1']:.4f}" in capsys.readouterr().out


def test_the_benchmark_without_the_pages(tmp_path):
    absent = tmp_path / "absent"
    done = subprocess.run([sys.executable, str(ROOT / "benchmarks" / "extraction.py")], capture_output=True, text=True,
                          env={**os.environ, "CHRONICLE_EXTRACTION": str(absent)}, timeout=120)
    assert (done.returncode, done.stdout) == (1, "")
    assert done.stderr == (f"{absent} is absent (or has no ground-truth.json): the extraction benchmark needs the "
                           "saved pages in ../shared/extraction/ beside the checkout, or CHRONICLE_EXTRACTION naming "
                           "their folder\n")
