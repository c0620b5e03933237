"""Golden pages: a tiny fixture chronology and its expected site, compared file by file.

When a change to the output is intended, regenerate the expected files and review the diff:

    python tests/test_golden.py --update
"""
from __future__ import annotations

import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path[:0] = [str(HERE.parent), str(HERE)]

from chronicle import pipeline  # noqa: E402
from chronicle.render import Site  # noqa: E402

CONTENT = HERE / "golden" / "content"
EXPECTED = HERE / "golden" / "site"
SKIPPED = ("assets/",)  # styles and icons change for design reasons; pages and data are what matter


def rendered() -> dict[str, bytes]:
    """Return the fixture site's files (minus assets) as bytes."""
    files = Site(pipeline.check(CONTENT), base_url="https://example.org/chronology/").render()
    return {path: data.encode("utf-8") if isinstance(data, str) else data
            for path, data in sorted(files.items()) if not path.startswith(SKIPPED)}


def test_pages_match_the_golden_files():
    actual = rendered()
    expected = {p.relative_to(EXPECTED).as_posix(): p.read_bytes()
                for p in sorted(EXPECTED.rglob("*")) if p.is_file()}
    assert sorted(actual) == sorted(expected), "files differ: run python tests/test_golden.py --update"
    for path in actual:
        assert actual[path].decode() == expected[path].decode(), \
            f"{path} differs from tests/golden/site/{path}; if intended: python tests/test_golden.py --update"


def update() -> None:
    """Rewrite the expected files from the current output."""
    import shutil

    shutil.rmtree(EXPECTED, ignore_errors=True)
    for path, data in rendered().items():
        target = EXPECTED / path
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(data)
    print(f"wrote {len(rendered())} golden files to {EXPECTED}")


if __name__ == "__main__":
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python tests/test_golden.py --update")
    update()
