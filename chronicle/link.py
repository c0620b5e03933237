"""Link: resolve every reference, locate every quote in its source, and build the content graph."""
from __future__ import annotations

import time

from . import kinds
from .cite import Miss, Span, prepared
from .graph import Graph, Quote
from .load import Content, Entry
from .parallel import in_two_processes, second_process_pays
from .schema import Citation
from .validate import ReadCitation
from .problems import Problem, did_you_mean, slug
from .worddiff import word_changes


def link(content: Content, timings: dict | None = None) -> Graph:
    """Return the linked graph of `content`; its problems list every broken reference and quote.

    If `timings` is given, the seconds spent verifying citations are added to timings['verify'].
    """
    graph = Graph(content)
    _check_shared_ids(graph)
    lookup = _Lookups(content.entries)
    aside = 0.0  # seconds of work that is not verification, done while a second process verifies

    def meanwhile() -> None:
        nonlocal aside
        began = time.perf_counter()
        _link_references(graph, lookup)
        aside = time.perf_counter() - began

    started = time.perf_counter()
    graph.texts = {sid: prepared(text) for sid, text in content.texts.items()}
    cited = _citations(content)
    _search_quotes(graph, cited, meanwhile)
    _locate_all(graph, cited, lookup)
    _check_readable(graph, lookup)
    if timings is not None:
        timings["verify"] = timings.get("verify", 0.0) + time.perf_counter() - started - aside
    _index_quotes(graph)
    return graph


def _link_references(graph: Graph, lookup) -> None:
    """Check every reference, order the timeline and index who refers to whom: what does not need the
    quotes located."""
    entries = graph.entries
    for kind, fields in kinds.KINDS.referring.items():
        for entry in entries[kind].values():
            for name, targets in fields.items():
                _check_references(graph, entry, name, targets, lookup)
    events = entries["events"]
    graph.timeline = sorted(events, key=lambda eid: (graph.when(events[eid]).sort_key, eid))
    _index_references(graph)


def _citations(content: Content) -> list:
    """Return (entry, field, index, Citation) of every quote to locate: sources' quote exceptions, then
    the citations of every citing kind, in a stable order."""
    cited = [(entry, "quote_exceptions", i, Citation(source=entry.id, quote=exception.quote))
             for entry in content.entries["sources"].values()
             for i, exception in enumerate(entry.record.quote_exceptions)]
    for kind, name in kinds.KINDS.citing.items():
        for entry in content.entries[kind].values():
            cited += [(entry, name, i, citation) for i, citation in enumerate(getattr(entry.record, name))]
    return cited


def _search_quotes(graph: Graph, cited: list, meanwhile) -> None:
    """Look for every cited quote in its source text ahead of `_locate_all`, which then finds each one
    remembered, and run `meanwhile()`: with many quotes, a second process searches the sources one
    after another while this one runs `meanwhile()`, then both take the sources left in turn
    (parallel.in_two_processes). What the other finds in a source is remembered here, as if found here."""
    wanted: dict = {}  # source id -> [(quote, occurrence)]
    for _, _, _, citation in cited:
        wanted.setdefault(citation.source, []).append((citation.quote, citation.occurrence))
    texts = graph.texts
    sids = sorted(sid for sid in wanted if sid in texts)

    def here(at: int) -> None:
        text = texts[sids[at]]
        for quote, occurrence in wanted[sids[at]]:
            text.locate(quote, occurrence)

    def there(at: int) -> list:
        here(at)
        return texts[sids[at]].located(wanted[sids[at]])  # plain values, quick to send back

    def receive(at: int, found: list) -> None:
        texts[sids[at]].remember(wanted[sids[at]], found)

    quotes = sum(len(wanted[sid]) for sid in sids)
    in_two_processes(len(sids), here, there, receive, meanwhile, fork=second_process_pays(quotes, "quotes"))


def _index_references(graph: Graph) -> None:
    """Record, for every record, which records refer to it (in date order, by the timeline)."""
    rank = _ranks(graph)
    found: dict = {}
    entries = graph.entries
    for kind, fields in kinds.KINDS.referring.items():
        fields = [(name, [(t, entries[t]) for t in targets]) for name, targets in fields.items()]
        for entry in entries[kind].values():
            record = entry.record
            for name, targets in fields:
                value = getattr(record, name)
                for ref in [value] if isinstance(value, str) else (value or ()):
                    for target, known in targets:
                        if ref in known:
                            found.setdefault((target, ref), {}).setdefault(kind, {})[entry.id] = None
                            break
    refs = {key: {kind: sorted(ids, key=rank[kind].__getitem__) for kind, ids in by_kind.items()}
            for key, by_kind in found.items()}
    graph.refs = refs


def _index_quotes(graph: Graph) -> None:
    """Record each record's located quotes, and each source's."""
    graph.quotes_by_owner = {}
    graph.quotes_by_source = {}
    for quote in graph.located:
        graph.quotes_by_owner.setdefault((quote.kind, quote.owner), []).append(quote)
        graph.quotes_by_source.setdefault(quote.source, []).append(quote)
    graph.located = []


def _check_shared_ids(graph: Graph) -> None:
    """Report each id held by two kinds that one field may name either of (a speaker: a person or an
    organisation), since the id would not say which."""
    for (first, second), names in kinds.KINDS.either.items():
        ones, others = graph.entries[first], graph.entries[second]
        either = " and ".join(dict.fromkeys(name + "s" for name in names))
        for both in sorted(ones.keys() & others.keys()):
            graph.problems.append(Problem(others[both].path, 0,
                                          f"id '{both}' is both {_a(first)} and {_a(second)}",
                                          f"{either} may be either, so rename one (also {ones[both].path})"))


def _a(kind: str) -> str:
    """Return one record of `kind` with its article: 'a person', 'an organisation'."""
    return ("an " if kinds.KINDS[kind].singular[0] in "aeiou" else "a ") + kinds.KINDS[kind].singular


class _Lookups(dict):
    """The did-you-mean keys of each kind, made the first time a problem asks for them."""

    def __init__(self, entries: dict):
        super().__init__()
        self.all_entries = entries

    def __missing__(self, kind: str) -> dict:
        self[kind] = _lookup(self.all_entries[kind])
        return self[kind]


def _lookup(entries: dict) -> dict:
    """Return every id, name and alias (as an id-like key) of a kind, mapped to its id, for did-you-mean."""
    keys = {}
    for rid, entry in entries.items():
        names = [getattr(entry.record, "name", None), *getattr(entry.record, "aliases", [])]
        for name in names:
            if name:
                keys.setdefault(slug(name), rid)
        keys[rid] = rid
    return keys


def _check_references(graph, entry, name, targets, lookup) -> None:
    value = getattr(entry.record, name)
    if value is None or (not value and not isinstance(value, str)):
        return
    if len(targets) == 1:  # the usual case, every id known and listed once: checked without a loop here
        known = graph.entries[targets[0]]
        if value in known if isinstance(value, str) else \
                (len(refs := set(value)) == len(value) and known.keys() >= refs):
            return
    items = [(value, (name,))] if isinstance(value, str) else [(v, (name, i)) for i, v in enumerate(value or [])]
    seen = set()
    for ref, path in items:
        if ref is None:
            continue
        if ref in seen:
            graph.problems.append(Problem(entry.path, entry.line(*path), f"'{ref}' is listed twice in {name}",
                                          "remove the repeated id"))
        seen.add(ref)
        if any(ref in graph.entries[t] or ref in graph.content.broken[t] for t in targets):
            continue  # a broken target reports its own problem
        keys = {}
        for target in targets:
            keys.update(lookup[target])
        what = " or ".join(kinds.KINDS[t].singular for t in targets)
        graph.problems.append(Problem(entry.path, entry.line(*path), f"unknown {what} '{ref}' in {name}",
                                      _suggest(ref, keys, targets)))


def _suggest(ref: str, keys: dict, targets) -> str:
    close = did_you_mean(ref, keys)
    if close:
        # Map matched names and aliases back to ids: "did you mean 'volodymyr-zelensky'?"
        import re
        ids = sorted({keys[k] for k in re.findall(r"'([^']+)'", close)})
        return "did you mean " + " or ".join(f"'{i}'" for i in ids) + "?"
    return f"add content/{targets[0]}/{ref}{kinds.KINDS[targets[0]].suffix}, or use an existing id"


def _check_readable(graph: Graph, lookup) -> None:
    """Check the references and quotes of the records that failed their schema check, as far as they
    can be read (`Content.readable`): problems are reported, nothing enters the graph."""
    for kind, entries in graph.content.readable.items():
        for entry in entries.values():
            if kind == "sources":
                _locate_all(graph, [(entry, "quote_exceptions", i, ReadCitation(entry.id, quote))
                                    for i, quote in enumerate(entry.record.quote_exceptions) if quote], lookup, keep=False)
            for name, targets in kinds.KINDS[kind].references.items():
                _check_references(graph, entry, name, targets, lookup)
            name = kinds.KINDS[kind].citations
            if name:
                cited = [(entry, name, i, citation) for i, citation in enumerate(getattr(entry.record, name))
                         if citation is not None]
                _locate_all(graph, cited, lookup, keep=False)


def _locate_all(graph: Graph, cited: list, lookup, keep: bool = True) -> None:
    """Locate each (entry, field, index, Citation) of `cited` in its source, in turn, and record it
    (unless not `keep`), or report why it cannot be (30,000 at 10,000 events, after the second process
    has ended: the names it needs are looked up once, not per citation)."""
    broken, sources, texts = graph.content.broken["sources"], graph.entries["sources"], graph.texts
    located = graph.located if keep else []
    for entry, name, index, citation in cited:
        sid = citation.source
        if sid in broken:  # the source's own problem is reported already; its text may still be read
            if sid in graph.content.readable_texts:
                found = prepared(graph.content.readable_texts[sid]).locate(citation.quote, citation.occurrence)
                if type(found) is Miss:
                    graph.problems.append(_miss_problem(graph, entry.line(name, index, "quote"), entry, citation, found))
            continue
        if sid not in sources:
            graph.problems.append(Problem(entry.path, entry.line(name, index, "source"), f"unknown source '{sid}'",
                                          _suggest(sid, lookup["sources"], ("sources",))))
            continue
        text = texts.get(sid)
        if text is None:
            continue  # the source's own problem (missing or changed text) is reported already
        found = text.locate(citation.quote, citation.occurrence)
        if type(found) is Miss:
            graph.problems.append(_miss_problem(graph, entry.line(name, index, "quote"), entry, citation, found))
            continue
        chrome = _chrome_around(sources[sid].record.chrome, found)
        if chrome:
            graph.problems.append(_chrome_problem(entry.path, entry.line(name, index, "quote"), sid, text, chrome, found))
            continue
        located.append(Quote(entry.kind, entry.id, index, sid, citation.quote, found))


def _chrome_around(chromes: list, span: Span) -> list:
    """Return the page-chrome lines of a source that overlap `span` at all ([] for most quotes)."""
    return [chrome for chrome in chromes if span.first_line <= chrome.span[1] and span.last_line >= chrome.span[0]]


def _chrome_problem(path: str, line: int, sid: str, text, chromes: list, span: Span) -> Problem:
    """Return the problem of a quote in page chrome: wholly, or running from the article into it (or
    from it into the article), with where the article part ends (or starts) so it can be cut there."""
    where = "; ".join(f"lines {chrome.lines}: {chrome.label}" for chrome in chromes)
    in_chrome = {n for chrome in chromes for n in range(max(chrome.span[0], span.first_line),
                                                        min(chrome.span[1], span.last_line) + 1)}
    article = [n for n in range(span.first_line, span.last_line + 1)
               if n not in in_chrome and text.text[_line_start(text, n):_line_start(text, n + 1)].strip()]
    if not article:
        return Problem(path, line, f"quote falls in page chrome of source '{sid}' ({where}), not in the article",
                       "cite the article itself; chrome is not evidence")
    if span.first_line not in in_chrome:  # from the article into chrome: the article part ends before it
        part = text.text[span.start:_line_start(text, min(in_chrome))].rstrip()
        last = text.line_of(span.start + len(part) - 1)
        return Problem(path, line, f"quote runs from the article into page chrome of source '{sid}' ({where}); "
                       f"its article part ends at line {last} with \"{_words(part, -8)}\"",
                       "end the quote there; chrome is not evidence")
    first = min(article)
    after = min((n for n in in_chrome if n > first), default=None)  # chrome again: the article part ends there
    part = text.text[_line_start(text, first):span.end if after is None else _line_start(text, after)].strip()
    return Problem(path, line, f"quote runs from page chrome of source '{sid}' ({where}) into the article; "
                   f"its article part starts at line {first} with \"{_words(part, 8)}\"",
                   "start the quote there; chrome is not evidence")


def _line_start(text, line: int) -> int:
    """Return the offset where 1-based `line` of a SourceText starts (its length past the last line)."""
    return text.line_starts[line - 1] if line <= len(text.line_starts) else len(text.text) + 1


def _words(part: str, count: int) -> str:
    """Return the first `count` words of `part` (its last ones when negative), as written, '...' for the rest."""
    words = part.split()
    if len(words) <= abs(count):
        return " ".join(words)
    return " ".join(words[:count]) + "..." if count > 0 else "..." + " ".join(words[count:])


def _miss_problem(graph: Graph, line: int, entry: Entry, citation, miss: Miss) -> Problem:
    path = entry.path
    short = citation.quote if len(citation.quote) <= 80 else citation.quote[:77] + "..."
    if miss.reason == "ambiguous":
        where = ", ".join(str(n) for n in miss.lines)
        return Problem(path, line, f"quote occurs {miss.count} times in source '{citation.source}' (lines {where})",
                       "lengthen the quote so it is unique, or add 'occurrence: N' to pick one")
    if miss.reason == "occurrence":
        return Problem(path, line, f"occurrence {citation.occurrence} asked, but the quote occurs "
                                   f"{miss.count} time(s) in source '{citation.source}'",
                       "lower occurrence, or remove it")
    # (a source's quote exceptions are its own words: the source they name is never a mistake)
    hint = (entry.kind != "sources" and _elsewhere(graph, citation)) or _closest_hint(citation.quote, miss)
    return Problem(path, line, f"quote not found in source '{citation.source}': \"{short}\"", hint)


def _closest_hint(quote: str, miss: Miss) -> str:
    """Return the hint for a quote not found: the closest passage, and the words that differ from it."""
    if not miss.closest:
        return "copy the passage from the source text exactly"
    hint = f"closest passage, line {miss.closest_line} ({miss.score:.0f}% similar): \"{miss.closest}\""
    change = word_changes(quote, miss.passage)
    return f"{hint}; words to change: {change}" if change else hint


def _elsewhere(graph: Graph, citation) -> str:
    """Return a hint naming the other sources in which a quote not found in its own occurs verbatim,
    with the lines, or ''."""
    texts = [(sid, graph.texts[sid]) for sid in sorted(graph.texts)]
    texts += [(sid, prepared(text)) for sid, text in sorted(graph.content.readable_texts.items())]
    found = []
    for sid, text in texts:
        lines = text.lines_of(citation.quote) if sid != citation.source else ()
        if lines:
            where = f"line {lines[0]}" if len(lines) == 1 else "lines " + ", ".join(map(str, lines))
            found.append((sid, f"'{sid}' ({where})"))
    if not found:
        return ""
    shown = " and ".join(place for _, place in found[:3]) + (" and others" if len(found) > 3 else "")
    return f"it occurs verbatim in {shown}: did you mean source: {found[0][0]}?"


def relink(old: Graph, content: Content) -> Graph | None:
    """Return the graph of `content`, redoing only the records whose files changed since `old`.

    For the preview's edits: when no record was added or removed and no source changed, every other
    record's references and located quotes are as they were, so they are taken from `old`. Returns
    None when a full `link` is needed. The result equals `link(content)` (tests/test_incremental.py).
    The records redone are left in the new graph's `changed`.
    """
    if old.problems or old.content.problems or content.broken != old.content.broken:
        return None
    if content.derived and content.derived[0] is old.content:  # the loader says what it replaced
        order = {kind: i for i, kind in enumerate(content.entries)}
        changed = sorted(content.derived[1], key=lambda key: (order[key[0]], key[1]))
        same_order = True
    else:
        changed = []
        for kind, entries in content.entries.items():
            before = old.entries[kind]
            if entries.keys() != before.keys():
                return None
            changed += [(kind, rid) for rid, entry in entries.items() if before[rid] is not entry]
        if content.texts != old.content.texts or content.captures != old.content.captures:
            return None
        same_order = all(list(content.entries[k]) == list(old.entries[k]) for k in content.entries)
    if any(kind == "sources" for kind, _ in changed):
        return None
    graph = Graph(content)
    graph.texts = old.texts
    graph.changed = set(changed)
    lookup = _Lookups(content.entries)
    for kind, rid in changed:
        entry = content.entries[kind][rid]
        for name, targets in kinds.KINDS[kind].references.items():
            _check_references(graph, entry, name, targets, lookup)
        name = kinds.KINDS[kind].citations
        if name:
            _locate_all(graph, [(entry, name, i, citation) for i, citation in enumerate(getattr(entry.record, name))],
                        lookup)
    if same_order and "owner ranks" in old.cache:
        graph.cache["owner ranks"] = old.cache["owner ranks"]
    moved = any(kind == "events" and old.when(old.entries[kind][rid]) != graph.when(content.entries[kind][rid])
                for kind, rid in changed)
    graph.timeline = old.timeline if not moved else \
        sorted(content.entries["events"], key=lambda eid: (graph.when(content.entries["events"][eid]).sort_key, eid))
    if graph.timeline == old.timeline:  # the same order: the same list, as the preview compares them
        graph.timeline = old.timeline
    _reindex(old, graph, changed)
    graph.located = []
    return graph


def _owner_ranks(graph: Graph) -> dict:
    """Return (kind, id) -> its position in content order, for the records that cite sources."""
    ranks = graph.cache.get("owner ranks")
    if ranks is None:
        ranks = graph.cache["owner ranks"] = {
            (kind, rid): (k, i) for k, kind in enumerate(("sources", *kinds.KINDS.citing))
            for i, rid in enumerate(graph.entries[kind])}
    return ranks


def _targets(graph: Graph, entry: Entry) -> set:
    """Return the (kind, id) of every existing record `entry` refers to."""
    found = set()
    for name, targets in kinds.KINDS[entry.kind].references.items():
        value = getattr(entry.record, name)
        for ref in [value] if isinstance(value, str) else (value or []):
            target = next((t for t in targets if ref in graph.entries[t]), None)
            if target:
                found.add((target, ref))
    return found


def _ranks(graph: Graph) -> dict:
    """Return kind -> {id: position}: date order for dated kinds (events by the timeline), else id order."""
    rank = {"events": {eid: i for i, eid in enumerate(graph.timeline)}}
    for kind in kinds.KINDS.referring:
        if kind == "events":
            continue
        if kinds.KINDS[kind].dated:
            ids = sorted(graph.entries[kind], key=lambda rid, k=kind: (graph.when(graph.entries[k][rid]).sort_key, rid))
        else:
            ids = sorted(graph.entries[kind])
        rank[kind] = {rid: i for i, rid in enumerate(ids)}
    return rank


def _reindex(old: Graph, graph: Graph, changed: list) -> None:
    """Update `old`'s back-references for the changed records only (copying what it changes)."""
    refs = dict(old.refs)
    resort = set()
    for kind, rid in changed:
        if kind not in kinds.KINDS.referring:
            continue
        before, after = _targets(old, old.entries[kind][rid]), _targets(graph, graph.entries[kind][rid])
        moved = kinds.KINDS[kind].dated is not None and \
            graph.when(graph.entries[kind][rid]) != old.when(old.entries[kind][rid])
        for key in before ^ after:  # references kept stay where they are in their lists
            by_kind = refs[key] = {k: list(v) for k, v in refs.get(key, {}).items()}
            ids = [x for x in by_kind.get(kind, []) if x != rid]
            if key in after:
                ids.append(rid)
            if ids:
                by_kind[kind] = ids
            else:
                by_kind.pop(kind, None)
            if not by_kind:
                del refs[key]
            if key in after:
                resort.add((key, kind))
        if moved:
            resort |= {(key, kind) for key in before & after}
    if resort:
        rank = _ranks(graph)
        for key, kind in resort:
            if key in refs and kind in refs[key]:
                refs[key] = {k: list(v) for k, v in refs[key].items()}  # never sort old's lists in place
                refs[key][kind].sort(key=rank[kind].__getitem__)
    graph.refs = refs  # lists without a moved record keep their relative order
    fresh: dict = {}
    for quote in graph.located:
        fresh.setdefault((quote.kind, quote.owner), []).append(quote)
    by_owner = graph.quotes_by_owner = dict(old.quotes_by_owner)
    sources = set()
    for key in changed:
        sources |= {q.source for q in by_owner.get(key, ())} | {q.source for q in fresh.get(key, ())}
        if key in fresh:
            by_owner[key] = fresh[key]
        else:
            by_owner.pop(key, None)
    by_source = graph.quotes_by_source = dict(old.quotes_by_source)
    redone = set(changed)
    rank = _owner_ranks(graph)
    for sid in sources:  # the quotes of one source in content order, as `link` lists them
        quotes = [q for q in old.quotes_by_source.get(sid, ()) if (q.kind, q.owner) not in redone]
        quotes += [q for key in redone for q in fresh.get(key, ()) if q.source == sid]
        quotes.sort(key=lambda q: (rank[q.kind, q.owner], q.index))
        if quotes:
            by_source[sid] = quotes
        else:
            by_source.pop(sid, None)
