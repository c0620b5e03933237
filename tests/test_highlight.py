"""A source's paragraphs: each line lists exactly the quotes overlapping it, cut where they start and end."""
from __future__ import annotations

from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle.cite import Span
from chronicle.highlight import paragraphs


@st.composite
def text_and_quotes(draw):
    lines = draw(st.lists(st.sampled_from(["", " ", "ab", "a b c", "abcdef", "x"]), min_size=1, max_size=8))
    text = "\n".join(lines)
    quotes = []
    for i in range(draw(st.integers(0, 6))):
        start = draw(st.integers(0, max(0, len(text) - 1)))
        end = draw(st.integers(start + 1, len(text) + 1)) if text else 1
        quotes.append(SimpleNamespace(kind="events", owner=f"e{i}", index=0, span=Span(start, min(end, len(text)) or 1, 0, 0)))
    return text, quotes


@settings(max_examples=400, deadline=None)
@given(text_and_quotes())
def test_each_line_lists_the_quotes_overlapping_it_in_order(case):
    text, quotes = case
    ordered = sorted(quotes, key=lambda q: (q.span.start, -q.span.end, q.kind, q.owner, q.index))
    offset, expected = 0, {}
    for number, line in enumerate(text.split("\n"), start=1):
        start, end = offset, offset + len(line)
        offset = end + 1
        if line.strip():
            expected[number] = [q for q in ordered if q.span.start < end and q.span.end > start]
    found = paragraphs(text, quotes, [])
    assert {p.line: p.quotes for p in found} == expected
    for p in found:  # the pieces cover the line, each marked by the quotes covering all of it
        assert "".join(piece for piece, _, _ in p.pieces) == text.split("\n")[p.line - 1]
