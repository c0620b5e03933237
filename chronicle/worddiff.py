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
    """Return `text` as (chunk, differs) pairs: `differs` marks words that `other` does not share."""
    words = [(m.start(), m.end()) for m in _WORD.finditer(text)]
    keys = [_key(text[a:b]) for a, b in words]
    other_keys = [_key(w) for w in _WORD.findall(other)]
    same = _shared(keys, other_keys)
    chunks: list[tuple[str, bool]] = []
    last, previous = 0, False
    for i, (a, b) in enumerate(words):
        differs = i not in same and bool(keys[i])
        chunks.append((text[last:a], differs and previous))  # a gap inside a changed run stays in it
        chunks.append((text[a:b], differs))
        last, previous = b, differs
    chunks.append((text[last:], False))
    return _coalesce([c for c in chunks if c[0]])


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


def _coalesce(chunks):
    out: list[tuple[str, bool]] = []
    for text, differs in chunks:
        if out and out[-1][1] == differs:
            out[-1] = (out[-1][0] + text, differs)
        else:
            out.append((text, differs))
    return out
