"""Load and validate: content files in, typed records and problems out. Nothing is written."""
from __future__ import annotations

import errno
import hashlib
import multiprocessing
import os
import pickle
import queue
import re
import stat
import threading
import typing
import unicodedata
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from pydantic import BaseModel, ValidationError

from . import kinds, schema
from .parallel import second_process_pays, take
from .problems import Problem, did_you_mean, visible
from .read import Document, decode, parse_yaml, split_front_matter

CONFIG_FILE = "chronology.yaml"
IGNORED = re.compile(r"^\.|~$|\.swp$|\.tmp$")  # editor and system droppings
MAX_RECORD_BYTES = 1_000_000  # a record is a few fields and a summary; this is a pasted file by mistake
MAX_TEXT_BYTES = 20_000_000  # one article; a 10 MB text builds in seconds, this bounds time and memory


@dataclass
class Entry:
    """One loaded record: its id, file, typed fields, line map and (for events) Markdown body."""

    kind: str
    id: str
    path: str
    record: BaseModel
    doc: Document
    body: str = ""
    body_line: int = 1

    def line(self, *key_path) -> int:
        """Return the file line of a field, e.g. entry.line('citations', 0, 'quote')."""
        return self.doc.line_of(key_path)


@dataclass
class Content:
    """Everything under content/, loaded and schema-checked, not yet linked."""

    root: Path
    chronology: schema.Chronology | None = None
    entries: dict = field(default_factory=lambda: {kind: {} for kind in kinds.KINDS})
    texts: dict = field(default_factory=dict)  # source id -> article text
    broken: dict = field(default_factory=lambda: {kind: set() for kind in kinds.KINDS})
    """Ids whose files exist but failed to load: references to them are not reported again."""
    claimed_texts: set = field(default_factory=set)  # text files named by broken source files
    problems: list = field(default_factory=list)
    derived: tuple | None = None
    """(earlier Content, {(kind, id)}) when this one is that one with only those records changed."""


def display_path(path: Path, cwd: str | None = None) -> str:
    """Return `path` as the user should read it: relative to the working folder (`cwd`, asked for
    when not given) if inside it."""
    text = os.fspath(path)
    if not os.path.isabs(text):
        return os.path.normpath(text)
    cwd = cwd or os.getcwd()
    if text.startswith(cwd + os.sep):
        return text[len(cwd) + 1:]
    return text


def load(root: Path) -> Content:
    """Return the content under `root` with every problem found while reading and checking it."""
    loader = Loader(root)
    loader.scan()
    return loader.content()


@dataclass
class Parsed:
    """What one file gave: its record or the problems in it, or (for an article text) its bytes."""

    kind: str
    id: str = ""
    entry: Entry | None = None
    problems: list = field(default_factory=list)
    data: bytes | None = None  # article texts
    claims_text: str = ""  # the text file named by a source file that failed to load
    shown: str = ""  # the path as messages show it
    pending: tuple | None = None  # (document, shown, body, body line) read but not yet validated


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

        Two processes share the reading of a large chronology (see `parse_files`).
        """
        self.parsed = {}
        self._order = None
        self._last = None
        if self.root.is_dir():
            names, regular = self._walk(self.root)
            self.parsed = parse_files(names, self.root, regular)

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
            if path in self.parsed:
                del self.parsed[path]
            elif path.is_dir() or not path.exists():  # a folder added, removed or renamed
                inside = [k for k in self.parsed if k.is_relative_to(path)]
                folders |= bool(inside)
                for known in inside:
                    del self.parsed[known]
            if path.is_dir() and not path.is_symlink():
                folders = True
                for found in map(Path, self._walk(path)[0]):
                    self.parsed[found] = parse_file(found, self.root)
            elif path.exists() or path.is_symlink():
                if not any(IGNORED.search(part) for part in path.relative_to(self.root).parts):
                    self.parsed[path] = parse_file(path, self.root)
        return folders

    def _walk(self, folder: Path) -> tuple[list, set]:
        """Return the names of the content files under `folder`, sorted, skipping editor and system
        droppings, and those of them that are regular files (not links), as the folder listing tells
        without a system call per file: reading one needs no stat first. Names, not Paths: making
        20,000 Paths here, before the reading is shared by two processes, took a tenth of the loading.

        Symbolic links to folders are listed, not followed, so that they are reported.
        """
        found, regular, folders = [], set(), [os.fspath(folder)]
        while folders:
            try:
                listing = os.scandir(folders.pop())
            except OSError:  # as os.walk: a folder that cannot be listed is passed over
                continue
            with listing:
                for entry in listing:
                    if IGNORED.search(entry.name):
                        continue
                    try:
                        is_dir = entry.is_dir()  # following a link, as os.walk does
                    except OSError:
                        is_dir = False
                    if is_dir and not entry.is_symlink():
                        folders.append(entry.path)
                        continue
                    found.append(entry.path)
                    if not is_dir and entry.is_file(follow_symlinks=False):
                        regular.add(entry.path)
        return sorted(found), regular

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
        if last is None or last.problems or self._order is None or not self.root.is_dir():
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
        if not root.is_dir():
            content.problems.append(Problem(display_path(root), 0, "content folder not found",
                                            "pass --content DIR, or run from the project folder"))
            return content
        _check_top_level(root, content)
        texts: dict = {}
        if self._order is None:
            self._order = sorted(self.parsed)  # kept until files come or go
        for path in self._order:
            parsed = self.parsed[path]
            content.problems += parsed.problems
            if parsed.kind == "chronology":
                content.chronology = parsed.entry.record if parsed.entry else None
            elif parsed.data is not None or (parsed.kind == "sources" and path.suffix == ".txt"):
                # Keyed by the NFC name: macOS may store names decomposed (NFD). No data: refused, reported.
                texts[unicodedata.normalize("NFC", path.name)] = (path, parsed.data)
            elif parsed.id:
                _add(content, parsed)
        if root / CONFIG_FILE not in self.parsed:
            content.problems.append(Problem(display_path(root / CONFIG_FILE), 0, "missing chronology settings",
                                            "create it with title, description and language"))
        _load_texts(content, texts)
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
        if parsed.claims_text:
            content.claimed_texts.add(parsed.claims_text)
        elif kind == "sources":
            content.claimed_texts.add(None)  # it may describe any text: texts without metadata are not reported


def _check_top_level(root: Path, content: Content) -> None:
    allowed = set(kinds.KINDS) | {CONFIG_FILE}
    for item in sorted(root.iterdir()):
        if IGNORED.search(item.name) or item.name in allowed:
            continue
        hint = did_you_mean(item.name, allowed) or "content/ holds " + ", ".join(sorted(allowed))
        content.problems.append(Problem(display_path(item), 0, f"unexpected {'folder' if item.is_dir() else 'file'} '{item.name}'", hint))


PARALLEL_FROM = 2000  # files; below this a second process costs more than it saves
BATCH = 100  # files either process takes at a time (the last few decide how close they finish)


def parse_files(names: list, root: Path, regular=frozenset()) -> dict:
    """Return what each file gives (Path -> Parsed), in the order of `names` (file names).

    With many files, a second process (forked, so it starts at once) reads and parses part of them and
    sends back plain data: the parsed YAML, not yet validated, as tuples (pickling dataclasses and Path
    keys took three times as long to read back), a batch at a time. This process validates those into
    records (sending records themselves, pydantic models, back cost more than it saved) and reads the
    rest itself. The files are cut into batches, in order, which both processes take one at a time
    until none is left, so that they finish together however the work is shared: this one, which also
    validates the other's files, takes fewer (a fixed share left one of them idle for tenths of a second,
    as this machine's speed changes). Not used where threads run (the preview server), as forking a
    threaded process is unsafe. `regular` holds the names the folder listing found to be regular files
    (see `parse_file`).
    """
    cwd = os.getcwd()  # once, not per file
    if not second_process_pays(len(names), PARALLEL_FROM):
        return {path: parse_file(path, root, cwd=cwd, regular=name in regular)
                for name, path in zip(names, map(Path, names))}
    batches = [names[i:i + BATCH] for i in range(0, len(names), BATCH)]
    context = multiprocessing.get_context("fork")
    taken = context.Value("i", 0)  # how many batches either process has taken
    receiver, sender = context.Pipe(duplex=False)
    child = context.Process(target=_parse_unvalidated, args=(batches, taken, root, sender, receiver, regular),
                            daemon=True)
    child.start()
    sender.close()
    done: list = [None] * len(batches)  # each batch's (Path, Parsed) pairs

    def take_theirs() -> bool:
        """Validate the next batch the other process sent; return False once it has sent them all."""
        message = pickle.loads(receiver.recv_bytes())
        if isinstance(message, BaseException):
            raise message
        if message is None:
            return False
        at, flats = message
        done[at] = [(Path(name), _validate_pending(_unflattened(flat))) for name, flat in zip(batches[at], flats)]
        return True

    try:
        theirs = True
        while (at := take(taken)) < len(batches):
            done[at] = [(path, parse_file(path, root, cwd=cwd, regular=name in regular))
                        for name, path in zip(batches[at], map(Path, batches[at]))]
            while theirs and receiver.poll():  # what the other has sent meanwhile, so that its pipe drains
                theirs = take_theirs()
        while theirs:
            theirs = take_theirs()
    finally:
        receiver.close()  # if this process stopped reading, the other's sending fails and it ends
        child.join()
    return {path: parsed for pairs in done for path, parsed in pairs}


def _parse_unvalidated(batches: list, taken, root: Path, sender, receiver, regular) -> None:
    """Parse batches of files not yet taken, without validating them, and send each back (in the second
    process), then None.

    A thread sends each batch as it is made, so that parsing goes on while the first process is busy
    with its own (a pipe holds only a little); an error is sent as the last message."""
    receiver.close()  # the reading end, inherited: with it open here, a send would wait for ever once
    outbox: queue.SimpleQueue = queue.SimpleQueue()  # the first process stopped reading
    stopped = threading.Event()

    def send() -> None:
        try:
            while (data := outbox.get()) is not None:
                sender.send_bytes(data)
        except OSError:  # the first process stopped reading: it raised, and will not wait for more
            stopped.set()

    thread = threading.Thread(target=send)
    thread.start()
    try:
        cwd = os.getcwd()
        while not stopped.is_set() and (at := take(taken)) < len(batches):
            flats = [_flattened(parse_file(Path(name), root, validate=False, cwd=cwd, regular=name in regular))
                     for name in batches[at]]
            outbox.put(pickle.dumps((at, flats), protocol=pickle.HIGHEST_PROTOCOL))
        outbox.put(pickle.dumps(None))
    except BaseException as err:  # noqa: BLE001 - handed to the parent, which raises it
        outbox.put(pickle.dumps(err, protocol=pickle.HIGHEST_PROTOCOL))
    finally:
        outbox.put(None)
        thread.join()
        sender.close()


def _flattened(parsed: Parsed) -> tuple:
    """Return an unvalidated Parsed as a tuple of plain values, for sending to another process."""
    pending = parsed.pending
    if pending is not None:
        doc, shown, body, body_line = pending
        pending = (doc.data, doc.text, doc.first_line, shown, body, body_line)
    return (parsed.kind, parsed.id, parsed.entry, parsed.problems, parsed.data, parsed.claims_text,
            parsed.shown, pending)


def _unflattened(flat: tuple) -> Parsed:
    kind, id_, entry, problems, data, claims_text, shown, pending = flat
    parsed = Parsed(kind, id_, entry, problems, data, claims_text, shown)
    if pending is not None:
        data, text, first_line, shown, body, body_line = pending
        parsed.pending = (Document(data=data, text=text, first_line=first_line), shown, body, body_line)
    return parsed


def parse_file(path: Path, root: Path, validate: bool = True, cwd: str | None = None,
               regular: bool = False) -> Parsed:
    """Return what one content file gives, judged by where it sits under `root`.

    With validate=False, a record's parsed YAML is left in `pending` for `_validate_pending`. `cwd`, the
    working folder, is asked for when not given (paths are shown relative to it). A file that its
    folder's listing said is `regular` (not a link) is read without a stat first (a system call per
    file); its size is checked as it is read, and a link put in its place since is refused.
    """
    shown = display_path(path, cwd)
    parts = Path(os.path.relpath(path, root)).parts if path.is_absolute() != root.is_absolute() \
        else path.parts[len(root.parts):]
    try:
        if regular and parts != (CONFIG_FILE,):  # (the settings file has no size limit to read up to)
            return _parse_regular(path, parts, shown, validate)
        return _parse_checked(path, root, parts, shown, validate)
    except _Replaced:  # no longer a regular file: look again
        return _parse_checked(path, root, parts, shown, validate)


def _parse_checked(path: Path, root: Path, parts: tuple, shown: str, validate: bool) -> Parsed:
    """Return what a file gives, after a stat that refuses links leaving the content and other oddities."""
    try:
        info = os.lstat(path)  # one system call for most files: a regular file's lstat is its stat
        if stat.S_ISLNK(info.st_mode):
            if not path.resolve().is_relative_to(root.resolve()):
                return _problem("", shown, "symbolic link leads outside the content folder",
                                "copy the file into content/ instead")
            if path.is_dir():
                return _problem("", shown, "symbolic link to a folder is not followed",
                                "move the folder into content/ instead of linking to it")
            info = os.stat(path)
        if not stat.S_ISREG(info.st_mode):
            return _problem("", shown, "not a regular file", "content holds only files and folders")
        size = info.st_size
    except OSError as err:
        return _problem("", shown, f"cannot read the file: {err.strerror or err}", "check that it exists and is readable")
    return _parse_sized(path, parts, shown, validate, size)


def _parse_regular(path: Path, parts: tuple, shown: str, validate: bool) -> Parsed:
    """Return what a regular file gives, its size found by reading it (see `_contents`)."""
    try:
        return _parse_sized(path, parts, shown, validate, None)
    except _TooBig as big:
        return _too_big(parts[0], shown, big.size, big.limit)


def _parse_sized(path: Path, parts: tuple, shown: str, validate: bool, size: int | None) -> Parsed:
    """Return what a file of `size` bytes (None: not yet known, found by reading up to its limit) gives."""
    if parts == (CONFIG_FILE,):
        parsed = Parsed("chronology", "chronology", shown=shown)
        parsed.entry = _load_yaml_record(path, "chronology", "chronology", schema.Chronology, parsed, validate, size)
        return parsed
    if len(parts) < 2 or parts[0] not in kinds.KINDS:
        return Parsed("")  # reported by the top-level check
    kind = parts[0]
    model, suffix = kinds.KINDS[kind].model, kinds.KINDS[kind].suffix
    limit = MAX_TEXT_BYTES if kind == "sources" and path.suffix == ".txt" else MAX_RECORD_BYTES
    if size is None:
        size = _AtMost(limit)  # read up to the limit; a larger file raises _TooBig
    elif size > limit:
        return _too_big(kind, shown, size, limit)
    if kind == "sources" and path.suffix == ".txt":
        return _read_bytes(path, Parsed(kind), shown, size)
    if path.suffix != suffix:
        return _problem(kind, shown, f"unexpected file in {kind}/",
                        f"{kind} are {suffix} files" + (" (article texts are .txt files)" if kind == "sources" else ""))
    record_id = path.stem
    if not schema.ID_RE.match(record_id):
        return _problem(kind, shown, f"file name '{visible(path.name)}' is not a valid id{_odd_character(record_id)}",
                        f"ids are lowercase letters and digits joined by hyphens: rename it '{slug(record_id)}{suffix}'")
    parsed = Parsed(kind, record_id)
    parsed.shown = shown
    if suffix == ".md":
        parsed.entry = _load_markdown_record(path, kind, record_id, model, parsed, validate, size)
    else:
        parsed.entry = _load_yaml_record(path, kind, record_id, model, parsed, validate, size)
    return parsed


def _problem(kind: str, shown: str, message: str, hint: str) -> Parsed:
    return Parsed(kind, problems=[Problem(shown, 0, message, hint)])


def _too_big(kind: str, shown: str, size: int, limit: int) -> Parsed:
    what = ("a source text", "one article; split a longer document into several sources") if limit == MAX_TEXT_BYTES \
        else ("a content file", "summaries are short; an article's text belongs in sources/ as a .txt file")
    return _problem(kind, shown, f"file is {size / 1e6:.1f} MB, more than the {limit / 1e6:.0f} MB {what[0]} may have",
                    what[1])


class _TooBig(Exception):
    """A file read without a stat first turned out larger than its limit."""

    def __init__(self, size: int, limit: int):
        super().__init__(size, limit)
        self.size, self.limit = size, limit


class _AtMost(int):
    """The size of a file not stat'ed: the most it may hold, its limit (see `_contents`)."""


class _Replaced(Exception):
    """A file listed as a regular file is now a link (or gone to something else): it is looked at again."""


def _read_bytes(path: Path, parsed: Parsed, shown: str, size: int) -> Parsed:
    try:
        parsed.data = _contents(path, size)
    except OSError as err:
        parsed.problems.append(Problem(shown, 0, f"cannot read the file: {err.strerror or err}",
                                       "check that it exists and is readable"))
    return parsed


@lru_cache(maxsize=4096)
def _sha256(data: bytes) -> str:
    """Return the SHA-256 of a text file's bytes, once per bytes object (the preview re-assembles often)."""
    return hashlib.sha256(data).hexdigest()


@lru_cache(maxsize=4096)
def _decoded(data: bytes, shown: str) -> tuple:
    text, problems = decode(data, shown)
    return text, tuple(problems)


def _load_texts(content: Content, texts: dict) -> None:
    used = set()
    for source_id, entry in sorted(content.entries["sources"].items()):
        name = unicodedata.normalize("NFC", entry.record.text)
        used.add(name)
        if "/" in name or "\\" in name or name not in texts:
            hint = did_you_mean(name, texts) or "the text file must sit in the same folder as this file"
            content.problems.append(Problem(entry.path, entry.line("text"), f"text file '{visible(name)}' not found", hint))
            continue
        path, data = texts[name]
        if data is None:
            continue  # too big or unreadable: reported already
        digest = _sha256(data)
        if digest != entry.record.sha256:
            content.problems.append(Problem(
                entry.path, entry.line("sha256"),
                f"'{name}' has changed: its SHA-256 is {digest}, not the recorded one",
                "source texts are evidence and must stay byte for byte as published; restore the "
                "original, or if this is a deliberate new version, record the new sha256"))
            continue
        text, problems = _decoded(data, display_path(path))
        content.problems += problems
        if text is not None:
            content.texts[source_id] = text
            _check_chrome_lines(entry, text, content)
    named = used | content.claimed_texts
    if None in named or not named <= texts.keys():
        return  # a source names a text file that is not there: a text left over may be the one it means
    for name, (path, _) in sorted(texts.items()):
        if name not in named:
            content.problems.append(Problem(display_path(path), 0, "source text has no metadata file",
                                            f"describe it in a .yaml file beside it with text: {name}"))


def _check_chrome_lines(entry: Entry, text: str, content: Content) -> None:
    count = text.count("\n") + 1
    for i, chrome in enumerate(entry.record.chrome):
        first, last = chrome.span
        if last > count:
            content.problems.append(Problem(entry.path, entry.line("chrome", i, "lines"),
                                            f"chrome lines '{chrome.lines}' go past the end of the text ({count} lines)"))


def _contents(path: Path, size: int) -> bytes:
    """Return the bytes of a file: one read, without the file objects of open() (20,000 files).

    `size` is what lstat said (more reads if the file has grown since); or, for a file listed as regular
    and not stat'ed, `_AtMost` its limit: it is opened without following a link (_Replaced if it has
    become one) and read in pieces, and _TooBig is raised as soon as it holds more."""
    if type(size) is _AtMost:
        return _contents_unsized(path, size)
    fd = os.open(path, _READ)
    try:
        data = os.read(fd, size + 1)
        if len(data) <= size:  # a regular file gives less than asked only at its end
            return data
        chunks = [data]
        while chunk := os.read(fd, 1 << 20):
            chunks.append(chunk)
        return b"".join(chunks)
    finally:
        os.close(fd)


def _contents_unsized(path: Path, limit: int) -> bytes:
    try:
        fd = os.open(path, _READ | _NO_LINK)
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK, errno.ENOENT, errno.ENXIO):
            raise _Replaced() from err  # became a link, or went: the checked way reports it
        raise
    try:
        chunks, held = [], 0
        while chunk := os.read(fd, _FIRST_READ if not chunks else 1 << 20):
            chunks.append(chunk)
            held += len(chunk)
            if held > limit:
                raise _TooBig(os.fstat(fd).st_size, limit)
            if len(chunk) < _FIRST_READ and len(chunks) == 1:
                break  # less than asked: the end (most files, in one read)
        if not chunks and not stat.S_ISREG(os.fstat(fd).st_mode):
            raise _Replaced()  # nothing to read, from a fifo put in its place: the checked way reports it
        return chunks[0] if len(chunks) == 1 else b"".join(chunks)
    except BlockingIOError as err:
        raise _Replaced() from err
    finally:
        os.close(fd)


_READ = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_BINARY", 0)
_NO_LINK = getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0)  # a fifo put in its place: no wait
_FIRST_READ = 1 << 16  # most content files are a few kilobytes


def _read(path: Path, into, shown: str, size: int) -> str | None:
    try:
        data = _contents(path, size)
    except OSError as err:
        into.problems.append(Problem(shown, 0, f"cannot read the file: {err.strerror or err}",
                                     "check that it exists and is readable"))
        return None
    text, problems = decode(data, shown)
    into.problems += problems
    return text


def _load_yaml_record(path, kind, record_id, model, content, validate, size) -> Entry | None:
    shown = content.shown  # the path as messages show it
    text = _read(path, content, shown, size)
    if text is None:
        return None
    doc, problems = parse_yaml(text, shown)
    content.problems += problems
    if doc is None:
        return None
    return _record(doc, kind, record_id, model, shown, content, validate)


def _load_markdown_record(path, kind, record_id, model, content, validate, size) -> Entry | None:
    shown = content.shown  # the path as messages show it
    text = _read(path, content, shown, size)
    if text is None:
        return None
    front, front_line, body, body_line, problems = split_front_matter(text, shown)
    content.problems += problems
    if front is None:
        return None
    doc, problems = parse_yaml(front, shown, front_line)
    content.problems += problems
    if doc is None:
        return None
    return _record(doc, kind, record_id, model, shown, content, validate, body, body_line)


def _record(doc, kind, record_id, model, shown, parsed, validate, body=None, body_line=1) -> Entry | None:
    """Return the record of a parsed file (with its Markdown body, if any), or leave it pending."""
    if not validate:
        parsed.pending = (doc, shown, body, body_line)
        return None
    entry = _validate(doc, kind, record_id, model, shown, parsed)
    if entry is None or body is None:
        return entry
    entry.body, entry.body_line = body.strip("\n"), body_line
    if not body.strip():
        parsed.problems.append(Problem(shown, body_line, f"{kinds.KINDS[kind].singular} has no summary",
                                       "write a neutral summary in your own words below the front matter"))
    return entry


def _validate_pending(parsed: Parsed) -> Parsed:
    """Validate the record a file parsed with validate=False left pending."""
    if parsed.pending is not None:
        doc, shown, body, body_line = parsed.pending
        parsed.pending = None
        model = schema.Chronology if parsed.kind == "chronology" else kinds.KINDS[parsed.kind].model
        parsed.entry = _record(doc, parsed.kind, parsed.id, model, shown, parsed, True, body, body_line)
    return parsed


def _validate(doc: Document, kind, record_id, model, shown, content) -> Entry | None:
    if not isinstance(doc.data, dict):
        content.problems.append(Problem(shown, 1, "expected a mapping of fields (name: value)",
                                        "fields: " + ", ".join(model.model_fields)))
        return None
    try:
        record = model.model_validate(doc.data)
    except ValidationError as err:
        content.problems += schema_problems(err, model, doc, shown)
        if kind == "sources" and isinstance(doc.data.get("text"), str):
            content.claims_text = unicodedata.normalize("NFC", doc.data["text"])
        return None
    doc.data = None  # validated into `record`; the text stays for line numbers
    return Entry(kind, record_id, shown, record, doc)


# ---------------------------------------------------------------- pydantic errors -> messages

def schema_problems(err: ValidationError, model, doc: Document, path: str) -> list[Problem]:
    """Return one clear Problem per pydantic error, located through the YAML line map."""
    problems = []
    for error in err.errors(include_url=False):
        loc = tuple(error["loc"])
        problems.append(Problem(path, doc.line_of(loc), *_explain(error, loc, model, doc)))
    return problems


def _dotted(loc) -> str:
    text = ""
    for part in loc:
        text += f"[{part}]" if isinstance(part, int) else (f".{part}" if text else str(part))
    return text


def _explain(error, loc, model, doc) -> tuple[str, str]:
    kind = error["type"]
    name = _dotted(loc)
    parent = _model_at(model, loc[:-1])
    if kind == "missing":
        info = parent.model_fields.get(loc[-1]) if parent else None
        return f"missing required field '{loc[-1]}'", (info.description or "") if info else ""
    if kind == "extra_forbidden":
        fields = list(parent.model_fields) if parent else []
        hint = did_you_mean(str(loc[-1]), fields) or "allowed fields: " + ", ".join(fields)
        return f"unknown field '{loc[-1]}'", hint
    given = error.get("input")
    raw = doc.raw.get(loc)
    if kind == "string_type":
        if isinstance(given, bool) or given is None or isinstance(given, (int, float)):
            shown = ("true" if given is True else "false" if given is False
                     else "empty (null)" if given is None else "a number")
            return (f"'{name}' should be text, but YAML read {raw!r} as {shown}",
                    f"put it in quotes: {loc[-1] if isinstance(loc[-1], str) else '-'}: \"{raw}\"")
        return f"'{name}' should be text, not {_type_name(given)}", ""
    if kind == "list_type":
        return f"'{name}' should be a list, not {_type_name(given)}", "write it as [a, b] or as lines starting with '- '"
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return f"'{name}' should be a mapping of fields, not {_type_name(given)}", ""
    if kind == "string_pattern_mismatch":
        if loc and loc[-1] == "sha256":
            return f"'{name}' should be 64 lowercase hex digits", "compute it with: sha256sum FILE"
        if loc and loc[-1] == "url":
            return f"'{name}' {given!r} is not an http(s) URL", "only http:// and https:// links are allowed"
        return (f"'{name}' {given!r} is not an id{_odd_character(str(given))}",
                f"ids are lowercase letters and digits joined by hyphens, e.g. '{slug(str(given))}'")
    if kind == "literal_error":
        expected = error.get("ctx", {}).get("expected", "")
        hint = did_you_mean(str(given), re.findall(r"'([^']+)'", expected)) or f"expected {expected}"
        return f"'{name}' has the value {given!r}, which is not allowed", hint
    if kind in ("int_type", "int_parsing"):
        return f"'{name}' should be a whole number, not {given!r}", "write digits only, e.g. 1000 (no commas)"
    if kind == "too_short":
        return f"'{name}' needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)", _too_short_hint(loc)
    message = error["msg"].removeprefix("Value error, ")
    return (f"'{name}': {message}" if name else message), ""


def _too_short_hint(loc) -> str:
    if loc and loc[-1] in ("citations", "renderings"):
        return "every claim needs a citation: add '- source: ID' and 'quote: ...' from that source"
    return ""


def _type_name(value) -> str:
    return {dict: "a mapping", list: "a list", str: "text", bool: "true/false", int: "a number",
            float: "a number", type(None): "empty"}.get(type(value), type(value).__name__)


def _model_at(model, loc):
    """Return the model class that holds the field at `loc`, or None."""
    current = model
    for part in loc:
        if isinstance(part, int):
            continue
        info = current.model_fields.get(part) if current else None
        if info is None:
            return None
        current = _inner_model(info.annotation)
    return current


def _inner_model(annotation):
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in typing.get_args(annotation):
        found = _inner_model(arg)
        if found:
            return found
    return None


def _odd_character(text: str) -> str:
    """Return ': it holds U+043E CYRILLIC SMALL LETTER O' for the first character of `text` that is not
    ASCII or is invisible (look-alikes, direction overrides, zero-width spaces), or ''."""
    for c in text:
        if not c.isascii() or not c.isprintable():
            name = unicodedata.name(c, "")
            return f": it holds U+{ord(c):04X} {name}" if name else f": it holds the control character U+{ord(c):04X}"
    return ""


def slug(text: str) -> str:
    """Return `text` as an id: lowercase ASCII words joined by hyphens."""
    import unicodedata
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-") or "name"
