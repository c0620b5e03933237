"""Pydantic's validation errors as Problems: one clear message per error, with its line and a hint."""
from __future__ import annotations

import re
import typing

from pydantic import BaseModel, ValidationError

from . import kinds, schema
from .problems import Problem, did_you_mean, odd_character, slug
from .read import Document, Retyped

# The messages of a source's sha256 that is missing or not a hash: load.py gives them the hash to
# record when the text file can be read.
SHA256_PROBLEMS = ("missing required field 'sha256'", "'sha256' ")

# Where the Markdown summary of a record goes, and where its quotes go: answers, in MEANINGS, for
# fields that are not fields at all.
BODY, CITED = "(the summary)", "(the citations)"

# Unknown fields close in meaning to a known one, in one table for every kind: each name written
# (lowercase) maps to what it may mean, in order; the hint gives the first that the record (or the
# part of it, such as a citation) has. When none applies, did-you-mean compares the spelling.
MEANINGS = {
    **dict.fromkeys(("person", "persons", "speaker", "speakers", "who"), ("people", "speaker", "claimant")),
    **dict.fromkeys(("organization", "organizations", "organisation", "org", "orgs"),
                    ("organisations", "speaker", "claimant")),
    **dict.fromkeys(("location", "locations", "place", "where"), ("places", "place")),
    "places": ("place",),
    "tag": ("tags",),
    **dict.fromkeys(("citation", "sources", "source", "cites", "evidence"), ("citations", "renderings")),
    "rendering": ("renderings",),
    "quote": (CITED, "quote_exceptions"),
    **dict.fromkeys(("quotation", "excerpt", "text", "passage"), ("quote", BODY)),
    **dict.fromkeys(("summary", "body", "description", "content", "abstract"), (BODY, "description", "note")),
    "id": ("source",),
    **dict.fromkeys(("link", "href", "uri", "address"), ("url",)),
    **dict.fromkeys(("author", "byline", "by"), ("authors",)),
    **dict.fromkeys(("published", "pubdate", "publication_date", "date_published", "when"), ("date", "as_of")),
    "date": ("as_of",),
    "as_of": ("date",),
    **dict.fromkeys(("lang", "locale"), ("language",)),
    **dict.fromkeys(("event",), ("events",)),
    **dict.fromkeys(("statement",), ("statements",)),
    **dict.fromkeys(("figure",), ("figures",)),
    **dict.fromkeys(("alias", "aka"), ("aliases",)),
    **dict.fromkeys(("name", "headline"), ("title", "headline")),
}


LANGUAGE_HINT = "write a language tag such as 'en', 'fr' or 'pt-BR', or 'und' when it is not known"


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
        return f"unknown field '{loc[-1]}'", _unknown_field_hint(str(loc[-1]), parent, model if len(loc) == 1 else None)
    given = error.get("input")
    raw = doc.raw.get(loc)
    if isinstance(given, Retyped) and kind in ("int_type", "int_parsing"):
        return (f"'{name}' should be a whole number in decimal digits, but YAML reads {given.text!r} as "
                f"{given.value} ({given.notation})", f"write {given.value} if that is the number meant")
    if kind == "string_type":
        if given is None and raw in ("", None):  # `title:` with nothing after it: a blank left to fill in
            info = parent.model_fields.get(loc[-1]) if parent and isinstance(loc[-1], str) else None
            return f"'{name}' is empty", "fill it in" + (f": {info.description}" if info and info.description else "")
        if isinstance(given, bool) or given is None or isinstance(given, (int, float, Retyped)):
            shown = ("true" if given is True else "false" if given is False
                     else "empty (null)" if given is None else "a number")
            return (f"'{name}' should be text, but YAML read {raw!r} as {shown}",
                    f"put it in quotes: {loc[-1]}: \"{raw}\"" if isinstance(loc[-1], str) else
                    f"put it in quotes: \"{raw}\"")
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
        if isinstance(given, bool):
            return (f"'{name}' should be a whole number, but YAML read {raw!r} as {str(given).lower()}",
                    "write digits only, e.g. 1000")
        if isinstance(given, str):
            return (f"'{name}' should be a whole number, not the text {given!r}",
                    "write digits only, without quotes, commas or an exponent, e.g. 1000")
        if isinstance(given, float):
            return (f"'{name}' should be a whole number, but YAML read {raw!r} as the number {given!r}",
                    "write digits only, e.g. 1000 (no decimal point, exponent or commas)")
        return f"'{name}' should be a whole number, not {given!r}", "write digits only, e.g. 1000 (no commas)"
    if kind == "greater_than_equal":
        least = error["ctx"]["ge"]
        return (f"'{name}' is {given}, less than {least}",
                "a count cannot be negative" if least == 0 else f"they are counted from {least}")
    if kind == "less_than_equal" and given > schema.MAX_NUMBER:
        shown = f"{given:,}" if given < 10**30 else f"a number of {len(str(given))} digits"
        return (f"'{name}' is {shown}, more than the largest number content may hold ({schema.MAX_NUMBER:,})",
                "numbers up to 10^15 are shown exactly on the site, in its charts and its JSON; check the digits")
    if kind == "value_error" and loc and loc[-1] == "language":
        return f"'{name}': {error['msg'].removeprefix('Value error, ')}", LANGUAGE_HINT
    if kind == "too_short":
        return f"'{name}' needs at least {error.get('ctx', {}).get('min_length', 1)} item(s)", _too_short_hint(loc)
    message = error["msg"].removeprefix("Value error, ")
    return (f"'{name}': {message}" if name else message), ""


def _unknown_field_hint(name: str, parent, record_model) -> str:
    """Return the hint for an unknown field `name` of `parent` (a model; `record_model` when it is the
    record's top level): the field it means (MEANINGS), else the closest spelling, else every field."""
    fields = list(parent.model_fields) if parent else []
    kind = next((k for k in kinds.KINDS.values() if k.model is record_model), None) if record_model else None
    for meant in MEANINGS.get(name.lower().replace("-", "_"), ()):
        if meant == BODY and kind is not None and kind.suffix == ".md":
            return "the summary goes below the closing `---`, in Markdown"
        if meant == CITED and kind is not None and kind.citations:
            return f"quotes go in {kind.citations}: - source: ID, quote: ..."
        if meant in fields:
            return f"did you mean '{meant}'?"
    return did_you_mean(name, fields) or "allowed fields: " + ", ".join(fields)


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

