"""Pydantic's validation errors as Problems: one clear message per error, with its line and a hint."""
from __future__ import annotations

import re
import typing

from pydantic import BaseModel, ValidationError

from .problems import Problem, did_you_mean, odd_character, slug
from .read import Document


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
        return (f"'{name}' {given!r} is not an id{odd_character(str(given))}",
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

