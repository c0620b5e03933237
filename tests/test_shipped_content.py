"""The shipped chronology validates with zero problems, and every citation in it is located."""
import os
from pathlib import Path

import pytest

from chronicle import pipeline
from chronicle import kinds

CONTENT = Path(__file__).resolve().parent.parent / "content"
# The article texts as the project was given them, kept outside the repository: shared/seeds beside the
# checkout, or wherever CHRONICLE_SEEDS names (a git worktree elsewhere has no shared/ beside it).
SEEDS = Path(os.environ.get("CHRONICLE_SEEDS") or CONTENT.parent.parent / "shared" / "seeds")


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
    if not SEEDS.is_dir():
        pytest.skip(f"no folder {SEEDS}: this test needs the original article texts (000_*.txt to 004_*.txt, "
                    "as the project was given them) in shared/seeds beside the checkout; run it there, "
                    "or with CHRONICLE_SEEDS=/path/to/seeds")
    seeds = sorted(SEEDS.iterdir())
    assert seeds, f"{SEEDS} is empty"
    for seed in seeds:
        assert (CONTENT / "sources" / seed.name).read_bytes() == seed.read_bytes()
