"""Locating quotes in source texts, verbatim up to whitespace, quote and dash styles."""
from __future__ import annotations

import bisect
import os
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache
from typing import NamedTuple

from rapidfuzz import fuzz

from . import characters

# Only these differences are forgiven: typographic vs straight quotes and apostrophes,
# dash styles, and runs of whitespace. Everything else must match exactly.
_FOLD = str.maketrans({
    "\u201c": '"', "\u201d": '"', "\u201e": '"', "\u201f": '"', "\u00ab": '"', "\u00bb": '"',
    "\u2033": '"',
    "\u2018": "'", "\u2019": "'", "\u201a": "'", "\u201b": "'", "\u02bc": "'", "\u2032": "'",
    "\u2010": "-", "\u2011": "-", "\u2012": "-", "\u2013": "-", "\u2014": "-", "\u2015": "-",
    "\u2212": "-",
})
# The same table plus every whitespace character (all lie below U+3001) mapped to a plain space.
_FOLD_AND_SPACE = {**_FOLD, **{c: " " for c in range(0x3001) if chr(c).isspace() and c != 0x20}}
_LEADING = re.compile(r" +")
_RUN = re.compile(r"  +")  # two spaces or more: found by its literal start, some ten times faster than " {2,}"
# The closest-passage search costs about len(quote) * len(text); beyond this many characters of a quote
# only its start is searched for, and the rest compared in place (a 100,000-character quote in a 10 MB
# text would otherwise take hours).
FUZZY_HEAD = 300
SHOWN = 160  # longest closest passage shown in a message


def normalise(text: str) -> str:
    """Return `text` with quotes, dashes and whitespace folded, as the matcher compares it."""
    folded = text.translate(_FOLD_AND_SPACE)  # whitespace made plain spaces: only runs of them are left
    return (_RUN.sub(" ", folded) if "  " in folded else folded).strip(" ")


class Span(NamedTuple):
    """Where a quote sits in its source text: character offsets and lines (1-based, inclusive). A named
    tuple: made for every quote, and sent back from the second process as a plain one."""

    start: int
    end: int
    first_line: int
    last_line: int


@dataclass(frozen=True)
class Miss:
    """Why a quote was not located, with the closest passage to suggest."""

    reason: str  # "not-found", "ambiguous", "occurrence"
    count: int = 0
    lines: tuple = ()
    closest: str = ""
    closest_line: int = 0
    score: float = 0.0
    passage: str = ""  # the closest passage in full (as much of it as the quote's length), folded


@lru_cache(maxsize=None)
def prepared(text: str) -> "SourceText":
    """Return the SourceText of `text`, prepared once per process (the preview re-links often)."""
    return SourceText(text)


class SourceText:
    """A source text prepared for matching: folded once, with a map back to the original offsets.

    Its `text` is what every page and feed shows of the source: the characters XML and HTML forbid
    (which a page's text may hold, unlike content) replaced by U+FFFD, one for one, so that offsets and
    lines are those of the file; the exports keep the text verbatim (`Content.texts`).
    """

    def __init__(self, text: str):
        self.text = characters.replaced(text)
        self.line_starts = [0] + [m.end() for m in re.finditer("\n", text)]
        self._folded: str | None = None  # folded the first time a quote is looked for
        self._located: dict = {}

    @property
    def folded(self) -> str:
        """Return the text with quotes, dashes and whitespace folded."""
        if self._folded is None:
            self._fold()
        return self._folded

    def _fold(self) -> None:
        # Every whitespace character becomes a plain space (one for one, so offsets are unchanged);
        # then only runs of several spaces, and leading ones, need collapsing.
        folded = self.text.translate(_FOLD_AND_SPACE)
        pieces: list[str] = []
        # The folded text is cut into segments that map linearly back to the original text:
        # segment k starts at folded offset fold_at[k] and original offset orig_at[k].
        fold_at: list[int] = []
        orig_at: list[int] = []
        at = size = 0
        lead = _LEADING.match(folded)
        runs = [lead.span()] if lead else []
        runs += [run.span() for run in _RUN.finditer(folded, lead.end() if lead else 0)]
        for start, end in runs:
            if start > at:
                fold_at.append(size)
                orig_at.append(at)
                pieces.append(folded[at:start])
                size += start - at
            if start > 0:  # leading whitespace is dropped; any other run becomes one space
                fold_at.append(size)
                orig_at.append(start)
                pieces.append(" ")
                size += 1
            at = end
        if at < len(folded):
            fold_at.append(size)
            orig_at.append(at)
            pieces.append(folded[at:])
        self._folded = "".join(pieces)
        self._fold_at, self._orig_at = fold_at, orig_at

    def original(self, at: int) -> int:
        """Return the offset in the original text of offset `at` in the folded text."""
        if self._folded is None:
            self._fold()
        k = bisect.bisect_right(self._fold_at, at) - 1
        return self._orig_at[k] + at - self._fold_at[k]

    @property
    def offsets(self) -> list[int]:
        """Return the original offset of every folded character (for tests; `original` is cheaper)."""
        return [self.original(i) for i in range(len(self.folded))]

    def line_of(self, offset: int) -> int:
        """Return the 1-based line holding character `offset` of the original text."""
        return bisect.bisect_right(self.line_starts, offset)

    def _span(self, at: int, length: int) -> Span:
        start = self.original(at)
        end = self.original(at + length - 1) + 1
        return Span(start, end, self.line_of(start), self.line_of(end - 1))

    def locate(self, quote: str, occurrence: int | None = None) -> Span | Miss:
        """Return the Span of `quote`, or a Miss saying why it could not be placed (remembered per text)."""
        key = (quote, occurrence)
        found = self._located.get(key)
        if found is None:
            found = self._located[key] = self._locate(quote, occurrence)
        return found

    def located(self, keys: list) -> list:
        """Return what `locate` found for each (quote, occurrence) of `keys`, as plain values to send to
        another process (a Span as a plain tuple, which pickles ten times faster)."""
        found = [self._located[key] for key in keys]
        return [tuple(value) if type(value) is Span else value for value in found]

    def remember(self, keys: list, found: list) -> None:
        """Take what `located(keys)` gave in another process, as if found here."""
        for key, value in zip(keys, found):
            self._located[key] = Span(*value) if type(value) is tuple else value

    def _find_all(self, needle: str) -> list[int]:
        found = []
        at = self.folded.find(needle)
        while at != -1 and needle:
            found.append(at)
            at = self.folded.find(needle, at + 1)
        return found

    def lines_of(self, quote: str) -> tuple:
        """Return the first line of each place `quote` occurs, matched as `locate` matches it (the first
        ten, and "..." when there are more), without looking for a closest passage when it does not."""
        needle = normalise(quote)
        found = self._find_all(needle)
        if not found and not needle.isascii():
            found = self._in_other_forms(needle)[1]
        return tuple(self.line_of(self.original(a)) for a in found[:10]) + (("...",) if len(found) > 10 else ())

    def _in_other_forms(self, needle: str) -> tuple[str, list]:
        """Return the form of `needle` found and where it occurs, or `needle` and [].

        The same accented letter can be one code point (NFC) or a letter and a combining mark (NFD, as
        macOS and some web pages write it): the quote is tried in both forms."""
        for form in ("NFC", "NFD"):
            other = unicodedata.normalize(form, needle)
            if other != needle:
                found = self._find_all(other)
                if found:
                    return other, found
        return needle, []

    def _locate(self, quote: str, occurrence: int | None) -> Span | Miss:
        needle = normalise(quote)
        found = self._find_all(needle)
        if not found and not needle.isascii():
            needle, found = self._in_other_forms(needle)
        if not found:
            return self._closest(needle)
        # The lines of the first ten, and "..." when there are more: a short quote may occur thousands of times.
        lines = tuple(self.line_of(self.original(a)) for a in found[:10]) + (("...",) if len(found) > 10 else ())
        if occurrence is None:
            if len(found) > 1:
                return Miss("ambiguous", len(found), lines)
            occurrence = 1
        if occurrence > len(found):
            return Miss("occurrence", len(found), lines)
        return self._span(found[occurrence - 1], len(needle))

    def _closest(self, needle: str) -> Miss:
        if not needle:
            return Miss("not-found")
        if len(needle) > FUZZY_HEAD:
            return self._closest_long(needle)
        hit = fuzz.partial_ratio_alignment(needle, self.folded, processor=None)
        if hit is None or hit.score == 0:
            return Miss("not-found")
        span = self._span(hit.dest_start, max(1, hit.dest_end - hit.dest_start))
        passage = closest = self._words(span.start, span.end)
        if len(closest) > SHOWN:
            closest = closest[:SHOWN - 3].rsplit(" ", 1)[0] + "..."
        return Miss("not-found", closest=closest, closest_line=span.first_line, score=_score(hit.score),
                    passage=passage)

    def _closest_long(self, needle: str) -> Miss:
        """Return the closest passage of a long quote: where its start fits best, shown from its first difference."""
        hit = fuzz.partial_ratio_alignment(needle[:FUZZY_HEAD], self.folded, processor=None)
        if hit is None or hit.score == 0:
            return Miss("not-found")
        at = max(0, hit.dest_start - hit.src_start)
        candidate = self.folded[at:at + len(needle)]
        same = len(os.path.commonprefix([needle, candidate]))
        shown_at = at + max(0, same - 40)  # a little before the first difference
        span = self._span(shown_at, max(1, min(SHOWN, len(self.folded) - shown_at)))
        closest = self._words(span.start, span.end)
        closest = ("..." if shown_at > at else "") + closest[:SHOWN].rsplit(" ", 1)[0] + "..."
        return Miss("not-found", closest=closest, closest_line=self.line_of(self.original(min(at + same, len(self.folded) - 1))),
                    score=_score(fuzz.ratio(needle, candidate)), passage=candidate)

    def _words(self, start: int, end: int) -> str:
        """Return the original text from `start` to `end`, widened to whole words, folded."""
        while start > 0 and not self.text[start - 1].isspace():
            start -= 1
        while end < len(self.text) and not self.text[end].isspace():
            end += 1
        return normalise(self.text[start:end])


def _score(score: float) -> int:
    """Return a similarity in percent; never 100, since the quote was not found."""
    return min(99, round(score))
