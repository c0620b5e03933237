"""Write: put a whole rendered site in place at once, or leave the old one untouched."""
from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path, PurePosixPath


class UnsafePath(ValueError):
    """A page path that would land outside the output folder, or twice in it."""


def check_paths(files: dict) -> None:
    """Raise UnsafePath unless every key is a relative path inside the site, each written once."""
    seen = set()
    for rel in files:
        parts = PurePosixPath(rel).parts
        if (not rel or rel.startswith("/") or "\\" in rel or "\0" in rel
                or any(p in ("", ".", "..") for p in parts)):
            raise UnsafePath(f"refusing to write '{rel}': it is not a plain path inside the site")
        key = rel.casefold()  # two names differing only by case collide on macOS and Windows
        if key in seen:
            raise UnsafePath(f"refusing to write '{rel}' twice")
        seen.add(key)


def write_site(files: dict, out: Path, before_swap=None) -> int:
    """Write `files` (path -> str or bytes) as the site at `out`, swapping it in atomically.

    The new site is written to a fresh sibling folder first, so a failed or interrupted build
    leaves the previous site as it was. `before_swap(folder)`, if given, runs on the complete new folder
    before it is swapped in (the search indexing): if it raises, the previous site stays. Returns the
    number of files written.
    """
    check_paths(files)
    out = Path(out)
    out.parent.mkdir(parents=True, exist_ok=True)
    fresh = Path(tempfile.mkdtemp(prefix=f".{out.name}.new-", dir=out.parent))
    try:
        for rel in sorted(files):
            target = fresh / rel
            target.parent.mkdir(parents=True, exist_ok=True)
            data = files[rel]
            target.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
        os.chmod(fresh, 0o755)
        if before_swap is not None:
            before_swap(fresh)
        _swap(fresh, out)
    except BaseException:
        shutil.rmtree(fresh, ignore_errors=True)
        raise
    return len(files)


def _swap(fresh: Path, out: Path) -> None:
    if out.exists() or out.is_symlink():
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
