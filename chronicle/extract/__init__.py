"""The article in a saved web page, a PDF or a plain text file, and what the file says about it.

`extract(path)` returns an `Article`: the text, one paragraph a line, and each piece of metadata as a
`Found` (its value and where it came from). Anything that cannot be read raises `ExtractError`, whose
message is one line for the user.
"""

import contextlib
import gzip
import logging
import zlib
from pathlib import Path

from .article import Article, ExtractError, Found
from . import pagemeta, pdf, plaintext, webpage

__all__ = ["Article", "ExtractError", "Found", "extract", "FORMATS"]

# The file names each reader takes, as a browser's "Save page as" and most tools write them.
FORMATS = {".html": "html", ".htm": "html", ".html.gz": "html", ".htm.gz": "html", ".pdf": "pdf", ".txt": "text"}


def extract(path: Path) -> Article:
    """Return the article in a saved web page (.html, .htm, .html.gz, .htm.gz), a PDF or a plain text
    file (.txt). Raise ExtractError (never anything else) when the file cannot be read as such."""
    path = Path(path)
    kind = _kind(path)
    try:
        data = path.read_bytes()
    except OSError as err:
        raise ExtractError(f"{path}: cannot be read ({err.strerror or err})") from None
    try:
        with _libraries_quiet():
            return _read(kind, data, path)
    except ExtractError:
        raise
    except (RecursionError, MemoryError) as err:
        raise ExtractError(f"{path}: too deeply nested or too large to read ({type(err).__name__})") from None
    except Exception as err:  # the promise: a file that breaks a library gives a message, never a traceback
        raise ExtractError(f"{path}: could not be read as {kind} ({type(err).__name__}: {err})") from None


def _read(kind: str, data: bytes, path: Path) -> Article:
    """Return the article in `data`, read as `kind`."""
    if kind == "html":
        return _page(_gunzipped(data, path) if path.name.lower().endswith(".gz") else data, path)
    if kind == "pdf":
        return pdf.article(data, path)
    return plaintext.article(data, path)


# The libraries log what they skip or repair ("discarding data", "invalid pdf header"); with no logging
# configured Python prints their warnings bare on stderr. What the user needs is in the ExtractError.
_LIBRARY_LOGGERS = ("trafilatura", "htmldate", "courlan", "justext", "readability", "pypdf", "charset_normalizer")


@contextlib.contextmanager
def _libraries_quiet():
    """Silence the libraries' own warnings while a file is read, then restore their levels."""
    loggers = [logging.getLogger(name) for name in _LIBRARY_LOGGERS]
    levels = [logger.level for logger in loggers]
    for logger in loggers:
        logger.setLevel(logging.CRITICAL)
    try:
        yield
    finally:
        for logger, level in zip(loggers, levels):
            logger.setLevel(level)


def _kind(path: Path) -> str:
    name = path.name.lower()
    for suffix, kind in sorted(FORMATS.items(), key=lambda item: -len(item[0])):
        if name.endswith(suffix):
            return kind
    raise ExtractError(f"{path}: not a saved web page, PDF or text file (expected a name ending in "
                       f"{', '.join(FORMATS)})")


def _gunzipped(data: bytes, path: Path) -> bytes:
    try:
        return gzip.decompress(data)
    except (OSError, EOFError, zlib.error) as err:
        raise ExtractError(f"{path}: is not a valid gzip file ({err})") from None


def _page(data: bytes, path: Path) -> Article:
    tree = webpage.parse(webpage.decode(data, str(path)), str(path))
    page = pagemeta.Page(tree)  # read before trafilatura, which cleans a copy of the tree
    text = webpage.page_text(tree)
    if not text:
        raise ExtractError(f"{path}: no article text found in this page (is it the saved article, "
                           "not a front page or a consent wall?)")
    return Article(text=text, title=pagemeta.title(page), headline=pagemeta.headline(page),
                   authors=pagemeta.authors(page), publisher=pagemeta.publisher(page),
                   date=pagemeta.date(page), language=pagemeta.language(page), url=pagemeta.url(page),
                   chrome=[], how=webpage.HOW, format="html")
