"""Word-level differences between two renderings of the same statement."""
from __future__ import annotations

import re
from functools import lru_cache

from rapidfuzz.distance import LCSseq

from .cite import normalise

_WORD = re.compile(r"\S+")


@lru_cache(maxsize=65536)  # the words of statements repeat
def _key(word: str) -> str:
    """Compare words as the matcher would, ignoring surrounding punctuation and case."""
    return normalise(word).strip("\"'.,;:!?()[]-").lower()


def marked(text: str, other: str) -> list[tuple[str, bool]]:
    """Return `text` as (chunk, differs) pairs: `differs` marks words that `other` does not share.

    Chunks alternate: each is a longest run of marked or of unmarked text. A gap between two marked
    words is marked with them; a gap beside an unmarked word is not."""
    return _marked(text, *_words(text), _words(other)[1])


def marked_renderings(texts: list) -> list:
    """Return the chunks of each text (as `marked`), the first marked against the second and every
    other against the first; each text's words are compared once."""
    words = [_words(text) for text in texts]
    return [_marked(text, *words[i], words[1 if i == 0 else 0][1]) for i, text in enumerate(texts)]


def _words(text: str) -> tuple[list, list]:
    """Return where each word of `text` is, and its key."""
    spans = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    return spans, [_key(text[a:b]) for a, b in spans]


def _marked(text: str, words: list, keys: list, other_keys: list) -> list[tuple[str, bool]]:
    if keys == other_keys:  # two sources printing the same words: the usual case
        return [(text, False)] if text else []
    same = _shared(keys, other_keys)
    chunks: list[tuple[str, bool]] = []
    at = last = 0  # where the current run starts; where the last word ended
    previous = False
    for i, (a, b) in enumerate(words):
        differs = i not in same and bool(keys[i])
        if differs and not previous:  # a marked run starts at this word
            if a > at:
                chunks.append((text[at:a], False))
            at = a
        elif previous and not differs:  # the marked run ended with the last word
            chunks.append((text[at:last], True))
            at = last
        previous, last = differs, b
    if previous:
        chunks.append((text[at:last], True))
        at = last
    if at < len(text):
        chunks.append((text[at:], False))
    return chunks


def _shared(keys: list, other_keys: list) -> set:
    """Return the positions in `keys` of the words matched in `other_keys`, as `_matched` finds them;
    without the matcher when the words are the same, or none are shared."""
    if keys == other_keys:  # two sources printing the same words: the usual case
        return set(range(len(keys)))
    if set(keys).isdisjoint(other_keys):
        return set()
    return _matched(keys, other_keys)


def _matched(keys: list, other_keys: list) -> set:
    """Return the positions in `keys` of a longest common subsequence of the two lists of words: the
    words a reader can pair up in order, as `diff` does; those left over are the differences.
    RapidFuzz finds it in C++ (difflib's matcher, in Python, took a third of a statement page)."""
    same: set = set()
    for block in LCSseq.editops(keys, other_keys).as_matching_blocks():
        same.update(range(block.a, block.a + block.size))
    return same


_PUNCTUATION = "\"'.,;:!?()[]-"


def word_changes(quote: str, passage: str, most: int = 3) -> str:
    """Return the edits that make the words of `quote` those of `passage`, as '-close to +near' (the
    first `most` of them, then '...'), or '' when they have the same words.

    For a quote not found in its source: `passage` is the closest passage, widened to whole words, so
    words it has beyond either end of the quote are not edits. Words are compared as the matcher
    compares them (quotes, dashes and spaces folded; case kept) without their surrounding
    punctuation first, so that a passage ending in 'Plekhovo.' matches a quote ending in 'Plekhovo';
    when that finds no difference, with it."""
    words, other = normalise(quote).split(" "), normalise(passage).split(" ")
    for key in (lambda word: word.strip(_PUNCTUATION), str):
        edits = _edits(words, other, [key(w) for w in words], [key(w) for w in other])
        if edits:
            shown = ", ".join(edits[:most])
            return shown + ", ..." if len(edits) > most else shown
    return ""


def _edits(words: list, other: list, keys: list, other_keys: list) -> list[str]:
    edits = []
    for start, end, dest_start, dest_end in _changed_runs(keys, other_keys):
        theirs = other[dest_start:dest_end]
        if start == 0 and dest_start == 0:  # before the quote's first word: only as many as it replaces
            theirs = theirs[len(theirs) - (end - start):] if end > start else []
        elif end == len(words) and dest_end == len(other):  # likewise after its last
            theirs = theirs[:end - start]
        ours = words[start:end]
        if ours and theirs and ((start == 0 and " ".join(theirs).endswith(" ".join(ours))) or
                                (end == len(words) and " ".join(theirs).startswith(" ".join(ours)))):
            continue  # the passage's word at either end, widened: 'Plekhovo.' for the quote's 'Plekhovo'
        theirs = _trimmed(theirs, ours, start == 0, end == len(words))
        if ours or theirs:
            edits.append(" ".join(filter(None, ("-" + " ".join(ours) if ours else "",
                                                "+" + " ".join(theirs) if theirs else ""))))
    return edits


def _trimmed(theirs: list, ours: list, first: bool, last: bool) -> list:
    """Return the passage's words `theirs` without the punctuation its widening to whole words took in
    beyond the quote's ends: '+Monday' for a quote ending in 'Tuesday', from the passage's 'Monday.'."""
    if theirs and ours:
        theirs = list(theirs)
        if last and ours[-1][-1:] not in tuple(_PUNCTUATION):
            theirs[-1] = theirs[-1].rstrip(_PUNCTUATION) or theirs[-1]
        if first and ours[0][:1] not in tuple(_PUNCTUATION):
            theirs[0] = theirs[0].lstrip(_PUNCTUATION) or theirs[0]
    return theirs


def _changed_runs(keys: list, other_keys: list) -> list[list]:
    """Return [start, end, other start, other end] of each run of words that differ between the two
    lists (deletions and insertions side by side made one run), in order."""
    runs: list[list] = []
    for op in LCSseq.editops(keys, other_keys).as_opcodes():
        if op.tag == "equal":
            continue
        if runs and runs[-1][1] == op.src_start and runs[-1][3] == op.dest_start:
            runs[-1][1], runs[-1][3] = op.src_end, op.dest_end
        else:
            runs.append([op.src_start, op.src_end, op.dest_start, op.dest_end])
    return runs
