"""Scratch chronologies made in temporary folders from a dict of files."""
from __future__ import annotations

import hashlib
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent

SOURCE_TEXT = (
    "57 F\n"
    "Los Angeles\n"
    "\n"
    "The DIU said that “at least 30 North Korean soldiers” were killed near Plekhovo.\n"
    "\n"
    "Kirby said the troops were “expendable.”\n"
    "Kirby said it twice.\n"
)


def sha(data: str | bytes) -> str:
    return hashlib.sha256(data.encode() if isinstance(data, str) else data).hexdigest()


def base_files() -> dict:
    """Return a small valid chronology: one source, one person, one tag, one event."""
    return {
        "chronology.yaml": "title: Test chronology\ndescription: A test.\nlanguage: en\n",
        "sources/art.txt": SOURCE_TEXT,
        "sources/art.yaml": (
            "text: art.txt\n"
            f"sha256: {sha(SOURCE_TEXT)}\n"
            "title: Test article\n"
            "publisher: Test Daily\n"
            "date: 2024-12-17\n"
            "language: en\n"
            "chrome:\n"
            "  - lines: 1-2\n"
            "    label: weather line\n"
        ),
        "people/john-kirby.yaml": (
            "name: John Kirby\naliases: [Kirby]\nrole: spokesman\ndescription: A spokesman.\n"
        ),
        "organisations/diu.yaml": "name: DIU\nkind: agency\ndescription: An agency.\n",
        "places/plekhovo.yaml": "name: Plekhovo\nkind: village\ndescription: A village.\n",
        "tags/casualties.yaml": "name: Casualties\ndescription: Losses.\n",
        "events/losses.md": (
            "---\n"
            "date: 2024-12-14\n"
            "title: Losses near Plekhovo\n"
            "places: [plekhovo]\n"
            "tags: [casualties]\n"
            "citations:\n"
            "  - source: art\n"
            "    quote: killed near Plekhovo\n"
            "---\n"
            "A summary.\n"
        ),
    }


def write_tree(root: Path, files: dict) -> Path:
    for rel, data in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            continue
        if isinstance(data, bytes):
            path.write_bytes(data)
        else:
            path.write_text(data, encoding="utf-8")
    return root


@pytest.fixture
def make_content(tmp_path, monkeypatch):
    """Return a function that writes base files plus overrides (None removes a file) and returns the folder.

    The working folder is the scratch project, so messages name files as `content/...`.
    """
    monkeypatch.chdir(tmp_path)

    def make(overrides: dict | None = None, *, base: bool = True) -> Path:
        files = base_files() if base else {}
        for rel, data in (overrides or {}).items():
            if data is None:
                files.pop(rel, None)
            else:
                files[rel] = data
        return write_tree(tmp_path / "content", files)

    return make


def run_build(*args, cwd=None):
    """Run build.py as a user would; return the CompletedProcess."""
    return subprocess.run([sys.executable, str(ROOT / "build.py"), *map(str, args)],
                          capture_output=True, text=True, cwd=cwd or ROOT)


def problems_of(root: Path) -> list[str]:
    """Return every problem of the content at `root`, as printed."""
    from chronicle import pipeline
    from chronicle.problems import ContentErrors

    try:
        pipeline.check(root)
    except ContentErrors as err:
        return [str(p) for p in err.problems]
    return []

EVENT_TITLE_LINE = "title: Losses near Plekhovo"
