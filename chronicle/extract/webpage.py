"""The article text of a saved web page: its bytes decoded, then trafilatura's extraction as lines."""

import codecs
import re

import charset_normalizer
import trafilatura
from lxml import etree

from .article import ExtractError, lines_as_text

# The byte-order marks a browser honours before anything the page declares (WHATWG "decode").
_BOMS = ((codecs.BOM_UTF8, "utf-8"), (codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be"))
# <meta charset=...>, <meta http-equiv=Content-Type content="...; charset=...">, <?xml encoding=...?>,
# looked for in the first 4 KiB as browsers do (the HTML standard's prescan reads 1,024 bytes; pages
# saved with a long <head> put it later).
_DECLARED = re.compile(rb"""<meta[^>]*?charset\s*=\s*["']?\s*([A-Za-z0-9._:-]+)|<\?xml[^>]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)""", re.I)
_PRESCAN = 4096
# Labels the HTML standard decodes as windows-1252: pages that say latin-1 often use its extra characters.
_AS_WINDOWS_1252 = {"iso-8859-1", "iso8859-1", "latin-1", "latin1", "l1", "ascii", "us-ascii", "cp819"}
# charset_normalizer's names of the single-byte code pages for Latin scripts.
_LATIN_CODE_PAGES = {"cp1250", "cp1252", "cp1254", "cp1257", "latin_1", "iso8859_2", "iso8859_3", "iso8859_4",
                     "iso8859_9", "iso8859_10", "iso8859_13", "iso8859_14", "iso8859_15", "iso8859_16", "mac_roman",
                     "mac_latin2", "cp850", "cp437"}
_XML_DECLARATION = re.compile(r"^\s*<\?xml[^>]*\?>")

# trafilatura's documented options, chosen by the benchmark (benchmarks/extraction.py): comments are not
# the article, and its precision setting keeps less of what surrounds it.
_OPTIONS = {"output_format": "xml", "include_comments": False, "with_metadata": False}
# When the precision setting keeps less than this share of what the default setting finds, it has cut
# into the article itself rather than trimmed its edges, and the default's text is kept (see the benchmark).
_PRECISION_KEEPS_AT_LEAST = 0.2

HOW = f"article text extracted with trafilatura {trafilatura.__version__}"


def decode(data: bytes, name: str) -> str:
    """Return a saved page's bytes as text: by its byte-order mark, its declared charset, UTF-8, or detection."""
    for bom, encoding in _BOMS:
        if data.startswith(bom):
            return _decoded(data[len(bom):], encoding, name)
    match = _DECLARED.search(data[:_PRESCAN])
    if match:
        label = (match.group(1) or match.group(2)).decode("ascii").lower()
        label = "windows-1252" if label in _AS_WINDOWS_1252 else label
        try:
            return data.decode(label)
        except (LookupError, UnicodeDecodeError):
            pass  # a wrong or unknown declaration: pages lie about their encoding; try the others
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    best = charset_normalizer.from_bytes(data).best()
    if best is None:
        raise ExtractError(f"{name}: cannot tell the character encoding of this page (it may not be text)")
    if best.encoding in _LATIN_CODE_PAGES:
        # Latin code pages differ in a few letters that statistics over a page cannot tell apart (é
        # vs č); a page that declares none is windows-1252 by the HTML standard's fallback.
        try:
            return data.decode("windows-1252")
        except UnicodeDecodeError:
            pass  # a byte windows-1252 leaves undefined: the detected code page it is
    return str(best)


def _decoded(data: bytes, encoding: str, name: str) -> str:
    try:
        return data.decode(encoding)
    except UnicodeDecodeError as err:
        raise ExtractError(f"{name}: starts with a {encoding} byte-order mark but is not {encoding} ({err.reason} at byte {err.start})") from None


def parse(html: str, name: str):
    """Return the page's lxml tree (trafilatura's public `load_html`), or raise ExtractError."""
    # lxml refuses a str that declares its encoding; the text is decoded already.
    tree = trafilatura.load_html(_XML_DECLARATION.sub("", html, count=1))
    if tree is None:
        raise ExtractError(f"{name}: cannot be read as HTML")
    return tree


def article_lines(tree) -> list[str]:
    """Return the article's paragraphs, one a line: trafilatura's precise extraction, or its default one."""
    default = extracted_lines(tree)
    precise = extracted_lines(tree, favor_precision=True)
    return choose(precise, default)


def choose(precise: list[str], default: list[str]) -> list[str]:
    """Return the precise extraction unless it kept under a fifth of the default one's words."""
    if words(precise) >= _PRECISION_KEEPS_AT_LEAST * words(default):
        return precise
    return default


def extracted_lines(tree, **options) -> list[str]:
    """Return trafilatura's extraction of the article with `options` (its documented ones), one paragraph
    a line: comments left out, as XML turned into lines."""
    return _lines(trafilatura.extract(tree, **{**_OPTIONS, **options}))


def words(lines: list[str]) -> int:
    """Return the number of words in `lines`."""
    return sum(len(line.split()) for line in lines)


def page_text(tree) -> str:
    """Return the article's text, one paragraph a line, ending in a newline ("" when none was found)."""
    return lines_as_text(article_lines(tree))


# trafilatura's XML output (documented): <main> holds blocks; <p>, <head>, <item>, <row>, <code> are
# paragraphs; <list>, <table>, <quote>, <div> hold blocks; <lb/> breaks a line; other elements are inline.
_CONTAINERS = {"main", "list", "table", "quote", "div", "body", "doc"}
_PARAGRAPHS = {"p", "head", "item", "code", "row", "cell", "quote"}


def _lines(xml: str | None) -> list[str]:
    if not xml:
        return []
    root = etree.fromstring(xml.encode("utf-8"), etree.XMLParser(resolve_entities=False, no_network=True))
    main = root.find("main")
    lines: list[str] = []
    if main is not None:
        _blocks(main, lines)
    return [line for line in lines if line.strip()]


def _blocks(element, lines: list[str]) -> None:
    """Append the lines of a block element's content to `lines`."""
    current: list[str] = [element.text or ""]
    for child in element:
        if child.tag == "row":
            _flush(current, lines)
            lines.append("\t".join(" ".join(_inline(cell).split()) for cell in child))
        elif child.tag in _CONTAINERS or child.tag in _PARAGRAPHS:
            _flush(current, lines)
            _blocks(child, lines)
        elif child.tag == "lb":
            _flush(current, lines)
        else:
            current.append(_inline(child))
        current.append(child.tail or "")
    _flush(current, lines)


def _inline(element) -> str:
    """Return an inline element's text, its line breaks as spaces."""
    return "".join(element.itertext())


def _flush(current: list[str], lines: list[str]) -> None:
    text = " ".join("".join(current).split())
    if text:
        lines.append(text)
    current.clear()
