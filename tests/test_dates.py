"""EDTF parsing, ordering and wording."""
import pytest

from chronicle import dates


@pytest.mark.parametrize("edtf, words", [
    ("2024-12-14", "14 December 2024"),
    ("2024-12", "December 2024"),
    ("2024", "2024"),
    ("2024-12~", "about December 2024"),
    ("2024-12-14?", "14 December 2024 (uncertain)"),
    ("2024-12-14%", "about 14 December 2024 (uncertain)"),
    ("2024-12-XX", "December 2024, day unknown"),
    ("2024-XX", "2024, month unknown"),
    ("2025-01-XX~", "about January 2025, day unknown"),
    ("2024-12-26/2025-01-11", "between 26 December 2024 and 11 January 2025"),
    ("../2024-12-17", "on or before 17 December 2024"),
    ("2024-12-26/..", "on or after 26 December 2024"),
    ("2024-12-20/2025-01~", "between 20 December 2024 and about January 2025"),
])
def test_wording_keeps_uncertainty(edtf, words):
    assert dates.parse(edtf).words == words
    assert dates.parse_with_edtf(edtf).words == words  # the edtf package's qualifiers, read the same


@pytest.mark.parametrize("edtf, words", [
    ("2024?-12", "December 2024 (uncertain)"),  # a qualified part: only the edtf package reads these
    ("2004-06-~11", "about 11 June 2004"),
    ("%2001", "about 2001 (uncertain)"),
    ("2024-21", "spring 2024"),
])
def test_forms_only_the_edtf_package_reads_are_worded(edtf, words):
    assert dates._parse_fast(edtf) is None
    assert dates.parse(edtf).words == words


def test_sorting_by_strict_lower_then_upper_bound():
    given = ["2025-01-11", "2024-12", "2024-12-14", "../2024-12-17", "2024-12-01/2025-01",
             "2024-12~", "2024-08"]
    ordered = sorted(given, key=lambda d: (dates.parse(d).sort_key, d))
    assert ordered == ["../2024-12-17", "2024-08", "2024-12", "2024-12~", "2024-12-01/2025-01",
                       "2024-12-14", "2025-01-11"]


def test_iso_bounds_for_time_elements():
    when = dates.parse("2024-12-XX")
    assert (when.iso("lower"), when.iso("upper")) == ("2024-12-01", "2024-12-31")
    assert dates.parse("../2024-12-17").iso("lower") == ""


def test_exact_day():
    assert dates.parse("2024-12-14").is_exact_day
    assert not dates.parse("2024-12-14?").is_exact_day
    assert not dates.parse("2024-12").is_exact_day


@pytest.mark.parametrize("bad", ["2024-13-01", "December 2024", "14/12/2024", ""])
def test_invalid_dates_raise_with_examples(bad):
    with pytest.raises(dates.DateError, match="is not a valid EDTF date"):
        dates.parse(bad)


@pytest.mark.parametrize("bad, reason", [
    ("2023-02-29", "2023-02-29 is not a date in the calendar"),
    ("2024-04-31~", "2024-04-31 is not a date in the calendar"),
    ("2024-XX-12", "2024-XX-12 is not a date in the calendar"),
    ("2025-01/2024-12", "it ends before it starts"),
])
def test_impossible_dates_are_errors(bad, reason):
    with pytest.raises(dates.DateError, match=reason):
        dates.parse(bad)


# The fast parser must agree with the `edtf` package on every form it accepts.
from hypothesis import given, settings  # noqa: E402
from hypothesis import strategies as st  # noqa: E402

_year = st.integers(1900, 2100).map(lambda y: f"{y:04d}")
_month = st.one_of(st.integers(1, 12).map(lambda m: f"{m:02d}"), st.just("XX"))
_day = st.one_of(st.integers(1, 31).map(lambda d: f"{d:02d}"), st.just("XX"))
_single = st.one_of(
    _year,
    st.tuples(_year, _month).map("-".join),
    st.tuples(_year, _month, _day).map("-".join),
).flatmap(lambda d: st.sampled_from(["", "~", "?", "%"]).map(lambda q: d + q))
_edtf = st.one_of(_single, st.tuples(_single, _single).map("/".join),
                  _single.map(lambda d: "../" + d), _single.map(lambda d: d + "/.."))


def _by_sides(text: str) -> tuple:
    """Return (lower, upper, words) of an interval from the edtf package's reading of each side."""
    first, second = text.split("/")
    if first == "..":
        upper = dates.parse_with_edtf(second)
        return dates._FAR_PAST, upper.upper, "on or before " + upper.words
    lower = dates.parse_with_edtf(first)
    if second == "..":
        return lower.lower, dates._FAR_FUTURE, "on or after " + lower.words
    upper = dates.parse_with_edtf(second)
    return lower.lower, upper.upper, f"between {lower.words} and {upper.words}"


@settings(max_examples=300, deadline=None)
@given(_edtf)
def test_fast_parser_agrees_with_the_edtf_package(text):
    fast = dates._parse_fast(text)
    if fast is None:  # not a date in the calendar, or an interval that ends before it starts
        with pytest.raises(dates.DateError):
            dates.parse(text)
    elif "/" in text and "XX" in text:  # the edtf package fails on most of these (see below): by sides
        assert (fast.lower, fast.upper, fast.words) == _by_sides(text)
    else:
        assert fast == dates.parse_with_edtf(text)


@pytest.mark.parametrize("text, words", [
    ("../1900-XX", "on or before 1900, month unknown"),
    ("2024-12-XX/..", "on or after December 2024, day unknown"),
    ("2024-12-XX?/2025", "between December 2024, day unknown (uncertain) and 2025"),
])
def test_intervals_with_unknown_digits_which_the_edtf_package_refuses_are_read(text, words):
    with pytest.raises(dates.DateError):  # edtf 5 fails on them; should it read them, compare above
        dates.parse_with_edtf(text)
    assert dates.parse(text).words == words


@pytest.mark.parametrize("text, meant", [
    ("13/11/2024", "write it as 2024-11-13 (year-month-day)"),
    ("13-11-2024", "write it as 2024-11-13 (year-month-day)"),
    ("2024/11/13", "write it as 2024-11-13 (year-month-day)"),
    ("13th Nov. 2024", "write it as 2024-11-13 (year-month-day)"),
    ("Sept 3 2024", "write it as 2024-09-03 (year-month-day)"),
    ("05/05/2024", "write it as 2024-05-05 (year-month-day)"),  # either way round, the same day
    ("31/02/2024", ""),  # no day of the calendar either way
    ("13 Brumaire 2024", ""),
    ("mid-December", ""),
])
def test_written_as_gives_the_edtf_form_of_other_date_styles(text, meant):
    assert dates.written_as(text) == meant


def test_a_day_month_date_that_is_no_date_gets_the_examples():
    with pytest.raises(dates.DateError, match=r"^'31/02/2024' is not a valid EDTF date; use for example"):
        dates.parse("31/02/2024")
