"""Captures: the original file a source was taken from (a saved web page, a PDF), kept beside its text
as `ID.capture.EXT`, checked by its SHA-256 at every build, and published inside a ZIP file.

Why a ZIP: a saved page holds the publisher's scripts. Served as a page of the site, they would run
under the site's origin, with its cookies and storage; no web server or browser renders a ZIP, so the
capture can only be downloaded. (A `.html.gz` is not safe: some servers send it as gzip-encoded HTML,
which the browser then renders.) The ZIP holds the capture byte for byte, so its SHA-256 can be checked.
"""
from __future__ import annotations

import io
import zipfile
from functools import lru_cache

MARK = ".capture."  # what names a capture: ID.capture.html.gz, ID.capture.pdf, ID.capture.txt
MAX_BYTES = 50_000_000  # a saved page with its images inlined, or a long report; bounds time and memory
SUFFIXES = (".html", ".htm", ".html.gz", ".htm.gz", ".pdf", ".txt")  # what `import` reads


def is_capture(name: str) -> bool:
    """Return whether a file name in sources/ names a capture."""
    return MARK in name


def name_for(source_id: str, original: str) -> str:
    """Return the capture file name for a source id and the original file's name, keeping its suffix
    (a compound one such as `.html.gz` whole)."""
    lower = original.lower()
    suffix = next((s for s in sorted(SUFFIXES, key=len, reverse=True) if lower.endswith(s)), "")
    return f"{source_id}{MARK}{suffix.lstrip('.') or 'bin'}"


def download_path(source_id: str) -> str:
    """Return the site path of a source's capture download."""
    return f"sources/{source_id}.capture.zip"


def files(graph) -> dict[str, bytes]:
    """Return the capture downloads of `graph`: site path -> ZIP bytes."""
    return {download_path(sid): zipped(name, data) for sid, (name, data) in sorted(graph.content.captures.items())}


@lru_cache(maxsize=64)  # the preview writes the data files after every edit; the bytes object is the same
def zipped(name: str, data: bytes) -> bytes:
    """Return a ZIP holding one file, `name` with `data`, the same bytes for the same input: a fixed
    date, permissions and system, so that two builds are byte-identical."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
        info.compress_type = zipfile.ZIP_DEFLATED
        info.create_system = 3  # Unix, wherever it is built
        info.external_attr = 0o644 << 16
        archive.writestr(info, data, compresslevel=6)
    return buffer.getvalue()
