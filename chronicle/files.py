"""Reading content files: what each file is by where it sits (kind and id), read safely (links leaving the
content, special files and oversized files refused) and parsed, its record validated; many files read in
two processes."""
from __future__ import annotations

import errno
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path

from . import captures, kinds, schema
from .parallel import in_two_processes, second_process_pays
from .problems import Problem, odd_character, slug, visible
from .read import Document, decode, parse_yaml, split_front_matter
from .validate import Entry, entry_of, id_problem, validate_pending

CONFIG_FILE = "chronology.yaml"
MAX_RECORD_BYTES = 1_000_000  # a record is a few fields and a summary; this is a pasted file by mistake
MAX_TEXT_BYTES = 20_000_000  # one article; a 10 MB text builds in seconds, this bounds time and memory


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
    readable: Entry | None = None  # what can be checked of a record that failed its schema check


BATCH = 100  # files either process takes at a time (the last few decide how close they finish)


def parse_files(names: list, root: Path, regular=frozenset()) -> dict:
    """Return what each file gives (Path -> Parsed), in the order of `names` (file names).

    With many files, a second process reads and parses batches of them (parallel.in_two_processes) and
    sends back plain data: the parsed YAML, not yet validated, as tuples (pickling dataclasses and Path
    keys took three times as long to read back). This process validates those into records as they
    arrive (sending records themselves, pydantic models, back cost more than it saved), and reads and
    validates the batches it takes itself, of which it so takes fewer. `regular` holds the names the
    folder listing found to be regular files (see `parse_file`).
    """
    cwd = os.getcwd()  # once, not per file
    batches = [names[i:i + BATCH] for i in range(0, len(names), BATCH)]
    done: list = [None] * len(batches)  # each batch's (Path, Parsed) pairs

    def here(at: int) -> None:
        done[at] = [(path, parse_file(path, root, cwd=cwd, regular=name in regular))
                    for name, path in zip(batches[at], map(Path, batches[at]))]

    def there(at: int) -> list:
        return [_flattened(parse_file(Path(name), root, validate=False, cwd=cwd, regular=name in regular))
                for name in batches[at]]

    def receive(at: int, flats: list) -> None:
        done[at] = [(Path(name), validate_pending(_unflattened(flat))) for name, flat in zip(batches[at], flats)]

    in_two_processes(len(batches), here, there, receive, fork=second_process_pays(len(names), "files"))
    return {path: parsed for pairs in done for path, parsed in pairs}


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

    With validate=False, a record's parsed YAML is left in `pending` for `validate_pending`. `cwd`, the
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
            info = _link_target(path, root)
            if isinstance(info, str):
                message, hint = LINK_PROBLEMS[info]
                return _problem("", shown, message, hint)
        if not stat.S_ISREG(info.st_mode):
            return _problem("", shown, "not a regular file", "content holds only files and folders")
        size = info.st_size
    except OSError as err:
        return _problem("", shown, *cannot_read(err))
    return _parse_sized(path, parts, shown, validate, size)


LINK_PROBLEMS = {  # what is wrong with a symbolic link (see _link_target): message, hint
    "loop": ("symbolic link loop: following it leads back to a link already followed",
             "replace the link with the file it was meant to name"),
    "nowhere": ("symbolic link leads to nothing: what it names does not exist",
                "replace the link with the file itself, or remove it"),
    "outside": ("symbolic link leads outside the content folder", "copy the file into content/ instead"),
    "folder": ("symbolic link to a folder is not followed", "move the folder into content/ instead of linking to it"),
}


def _link_target(path: Path, root: Path):
    """Return the stat of the file a symbolic link leads to, or what is wrong with it (a key of
    LINK_PROBLEMS). Raises OSError if it cannot be followed for another reason (permissions, say)."""
    try:
        info = os.stat(path)  # follows the links: a loop is ELOOP here, not pathlib's RuntimeError
    except OSError as err:
        if err.errno in (errno.ELOOP, errno.EMLINK):  # (EMLINK: ELOOP on some BSDs)
            return "loop"
        if err.errno in (errno.ENOENT, errno.ENOTDIR):
            return "nowhere"
        raise
    if not Path(os.path.realpath(path)).is_relative_to(os.path.realpath(root)):  # no loop: stat got through
        return "outside"
    return "folder" if stat.S_ISDIR(info.st_mode) else info


def cannot_read(err: OSError, what: str = "file") -> tuple:
    """Return the message and hint for a file (or folder) that the system refused to read."""
    reason = err.strerror or str(err)
    if err.errno == errno.ENAMETOOLONG:
        return (f"cannot read the {what}: its path is longer than the system allows",
                "move it up, closer to content/, or shorten the names of the folders it is in")
    if err.errno == errno.ELOOP:
        return f"cannot read the {what}: symbolic link loop", "replace the link with the file it was meant to name"
    return f"cannot read the {what}: {reason}", "check that it exists and is readable"


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
    if parts[0] in kinds.KINDS and len(parts) == 1:
        return _problem("", shown, f"expected the folder of {parts[0]}, not a file",
                        f"remove the file and make a folder {parts[0]}/ holding one {kinds.KINDS[parts[0]].suffix} "
                        f"file per {kinds.KINDS[parts[0]].singular}")
    if len(parts) < 2 or parts[0] not in kinds.KINDS:
        return Parsed("")  # reported by the top-level check
    kind = parts[0]
    model, suffix = kinds.KINDS[kind].model, kinds.KINDS[kind].suffix
    data_file = kind == "sources" and (path.suffix == ".txt" or captures.is_capture(path.name))
    limit = (captures.MAX_BYTES if captures.is_capture(path.name) else MAX_TEXT_BYTES) if data_file \
        else MAX_RECORD_BYTES
    if size is None:
        size = _AtMost(limit)  # read up to the limit; a larger file raises _TooBig
    elif size > limit:
        return _too_big(kind, shown, size, limit)
    if data_file:  # an article text or a capture: bytes, checked against their source's hash
        return _read_bytes(path, Parsed(kind), shown, size)
    if path.suffix != suffix:
        return _problem(kind, shown, f"unexpected file in {kind}/",
                        f"{kind} are {suffix} files" + (" (article texts are .txt files, captures ID.capture.EXT)"
                                                        if kind == "sources" else ""))
    record_id = path.stem
    if not schema.ID_RE.match(record_id):
        return _problem(kind, shown, f"file name '{visible(path.name)}' is not a valid id{odd_character(record_id)}",
                        f"ids are lowercase letters and digits joined by hyphens: rename it '{slug(record_id)}{suffix}'")
    parsed = Parsed(kind, record_id)
    parsed.shown = shown
    if suffix == ".md":
        parsed.entry = _load_markdown_record(path, kind, record_id, model, parsed, validate, size)
    else:
        parsed.entry = _load_yaml_record(path, kind, record_id, model, parsed, validate, size)
    unusable = id_problem(kind, record_id, shown, parsed)  # after reading: its other problems are reported too
    if unusable is not None:
        parsed.problems.append(unusable)
    return parsed


def _problem(kind: str, shown: str, message: str, hint: str) -> Parsed:
    return Parsed(kind, problems=[Problem(shown, 0, message, hint)])


def _too_big(kind: str, shown: str, size: int, limit: int) -> Parsed:
    what = {MAX_TEXT_BYTES: ("a source text", "one article; split a longer document into several sources"),
            captures.MAX_BYTES: ("a capture", "keep the page without its media, or the document's pages cited")
            }.get(limit, ("a content file", "summaries are short; an article's text belongs in sources/ as a .txt file"))
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
        parsed.problems.append(Problem(shown, 0, *cannot_read(err)))
    return parsed


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
        into.problems.append(Problem(shown, 0, *cannot_read(err)))
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
    return entry_of(doc, kind, record_id, model, shown, content, validate)


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
    return entry_of(doc, kind, record_id, model, shown, content, validate, body, body_line)

