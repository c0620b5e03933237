"""Views: what each page shows, computed from the graph as plain data for the templates."""
from __future__ import annotations

import bisect
from collections import Counter
import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

from markupsafe import Markup

from . import captures, dates, kinds, urls
from .html import escape
from .highlight import paragraphs
from .graph import Graph, Quote
from .dates import MONTHS
from .schema import COUNTED, COUNTED_WORDS, QUALIFIER_WORDS  # noqa: F401 - templates use views.COUNTED_WORDS
from .worddiff import marked_renderings

RELATED_LIMIT = 5
RELATED_WINDOW = 12  # events considered on each side in time, per shared entity


@dataclass(slots=True)  # not frozen: made for every citation shown, some 60,000 times at 10,000 events
class Cite:
    """A citation as shown: number, source, quoted words and where they sit."""

    number: int
    quote: Quote
    source_title: str
    href: str  # site path with anchor

    @property
    def fragment(self) -> str:
        return urls.page("sources", self.quote.source) + "#" + urls.text_fragment(self.quote.text)


def title_of(graph: Graph, kind: str, rid: str) -> str:
    """Return the display title of any record."""
    if kind == "statements":
        return statement_title(graph, rid)
    if kind == "figures":
        return figure_sentence(graph, rid)
    record = graph.entries[kind][rid].record
    titled, named = _title_fields(type(record))
    return (record.title if titled else None) or (record.name if named else rid)


@lru_cache(maxsize=None)
def _title_fields(cls) -> tuple:
    """Return whether a record class has a title and a name: not getattr(record, "title", None), as
    a miss costs pydantic an exception; nor the class's model_fields on every call, a property that
    pydantic makes each time."""
    return "title" in cls.model_fields, "name" in cls.model_fields


def who(graph: Graph, rid: str | None, attribution: str | None) -> tuple[str, str]:
    """Return (name, site path or '') of a speaker or claimant, or the attribution words."""
    if rid:
        kind = graph.kind_of(rid)
        return graph.entries[kind][rid].record.name, urls.page(kind, rid)
    return attribution or "unattributed", ""


def statement_title(graph: Graph, rid: str) -> str:
    """Return 'Speaker: “first words…”' for a statement."""
    record = graph.entries["statements"][rid].record
    name, _ = who(graph, record.speaker, record.attribution)
    words = record.renderings[0].quote.strip().strip("“”\"'‘’ ")
    if len(words) > 90:
        words = words[:87].rsplit(" ", 1)[0] + "…"
    return f"{name}: “{words}”"


def amount(record) -> str:
    """Return a figure's quantity in words, e.g. 'more than 1,000' or '“thousands”'."""
    if record.vague is not None:
        return f"“{record.vague}”"
    if record.value is not None:
        number = f"{record.value:,}"
    else:
        number = f"{record.low:,}–{record.high:,}"
    qualifier = QUALIFIER_WORDS.get(record.qualifier or "", "")
    return f"{qualifier} {number}".strip()


def figure_sentence(graph: Graph, rid: str) -> str:
    """Return a figure as an attributed claim, e.g. 'Kirby: more than 1,000 North Korean troops killed or wounded'."""
    record = graph.entries["figures"][rid].record
    name, _ = who(graph, record.claimant, record.attribution)
    return f"{name}: {amount(record)} {record.subject} {COUNTED_WORDS[record.counted]}"


def citations(graph: Graph, kind: str, rid: str) -> list[Cite]:
    """Return the numbered citations of a record, each linked to its passage."""
    return [Cite(i + 1, q, graph.entries["sources"][q.source].record.title, urls.quote_link(q))
            for i, q in enumerate(graph.quotes_of(kind, rid))]


def ref(graph: Graph, kind: str, rid: str) -> dict:
    """Return link data for one record, {"id", "kind", "title", "href"}, kept in the graph's memo (an
    event is listed on some ten pages: as related, next, previous, reported...); the same dict each
    time, so it is not to be changed."""
    return graph.memo.get(("ref", kind, rid), lambda: {"id": rid, "kind": kind, "title": title_of(graph, kind, rid),
                                                       "href": urls.page(kind, rid)})


def refs(graph: Graph, kind: str, ids) -> list[dict]:
    """Return link data for a list of ids of one kind (see `ref`)."""
    return [ref(graph, kind, rid) for rid in ids]


def related_events(graph: Graph, rid: str) -> list[dict]:
    """Return the events that share the most entities (people, organisations, places, tags) with `rid`.

    Among the events sharing an entity, only the RELATED_WINDOW nearest in time on each side are
    considered, so a tag on thousands of events costs no more than a rare one; ties go to the
    events nearest in time.
    """
    record = graph.entries["events"][rid].record
    here = graph.position(rid)
    near: list = []  # timeline positions of the events sharing each entity, once per entity shared
    ids: dict = {}  # timeline position -> event id, of those
    for field, kind in kinds.KINDS.entity_fields["events"]:
        for value in getattr(record, field):
            ranks, members = graph.member_positions(kind, value)
            at = bisect.bisect_left(ranks, here)
            window = slice(max(0, at - RELATED_WINDOW), at + RELATED_WINDOW + 1)
            near += ranks[window]
            ids.update(zip(ranks[window], members[window]))
    shared = Counter(near)  # timeline position -> entities shared with this event
    shared.pop(here, None)
    # The best share most; among those sharing as many, the nearest in time, then the earlier. Most
    # candidates (some 70) share one entity: the nearest of them are found by walking out from this
    # event's position, not by ranking them all; those sharing more are put apart in one pass.
    more: dict = {}  # entities shared (two or more) -> positions
    for p, n in shared.items():
        if n > 1:
            more.setdefault(n, []).append(p)
    picked: list = []
    for level in sorted(more, reverse=True):
        picked += _nearest(sorted(more[level]), here, RELATED_LIMIT - len(picked))
        if len(picked) == RELATED_LIMIT:
            break
    else:
        ones = sorted(p for p, n in shared.items() if n == 1) if more else sorted(shared)
        picked += _nearest(ones, here, RELATED_LIMIT - len(picked))
    return refs(graph, "events", [ids[p] for p in sorted(picked)])


def _nearest(positions: list, here: int, k: int) -> list:
    """Return the `k` (at most) of the sorted `positions` nearest to `here`, the earlier first on a tie."""
    lo = bisect.bisect_left(positions, here) - 1
    hi = lo + 1
    found: list = []
    while len(found) < k and (lo >= 0 or hi < len(positions)):
        if lo >= 0 and (hi >= len(positions) or here - positions[lo] <= positions[hi] - here):
            found.append(positions[lo])
            lo -= 1
        else:
            found.append(positions[hi])
            hi += 1
    return found


def neighbours(graph: Graph, rid: str) -> tuple:
    """Return link data for the previous and next events on the timeline (or None)."""
    return tuple(ref(graph, "events", eid) if eid else None for eid in graph.neighbours(rid))


@dataclass(frozen=True)
class Capture:
    """What a source page shows of its capture: the file, its size, and where to download it."""

    name: str
    size: str  # in words, e.g. "1.2 MB"
    download: str  # site path of the ZIP holding it
    captured: object  # dates.When


def capture(graph: Graph, sid: str) -> Capture | None:
    """Return the capture record of a source, or None when it has no capture."""
    found = graph.content.captures.get(sid)
    if found is None:
        return None
    name, data = found
    return Capture(name, byte_size(len(data)), captures.download_path(sid),
                   dates.parse(graph.entries["sources"][sid].record.captured))


def byte_size(count: int) -> str:
    """Return a file size in words: "820 bytes", "14 KB", "1.2 MB"."""
    if count < 1000:
        return f"{count} bytes"
    if count < 1_000_000:
        return f"{count / 1000:.0f} KB"
    return f"{count / 1_000_000:.1f} MB"


def source_paragraphs(graph: Graph, sid: str):
    """Return the paragraphs of a source with its cited passages, excluding quote exceptions."""
    entry = graph.entries["sources"][sid]
    quotes = [q for q in graph.quotes_in(sid) if q.kind != "sources"]
    chrome = [(*c.span, c.label) for c in entry.record.chrome]
    return paragraphs(graph.texts[sid].text, quotes, chrome)


def citing_records(graph: Graph, quotes) -> list[dict]:
    """Return the distinct records citing the given quotes, with their link and citation number."""
    seen, out = set(), []
    for q in quotes:
        key = (q.kind, q.owner)
        if key in seen:
            continue
        seen.add(key)
        out.append({"kind": q.kind, "label": kinds.KINDS[q.kind].label, "title": title_of(graph, q.kind, q.owner),
                    "href": urls.page(q.kind, q.owner)})
    return out


def renderings(graph: Graph, rid: str) -> list[dict]:
    """Return a statement's renderings side by side, words differing from the other rendering marked."""
    quotes = graph.quotes_of("statements", rid)
    texts = [graph.texts[q.source].text[q.span.start:q.span.end] for q in quotes]
    cites = citations(graph, "statements", rid)
    chunks = marked_renderings(texts) if len(texts) > 1 else [[(text, False)] for text in texts]
    return [{"cite": cite, "chunks": marks} for cite, marks in zip(cites, chunks)]


def figure_groups(graph: Graph, ids) -> list[dict]:
    """Return figures grouped by what they count, each group in date then claimant order."""
    groups = []
    for counted in COUNTED:
        members = [f for f in ids if graph.entries["figures"][f].record.counted == counted]
        if members:
            members.sort(key=lambda f: (graph.when(graph.entries["figures"][f]).sort_key,
                                        figure_sentence(graph, f)))
            groups.append({"counted": counted, "label": COUNTED_WORDS[counted].capitalize(), "ids": members})
    return groups


def name_occurrences(graph: Graph, kind: str, rid: str) -> list[dict]:
    """Return where an entity's name or aliases occur in the source texts (article lines only)."""
    everyone = graph.cache.get("occurrences")
    if everyone is not None:
        return everyone.get((kind, rid), [])
    names = _names(graph.entries[kind][rid].record)
    found = []
    for sid in sorted(graph.entries["sources"]):
        text = graph.texts.get(sid)
        if text is not None:
            hits = {(at, name) for name in names for at in _whole_word(text.text, name)}
            found += _found_in(graph, sid, text, _chrome_lines(graph, sid), hits)
    return found


def all_name_occurrences(graph: Graph) -> dict:
    """Find the names of every record of the kinds whose names are looked for in the sources (people,
    organisations, places) in one pass, and keep them in the graph for `name_occurrences`: a full
    build asks for all of them, and reading each text once for all names costs far less than once
    per name.

    Each text is searched for the first words of the names; where one stands, the text that follows
    is looked up among the names beginning with that word, by length.
    """
    if "occurrences" in graph.cache:
        return graph.cache["occurrences"]
    by_first: dict = {}  # first word -> length -> name -> the entities having that name
    anywhere = []  # (entity, name) for names that do not start with a letter or digit
    for kind in [name for name, declared in kinds.KINDS.items() if declared.names_in_sources]:
        for rid, entry in graph.entries[kind].items():
            for name in _names(entry.record):
                first = _WORD.match(name)
                if first:
                    by_first.setdefault(first.group(), {}).setdefault(len(name), {}) \
                        .setdefault(name, []).append((kind, rid))
                else:
                    anywhere.append(((kind, rid), name))
    everyone: dict = {}
    for sid in sorted(graph.entries["sources"]):
        text = graph.texts.get(sid)
        if text is None:
            continue
        body, size = text.text, len(text.text)
        hits: dict = {}  # entity -> {(offset, name)}
        for word in by_first.keys() & words_of(body):
            lengths = by_first[word]
            for at in _whole_word(body, word):
                for length, named in lengths.items():
                    name = body[at:at + length]
                    if name in named and (at + length == size or not _is_word(body[at + length])):
                        for key in named[name]:
                            hits.setdefault(key, set()).add((at, name))
        for key, name in anywhere:
            for at in _whole_word(body, name):
                hits.setdefault(key, set()).add((at, name))
        chrome = _chrome_lines(graph, sid)
        for key in sorted(hits):
            found = _found_in(graph, sid, text, chrome, hits[key])
            if found:
                everyone.setdefault(key, []).extend(found)
    graph.cache["occurrences"] = everyone
    return everyone


def _names(record) -> list[str]:
    # In both Unicode forms: "é" typed as one character (NFC) or as "e" and an accent (NFD) looks the same.
    names = (record.name, *getattr(record, "aliases", ()))
    return sorted({unicodedata.normalize(form, n) for n in names for form in ("NFC", "NFD")},
                  key=lambda n: (-len(n), n))


def _chrome_lines(graph: Graph, sid: str) -> set:
    return {n for c in graph.entries["sources"][sid].record.chrome for n in range(c.span[0], c.span[1] + 1)}


def _found_in(graph: Graph, sid: str, text, chrome: set, hits: set) -> list[dict]:
    """Return the lines of one source where an entity's names were found, as a list of none or one item.

    `hits` holds (offset, name) pairs; a name found inside a longer one found at the same place counts once.
    """
    lines, end = [], -1
    for at, name in sorted(hits, key=lambda hit: (hit[0], -len(hit[1]))):
        if at < end:
            continue  # inside a longer name found at the same place
        end = at + len(name)
        line = text.line_of(at)
        if line not in chrome and (not lines or lines[-1][0] != line):
            lines.append((line, name))
    if not lines:
        return []
    page = urls.page("sources", sid)
    return [{"source": sid, "title": graph.entries["sources"][sid].record.title,
             "lines": [{"line": n, "as": word, "href": page + "#" + urls.paragraph_anchor(n)} for n, word in lines]}]


_WORD = re.compile(r"\w+")
_ASCII_NON_WORD = {c: " " for c in range(128) if not (chr(c).isalnum() or chr(c) == "_")}


def words_of(text: str) -> set:
    """Return the words (runs of \\w) of a text. An ASCII text is split where it has no word character,
    twice as fast as the pattern, which any other text takes."""
    if text.isascii():
        return set(text.translate(_ASCII_NON_WORD).split())
    return set(_WORD.findall(text))


def _whole_word(text: str, words: str) -> list[int]:
    """Return the offsets where `words` occur in `text` with no letter, digit or _ just before or after."""
    out = []
    at = text.find(words)
    while at != -1:
        if at == 0 or not _is_word(text[at - 1]):
            end = at + len(words)
            if end == len(text) or not _is_word(text[end]):
                out.append(at)
        at = text.find(words, at + 1)
    return out


def _is_word(char: str) -> bool:
    return char.isalnum() or char == "_"  # what \w matches in a regular expression


def by_year_and_month(graph: Graph, ids) -> list[dict]:
    """Return events grouped by the year and month their date starts in (the end, if open-started)."""
    years: list[dict] = []
    for eid in ids:
        when = graph.when(graph.entries["events"][eid])
        y, m, _ = when.lower if abs(when.lower[0]) < 10**6 else when.upper
        if not years or years[-1]["year"] != y:
            years.append({"year": y, "months": []})
        months = years[-1]["months"]
        if not months or months[-1]["month"] != m:
            months.append({"month": m, "label": f"{MONTHS[m - 1]} {y}", "anchor": f"m{y}-{m:02d}", "ids": []})
        months[-1]["ids"].append(eid)
    return years


def date_html(when) -> Markup:
    """Return a date in words, with <time> elements for the days, months and years it names."""
    inner = "".join(f'<time datetime="{stamp}">{escape(text)}</time>' if stamp else escape(text)
                    for text, stamp in when.parts)
    return Markup(f'<span class="date">{inner}</span>')


def linked_line(graph: Graph, by: str, rid: str, page: str) -> str:
    """Return the <li> line of an entity page's list for one record: kind, date (if dated) and linked title.

    Written in Python rather than as a template loop because a popular tag lists thousands of
    records, and the preview re-renders its page whenever one of them changes.
    """
    href = urls.relative(page, urls.page(by, rid))
    declared = kinds.KINDS[by]
    date = f'{date_html(graph.when(graph.entries[by][rid]))}: ' if declared.dated else ""
    return (f'      <li><span class="kind-label">{escaped(declared.label)}</span> {date}'
            f'<a href="{escape(href)}">{escape(title_of(graph, by, rid))}</a></li>')


@lru_cache(maxsize=None)
def escaped(text: str) -> str:
    """Return `text` escaped for HTML, once per text: a kind's label, on thousands of lines."""
    return escape(text)


def record_fields(graph: Graph, kind: str, rid: str) -> list[dict]:
    """Return the fields of a record as the generic record page shows them, in schema order: each
    {"label"} with one of "refs" (links to the records a reference field names, see `refs`), "when"
    (its date) or "text". Empty fields, the field shown as its title and its citations are left out."""
    declared = kinds.KINDS[kind]
    entry = graph.entries[kind][rid]
    record = entry.record
    titled, named = _title_fields(type(record))
    skipped = {declared.citations, "title" if titled else "name" if named else None}
    shown = []
    for name in type(record).model_fields:
        value = getattr(record, name)
        if name in skipped or value is None or value == [] or value == "":
            continue
        item = {"label": name.replace("_", " ").capitalize()}
        if name in declared.references:
            among = declared.references[name]
            item["refs"] = [ref(graph, graph.kind_of(rid, among), rid) for rid in kinds.ids_in(value)]
        elif name == declared.dated:
            item["when"] = graph.when(entry)
        else:
            item["text"] = ", ".join(map(_plain, value)) if isinstance(value, list) else _plain(value)
        shown.append(item)
    return shown


def _plain(value) -> str:
    """Return a field's value as text: a nested record as its fields, 'name: value; ...'."""
    if hasattr(value, "model_dump"):
        return "; ".join(f"{k}: {v}" for k, v in value.model_dump().items() if v not in (None, "", []))
    return str(value)


def referrers(graph: Graph, kind: str, rid: str) -> list[dict]:
    """Return the records referring to one record, by kind in declared order: each {"kind", "label"
    (the kind's plural), "refs" (see `refs`)}."""
    by_kind = graph.refs.get((kind, rid), {})
    return [{"kind": by, "label": kinds.KINDS[by].plural, "refs": refs(graph, by, by_kind[by])}
            for by in kinds.KINDS if by in by_kind]
