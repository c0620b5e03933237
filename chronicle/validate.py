"""Validation: a file's parsed YAML checked against its kind's schema model, into an Entry or Problems."""
from __future__ import annotations

import re
import typing
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from . import captures, kinds, schema, urls
from .problems import Problem, slug
from .read import Document
from .schema_errors import schema_problems
from .write import temporary_name

if typing.TYPE_CHECKING:
    from .files import Parsed


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


def entry_of(doc: Document, kind, record_id, model, shown, parsed: Parsed, validate, body=None,
             body_line=1) -> Entry | None:
    """Return the Entry of a file's parsed YAML `doc` checked against `model` (with its Markdown `body`,
    if any), or None, its problems added to `parsed`. With validate=False, return None and leave the
    document in `parsed.pending`, for `validate_pending` (in the other reading process)."""
    if not validate:
        parsed.pending = (doc, shown, body, body_line)
        return None
    entry = _validate(doc, kind, record_id, model, shown, parsed)
    if body is None:
        return entry
    if entry is not None:
        entry.body, entry.body_line = body.strip("\n"), body_line
    if not body.strip():
        parsed.problems.append(Problem(shown, body_line, f"{kinds.KINDS[kind].singular} has no summary",
                                       "write a neutral summary in your own words below the front matter"))
    return entry


def validate_pending(parsed: Parsed) -> Parsed:
    """Return `parsed` with the record it left pending (read with validate=False) validated."""
    if parsed.pending is not None:
        doc, shown, body, body_line = parsed.pending
        parsed.pending = None
        model = schema.Chronology if parsed.kind == "chronology" else kinds.KINDS[parsed.kind].model
        parsed.entry = entry_of(doc, parsed.kind, parsed.id, model, shown, parsed, True, body, body_line)
    return parsed


def _validate(doc: Document, kind, record_id, model, shown, parsed: Parsed) -> Entry | None:
    if not isinstance(doc.data, dict):
        parsed.problems.append(Problem(shown, 1, "expected a mapping of fields (name: value)",
                                       "fields: " + ", ".join(model.model_fields)))
        return None
    try:
        record = model.model_validate(doc.data)
    except ValidationError as err:
        parsed.problems += schema_problems(err, model, doc, shown)
        if kind == "sources" and isinstance(doc.data.get("text"), str):
            parsed.claims_text = unicodedata.normalize("NFC", doc.data["text"])
        if kind in kinds.KINDS:
            parsed.readable = Entry(kind, record_id, shown, Readable(doc.data, kinds.KINDS[kind]), doc)
        return None
    doc.data = None  # validated into `record`; the text stays for line numbers
    return Entry(kind, record_id, shown, record, doc)


class ReadCitation:
    """A citation read from a record that failed its schema check: what `link` needs to locate it.
    (A plain class: making a NamedTuple class compiles code at every import, some 0.8 million
    instructions, for a class used only when a file is broken.)"""

    __slots__ = ("source", "quote", "occurrence")

    def __init__(self, source: str, quote: str, occurrence: int | None = None):
        self.source, self.quote, self.occurrence = source, quote, occurrence


class Readable:
    """What can still be checked of a record that failed its schema check: the ids its reference
    fields hold and the citations it makes, each in its place (what cannot be read is None, reported
    by the schema check already). `link` checks these as it checks a valid record's, so that one run
    reports every problem; the record itself never enters the graph.

    A source's `text` and `sha256` are kept too, so that its text can still be read and the quotes
    citing it located, and the quotes of its `quote_exceptions` (or None)."""

    def __init__(self, data: dict, kind):
        for name in kind.references:
            value = data.get(name)
            setattr(self, name, _id_or_none(value) if not isinstance(value, list) else
                    [_id_or_none(item) for item in value])
        if kind.citations:
            value = data.get(kind.citations)
            setattr(self, kind.citations, [_citation(item) for item in value] if isinstance(value, list) else [])
        if kind.name == "sources":
            self.text = data.get("text") if isinstance(data.get("text"), str) else None
            sha256 = data.get("sha256")
            self.sha256 = sha256 if isinstance(sha256, str) and re.fullmatch(schema.SHA256_RE, sha256) else None
            exceptions = data.get("quote_exceptions")
            self.quote_exceptions = [item.get("quote") if isinstance(item, dict) and isinstance(item.get("quote"), str)
                                     and item["quote"].strip() else None
                                     for item in (exceptions if isinstance(exceptions, list) else [])]


def _id_or_none(value) -> str | None:
    return value if isinstance(value, str) and schema.ID_RE.match(value) else None


def _citation(item) -> ReadCitation | None:
    """Return the citation `item` as far as it can be located, or None."""
    if not isinstance(item, dict):
        return None
    source, quote, occurrence = item.get("source"), item.get("quote"), item.get("occurrence")
    if _id_or_none(source) is None or not isinstance(quote, str) or not quote.strip():
        return None
    if occurrence is not None and (type(occurrence) is not int or occurrence < 1):
        return None
    return ReadCitation(source, quote, occurrence)


# ---------------------------------------------------------------------- ids

NAME_MAX = 255
"""The bytes a file name may hold on the file systems a site is built on and served from (ext4, XFS,
Btrfs, APFS, ZFS; NTFS counts 255 UTF-16 units, no fewer for ASCII)."""


def site_names(rid: str) -> list:
    """Return the names of the files the site makes of a record's id: its page, a source's capture
    download, and the temporary name of each while the preview replaces it."""
    names = [urls.page("kind", rid).rpartition("/")[2], captures.download_path(rid).rpartition("/")[2]]
    return names + [temporary_name(name) for name in names]


MAX_ID_LENGTH = NAME_MAX - max(len(name) for name in site_names(""))
"""The longest id (ASCII: one byte a character) whose every file name fits in NAME_MAX: 238, the
longest name being `.ID.capture.zip.tmp`."""


def id_problem(kind: str, record_id: str, shown: str, parsed: Parsed) -> Problem | None:
    """Return the problem with a valid-looking id (a file's name) that the site cannot take: one of the
    names of its own pages (kinds.Kinds.reserved_ids), or too long for its file names; else None.
    `parsed`, what the file gave, names what the hint suggests instead."""
    if record_id in kinds.KINDS.reserved_ids:
        suffix = kinds.KINDS[kind].suffix
        own = next(path for path in urls.own_pages(kind) if path.endswith(f"/{record_id}.html"))
        better = _suggested_id(parsed)
        hint = f"rename the file after what it holds, e.g. '{better}{suffix}'" if better else \
            f"rename the file, e.g. '{record_id}-1{suffix}'"
        return Problem(shown, 0, f"id '{record_id}' is reserved: the site keeps {own} for a page of its own", hint)
    if len(record_id) > MAX_ID_LENGTH:
        short = record_id[:MAX_ID_LENGTH]
        if "-" in short[MAX_ID_LENGTH // 2:]:  # cut after a whole word, if that keeps most of it
            short = short.rsplit("-", 1)[0]
        longest = max(site_names("ID"), key=len)
        return Problem(shown, 0, f"id is {len(record_id)} characters long, more than the {MAX_ID_LENGTH} an id may have",
                       f"the site names files after it, such as '{longest}', and a file name holds at most "
                       f"{NAME_MAX} bytes: shorten it, e.g. '{short.rstrip('-')}{kinds.KINDS[kind].suffix}'")
    return None


SUGGESTED = 50  # the longest id a hint suggests


def _suggested_id(parsed: Parsed) -> str:
    """Return an id made of a record's title, name or subject, or '' if it has none (or one not usable)."""
    if parsed.entry is not None:
        record = parsed.entry.record
        named = next((getattr(record, f) for f in ("title", "name", "subject") if f in type(record).model_fields), None)
    else:
        doc = parsed.pending[0] if parsed.pending is not None else parsed.readable.doc if parsed.readable else None
        data = doc.data if doc is not None and isinstance(doc.data, dict) else {}
        named = next((data[f] for f in ("title", "name", "subject") if isinstance(data.get(f), str)), None)
    if not isinstance(named, str) or not named.strip():
        return ""
    better = slug(named)
    if len(better) > SUGGESTED:  # a headline's first words
        better = better[:SUGGESTED + 1].rsplit("-", 1)[0]
    return "" if better in kinds.KINDS.reserved_ids or better == "name" else better
