"""Validation: a file's parsed YAML checked against its kind's schema model, into an Entry or Problems."""
from __future__ import annotations

import typing
import unicodedata
from dataclasses import dataclass

from pydantic import BaseModel, ValidationError

from . import kinds, schema
from .problems import Problem
from .read import Document
from .schema_errors import schema_problems

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
    if entry is None or body is None:
        return entry
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
        return None
    doc.data = None  # validated into `record`; the text stays for line numbers
    return Entry(kind, record_id, shown, record, doc)

