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
