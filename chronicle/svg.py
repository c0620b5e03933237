"""Inline SVG charts: a timeline of events and a chart of numeric claims over time.

Pure functions of the graph: the same input gives a byte-identical string. The SVG is meant to be
inlined in HTML5 pages (no XML declaration), uses no script and no external resource, and is styled
only through the classes in templates/assets/svg.css (see `CLASSES`). All text is escaped.

Accessibility: the root `<svg>` has role="group" (it contains links, so it must not be role="img",
whose children are presentational), is named by its `<title>` through aria-labelledby and described
by its `<desc>` through aria-describedby. Every mark is an `<a href>` with an aria-label and a
`<title>` (the tooltip) saying what it is and when.
"""
from __future__ import annotations

import heapq
import math
import re
from dataclasses import dataclass

from markupsafe import escape

from . import dates, kinds
from .dates import MONTHS
from .schema import COUNTED_WORDS, QUALIFIER_WORDS

WIDTH = 1000
OPEN = 10**6  # |year| >= OPEN marks an open end (see dates._FAR_PAST / _FAR_FUTURE)
MAX_LANES = 50  # timeline rows; marks that fit in none are counted in the <desc>, not drawn
MAX_PERIODS = 16  # at most this many tick periods on a time axis
MAX_MONTHS = 20  # a time axis spanning more months is ticked by years
LOG_RATIO = 50  # a chart whose numbers span more than this factor uses a log scale
SERIES = 8  # colours (chart-s0 .. chart-s7) and marker shapes
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


# Every class the SVG uses, for svg.css and its test.
CLASSES = ("chart", "chart-timeline", "chart-figures", "chart-axis", "chart-grid", "chart-label",
           "chart-note", "chart-mark", "chart-dot", "chart-bar", "chart-density", "chart-approx", "chart-open",
           "chart-arrow", "chart-point", "chart-span", "chart-range", "chart-legend",
           *(f"chart-s{i}" for i in range(SERIES)))


# ---------------------------------------------------------------- numbers, days, text

def _f(x: float) -> str:
    """Return a coordinate rounded to one decimal, without a needless '.0' or '-0'."""
    r = round(x + 0.0, 1)
    if r == 0:
        return "0"
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def _days(y: int, m: int, d: int) -> int:
    """Return the day number of a proleptic Gregorian date (any year; 1970-01-01 is 0)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def _is_open(bound: tuple) -> bool:
    return abs(bound[0]) >= OPEN


def _number(n: int) -> str:
    return f"{n:,}"


def _attr(value) -> str:
    return str(escape(str(value)))


def _check_ident(ident: str) -> str:
    if not _ID.match(ident):
        raise ValueError(f"ident {ident!r} must be a valid id: a letter, then letters, digits, '-' or '_'")
    return ident


def _open_svg(ident: str, kind: str, height: float, title: str, desc: str) -> list:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {WIDTH} {_f(height)}" '
            f'role="group" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>']


def _link(href_value: str, label: str, children: str, cls: str) -> str:
    label = escape(label)
    return (f'<a class="{cls}" href="{_attr(href_value)}" aria-label="{label}">'
            f'<title>{label}</title>{children}</a>')


# ---------------------------------------------------------------- the time axis

@dataclass(frozen=True)
class _Axis:
    """A horizontal time axis: day numbers [start, end) drawn from x = left to x = right."""

    start: int
    end: int
    left: float
    right: float
    ticks: tuple  # day numbers of tick lines
    labels: tuple  # (day number at which to centre or start, text, anchor, row)
    unit: str  # 'months', 'years' or '' (no finite date)
    first: str  # the axis range in words
    last: str

    def x(self, day: float) -> float:
        return self.left + (day - self.start) / (self.end - self.start) * (self.right - self.left)

    def span(self, lower: tuple, upper: tuple) -> tuple:
        """Return (x1, x2, open_left, open_right) of the days from `lower` to `upper`, inclusive."""
        open_left, open_right = _is_open(lower), _is_open(upper)
        x1 = self.left if open_left else self.x(_days(*lower))
        x2 = self.right if open_right else self.x(_days(*upper) + 1)
        return max(self.left, x1), min(self.right, x2), open_left, open_right


def _axis(bounds: list, left: float, right: float) -> _Axis:
    """Return an axis covering the finite bounds of `bounds`, a list of (lower, upper) tuples."""
    finite = [b for pair in bounds for b in pair if not _is_open(b)]
    if not finite:
        return _Axis(0, 1, left, right, (), (), "", "", "")
    (y0, m0, _), (y1, m1, _) = min(finite), max(finite)
    months = (y1 - y0) * 12 + m1 - m0 + 1
    if months <= MAX_MONTHS:
        starts = []
        y, m = y0, m0
        for _ in range(months + 1):
            starts.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        days = [_days(y, m, 1) for y, m in starts]
        labels = [((a + b) / 2, MONTHS[m - 1][:3], "middle", 0)
                  for (y, m), a, b in zip(starts, days, days[1:])]
        labels += [(a, str(y), "start", 1) for (y, m), a in zip(starts, days[:-1]) if m == 1 or a == days[0]]
        return _Axis(days[0], days[-1], left, right, tuple(days), tuple(labels), "months",
                     f"{MONTHS[m0 - 1]} {y0}", f"{MONTHS[m1 - 1]} {y1}")
    step = _nice_step(y1 - y0 + 1, MAX_PERIODS)
    ya, yb = (y0 // step) * step, -(-(y1 + 1) // step) * step
    years = list(range(ya, yb + 1, step))
    days = [_days(y, 1, 1) for y in years]
    if step == 1:
        labels = [((a + b) / 2, str(y), "middle", 0) for y, a, b in zip(years, days, days[1:])]
    else:
        labels = [(a, str(y), "middle", 0) for y, a in zip(years, days)]
    return _Axis(days[0], days[-1], left, right, tuple(days), tuple(labels), "years", str(y0), str(y1))


def _nice_step(span: float, most: int) -> int:
    """Return the smallest of 1, 2, 5, 10, 20, 50 ... that cuts `span` into at most `most` parts."""
    k = 1
    while True:
        for f in (1, 2, 5):
            if math.ceil(span / (f * k)) <= most:
                return f * k
        k *= 10


def _draw_axis(axis: _Axis, top: float, bottom: float) -> list:
    """Return the grid lines from `top` to `bottom`, the axis line at `bottom`, ticks and labels."""
    out = []
    for day in axis.ticks:
        x = _f(axis.x(day))
        out.append(f'<line class="chart-grid" x1="{x}" y1="{_f(top)}" x2="{x}" y2="{_f(bottom + 5)}"/>')
    out.append(f'<line class="chart-axis" x1="{_f(axis.left)}" y1="{_f(bottom)}" '
               f'x2="{_f(axis.right)}" y2="{_f(bottom)}"/>')
    for day, text, anchor, row in axis.labels:
        x = axis.x(day) + (3 if anchor == "start" else 0)
        out.append(f'<text class="chart-label" x="{_f(x)}" y="{_f(bottom + 18 + 15 * row)}" '
                   f'text-anchor="{anchor}">{escape(text)}</text>')
    return out


def _arrow(x: float, y: float, pointing: int, size: float = 7) -> str:
    """Return a triangle whose tip is at (x, y), pointing left (-1) or right (+1)."""
    back = x - pointing * size
    return (f'<polygon class="chart-arrow" points="{_f(x)},{_f(y)} {_f(back)},{_f(y - size * 0.85)} '
            f'{_f(back)},{_f(y + size * 0.85)}"/>')


def _range_words(axis: _Axis) -> str:
    if not axis.unit:
        return "with no known dates"
    if axis.first == axis.last:
        return f"in {axis.first}"
    return f"from {axis.first} to {axis.last}"


# ---------------------------------------------------------------- the timeline

LANE = 14  # height of a timeline row
DOT = 5  # radius of a dot
BAR = 8  # height of a bar
GAP = 3  # least room between two marks in a row
MIN_BAR = 4  # narrowest bar


def timeline(graph, event_ids: list, href, *, ident: str = "timeline") -> str:
    """Return an SVG timeline of the events `event_ids`, each mark linking to its event page.

    An event dated to one day is a dot; one dated less precisely (a month, 'about December', an
    interval) is a bar from its strict lower to its upper bound; an open end ('../2024-12-17') runs
    to the edge of the axis and ends in an arrow. Marks are put in rows so that none overlap; at most
    MAX_LANES rows are drawn and the <desc> says how many events did not fit. `href(site_path)` turns
    a site path such as 'events/x.html' into a link; `ident` prefixes the ids of <title> and <desc>
    (give each chart on a page its own).
    """
    ident = _check_ident(ident)
    entries = [graph.entries["events"][eid] for eid in event_ids]
    if not entries:
        return "\n".join([*_open_svg(ident, "chart-timeline", 40, "Timeline: no events",
                                     "There are no events to show on a timeline."),
                          '<text class="chart-note" x="20" y="25">No events to show.</text>', "</svg>"])
    whens = [graph.when(entry) for entry in entries]
    first = _focus_start([w.lower if not _is_open(w.lower) else w.upper for w in whens])
    early = [first is not None and not _is_open(w.upper) and w.upper < first for w in whens]
    axis = _axis([(max(w.lower, first) if first else w.lower, w.upper)
                  for w, before in zip(whens, early) if not before], 20, WIDTH - 20)
    marks = []
    for entry, when, before in zip(entries, whens, early):
        x1, x2, open_left, open_right = axis.span(when.lower, when.upper)
        if before:  # far earlier than the rest: drawn at the left edge, pointing out of the axis
            x1, x2, open_left, open_right = axis.left, axis.left + MIN_BAR + 8, True, False
        dot = when.lower == when.upper
        if dot:
            cx = axis.x(_days(*when.lower) + 0.5)
            x1, x2 = cx - DOT, cx + DOT
        elif x2 - x1 < MIN_BAR:
            mid = (x1 + x2) / 2
            x1, x2 = mid - MIN_BAR / 2, mid + MIN_BAR / 2
        marks.append((x1, x2, when.sort_key, entry.id, entry, when, dot, open_left, open_right))
    marks.sort(key=lambda m: m[:4])
    lanes, dropped = _lanes([(m[0], m[1]) for m in marks], MAX_LANES)
    rows = max((lane for lane in lanes if lane is not None), default=0) + 1
    top = 6
    bottom = top + rows * LANE + 4
    drawn = []
    for mark, lane in zip(marks, lanes):
        if lane is not None:
            drawn.append(_timeline_mark(mark, top + lane * LANE + LANE / 2, href))
    n = len(entries)
    desc = (f"Timeline of {_number(n)} event{'s' * (n != 1)} {_range_words(axis)}. Each mark links to its "
            "event page: a dot is an event dated to one day; a bar spans the possible dates of an event "
            "dated less precisely (a hollow dot or a paler bar, an approximate or uncertain date); an "
            "arrow marks a date open at that end (on or before, on or after).")
    height = bottom + (40 if axis.unit == "months" else 28)
    note = []
    if any(early):
        k = sum(early)
        desc += (f" {_number(k)} much earlier event{'s' * (k != 1)} {'is' if k == 1 else 'are'} drawn at "
                 f"the left edge, with an arrow pointing left, so that the axis can show the rest.")
    if dropped:
        desc += (f" Too many events overlap to draw them all: {_number(n - dropped)} of {_number(n)} are "
                 f"drawn in {rows} rows; {_number(dropped)} {'is' if dropped == 1 else 'are'} not drawn.")
        note = [f'<text class="chart-note" x="20" y="{_f(height + 4)}">{_number(dropped)} more '
                f'overlapping event{"s" * (dropped != 1)} not drawn.</text>']
        height += 14
    title = f"Timeline of {_number(n)} event{'s' * (n != 1)}"
    return "\n".join([*_open_svg(ident, "chart-timeline", height, title, desc),
                      *_draw_axis(axis, top, bottom), *drawn, *note, "</svg>"])


FOCUS_GAP = 366  # days: an early event this far before the rest does not stretch the axis
FOCUS_SHARE = 10  # at most one event in ten is left off the axis that way


def _focus_start(starts: list) -> tuple | None:
    """Return where the axis should start when a few events lie far earlier than the rest, else None.

    A chronology of a winter's fighting that mentions, as background, the start of the war years
    before would otherwise squeeze every other event into a sliver of the axis.
    """
    days = sorted((_days(*b), b) for b in starts if not _is_open(b))
    most = len(days) // FOCUS_SHARE
    cut = None
    for i in range(min(most, len(days) - 1)):
        if days[i + 1][0] - days[i][0] > FOCUS_GAP:
            cut = days[i + 1][1]
    return cut


def _lanes(spans: list, most: int) -> tuple:
    """Return each span's row (None when it fits in none of `most` rows) and how many did not fit.

    `spans` are (x1, x2) sorted by x1; each goes to the lowest free row (interval partitioning:
    optimal when unbounded), in O(n log n).
    """
    busy: list = []  # (x2 + GAP, row) of the last span of each occupied row
    free: list = []  # rows whose last span ended before the current x1
    rows, lanes, dropped = 0, [], 0
    for x1, x2 in spans:
        while busy and busy[0][0] <= x1:
            heapq.heappush(free, heapq.heappop(busy)[1])
        if free:
            row = heapq.heappop(free)
        elif rows < most:
            row, rows = rows, rows + 1
        else:
            lanes.append(None)
            dropped += 1
            continue
        heapq.heappush(busy, (x2 + GAP, row))
        lanes.append(row)
    return lanes, dropped


def _timeline_mark(mark: tuple, cy: float, href) -> str:
    x1, x2, _, eid, entry, when, dot, open_left, open_right = mark
    approx = not when.is_exact_day and any(c in when.edtf for c in "~?%")
    classes = "chart-mark" + (" chart-approx" if approx or (dot and not when.is_exact_day) else "")
    if dot:
        shape = f'<circle class="chart-dot" cx="{_f((x1 + x2) / 2)}" cy="{_f(cy)}" r="{DOT}"/>'
    else:
        parts = []
        a, b = x1, x2
        if open_left:
            parts.append(_arrow(x1, cy, -1))
            a = x1 + 7
        if open_right:
            parts.append(_arrow(x2, cy, +1))
            b = x2 - 7
        bar_class = "chart-bar" + (" chart-open" if open_left or open_right else "")
        parts.insert(0, f'<rect class="{bar_class}" x="{_f(a)}" y="{_f(cy - BAR / 2)}" '
                        f'width="{_f(max(b - a, 0))}" height="{BAR}" rx="2"/>')
        shape = "".join(parts)
    label = f"{entry.record.title} ({when.words})"
    return _link(href(f"events/{eid}.html"), label, shape, classes)


# ---------------------------------------------------------------- the figures chart

PLOT_TOP = 24
PLOT_HEIGHT = 300
PLOT_LEFT = 76
PLOT_RIGHT = WIDTH - 24
LEGEND_ROW = 20
LEGEND_CHARS = 110  # longer claimant names are shortened in the legend (in full in its <title>)


def claimant_name(graph, record) -> str:
    """Return who makes a figure's claim: the claimant's name, or the attribution text."""
    if record.claimant:
        for kind in kinds.KINDS["figures"].references["claimant"]:
            if record.claimant in graph.entries[kind]:
                return graph.entries[kind][record.claimant].record.name
        return record.claimant
    return record.attribution or "unattributed"


def claim_words(graph, record, when=None) -> str:
    """Return a figure's claim in words, e.g. 'Volodymyr Zelensky: nearly 3,000 North Korean
    troops killed or wounded, as of January 2025'."""
    when = when or dates.parse(record.as_of)
    if record.value is not None:
        amount = _number(record.value)
    elif record.low is not None:
        amount = f"{_number(record.low)} to {_number(record.high)}"
    else:
        amount = record.vague
    if record.qualifier:
        amount = f"{QUALIFIER_WORDS[record.qualifier]} {amount}"
    if record.counted == "casualties":
        claim = f"{amount} casualties among {record.subject}"
    else:
        claim = f"{amount} {record.subject} {COUNTED_WORDS[record.counted]}"
    words = when.words
    period = words if words.startswith(("between ", "on or ", "date unknown")) else f"as of {words}"
    return f"{claimant_name(graph, record)}: {claim}, {period}"


def _shape(index: int, x: float, y: float) -> str:
    """Return marker shape `index` (0-7) centred at (x, y)."""
    s = 5.5
    if index == 0:
        return f'<circle cx="{_f(x)}" cy="{_f(y)}" r="{_f(s)}"/>'
    if index == 1:
        pts = [(-1, -1), (1, -1), (1, 1), (-1, 1)]
        k = s * 0.9
    elif index == 2:
        pts = [(0, -1.2), (1.1, 0.8), (-1.1, 0.8)]
        k = s
    elif index == 3:
        pts = [(0, -1.3), (1.3, 0), (0, 1.3), (-1.3, 0)]
        k = s
    elif index == 4:
        pts = [(0, 1.2), (1.1, -0.8), (-1.1, -0.8)]
        k = s
    elif index == 5:  # plus
        a, b = 0.4, 1.2
        pts = [(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a),
               (-b, -a), (-a, -a)]
        k = s
    elif index == 6:  # cross: the plus turned by 45 degrees
        c = math.sqrt(0.5)
        a, b = 0.4, 1.25
        plus = [(-a, -b), (a, -b), (a, -a), (b, -a), (b, a), (a, a), (a, b), (-a, b), (-a, a), (-b, a),
                (-b, -a), (-a, -a)]
        pts = [((px - py) * c, (px + py) * c) for px, py in plus]
        k = s
    else:  # star
        pts = []
        for i in range(10):
            r = 1.3 if i % 2 == 0 else 0.55
            angle = math.pi * i / 5 - math.pi / 2
            pts.append((r * math.cos(angle), r * math.sin(angle)))
        k = s
    points = " ".join(f"{_f(x + px * k)},{_f(y + py * k)}" for px, py in pts)
    return f'<polygon points="{points}"/>'


@dataclass(frozen=True)
class _Scale:
    log: bool
    low: float  # the value at the bottom of the plot (the exponent on a log scale)
    high: float
    ticks: tuple

    def y(self, value: float) -> float:
        v = math.log10(value) if self.log else value
        return PLOT_TOP + PLOT_HEIGHT - (v - self.low) / (self.high - self.low) * PLOT_HEIGHT


def _scale(numbers: list) -> _Scale:
    """Return a linear scale from 0, or a log scale when the positive numbers span > LOG_RATIO."""
    top = max(numbers)
    if min(numbers) > 0 and top / min(numbers) > LOG_RATIO:
        e0 = math.floor(math.log10(min(numbers)))
        e1 = math.ceil(math.log10(top))
        if e1 == e0:
            e1 += 1
        ticks = []
        for e in range(e0, e1 + 1):
            ticks.append(10**e)
            if e1 - e0 <= 2 and e < e1:
                ticks += [2 * 10**e, 5 * 10**e]
        return _Scale(True, e0, e1, tuple(sorted(ticks)))
    step = _nice_step(top, 5) if top >= 1 else 1
    high = max(step, -(-top // step) * step)
    return _Scale(False, 0, high, tuple(range(0, int(high) + 1, int(step))))


def figures_chart(graph, figure_ids: list, href, *, ident: str = "figures-chart") -> str:
    """Return an SVG chart of the figures `figure_ids` over time, or '' when none has a number.

    x is the date or period a figure covers (a period is a horizontal line between its bounds, an
    open end runs to the edge in an arrow); y is the number claimed (a range is a vertical line from
    low to high), on a log scale when the numbers span more than LOG_RATIO times. Each claimant has
    a colour and a marker shape, listed once in the legend. Vague figures are not plotted; the
    <desc> says how many. Each point links to its figure page.
    """
    ident = _check_ident(ident)
    entries = [graph.entries["figures"][fid] for fid in figure_ids]
    plotted = [e for e in entries if e.record.vague is None]
    vague = len(entries) - len(plotted)
    if not plotted:
        return ""
    whens = {e.id: graph.when(e) for e in plotted}
    numbers = [n for e in plotted for n in (e.record.value, e.record.low, e.record.high) if n is not None]
    scale = _scale(numbers)
    axis = _axis([(w.lower, w.upper) for w in whens.values()], PLOT_LEFT, PLOT_RIGHT)

    keys = {}
    for e in plotted:
        key = e.record.claimant or f"attribution:{e.record.attribution}"
        keys.setdefault(key, claimant_name(graph, e.record))
    order = sorted(keys, key=lambda k: (keys[k].casefold(), k))
    series = {key: i for i, key in enumerate(order)}

    bottom = PLOT_TOP + PLOT_HEIGHT
    out = []
    for tick in scale.ticks:
        y = _f(scale.y(tick))
        out.append(f'<line class="chart-grid" x1="{_f(PLOT_LEFT - 5)}" y1="{y}" x2="{_f(PLOT_RIGHT)}" y2="{y}"/>')
        out.append(f'<text class="chart-label" x="{_f(PLOT_LEFT - 8)}" y="{_f(scale.y(tick) + 4)}" '
                   f'text-anchor="end">{_number(tick)}</text>')
    out.append(f'<line class="chart-axis" x1="{_f(PLOT_LEFT)}" y1="{_f(PLOT_TOP)}" '
               f'x2="{_f(PLOT_LEFT)}" y2="{_f(bottom)}"/>')
    out.append(f'<text class="chart-label" x="{_f(PLOT_LEFT - 8)}" y="{_f(PLOT_TOP - 10)}" text-anchor="start">'
               f'Number claimed{" (log scale)" if scale.log else ""}</text>')
    out += _draw_axis(axis, PLOT_TOP, bottom)

    points = []
    seen: dict = {}
    for e in sorted(plotted, key=lambda e: (whens[e.id].sort_key, e.id)):
        r, when = e.record, whens[e.id]
        x1, x2, open_left, open_right = axis.span(when.lower, when.upper)
        if when.lower == when.upper:
            x1 = x2 = axis.x(_days(*when.lower) + 0.5)
        if r.value is not None:
            y_lo = y_hi = y = scale.y(r.value)
        else:
            y_lo, y_hi = scale.y(r.low), scale.y(r.high)
            y = (y_lo + y_hi) / 2
        x = (x1 + x2) / 2
        spot = (_f(x), _f(y))
        nudge = seen.get(spot, 0)
        seen[spot] = nudge + 1
        dy = (nudge + 1) // 2 * 6 * (-1 if nudge % 2 else 1)  # 0, -6, +6, -12, +12 ...: overplotted twins
        y, y_lo, y_hi = y + dy, y_lo + dy, y_hi + dy
        i = series[r.claimant or f"attribution:{r.attribution}"]
        parts = []
        if x2 - x1 > 0.5:
            a = x1 + (7 if open_left else 0)
            b = x2 - (7 if open_right else 0)
            parts.append(f'<line class="chart-span" x1="{_f(a)}" y1="{_f(y)}" x2="{_f(b)}" y2="{_f(y)}"/>')
            parts += [_arrow(x1, y, -1)] if open_left else []
            parts += [_arrow(x2, y, +1)] if open_right else []
        if y_lo != y_hi:
            parts.append(f'<line class="chart-range" x1="{_f(x)}" y1="{_f(y_lo)}" x2="{_f(x)}" y2="{_f(y_hi)}"/>')
            for yy in (y_lo, y_hi):
                parts.append(f'<line class="chart-range" x1="{_f(x - 4)}" y1="{_f(yy)}" '
                             f'x2="{_f(x + 4)}" y2="{_f(yy)}"/>')
        parts.append(_shape(i % SERIES, x, y))
        label = claim_words(graph, r, when)
        points.append(_link(href(f"figures/{e.id}.html"), label, "".join(parts),
                            f"chart-point chart-s{(i + i // SERIES) % SERIES}"))
    out += points

    legend_top = bottom + (58 if axis.unit == "months" else 44)
    for i, key in enumerate(order):
        y = legend_top + i * LEGEND_ROW
        name = keys[key]
        shown = name if len(name) <= LEGEND_CHARS else name[:LEGEND_CHARS - 1].rstrip() + "…"
        tip = f"<title>{escape(name)}</title>" if shown != name else ""
        out.append(f'<g class="chart-legend chart-s{(i + i // SERIES) % SERIES}">{tip}'
                   f'{_shape(i % SERIES, PLOT_LEFT + 6, y)}'
                   f'<text class="chart-label" x="{_f(PLOT_LEFT + 20)}" y="{_f(y + 4)}">{escape(shown)}</text></g>')
    height = legend_top + len(order) * LEGEND_ROW - 4

    n, k = len(plotted), len(order)
    if scale.log:
        y_words = f"logarithmic scale from {_number(10**int(scale.low))} to {_number(10**int(scale.high))}"
    else:
        y_words = f"linear scale from 0 to {_number(int(scale.high))}"
    desc = (f"{_number(n)} figure{'s' * (n != 1)} by {k} claimant{'s' * (k != 1)}, plotted by the date or "
            f"period each covers (across, {_range_words(axis)}) and the number claimed (up, {y_words}). "
            "A horizontal line spans a period, an arrow marks a period open at that end, and a vertical "
            "line spans a range from its low to its high number. Each claimant has its own colour and "
            "marker shape, named in the legend; each marker links to its figure page.")
    if vague:
        desc += (f" {_number(vague)} vague figure{'s' * (vague != 1)} without a number "
                 f"{'are' if vague != 1 else 'is'} not plotted.")
    title = f"Chart of {_number(n)} figure{'s' * (n != 1)} over time"
    return "\n".join([*_open_svg(ident, "chart-figures", height, title, desc), *out, "</svg>"])


# ---------------------------------------------------------------- the overview of a long timeline

DENSITY_HEIGHT = 160


def density(periods: list, href, *, ident: str = "timeline-density") -> str:
    """Return an SVG bar chart of how many events each timeline page holds, each bar linking to it.

    For a chronology too long for one timeline page: ten thousand tiny marks say less than the count
    per year or month, and the chart does not change when an event is merely edited.
    """
    ident = _check_ident(ident)
    most = max((len(p["events"]) for p in periods), default=0) or 1
    n = len(periods)
    left, right, top, bottom = 20, WIDTH - 20, 18, DENSITY_HEIGHT - 34
    step = (right - left) / max(n, 1)
    width = max(min(step * 0.8, 60), 2)
    total = sum(len(p["events"]) for p in periods)
    desc = (f"Number of events on each of the {n} timeline pages, {_number(total)} events in all; "
            "each bar links to its page. The list of pages below gives the same counts as text.")
    out = _open_svg(ident, "chart-density", DENSITY_HEIGHT, f"Events per timeline page ({_number(total)} in all)",
                    desc)
    out.append(f'<line class="chart-axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>')
    every = max(1, math.ceil(n / 24))  # label at most about 24 bars
    for i, period in enumerate(periods):
        count = len(period["events"])
        height = (bottom - top) * count / most
        x = left + step * i + (step - width) / 2
        bar = (f'<rect class="chart-bar" x="{_f(x)}" y="{_f(bottom - height)}" width="{_f(width)}" '
               f'height="{_f(max(height, 1))}"/>')
        label = f"{period['label']}: {_number(count)} event{'s' * (count != 1)}"
        out.append(_link(href(period["href"]), label, bar, "chart-mark"))
        if i % every == 0:
            out.append(f'<text class="chart-label" x="{_f(x + width / 2)}" y="{bottom + 16}" '
                       f'text-anchor="middle">{escape(period["label"])}</text>')
    out.append("</svg>")
    return "\n".join(out)
