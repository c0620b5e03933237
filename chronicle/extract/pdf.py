"""The text of a PDF's text layer (pypdf), its lines joined into paragraphs, and its document metadata."""

import io
import re

import pypdf

from .article import NO_AUTHORS, NOT_FOUND, Article, ExtractError, Found, lines_as_text
from .dates import day_or_month
from .pagemeta import bcp47

HOW = f"text layer extracted with pypdf {pypdf.__version__}, lines joined into paragraphs"
# PDF dates (ISO 32000 7.9.4): D:YYYYMMDDHHmmSS+HH'mm', every part after the year optional.
_PDF_DATE = re.compile(r"^\s*(?:D:)?(\d{4})(\d{2})?(\d{2})?")
# A line that ends a sentence: its last character, before any closing quotes or brackets.
_ENDS_SENTENCE = re.compile(r"[.!?:;…][\"'”’»)\]]*$")


def article(data: bytes, path) -> Article:
    """Return the article in a PDF's text layer, or raise ExtractError when it has none or is locked."""
    try:
        reader = pypdf.PdfReader(io.BytesIO(data))
        if reader.is_encrypted and not reader.decrypt(""):  # opened without a password is still readable
            raise ExtractError(f"{path}: is encrypted with a password; save an unlocked copy and import that")
        pages = [page.extract_text() or "" for page in reader.pages]
        info = reader.metadata or {}
        lang = reader.root_object.get("/Lang")
    except ExtractError:
        raise
    except pypdf.errors.DependencyError:
        raise ExtractError(f"{path}: is encrypted (AES); save an unlocked copy and import that") from None
    except (pypdf.errors.PyPdfError, ValueError, KeyError, TypeError) as err:
        raise ExtractError(f"{path}: cannot be read as a PDF ({err})") from None
    text = lines_as_text(paragraphs(pages))
    if not text:
        raise ExtractError(f"{path}: has no text layer (a scan or images only); OCR it first "
                           "(e.g. ocrmypdf) and import the result")
    return Article(text=text, title=_info(info, "/Title"), headline=NOT_FOUND, authors=_authors(info),
                   publisher=NOT_FOUND, date=_date(info), language=_language(lang), url=NOT_FOUND,
                   chrome=[], how=HOW, format="pdf")


def paragraphs(pages: list[str]) -> list[str]:
    """Return the pages' lines joined into paragraphs: a line that does not end a sentence and is followed
    by one starting in lower case continues it; a word hyphenated at a line's end is joined again."""
    result: list[str] = []
    broken = False  # the last paragraph ended at a blank line, so nothing joins it
    for page in pages:
        for line in page.splitlines():
            line = " ".join(line.split())
            if not line:
                broken = True
                continue
            if result and not broken and _continues(result[-1], line):
                last = result[-1]
                result[-1] = last[:-1] + line if _hyphenated(last) else last + " " + line
            else:
                result.append(line)
            broken = False
    return result


def _continues(last: str, line: str) -> bool:
    return line[0].islower() and not _ENDS_SENTENCE.search(last)


def _hyphenated(last: str) -> bool:
    return len(last) > 1 and last.endswith("-") and last[-2].isalpha()


def _info(info, key: str) -> Found:
    value = info.get(key)
    if isinstance(value, str) and value.strip():
        return Found(" ".join(value.split()), f"the PDF's {key}")
    return NOT_FOUND


def _authors(info) -> Found:
    found = _info(info, "/Author")
    if not found.value:
        return NO_AUTHORS
    names = [name.strip() for name in found.value.split(";") if name.strip()]
    return Found(names, found.where)


def _date(info) -> Found:
    """Return the PDF's /CreationDate as EDTF with the precision it has (year, month or day)."""
    value = info.get("/CreationDate")
    match = _PDF_DATE.match(value) if isinstance(value, str) else None
    if not match:
        return NOT_FOUND
    year, month, day = match.groups()
    edtf = day_or_month(f"{year}-{month}-{day}" if day else f"{year}-{month}") if month else None
    return Found(edtf or year, "the PDF's /CreationDate")


def _language(value) -> Found:
    tag = bcp47(str(value)) if value is not None else None
    return Found(tag, "the PDF's /Lang") if tag else NOT_FOUND
