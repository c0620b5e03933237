"""Write: put a whole rendered site in place at once, or leave the old one untouched.

One build at a time writes a given output folder: a lock file beside it (`.site.lock`) makes a second
build wait. The new site is written to a fresh sibling folder (`.site.new-*`) and exchanged with the old
one in a single atomic step, so a build killed at any moment leaves the previous site whole; what a
killed build leaves behind is removed by the next one.
"""
from __future__ import annotations

import ctypes
import errno
import os
import shutil
import tempfile
import threading
from contextlib import contextmanager
from pathlib import Path

try:
    import fcntl
except ImportError:  # pragma: no cover - not on Windows: builds are then not serialised
    fcntl = None


class UnsafePath(ValueError):
    """A page path that would land outside the output folder, or twice in it."""


class WrittenTwice(UnsafePath):
    """A second write to one path of the site in one build: a bug (ids are checked at load so that no
    record's page can take another page's path), refused before it replaces the first."""

    def __init__(self, rel: str):
        super().__init__(f"refusing to write '{rel}' twice: the second write would replace the first "
                         "(a bug in the build: please report it)")
        self.path = rel

    def __reduce__(self):  # made again from its path when sent from the second rendering process
        return type(self), (self.path,), self.__dict__


def temporary_name(name: str) -> str:
    """Return the name a file is written under before it replaces `name` in place (the preview): hidden,
    and one that no page of the site has."""
    return f".{name}.tmp"


def check_path(rel: str) -> None:
    """Raise UnsafePath unless `rel` is a plain relative path inside the site."""
    parts = rel.split("/")  # not PurePosixPath(rel).parts, which hides 'a//b' and 'a/./b'
    if (not rel or rel.startswith("/") or "\\" in rel or "\0" in rel
            or any(p in ("", ".", "..") for p in parts)):
        raise UnsafePath(f"refusing to write '{rel}': it is not a plain path inside the site")


def check_paths(files) -> None:
    """Raise UnsafePath unless every path is a relative path inside the site, each written once."""
    seen = set()
    for rel in files:
        check_path(rel)
        key = rel.casefold()  # two names differing only by case collide on macOS and Windows
        if key in seen:
            raise WrittenTwice(rel)
        seen.add(key)


_held: dict = {}  # lock path -> [times this process holds it (re-entrant), file descriptor]
_held_lock = threading.Lock()


def _forget_locks_in_child() -> None:
    # A forked child (the second rendering process) must not keep the lock alive after its parent is killed.
    for _, fd in _held.values():
        os.close(fd)
    _held.clear()


os.register_at_fork(after_in_child=_forget_locks_in_child)


@contextmanager
def output_lock(out: Path, on_wait=None):
    """Hold the lock of the output folder `out`, having cleared what killed builds left; while another
    build holds it, wait.

    `on_wait(pid)`, if given, is called once before waiting, with the process id of the build holding
    the lock (or None). The lock is the kernel's (flock), so a build that is killed releases it.
    """
    out = Path(out)
    _check_writable(out)
    path = out.parent / f".{out.name}.lock"
    key = (os.path.abspath(path), threading.get_ident())  # re-entrant in one thread; others wait
    with _held_lock:
        if key in _held:
            _held[key][0] += 1
            nested = True
        else:
            nested = False
    if nested:
        try:
            yield
        finally:
            with _held_lock:
                _held[key][0] -= 1
        return
    fd = _acquire(path, on_wait)
    with _held_lock:
        _held[key] = [1, fd]
    try:
        _remove_leftovers(out)
        yield
    finally:
        with _held_lock:
            del _held[key]
        try:
            os.unlink(path)  # before unlocking: a build waiting on this file then retries with a new one
        except FileNotFoundError:
            pass
        os.close(fd)


BESIDE = (".{}.lock", ".{}.new-12345678", ".{}.old-12345678")  # what a build makes beside its output folder


def _check_writable(out: Path) -> None:
    """Make the folder `out` is in; raise UnsafePath, saying why, if it cannot be made or `out` cannot be
    written in it (a file where a folder should be, a name too long for what is made beside it)."""
    name = os.fsencode(out.name)
    longest = max(len(os.fsencode(made.format(""))) for made in BESIDE)
    if len(name) + longest > NAME_MAX:
        raise UnsafePath(f"refusing to write '{out}': its name is {len(name)} bytes long, and the build makes "
                         f"'{BESIDE[1].format(out.name[:8] + '...')}' beside it, which must fit in {NAME_MAX} "
                         f"bytes (choose an --out whose name has at most {NAME_MAX - longest})")
    try:
        out.parent.mkdir(parents=True, exist_ok=True)
    except OSError as err:
        there = f"'{err.filename}' " if err.filename else ""
        why = f"{there}is a file, not a folder" if isinstance(err, (FileExistsError, NotADirectoryError)) \
            else f"{there}{err.strerror or err}"
        raise UnsafePath(f"refusing to write '{out}': {why} (choose another --out)") from err


NAME_MAX = 255  # bytes in a file name (as validate.NAME_MAX)


def _acquire(path: Path, on_wait) -> int:
    while True:
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o644)
        if fcntl is None:
            return fd
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                holder = os.read(fd, 32).decode("ascii", "replace").strip()
                on_wait(int(holder) if holder.isdigit() else None)
                on_wait = None
            try:
                fcntl.flock(fd, fcntl.LOCK_EX)
            except BaseException:
                os.close(fd)
                raise
        try:
            current = os.path.samestat(os.fstat(fd), os.stat(path))
        except FileNotFoundError:
            current = False
        if current:  # not a file the previous holder removed on its way out
            os.ftruncate(fd, 0)
            os.write(fd, f"{os.getpid()}\n".encode("ascii"))
            return fd
        os.close(fd)


_NEW_FILE = os.O_WRONLY | os.O_CREAT | os.O_TRUNC | getattr(os, "O_CLOEXEC", 0)


class SiteWriter:
    """Writes the files of a new site into its fresh folder, refusing paths that would leave it.

    A second write to a path already written is refused (WrittenTwice), before it replaces the first.
    A forked rendering process writes its own pages through the writer it inherits; `paths` lists what
    this process wrote, and the parent adds what the other wrote with `written_elsewhere`, which
    refuses a path written by both. `also`, when set, is called with each (path, data) written, in the
    process that wrote it (the search index's copies of the pages: search_index.Copies.add).
    """

    def __init__(self, folder: Path, shown: Path | None = None):
        self.folder = folder
        self.shown = shown or folder  # the folder that errors name: the output folder it becomes
        self.paths: list = []
        self.also = None
        self._root = os.fspath(folder) + os.sep
        self._made: set = set()
        self._written: set = set()  # each path written, casefolded (see check_paths)

    def write(self, rel: str, data) -> None:
        check_path(rel)
        self._once(rel)
        target = self._root + rel  # a plain string: pathlib's joins cost more than the write (19,000 pages)
        folder = rel.rpartition("/")[0]
        try:
            if folder not in self._made:  # thousands of pages share a few folders
                os.makedirs(self._root + folder, exist_ok=True)
                self._made.add(folder)
            fd = os.open(target, _NEW_FILE, 0o666)  # lighter than open(): no buffered file object for one write
            try:
                view = memoryview(data.encode("utf-8") if isinstance(data, str) else data)
                while view:  # os.write may write less than asked
                    view = view[os.write(fd, view):]
            finally:
                os.close(fd)
        except OSError as err:  # named as in the output folder, not the fresh one that is then removed
            raise OSError(err.errno, err.strerror, os.path.join(self.shown, rel)) from err
        self.paths.append(rel)
        if self.also is not None:
            self.also(rel, data)

    def written_elsewhere(self, paths: list) -> None:
        """Add the paths another rendering process wrote; raise WrittenTwice for one written already."""
        for rel in paths:
            self._once(rel)
        self.paths += paths

    def _once(self, rel: str) -> None:
        key = rel.casefold()  # two names differing only by case collide on macOS and Windows
        if key in self._written:
            raise WrittenTwice(rel)
        self._written.add(key)


@contextmanager
def new_site(out: Path, before_swap=None):
    """Yield a SiteWriter into a fresh folder beside `out`; swap the folder in when the block ends.

    Before the swap, every path written (`writer.paths`, and those of other processes added to it) is
    checked to be written once, and `before_swap(folder)` runs (the search indexing). If the block or
    either of these raises, the fresh folder is removed and the previous site stays as it was.
    """
    out = Path(out)
    with output_lock(out):
        _check_replaceable(out)
        fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
        try:
            writer = SiteWriter(fresh, out)
            yield writer
            check_paths(writer.paths)
            os.chmod(fresh, 0o755)
            if before_swap is not None:
                before_swap(fresh)
            _swap(fresh, out)
        except BaseException:
            shutil.rmtree(fresh, ignore_errors=True)
            raise


SITE_SIGNS = (".nojekyll", "index.html", "assets")  # what every built site holds


def _check_replaceable(out: Path) -> None:
    """Raise UnsafePath if `out` holds something other than a site built here: it is about to be replaced."""
    if not (out.exists() or out.is_symlink()):
        return
    if not out.is_dir():
        raise UnsafePath(f"refusing to replace '{out}': it is a file, not a site folder (choose another --out)")
    if any(out.iterdir()) and not all((out / name).exists() for name in SITE_SIGNS):
        raise UnsafePath(f"refusing to replace '{out}': it holds files but not a site built by build.py, and "
                         "would be deleted (choose a new or empty folder with --out)")


def _remove_leftovers(out: Path) -> None:
    """Remove the folders of builds that were killed; put back a previous site a killed swap left aside."""
    for item in sorted(out.parent.iterdir()):
        if item.name.startswith(f".{out.name}.old-"):
            if not (out.exists() or out.is_symlink()) and (item / out.name).is_dir():
                os.rename(item / out.name, out)
            _remove(item)
        elif item.name.startswith(f".{out.name}.new-"):
            _remove(item)


def _remove(path: Path) -> None:
    if path.is_symlink():
        path.unlink()
    else:
        shutil.rmtree(path, ignore_errors=True)


RENAME_EXCHANGE = 2  # linux/fs.h
_AT_FDCWD = -100


def _exchange(a: Path, b: Path) -> bool:
    """Swap the paths `a` and `b` in one atomic step (Linux renameat2); False where that is not possible."""
    try:
        renameat2 = ctypes.CDLL(None, use_errno=True).renameat2
    except (AttributeError, OSError):
        return False
    renameat2.argtypes = [ctypes.c_int, ctypes.c_char_p, ctypes.c_int, ctypes.c_char_p, ctypes.c_uint]
    if renameat2(_AT_FDCWD, os.fsencode(a), _AT_FDCWD, os.fsencode(b), RENAME_EXCHANGE) == 0:
        return True
    code = ctypes.get_errno()
    if code in (errno.ENOSYS, errno.EINVAL, errno.ENOTSUP, errno.EOPNOTSUPP):
        return False  # an old kernel, or a file system without it
    raise OSError(code, os.strerror(code), os.fspath(b))


def _swap(fresh: Path, out: Path) -> None:
    if (out.exists() or out.is_symlink()) and _exchange(fresh, out):
        _remove(fresh)  # it now holds the previous site
        return
    if out.exists() or out.is_symlink():
        # Two renames: a build killed between them leaves the previous site in .site.old-*/site,
        # and the next build puts it back (see _remove_leftovers).
        old = Path(tempfile.mkdtemp(prefix=f".{out.name}.old-", dir=out.parent))
        os.rename(out, old / out.name)
        try:
            os.rename(fresh, out)
        except BaseException:
            os.rename(old / out.name, out)  # put the previous site back
            raise
        shutil.rmtree(old, ignore_errors=True)
    else:
        os.rename(fresh, out)
