"""EDTF dates: parsing, a sort key, and wording that keeps the uncertainty."""
from __future__ import annotations

import calendar
import re
import unicodedata
from dataclasses import dataclass
from functools import cached_property, lru_cache

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_FAR_PAST = (-10**6, 1, 1)
_FAR_FUTURE = (10**6, 12, 31)


@dataclass(frozen=True)
class When:
    """A parsed EDTF date: its text, sort bounds, and wording in parts.

    `parts` is a tuple of (text, datetime) pairs: `datetime` is an HTML <time datetime> value for
    the words that name a date, and '' for connecting words such as "about" or "between".
    """

    edtf: str
    lower: tuple  # (year, month, day), strict lower bound
    upper: tuple
    parts: tuple

    def __hash__(self) -> int:
        return hash(self.edtf)  # equal dates have equal texts; cheaper than hashing every field (a cache key)

    @cached_property  # worked out once: a date is shared by the records it dates, and shown on many pages
    def words(self) -> str:
        """Return the date in words, e.g. 'about December 2024'."""
        return "".join(text for text, _ in self.parts)

    @property
    def sort_key(self) -> tuple:
        """Return the key that orders dates by strict lower, then upper bound."""
        return (self.lower, self.upper)

    @property
    def is_exact_day(self) -> bool:
        """Return whether the date is one known day, with no qualifier."""
        return self.lower == self.upper and len(self.parts) == 1 and self.parts[0][1] == self.edtf

    def iso(self, bound: str = "lower") -> str:
        """Return a bound as an ISO date, '' when open."""
        return self._isos[bound != "lower"]

    @cached_property
    def _isos(self) -> tuple:
        return tuple("" if abs(y) >= 10**6 else f"{y:04d}-{m:02d}-{d:02d}" for y, m, d in (self.lower, self.upper))

    @property
    def year(self) -> int | None:
        """Return the year of the lower bound (of the upper one when the start is open)."""
        for y, _, _ in (self.lower, self.upper):
            if abs(y) < 10**6:
                return y
        return None


class DateError(ValueError):
    """An EDTF string that cannot be parsed."""


@lru_cache(maxsize=65536)
def parse(text: str) -> When:
    """Return the When for an EDTF string, or raise DateError with a hint.

    The common forms (a year, month or day, with XX digits and ~ ? % qualifiers, and intervals of
    them with open '..' ends) are read by a small parser of our own, since the `edtf` package's
    grammar takes several milliseconds a date; everything else goes to `edtf`. The two agree on
    every form the fast path takes (tests/test_dates.py checks it with generated dates).
    """
    fast = _parse_fast(text)
    if fast is not None:
        return fast
    _reject_impossible(text)
    _check_grammar(text)
    if text.count("/") == 1 and text.split("/").count("..") == 1:
        return _open_interval(text)
    when = parse_with_edtf(text)
    if when.lower > when.upper:  # edtf takes `0000/-0001`, whose sides _reject_impossible does not read
        raise DateError(f"'{text}' is not a valid EDTF interval: it ends before it starts")
    return when


def _open_interval(text: str) -> When:
    """Return the When of an interval open at one end (`../2024-12~`), read from its other side: edtf
    fails on many of them (`../1900-XX`, `../000X`), printing a line of its own on the way."""
    first, _, second = text.partition("/")
    side = second if first == ".." else first
    if not side or any(c in side for c in "[]{},"):
        raise _refusal(text)
    try:
        date = parse(side)
    except DateError as err:
        raise DateError(f"'{text}' is not a valid EDTF interval: {err}") from None
    if first == "..":
        return When(text, _FAR_PAST, date.upper, tuple(_merge([("on or before ", ""), *date.parts])))
    return When(text, date.lower, _FAR_FUTURE, tuple(_merge([("on or after ", ""), *date.parts])))


def _reject_impossible(text: str) -> None:
    """Raise DateError for dates of the common shape that the `edtf` package would wrongly accept."""
    sides = text.split("/") if text.count("/") == 1 else [text]
    for side in sides:
        match = _DATE.match(side)
        if match and match.group(2) and match.group(2) != "XX" and 21 <= int(match.group(2)) <= 41 \
                and not match.group(3):
            return  # a season or quarter (2024-21 is spring 2024): the edtf package reads those
        if match and _fast_date(side) is None:
            raise DateError(f"'{text}' is not a valid EDTF date: {side.rstrip('~?%')} is not a date in the "
                            "calendar (check the month and day; use XX for an unknown day or month)")
    if len(sides) == 2 and all(_DATE.match(side) for side in sides):
        raise DateError(f"'{text}' is not a valid EDTF interval: it ends before it starts")


# What EDTF is written with (ASCII only: Python's \\d would take any script's digits), and each date in
# it: a year (Y-prefixed when long, maybe negative), then a month and a day, each maybe qualified.
_EDTF_CHARACTER = re.compile(r"[0-9XYSE~?%/.,\[\]{}+:TZ-]", re.ASCII)
_LONG_YEAR = re.compile(r"Y-?([0-9X]+)(?:E([0-9]+))?", re.ASCII)
_YEARS = "years are read up to 999,999 before or after year 0"
_PIECE = re.compile(r"(?<![0-9XY])(Y?-?[0-9X]{4,})(?:S[0-9]+)?[~?%]?"
                    r"(?:-[~?%]?([0-9X]{2})[~?%]?(?:-[~?%]?([0-9X]{2})[~?%]?)?)?(?![0-9X])", re.ASCII)


def _check_grammar(text: str) -> None:
    """Raise DateError for what the `edtf` package would crash on or wrongly accept: characters that are
    not EDTF's, unknown digits in a month or day (`2024-1X`, valid EDTF level 2 that edtf 5 fails on),
    and months and days that are not in the calendar however qualified (`2024-02-~30`)."""
    bad = next((c for c in text if not _EDTF_CHARACTER.fullmatch(c)), None)
    if bad is not None and (written_as(text) or (bad.isascii() and bad.isprintable() and bad != " ")):
        raise _refusal(text)  # a date written another way (13 November 2024), or words: the examples
    if bad is not None:
        digit = ", and its digits are 0-9" if bad.isdigit() else ""
        raise DateError(f"'{text}' is not a valid EDTF date: it holds {bad!r} "
                        f"({unicodedata.name(bad, f'U+{ord(bad):04X}')}), which EDTF does not use{digit}; "
                        "write for example 2024-12-14, 2024-12 or 2024-12-26/2025-01-11")
    for match in _LONG_YEAR.finditer(text):  # checked before edtf works out 9E99999999, digit by digit
        digits, exponent = len(match.group(1).lstrip("0")), match.group(2) or "0"
        if digits + (int(exponent) if len(exponent) < 4 else 999) > 6:
            raise DateError(f"'{text}' is not supported: {_YEARS}")
    for match in _PIECE.finditer(text):
        _check_piece(text, *match.groups())


def _check_piece(text: str, year: str, month: str | None, day: str | None) -> None:
    """Raise DateError when one date of `text` has a month or day that EDTF or this site cannot read."""
    for part, what in ((month, "month"), (day, "day")):
        if part and "X" in part and part != "XX":
            interval = _interval(year, month, day, what)
            raise DateError(f"'{text}' is not supported: an unknown digit in the {what} ({part}) is not "
                            f"read here; write XX for an unknown {what}"
                            + (f", or the interval {interval}" if interval else ""))
    if month is None or month == "XX":
        return
    m = int(month)
    if not (1 <= m <= 12 or (21 <= m <= 41 and day is None)):
        raise DateError(f"'{text}' is not a valid EDTF date: {month} is not a month (01 to 12, or 21 to 41 for "
                        "a season or quarter without a day)")
    if day is None or day == "XX":
        return
    digits = year.lstrip("Y")
    leap_year = 2024 if "X" in digits else int(digits)  # an unknown year: 29 February may be a day of it
    if not 1 <= int(day) <= calendar.monthrange(leap_year, m)[1]:
        raise DateError(f"'{text}' is not a valid EDTF date: {year}-{month}-{day} is not a date in the calendar "
                        "(check the month and day; use XX for an unknown day or month)")


def _interval(year: str, month: str | None, day: str | None, what: str) -> str:
    """Return the interval an unknown digit in a month or day means (`1X`: 10 to 12), '' if none."""
    part = month if what == "month" else day
    tens, last = part[0], 12 if what == "month" else 31
    if tens not in "0123"[:2 if what == "month" else 4]:
        return ""
    low, high = max(int(tens) * 10, 1), min(int(tens) * 10 + 9, last)
    if what == "month":
        return f"{year}-{low:02d}/{year}-{high:02d}"
    return f"{year}-{month}-{low:02d}/{year}-{month}-{high:02d}"


def parse_with_edtf(text: str) -> When:
    """Return the When for an EDTF string using the `edtf` package (the reference implementation).

    The package is imported when a date first needs it: building its grammar at import took a tenth
    of a second of every command, and most chronologies use only the forms the fast path reads."""
    from edtf import EDTFParseException, parse_edtf

    try:
        value = parse_edtf(text)
    # edtf 5 fails inside its parser on some forms (AttributeError on `2024-1X`): the grammar check
    # keeps those from it, and this refuses any left as invalid dates rather than crashing a build
    except (EDTFParseException, ValueError, TypeError, AttributeError, IndexError, KeyError) as err:
        raise _refusal(text) from err
    return When(text, _bound(value.lower_strict(), _FAR_PAST, text),
                _bound(value.upper_strict(), _FAR_FUTURE, text), tuple(_merge(phrase(value))))


def _refusal(text: str) -> DateError:
    """Return the error of a text that is no EDTF date: its EDTF form if it is a date written another
    way, else examples."""
    meant = written_as(text)
    if meant:
        return DateError(f"'{text}' is not a valid EDTF date: {meant}")
    return DateError(f"'{text}' is not a valid EDTF date; use for example 2024-12-14, 2024-12, 2024-12~ "
                     "(about), 2024-12-XX (day unknown), 2024-12-26/2025-01-11 or ../2024-12-17")


# Other ways of writing a date, as patterns compiled (and cached by `re`) the first time a date is wrong.
_NUMERIC = r"(?a)^(\d{1,2})\s*([/.-])\s*(\d{1,2})\s*\2\s*(\d{4})$"  # 13/11/2024, 13.11.2024, 11/13/2024
_YEAR_FIRST = r"(?a)^(\d{4})([/.])(\d{1,2})\2(\d{1,2})$"  # 2024/11/13
_DAY_NAMED = r"(?a)^(\d{1,2})(?:st|nd|rd|th)?\.?\s+([A-Za-z]+)\.?,?\s+(\d{4})$"  # 13 November 2024
_NAMED_DAY = r"(?a)^([A-Za-z]+)\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})$"  # November 13, 2024
_NAMED = r"(?a)^([A-Za-z]+)\.?,?\s+(\d{4})$"  # November 2024
_MONTH_NUMBERS = {**{name.lower(): i for i, name in enumerate(MONTHS, 1)},
                  **{name[:3].lower(): i for i, name in enumerate(MONTHS, 1)}, "sept": 9}


def written_as(text: str) -> str:
    """Return how to write a date given in another common form (13/11/2024, 13.11.2024, 11/13/2024,
    13 November 2024, November 13, 2024) in EDTF: 'write it as 2024-11-13 (year-month-day)', saying
    so when day and month could be either way round; '' for any other text."""
    text = text.strip()
    match = re.match(_NUMERIC, text)
    if match:
        first, _, second, year = match.groups()
        readings = dict.fromkeys(iso for iso in (_iso(year, second, first), _iso(year, first, second)) if iso)
        if len(readings) == 2:
            day_first, month_first = readings
            return (f"write {day_first} if it is {_spoken(day_first)}, or {month_first} if it is "
                    f"{_spoken(month_first)} (day and month could be either way round; EDTF is year-month-day)")
        return f"write it as {next(iter(readings))} (year-month-day)" if readings else ""
    match = re.match(_YEAR_FIRST, text)
    iso = _iso(match.group(1), match.group(3), match.group(4)) if match else None
    if iso is None and (match := re.match(_DAY_NAMED, text)):
        iso = _iso(match.group(3), _MONTH_NUMBERS.get(match.group(2).lower()), match.group(1))
    if iso is None and (match := re.match(_NAMED_DAY, text)):
        iso = _iso(match.group(3), _MONTH_NUMBERS.get(match.group(1).lower()), match.group(2))
    if iso is None and (match := re.match(_NAMED, text)) and match.group(1).lower() in _MONTH_NUMBERS:
        iso = f"{match.group(2)}-{_MONTH_NUMBERS[match.group(1).lower()]:02d}"
    return f"write it as {iso} ({'year-month-day' if iso.count('-') == 2 else 'year-month'})" if iso else ""


def _iso(year, month, day) -> str | None:
    """Return year, month and day as an EDTF day, or None when that is not a day of the calendar."""
    if month is None:
        return None
    y, m, d = int(year), int(month), int(day)
    if not 1 <= m <= 12 or not 1 <= d <= calendar.monthrange(y, m)[1]:
        return None
    return f"{y:04d}-{m:02d}-{d:02d}"


def _spoken(iso: str) -> str:
    """Return an EDTF day in words: '5 November'."""
    _, month, day = iso.split("-")
    return f"{int(day)} {MONTHS[int(month) - 1]}"


def _bound(struct, open_value, text: str) -> tuple:
    if isinstance(struct, float):  # edtf gives ±inf for open ends
        return open_value
    if abs(struct.tm_year) >= abs(open_value[0]):  # the sort keys of open ends: a year past them is refused
        raise DateError(f"'{text}' is not supported: {_YEARS}")
    return (struct.tm_year, struct.tm_mon, struct.tm_mday)


def _merge(parts):
    """Join neighbouring plain-text parts."""
    merged = []
    for text, stamp in parts:
        if merged and not stamp and not merged[-1][1]:
            merged[-1] = (merged[-1][0] + text, "")
        else:
            merged.append((text, stamp))
    return merged


def phrase(value) -> list:
    """Return an EDTF value as (text, datetime) parts, keeping its precision and uncertainty."""
    from edtf import Date, Interval, Level1Interval, Season, UncertainOrApproximate

    if isinstance(value, (Interval, Level1Interval)):
        lower, upper = value.lower, value.upper
        if _is_open(lower) and _is_open(upper):
            return [("date unknown", "")]
        if _is_open(lower):
            return [("on or before ", ""), *phrase(upper)]
        if _is_open(upper):
            return [("on or after ", ""), *phrase(lower)]
        return [("between ", ""), *phrase(lower), (" and ", ""), *phrase(upper)]
    if isinstance(value, UncertainOrApproximate):
        return _qualified(phrase(value.date), value)
    if isinstance(value, Season):
        return [(f"{SEASONS.get(int(value.season), 'season')} {value.year}", str(value.year))]
    if isinstance(value, Date):
        return _qualified(_date_parts(str(value.year), str(value.month or ""), str(value.day or "")), value)
    return [(str(value), "")]


def _qualified(parts: list, value) -> list:
    """Return `parts` with the approximate (~) or uncertain (?) qualifier of `value`."""
    if value.is_uncertain_and_approximate:
        return [("about ", ""), *parts, (" (uncertain)", "")]
    if value.is_approximate:
        return [("about ", ""), *parts]
    if value.is_uncertain:
        return [*parts, (" (uncertain)", "")]
    return parts


def _is_open(section) -> bool:
    from edtf import UnspecifiedIntervalSection

    return section is None or isinstance(section, UnspecifiedIntervalSection)


def _date_parts(year: str, month: str, day: str) -> list:
    month = "" if month == "None" else month
    day = "" if day == "None" else day
    if "X" in year:
        if year.endswith("X") and year.count("X") == 1:
            return [(f"the {year.replace('X', '0')}s", "")]
        return [(f"year {year}", "")]
    if not month:
        return [(year, year)]
    if "X" in month:
        unknown = "month and day" if day else "month"
        return [(year, year), (f", {unknown} unknown", "")]
    name = MONTHS[int(month) - 1]
    if not day:
        return [(f"{name} {year}", f"{year}-{month}")]
    if "X" in day:
        return [(f"{name} {year}", f"{year}-{month}"), (", day unknown", "")]
    return [(f"{int(day)} {name} {year}", f"{year}-{month}-{day}")]


# ---------------------------------------------------------------- the fast path

_DATE = re.compile(r"^([0-9]{4})(?:-([0-9]{2}|XX)(?:-([0-9]{2}|XX))?)?([~?%]?)\Z")  # ASCII digits; \Z: no final newline


def _parse_fast(text: str) -> When | None:
    """Return the When of a common EDTF form, or None to let the `edtf` package decide."""
    if "/" in text:
        first, _, second = text.partition("/")
        if "/" in second or (first == ".." and second == ".."):
            return None
        lower = None if first == ".." else _fast_date(first)
        upper = None if second == ".." else _fast_date(second)
        if (first != ".." and lower is None) or (second != ".." and upper is None):
            return None
        if lower is not None and upper is not None and lower[1] > upper[2]:
            return None  # an interval that ends before it starts: edtf's verdict
        low = lower[1] if lower else _FAR_PAST
        high = upper[2] if upper else _FAR_FUTURE
        if lower is None:
            parts = [("on or before ", ""), *upper[0]]
        elif upper is None:
            parts = [("on or after ", ""), *lower[0]]
        else:
            parts = [("between ", ""), *lower[0], (" and ", ""), *upper[0]]
        return When(text, low, high, tuple(_merge(parts)))
    date = _fast_date(text)
    if date is None:
        return None
    return When(text, date[1], date[2], tuple(_merge(date[0])))


def _fast_date(text: str):
    """Return (parts, lower, upper) of a single date in the fast grammar, or None."""
    match = _DATE.match(text)
    if not match:
        return None
    year, month, day, flag = match.groups()
    y = int(year)
    if month is None or month == "XX":
        if day not in (None, "XX"):
            return None
        lower, upper = (y, 1, 1), (y, 12, 31)
    else:
        m = int(month)
        if not 1 <= m <= 12:
            return None
        last = calendar.monthrange(y, m)[1]
        if day is None or day == "XX":
            lower, upper = (y, m, 1), (y, m, last)
        else:
            d = int(day)
            if not 1 <= d <= last:
                return None
            lower = upper = (y, m, d)
    parts = _date_parts(year, month or "", day or "")
    if flag == "~":
        parts = [("about ", ""), *parts]
    elif flag == "?":
        parts = [*parts, (" (uncertain)", "")]
    elif flag == "%":
        parts = [("about ", ""), *parts, (" (uncertain)", "")]
    return parts, lower, upper
