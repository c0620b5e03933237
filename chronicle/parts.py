"""Parts: the small pieces of HTML that pages repeat (dates, citation lists, links to records, figure
rows, timeline items), written in Python.

Templates (templates/*.html) lay out each kind of page and write these for the lists inside it, as
filters: `{{ cites | cite_list }}` is `parts.cite_list(cites)` with the Parts of the page's folder
(see render.environment). A 10,000-event chronology renders these pieces hundreds of thousands of
times, and as Jinja macros they took most of the build's time; as Python they take a fraction. Every
value is escaped here, as autoescaping does in templates, and each part returns Markup, so a template
does not escape it again.
"""
from __future__ import annotations

from markupsafe import Markup

from . import kinds, markdown, urls, views
from .html import escape
from .graph import Graph


class Parts:
    """The parts of the pages of one folder: links are relative to it. `dates` is a table of the
    dates' HTML, shared by the Parts of every folder of a site (a date does not depend on the folder)."""

    def __init__(self, graph: Graph, link, dates: dict | None = None):
        self.graph = graph
        self.link = link  # site path -> link relative to the page
        self._dates = {} if dates is None else dates  # EDTF date -> its date_html
        self._hrefs: dict = {}
        self._lines: dict = {}  # (href, title) -> a line of ref_list
        self._chips: dict = {}  # (kind, href, title) -> an entity's chip

    def _href(self, path: str) -> str:
        """The link to a site path, escaped for an attribute (each page's worked out once; anchored
        links, such as a quote's place in its source, seldom repeat and are not kept, as in `link`)."""
        found = self._hrefs.get(path)
        if found is None:
            found = escape(self.link(path))
            if "#" not in path:
                self._hrefs[path] = found
        return found

    def date(self, when) -> Markup:
        """A date in words, with <time> elements for the days, months and years it names (each date
        made once: the records it dates are shown on many pages)."""
        found = self._dates.get(when.edtf)
        if found is None:
            found = self._dates[when.edtf] = views.date_html(when)
        return found

    def date_of(self, entry) -> Markup:
        """The date of a record (its entry in the graph), as `date` writes it."""
        return self.date(self.graph.when(entry))

    def cite_marks(self, cites) -> Markup:
        """Numbered citation marks, [1][2], each linked to its passage."""
        return Markup("".join(
            f'<a class="cite-mark" href="{self._href(c.href)}" aria-label="Citation {c.number}: '
            f'{escape(c.source_title)}">[{c.number}]</a>' for c in cites))

    def cite_list(self, cites) -> Markup:
        """The quoted passages of a record, each with its source, lines and links to the passage."""
        items = []
        for c in cites:
            span = c.quote.span
            lines = (f"s {span.first_line}–{span.last_line}" if span.first_line != span.last_line
                     else f" {span.first_line}")
            href = self._href(c.href)
            items.append(
                f'  <li id="cite-{c.number}">\n'
                f'    <blockquote cite="{href}"><p>{escape(c.quote.text)}</p></blockquote>\n'
                f'    <p class="cite-source" data-pagefind-ignore><a href="{href}">{escape(c.source_title)}</a>, '
                f'line{lines} · <a href="{self._href(c.fragment)}" title="Opens the source with this passage '
                f'highlighted by the browser">text-fragment link</a></p>\n'
                f'  </li>\n')
        return Markup('<ol class="citations">\n' + "".join(items) + "</ol>")

    def marked(self, chunks) -> Markup:
        """A rendering's text with the words that differ from the other rendering marked (views.renderings)."""
        return Markup("".join(f'<mark class="diff">{escape(text)}</mark>' if differs else escape(text)
                              for text, differs in chunks))

    def side_by_side(self, renderings) -> Markup:
        """A statement's renderings side by side (views.renderings), each with its source and line."""
        out = []
        for rendering in renderings:
            c = rendering["cite"]
            href = self._href(c.href)
            out.append(f'      <figure class="rendering">\n'
                       f'        <blockquote cite="{href}"><p>{self.marked(rendering["chunks"])}</p></blockquote>\n'
                       f'        <figcaption data-pagefind-ignore><a href="{href}">{escape(c.source_title)}</a>, '
                       f'line {c.quote.span.first_line}</figcaption>\n'
                       f'      </figure>\n')
        return Markup("".join(out))

    def entity_links(self, entry) -> Markup:
        """The entities (people, organisations, places, tags...) a record names, as chips under their
        kinds' headings."""
        groups = []
        for field, kind in kinds.KINDS.entity_fields[entry.kind]:
            ids = getattr(entry.record, field)
            if ids:
                ids = (ids,) if type(ids) is str else ids
                chips = "".join([self._chip(kind, rid) for rid in ids])
                label = views.escaped(kinds.KINDS[kind].plural)
                groups.append(f'  <dt>{label}</dt>\n  <dd><ul class="inline">{chips}</ul></dd>\n')
        return Markup('<dl class="entities">\n' + "".join(groups) + "</dl>\n") if groups else Markup("")

    def _chip(self, kind: str, rid: str) -> str:
        """A link to an entity as a chip, made once for the pages of a folder (per name it shows)."""
        ref = views.ref(self.graph, kind, rid)
        key = (kind, ref["href"], ref["title"])
        chip = self._chips.get(key)
        if chip is None:
            chip = self._chips[key] = (f'<li><a class="chip chip-{kind}" href="{self._href(ref["href"])}">'
                                       f'{escape(ref["title"])}</a></li>')
        return chip

    def ref_list(self, items) -> Markup:
        """A list of links to records (see views.refs); each line made once for the pages of a folder."""
        lines = self._lines
        out = []
        for it in items:
            key = (it["href"], it["title"])
            line = lines.get(key)
            if line is None:
                line = lines[key] = f'<li><a href="{self._href(it["href"])}">{escape(it["title"])}</a></li>\n'
            out.append(line)
        return Markup("<ul>\n" + "".join(out) + "</ul>")

    def index_items(self, ids, kind: str) -> Markup:
        """The <li> lines of an index page of records of `kind`: each linked by its title, with its date
        if its kind is dated, and the field its kind declares as `index_note` (a description...)."""
        g = self.graph
        entries, declared = g.entries[kind], kinds.KINDS[kind]
        lines = []
        for rid in ids:
            entry = entries[rid]
            meta = f' <span class="meta-inline">{self.date_of(entry)}</span>' if declared.dated else ""
            note = getattr(entry.record, declared.index_note) if declared.index_note else None
            if note:
                meta += f'<span class="meta-inline"> · {escape(note)}</span>'
            lines.append(f'  <li><a href="{self._href(urls.page(kind, rid))}">{escape(views.title_of(g, kind, rid))}</a>\n'
                         f'{meta}  </li>\n')
        return Markup("".join(lines))

    def figure_row(self, fid: str) -> Markup:
        """A figure as a table row: who claims it, what is counted, how many, as of when, reported by."""
        g = self.graph
        record = g.entries["figures"][fid].record
        name, page = views.who(g, record.claimant, record.attribution)
        claimant = f'<a href="{self._href(page)}">{escape(name)}</a>' if page else escape(name)
        reported = "; ".join(f'<a href="{self._href(c.href)}">{escape(c.source_title)}</a>'
                             for c in views.citations(g, "figures", fid))
        return Markup(
            f'<tr id="figure-{escape(fid)}">\n'
            f'  <td>{claimant}</td>\n'
            f'  <td>{escape(record.subject)}, {escape(views.COUNTED_WORDS[record.counted])}</td>\n'
            f'  <td class="num"><a href="{self._href(urls.page("figures", fid))}">{escape(views.amount(record))}</a></td>\n'
            f'  <td>{self.date(g.when(g.entries["figures"][fid]))}</td>\n'
            f'  <td>{reported}</td>\n'
            f'</tr>')

    def figure_table(self, ids, caption: str) -> Markup:
        """A table of figures, one row each."""
        rows = "".join(f"{self.figure_row(fid)}\n" for fid in ids)
        return Markup(
            '<div class="table-wrap">\n<table class="figures">\n'
            f'  <caption>{escape(caption)}</caption>\n'
            '  <thead><tr><th scope="col">Claimed by</th><th scope="col">What is counted</th><th scope="col">Value</th>'
            '<th scope="col">As of</th><th scope="col">Reported by</th></tr></thead>\n'
            f'  <tbody>\n{rows}  </tbody>\n</table>\n</div>')

    def source_paragraphs(self, paragraphs) -> Markup:
        """A source's text as numbered paragraphs (highlight.paragraphs): cited passages marked and
        anchored, page chrome labelled, and the records citing each paragraph listed beside it."""
        out = []
        for p in paragraphs:
            anchor = escape(p.anchor)
            classes = (" chrome" if p.chrome else "") + (" has-cites" if p.quotes else "")
            out.append(f'      <div class="para{classes}" id="{anchor}"{" data-pagefind-ignore" if p.chrome else ""}>\n'
                       f'        <a class="pnum" data-pagefind-ignore href="#{anchor}" aria-label="Line {p.line}">¶{p.line}</a>\n')
            if p.chrome_starts:  # (written on the line of the paragraph, as the template did)
                out.append(f'<p class="chrome-label">Page chrome, not part of the article: {escape(p.chrome)}</p>')
            text = "".join("".join(f'<span class="anchor" id="{escape(a)}"></span>' for a in anchors)
                           + (f'<mark class="cited">{escape(piece)}</mark>' if quotes else escape(piece))
                           for piece, anchors, quotes in p.pieces)
            out.append(f'        <p class="ptext">{text}</p>\n')
            if p.quotes:
                cited = "".join(f'<li><span class="kind-label">{escape(c["label"])}</span> '
                                f'<a href="{self._href(c["href"])}">{escape(c["title"])}</a></li>\n'
                                for c in views.citing_records(self.graph, p.quotes))
                out.append(f'        <ul class="cited-by" aria-label="Cited by" data-pagefind-ignore>\n{cited}        </ul>\n')
            out.append("      </div>\n")
        return Markup("".join(out))

    def occurrences(self, found: list) -> Markup:
        """The <li> lines of where a name occurs in the sources (views.name_occurrences): each source
        with links to its paragraphs, and the name as written there."""
        lines = []
        for o in found:
            marks = ", ".join(f'<a href="{self._href(line["href"])}">¶{line["line"]}</a> (“{escape(line["as"])}”)'
                              for line in o["lines"])
            lines.append(f'      <li><a href="{self._href(urls.page("sources", o["source"]))}">{escape(o["title"])}</a>: '
                         f'{marks}</li>\n')
        return Markup("".join(lines))

    def timeline(self, ids, item) -> Markup:
        """The events `ids` under headings by year and month, each shown by `item(id, heading)`
        (event_item, or a kept copy of it)."""
        out = []
        for year in views.by_year_and_month(self.graph, ids):
            y = year["year"]  # a number
            out.append(f'  <section class="year" aria-labelledby="y{y}">\n'
                       f'    <h3 id="y{y}" class="year-h">{y}</h3>\n')
            for month in year["months"]:
                anchor = escape(month["anchor"])
                out.append(f'    <section class="month" aria-labelledby="{anchor}">\n'
                           f'      <h4 id="{anchor}" class="month-h">{escape(month["label"])}</h4>\n'
                           f'      <ol class="events">\n')
                out += [f"{item(eid, 'h5')}\n" for eid in month["ids"]]
                out.append("      </ol>\n    </section>\n")
            out.append("  </section>\n")
        return Markup("".join(out))

    def event_item(self, eid: str, heading: str = "h3") -> Markup:
        """An event as a timeline item: linked title, date, summary, citation marks and entities, with
        the data attributes the timeline filters read."""
        g = self.graph
        entry = g.entries["events"][eid]
        record = entry.record
        when = g.when(entry)
        cited = list(dict.fromkeys(q.source for q in g.quotes_of("events", eid)))
        # the ids its facets name, as the timeline filters read them (search.timeline_filters)
        data = "".join(f' data-{field}="{escape(ids if type(ids) is str else " ".join(ids))}"'
                       for field, then, _ in kinds.KINDS.facets["events"]
                       if then is None and (ids := getattr(record, field)))
        return Markup(
            f'<li class="event" id="{escape(eid)}" data-from="{escape(when.iso("lower"))}" '
            f'data-to="{escape(when.iso("upper"))}"{data} data-sources="{escape(" ".join(cited))}">\n'
            f'  <article>\n'
            f'    <{heading}><a href="{self._href(urls.page("events", eid))}">{escape(record.title)}</a></{heading}>\n'
            f'    <p class="when">{self.date(when)}</p>\n'
            f'    <div class="summary">{markdown.render(entry.body)}</div>\n'
            f'    <p class="marks">Sources: {self.cite_marks(views.citations(g, "events", eid))}</p>\n'
            f'    {self.entity_links(entry)}\n'
            f'  </article>\n'
            f'</li>')
