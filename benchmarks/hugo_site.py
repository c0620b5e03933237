"""A chronicle content folder turned into an equivalent Hugo site, for the side-by-side benchmark.

`convert(content, site)` writes a Hugo project into `site`: the config and layouts of
benchmarks/hugo/, the stylesheet chronicle's pages use, and one content file per record. Events,
statements, figures and discrepancies are regular pages; sources, people, organisations, places and
tags are the term pages of taxonomies of the same names, each with its own `_index.md` (a source's
holds its verbatim text), so that Hugo finds who cites a source or names a person as Hugo sites do,
through its taxonomies. Two more taxonomies, whose term pages are never rendered, give an event the
statements and figures about it (`eventrefs`) and a figure the discrepancies about it (`figurerefs`).

The conversion only moves content: titles, summaries, citations with their quotes, source texts and
references are copied; what chronicle works out at build time (statement and figure titles, marked
quotes in source texts, back-references, the timeline by month) is left to Hugo's templates. Dates
are the one exception: Hugo has no EDTF, so each record gets its sort date and its date in words
(chronicle's wording) in its front matter.

What the Hugo pages leave out, against chronicle's: an event's related events (Hugo's .Related made
the build quadratic: a popular tag is shared by thousands of pages), the SVG charts (timeline overview,
figures), JSON-LD, the data exports (JSON, CSL-JSON, TimelineJS), the words that differ between two
renderings of a statement, where each name occurs in the sources, and the timeline's filters. Hugo
also verifies no quote: chronicle locates every one in its source.
"""
from __future__ import annotations

import shutil
import sys
from pathlib import Path

import yaml

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE.parent))

from chronicle import dates  # noqa: E402  (after the path is set)

LAYOUTS = HERE / "hugo"
STYLE = HERE.parent / "templates" / "assets" / "style.css"
ENTITIES = ("people", "organisations", "places", "tags")
# chronicle's record kinds and the folder of each one's pages in the Hugo output, which is the same
# (uglyURLs: events/event-000001.html in both).
KINDS = ("events", "sources", "statements", "figures", "discrepancies") + ENTITIES
TIMELINE_PAGE_LIMIT = 300  # chronicle's (render.TIMELINE_PAGE_LIMIT): beyond, a timeline page per period


def convert(content: Path, site: Path) -> dict:
    """Write the Hugo project for chronicle's `content` into `site`; return its records per kind."""
    content, site = Path(content), Path(site)
    _project(site, _yaml((content / "chronology.yaml").read_text(encoding="utf-8")))
    out, names, counts = site / "content", _names(content), {}
    for kind, convert_one in (("events", _event), ("statements", _statement), ("figures", _figure),
                              ("discrepancies", _discrepancy)):
        files = sorted((content / kind).glob("*.md" if kind == "events" else "*.yaml"))
        records = [(path.stem, *convert_one(path, names)) for path in files]
        if kind == "events":
            _timeline(records, out / "timeline")
        for stem, front, body in records:
            _page(out / kind / f"{stem}.md", front, body)
        counts[kind] = len(files)
    counts["sources"] = _sources(content / "sources", out / "sources")
    for kind in ENTITIES:
        counts[kind] = _entities(content / kind, out / kind)
    return counts


def _project(site: Path, settings: dict) -> None:
    """Write the config, layouts, stylesheet, home page and each kind's index page."""
    shutil.rmtree(site, ignore_errors=True)
    shutil.copytree(LAYOUTS, site)
    (site / "static" / "assets").mkdir(parents=True, exist_ok=True)
    shutil.copy(STYLE, site / "static" / "assets" / "style.css")
    config = site / "hugo.toml"
    title = f'title = "{_toml(settings["title"])}"\nlanguageCode = "{_toml(settings.get("language", "en"))}"\n'
    config.write_text(title + config.read_text(encoding="utf-8"), encoding="utf-8")
    out = site / "content"
    _page(out / "_index.md", {"title": settings["title"], "description": settings.get("description", "")})
    for kind in KINDS[1:]:  # each kind's index page where chronicle puts it (events: the timeline)
        _page(out / kind / "_index.md", {"title": kind.capitalize(), "url": f"/{kind}/index.html"})


def _timeline(events: list, folder: Path) -> None:
    """Give each event its page of the timeline (the `timeline` taxonomy), as chronicle splits it: one
    page, the home page, for up to TIMELINE_PAGE_LIMIT events; beyond, a page per year, and per month
    of a year that has more."""
    if len(events) <= TIMELINE_PAGE_LIMIT:
        return
    by_year: dict = {}
    for _, front, _ in events:
        by_year.setdefault(dates.parse(front["edtf"]).year, []).append(front)
    for year, fronts in by_year.items():
        if len(fronts) <= TIMELINE_PAGE_LIMIT:
            key = str(year) if year is not None else "undated"
            periods = {(key, key): fronts}
        else:
            periods = {}
            for front in fronts:
                month = dates.parse(front["edtf"]).lower[1]
                periods.setdefault((f"{year}-{month:02d}", f"{dates.MONTHS[month - 1]} {year}"), []).append(front)
        for (key, label), members in periods.items():
            _page(folder / key / "_index.md", {"title": label})
            for front in members:
                front["timeline"] = [key]


def _entities(folder: Path, out: Path) -> int:
    """Write the term page of each person, organisation, place or tag; return how many."""
    files = sorted(folder.glob("*.yaml"))
    for path in files:
        record = _yaml(path.read_text(encoding="utf-8"))
        front = {"title": record["name"], "description": record.get("description", "")}
        front.update({k: record[k] for k in ("role", "kind") if k in record})
        if "aliases" in record:  # `aliases` in Hugo's front matter means redirects
            front["alsowritten"] = record["aliases"]
        _page(out / path.stem / "_index.md", front)
    return len(files)


def _names(content: Path) -> dict:
    """Return which taxonomy each person or organisation id is in (a speaker or claimant is either)."""
    return {path.stem: kind for kind in ("people", "organisations") for path in (content / kind).glob("*.yaml")}


def _event(path: Path, names: dict) -> tuple:
    _, front, body = path.read_text(encoding="utf-8").split("---\n", 2)
    record = _yaml(front)
    out = {"title": record["title"], **_date(record["date"])}
    out.update({kind: record.get(kind, []) for kind in ENTITIES})
    out.update(_cited(record["citations"]))
    return out, body


def _statement(path: Path, names: dict) -> tuple:
    record = _yaml(path.read_text(encoding="utf-8"))
    speaker = record["speaker"]
    out = {"speaker": speaker, names[speaker]: [speaker], "form": record["form"], **_date(record["date"]),
           "context": record.get("context", ""), "eventrefs": record.get("events", []),
           "tags": record.get("tags", [])}
    cited = _cited(record["renderings"])
    out.update(sources=cited["sources"], renderings=cited["citations"])
    return out, ""


def _figure(path: Path, names: dict) -> tuple:
    record = _yaml(path.read_text(encoding="utf-8"))
    claimant = record["claimant"]
    out = {"claimant": claimant, names[claimant]: [claimant], **_date(record["as_of"])}
    out.update({k: record[k] for k in ("subject", "counted", "value", "low", "high", "vague", "qualifier")
                if k in record})
    out.update(places=[record["place"]] if "place" in record else [], eventrefs=record.get("events", []))
    out.update(_cited(record["citations"]))
    return out, ""


def _discrepancy(path: Path, names: dict) -> tuple:
    record = _yaml(path.read_text(encoding="utf-8"))
    out = {"title": record["title"], "about": record["about"], "description": record.get("description", ""),
           "figurerefs": record.get("figures", [])}
    out.update(_cited(record["citations"]))
    return out, ""


def _sources(folder: Path, out: Path) -> int:
    """Write each source's term page: its metadata and its verbatim text, a paragraph per line."""
    files = sorted(folder.glob("*.yaml"))
    for path in files:
        record = _yaml(path.read_text(encoding="utf-8"))
        text = (folder / record["text"]).read_text(encoding="utf-8")
        front = {"title": record["title"], "publisher": record.get("publisher", ""),
                 "authors": record.get("authors", []), "language": record.get("language", ""),
                 "textfile": record["text"], "sha256": record["sha256"]}
        if "date" in record:
            front.update(_date(str(record["date"])))
        # One paragraph per line, as chronicle shows it; the template splits on the blank lines.
        _page(out / path.stem / "_index.md", front, "\n\n".join(text.splitlines()) + "\n")
    return len(files)


def _cited(citations: list) -> dict:
    """Return the citations as copied and the ids of the sources cited (the `sources` taxonomy)."""
    listed = [{"source": c["source"], "quote": c["quote"]} for c in citations]
    return {"citations": listed, "sources": sorted({c["source"] for c in citations})}


def _date(edtf) -> dict:
    """Return a record's sort date (the lower bound, or the upper one when the start is open) and its
    date in words, as chronicle words it."""
    when = dates.parse(str(edtf))
    return {"date": when.iso("lower") or when.iso("upper"), "datetext": when.words, "edtf": str(edtf)}


def _page(path: Path, front: dict, body: str = "") -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump(front, Dumper=yaml.CSafeDumper, allow_unicode=True, sort_keys=False, width=1000)
    path.write_text(f"---\n{text}---\n{body}", encoding="utf-8")


def _yaml(text: str):
    return yaml.load(text, Loader=yaml.CSafeLoader)


def _toml(text: str) -> str:
    return text.replace("\\", "\\\\").replace('"', '\\"')


def html_pages(folder: Path) -> dict:
    """Return how many HTML pages a built site holds: per record kind's folder, and in all."""
    folder = Path(folder)
    pages = {kind: sum(1 for p in (folder / kind).glob("*.html") if p.name != "index.html")
             for kind in KINDS + ("timeline",)}
    pages["all"] = sum(1 for p in folder.rglob("*.html") if "pagefind" not in p.relative_to(folder).parts)
    return pages
