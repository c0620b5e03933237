"""Escaping text for the HTML written in Python (parts, views, search): markupsafe's escape, as a
plain string."""
from __future__ import annotations

import markupsafe


def escape(value) -> str:
    """Return `value` escaped as markupsafe.escape does (& < > ' " as entities; Markup as it is), as
    a plain string, to be written into HTML made in Python (f-strings and joins).

    A string with none of those five characters (most text) is its own escaped text, returned as it
    is: escape() would make a Markup object of it and the f-string a copy of that, which cost more
    than the escaping (a build escapes hundreds of thousands of values)."""
    if type(value) is str and "&" not in value and "<" not in value and ">" not in value \
            and "'" not in value and '"' not in value:
        return value
    return str(markupsafe.escape(value))
