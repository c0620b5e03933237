"""Markdown summaries: CommonMark without raw HTML; only http(s) and relative links; images as their text."""
from __future__ import annotations

import re
from functools import lru_cache

from markdown_it import MarkdownIt
from markdown_it.common.utils import escapeHtml
from markupsafe import Markup

_SCHEME = re.compile(r"^[a-z][a-z0-9+.\-]*:", re.IGNORECASE)
_WEB = re.compile(r"^https?://[^/\\]", re.IGNORECASE)


def safe_link(url: str) -> bool:
    """Return whether `url` may be a link: http(s), or relative to the site (no scheme, no '//' host)."""
    if any(c.isspace() or ord(c) < 0x20 or c == "\\" for c in url):
        return False
    if _SCHEME.match(url):
        return bool(_WEB.match(url))
    return not url.startswith("//")  # a host without a scheme is not relative to the site


def _image_as_text(self, tokens, idx, options, env) -> str:
    # Summaries are words: an image (possibly from elsewhere, which the site's Content-Security-Policy
    # would block) shows as its alternative text.
    return escapeHtml(self.renderInlineAsText(tokens[idx].children or [], options, env))


_md = MarkdownIt("commonmark", {"html": False, "linkify": False, "typographer": False})
_md.validateLink = safe_link  # any other link (javascript:, data:, mailto:...) stays as plain text
_md.add_render_rule("image", _image_as_text)


# A summary that is one line of words and plain punctuation, and does not start like a list, is one
# paragraph whatever CommonMark says: it is written without parsing (tests/test_markdown.py checks that
# this gives what markdown-it gives). No emphasis, code, link, HTML, entity or escape can occur in it.
_PUNCTUATION = {ord(c): None for c in " ,.;:'\"’‘“”—–-?!()%/"}  # the plain punctuation, deleted
_LIST_START = re.compile(r"[-+]|\d+[.)]")


def _plain_line(text: str) -> bool:
    """Return whether `text` is letters and digits (no `_`) and plain punctuation only: what is left
    once that punctuation is deleted is alphanumeric (three times faster than a pattern)."""
    rest = text.translate(_PUNCTUATION)
    return bool(text) and (not rest or rest.isalnum())


@lru_cache(maxsize=65536)  # a summary shows on its event's page and the timeline: parse it once
def render(text: str) -> Markup:
    """Return the HTML of a Markdown summary; raw HTML in it is shown as text, never interpreted."""
    if text == text.strip() and _plain_line(text) and not _LIST_START.match(text):
        return Markup("<p>" + text.replace('"', "&quot;") + "</p>\n")
    return Markup(_md.render(text))
