"""The timeline overview: each event a mark in rows on a time axis; for a long chronology, the number of
events on each timeline page as bars."""
from __future__ import annotations

import heapq
import math

from markupsafe import escape

from .draw import (WIDTH, arrow, checked_ident, day_number, draw_axis, is_open, mark_link, num, open_svg,
                   range_words, thousands, time_axis)

MAX_LANES = 50  # timeline rows; marks that fit in none are counted in the <desc>, not drawn

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
    ident = checked_ident(ident)
    entries = [graph.entries["events"][eid] for eid in event_ids]
    if not entries:
        return "\n".join([*open_svg(ident, "chart-timeline", 40, "Timeline: no events",
                                    "There are no events to show on a timeline."),
                          '<text class="chart-note" x="20" y="25">No events to show.</text>', "</svg>"])
    whens = [graph.when(entry) for entry in entries]
    first = _focus_start([w.lower if not is_open(w.lower) else w.upper for w in whens])
    early = [first is not None and not is_open(w.upper) and w.upper < first for w in whens]
    axis = time_axis([(max(w.lower, first) if first else w.lower, w.upper)
                      for w, before in zip(whens, early) if not before], 20, WIDTH - 20)
    marks = sorted((_place(entry, when, before, axis) for entry, when, before in zip(entries, whens, early)),
                   key=lambda m: m[:4])
    lanes, dropped = _lanes([(m[0], m[1]) for m in marks], MAX_LANES)
    rows = max((lane for lane in lanes if lane is not None), default=0) + 1
    top = 6
    bottom = top + rows * LANE + 4
    drawn = [_timeline_mark(mark, top + lane * LANE + LANE / 2, href)
             for mark, lane in zip(marks, lanes) if lane is not None]
    n = len(entries)
    desc = _description(n, axis, sum(early), dropped, rows)
    height = bottom + (40 if axis.unit == "months" else 28)
    note = []
    if dropped:
        note = [f'<text class="chart-note" x="20" y="{num(height + 4)}">{thousands(dropped)} more '
                f'overlapping event{"s" * (dropped != 1)} not drawn.</text>']
        height += 14
    title = f"Timeline of {thousands(n)} event{'s' * (n != 1)}"
    return "\n".join([*open_svg(ident, "chart-timeline", height, title, desc),
                      *draw_axis(axis, top, bottom), *drawn, *note, "</svg>"])


def _place(entry, when, before: bool, axis) -> tuple:
    """Return where an event's mark goes on `axis`: (x1, x2, sort key, id, entry, when, whether a dot,
    open left, open right). An event `before` the axis is drawn at its left edge."""
    x1, x2, open_left, open_right = axis.span(when.lower, when.upper)
    if before:  # far earlier than the rest: drawn at the left edge, pointing out of the axis
        x1, x2, open_left, open_right = axis.left, axis.left + MIN_BAR + 8, True, False
    dot = when.lower == when.upper
    if dot:
        cx = axis.x(day_number(*when.lower) + 0.5)
        x1, x2 = cx - DOT, cx + DOT
    elif x2 - x1 < MIN_BAR:
        mid = (x1 + x2) / 2
        x1, x2 = mid - MIN_BAR / 2, mid + MIN_BAR / 2
    return x1, x2, when.sort_key, entry.id, entry, when, dot, open_left, open_right


def _description(n: int, axis, early: int, dropped: int, rows: int) -> str:
    """Return the timeline's <desc>: `n` events on `axis`, `early` of them drawn at its left edge,
    `dropped` not drawn for want of rows."""
    desc = (f"Timeline of {thousands(n)} event{'s' * (n != 1)} {range_words(axis)}. Each mark links to its "
            "event page: a dot is an event dated to one day; a bar spans the possible dates of an event "
            "dated less precisely (a hollow dot or a paler bar, an approximate or uncertain date); an "
            "arrow marks a date open at that end (on or before, on or after).")
    if early:
        desc += (f" {thousands(early)} much earlier event{'s' * (early != 1)} {'is' if early == 1 else 'are'} "
                 f"drawn at the left edge, with an arrow pointing left, so that the axis can show the rest.")
    if dropped:
        desc += (f" Too many events overlap to draw them all: {thousands(n - dropped)} of {thousands(n)} are "
                 f"drawn in {rows} rows; {thousands(dropped)} {'is' if dropped == 1 else 'are'} not drawn.")
    return desc


FOCUS_GAP = 366  # days: an early event this far before the rest does not stretch the axis
FOCUS_SHARE = 10  # at most one event in ten is left off the axis that way


def _focus_start(starts: list) -> tuple | None:
    """Return where the axis should start when a few events lie far earlier than the rest, else None.

    A chronology of a winter's fighting that mentions, as background, the start of the war years
    before would otherwise squeeze every other event into a sliver of the axis.
    """
    days = sorted((day_number(*b), b) for b in starts if not is_open(b))
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
        shape = f'<circle class="chart-dot" cx="{num((x1 + x2) / 2)}" cy="{num(cy)}" r="{DOT}"/>'
    else:
        parts = []
        a, b = x1, x2
        if open_left:
            parts.append(arrow(x1, cy, -1))
            a = x1 + 7
        if open_right:
            parts.append(arrow(x2, cy, +1))
            b = x2 - 7
        bar_class = "chart-bar" + (" chart-open" if open_left or open_right else "")
        parts.insert(0, f'<rect class="{bar_class}" x="{num(a)}" y="{num(cy - BAR / 2)}" '
                        f'width="{num(max(b - a, 0))}" height="{BAR}" rx="2"/>')
        shape = "".join(parts)
    label = f"{entry.record.title} ({when.words})"
    return mark_link(href(f"events/{eid}.html"), label, shape, classes)


# ---------------------------------------------------------------- the overview of a long timeline

DENSITY_HEIGHT = 160


def density(periods: list, href, *, ident: str = "timeline-density") -> str:
    """Return an SVG bar chart of how many events each timeline page holds, each bar linking to it.

    For a chronology too long for one timeline page: ten thousand tiny marks say less than the count
    per year or month, and the chart does not change when an event is merely edited.
    """
    ident = checked_ident(ident)
    most = max((len(p["events"]) for p in periods), default=0) or 1
    n = len(periods)
    left, right, top, bottom = 20, WIDTH - 20, 18, DENSITY_HEIGHT - 34
    step = (right - left) / max(n, 1)
    width = max(min(step * 0.8, 60), 2)
    total = sum(len(p["events"]) for p in periods)
    desc = (f"Number of events on each of the {n} timeline pages, {thousands(total)} events in all; "
            "each bar links to its page. The list of pages below gives the same counts as text.")
    out = open_svg(ident, "chart-density", DENSITY_HEIGHT, f"Events per timeline page ({thousands(total)} in all)",
                   desc)
    out.append(f'<line class="chart-axis" x1="{left}" y1="{bottom}" x2="{right}" y2="{bottom}"/>')
    every = max(1, math.ceil(n / 24))  # label at most about 24 bars
    for i, period in enumerate(periods):
        count = len(period["events"])
        height = (bottom - top) * count / most
        x = left + step * i + (step - width) / 2
        bar = (f'<rect class="chart-bar" x="{num(x)}" y="{num(bottom - height)}" width="{num(width)}" '
               f'height="{num(max(height, 1))}"/>')
        label = f"{period['label']}: {thousands(count)} event{'s' * (count != 1)}"
        out.append(mark_link(href(period["href"]), label, bar, "chart-mark"))
        if i % every == 0:
            out.append(f'<text class="chart-label" x="{num(x + width / 2)}" y="{bottom + 16}" '
                       f'text-anchor="middle">{escape(period["label"])}</text>')
    out.append("</svg>")
    return "\n".join(out)

