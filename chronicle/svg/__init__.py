"""Inline SVG charts: a timeline of events (timelines.py) and a chart of numeric claims over time
(figures.py), drawn with what they share (draw.py).

Pure functions of the graph: the same input gives a byte-identical string. The SVG is meant to be
inlined in HTML5 pages (no XML declaration), uses no script and no external resource, and is styled
only through the classes in templates/assets/svg.css (see `CLASSES`). All text is escaped.

Accessibility: the root `<svg>` has role="group" (it contains links, so it must not be role="img",
whose children are presentational), is named by its `<title>` through aria-labelledby and described
by its `<desc>` through aria-describedby. Every mark is an `<a href>` with an aria-label and a
`<title>` (the tooltip) saying what it is and when.
"""
from __future__ import annotations

from .draw import CLASSES, SERIES
from .figures import figures_chart
from .timelines import MAX_LANES, density, timeline

__all__ = ["CLASSES", "MAX_LANES", "SERIES", "density", "figures_chart", "timeline"]
