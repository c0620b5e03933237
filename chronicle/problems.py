"""Content problems: where, what, and how to fix it."""
from __future__ import annotations

import difflib
import re
import unicodedata
from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with the content, located at file:line."""

    path: str
    line: int
    message: str
    hint: str = ""

    def __str__(self) -> str:
        where = f"{self.path}:{self.line}" if self.line else self.path
        text = f"{where}: {self.message}"
        return visible(f"{text} ({self.hint})" if self.hint else text)


_HIDDEN = ("Cc", "Cf", "Co", "Cs", "Cn", "Zl", "Zp")  # controls, format (bidi, zero-width), unassigned


def visible(text: str) -> str:
    """Return `text` with control, zero-width and direction-changing characters shown as escapes.

    A file name or quote holding a right-to-left override would otherwise print reordered, and a
    zero-width space not at all; `\\u202e` shows what is there.
    """
    if text.isascii() and text.isprintable():
        return text
    return "".join(c if unicodedata.category(c) not in _HIDDEN
                   else f"\\u{ord(c):04x}" if ord(c) <= 0xFFFF else f"\\U{ord(c):08x}" for c in text)


class ContentErrors(Exception):
    """Raised when content has problems; carries all of them, sorted."""

    def __init__(self, problems: list[Problem]):
        self.problems = sorted(set(problems))
        super().__init__(f"{len(self.problems)} content problem(s)")


def did_you_mean(word: str, choices, *, label: str = "") -> str:
    """Return a 'did you mean ...?' hint for the closest choices, or ''."""
    close = difflib.get_close_matches(word, sorted(set(choices)), n=3, cutoff=0.6)
    if not close:
        return ""
    names = " or ".join(f"'{c}'" for c in close)
    return f"did you mean {label}{names}?"


def summary_line(problems: list[Problem]) -> str:
    """Return the one-line count of problems and files."""
    files = len({p.path for p in problems})
    noun = "problem" if len(problems) == 1 else "problems"
    fnoun = "file" if files == 1 else "files"
    return f"{len(problems)} {noun} in {files} {fnoun}; nothing was written."


def slug(text: str) -> str:
    """Return `text` as an id: lowercase ASCII words joined by hyphens (for ids suggested in hints, and
    the names and aliases did-you-mean compares ids with)."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "name"


def odd_character(text: str) -> str:
    """Return ': it holds U+043E CYRILLIC SMALL LETTER O' for the first character of `text` that is not
    ASCII or is invisible (look-alikes, direction overrides, zero-width spaces), or ''."""
    for c in text:
        if not c.isascii() or not c.isprintable():
            name = unicodedata.name(c, "")
            return f": it holds U+{ord(c):04X} {name}" if name else f": it holds the control character U+{ord(c):04X}"
    return ""
