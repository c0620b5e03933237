"""Escaping text for HTML: markupsafe's escape, for the pieces written in Python."""
from __future__ import annotations

from markupsafe import escape

__all__ = ["escape"]
