"""What the charts share: coordinates as text, day numbers of any date, the time axis, the <svg> element
with its title and description, marks as links, arrows."""
from __future__ import annotations

import math
import re
from dataclasses import dataclass

from markupsafe import escape

from ..dates import MONTHS

WIDTH = 1000
OPEN = 10**6  # |year| >= OPEN marks an open end (see dates._FAR_PAST / _FAR_FUTURE)
MAX_PERIODS = 16  # at most this many tick periods on a time axis
MAX_MONTHS = 20  # a time axis spanning more months is ticked by years
SERIES = 8  # colours (chart-s0 .. chart-s7) and marker shapes
_ID = re.compile(r"^[A-Za-z][A-Za-z0-9_-]*$")


# Every class the SVG uses, for svg.css and its test.
CLASSES = ("chart", "chart-timeline", "chart-figures", "chart-axis", "chart-grid", "chart-label",
           "chart-note", "chart-mark", "chart-dot", "chart-bar", "chart-density", "chart-approx", "chart-open",
           "chart-arrow", "chart-point", "chart-span", "chart-range", "chart-legend",
           *(f"chart-s{i}" for i in range(SERIES)))


# ---------------------------------------------------------------- numbers, days, text

def num(x: float) -> str:
    """Return a coordinate rounded to one decimal, without a needless '.0' or '-0'."""
    r = round(x + 0.0, 1)
    if r == 0:
        return "0"
    return str(int(r)) if r == int(r) else f"{r:.1f}"


def day_number(y: int, m: int, d: int) -> int:
    """Return the day number of a proleptic Gregorian date (any year; 1970-01-01 is 0)."""
    y -= m <= 2
    era = (y if y >= 0 else y - 399) // 400
    yoe = y - era * 400
    doy = (153 * (m + (-3 if m > 2 else 9)) + 2) // 5 + d - 1
    doe = yoe * 365 + yoe // 4 - yoe // 100 + doy
    return era * 146097 + doe - 719468


def is_open(bound: tuple) -> bool:
    return abs(bound[0]) >= OPEN


def thousands(n: int) -> str:
    return f"{n:,}"


def attr(value) -> str:
    return str(escape(str(value)))


def checked_ident(ident: str) -> str:
    if not _ID.match(ident):
        raise ValueError(f"ident {ident!r} must be a valid id: a letter, then letters, digits, '-' or '_'")
    return ident


def open_svg(ident: str, kind: str, height: float, title: str, desc: str) -> list:
    return [f'<svg xmlns="http://www.w3.org/2000/svg" class="chart {kind}" viewBox="0 0 {WIDTH} {num(height)}" '
            f'role="group" aria-labelledby="{ident}-title" aria-describedby="{ident}-desc">',
            f'<title id="{ident}-title">{escape(title)}</title>',
            f'<desc id="{ident}-desc">{escape(desc)}</desc>']


def mark_link(href_value: str, label: str, children: str, cls: str) -> str:
    label = escape(label)
    return (f'<a class="{cls}" href="{attr(href_value)}" aria-label="{label}">'
            f'<title>{label}</title>{children}</a>')


# ---------------------------------------------------------------- the time axis

@dataclass(frozen=True)
class TimeAxis:
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
        open_left, open_right = is_open(lower), is_open(upper)
        x1 = self.left if open_left else self.x(day_number(*lower))
        x2 = self.right if open_right else self.x(day_number(*upper) + 1)
        return max(self.left, x1), min(self.right, x2), open_left, open_right


def time_axis(bounds: list, left: float, right: float) -> TimeAxis:
    """Return an axis covering the finite bounds of `bounds`, a list of (lower, upper) tuples."""
    finite = [b for pair in bounds for b in pair if not is_open(b)]
    if not finite:
        return TimeAxis(0, 1, left, right, (), (), "", "", "")
    (y0, m0, _), (y1, m1, _) = min(finite), max(finite)
    months = (y1 - y0) * 12 + m1 - m0 + 1
    if months <= MAX_MONTHS:
        starts = []
        y, m = y0, m0
        for _ in range(months + 1):
            starts.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        days = [day_number(y, m, 1) for y, m in starts]
        labels = [((a + b) / 2, MONTHS[m - 1][:3], "middle", 0)
                  for (y, m), a, b in zip(starts, days, days[1:])]
        labels += [(a, str(y), "start", 1) for (y, m), a in zip(starts, days[:-1]) if m == 1 or a == days[0]]
        return TimeAxis(days[0], days[-1], left, right, tuple(days), tuple(labels), "months",
                        f"{MONTHS[m0 - 1]} {y0}", f"{MONTHS[m1 - 1]} {y1}")
    step = nice_step(y1 - y0 + 1, MAX_PERIODS)
    ya, yb = (y0 // step) * step, -(-(y1 + 1) // step) * step
    years = list(range(ya, yb + 1, step))
    days = [day_number(y, 1, 1) for y in years]
    if step == 1:
        labels = [((a + b) / 2, str(y), "middle", 0) for y, a, b in zip(years, days, days[1:])]
    else:
        labels = [(a, str(y), "middle", 0) for y, a in zip(years, days)]
    return TimeAxis(days[0], days[-1], left, right, tuple(days), tuple(labels), "years", str(y0), str(y1))


def nice_step(span: float, most: int) -> int:
    """Return the smallest of 1, 2, 5, 10, 20, 50 ... that cuts `span` into at most `most` parts."""
    k = 1
    while True:
        for f in (1, 2, 5):
            if math.ceil(span / (f * k)) <= most:
                return f * k
        k *= 10


def draw_axis(axis: TimeAxis, top: float, bottom: float) -> list:
    """Return the grid lines from `top` to `bottom`, the axis line at `bottom`, ticks and labels."""
    out = []
    for day in axis.ticks:
        x = num(axis.x(day))
        out.append(f'<line class="chart-grid" x1="{x}" y1="{num(top)}" x2="{x}" y2="{num(bottom + 5)}"/>')
    out.append(f'<line class="chart-axis" x1="{num(axis.left)}" y1="{num(bottom)}" '
               f'x2="{num(axis.right)}" y2="{num(bottom)}"/>')
    for day, text, anchor, row in axis.labels:
        x = axis.x(day) + (3 if anchor == "start" else 0)
        out.append(f'<text class="chart-label" x="{num(x)}" y="{num(bottom + 18 + 15 * row)}" '
                   f'text-anchor="{anchor}">{escape(text)}</text>')
    return out


def arrow(x: float, y: float, pointing: int, size: float = 7) -> str:
    """Return a triangle whose tip is at (x, y), pointing left (-1) or right (+1)."""
    back = x - pointing * size
    return (f'<polygon class="chart-arrow" points="{num(x)},{num(y)} {num(back)},{num(y - size * 0.85)} '
            f'{num(back)},{num(y + size * 0.85)}"/>')


def range_words(axis: TimeAxis) -> str:
    if not axis.unit:
        return "with no known dates"
    if axis.first == axis.last:
        return f"in {axis.first}"
    return f"from {axis.first} to {axis.last}"

