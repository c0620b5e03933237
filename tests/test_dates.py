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
    with pytest.raises(dates.DateError, match="is not a valid EDTF date; use for example"):
        dates.parse(bad)
