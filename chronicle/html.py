"""Escaping text for HTML, as markupsafe does, but returning a plain string."""
from __future__ import annotations

import re


def escape(value) -> str:
    """Return `value` escaped as markupsafe.escape does (& < > ' " as entities; Markup as it is), as a
    plain string: making a Markup object of every value cost more than the escaping itself."""
    if type(value) is str:  # the usual case: no attribute to look for, nothing to convert
        text = value
    elif hasattr(value, "__html__"):
        return value.__html__()
    else:
        text = str(value)
    if _SPECIAL.search(text) is None:
        return text
    return (text.replace("&", "&amp;").replace(">", "&gt;").replace("<", "&lt;")
            .replace("'", "&#39;").replace('"', "&#34;"))


_SPECIAL = re.compile(r"[&<>'\"]")
