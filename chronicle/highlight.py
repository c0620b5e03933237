"""A source text as paragraphs, with every cited passage marked and anchored."""
from __future__ import annotations

from dataclasses import dataclass, field

from . import urls


@dataclass
class Paragraph:
    """One non-blank line of a source text, cut into pieces at quote boundaries."""

    line: int
    chrome: str = ""  # the chrome label, if the line is page chrome
    chrome_starts: bool = False  # first line of its chrome range: the label is shown here
    pieces: list = field(default_factory=list)  # (text, anchors before it, quotes covering it)
    quotes: list = field(default_factory=list)  # quotes overlapping this paragraph, in order

    @property
    def anchor(self) -> str:
        return urls.paragraph_anchor(self.line)


def paragraphs(text: str, quotes: list, chrome_ranges: list) -> list[Paragraph]:
    """Return the paragraphs of `text`, each quote marked where it sits and anchored where it starts."""
    chrome, starts = {}, set()
    for first, last, label in chrome_ranges:
        starts.add(first)
        for line in range(first, last + 1):
            chrome[line] = label
    quotes = sorted(quotes, key=lambda q: (q.span.start, -q.span.end, q.kind, q.owner, q.index))
    result = []
    offset = 0
    begun, active = 0, []  # quotes[:begun] start before the line's end; `active` those of them not yet ended
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = offset, offset + len(line)
        offset = end + 1
        if not line.strip():
            continue
        para = Paragraph(number, chrome.get(number, ""), number in starts)
        first = begun
        while begun < len(quotes) and quotes[begun].span.start < end:
            begun += 1
        # The quotes overlapping this line, in order (a new list: the paragraph keeps it); one that
        # ends before this line ends before every later one.
        inside = active = [q for q in (*active, *quotes[first:begun]) if q.span.end > start]
        para.quotes = inside
        cuts = sorted({start, end} | {p for q in inside for p in (q.span.start, q.span.end) if start < p < end})
        for a, b in zip(cuts, cuts[1:]):
            anchors = [urls.quote_anchor(q.kind, q.owner, q.index) for q in inside if q.span.start == a]
            covering = [q for q in inside if q.span.start <= a and q.span.end >= b]
            para.pieces.append((text[a:b], anchors, covering))
        result.append(para)
    return result
