"""`build.py cite "WORDS"`: the words found in the sources, as citations ready to paste into a record.

The words are located with the build's own matching (cite.py: whitespace, quote and dash styles folded),
so a printed quote is one the build will locate. Each match's quote is lengthened word by word within
its line until it occurs once in its source; when its whole line occurs more than once, the quote is
given with `occurrence: N`. Matches in a source's page chrome are left out (the build refuses quotes
there) and counted. When nothing matches, the closest passages are printed with their similarity.
"""
from __future__ import annotations

import re
import sys
from dataclasses import dataclass
from pathlib import Path

import yaml

from .cite import Miss, SourceText, normalise, prepared
from .files import display_path
from .load import Content, load
from .problems import did_you_mean

SHOWN = 20  # matches printed at most; more means the words are too common to cite
CLOSEST = 5  # closest passages shown at most when nothing matches,
NEAR = 25  # those at most this many points less similar than the closest
_SPACE = re.compile(r"\s+")


@dataclass(frozen=True)
class Match:
    """One place the words occur: the citation that locates it there, and its line."""

    source: str
    quote: str
    occurrence: int | None
    line: int

    def yaml(self, text_path: str) -> str:
        """Return the citation as YAML lines of a list item, after a comment naming its line."""
        quote = yaml.safe_dump(self.quote, default_style='"', allow_unicode=True, width=1 << 30).strip()
        lines = [f"  # {text_path} line {self.line}", f"  - source: {self.source}", f"    quote: {quote}"]
        if self.occurrence is not None:
            lines.append(f"    occurrence: {self.occurrence}")
        return "\n".join(lines)


def cite(content_dir: Path, words: str, source: str | None = None) -> int:
    """Print a citation for each place `words` occur in the sources (or in `source`); return the exit code:
    0 found, 1 not found (the closest passages printed) or no source to search, 2 bad usage."""
    if not normalise(words):
        print("build.py cite: error: give the words to find, e.g. cite \"killed near the village\"", file=sys.stderr)
        return 2
    if not Path(content_dir).is_dir():
        print(f"build.py cite: error: no content folder at {content_dir} (make one with: python build.py init "
              f"{content_dir})", file=sys.stderr)
        return 2
    content = load(Path(content_dir))
    sources = content.entries["sources"]
    if source is not None and source not in sources and source not in content.broken["sources"]:
        hint = did_you_mean(source, set(sources) | content.broken["sources"])
        print(f"build.py cite: error: no source '{source}'" + (f" ({hint})" if hint else ""), file=sys.stderr)
        return 2
    if content.problems:
        _unreadable(content, Path(content_dir))
    searched = [sid for sid in sorted(content.texts) if source in (None, sid)]
    if source is not None and not searched:
        print(f"build.py cite: the text of source '{source}' could not be read: see its problems above",
              file=sys.stderr)
        return 1
    if not searched:
        print("build.py cite: no source text to search: add a source first (python build.py import PATH)",
              file=sys.stderr)
        return 1
    matches, in_chrome = [], []
    for sid in searched:
        found, chrome = matches_in(prepared(content.texts[sid]), words, sid, sources[sid].record.chrome)
        matches += found
        in_chrome += chrome
    for note in in_chrome:
        print(note, file=sys.stderr)
    if not matches:
        return _closest(content, searched, words, bool(in_chrome))
    for match in matches[:SHOWN]:
        print(match.yaml(_text_path(content, match.source)))
    in_sources = len({m.source for m in matches})
    print(f"  # {_count(len(matches), 'match')} in {_count(in_sources, 'source')}"
          + (f"; the first {SHOWN} shown: give more words to narrow it down" if len(matches) > SHOWN else ""))
    return 0


def matches_in(text: SourceText, words: str, sid: str, chrome: list) -> tuple[list, list]:
    """Return the Matches of `words` in one source text, and a note for each match in page chrome."""
    found = text.locate(words)
    if isinstance(found, Miss):
        if found.reason != "ambiguous":
            return [], []
        spans = [text.locate(words, k) for k in range(1, found.count + 1)]
    else:
        spans = [found]
    matches, skipped = [], {}
    for span in spans:
        lines = next((c for c in chrome if c.span[0] <= span.last_line and span.first_line <= c.span[1]), None)
        if lines is None:
            matches.append(_unique(text, span.start, span.end, sid, span.first_line, span.last_line))
        else:
            skipped.setdefault(lines, []).append(str(span.first_line))
    notes = [f"skipped: {_count(len(at), 'match')} in the page chrome of source '{sid}' (line{'s' if len(at) > 1 else ''} "
             f"{', '.join(at)}, in lines {lines.lines}: {lines.label}); the build refuses quotes there"
             for lines, at in skipped.items()]
    return matches, notes


def _unique(text: SourceText, start: int, end: int, sid: str, first: int, last: int) -> Match:
    """Return the Match of the words at `start`:`end`, widened to whole words, then lengthened one word
    at a time (after, then before, in turn) within their lines until they occur once in the text."""
    raw = text.text
    low = text.line_starts[first - 1]
    high = text.line_starts[last] - 1 if last < len(text.line_starts) else len(raw)
    core = (start, end)  # the words as found: punctuation around them is left out, never from them
    start, end = _word_start(raw, start, low), _word_end(raw, end, high)
    after = True
    while True:
        quote, at = _quote(raw, start, end, core)
        found = text.locate(quote)
        if not isinstance(found, Miss):
            return Match(sid, quote, None, first)
        can_after, can_before = _word_end(raw, _skip(raw, end, high), high) > end, start > low
        if not (can_after or can_before):
            break
        if (after and can_after) or not can_before:
            end = _word_end(raw, _skip(raw, end, high), high)
        else:
            start = _word_start(raw, _skip_back(raw, start, low), low)
        after = not after
    # The whole line occurs more than once: say which occurrence, counted as the build counts them.
    count = text.locate(quote).count
    occurrence = next(k for k in range(1, count + 1) if text.locate(quote, k).start == at)
    return Match(sid, quote, occurrence, first)


def _quote(raw: str, start: int, end: int, core: tuple) -> tuple[str, int]:
    """Return the passage at `start`:`end` as a quote, and where it starts: punctuation at either end
    left out (outside `core`, the words as found), whitespace runs made single spaces (the build folds
    them alike)."""
    while start < core[0] and not raw[start].isalnum():
        start += 1
    while end > core[1] and not raw[end - 1].isalnum():
        end -= 1
    return _SPACE.sub(" ", raw[start:end]).strip(), start


def _word_start(raw: str, at: int, low: int) -> int:
    while at > low and not raw[at - 1].isspace():
        at -= 1
    return at


def _word_end(raw: str, at: int, high: int) -> int:
    while at < high and not raw[at].isspace():
        at += 1
    return at


def _skip(raw: str, at: int, high: int) -> int:
    while at < high and raw[at].isspace():
        at += 1
    return at


def _skip_back(raw: str, at: int, low: int) -> int:
    while at > low and raw[at - 1].isspace():
        at -= 1
    return at


def _closest(content: Content, searched: list, words: str, in_chrome: bool) -> int:
    """Print the closest passages to `words` in the searched sources, best first; return 1."""
    misses = [(sid, prepared(content.texts[sid]).locate(words)) for sid in searched]
    misses = sorted(((m.score, sid, m) for sid, m in misses if isinstance(m, Miss) and m.closest),
                    key=lambda found: (-found[0], found[1]))
    where = "outside page chrome" if in_chrome else "verbatim"
    print(f"not found {where} in {_count(len(searched), 'source')}: \"{normalise(words)}\"", file=sys.stderr)
    if misses:
        print("closest passages:", file=sys.stderr)
    best = misses[0][0] if misses else 0
    for score, sid, miss in [found for found in misses if found[0] >= best - NEAR][:CLOSEST]:
        print(f"  {_text_path(content, sid)} line {miss.closest_line} ({score}% similar, source '{sid}'): "
              f"\"{miss.closest}\"", file=sys.stderr)
    return 1


def _unreadable(content: Content, content_dir: Path) -> None:
    """Print the problems of the sources (they say why a text could not be read, as check does), how
    many there are in all, and that the sources whose text could be read are searched. The others (a
    blank event being written, say) are check's to list: cite is run while writing one."""
    folder = display_path(content_dir / "sources") + "/"
    for problem in content.problems:
        if problem.path.replace("\\", "/").startswith(folder):
            print(problem, file=sys.stderr)
    files = len({p.path for p in content.problems})
    print(f"{_count(len(content.problems), 'problem')} in {_count(files, 'file')} (python build.py check lists "
          "them); the sources whose text could be read were searched.", file=sys.stderr)


def _text_path(content: Content, sid: str) -> str:
    return display_path(Path(content.root) / "sources" / content.entries["sources"][sid].record.text)


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}" + ("" if n == 1 else "es" if noun.endswith("ch") else "s")
