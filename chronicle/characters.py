"""Characters no page or feed may hold: XML 1.0 forbids them, HTML calls them parse errors.

XML 1.0 allows only tab, LF, CR, U+0020-U+D7FF, U+E000-U+FFFD and U+10000 up: one NUL in a summary
makes the whole feed unreadable to every feed reader. HTML (the "control-character-in-input-stream"
and "noncharacter-in-input-stream" parse errors) also refuses DEL, the C1 controls and the 66
noncharacters. Content files may hold none of them (`read.decode` reports each line holding one);
a source text, kept byte for byte as evidence, may, and has each replaced for output (`replaced`).
"""
from __future__ import annotations

import re
import unicodedata

_NONCHARACTERS = "\ufdd0-\ufdef" + "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}"
                                           for plane in range(17))
# C0 controls but tab, LF and CR; DEL and the C1 controls; lone surrogates; noncharacters
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff{_NONCHARACTERS}]")
REPLACEMENT = "\ufffd"  # one for one: offsets and lines of a source text stay as they were

# Controls have no name in the Unicode database, only aliases (NameAliases.txt, type "control").
_C0 = ("NULL", "START OF HEADING", "START OF TEXT", "END OF TEXT", "END OF TRANSMISSION", "ENQUIRY",
       "ACKNOWLEDGE", "BELL", "BACKSPACE", "CHARACTER TABULATION", "LINE FEED", "LINE TABULATION",
       "FORM FEED", "CARRIAGE RETURN", "SHIFT OUT", "SHIFT IN", "DATA LINK ESCAPE", "DEVICE CONTROL ONE",
       "DEVICE CONTROL TWO", "DEVICE CONTROL THREE", "DEVICE CONTROL FOUR", "NEGATIVE ACKNOWLEDGE",
       "SYNCHRONOUS IDLE", "END OF TRANSMISSION BLOCK", "CANCEL", "END OF MEDIUM", "SUBSTITUTE", "ESCAPE",
       "INFORMATION SEPARATOR FOUR", "INFORMATION SEPARATOR THREE", "INFORMATION SEPARATOR TWO",
       "INFORMATION SEPARATOR ONE")
_C1 = ("PADDING CHARACTER", "HIGH OCTET PRESET", "BREAK PERMITTED HERE", "NO BREAK HERE", "INDEX",
       "NEXT LINE", "START OF SELECTED AREA", "END OF SELECTED AREA", "CHARACTER TABULATION SET",
       "CHARACTER TABULATION WITH JUSTIFICATION", "LINE TABULATION SET", "PARTIAL LINE FORWARD",
       "PARTIAL LINE BACKWARD", "REVERSE LINE FEED", "SINGLE SHIFT TWO", "SINGLE SHIFT THREE",
       "DEVICE CONTROL STRING", "PRIVATE USE ONE", "PRIVATE USE TWO", "SET TRANSMIT STATE",
       "CANCEL CHARACTER", "MESSAGE WAITING", "START OF GUARDED AREA", "END OF GUARDED AREA",
       "START OF STRING", "SINGLE GRAPHIC CHARACTER INTRODUCER", "SINGLE CHARACTER INTRODUCER",
       "CONTROL SEQUENCE INTRODUCER", "STRING TERMINATOR", "OPERATING SYSTEM COMMAND", "PRIVACY MESSAGE",
       "APPLICATION PROGRAM COMMAND")


def named(c: str) -> str:
    """Return 'U+0007 BELL': the code point of `c` and its name (or what it is, when it has none)."""
    code = ord(c)
    if code < 0x20:
        name = _C0[code]
    elif code == 0x7F:
        name = "DELETE"
    elif 0x80 <= code <= 0x9F:
        name = _C1[code - 0x80]
    elif 0xD800 <= code <= 0xDFFF:
        name = "(a lone surrogate)"
    else:
        name = unicodedata.name(c, "(a noncharacter)")
    return f"U+{code:04X} {name}"


def problem_lines(text: str) -> list[tuple[int, str]]:
    """Return (line, what) for each line of `text` holding forbidden characters, e.g.
    (3, 'U+0007 BELL, U+0000 NULL'): each different character once, in order; [] for most texts."""
    found = FORBIDDEN.search(text)
    if found is None:
        return []
    result: list[tuple[int, str]] = []
    line, at = 1, 0
    while found is not None:
        line += text.count("\n", at, found.start())
        end = text.find("\n", found.start())
        end = len(text) if end == -1 else end
        chars = list(dict.fromkeys(FORBIDDEN.findall(text, found.start(), end)))
        what = ", ".join(named(c) for c in chars[:3]) + (f" and {len(chars) - 3} more" if len(chars) > 3 else "")
        result.append((line, what))
        at = end
        found = FORBIDDEN.search(text, end)
    return result


def replaced(text: str) -> str:
    """Return `text` with each forbidden character replaced by U+FFFD (most texts: as they are)."""
    return FORBIDDEN.sub(REPLACEMENT, text) if FORBIDDEN.search(text) else text
