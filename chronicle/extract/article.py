"""What an extraction gives back: the article's text and what its file says about it, each with where."""

from dataclasses import dataclass


@dataclass(frozen=True)
class Found:
    """A value found in the file and where it came from, in words a reader understands."""
    value: object          # str, list[str], or None when not found
    where: str | None      # e.g. "the page's article:published_time"; None when not found


NOT_FOUND = Found(None, None)
NO_AUTHORS = Found([], None)


@dataclass(frozen=True)
class Article:
    """The article in a saved page, PDF or text file, and its metadata."""
    text: str              # one paragraph per line, exactly as extracted, ending in "\n"
    title: Found           # the page's title (<title>, og:title), str
    headline: Found        # the headline as printed (h1, JSON-LD headline), str
    authors: Found         # list[str], bylines as printed; [] with where=None when none
    publisher: Found       # str (og:site_name, JSON-LD publisher.name, ...)
    date: Found            # an EDTF string ("2024-12-14", or "2024-12" when only the month is given)
    language: Found        # a BCP 47 tag ("en", "pt-BR")
    url: Found             # the canonical URL, http(s) only
    chrome: list[tuple[int, int, str]]  # proposed page-chrome lines (first, last, label), plain text only
    how: str               # how the text was obtained
    format: str            # "html", "pdf" or "text"


class ExtractError(Exception):
    """A file that cannot be read as a page, PDF or text; str(err) is one line for the user."""


def lines_as_text(lines) -> str:
    """Return `lines` stripped at the end, blank ones dropped, one a line and ending in a newline."""
    kept = [line.rstrip() for line in lines]
    return "".join(line + "\n" for line in kept if line.strip())
