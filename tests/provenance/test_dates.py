"""Uncertain historical dates: how they are read, bounded and put into words."""

from datetime import date
from unittest import mock

import pytest
from django.core.exceptions import ValidationError
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from provenance.dates import (
    DateBounds,
    Ends,
    bounds_or_none,
    describe,
    ends,
    iso8601,
    parse,
    validate_edtf,
)

EXAMPLE = "1950-06-25"


def error_for(text):
    with pytest.raises(ValidationError) as caught:
        parse(text)
    assert caught.value.code == "invalid_edtf"
    (message,) = caught.value.messages
    return message


# Bounds


@pytest.mark.parametrize(
    ("text", "lower", "upper"),
    [
        ("1966", date(1966, 1, 1), date(1966, 12, 31)),
        ("1950-06", date(1950, 6, 1), date(1950, 6, 30)),
        ("1950-06-25", date(1950, 6, 25), date(1950, 6, 25)),
        ("1950-03/1950-04", date(1950, 3, 1), date(1950, 4, 30)),
        ("1950-03-01/1950-04-15", date(1950, 3, 1), date(1950, 4, 15)),
        ("1970/1974", date(1970, 1, 1), date(1974, 12, 31)),
        ("1949-12/1950-02", date(1949, 12, 1), date(1950, 2, 28)),
        ("195X", date(1950, 1, 1), date(1959, 12, 31)),
        ("19XX", date(1900, 1, 1), date(1999, 12, 31)),
        ("2004-06-XX", date(2004, 6, 1), date(2004, 6, 30)),
        ("1993-21", date(1993, 3, 1), date(1993, 5, 31)),
        ("1993-41", date(1993, 7, 1), date(1993, 12, 31)),
        ("[1667,1668]", date(1667, 1, 1), date(1668, 12, 31)),
        ("1950S2", date(1900, 1, 1), date(1999, 12, 31)),
    ],
)
def test_a_date_is_bounded_by_its_earliest_and_latest_day(text, lower, upper):
    assert parse(text) == DateBounds(lower, upper)


def test_an_approximate_date_sorts_where_it_is_written_not_a_margin_around_it():
    assert parse("1958-08~") == DateBounds(date(1958, 8, 1), date(1958, 8, 31))


def test_an_uncertain_date_keeps_its_day():
    assert parse("1950-05-13?") == DateBounds(date(1950, 5, 13), date(1950, 5, 13))
    assert parse("1950-05-13%") == DateBounds(date(1950, 5, 13), date(1950, 5, 13))


def test_a_range_with_an_approximate_start_spans_both_months():
    assert parse("1994-06~/1994-07") == DateBounds(date(1994, 6, 1), date(1994, 7, 31))


def test_february_ends_on_the_29th_in_a_leap_year():
    assert parse("1952-02").upper == date(1952, 2, 29)
    assert parse("1950-02").upper == date(1950, 2, 28)
    assert parse("2000-02-29") == DateBounds(date(2000, 2, 29), date(2000, 2, 29))


def test_an_open_start_has_no_lower_bound():
    assert parse("../1950") == DateBounds(None, date(1950, 12, 31))


def test_an_open_end_has_no_upper_bound():
    assert parse("1950/..") == DateBounds(date(1950, 1, 1), None)


def test_an_unknown_end_has_no_bound_rather_than_a_guessed_decade():
    assert parse("1950/") == DateBounds(date(1950, 1, 1), None)
    assert parse("/1950") == DateBounds(None, date(1950, 12, 31))


def test_a_set_open_before_its_only_member_has_no_lower_bound():
    assert parse("[..1760-12-03]") == DateBounds(None, date(1760, 12, 3))


def test_years_outside_what_a_date_column_holds_are_clamped():
    assert parse("-0050") == DateBounds(date.min, date.min)
    assert parse("Y170000002") == DateBounds(date.max, date.max)


def test_an_unspecified_year_with_29_february_stays_within_real_days():
    assert parse("195X-02-29") == DateBounds(date(1950, 2, 28), date(1959, 2, 28))


def test_surrounding_whitespace_is_ignored():
    assert parse("  1966\n") == parse("1966")


# Errors


def test_the_empty_string_is_not_a_date():
    assert EXAMPLE in error_for("   ")


@pytest.mark.parametrize(
    ("text", "problem"),
    [
        ("1950-13-01", "there is no month 13"),
        ("1950-13", "there is no month 13"),
        ("1950-00", "there is no month 00"),
        ("1993-42", "there is no month 42"),
        ("1950-02-30", "February 1950 has only 28 days"),
        ("1950-06-31", "June 1950 has only 30 days"),
        ("1950-06-00", "there is no day 00"),
        ("50", "the year has only two digits"),
        ("950", "write 0950 for the year 950"),
        ("25/06/1950", "write year-month-day: 1950-06-25"),
        ("06/25/1950", "write year-month-day: 1950-06-25"),
        ("05/06/1950", "so that day and month cannot be confused"),
        ("June 1950", "write the month as a number: 1950-06"),
        ("25 June 1950", "write the month as a number: 1950-06-25"),
        ("June 25, 1950", "write the month as a number: 1950-06-25"),
        ("circa June 1950", "write the month as a number: 1950-06~"),
        ("c. 1950", "write “about” as a tilde after the date: 1950~"),
        ("spring 1993", "write the season as a number: 1993-21"),
        ("the 1950s", "write a decade with an X: 195X"),
        ("195x", "write unknown digits as a capital X: 195X"),
        ("1950-1953", "write a range with a slash: 1950/1953"),
        ("1950-03 to 1950-04", "write a range with a slash: 1950-03/1950-04"),
        ("1950-X6", "an unknown month or day is written XX"),
        ("1950-04/1950-03", "it ends before it starts"),
        ("../..", "leave the date blank if it is unknown"),
        ("1950S2-12", "only a year on its own takes significant digits"),
        ("1" * 101, "longer than 100 characters"),
    ],
)
def test_an_unreadable_date_is_rejected_with_the_reason_and_an_example(text, problem):
    message = error_for(text)
    assert problem in message
    assert EXAMPLE in message


def test_29_february_in_a_common_year_is_rejected_although_edtf_accepts_it():
    assert "February 1950 has only 28 days" in error_for("1950-02-29")
    assert "February 1900 has only 28 days" in error_for("1900-02-29")


def test_an_unreadable_date_without_a_known_cause_still_shows_how_to_write_one():
    message = error_for("sometime after the war")
    assert message.startswith("“sometime after the war” is not a date we can read.")
    assert "1958-08~ (about August 1958)" in message


def test_forms_edtf_fails_on_with_other_exceptions_are_rejected_as_invalid():
    for text in ("../", "/..", "1950-1X-2X"):
        error_for(text)


# Validator and model helper


def test_the_validator_lets_a_blank_date_through():
    validate_edtf("")
    validate_edtf("   ")


def test_the_validator_rejects_an_unreadable_date():
    with pytest.raises(ValidationError):
        validate_edtf("1950-13")


def test_a_blank_or_unreadable_date_fills_no_bounds():
    assert bounds_or_none("") == DateBounds(None, None)
    assert bounds_or_none("June 1950") == DateBounds(None, None)
    assert bounds_or_none("1966") == DateBounds(date(1966, 1, 1), date(1966, 12, 31))


# Words


@pytest.mark.parametrize(
    ("text", "words"),
    [
        ("1950-06-25", "25 June 1950"),
        ("1950-06", "June 1950"),
        ("1966", "1966"),
        ("1950-03/1950-04", "March–April 1950"),
        ("1950-03-01/1950-04-15", "1 March – 15 April 1950"),
        ("1993-01-12/1993-01-15", "12–15 January 1993"),
        ("1949/1953", "1949–1953"),
        ("1949-12/1950-02", "December 1949 – February 1950"),
        ("1949-12-28/1950-01-03", "28 December 1949 – 3 January 1950"),
        ("1950-06-25/1950-06-25", "25 June 1950"),
        ("1958-08~", "about August 1958"),
        ("1950-05-13?", "possibly 13 May 1950"),
        ("1950-05-13%", "possibly about 13 May 1950"),
        ("195X", "the 1950s"),
        ("19XX", "the 1900s"),
        ("195X~", "about the 1950s"),
        ("2004-06-XX", "June 2004"),
        ("156X-12-25", "25 December in the 1560s"),
        ("XXXX-12-25", "25 December, year unknown"),
        ("1993-21", "spring 1993"),
        ("1993-24", "winter 1993"),
        ("1993-29", "spring 1993 (southern hemisphere)"),
        ("1993-33", "the first quarter of 1993"),
        ("1993-40", "the first half of 1993"),
        ("../1950", "until 1950"),
        ("1950/..", "from 1950"),
        ("1950/", "from 1950 (end unknown)"),
        ("/1950", "until 1950 (start unknown)"),
        ("1994-06~/1994-07", "about June 1994 – July 1994"),
        ("[1667,1668,1670..1672]", "1667, 1668 or 1670–1672"),
        ("{1960,1961-12}", "1960 and December 1961"),
        ("[..1760-12-03]", "3 December 1760 or earlier"),
        ("[1760-12..]", "December 1760 or later"),
        ("2004-06-11T10:10:10", "11 June 2004, 10:10:10"),
        ("-0050", "51 BC"),
        ("1950S2", "1900–1999 (estimated 1950)"),
    ],
)
def test_a_date_reads_in_words(text, words):
    assert describe(text) == words


def test_month_range_in_one_year_reads_as_march_to_april():
    assert describe("1950-03/1950-04") == "March–April 1950"


def test_qualifying_part_of_a_date_says_which_part():
    assert describe("1950-06~-25") == "25 June 1950 (year and month approximate)"
    assert describe("2004?-06-11") == "11 June 2004 (year uncertain)"
    assert describe("2004-?06-?11") == "11 June 2004 (month and day uncertain)"


def test_a_form_without_wording_falls_back_to_its_bounds():
    assert describe("2004-XX-25") == "between 25 January 2004 and 25 December 2004"


def test_a_blank_date_reads_as_nothing_so_templates_can_decide():
    assert describe("") == ""
    assert describe("  ") == ""


def test_an_unreadable_date_reads_as_written():
    assert describe("June 1950") == "June 1950"
    assert describe("1950-02-29") == "1950-02-29"


# Properties

EDTF_PIECES = st.sampled_from(
    ["1950", "0000", "-0050", "195X", "XXXX", "Y17E7", "S2", "-02", "-06", "-13", "-21", "-42"]
    + ["-XX", "-29", "-31", "-1X", "~", "?", "%", "/", "..", "[", "]", "{", "}", ",", " ", "x"]
)
TEXT = st.text(max_size=40) | st.lists(EDTF_PIECES, max_size=8).map("".join)
FUZZ = settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def test_a_year_with_a_long_exponent_is_refused_at_once_not_worked_out():
    with pytest.raises(ValidationError, match="exponent may be at most 20"):
        parse("Y17E71950195")
    parse("Y17E7")  # a short exponent is still read


@FUZZ
@given(TEXT)
def test_parsing_any_text_gives_ordered_bounds_or_a_validation_error(text):
    try:
        bounds = parse(text)
    except ValidationError:
        return
    if bounds.lower and bounds.upper:
        assert bounds.lower <= bounds.upper


@FUZZ
@given(TEXT)
def test_describing_any_text_never_raises(text):
    assert isinstance(describe(text), str)


@FUZZ
@given(TEXT)
@example("0000-21")
def test_the_ends_of_any_text_never_raise_and_lie_within_its_bounds(text):
    found = ends(text)
    if found is None:
        return
    bounds = bounds_or_none(text)
    # A bound at date.min or date.max stands for a year Python's dates cannot hold (year
    # 0 or earlier, or past 9999), at either end: "0000-21", spring of 1 BCE, has both
    # bounds at date.min while its ends keep year 0.
    clamped = (date.min, date.max)
    if found.start and bounds.lower and bounds.lower not in clamped:
        assert found.start[0] == bounds.lower.year
    if found.end and bounds.upper and bounds.upper not in clamped:
        assert found.end[0] == bounds.upper.year


# The ends other programs' formats take


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1950-05-14", Ends((1950, 5, 14), (1950, 5, 14))),
        ("1950-03/1950-04", Ends((1950, 3, None), (1950, 4, None))),
        ("1958-08~", Ends((1958, 8, None), (1958, 8, None), approximate=True)),
        ("1950-05-13?", Ends((1950, 5, 13), (1950, 5, 13), uncertain=True)),
        ("1950%", Ends((1950, None, None), (1950, None, None), True, True)),
        ("1993-23", Ends((1993, None, None), (1993, None, None), season=23)),
        ("195X", Ends((1950, None, None), (1959, None, None))),
        ("1950/..", Ends((1950, None, None), None)),
        ("1950-03-01/1950-04-30", Ends((1950, 3, 1), (1950, 4, 30))),
        ("", None),
        ("not a date", None),
    ],
)
def test_a_date_keeps_the_precision_it_was_written_in_for_other_formats(text, expected):
    assert ends(text) == expected


# The plain-date shortcut must read exactly as edtf does.

plain_parts = st.tuples(
    st.integers(min_value=1, max_value=2100).map(lambda year: f"{year:04d}"),
    st.one_of(st.none(), st.integers(min_value=0, max_value=13).map(lambda m: f"{m:02d}")),
    st.one_of(st.none(), st.integers(min_value=0, max_value=32).map(lambda d: f"{d:02d}")),
)


def plain_text(parts):
    year, month, day = parts
    text = year
    if month:
        text += f"-{month}"
        if day:
            text += f"-{day}"
    return text


plain_dates = st.one_of(
    st.builds(lambda p, q: plain_text(p) + q, plain_parts, st.sampled_from(["", "~", "?", "%"])),
    st.builds(lambda a, b: f"{plain_text(a)}/{plain_text(b)}", plain_parts, plain_parts),
)


def read_by_edtf_alone(text):
    """(bounds or the error, words) with the plain-date shortcut switched off."""
    with (
        mock.patch("provenance.dates._plain_bounds", return_value=None),
        mock.patch("provenance.dates._plain_words", return_value=None),
    ):
        try:
            bounds = parse(text)
        except ValidationError as error:
            bounds = error.messages
        return bounds, describe(text)


@settings(max_examples=300, deadline=None)
@given(text=plain_dates)
def test_plain_dates_read_as_edtf_reads_them(text):
    try:
        bounds = parse(text)
    except ValidationError as error:
        bounds = error.messages

    assert (bounds, describe(text)) == read_by_edtf_alone(text)


@pytest.mark.parametrize(
    "text, iso",
    [
        ("1966", "1966"),
        ("1950-06", "1950-06"),
        ("1950-06-25", "1950-06-25"),
        ("1958-08~", "1958-08"),
        ("1950-05-13?", "1950-05-13"),
        ("1950-03/1950-04", "1950-03/1950-04"),
        ("1950-06-20/1950-06-25", "1950-06-20/1950-06-25"),
        ("1970/1971", "1970/1971"),
        ("195X", "1950/1959"),
        ("1950-21", "1950-03/1950-05"),
        ("1950/..", "1950/.."),
        ("../1950-06", "../1950-06"),
        ("", ""),
        ("not a date", ""),
        ("-0044-03-15", ""),
    ],
)
def test_a_date_becomes_the_iso_8601_date_or_interval_schema_org_takes(text, iso):
    assert iso8601(text) == iso
