"""The figures chart: the numbers claimed over time, each claimant's in a colour and marker shape of its
own, named in a legend."""
from __future__ import annotations

import math
from dataclasses import dataclass

from markupsafe import escape

from .. import dates, kinds
from ..schema import COUNTED_WORDS, QUALIFIER_WORDS
from .draw import (SERIES, WIDTH, arrow, checked_ident, day_number, draw_axis, mark_link, nice_step, num,
                   open_svg, range_words, thousands, time_axis)

LOG_RATIO = 50  # a chart whose numbers span more than this factor uses a log scale
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
        amount = thousands(record.value)
    elif record.low is not None:
        amount = f"{thousands(record.low)} to {thousands(record.high)}"
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
        return f'<circle cx="{num(x)}" cy="{num(y)}" r="{num(s)}"/>'
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
    points = " ".join(f"{num(x + px * k)},{num(y + py * k)}" for px, py in pts)
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
    step = nice_step(top, 5) if top >= 1 else 1
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
    ident = checked_ident(ident)
    entries = [graph.entries["figures"][fid] for fid in figure_ids]
    plotted = [e for e in entries if e.record.vague is None]
    if not plotted:
        return ""
    whens = {e.id: graph.when(e) for e in plotted}
    scale = _scale([n for e in plotted for n in (e.record.value, e.record.low, e.record.high) if n is not None])
    axis = time_axis([(w.lower, w.upper) for w in whens.values()], PLOT_LEFT, PLOT_RIGHT)
    names = _claimants(graph, plotted)
    series = {key: i for i, key in enumerate(names)}
    bottom = PLOT_TOP + PLOT_HEIGHT
    out = [*_draw_scale(scale, bottom), *draw_axis(axis, PLOT_TOP, bottom)]
    seen: dict = {}  # how many points were drawn at each spot
    for e in sorted(plotted, key=lambda e: (whens[e.id].sort_key, e.id)):
        i = series[_series_key(e.record)]
        out.append(mark_link(href(f"figures/{e.id}.html"), claim_words(graph, e.record, whens[e.id]),
                             _point(e.record, whens[e.id], i, axis, scale, seen), f"chart-point chart-s{_colour(i)}"))
    legend_top = bottom + (58 if axis.unit == "months" else 44)
    out += _legend(list(names.values()), legend_top)
    height = legend_top + len(names) * LEGEND_ROW - 4
    n = len(plotted)
    desc = _description(n, len(names), len(entries) - n, axis, scale)
    title = f"Chart of {thousands(n)} figure{'s' * (n != 1)} over time"
    return "\n".join([*open_svg(ident, "chart-figures", height, title, desc), *out, "</svg>"])


def _series_key(record) -> str:
    """Return what tells one claimant's series from another's: the claimant's id, or the attribution."""
    return record.claimant or f"attribution:{record.attribution}"


def _claimants(graph, plotted: list) -> dict:
    """Return each series key of the figures `plotted` mapped to the claimant's name, in legend order
    (by name)."""
    names: dict = {}
    for e in plotted:
        names.setdefault(_series_key(e.record), claimant_name(graph, e.record))
    return {key: names[key] for key in sorted(names, key=lambda k: (names[k].casefold(), k))}


def _colour(i: int) -> int:
    """Return the colour of series `i`: after every SERIES series, colours shift by one against shapes,
    so that no two series share both."""
    return (i + i // SERIES) % SERIES


def _draw_scale(scale: _Scale, bottom: float) -> list:
    """Return the grid lines and labels of the numbers claimed, the vertical axis and its title."""
    out = []
    for tick in scale.ticks:
        y = num(scale.y(tick))
        out.append(f'<line class="chart-grid" x1="{num(PLOT_LEFT - 5)}" y1="{y}" x2="{num(PLOT_RIGHT)}" y2="{y}"/>')
        out.append(f'<text class="chart-label" x="{num(PLOT_LEFT - 8)}" y="{num(scale.y(tick) + 4)}" '
                   f'text-anchor="end">{thousands(tick)}</text>')
    out.append(f'<line class="chart-axis" x1="{num(PLOT_LEFT)}" y1="{num(PLOT_TOP)}" '
               f'x2="{num(PLOT_LEFT)}" y2="{num(bottom)}"/>')
    out.append(f'<text class="chart-label" x="{num(PLOT_LEFT - 8)}" y="{num(PLOT_TOP - 10)}" text-anchor="start">'
               f'Number claimed{" (log scale)" if scale.log else ""}</text>')
    return out


def _point(r, when, i: int, axis, scale: _Scale, seen: dict) -> str:
    """Return the marker of figure record `r` in series `i`, with the line of its period and of its range.

    Points that would fall on the same spot as earlier ones (`seen`) are moved up or down in turn."""
    x1, x2, open_left, open_right = axis.span(when.lower, when.upper)
    if when.lower == when.upper:
        x1 = x2 = axis.x(day_number(*when.lower) + 0.5)
    if r.value is not None:
        y_lo = y_hi = y = scale.y(r.value)
    else:
        y_lo, y_hi = scale.y(r.low), scale.y(r.high)
        y = (y_lo + y_hi) / 2
    x = (x1 + x2) / 2
    spot = (num(x), num(y))
    nudge = seen.get(spot, 0)
    seen[spot] = nudge + 1
    dy = (nudge + 1) // 2 * 6 * (-1 if nudge % 2 else 1)  # 0, -6, +6, -12, +12 ...: overplotted twins
    y, y_lo, y_hi = y + dy, y_lo + dy, y_hi + dy
    parts = []
    if x2 - x1 > 0.5:
        a = x1 + (7 if open_left else 0)
        b = x2 - (7 if open_right else 0)
        parts.append(f'<line class="chart-span" x1="{num(a)}" y1="{num(y)}" x2="{num(b)}" y2="{num(y)}"/>')
        parts += [arrow(x1, y, -1)] if open_left else []
        parts += [arrow(x2, y, +1)] if open_right else []
    if y_lo != y_hi:
        parts.append(f'<line class="chart-range" x1="{num(x)}" y1="{num(y_lo)}" x2="{num(x)}" y2="{num(y_hi)}"/>')
        for yy in (y_lo, y_hi):
            parts.append(f'<line class="chart-range" x1="{num(x - 4)}" y1="{num(yy)}" '
                         f'x2="{num(x + 4)}" y2="{num(yy)}"/>')
    parts.append(_shape(i % SERIES, x, y))
    return "".join(parts)


def _legend(names: list, top: float) -> list:
    """Return the legend: each claimant's marker and name, a row each from `top` (a long name shortened,
    in full in its tooltip)."""
    out = []
    for i, name in enumerate(names):
        y = top + i * LEGEND_ROW
        shown = name if len(name) <= LEGEND_CHARS else name[:LEGEND_CHARS - 1].rstrip() + "…"
        tip = f"<title>{escape(name)}</title>" if shown != name else ""
        out.append(f'<g class="chart-legend chart-s{_colour(i)}">{tip}'
                   f'{_shape(i % SERIES, PLOT_LEFT + 6, y)}'
                   f'<text class="chart-label" x="{num(PLOT_LEFT + 20)}" y="{num(y + 4)}">{escape(shown)}</text></g>')
    return out


def _description(n: int, k: int, vague: int, axis, scale: _Scale) -> str:
    """Return the chart's <desc>: `n` figures by `k` claimants on `axis` and `scale`, `vague` not plotted."""
    if scale.log:
        y_words = f"logarithmic scale from {thousands(10**int(scale.low))} to {thousands(10**int(scale.high))}"
    else:
        y_words = f"linear scale from 0 to {thousands(int(scale.high))}"
    desc = (f"{thousands(n)} figure{'s' * (n != 1)} by {k} claimant{'s' * (k != 1)}, plotted by the date or "
            f"period each covers (across, {range_words(axis)}) and the number claimed (up, {y_words}). "
            "A horizontal line spans a period, an arrow marks a period open at that end, and a vertical "
            "line spans a range from its low to its high number. Each claimant has its own colour and "
            "marker shape, named in the legend; each marker links to its figure page.")
    if vague:
        desc += (f" {thousands(vague)} vague figure{'s' * (vague != 1)} without a number "
                 f"{'are' if vague != 1 else 'is'} not plotted.")
    return desc
