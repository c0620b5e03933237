"""The inline SVG charts: the events timeline and the figures chart."""
from __future__ import annotations

import json
import re
import xml.etree.ElementTree as ET
from pathlib import Path
from types import SimpleNamespace

import pytest

from chronicle import dates, pipeline, svg

SVG = "{http://www.w3.org/2000/svg}"
CSS = Path(__file__).resolve().parent.parent / "templates" / "assets" / "svg.css"


# ---------------------------------------------------------------- helpers

def event(date: str, title: str = "An event") -> str:
    return ("---\n"
            f"date: {json.dumps(date)}\n"
            f"title: {json.dumps(title)}\n"
            "citations:\n"
            "  - source: art\n"
            "    quote: killed near Plekhovo\n"
            "---\n"
            "A summary.\n")


def figure(as_of: str = "2024-12-14", **fields) -> str:
    fields.setdefault("subject", "North Korean soldiers")
    fields.setdefault("counted", "killed")
    if not {"claimant", "attribution"} & set(fields):
        fields["claimant"] = "diu"
    if not {"value", "low", "vague"} & set(fields):
        fields["value"] = 30
    lines = [f"{key}: {json.dumps(value)}" for key, value in fields.items()]
    return "\n".join([*lines, f"as_of: {json.dumps(as_of)}", "citations:", "  - source: art",
                      "    quote: at least 30 North Korean soldiers", ""])


ZELENSKY = "name: Volodymyr Zelensky\nrole: President of Ukraine\ndescription: A president.\n"


@pytest.fixture
def graph_of(make_content):
    """Return a function: events {id: date or (date, title)} and figures {id: yaml} -> Graph."""

    def make(events: dict | None = None, figures: dict | None = None, extra: dict | None = None):
        files = {"events/losses.md": None}
        for eid, spec in (events or {}).items():
            date, title = spec if isinstance(spec, tuple) else (spec, f"Event {eid}")
            files[f"events/{eid}.md"] = event(date, title)
        for fid, text in (figures or {}).items():
            files[f"figures/{fid}.yaml"] = text
        files.update(extra or {})
        return pipeline.check(make_content(files))

    return make


def href(path: str) -> str:
    return "../" + path


def parse(out: str) -> ET.Element:
    assert not out.startswith("<?xml")
    return ET.fromstring(out)


def classes(el) -> set:
    return set(el.get("class", "").split())


def links(root) -> list:
    return list(root.iter(SVG + "a"))


def link_to(root, path: str):
    (found,) = [a for a in links(root) if a.get("href") == "../" + path]
    return found


def axis_line(root):
    (line,) = [el for el in root.iter(SVG + "line") if "chart-axis" in classes(el) and el.get("y1") == el.get("y2")]
    return line


def bar(a):
    (rect,) = [el for el in a.iter(SVG + "rect") if "chart-bar" in classes(el)]
    x, width = float(rect.get("x")), float(rect.get("width"))
    return x, x + width, float(rect.get("y"))


def dot(a):
    (circle,) = a.iter(SVG + "circle")
    return float(circle.get("cx")), float(circle.get("cy"))


def extent(a) -> tuple:
    """Return (x1, x2, y) of a timeline mark, arrows included."""
    xs = []
    for el in a:
        if el.tag == SVG + "circle":
            cx, r = float(el.get("cx")), float(el.get("r"))
            xs += [cx - r, cx + r]
            y = float(el.get("cy"))
        elif el.tag == SVG + "rect":
            xs += [float(el.get("x")), float(el.get("x")) + float(el.get("width"))]
            y = float(el.get("y")) + float(el.get("height")) / 2
        elif el.tag == SVG + "polygon":
            xs += [float(p.split(",")[0]) for p in el.get("points").split()]
    return min(xs), max(xs), y


def tick_x(root, label: str) -> float:
    """Return the x of the grid line that starts the period labelled `label` (centred labels)."""
    grid = sorted(float(el.get("x1")) for el in root.iter(SVG + "line") if "chart-grid" in classes(el))
    (text,) = [t for t in root.iter(SVG + "text") if t.text == label and t.get("text-anchor") == "middle"]
    centre = float(text.get("x"))
    return max(x for x in grid if x < centre)


# ---------------------------------------------------------------- timeline

def test_each_mark_links_to_its_event_page_with_label_and_title(graph_of):
    g = graph_of({"briefing": ("2024-12-16", "A briefing"), "clash": ("2024-12~", "A clash")})
    root = parse(svg.timeline(g, ["briefing", "clash"], href))
    assert sorted(a.get("href") for a in links(root)) == ["../events/briefing.html", "../events/clash.html"]
    a = link_to(root, "events/briefing.html")
    assert a.get("aria-label") == "A briefing (16 December 2024)"
    assert a.find(SVG + "title").text == "A briefing (16 December 2024)"
    assert "chart-approx" in classes(link_to(root, "events/clash.html"))


def test_svg_root_is_a_named_described_group(graph_of):
    g = graph_of({"a": "2024-12-16"})
    root = parse(svg.timeline(g, ["a"], href, ident="events-tl"))
    assert root.get("role") == "group"
    assert root.get("aria-labelledby") == "events-tl-title"
    assert root.get("aria-describedby") == "events-tl-desc"
    assert root.find(SVG + "title").get("id") == "events-tl-title"
    assert root.find(SVG + "desc").get("id") == "events-tl-desc"
    assert root.get("viewBox").startswith("0 0 1000 ")
    with pytest.raises(ValueError):
        svg.timeline(g, ["a"], href, ident='x" onload="y')


def test_a_day_is_a_dot_and_a_month_a_bar_around_it(graph_of):
    g = graph_of({"day": "2024-12-14", "month": "2024-12", "about": "2024-12~",
                  "span": "2024-12-10/2024-12-20", "next": "2025-01-05"})
    root = parse(svg.timeline(g, ["day", "month", "about", "span", "next"], href))
    cx, _ = dot(link_to(root, "events/day.html"))
    m1, m2, _ = bar(link_to(root, "events/month.html"))
    assert m1 == pytest.approx(tick_x(root, "Dec"))  # the month bar runs from 1 December
    assert m2 == pytest.approx(tick_x(root, "Jan"))  # to the end of 31 December
    assert m1 < cx < m2
    assert (cx - m1) / (m2 - m1) == pytest.approx(13.5 / 31, abs=0.01)  # the middle of the 14th
    assert bar(link_to(root, "events/about.html"))[:2] == (m1, m2)
    s1, s2, _ = bar(link_to(root, "events/span.html"))
    assert (s1 - m1) / (m2 - m1) == pytest.approx(9 / 31, abs=0.01)
    assert (s2 - m1) / (m2 - m1) == pytest.approx(20 / 31, abs=0.01)
    assert s1 < cx < s2
    assert dot(link_to(root, "events/next.html"))[0] > m2


def test_open_ends_clamp_to_the_axis_edges_with_arrows(graph_of):
    g = graph_of({"before": "../2024-12-17", "after": "2024-12-26/..", "day": "2024-12-20"})
    root = parse(svg.timeline(g, ["before", "after", "day"], href))
    axis = axis_line(root)
    left, right = float(axis.get("x1")), float(axis.get("x2"))
    before, after = link_to(root, "events/before.html"), link_to(root, "events/after.html")
    x1, x2, _ = extent(before)
    assert x1 == left and x2 < dot(link_to(root, "events/day.html"))[0]
    x1, x2, _ = extent(after)
    assert x2 == right and x1 > dot(link_to(root, "events/day.html"))[0]
    for a, tip in ((before, left), (after, right)):
        (arrow,) = [p for p in a.iter(SVG + "polygon") if "chart-arrow" in classes(p)]
        assert tip in [float(p.split(",")[0]) for p in arrow.get("points").split()]
        assert "chart-open" in classes(next(a.iter(SVG + "rect")))
    assert "on or before 17 December 2024" in before.get("aria-label")


def test_overlapping_marks_go_to_separate_rows_and_others_share(graph_of):
    g = graph_of({"a": "2024-10/2025-01", "b": "2024-11", "c": "2024-11-15", "d": "2024-12",
                  "e": "2025-03-02", "f": "2025-03-20"})
    ids = ["a", "b", "c", "d", "e", "f"]
    root = parse(svg.timeline(g, ids, href))
    marks = {a.get("href"): extent(a) for a in links(root)}
    assert len(marks) == 6
    items = list(marks.values())
    for i, (x1, x2, y) in enumerate(items):
        for u1, u2, v in items[i + 1:]:
            if abs(y - v) < 8:  # same row
                assert x2 <= u1 or u2 <= x1
    rows = {round(y) for _, _, y in items}
    assert len(rows) == 3  # a; b and d; c (b and c overlap)
    assert abs(marks["../events/e.html"][2] - marks["../events/f.html"][2]) < 8  # March: one row
    assert "not drawn" not in root.find(SVG + "desc").text


def test_events_on_one_day_stack(graph_of):
    g = graph_of({"a": "2024-12-14", "b": "2024-12-14", "c": "2024-12-14"})
    root = parse(svg.timeline(g, ["a", "b", "c"], href))
    spots = [dot(a) for a in links(root)]
    assert len({x for x, _ in spots}) == 1
    assert len({y for _, y in spots}) == 3


def test_one_event_and_no_event(graph_of):
    g = graph_of({"a": "2024-12-14"})
    root = parse(svg.timeline(g, ["a"], href))
    assert len(links(root)) == 1
    assert "Dec" in [t.text for t in root.iter(SVG + "text")]
    empty = svg.timeline(g, [], href)
    root = parse(empty)
    assert links(root) == []
    assert root.get("role") == "group"
    assert "No events" in "".join(root.itertext())


def test_event_title_is_escaped(graph_of):
    g = graph_of({"x": ("2024-12-14", '<script>alert("x")</script> & co')})
    out = svg.timeline(g, ["x"], href)
    assert "<script" not in out
    assert "&lt;script&gt;alert(&#34;x&#34;)&lt;/script&gt; &amp; co" in out
    a = links(parse(out))[0]
    assert a.get("aria-label").startswith('<script>alert("x")</script> & co')


def test_output_is_deterministic_with_rounded_coordinates(graph_of, make_content):
    events = {"a": "2024-12-14", "b": "2024-12~", "c": "../2025-01-03", "d": "2024-11-29/2025-01-31"}
    g = graph_of(events)
    first = svg.timeline(g, list(events), href)
    assert first == svg.timeline(g, list(events), href)
    assert first == svg.timeline(pipeline.check(make_content()), list(events), href)
    numbers = re.findall(r'\s(?:x|y|x1|x2|y1|y2|cx|cy|r|width|height|points|viewBox)="([^"]*)"', first)
    for value in " ".join(numbers).replace(",", " ").split():
        assert re.fullmatch(r"-?\d+(\.\d)?", value), value


def _stub_graph(n: int):
    """Return a minimal stand-in for a Graph with `n` events over a year (timeline uses only
    graph.entries and graph.when)."""
    events = {}
    for i in range(n):
        month, day = i % 12 + 1, i % 28 + 1
        date = (f"2024-{month:02d}-{day:02d}", f"2024-{month:02d}", f"2024-{month:02d}/2024-12")[i % 3]
        events[f"e{i}"] = SimpleNamespace(id=f"e{i}", kind="events",
                                          record=SimpleNamespace(title=f"Event {i}", date=date))
    return SimpleNamespace(entries={"events": events}, when=lambda entry: dates.parse(entry.record.date))


def test_ten_thousand_events_rows_are_capped():
    g = _stub_graph(10_000)
    out = svg.timeline(g, list(g.entries["events"]), href)
    root = parse(out)
    drawn = len(links(root))
    rows = {extent(a)[2] for a in links(root)}
    assert len(rows) <= svg.MAX_LANES
    assert 0 < drawn < 10_000
    desc = root.find(SVG + "desc").text
    assert f"{drawn:,} of 10,000 are drawn" in desc
    assert f"{10_000 - drawn:,} are not drawn" in desc


# ---------------------------------------------------------------- figures chart

def _points(root) -> dict:
    return {a.get("href"): a for a in links(root)}


def _marker_xy(a) -> tuple:
    shape = [el for el in a if el.tag in (SVG + "circle", SVG + "polygon")
             and "chart-arrow" not in classes(el)][-1]
    if shape.tag == SVG + "circle":
        return float(shape.get("cx")), float(shape.get("cy"))
    pts = [tuple(map(float, p.split(","))) for p in shape.get("points").split()]
    return (min(p[0] for p in pts) + max(p[0] for p in pts)) / 2, None


def _y_label(root) -> str:
    return next(t.text for t in root.iter(SVG + "text") if t.text.startswith("Number claimed"))


def test_each_point_links_to_its_figure_with_the_claim_in_words(graph_of):
    g = graph_of(figures={
        "zelensky-3000": figure("2024-12", claimant="volodymyr-zelensky", value=3000, qualifier="nearly",
                                subject="North Korean troops", counted="killed-or-wounded"),
        "diu-30": figure("2024-12-14", value=30, qualifier="at-least", counted="casualties"),
    }, extra={"people/volodymyr-zelensky.yaml": ZELENSKY})
    root = parse(svg.figures_chart(g, ["zelensky-3000", "diu-30"], href))
    points = _points(root)
    assert sorted(points) == ["../figures/diu-30.html", "../figures/zelensky-3000.html"]
    words = "Volodymyr Zelensky: nearly 3,000 North Korean troops killed or wounded, as of December 2024"
    a = points["../figures/zelensky-3000.html"]
    assert a.get("aria-label") == words and a.find(SVG + "title").text == words
    assert points["../figures/diu-30.html"].get("aria-label") == (
        "DIU: at least 30 casualties among North Korean soldiers, as of 14 December 2024")


def test_legend_lists_each_claimant_once_with_its_own_colour_and_shape(graph_of):
    g = graph_of(figures={
        "k1": figure("2024-12-10", claimant="john-kirby", value=1000),
        "k2": figure("2024-12-20", claimant="john-kirby", value=1200),
        "d1": figure("2024-12-14", value=30),
        "u1": figure("2024-12-16", attribution="unattributed reports", value=300),
        "u2": figure("2024-12-18", attribution="unattributed reports", value=400),
    })
    root = parse(svg.figures_chart(g, ["k1", "k2", "d1", "u1", "u2"], href))
    legend = [g_ for g_ in root.iter(SVG + "g") if "chart-legend" in classes(g_)]
    names = [g_.find(SVG + "text").text for g_ in legend]
    assert names == ["DIU", "John Kirby", "unattributed reports"]
    colours = [next(c for c in classes(g_) if c.startswith("chart-s")) for g_ in legend]
    assert len(set(colours)) == 3
    shapes = [(g_[0].tag, len((g_[0].get("points") or "").split())) for g_ in legend]
    assert len(set(shapes)) == 3  # a circle, a square, a triangle
    points = _points(root)
    colour_of = {name: colour for name, colour in zip(names, colours)}
    assert colour_of["John Kirby"] in classes(points["../figures/k1.html"])
    assert colour_of["John Kirby"] in classes(points["../figures/k2.html"])
    assert colour_of["unattributed reports"] in classes(points["../figures/u2.html"])


def test_vague_figures_are_left_out_and_counted(graph_of):
    g = graph_of(figures={
        "n": figure(value=30),
        "v1": figure(vague="thousands"),
        "v2": figure(vague="many"),
    })
    root = parse(svg.figures_chart(g, ["n", "v1", "v2"], href))
    assert list(_points(root)) == ["../figures/n.html"]
    assert "2 vague figures without a number are not plotted" in root.find(SVG + "desc").text
    assert svg.figures_chart(g, ["v1", "v2"], href) == ""
    assert svg.figures_chart(g, [], href) == ""
    one = parse(svg.figures_chart(g, ["n", "v1"], href)).find(SVG + "desc").text
    assert "1 vague figure without a number is not plotted" in one
    assert "vague" not in parse(svg.figures_chart(g, ["n"], href)).find(SVG + "desc").text


def test_log_scale_when_numbers_span_more_than_fifty_times(graph_of):
    g = graph_of(figures={"small": figure(value=3), "big": figure("2024-12-16", value=2700),
                          "mid": figure("2024-12-15", value=90)})
    wide = parse(svg.figures_chart(g, ["small", "big"], href))
    assert "logarithmic" in wide.find(SVG + "desc").text and "log scale" in _y_label(wide)
    ticks = [t.text for t in wide.iter(SVG + "text") if t.get("text-anchor") == "end"]
    assert {"1", "10", "100", "1,000", "10,000"} <= set(ticks)
    narrow = parse(svg.figures_chart(g, ["mid", "big"], href))
    assert "linear scale from 0" in narrow.find(SVG + "desc").text and "log" not in _y_label(narrow)
    # On the log scale 3, 90 and 2,700 are evenly spaced (each 30 times the last).
    both = parse(svg.figures_chart(g, ["small", "mid", "big"], href))
    ys = {k: float(next(a.iter(SVG + "circle")).get("cy")) for k, a in _points(both).items()}
    low, mid, high = ys["../figures/small.html"], ys["../figures/mid.html"], ys["../figures/big.html"]
    assert low > mid > high
    assert (low - mid) == pytest.approx(mid - high, abs=1)


def test_range_is_a_vertical_bar_and_a_period_a_horizontal_one(graph_of):
    g = graph_of(figures={
        "range": figure("2024-12-14", low=1000, high=2000),
        "period": figure("2024-11/2024-12", value=1500),
        "open": figure("2024-12-20/..", value=1200),
        "day": figure("2024-12-01", value=1500),
    })
    root = parse(svg.figures_chart(g, ["range", "period", "open", "day"], href))
    points = _points(root)
    rng = points["../figures/range.html"]
    assert rng.get("aria-label").startswith("DIU: 1,000 to 2,000 North Korean soldiers killed")
    (vertical,) = [ln for ln in rng.iter(SVG + "line") if ln.get("x1") == ln.get("x2")]
    y_low, y_high = float(vertical.get("y1")), float(vertical.get("y2"))
    assert y_high < y_low  # the high number is higher up
    assert not [ln for ln in rng.iter(SVG + "line") if "chart-span" in classes(ln)]  # one day: no span
    (span,) = [ln for ln in points["../figures/period.html"].iter(SVG + "line") if "chart-span" in classes(ln)]
    day_x = float(next(points["../figures/day.html"].iter(SVG + "circle")).get("cx"))
    assert float(span.get("x1")) < day_x < float(span.get("x2"))
    assert points["../figures/period.html"].get("aria-label").endswith(
        "between November 2024 and December 2024")
    axis = axis_line(root)
    opened = points["../figures/open.html"]
    (arrow,) = [p for p in opened.iter(SVG + "polygon") if "chart-arrow" in classes(p)]
    assert axis.get("x2") in [p.split(",")[0] for p in arrow.get("points").split()]
    assert opened.get("aria-label").endswith("on or after 20 December 2024")


def test_figures_chart_escapes_text_and_is_deterministic(graph_of):
    g = graph_of(figures={"a": figure(attribution='reports <b>"x"</b> & co', value=5),
                          "b": figure("2024-12-20", value=50)})
    out = svg.figures_chart(g, ["a", "b"], href)
    assert "<b>" not in out and "&lt;b&gt;&#34;x&#34;&lt;/b&gt; &amp; co" in out
    assert out == svg.figures_chart(g, ["a", "b"], href)
    root = parse(out)
    assert root.get("role") == "group" and root.get("aria-labelledby") == "figures-chart-title"


# ---------------------------------------------------------------- the stylesheet

def _luminance(hex_colour: str) -> float:
    h = hex_colour.lstrip("#")
    if len(h) == 3:
        h = "".join(c * 2 for c in h)
    channels = [int(h[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    lin = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * lin[0] + 0.7152 * lin[1] + 0.0722 * lin[2]


def _contrast(a: str, b: str) -> float:
    la, lb = sorted((_luminance(a), _luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_stylesheet_colours_keep_aa_contrast_in_light_and_dark():
    css = CSS.read_text(encoding="utf-8")
    light, _, dark = css.partition("@media (prefers-color-scheme: dark)")
    assert dark, "svg.css needs a dark variant"
    light_colours = re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", re.sub(r"/\*.*?\*/", "", light, flags=re.S))
    dark_colours = re.findall(r"#[0-9a-fA-F]{6}\b|#[0-9a-fA-F]{3}\b", dark)
    assert len(light_colours) >= 10 and len(dark_colours) >= 10
    for colour in light_colours:
        assert _contrast(colour, "#ffffff") >= 4.5, colour
    for colour in dark_colours:
        assert _contrast(colour, "#16181d") >= 4.5, colour
    for i in range(svg.SERIES):
        assert f".chart-s{i} " in light and f".chart-s{i} " in dark


def test_stylesheet_styles_every_class_the_charts_use(graph_of):
    g = graph_of({"a": "2024-12-14", "b": "2024-12~", "c": "../2024-12-20"},
                 {"f": figure("2024-11/..", low=1, high=2000), "h": figure(value=3)})
    out = svg.timeline(g, ["a", "b", "c"], href) + svg.figures_chart(g, ["f", "h"], href)
    used = {c for group in re.findall(r'class="([^"]*)"', out) for c in group.split()}
    assert used <= set(svg.CLASSES)
    css = CSS.read_text(encoding="utf-8")
    for name in svg.CLASSES:
        assert re.search(rf"\.{name}\b", css), name


def test_a_few_far_earlier_events_do_not_stretch_the_axis(graph_of):
    events = {f"e{i:02d}": f"2024-12-{i + 1:02d}" for i in range(20)}
    events["war"] = "2022-02"
    root = parse(svg.timeline(graph_of(events), sorted(events), href))
    labels = [t.text for t in root.iter(SVG + "text")]
    assert "2022" not in labels and "Dec" in labels
    war = _points(root)["../events/war.html"]
    assert any("chart-arrow" in classes(el) for el in war)
    assert "1 much earlier event is drawn at the left edge" in root.find(SVG + "desc").text


def test_density_bars_link_to_each_timeline_page():
    periods = [{"label": "2023", "href": "timeline/2023.html", "events": ["a"] * 30},
               {"label": "January 2024", "href": "timeline/2024-01.html", "events": ["b"] * 300},
               {"label": "<2025>", "href": "timeline/2025.html", "events": ["c"]}]
    root = parse(svg.density(periods, href))
    marks = _points(root)
    assert list(marks) == ["../timeline/2023.html", "../timeline/2024-01.html", "../timeline/2025.html"]
    heights = [float(a.find(SVG + "rect").get("height")) for a in marks.values()]
    assert heights[1] > heights[0] > heights[2] > 0
    assert marks["../timeline/2024-01.html"].get("aria-label") == "January 2024: 300 events"
    assert "331 events in all" in root.find(SVG + "desc").text
    assert "&lt;2025&gt;" in svg.density(periods, href)
