"""Links: text fragments that browsers scroll to, with every separator of their syntax escaped."""
from __future__ import annotations

from urllib.parse import quote, unquote

from hypothesis import given
from hypothesis import strategies as st

from chronicle import urls


@given(st.text())
def test_a_fragment_term_is_the_text_utf8_percent_encoded_but_letters_digits_and_few_marks(text):
    term = urls.fragment_term(text)
    assert unquote(term) == text
    assert term == quote(text, safe="").replace("-", "%2D")
    assert not set(term) - set("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789_.~%")


def test_the_separators_of_a_text_directive_are_escaped_in_its_terms():
    # ',' separates the start from the end and '&' directives; a term ending in '-' is read as a prefix,
    # one starting with '-' as a suffix: in a quote's words, each must be escaped, or the browser
    # looks for another passage, or none.
    fragment = urls.text_fragment("Troops moved up - and the front line held, near - the river bank")
    assert fragment == ":~:text=Troops%20moved%20up%20%2D,%2D%20the%20river%20bank"
    start, end = fragment.removeprefix(":~:text=").split(",")
    assert (unquote(start), unquote(end)) == ("Troops moved up -", "- the river bank")
    assert urls.text_fragment("held, near & far") == ":~:text=held%2C%20near%20%26%20far"


def test_a_short_quote_is_one_term():
    assert urls.text_fragment("  “Human   wave” attacks ") == ":~:text=%E2%80%9CHuman%20wave%E2%80%9D%20attacks"
