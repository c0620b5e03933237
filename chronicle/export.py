"""Export: the linked graph as data files for reuse (JSON, CSL-JSON, TimelineJS). Pure and deterministic.

`files(graph)` returns {site path: text}:

- `data/chronology.json` -- the whole chronology, `"format_version": 1`:

  ```
  {"format_version": 1,
   "chronology": {title, description, language, base_url},
   "timeline": [event ids in date order],
   "records": {kind: [record, ...] for every kind in kinds.KINDS}}
  ```

  Events are listed in timeline order, every other kind by id. Each record is
  `{"id", "page", <every schema field as written, in schema order>, ...}` plus:

  - `"when"` for records of dated kinds (events, statements, sources: `date`; figures: `as_of`):
    `{"edtf", "words", "lower", "upper"}`; `lower`/`upper` are the strict ISO bounds
    (`YYYY-MM-DD`), or null when that end is open.
  - each item of `citations` (events, figures, discrepancies), `renderings` (statements) and
    `quote_exceptions` (sources) gains `"span": {"start", "end", "first_line", "last_line"}`
    (character offsets into the source's article text, end exclusive; lines 1-based, inclusive),
    `"exact"` (the passage exactly as the source prints it: `article_text[start:end]`) and
    `"link"` (the site path of the passage in its source page, with its #anchor).
  - events (and any kind of Markdown files): `"summary"`, the Markdown summary as written.
  - sources: `"article_text"`, the full verbatim text. It is included on purpose: it is the
    evidence every span points into, it is small, and with it the file is self-contained and every
    span can be checked against `sha256` (the field `text` stays the text's file name).
  - `"referenced_by"`: {referring kind: [ids]} for records other records refer to.

- `data/sources.csl.json` -- the sources as a CSL-JSON array (`article-newspaper`), only keys of the
  CSL-JSON schema. `issued` keeps the EDTF precision: `[[y]]`, `[[y, m]]` or `[[y, m, d]]`; an
  interval is a two-item range; an approximate (`~`) or uncertain (`?`) date sets `circa` (CSL has no
  separate "uncertain"); a season sets `season`. An open-ended date (`../2025-03-10`,
  `2024-12-26/..`) or one without a usable date is `{"literal": <date in words>, "raw": <EDTF>}`.
  `accessed` is the day of the source's capture, if it has one. The EDTF and the notes (date,
  publisher, translation, note, archived copy, capture) are kept in `note`.

- `data/timelinejs.json` -- a TimelineJS3 JSON file. Dates are numbers at the EDTF's precision;
  intervals get an `end_date`; `display_date` is always the date in words, so uncertainty
  ("about", "between", "on or before") is never lost. An event with an open start is placed at its
  known end (display "on or before ..."), one with an open end at its known start ("on or
  after ..."). An event whose date is wholly unknown cannot be placed and is left out.

All JSON: UTF-8 (not ASCII-escaped), the outer levels indented by two spaces and one record per line
below them (written compactly, by orjson), fixed key order, trailing newline. No build time.
"""
from __future__ import annotations

import html
import re
from dataclasses import dataclass
from functools import lru_cache

import orjson

from . import dates, kinds, urls
from .graph import Graph

FORMAT_VERSION = 1
_OPEN = 10**6
_STAMP = re.compile(r"^(-?[0-9]+)(?:-([0-9]{2}))?(?:-([0-9]{2}))?$")  # ASCII digits, as dates.py
_SEASON = re.compile(r"^([0-9]{4})-(2[1-4])[~?%]?$")
CSL_SEASONS = {21: 1, 22: 2, 23: 3, 24: 4}  # EDTF spring..winter -> CSL season 1..4


def files(graph: Graph) -> dict[str, bytes]:
    """Return the export files of `graph`: site path -> UTF-8 bytes."""
    return {
        "data/chronology.json": dump(chronology(graph), levels=3),  # {"records": {kind: [one per line]}}
        "data/sources.csl.json": dump(csl(graph), levels=1),  # [one item per line]
        "data/timelinejs.json": dump(timelinejs(graph), levels=2),  # {"events": [one per line]}
    }


def dump(data, levels: int) -> bytes:
    """Return `data` as deterministic JSON, UTF-8, with a trailing newline: the outer `levels` of lists
    and objects indented by two spaces, one record per line below them, written compactly.

    Readable, easy to diff, and fast: orjson writes each record (the json module, with `indent`, falls
    back to its pure-Python encoder, which took seconds for 10,000 events; without it, its C encoder
    took four times as long as orjson does here). Bytes, as they are written: decoding 40 MB into a
    string only for the writer to encode it again took a tenth of a second.
    """
    pieces: list = []
    _lay_out(data, 0, levels, pieces)
    pieces.append(b"\n")
    return b"".join(pieces)  # joined once: a 37 MB file copied at each level took longer


def _compact(value) -> bytes:
    return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)  # keys that are not text are written as text


def _lay_out(value, depth: int, levels: int, pieces: list) -> None:
    if depth >= levels or not isinstance(value, (dict, list)) or not value:
        pieces.append(_compact(value))
        return
    inner, outer = b"\n" + b"  " * (depth + 1), b"\n" + b"  " * depth
    if isinstance(value, dict):
        pieces.append(b"{")
        for i, (key, item) in enumerate(value.items()):
            pieces += (b"," if i else b"", inner, _compact(str(key)), b": ")
            _lay_out(item, depth + 1, levels, pieces)
        pieces += (outer, b"}")
    elif depth + 1 >= levels:  # one record per line
        pieces += (b"[", inner, (b"," + inner).join(map(_compact, value)), outer, b"]")
    else:
        pieces.append(b"[")
        for i, item in enumerate(value):
            pieces += (b"," if i else b"", inner)
            _lay_out(item, depth + 1, levels, pieces)
        pieces += (outer, b"]")


# ------------------------------------------------------------------ dates at their precision

@dataclass(frozen=True)
class Shape:
    """A date reduced to what exports need: the known ends at the precision the EDTF gives.

    `start`/`end` are tuples of 1-3 ints: (y,), (y, m) or (y, m, d); None when not known.
    """

    start: tuple | None
    end: tuple | None
    open_start: bool
    open_end: bool
    circa: bool
    season: int | None = None


def _stamp(text: str) -> tuple | None:
    match = _STAMP.match(text)
    if not match:
        return None
    return tuple(int(part) for part in match.groups() if part is not None)


@lru_cache(maxsize=65536)  # a date is shared by many records: thousands of events, a few hundred dates
def shape(when: dates.When) -> Shape:
    """Return the Shape of a parsed date."""
    open_start = abs(when.lower[0]) >= _OPEN
    open_end = abs(when.upper[0]) >= _OPEN
    stamps = [s for s in (_stamp(stamp) for _, stamp in when.parts if stamp) if s]
    circa = any(mark in when.edtf for mark in "~?%")
    season_match = _SEASON.match(when.edtf)
    season = CSL_SEASONS[int(season_match.group(2))] if season_match else None
    if open_start and open_end:
        return Shape(None, None, True, True, circa)
    if open_start:
        return Shape(None, stamps[-1] if stamps else when.upper[:1], True, False, circa)
    if open_end:
        return Shape(stamps[0] if stamps else when.lower[:1], None, False, True, circa)
    if len(stamps) == 2:
        return Shape(stamps[0], stamps[1], False, False, circa)
    if len(stamps) == 1:
        return Shape(stamps[0], None, False, False, circa, season)
    # No stamped part (e.g. a decade '202X', a set): fall back to the years of the strict bounds.
    start, end = when.lower[:1], when.upper[:1]
    return Shape(start, end if end != start else None, False, False, circa)


def when_json(when: dates.When) -> dict:
    """Return a date as {edtf, words, lower, upper}; an open bound is null."""
    return dict(_when_json(when))  # a copy: the caller may change its own


@lru_cache(maxsize=65536)
def _when_json(when: dates.When) -> dict:
    return {"edtf": when.edtf, "words": when.words,
            "lower": when.iso("lower") or None, "upper": when.iso("upper") or None}


# ------------------------------------------------------------------ data/chronology.json

def chronology(graph: Graph) -> dict:
    """Return the whole chronology as plain data (see the module docstring)."""
    settings = graph.content.chronology
    records = {}
    for kind in kinds.KINDS:
        entries = graph.entries[kind]
        order = graph.timeline if kind == "events" else sorted(entries)
        records[kind] = [_record(graph, entries[rid]) for rid in order]
    return {
        "format_version": FORMAT_VERSION,
        "chronology": settings.model_dump(mode="json") if settings else None,
        "timeline": list(graph.timeline),
        "records": records,
    }


def _record(graph: Graph, entry) -> dict:
    kind = entry.kind
    declared = kinds.KINDS[kind]
    data = {"id": entry.id, "page": urls.page(kind, entry.id)}
    data.update(entry.record.model_dump(mode="json"))
    cited_field = declared.citations or ("quote_exceptions" if kind == "sources" else None)
    if cited_field:
        text = graph.content.texts
        for quote in graph.quotes_of(kind, entry.id):
            item = data[cited_field][quote.index]
            span = quote.span
            item["span"] = {"start": span.start, "end": span.end,
                            "first_line": span.first_line, "last_line": span.last_line}
            item["exact"] = text[quote.source][span.start:span.end]
            item["link"] = urls.quote_link(quote)
    if declared.dated:
        data["when"] = when_json(graph.when(entry))
    if declared.suffix == ".md":
        data["summary"] = entry.body
    if kind == "sources":
        data["article_text"] = graph.content.texts.get(entry.id)
    refs = graph.refs.get((kind, entry.id))
    if refs:
        data["referenced_by"] = {by: list(ids) for by, ids in sorted(refs.items())}
    return data


# ------------------------------------------------------------------ data/sources.csl.json

def csl_date(when: dates.When) -> dict:
    """Return a CSL-JSON date variable for a parsed EDTF date (see the module docstring)."""
    form = shape(when)
    if form.open_start or form.open_end or form.start is None:
        return {"literal": when.words, "raw": when.edtf}
    date = {"date-parts": [list(form.start)] + ([list(form.end)] if form.end else [])}
    if form.season:
        date["season"] = form.season
    if form.circa:
        date["circa"] = True
    return date


def csl(graph: Graph) -> list:
    """Return the sources as CSL-JSON items, by id."""
    items = []
    for sid in sorted(graph.entries["sources"]):
        entry = graph.entries["sources"][sid]
        record = entry.record
        when = graph.when(entry)
        item = {"id": sid, "type": "article-newspaper", "title": record.headline or record.title}
        if record.authors:
            item["author"] = [{"literal": name} for name in record.authors]
        if record.publisher:
            item["container-title"] = record.publisher
        item["issued"] = csl_date(when)
        if record.url:
            item["URL"] = record.url
        if record.captured:  # the day the page was captured: when, in CSL's terms, it was accessed
            item["accessed"] = csl_date(dates.parse(record.captured))
        item["language"] = record.language
        notes = [f"Date (EDTF {when.edtf}): {record.date_note}" if record.date_note else f"Date (EDTF): {when.edtf}"]
        for label, value in (("Publisher", record.publisher_note), ("Translation", record.translation_note),
                             ("Note", record.note), ("Archived copy", record.archived_url),
                             ("Capture", record.captured_note)):
            if value:
                notes.append(f"{label}: {value}")
        item["note"] = "\n".join(notes)
        items.append(item)
    return items


# ------------------------------------------------------------------ data/timelinejs.json

def _tl_date(parts: tuple) -> dict:
    return dict(zip(("year", "month", "day"), parts))


_BLANK_LINE = re.compile(r"\n\s*\n")


def _paragraphs(text: str) -> str:
    blocks = [" ".join(block.split()) for block in _BLANK_LINE.split(text.strip())] if "\n" in text.strip() \
        else [" ".join(text.split())]  # most summaries are one line
    return "".join(f"<p>{html.escape(block, quote=False)}</p>" for block in blocks if block)


def timelinejs(graph: Graph) -> dict:
    """Return the events as a TimelineJS3 JSON object."""
    settings = graph.content.chronology
    events = []
    cited: dict = {}  # source id -> its <li>: a source is cited by many events
    for eid in graph.timeline:
        entry = graph.entries["events"][eid]
        when = graph.when(entry)
        form = shape(when)
        start = form.start or form.end  # an open start: placed at the known end
        if start is None:
            continue  # wholly unknown date: TimelineJS cannot place it
        slide = {"start_date": _tl_date(start)}
        if form.start and form.end:
            slide["end_date"] = _tl_date(form.end)
        slide["display_date"] = when.words
        sources = {}  # the <li> of each source cited, once, in citation order
        for citation in entry.record.citations:
            sources.setdefault(citation.source, None)
        text = _paragraphs(entry.body)
        if sources:
            for sid in sources:
                if sid not in cited:
                    cited[sid] = f"<li>{html.escape(graph.entries['sources'][sid].record.title, quote=False)}</li>"
            items = dict.fromkeys(cited[sid] for sid in sources)  # two sources of the same title: listed once
            text += "<p>Sources:</p><ul>" + "".join(items) + "</ul>"
        slide["text"] = {"headline": html.escape(entry.record.title, quote=False), "text": text}
        if entry.record.tags:
            tag = entry.record.tags[0]
            slide["group"] = graph.entries["tags"][tag].record.name if tag in graph.entries["tags"] else tag
        slide["unique_id"] = eid
        events.append(slide)
    title = {"text": {"headline": html.escape(settings.title, quote=False) if settings else "",
                      "text": _paragraphs(settings.description) if settings else ""}}
    return {"title": title, "events": events}
