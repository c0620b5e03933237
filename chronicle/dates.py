"""EDTF dates: parsing, a sort key, and wording that keeps the uncertainty."""
from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

from edtf import parse_edtf
from edtf.parser import parser_classes as pc
from edtf.parser.edtf_exceptions import EDTFParseException

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August",
          "September", "October", "November", "December"]
SEASONS = {21: "spring", 22: "summer", 23: "autumn", 24: "winter"}
_FAR_PAST = (-10**6, 1, 1)
_FAR_FUTURE = (10**6, 12, 31)


@dataclass(frozen=True)
class When:
    """A parsed EDTF date: its text, sort bounds, ISO bounds and wording."""

    edtf: str
    lower: tuple  # (year, month, day), strict lower bound
    upper: tuple
    words: str

    @property
    def sort_key(self) -> tuple:
        """Return the key that orders dates by strict lower, then upper bound."""
        return (self.lower, self.upper)

    @property
    def is_exact_day(self) -> bool:
        """Return whether the date is one known day, with no qualifier."""
        return self.lower == self.upper and self.edtf.count("-") == 2 and self.edtf[-1].isdigit()

    def iso(self, bound: str = "lower") -> str:
        """Return a bound as an ISO date (for <time datetime>), '' when open."""
        y, m, d = self.lower if bound == "lower" else self.upper
        if abs(y) >= 10**6:
            return ""
        return f"{y:04d}-{m:02d}-{d:02d}"


class DateError(ValueError):
    """An EDTF string that cannot be parsed."""


@lru_cache(maxsize=65536)
def parse(text: str) -> When:
    """Return the When for an EDTF string, or raise DateError with a hint."""
    try:
        value = parse_edtf(text)
    except (EDTFParseException, ValueError, TypeError) as err:
        raise DateError(
            f"'{text}' is not a valid EDTF date; use for example 2024-12-14, 2024-12, 2024-12~ "
            "(about), 2024-12-XX (day unknown), 2024-12-26/2025-01-11 or ../2024-12-17"
        ) from err
    return When(text, _bound(value.lower_strict(), _FAR_PAST),
                _bound(value.upper_strict(), _FAR_FUTURE), words(value))


def _bound(struct, open_value) -> tuple:
    if isinstance(struct, float):  # edtf gives ±inf for open ends
        return open_value
    return (struct.tm_year, struct.tm_mon, struct.tm_mday)


def words(value) -> str:
    """Return an EDTF value in English words, keeping its precision and uncertainty."""
    if isinstance(value, (pc.Interval, pc.Level1Interval)):
        lower, upper = value.lower, value.upper
        if _is_open(lower) and _is_open(upper):
            return "date unknown"
        if _is_open(lower):
            return f"on or before {words(upper)}"
        if _is_open(upper):
            return f"on or after {words(lower)}"
        return f"between {words(lower)} and {words(upper)}"
    if isinstance(value, pc.UncertainOrApproximate):
        return _qualified(words(value.date), value)
    if isinstance(value, pc.Season):
        return f"{SEASONS.get(int(value.season), 'season')} {value.year}"
    if isinstance(value, pc.Date):
        plain = _date_words(str(value.year), str(value.month or ""), str(value.day or ""))
        return _qualified(plain, value)
    return str(value)


def _qualified(inner: str, value) -> str:
    """Return `inner` with the approximate (~) or uncertain (?) qualifier of `value`."""
    if getattr(value, "_uncertain_and_approximate", False):
            return f"about {inner} (uncertain)"
    if getattr(value, "_is_approximate", False):
        return f"about {inner}"
    if getattr(value, "_is_uncertain", False):
        return f"{inner} (uncertain)"
    return inner


def _is_open(section) -> bool:
    return isinstance(section, (pc.UnspecifiedIntervalSection,)) or section is None


def _date_words(year: str, month: str, day: str) -> str:
    unknown = []
    if "X" in year:
        decade = year.replace("X", "0")
        return f"the {decade}s" if year.endswith("X") and year.count("X") == 1 else f"year {year}"
    if not month or month in ("None",):
        return year
    if "X" in month:
        unknown.append("month")
        if day and day != "None":
            unknown.append("day")
        return f"{year}, {' and '.join(unknown)} unknown"
    name = MONTHS[int(month) - 1]
    if not day or day == "None":
        return f"{name} {year}"
    if "X" in day:
        return f"{name} {year}, day unknown"
    return f"{int(day)} {name} {year}"
