"""Dates as pages and PDFs write them, as EDTF with no more precision than they give."""

import datetime
import re
from email.utils import parsedate_to_datetime

# ISO 8601 as pages write it: 2024-12-14, 2024-12-14T09:30:00+01:00, 20241214, 2024-12, 2024/12/14.
_ISO = re.compile(r"^\s*(\d{4})(?:([-/]?)(\d{2})(?:\2(\d{2}))?)?(?:[T\s]\d|\s*$)")


def day_or_month(value: str) -> str | None:
    """Return an EDTF day ("2024-12-14") or month ("2024-12") for a date as written, or None."""
    match = _ISO.match(value + " ")
    if match and match.group(3):
        year, month, day = int(match.group(1)), int(match.group(3)), match.group(4)
        return _edtf(year, month, int(day) if day else None)
    try:  # RFC 2822, as some pages and feeds write it: "Tue, 19 Nov 2019 10:00:00 GMT"
        written = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        return None
    return _edtf(written.year, written.month, written.day)


def _edtf(year: int, month: int, day: int | None) -> str | None:
    try:
        datetime.date(year, month, day or 1)
    except ValueError:
        return None
    if not 1000 <= year <= 2999:
        return None
    return f"{year:04d}-{month:02d}" + (f"-{day:02d}" if day else "")
