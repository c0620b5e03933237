"""Word-level differences between two renderings of one statement."""
from __future__ import annotations

from hypothesis import given, settings, strategies as st

from chronicle import worddiff


def marked_words(text, other):
    return [chunk for chunk, differs in worddiff.marked(text, other) if differs]


def test_a_changed_word_is_marked_and_the_text_is_kept_whole():
    text = "Kirby said the troops were “expendable.”"
    chunks = worddiff.marked(text, 'Kirby said the soldiers were "expendable".')
    assert "".join(chunk for chunk, _ in chunks) == text
    assert marked_words(text, 'Kirby said the soldiers were "expendable".') == ["troops"]


def test_renderings_differing_only_in_case_and_punctuation_mark_nothing():
    assert marked_words("The troops were expendable.", "the troops were, “expendable”") == []


def test_renderings_sharing_no_word_are_marked_whole():
    assert marked_words("Heavy losses", "Nothing alike here") == ["Heavy losses"]


words = st.lists(st.sampled_from(["the", "troops", "were", "expendable", "losses", "Kursk", "30", "said"]),
                 max_size=12)


def _lcs_length(a, b):
    row = [0] * (len(b) + 1)
    for x in a:
        diagonal, row = 0, row[:]
        for j, y in enumerate(b, start=1):
            diagonal, row[j] = row[j], diagonal + 1 if x == y else max(row[j], row[j - 1])
    return row[-1]


def test_the_matched_words_are_a_longest_common_subsequence():
    # difflib's matcher paired the first "troops" with the last, leaving "said troops" marked.
    assert worddiff._matched(["troops", "said", "troops"], ["said", "here", "troops"]) == {1, 2}
    assert marked_words("troops said troops", "said here troops") == ["troops"]


@given(words, words)
def test_shortcuts_match_what_the_matcher_finds(a, b):
    keys = [worddiff._key(w) for w in a]
    other = [worddiff._key(w) for w in b]
    same = worddiff._matched(keys, other)
    assert worddiff._shared(keys, other) == same
    # The matched words occur in the other rendering in the same order, and no longer such run exists.
    kept = [keys[i] for i in sorted(same)]
    rest = iter(other)
    assert all(any(k == o for o in rest) for k in kept)
    assert len(same) == _lcs_length(keys, other)
    text = " ".join(a)
    assert "".join(chunk for chunk, _ in worddiff.marked(text, " ".join(b))) == text


def marked_plainly(text, other):
    """The definition: every gap and word as a chunk, a gap marked only between two marked words,
    empty chunks dropped and neighbours of the same kind joined."""
    import re

    keys = [worddiff._key(m.group()) for m in re.finditer(r"\S+", text)]
    same = worddiff._shared(keys, [worddiff._key(w) for w in re.findall(r"\S+", other)])
    chunks, last, previous = [], 0, False
    for i, m in enumerate(re.finditer(r"\S+", text)):
        differs = i not in same and bool(keys[i])
        chunks += [(text[last:m.start()], differs and previous), (m.group(), differs)]
        last, previous = m.end(), differs
    chunks.append((text[last:], False))
    joined = []
    for chunk, differs in chunks:
        if chunk and joined and joined[-1][1] == differs:
            joined[-1] = (joined[-1][0] + chunk, differs)
        elif chunk:
            joined.append((chunk, differs))
    return joined


spaced = st.lists(st.sampled_from(["the", "troops", "were", "expendable", "“losses”", "Kursk.", "30", "—", " ", "  ", "\n"]),
                  max_size=14).map("".join)


@settings(max_examples=500, deadline=None)
@given(spaced, spaced)
def test_marked_chunks_are_the_longest_runs_of_marked_and_unmarked_text(text, other):
    assert worddiff.marked(text, other) == marked_plainly(text, other)


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(alphabet="ab ,.\u201c\"", max_size=20), min_size=2, max_size=4))
def test_renderings_are_each_marked_against_the_other(texts):
    # the first against the second, every other against the first: each text's words compared once
    expected = [worddiff.marked(text, texts[1] if i == 0 else texts[0]) for i, text in enumerate(texts)]
    assert worddiff.marked_renderings(texts) == expected
    for text, chunks in zip(texts, expected):
        assert "".join(chunk for chunk, _ in chunks) == text


def test_the_same_words_printed_differently_are_not_marked():
    text = "Kirby said: \u201cThey are treated as expendable.\u201d"
    assert worddiff.marked(text, 'kirby said "they are treated as expendable"') == [(text, False)]
    assert worddiff.marked("", "") == []


def test_word_changes_name_the_words_to_change_in_a_quote():
    passage = "were killed near Plekhovo. Kirby"  # a closest passage, widened to whole words
    assert worddiff.word_changes("killed close to Plekhovo", passage) == "-close to +near"
    assert worddiff.word_changes("kiled near Plekhovo", passage) == "-kiled +killed"  # its first word
    assert worddiff.word_changes("Killed near Plekhovo", passage) == "-Killed +killed"  # case counts
    assert worddiff.word_changes("killed near Plekhovo, Kirby", passage) == "-Plekhovo, +Plekhovo."
    assert worddiff.word_changes("were killed near Plekhovo", passage) == ""
    assert worddiff.word_changes("a b c d e f g", "a x c y e z g w") == "-b +x, -d +y, -f +z"
    assert worddiff.word_changes("a b c d e f g h", "a x c y e z g w", most=2) == "-b +x, -d +y, ..."
    assert worddiff.word_changes("killed, near Plekhovo", passage) == "-killed, +killed"
    assert worddiff.word_changes("the bridge was closed on Tuesday", "said the bridge was closed on Monday.") \
        == "-Tuesday +Monday"
    assert worddiff.word_changes("at least 31", "\"at least 30 North") == "-31 +30"
