"""The shipped chronology validates with zero problems, and every citation in it is located."""
from pathlib import Path

import pytest

from chronicle import pipeline
from chronicle import kinds

CONTENT = Path(__file__).resolve().parent.parent / "content"


def test_shipped_content_has_no_problems():
    pipeline.check(CONTENT)  # raises ContentErrors, listing every problem, if any


def test_every_citation_is_located():
    graph = pipeline.check(CONTENT)
    expected = sum(len(getattr(entry.record, field))
                   for kind, field in kinds.KINDS.citing.items()
                   for entry in graph.entries[kind].values())
    expected += sum(len(e.record.quote_exceptions) for e in graph.entries["sources"].values())
    assert len(graph.quotes) == expected > 0
    for quote in graph.quotes:
        located = graph.texts[quote.source].text[quote.span.start:quote.span.end]
        assert located.split() and quote.span.first_line >= 1


def test_source_texts_are_the_seeds_byte_for_byte():
    seeds = CONTENT.parent.parent / "shared" / "seeds"
    if not seeds.is_dir():
        pytest.skip("shared/seeds is not beside this checkout")
    for seed in seeds.iterdir():
        assert (CONTENT / "sources" / seed.name).read_bytes() == seed.read_bytes()
