"""Where every page and anchor lives in the site. All internal links are relative."""
from __future__ import annotations

from functools import lru_cache
from urllib.parse import quote

# A record's page is at {kind}/{id}.html and its kind's index at {kind}/index.html, for every kind (kinds.py).


def page(kind: str, rid: str) -> str:
    """Return the site path of a record's page, e.g. 'events/kirby-briefing.html'."""
    return f"{kind}/{rid}.html"


def index(kind: str) -> str:
    """Return the site path of a kind's index page, e.g. 'people/index.html'."""
    return f"{kind}/index.html"


def own_pages(kind: str) -> tuple:
    """Return the site paths of the pages the site writes into a kind's folder beside its records'
    pages: its index page. A record whose page would be one of them is refused (kinds.Kinds.reserved_ids),
    in every kind, whether it has an index page or not: `index.html` is also what web servers show
    for the folder's own address. (The site's other pages and folders sit at its top level, where no
    record's page is: kinds.RESERVED keeps kinds from being named after those folders.)"""
    return (index(kind),)


def quote_anchor(kind: str, owner: str, index_: int) -> str:
    """Return the id of the anchor placed where a record's citation starts in its source page."""
    return f"q-{kind}-{owner}-{index_}"


def paragraph_anchor(line: int) -> str:
    """Return the id of a source paragraph: its line number in the text file, stable forever."""
    return f"p{line}"


def quote_link(quote) -> str:
    """Return the site path (with #anchor) of a located quote in its source page."""
    return f"{page('sources', quote.source)}#{quote_anchor(quote.kind, quote.owner, quote.index)}"


def text_fragment(words: str) -> str:
    """Return a URL text fragment (#:~:text=start,end) that browsers scroll to and highlight."""
    tokens = words.split()
    if len(tokens) <= 8:
        return ":~:text=" + fragment_term(" ".join(tokens))
    return ":~:text=" + fragment_term(" ".join(tokens[:4])) + "," + fragment_term(" ".join(tokens[-4:]))


def fragment_term(text: str) -> str:
    """Return `text` percent-encoded (UTF-8) as one term of a text directive: every character but
    letters, digits and _ . ~, since a term must encode ',' and '&' (they separate terms and directives)
    and '-' (it marks a prefix- or -suffix term), which urllib's quote keeps."""
    words = text.replace(" ", "")
    if words.isalnum() and words.isascii():  # the usual case, a few times faster than quote
        return text.replace(" ", "%20")
    return quote(text, safe="").replace("-", "%2D")


@lru_cache(maxsize=262144)
def relative(from_page: str, to_path: str) -> str:
    """Return a link from one site page to another site path (an #anchor may follow).

    Site paths are plain relative POSIX paths (no '.', '..' or leading '/'), so the link is the
    climb out of the page's folder followed by the target path.
    """
    target, hash_, anchor = to_path.partition("#")
    here = from_page.split("/")[:-1]
    there = target.split("/")
    common = 0
    while common < len(here) and common < len(there) - 1 and here[common] == there[common]:
        common += 1
    rel = "/".join([".."] * (len(here) - common) + there[common:])
    if not target:
        rel = ""
    elif target == from_page:
        rel = there[-1]
    return rel + hash_ + anchor
