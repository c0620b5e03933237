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

# C0 controls but tab, LF and CR; DEL and the C1 controls; lone surrogates; noncharacters
_ASTRAL = "".join(f"{chr(plane * 0x10000 + 0xFFFE)}{chr(plane * 0x10000 + 0xFFFF)}" for plane in range(1, 17))
FORBIDDEN = re.compile(f"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\ud800-\udfff\ufdd0-\ufdef\ufffe\uffff{_ASTRAL}]")
# The same, looked for in UTF-8 bytes, five times faster than the regex on text (which tests each
# character against the class): bytes.translate drops every byte that is no C0 control or DEL, and
# the others, which take two bytes or more, start with bytes most texts do not hold.
_NOT_C0 = bytes([9, 10, 13, *range(0x20, 0x7F), *range(0x80, 0x100)])
_LEADS = (b"\xc2", b"\xed", b"\xef", b"\xbf\xbe", b"\xbf\xbf")
_MULTI_BYTE = re.compile(rb"\xc2[\x80-\x9f]|\xed[\xa0-\xbf]|\xef\xb7[\x90-\xaf]|\xef\xbf[\xbe\xbf]"
                         rb"|[\xf0-\xf4][\x8f\x9f\xaf\xbf]\xbf[\xbe\xbf]")
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


def clean(text: str) -> bool:
    """Return whether `text` holds no forbidden character (without a regex for most texts)."""
    data = text.encode("utf-8", "surrogatepass")
    if data.translate(None, _NOT_C0):
        return False
    if data.isascii() or not any(lead in data for lead in _LEADS):
        return True
    return not _MULTI_BYTE.search(data)


def problem_lines(text: str) -> list[tuple[int, str]]:
    """Return (line, what) for each line of `text` holding forbidden characters, e.g.
    (3, 'U+0007 BELL, U+0000 NULL'): each different character once, in order; [] for most texts."""
    if clean(text):
        return []
    found = FORBIDDEN.search(text)
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
    return text if clean(text) else FORBIDDEN.sub(REPLACEMENT, text)
