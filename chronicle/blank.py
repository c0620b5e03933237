"""Blank records: the text of a new record of a kind, written from its schema model (`new KIND ID`).

Every field of the model is written, each under its description from the schema as a comment:
the required ones first, left empty to be filled in (or, for a required list of records such as
`citations`, with as many items as it needs at least, their fields empty), then the optional ones
with their defaults (`null`, `[]`), a list of records showing one commented example item. Nothing here is written per
kind: a new field or kind in schema.py / kinds.py gets its lines from its declaration.
"""
from __future__ import annotations

import typing

from pydantic import BaseModel
from pydantic.fields import FieldInfo

WIDTH = 100  # comment lines are wrapped to this many characters
INTRO = ("Fill in every field marked 'required'; optional fields may stay as they are or be deleted. "
         "Then run `python build.py check`: it names anything still missing, including rules across fields.")


def blank(model: type[BaseModel], label: str, suffix: str = ".yaml", prefilled: dict | None = None,
          intro: str = INTRO) -> str:
    """Return the text of a blank record of `model`: YAML, or (`suffix` '.md') Markdown front matter and
    an empty summary. `prefilled` maps field names to the YAML text written as their value instead of a
    blank (a source's `text: ID.txt`)."""
    prefilled = prefilled or {}
    fields = model.model_fields
    required = [name for name, info in fields.items() if info.is_required()]
    optional = [name for name in fields if name not in required]
    doc = model.__dict__.get("__doc__")  # its own docstring, not one it inherits
    lines = _comment(f"{label}: {_first_line(doc)}" if _first_line(doc) else label)
    lines += _comment(intro)
    for name in required + optional:
        lines.append("")
        lines += _field(name, fields[name], prefilled.get(name))
    if suffix != ".md":
        return "\n".join(lines) + "\n"
    lines += ["", *_comment("The summary: a few neutral sentences in your own words, below the closing "
                            "'---' (Markdown).")]
    return "---\n" + "\n".join(lines) + "\n---\n"


def _field(name: str, info: FieldInfo, prefilled: str | None) -> list[str]:
    """Return the lines of one field: its description as a comment, then the field."""
    required = info.is_required()
    note = ("required: " if required else "optional: ") + (info.description or name) + _choices(info)
    if _min_length(info) > 1:
        note += f" (at least {_min_length(info)})"
    lines = _comment(note)
    item = _record_item(info.annotation)
    if prefilled is not None:
        return lines + [f"{name}: {prefilled}"]
    if item is None:
        if required:
            return lines + [f"{name}:"]
        return lines + [f"{name}: {'[]' if _is_list(info.annotation) else _default(info)}"]
    entries = _item(item)
    if required:  # as many items as it needs at least (a discrepancy cites both sides)
        return lines + [f"{name}:"] + entries * max(1, _min_length(info))
    return lines + [f"{name}: []", *_comment("for example:"), f"# {name}:", *_commented(entries)]


def _item(model: type[BaseModel]) -> list[str]:
    """Return one item of a list of `model` records: '- field:' lines, each with its description."""
    lines = []
    for i, (name, info) in enumerate(model.model_fields.items()):
        lead = "  - " if i == 0 else "    "
        if info.is_required():
            value, note = "", "required: "
        else:
            value, note = " " + _default(info), "optional: "
        lines.append(f"{lead}{name}:{value}  # {note}{info.description or name}")
    return lines


def _commented(lines: list[str]) -> list[str]:
    return [f"# {line}" for line in lines]


def _default(info: FieldInfo) -> str:
    """Return an optional field's default as YAML: null, [], or the value."""
    if info.default_factory is not None:
        return "[]" if info.default_factory is list else repr(info.default_factory())
    return "null" if info.default is None else str(info.default)


def _record_item(annotation) -> type[BaseModel] | None:
    """Return the model of the items of a list of records (list[Citation] -> Citation), or None."""
    if typing.get_origin(annotation) is list:
        (item,) = typing.get_args(annotation)
        if isinstance(item, type) and issubclass(item, BaseModel):
            return item
    return None


def _min_length(info: FieldInfo) -> int:
    return max((getattr(m, "min_length", None) or 0 for m in info.metadata), default=0)


def _is_list(annotation) -> bool:
    return typing.get_origin(annotation) is list


def _choices(info: FieldInfo) -> str:
    """Return ' (one of: a, b)' for a field taking fixed values its description does not already name."""
    annotation = info.annotation
    if typing.get_origin(annotation) is typing.Union:  # Optional[Literal[...]]
        annotation = next(a for a in typing.get_args(annotation) if a is not type(None))
    if typing.get_origin(annotation) is not typing.Literal:
        return ""
    values = [str(v) for v in typing.get_args(annotation)]
    if all(v in (info.description or "") for v in values):
        return ""
    return " (one of: " + ", ".join(values) + ")"


def _first_line(text: str | None) -> str:
    return (text or "").strip().splitlines()[0] if (text or "").strip() else ""


def _comment(text: str) -> list[str]:
    """Return `text` as YAML comment lines, wrapped at WIDTH (a line break in `text` is kept)."""
    lines = []
    for paragraph in text.split("\n"):
        line = "#"
        for word in paragraph.split(" "):
            if len(line) + 1 + len(word) > WIDTH and line != "#":
                lines.append(line)
                line = "#"
            line += " " + word
        lines.append(line)
    return lines
