"""Markdown summaries: the shortcut for plain one-line summaries gives exactly what markdown-it gives."""
from __future__ import annotations

from hypothesis import given, settings
from hypothesis import strategies as st

from chronicle import markdown

PIECES = ["word", "Kim", "Курськ", "é", " ", "  ", ",", ".", ";", ":", "'", '"', "’", "“", "”", "—", "–", "-",
          "?", "!", "(", ")", "%", "/", "1", "2024", "1.", "2)", "+", "*", "_", "#", ">", "<", "&", "[", "]",
          "`", "\\", "\n", "\t", "\u00a0", "=", "~", "|", "http://x.org", "&amp;"]


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), min_size=1, max_size=12).map("".join))
def test_the_plain_line_shortcut_renders_what_markdown_it_renders(text):
    assert markdown.render.__wrapped__(text) == markdown._md.render(text)


def test_the_shortcut_is_taken_for_plain_summaries():
    text = 'Kirby said the troops were "expendable" (Dec. 27), according to officials.'
    assert markdown._plain_line(text) and not markdown._LIST_START.match(text)
    assert markdown.render.__wrapped__(text) == markdown._md.render(text)


@settings(max_examples=3000, deadline=None)
@given(st.lists(st.sampled_from(PIECES), max_size=12).map("".join))
def test_a_plain_line_is_word_characters_but_underscore_and_plain_punctuation(text):
    import re

    assert markdown._plain_line(text) == bool(re.fullmatch(r"(?:[^\W_]|[ ,.;:'\"’‘“”—–\-?!()%/])+", text))
