"""The preview after random edits equals a full build: a Hypothesis state machine.

Each step changes the shipped chronology as an author would (a title or name, a date, a summary, a
list of tags; a record added, renamed or deleted, of any kind), the preview rebuilds what it recorded
as affected, and the result is compared with a full build of the same content, byte for byte, with
the dependencies each page recorded (tests/test_incremental.py's `assert_same_as_full_build`).
"""
from __future__ import annotations

import re
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, settings, strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, precondition, rule
from test_incremental import CONTENT, assert_same_as_full_build

from chronicle.incremental import Preview

KINDS = ("events", "statements", "figures", "discrepancies", "people", "organisations", "places", "tags",
         "sources")
SUFFIX = {"events": ".md"}
TITLE = {"events": "title", "discrepancies": "title", "sources": "title"}  # the others show a name
DATE = {"events": "date", "statements": "date", "figures": "as_of"}
DATES = ("2024-08", "2024-10-05", "2024-11", "2024-12-XX", "2024-12-20", "2025-01-15", "2025-02-02",
         "2024-11-01/2024-12-15", "../2024-12-17", "2025")
WORDS = st.sampled_from(["Newly", "reworded", "Kursk", "troops", "briefing", "Ünïcode", "“quoted”", "&", "<b>"])


class PreviewMachine(RuleBasedStateMachine):
    """Edits of the content, each followed by the preview's rebuild and a full build to compare."""

    @initialize()
    def start(self):
        self.root = Path(tempfile.mkdtemp(prefix="chronicle-machine-"))
        self.content = self.root / "content"
        shutil.copytree(CONTENT, self.content)
        self.preview = Preview(self.content, self.root / "preview")
        assert not self.preview.build().problems
        self.step = 0
        self.added = 0

    def teardown(self):
        shutil.rmtree(self.root, ignore_errors=True)

    # ------------------------------------------------------------------ helpers

    def _file(self, kind: str, rid: str) -> Path:
        found = list((self.content / kind).rglob(f"{rid}{SUFFIX.get(kind, '.yaml')}"))
        assert len(found) == 1, (kind, rid, found)
        return found[0]

    def _ids(self, kind: str) -> list:
        return sorted(self.preview.graph.content.entries[kind])

    def _unreferenced(self, kind: str) -> list:
        """Ids of records nothing refers to (a source is cited, so never one of them)."""
        graph = self.preview.graph
        if kind == "sources":
            return []
        return [rid for rid in self._ids(kind) if not graph.refs.get((kind, rid))
                and not (kind in ("people", "organisations") and self._speaks(rid))]

    def _speaks(self, rid: str) -> bool:
        entries = self.preview.graph.content.entries
        return any(e.record.speaker == rid for e in entries["statements"].values()) or \
            any(e.record.claimant == rid for e in entries["figures"].values())

    def _apply(self, *paths: Path) -> None:
        report = self.preview.update(list(paths))
        assert not report.problems, [str(p) for p in report.problems]
        self.step += 1
        assert_same_as_full_build(self.content, self.preview, self.root, f"step-{self.step}")
        shutil.rmtree(self.root / f"full-step-{self.step}")

    def _replace_line(self, path: Path, field: str, value: str) -> bool:
        text = path.read_text(encoding="utf-8")
        # the field's line and its continuation lines (a folded block such as `note: >-`)
        new, count = re.subn(rf"(?m)^{field}: .*(?:\n[ \t]+.*)*$", lambda _: f"{field}: {value}", text, count=1)
        if not count or new == text:
            return False
        path.write_text(new, encoding="utf-8")
        return True

    # ------------------------------------------------------------------ edits

    @rule(kind=st.sampled_from(KINDS), pick=st.integers(0, 10 ** 6), words=st.lists(WORDS, min_size=1, max_size=3))
    def retitle(self, kind, pick, words):
        """A title or name; for statements and figures, whose titles are made of other fields, a note."""
        path = self._file(kind, self._ids(kind)[pick % len(self._ids(kind))])
        value = f'"{" ".join(words)} {pick}"'
        if kind in ("statements", "figures") and not self._replace_line(path, "note", value):
            path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + f"\nnote: {value}\n", encoding="utf-8")
        elif kind not in ("statements", "figures") and not self._replace_line(path, TITLE.get(kind, "name"), value):
            return
        self._apply(path)

    @rule(kind=st.sampled_from(sorted(DATE)), pick=st.integers(0, 10 ** 6), date=st.sampled_from(DATES))
    def redate(self, kind, pick, date):
        ids = self._ids(kind)
        path = self._file(kind, ids[pick % len(ids)])
        if self._replace_line(path, DATE[kind], date):
            self._apply(path)

    @rule(pick=st.integers(0, 10 ** 6), words=st.lists(WORDS, min_size=1, max_size=4))
    def summary(self, pick, words):
        ids = self._ids("events")
        path = self._file("events", ids[pick % len(ids)])
        path.write_text(path.read_text(encoding="utf-8").rstrip("\n") + " " + " ".join(words) + ".\n", encoding="utf-8")
        self._apply(path)

    @rule(pick=st.integers(0, 10 ** 6), tags=st.sets(st.integers(0, 50), max_size=3))
    def retag(self, pick, tags):
        ids, known = self._ids("events"), self._ids("tags")
        path = self._file("events", ids[pick % len(ids)])
        chosen = sorted({known[t % len(known)] for t in tags})
        if self._replace_line(path, "tags", "[" + ", ".join(chosen) + "]"):
            self._apply(path)

    @rule(kind=st.sampled_from(KINDS[:-1]), pick=st.integers(0, 10 ** 6))
    def add(self, kind, pick):
        ids = self._ids(kind)
        original = self._file(kind, ids[pick % len(ids)])
        self.added += 1
        copy = original.with_name(f"zz-added-{self.added}{original.suffix}")
        copy.write_text(original.read_text(encoding="utf-8"), encoding="utf-8")
        if kind in TITLE or kind in ("people", "organisations", "places", "tags"):
            self._replace_line(copy, TITLE.get(kind, "name"), f"Added record {self.added}")
        self._apply(copy)

    @precondition(lambda self: any(self._unreferenced(kind) for kind in KINDS))
    @rule(pick=st.integers(0, 10 ** 6), rename=st.booleans())
    def remove_or_rename(self, pick, rename):
        candidates = [(kind, rid) for kind in KINDS for rid in self._unreferenced(kind)]
        kind, rid = candidates[pick % len(candidates)]
        if kind != "events" and len(self._ids(kind)) == 1:
            return
        path = self._file(kind, rid)
        if rename:
            target = path.with_name(f"zz-renamed-{self.step}-{rid}{path.suffix}")
            path.rename(target)
            self._apply(path, target)
        else:
            path.unlink()
            self._apply(path)


PreviewMachine.TestCase.settings = settings(
    max_examples=12, stateful_step_count=6, deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
test_preview_equals_a_full_build_after_random_edits = PreviewMachine.TestCase
