"""Issue 22: every value is checked before a library sees it (edtf, orjson, Pagefind), numbers are
decimal digits within what the site shows, digits are ASCII, and YAML tags are refused."""
from __future__ import annotations

import calendar
import contextlib
import io

import pytest
from conftest import base_files, problems_of
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from chronicle import dates, schema

FIGURE = ("claimant: john-kirby\nsubject: troops\ncounted: killed\nvalue: 5\nas_of: 2024-12-14\n"
          "citations:\n  - source: art\n    quote: killed near Plekhovo\n")
EVENT = base_files()["events/losses.md"]
SOURCE = base_files()["sources/art.yaml"]
TAGS = ("content holds plain text, numbers, lists and mappings only; remove the tag, and put a value in "
        "quotes to keep it as text")


def figure_value(text: str) -> dict:
    return {"figures/f.yaml": FIGURE.replace("value: 5", f"value: {text}")}


@pytest.mark.parametrize("written, problem", [
    ("0b11", "YAML reads '0b11' as 3 (binary) (write 3 if that is the number meant)"),
    ("017", "YAML reads '017' as 15 (octal, for its leading zero) (write 15 if that is the number meant)"),
    ("1:30", "YAML reads '1:30' as 90 (base 60, as hours:minutes) (write 90 if that is the number meant)"),
    ("0x1F", "YAML reads '0x1F' as 31 (hexadecimal) (write 31 if that is the number meant)"),
    ("1_000", "YAML reads '1_000' as 1000 (its underscores dropped) (write 1000 if that is the number meant)"),
    ("+5", "YAML reads '+5' as 5 (its '+' dropped) (write 5 if that is the number meant)"),
])
def test_a_number_not_in_decimal_digits_is_refused_saying_how_yaml_reads_it(make_content, written, problem):
    assert problems_of(make_content(figure_value(written))) == [
        "content/figures/f.yaml:4: 'value' should be a whole number in decimal digits, but " + problem]


@pytest.mark.parametrize("written, problem", [
    ("1e3", "'value' should be a whole number, not the text '1e3' "
            "(write digits only, without quotes, commas or an exponent, e.g. 1000)"),
    ("1.5e+3", "'value' should be a whole number, but YAML read '1.5e+3' as the number 1500.0 "
               "(write digits only, e.g. 1000 (no decimal point, exponent or commas))"),
    ("yes", "'value' should be a whole number, but YAML read 'yes' as true (write digits only, e.g. 1000)"),
    ("-1", "'value' is -1, less than 0 (a count cannot be negative)"),
    ("1" + "0" * 100, "'value' is a number of 101 digits, more than the largest number content may hold "
                      "(1,000,000,000,000,000) (numbers up to 10^15 are shown exactly on the site, in its "
                      "charts and its JSON; check the digits)"),
    ("1000000000000001", "'value' is 1,000,000,000,000,001, more than the largest number content may hold "
                         "(1,000,000,000,000,000) (numbers up to 10^15 are shown exactly on the site, in its "
                         "charts and its JSON; check the digits)"),
])
def test_other_numbers_a_figure_cannot_hold_are_refused(make_content, written, problem):
    assert problems_of(make_content(figure_value(written))) == [f"content/figures/f.yaml:4: {problem}"]


def test_the_largest_number_builds_and_exports(make_content, tmp_path):
    from chronicle import pipeline

    root = make_content(figure_value(str(schema.MAX_NUMBER)))
    assert problems_of(root) == []
    pipeline.build(root, tmp_path / "site", index=False)
    assert b'"value":1000000000000000' in (tmp_path / "site/data/chronology.json").read_bytes()


def test_a_range_and_an_occurrence_are_bounded_too(make_content):
    root = make_content({
        "figures/f.yaml": FIGURE.replace("value: 5", "low: 1\nhigh: 10000000000000000"),
        "events/losses.md": EVENT.replace("    quote: killed near Plekhovo\n",
                                          "    quote: killed near Plekhovo\n    occurrence: 0x10\n")})
    assert problems_of(root) == [
        "content/events/losses.md:9: 'citations[0].occurrence' should be a whole number in decimal digits, "
        "but YAML reads '0x10' as 16 (hexadecimal) (write 16 if that is the number meant)",
        "content/figures/f.yaml:5: 'high' is 10,000,000,000,000,000, more than the largest number content may "
        "hold (1,000,000,000,000,000) (numbers up to 10^15 are shown exactly on the site, in its charts and its "
        "JSON; check the digits)"]


def test_a_text_field_yaml_reads_as_a_number_is_to_be_quoted(make_content):
    root = make_content({"events/losses.md": EVENT.replace("title: Losses near Plekhovo", "title: 0x1F")})
    assert problems_of(root) == [
        "content/events/losses.md:3: 'title' should be text, but YAML read '0x1F' as a number "
        "(put it in quotes: title: \"0x1F\")"]


@pytest.mark.parametrize("old, new, line, tag", [
    ("title: Losses near Plekhovo", "title: ! Losses near Plekhovo", 3, "!"),
    ("title: Losses near Plekhovo", "title: !!str Losses near Plekhovo", 3, "!!str"),
    ("places: [plekhovo]", "places: !custom [plekhovo]", 4, "!custom"),
    ("places: [plekhovo]", "places: !!python/object/apply:os.system [\"touch x\"]", 4,
     "!!python/object/apply:os.system"),
    ("citations:\n", "citations: !!seq\n", 6, "!!seq"),
    ("  - source: art\n", "  - !m\n    source: art\n", 7, "!m"),
])
def test_every_explicit_yaml_tag_is_refused(make_content, tmp_path, old, new, line, tag):
    root = make_content({"events/losses.md": EVENT.replace(old, new)})
    assert problems_of(root) == [f"content/events/losses.md:{line}: unsupported YAML tag '{tag}' ({TAGS})"]
    assert not (tmp_path / "x").exists()


def test_chrome_lines_in_other_digits_are_no_line_numbers(make_content):
    root = make_content({"sources/art.yaml": SOURCE.replace("lines: 1-2", 'lines: "１"')})
    assert problems_of(root) == [
        "content/sources/art.yaml:8: 'chrome[0]': lines '１' should be a line number or a range like '35-166'"]
    assert schema.LINES_RE.match("1-2\n") is None


LANGUAGE_HINT = "(write a language tag such as 'en', 'fr' or 'pt-BR', or 'und' when it is not known)"


@pytest.mark.parametrize("written, problem", [
    ("english", "'english' is not a language tag (BCP 47)"),
    ("pt_BR", "'pt_BR' is not a language tag (BCP 47)"),
    ("en-", "'en-' is not a language tag (BCP 47)"),
    ("'１'", "'１' is not a language tag (BCP 47)"),
    ("a" * 45, f"'{'a' * 45}' is not a language tag (BCP 47): it is longer than 20 characters"),
    ("en-x-abcdefgh-abcdefg", "'en-x-abcdefgh-abcdefg' is not a language tag (BCP 47): it is longer than 20 "
                              "characters"),
])
def test_a_language_that_is_no_bcp47_tag_is_refused(make_content, written, problem):
    chronology = base_files()["chronology.yaml"].replace("language: en", f"language: {written}")
    source = SOURCE.replace("language: en", f"language: {written}")
    assert problems_of(make_content({"chronology.yaml": chronology, "sources/art.yaml": source})) == [
        f"content/chronology.yaml:3: 'language': {problem} {LANGUAGE_HINT}",
        f"content/sources/art.yaml:6: 'language': {problem} {LANGUAGE_HINT}"]


@pytest.mark.parametrize("tag", ["en", "pt-BR", "zh-Hant-TW", "sr-Latn-RS", "es-419", "de-CH-1996", "und",
                                 "x-klingon", "i-klingon", "sgn-BE-FR", "ja-JP-u-ca-japanese", "zh-yue-HK",
                                 "en-US-x-twain"])
def test_language_tags_of_every_form_are_accepted(tag):
    assert schema.language_tag(tag) == tag


def test_an_unusual_language_tag_is_indexed_by_pagefind(make_content, tmp_path):
    from chronicle import pipeline

    longest = "en-x-abcdefgh-abcdef"  # MAX_LANGUAGE characters; Pagefind 1.x panicked from 30
    assert len(longest) == schema.MAX_LANGUAGE
    root = make_content({"chronology.yaml": base_files()["chronology.yaml"].replace("language: en",
                                                                                    f"language: {longest}")})
    pipeline.build(root, tmp_path / "site")
    assert f'<html lang="{longest}"' in (tmp_path / "site/index.html").read_text()
    assert (tmp_path / "site/pagefind/pagefind.js").is_file()


# ------------------------------------------------------------------------------------------- dates

@pytest.mark.parametrize("text, message", [
    ("2024-1X", "'2024-1X' is not supported: an unknown digit in the month (1X) is not read here; write XX "
                "for an unknown month, or the interval 2024-10/2024-12"),
    ("2024-12-1X", "'2024-12-1X' is not supported: an unknown digit in the day (1X) is not read here; write XX "
                   "for an unknown day, or the interval 2024-12-10/2024-12-19"),
    ("2024-12/2024-1X", "'2024-12/2024-1X' is not supported: an unknown digit in the month (1X) is not read "
                        "here; write XX for an unknown month, or the interval 2024-10/2024-12"),
    ("2024-X5-56", "'2024-X5-56' is not supported: an unknown digit in the month (X5) is not read here; write "
                   "XX for an unknown month"),
    ("2024-02-~30", "'2024-02-~30' is not a valid EDTF date: 2024-02-30 is not a date in the calendar (check "
                    "the month and day; use XX for an unknown day or month)"),
    ("2024?-02-31", "'2024?-02-31' is not a valid EDTF date: 2024-02-31 is not a date in the calendar (check "
                    "the month and day; use XX for an unknown day or month)"),
    ("2024-?13", "'2024-?13' is not a valid EDTF date: 13 is not a month (01 to 12, or 21 to 41 for a season "
                 "or quarter without a day)"),
    ("٢٠٢٤-١٢-١٤", "'٢٠٢٤-١٢-١٤' is not a valid EDTF date: it holds '٢' (ARABIC-INDIC DIGIT TWO), which EDTF "
                   "does not use, and its digits are 0-9; write for example 2024-12-14, 2024-12 or "
                   "2024-12-26/2025-01-11"),
    ("２０２４-１２-１４", "'２０２４-１２-１４' is not a valid EDTF date: it holds '２' (FULLWIDTH DIGIT TWO), which "
                       "EDTF does not use, and its digits are 0-9; write for example 2024-12-14, 2024-12 or "
                       "2024-12-26/2025-01-11"),
    ("2024-12-14\n", "'2024-12-14\n' is not a valid EDTF date: it holds '\\n' (U+000A), which EDTF does not "
                     "use; write for example 2024-12-14, 2024-12 or 2024-12-26/2025-01-11"),
    ("../", "'../' is not a valid EDTF date; use for example 2024-12-14, 2024-12, 2024-12~ (about), "
            "2024-12-XX (day unknown), 2024-12-26/2025-01-11 or ../2024-12-17"),
    ("0000/-0001", "'0000/-0001' is not a valid EDTF interval: it ends before it starts"),
    ("Y170000002", "'Y170000002' is not supported: years are read up to 999,999 before or after year 0"),
    ("Y9E99999999", "'Y9E99999999' is not supported: years are read up to 999,999 before or after year 0"),
    (" 2024", "' 2024' is not a valid EDTF date: it holds ' ' (SPACE), which EDTF does not use; write for "
              "example 2024-12-14, 2024-12 or 2024-12-26/2025-01-11"),
])
def test_dates_edtf_would_crash_on_or_wrongly_accept_are_refused(text, message):
    with pytest.raises(dates.DateError) as raised:
        dates.parse(text)
    assert str(raised.value) == message


def test_a_date_the_edtf_package_crashed_on_is_a_problem_with_its_line(make_content):
    root = make_content({"figures/f.yaml": FIGURE.replace("as_of: 2024-12-14", "as_of: 2024-1X")})
    assert problems_of(root) == [
        "content/figures/f.yaml:5: 'as_of': '2024-1X' is not supported: an unknown digit in the month (1X) is "
        "not read here; write XX for an unknown month, or the interval 2024-10/2024-12"]


def test_an_interval_with_an_unknown_month_is_read():
    assert dates.parse("1933-XX/1993").words == "between 1933, month unknown and 1993"


@pytest.mark.parametrize("text, words", [
    ("../000X", "on or before the 0000s"), ("2004-06-~11/..", "on or after about 11 June 2004"),
    ("../1984?-06", "on or before June 1984 (uncertain)"),
])
def test_an_interval_open_at_one_end_is_read_from_its_other_side(text, words):
    assert dates.parse(text).words == words


# EDTF-like strings: years, months and days of digits and X, qualifiers before and after each part,
# intervals, open ends, sets, and now and then another script's digit.
_DIGIT = st.sampled_from("0123456789" * 3 + "XXXX" + "١٢１")
_part = st.integers(1, 2).flatmap(lambda n: st.lists(_DIGIT, min_size=n, max_size=n).map("".join))
_qualifier = st.sampled_from(["", "", "", "~", "?", "%"])
_year = st.tuples(st.sampled_from(["", "", "", "-", "Y"]), st.lists(_DIGIT, min_size=3, max_size=6).map("".join))
_date = st.builds(
    lambda year, parts, q: "".join(year) + "".join(f"-{a}{p}" for a, p in parts) + q,
    _year, st.lists(st.tuples(_qualifier, _part), max_size=3), st.sampled_from(["", "~", "?", "%", "S2", "E3"]))
_side = st.one_of(_date, st.sampled_from(["..", ""]))
_text = st.one_of(_date, st.tuples(_side, _side).map("/".join),
                  st.lists(_date, min_size=1, max_size=3).map(lambda ds: "[" + ",".join(ds) + "]"),
                  st.lists(_date, min_size=1, max_size=3).map(lambda ds: "{" + ",".join(ds) + "}"))


def _in_calendar(bound: tuple) -> bool:
    year, month, day = bound
    return abs(year) >= 10**6 or (1 <= month <= 12 and 1 <= day <= calendar.monthrange(year, month)[1])


@settings(max_examples=500, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(_text)
def test_every_edtf_like_text_parses_or_is_a_date_error(text):
    printed = io.StringIO()
    try:
        with contextlib.redirect_stdout(printed):  # edtf prints a line when its parser fails inside
            when = dates.parse(text)
    except dates.DateError:
        return
    finally:
        assert printed.getvalue() == ""
    assert _in_calendar(when.lower) and _in_calendar(when.upper)
    assert when.sort_key[0] <= when.sort_key[1]
    assert text.isascii()


_ascii_or_other_year = st.integers(1900, 2100).map(lambda y: f"{y:04d}").flatmap(
    lambda y: st.sampled_from([y, y.translate(str.maketrans("0123456789", "٠١٢٣٤٥٦٧٨٩")),
                               y.translate(str.maketrans("0123456789", "０１２３４５６７８９"))]))


@settings(max_examples=200, deadline=None)
@given(_ascii_or_other_year, st.sampled_from(["", "-12", "-١٢", "-02-30", "-12-14"]))
def test_the_fast_parser_and_the_edtf_package_agree_on_digits(year, rest):
    text = year + rest
    fast = dates._parse_fast(text)
    try:
        theirs = dates.parse_with_edtf(text)
    except dates.DateError:
        theirs = None
    assert (fast is None) == (theirs is None)
    if fast is not None:
        assert fast == theirs
    else:
        with pytest.raises(dates.DateError):
            dates.parse(text)
