"""Locating quotes: only whitespace, quote and dash styles are forgiven."""
from chronicle.cite import Miss, SourceText, normalise

TEXT = "He said: “It’s over — for now.”\nThen  he\u00a0left.\nHe said it again."


def test_normalise_folds_only_quotes_dashes_and_spaces():
    assert normalise("“It’s  over — now”\n") == "\"It's over - now\""


def test_typographic_quotes_and_dashes_match_straight_ones():
    span = SourceText(TEXT).locate("\"It's over - for now.\"")
    assert TEXT[span.start:span.end] == "“It’s over — for now.”"
    assert (span.first_line, span.last_line) == (1, 1)


def test_whitespace_runs_match_across_lines():
    span = SourceText(TEXT).locate("now.” Then he left")
    assert TEXT[span.start:span.end] == "now.”\nThen  he\u00a0left"
    assert (span.first_line, span.last_line) == (1, 2)


def test_other_differences_do_not_match():
    for quote in ("it's over", "Its over", "It's over, for now", "then he left"):
        assert isinstance(SourceText(TEXT).locate(quote), Miss), quote


def test_near_miss_reports_closest_passage_and_line():
    miss = SourceText(TEXT).locate("Then he leaves.")
    assert miss.reason == "not-found"
    assert miss.closest_line == 2
    assert "Then he left." in miss.closest


def test_repeated_quote_is_ambiguous_unless_occurrence_given():
    text = SourceText(TEXT)
    miss = text.locate("He said")
    assert (miss.reason, miss.count, miss.lines) == ("ambiguous", 2, (1, 3))
    span = text.locate("He said", occurrence=2)
    assert span.first_line == 3
    assert text.locate("He said", occurrence=3).reason == "occurrence"


def _reference_fold(text: str):
    """The obvious character-by-character folding, to check the fast one against."""
    from chronicle.cite import _FOLD

    chars, offsets, in_space = [], [], True
    for i, ch in enumerate(text.translate(_FOLD)):
        if ch.isspace():
            if not in_space:
                chars.append(" ")
                offsets.append(i)
            in_space = True
        else:
            chars.append(ch)
            offsets.append(i)
            in_space = False
    return "".join(chars), offsets


from hypothesis import given  # noqa: E402
from hypothesis import strategies as st  # noqa: E402


@given(st.text(alphabet="ab “”‘’—–-\n\t\u00a0 x.", max_size=40))
def test_fast_folding_maps_every_character_back(text):
    folded = SourceText(text)
    assert (folded.folded, folded.offsets) == _reference_fold(text)
