"""Load: every file under content/ read and validated into a Content, with every problem found. Nothing is
written. A Loader keeps what each file gave, so that the preview re-reads only the files that changed."""
from __future__ import annotations

import hashlib
import os
import re
import stat
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from . import captures, kinds, schema
from .files import CONFIG_FILE, Parsed, cannot_read, display_path, parse_file, parse_files
from .problems import Problem, did_you_mean, visible
from .read import decode
from .schema_errors import SHA256_PROBLEMS
from .validate import Entry

IGNORED = re.compile(r"^\.|~$|\.swp$|\.tmp$")  # editor and system droppings


@dataclass
class Content:
    """Everything under content/, loaded and schema-checked, not yet linked."""

    root: Path
    chronology: schema.Chronology | None = None
    entries: dict = field(default_factory=lambda: {kind: {} for kind in kinds.KINDS})
    texts: dict = field(default_factory=dict)  # source id -> article text
    captures: dict = field(default_factory=dict)  # source id -> (capture file name, its bytes)
    broken: dict = field(default_factory=lambda: {kind: set() for kind in kinds.KINDS})
    """Ids whose files exist but failed to load: references to them are not reported again."""
    claimed_texts: set = field(default_factory=set)  # text files named by broken source files
    readable: dict = field(default_factory=lambda: {kind: {} for kind in kinds.KINDS})
    """What can still be checked of each broken record (validate.Readable): link checks its references
    and quotes, so that one run reports every problem; it never enters the graph."""
    readable_texts: dict = field(default_factory=dict)  # broken source id -> its article text, if readable
    problems: list = field(default_factory=list)
    derived: tuple | None = None
    """(earlier Content, {(kind, id)}) when this one is that one with only those records changed."""


def load(root: Path) -> Content:
    """Return the content under `root` with every problem found while reading and checking it."""
    loader = Loader(root)
    loader.scan()
    return loader.content()


class Loader:
    """Reads content files and keeps what each gave, so that a change re-reads only changed files."""

    def __init__(self, root: Path):
        self.root = Path(root)
        self.parsed: dict = {}  # Path -> Parsed
        self._order: list | None = None  # the paths, sorted; None when files came or went
        self._last: Content | None = None  # what content() returned last
        self._touched: set = set()  # paths re-read since then

    def scan(self) -> None:
        """Read every content file.

        Two processes share the reading of a large chronology (see `files.parse_files`).
        """
        self.parsed = {}
        self._order = None
        self._last = None
        if _what_is(self.root, follow=True) == "folder":
            names, regular, unlisted = self._walk(self.root)
            self.parsed = parse_files(names, self.root, regular)
            self.parsed.update(unlisted)

    def update(self, paths) -> None:
        """Re-read the files at `paths` (added, changed or removed; folders too)."""
        paths = {Path(p) for p in paths}
        self._touched |= paths
        known = {p for p in paths if p in self.parsed}
        if self._update(paths) or {p for p in paths if p in self.parsed} != known:
            self._order = None  # files came or went

    def _update(self, paths) -> bool:
        """Re-read `paths`; return whether a folder's files were dropped or read."""
        folders = False
        for path in sorted(paths):
            if not path.is_relative_to(self.root):
                continue
            what = _what_is(path)
            if path in self.parsed:
                del self.parsed[path]
            elif what != "file":  # a folder added, removed, renamed, or made a link
                inside = [k for k in self.parsed if k.is_relative_to(path)]
                folders |= bool(inside)
                for known in inside:
                    del self.parsed[known]
            if what == "folder":
                folders = True
                names, _, unlisted = self._walk(path)
                for found in map(Path, names):
                    self.parsed[found] = parse_file(found, self.root)
                self.parsed.update(unlisted)
            elif what is not None:
                if not any(IGNORED.search(part) for part in path.relative_to(self.root).parts):
                    self.parsed[path] = parse_file(path, self.root)
        return folders

    def _walk(self, folder: Path) -> tuple[list, set, dict]:
        """Return the names of the content files under `folder`, sorted, skipping editor and system
        droppings; those of them that are regular files (not links), as the folder listing tells
        without a system call per file: reading one needs no stat first; and the problem of each folder
        that cannot be listed (Path -> Parsed). Names, not Paths: making 20,000 Paths here, before the
        reading is shared by two processes, took a tenth of the loading.

        Symbolic links to folders are listed, not followed, so that they are reported.
        """
        found, regular, folders, unlisted = [], set(), [os.fspath(folder)], {}
        while folders:
            at = folders.pop()
            try:
                listing = os.scandir(at)
            except OSError as err:  # not passed over: its files would be missing without a word
                shown = display_path(Path(at))
                unlisted[Path(at)] = Parsed("", problems=[Problem(shown, 0, *cannot_read(err, "folder"))])
                continue
            with listing:
                for entry in listing:
                    if IGNORED.search(entry.name):
                        continue
                    try:
                        is_dir = entry.is_dir()  # following a link, as os.walk does
                        is_link = is_dir and entry.is_symlink()
                        is_regular = not is_dir and entry.is_file(follow_symlinks=False)
                    except OSError:  # looked at again by parse_file, which says what is wrong
                        is_dir = is_link = is_regular = False
                    if is_dir and not is_link:
                        folders.append(entry.path)
                        continue
                    found.append(entry.path)
                    if is_regular:
                        regular.add(entry.path)
        return sorted(found), regular, unlisted

    def content(self) -> Content:
        """Return the Content assembled from every file read: records, texts and all problems."""
        content = self._patched() or self._assembled()
        self._last, self._touched = content, set()
        return content

    def _patched(self) -> Content | None:
        """Return the last Content with the records of the files re-read since replaced, when that is
        all that changed: no file came or went, no source or setting changed, no problem before or now.
        For the preview, which re-assembles after every save; None when a full assembly is needed."""
        last = self._last
        if last is None or last.problems or self._order is None or _what_is(self.root, follow=True) != "folder":
            return None
        last.derived = None  # a chain of earlier versions would keep them all in memory
        entries, changed = dict(last.entries), set()
        for path in self._touched:
            parsed = self.parsed.get(path)
            if parsed is None:  # no file came or went: an editor's temporary or backup file
                continue
            if parsed.problems or parsed.entry is None or parsed.kind in ("chronology", "sources") \
                    or parsed.id not in last.entries.get(parsed.kind, ()):
                return None
            if entries[parsed.kind] is last.entries[parsed.kind]:
                entries[parsed.kind] = dict(last.entries[parsed.kind])  # the same order, one record replaced
            entries[parsed.kind][parsed.id] = parsed.entry
            changed.add((parsed.kind, parsed.id))
        content = Content(root=self.root, chronology=last.chronology, entries=entries, texts=last.texts,
                          broken=last.broken, claimed_texts=last.claimed_texts, derived=(last, changed))
        _check_top_level(self.root, content)
        return None if content.problems else content

    def _assembled(self) -> Content:
        root = self.root
        content = Content(root=root)
        if _what_is(root, follow=True) != "folder":
            content.problems.append(Problem(display_path(root), 0, "content folder not found",
                                            "pass --content DIR, or run from the project folder"))
            return content
        _check_top_level(root, content)
        texts: dict = {}
        found_captures: dict = {}
        if self._order is None:
            self._order = sorted(self.parsed)  # kept until files come or go
        for path in self._order:
            parsed = self.parsed[path]
            content.problems += parsed.problems
            if parsed.kind == "chronology":
                content.chronology = parsed.entry.record if parsed.entry else None
            elif parsed.kind == "sources" and captures.is_capture(path.name):
                found_captures[unicodedata.normalize("NFC", path.name)] = (path, parsed.data)
            elif parsed.data is not None or (parsed.kind == "sources" and path.suffix == ".txt"):
                # Keyed by the NFC name: macOS may store names decomposed (NFD). No data: refused, reported.
                texts[unicodedata.normalize("NFC", path.name)] = (path, parsed.data)
            elif parsed.id:
                _add(content, parsed)
        if root / CONFIG_FILE not in self.parsed and _what_is(root / CONFIG_FILE) != "folder":  # (a folder: said)
            content.problems.append(Problem(display_path(root / CONFIG_FILE), 0, "missing chronology settings",
                                            "create it with title, description and language"))
        _load_texts(content, texts)
        _load_captures(content, found_captures)
        return content


def _add(content: Content, parsed: Parsed) -> None:
    kind, record_id = parsed.kind, parsed.id
    if record_id in content.entries[kind]:
        first = content.entries[kind][record_id].path
        what = kinds.KINDS[kind].singular
        content.problems.append(Problem(parsed.shown, 0, f"duplicate {what} id '{record_id}' (also {first})",
                                        "ids are file names and must be unique within a kind: rename one"))
        return
    if parsed.entry:
        content.entries[kind][record_id] = parsed.entry
    else:
        content.broken[kind].add(record_id)
        if parsed.readable is not None:
            content.readable[kind][record_id] = parsed.readable
        if parsed.claims_text:
            content.claimed_texts.add(parsed.claims_text)
        elif kind == "sources":
            content.claimed_texts.add(None)  # it may describe any text: texts without metadata are not reported


def _check_top_level(root: Path, content: Content) -> None:
    allowed = set(kinds.KINDS) | {CONFIG_FILE}
    try:
        items = sorted(root.iterdir())
    except OSError:  # reported by the walk (Loader._walk)
        return
    for item in items:
        what = _what_is(item, follow=True)
        if item.name == CONFIG_FILE and what == "folder":
            content.problems.append(Problem(display_path(item), 0, "chronology settings are a folder, not a file",
                                            "remove the folder and create the file with title, description and language"))
        if IGNORED.search(item.name) or item.name in allowed:
            continue
        hint = did_you_mean(item.name, allowed) or "content/ holds " + ", ".join(sorted(allowed))
        content.problems.append(Problem(display_path(item), 0, f"unexpected {'folder' if what == 'folder' else 'file'} '{item.name}'", hint))


def _what_is(path: Path, follow: bool = False) -> str | None:
    """Return what is at `path`: 'folder', 'link' (unless `follow`ing links), 'file' (or anything else,
    or what cannot even be looked at: reading it says why), or None if nothing is there."""
    try:
        mode = (os.stat if follow else os.lstat)(path).st_mode
    except (FileNotFoundError, NotADirectoryError):
        return None
    except OSError:
        return "file"
    return "folder" if stat.S_ISDIR(mode) else "link" if stat.S_ISLNK(mode) else "file"


@lru_cache(maxsize=4096)
def _sha256(data: bytes) -> str:
    """Return the SHA-256 of a text file's bytes, once per bytes object (the preview re-assembles often)."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=4096)
def _decoded(data: bytes, shown: str) -> tuple:
    text, problems = decode(data, shown, evidence=True)
    return text, tuple(problems)


def _load_texts(content: Content, texts: dict) -> None:
    used = set()
    for source_id, entry in sorted(content.entries["sources"].items()):
        name = unicodedata.normalize("NFC", entry.record.text)
        used.add(name)
        text = _verified_text(content, entry, name, entry.record.sha256, texts)
        if text is not None:
            content.texts[source_id] = text
            _check_chrome_lines(entry, text, content)
    _load_broken_texts(content, texts)
    named = used | content.claimed_texts
    if None in named or not named <= texts.keys():
        return  # a source names a text file that is not there: a text left over may be the one it means
    for name, (path, _) in sorted(texts.items()):
        if name not in named:
            content.problems.append(Problem(display_path(path), 0, "source text has no metadata file",
                                            f"describe it in a .yaml file beside it with text: {name}"))


def _text_data(content: Content, entry: Entry, name: str, texts: dict) -> tuple | None:
    """Return (path, bytes) of the text file `name` a source names, or None: not there (reported) or
    unreadable (reported already)."""
    if "/" in name or "\\" in name or name not in texts:
        hint = did_you_mean(name, texts) or "the text file must sit in the same folder as this file"
        content.problems.append(Problem(entry.path, entry.line("text"), f"text file '{visible(name)}' not found", hint))
        return None
    path, data = texts[name]
    return None if data is None else (path, data)


def _changed(entry: Entry, name: str, digest: str) -> Problem:
    return Problem(entry.path, entry.line("sha256"),
                   f"'{name}' has changed, or its recorded sha256 is wrong: the file's SHA-256 is {digest}",
                   "source texts are evidence and must stay byte for byte as published: restore the "
                   f"original; if the text is new, or deliberately a new version, record sha256: {digest}")


def _load_broken_texts(content: Content, texts: dict) -> None:
    """Read the text of each source that failed its schema check, where it names one that can be read:
    the quotes citing it are then still located (`content.readable_texts`), and a missing or malformed
    sha256 is answered with the hash to record."""
    for source_id, entry in sorted(content.readable["sources"].items()):
        record = entry.record
        if record.text is None:
            continue  # reported by the schema check
        text = _verified_text(content, entry, unicodedata.normalize("NFC", record.text), record.sha256, texts)
        if text is not None:
            content.readable_texts[source_id] = text


def _verified_text(content: Content, entry: Entry, name: str, recorded: str | None, texts: dict) -> str | None:
    """Return the decoded text file `name` a source names, if it is there, readable and its SHA-256 is
    `recorded`; else None, the problem reported. With no hash recorded (a source that failed its schema
    check), the text is returned and the schema check's problem given the hash to record."""
    data = _text_data(content, entry, name, texts)
    if data is None:
        return None
    path, data = data
    digest = _sha256(data)
    if recorded is None:
        _give_hash(content, entry, name, digest)
    elif recorded != digest:
        content.problems.append(_changed(entry, name, digest))
        return None
    text, problems = _decoded(data, display_path(path))
    content.problems += problems
    return text


def _give_hash(content: Content, entry: Entry, name: str, digest: str) -> None:
    """Give the schema check's problem with a source's sha256 (missing, or not a hash) the hash to record."""
    for i, problem in enumerate(content.problems):
        if problem.path == entry.path and problem.message.startswith(SHA256_PROBLEMS):
            fix = "add this line:" if problem.message.startswith("missing") else "write it as"
            content.problems[i] = Problem(problem.path, problem.line, problem.message,
                                          f"{fix} sha256: {digest}, the SHA-256 of {name}")


def _check_chrome_lines(entry: Entry, text: str, content: Content) -> None:
    count = text.count("\n") + 1
    for i, chrome in enumerate(entry.record.chrome):
        first, last = chrome.span
        if last > count:
            content.problems.append(Problem(entry.path, entry.line("chrome", i, "lines"),
                                            f"chrome lines '{chrome.lines}' go past the end of the text ({count} lines)"))


def _load_captures(content: Content, found: dict) -> None:
    """Check each source's capture file: there, and byte for byte as its recorded SHA-256 says."""
    used, missing = set(), False
    for source_id, entry in sorted(content.entries["sources"].items()):
        if entry.record.capture is None:
            continue
        name = unicodedata.normalize("NFC", entry.record.capture)
        used.add(name)
        if "/" in name or "\\" in name or name not in found:
            hint = did_you_mean(name, found) or "the capture must sit in the same folder as this file"
            content.problems.append(Problem(entry.path, entry.line("capture"),
                                            f"capture file '{visible(name)}' not found", hint))
            missing = True
            continue
        path, data = found[name]
        if data is None:
            continue  # too big or unreadable: reported already
        digest = _sha256(data)
        recorded = entry.record.capture_sha256
        if recorded is None:
            content.problems.append(Problem(entry.path, entry.line("capture"), "missing field 'capture_sha256'",
                                            f"add this line: capture_sha256: {digest}, the SHA-256 of {name}"))
        elif digest != recorded:
            content.problems.append(Problem(
                entry.path, entry.line("capture_sha256"),
                f"capture '{name}' has changed: its SHA-256 is {digest}, not the recorded one",
                "a capture is evidence and must stay byte for byte as it was captured; restore the original"))
        else:
            content.captures[source_id] = (name, data)
    if missing or content.broken["sources"]:
        return  # the capture left over may be the one it means, or the one a source that failed names
    for name, (path, _) in sorted(found.items()):
        if name not in used:
            content.problems.append(Problem(display_path(path), 0, "capture has no source that names it",
                                            "name it in a source's capture: field, or remove it"))
