"""Uncertain historical dates, written in EDTF (the Library of Congress Extended
Date/Time Format): reading them, bounding them and putting them into words.

A date is stored as the EDTF text a curator wrote ("1950-03/1950-04", "1958-08~")
plus two bounds derived from it, the earliest and the latest day it can mean, so that
lists can be sorted and filtered by date. Pure: no database access.

Choices someone might otherwise undo:

- Bounds are edtf's *strict* bounds: "about August 1958" sorts and filters as August
  1958. edtf's fuzzy bounds widen an approximate date by a made-up margin (a month and
  a year either side, doubled for "%"); filters would then return "about August 1958"
  for 1957, and the order of a list would depend on that margin rather than on what
  the source says.
- An unknown end ("1950/", "/1950") gets no bound, like an open one ("1950/.."):
  edtf invents ten years for it, which no source says.
- Winter (24) is December of its year only, as in edtf; we follow the package.
- Bounds are clamped to what ``datetime.date`` can hold (years 1 to 9999).
- Stricter than edtf where edtf would store nonsense: 29 February of a common year,
  ranges that end before they start, "../.." and significant digits on anything but
  a year on its own.
"""

import calendar
import datetime
import functools
import re
from dataclasses import dataclass
from time import struct_time

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from edtf import (
    UA,
    Consecutives,
    Date,
    DateAndTime,
    EarlierConsecutives,
    Interval,
    LaterConsecutives,
    LongYear,
    MultipleDates,
    OneOfASet,
    PartialUncertainOrApproximate,
    Season,
    UncertainOrApproximate,
    UnspecifiedIntervalSection,
    parse_edtf,
)

# edtf's time grows with every member of a set, so cap what we hand it; real dates
# are far shorter.
MAX_LENGTH = 100

MONTHS = (
    "January",
    "February",
    "March",
    "April",
    "May",
    "June",
    "July",
    "August",
    "September",
    "October",
    "November",
    "December",
)

SEASONS = {
    21: "spring {year}",
    22: "summer {year}",
    23: "autumn {year}",
    24: "winter {year}",
    25: "spring {year} (northern hemisphere)",
    26: "summer {year} (northern hemisphere)",
    27: "autumn {year} (northern hemisphere)",
    28: "winter {year} (northern hemisphere)",
    29: "spring {year} (southern hemisphere)",
    30: "summer {year} (southern hemisphere)",
    31: "autumn {year} (southern hemisphere)",
    32: "winter {year} (southern hemisphere)",
    33: "the first quarter of {year}",
    34: "the second quarter of {year}",
    35: "the third quarter of {year}",
    36: "the fourth quarter of {year}",
    37: "the first third of {year}",
    38: "the second third of {year}",
    39: "the last third of {year}",
    40: "the first half of {year}",
    41: "the second half of {year}",
}


@dataclass(frozen=True)
class DateBounds:
    """The earliest and the latest day a date can mean; None where it is open."""

    lower: datetime.date | None
    upper: datetime.date | None


def parse(text: str) -> DateBounds:
    """Read an EDTF date and return its bounds, or raise ValidationError
    (code "invalid_edtf") saying what is wrong and how to write it."""
    text = text.strip()
    if not text:
        raise ValidationError(
            _("Enter a date. %(examples)s"), code="invalid_edtf", params={"examples": _examples()}
        )
    if len(text) > MAX_LENGTH:
        raise _invalid(text, _("it is longer than %(max)d characters") % {"max": MAX_LENGTH})
    plain = _plain_bounds(text)
    if plain is not None:
        return plain
    if any(int(exponent) > MAX_EXPONENT for exponent in _EXPONENT.findall(text)):
        # edtf works a year such as Y17E71950195 out in full: a long exponent hangs.
        raise _invalid(
            text, _("a year's exponent may be at most %(max)d, as in Y17E7") % {"max": MAX_EXPONENT}
        )
    if _PARTLY_UNSPECIFIED_MONTH_OR_DAY.search(text):
        # edtf cannot bound these, and prints a traceback note for some of them.
        raise _invalid(text, _diagnose(text))
    if re.search(r"\dS\d", text) and not _SIGNIFICANT_DIGITS_YEAR.fullmatch(text):
        # edtf accepts "1950S2-12" but bounds it as December 1950, ignoring the S.
        raise _invalid(text, _("only a year on its own takes significant digits, as in 1950S2"))
    parsed = _edtf(text)
    problem = _calendar_problem(text)
    if parsed is None or problem:
        raise _invalid(text, problem or _diagnose(text))
    if _is_open_at_both_ends(parsed):
        raise _invalid(text, _("it is open at both ends; leave the date blank if it is unknown"))
    try:
        lower, upper = _raw_bounds(parsed)
    except Exception:  # edtf parses a few forms it then cannot bound
        raise _invalid(text, _diagnose(text)) from None
    if lower and upper and lower > upper:
        raise _invalid(text, _("it ends before it starts"))
    return DateBounds(_clamped(lower), _clamped(upper))


def validate_edtf(value: str) -> None:
    """Validator for model fields; blank passes so that optional dates work."""
    if value and value.strip():
        parse(value)


def bounds_or_none(text: str) -> DateBounds:
    """Bounds for a model's date columns: none for a blank or unreadable date (model
    validation reports the unreadable one)."""
    try:
        return parse(text or "")
    except ValidationError:
        return DateBounds(None, None)


def iso8601(text: str) -> str:
    """The date as schema.org and other ISO 8601 readers take it: one date at the
    precision the EDTF gives ("1966", "1950-06", "1950-06-25"), or an interval between
    its bounds ("1950-03/1950-04", "1950/1959" for "195X", "1950/.." for an open end).
    Qualifiers (about, uncertain) have no ISO 8601 form and are dropped: "1958-08~"
    gives "1958-08". Blank or unreadable text, and years outside 1–9999, give "".
    Never raises."""
    bounds = bounds_or_none(text or "")
    lower, upper = bounds.lower, bounds.upper
    if (lower is None and upper is None) or {datetime.date.min, datetime.date.max} & {
        lower,
        upper,
    }:
        # Clamped years (before 1 AD, after 9999) would be wrong dates, not rough ones.
        return ""
    starts_a_year = lower is None or (lower.month, lower.day) == (1, 1)
    ends_a_year = upper is None or (upper.month, upper.day) == (12, 31)
    if starts_a_year and ends_a_year:
        start, end = _iso_year(lower), _iso_year(upper)
    elif (lower is None or lower.day == 1) and (
        upper is None or upper.day == _days_in_month(upper.year, upper.month)
    ):
        start, end = _iso_month(lower), _iso_month(upper)
    else:
        start, end = _iso_day(lower), _iso_day(upper)
    return start if start == end else f"{start}/{end}"


def _iso_year(day):
    return f"{day.year:04d}" if day else ".."


def _iso_month(day):
    return f"{day.year:04d}-{day.month:02d}" if day else ".."


def _iso_day(day):
    return day.isoformat() if day else ".."


def describe(text: str) -> str:
    """The date in words for readers ("March–April 1950", "about August 1958").

    Blank gives ""; text that is not a readable date comes back unchanged. Never
    raises: a page must not break on a bad date.
    """
    if not text or not text.strip():
        return ""
    text = text.strip()
    plain = _plain_words(text)
    if plain is not None:
        return plain
    return _described_by_edtf(text)


@dataclass(frozen=True)
class Ends:
    """A date as other programs' formats take it (citation managers, schema.org):
    its first and its last day to the precision written, each a (year, month, day)
    tuple with None for what is not given, the same tuple twice for a single date;
    None for an open end. A season keeps its EDTF number (21 spring … 24 winter)."""

    start: tuple | None
    end: tuple | None
    approximate: bool = False
    uncertain: bool = False
    season: int | None = None

    @property
    def is_single(self):
        return self.start == self.end


def ends(text: str) -> Ends | None:
    """The date's ends for other programs, or None for a blank or unreadable date.

    Plain dates keep the precision written ("1950-03/1950-04" ends in months). Any
    other form is given by its bounds, as coarse as they allow: "195X" is 1950–1959
    in years, not 1 January 1950 to 31 December 1959. Never raises."""
    text = (text or "").strip()
    if not text:
        return None
    reading = _plain_reading(text)
    if reading is not None:
        (start, end), qualifier = reading
        return Ends(
            start[0], end[0], approximate=qualifier in ("~", "%"), uncertain=qualifier in ("?", "%")
        )
    bounds = bounds_or_none(text)
    if bounds.lower is None and bounds.upper is None:
        return None
    approximate, uncertain = "~" in text or "%" in text, "?" in text or "%" in text
    parsed = _edtf(text)
    if isinstance(parsed, Season) and int(parsed.season) in SEASONS:
        year = (int(parsed.year), None, None)
        return Ends(year, year, approximate, uncertain, season=int(parsed.season))
    lower, upper = (
        None if day in (None, datetime.date.min, datetime.date.max) else day
        for day in (bounds.lower, bounds.upper)
    )
    return Ends(*_coarsest(lower, upper), approximate, uncertain)


def _coarsest(lower, upper):
    """The two bounds as years, months or days: the coarsest that says them exactly."""
    whole_years = (lower is None or (lower.month, lower.day) == (1, 1)) and (
        upper is None or (upper.month, upper.day) == (12, 31)
    )
    whole_months = (lower is None or lower.day == 1) and (
        upper is None or upper.day == calendar.monthrange(upper.year, upper.month)[1]
    )

    def cut(day):
        if day is None:
            return None
        if whole_years:
            return (day.year, None, None)
        if whole_months:
            return (day.year, day.month, None)
        return (day.year, day.month, day.day)

    return cut(lower), cut(upper)


def _described_by_edtf(text: str) -> str:
    try:
        bounds = parse(text)
    except Exception:
        return text
    try:
        return _words(_edtf(text))
    except Exception:  # a form we have no wording for: say what the bounds say, if they can
        clamped = {datetime.date.min, datetime.date.max} & {bounds.lower, bounds.upper}
        return text if clamped else _bounds_words(bounds)


# Plain dates without edtf
#
# edtf's parser is slow, and pages and fixture loads read many dates. Most dates in an
# archive are plain — a year, a month, a day, perhaps "about" or "possibly", or a range
# of two such — so these are read here directly; a property test holds the two readings
# equal.

_PLAIN_DATE = r"(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?"
_PLAIN_SINGLE = re.compile(_PLAIN_DATE + r"([~?%]?)")
_PLAIN_RANGE = re.compile(_PLAIN_DATE + "/" + _PLAIN_DATE)
_QUALIFIER_WORDS = {"": "", "~": "about ", "?": "possibly ", "%": "possibly about "}


def _plain_parts(year, month, day):
    """(year, month, day) as numbers with the day's bounds, or None if not a real date."""
    year, month, day = int(year), int(month) if month else None, int(day) if day else None
    if year < 1 or (month is not None and not 1 <= month <= 12):
        return None
    if month is None:
        return (year, None, None), datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    last_day = calendar.monthrange(year, month)[1]
    if day is None:
        first, last = datetime.date(year, month, 1), datetime.date(year, month, last_day)
        return (year, month, None), first, last
    if not 1 <= day <= last_day:
        return None
    return (year, month, day), datetime.date(year, month, day), datetime.date(year, month, day)


def _plain_reading(text):
    """((parts, lower, upper) of each end, qualifier) for a plain date or range, or None."""
    if match := _PLAIN_SINGLE.fullmatch(text):
        reading = _plain_parts(*match.groups()[:3])
        return ((reading, reading), match.group(4)) if reading else None
    if match := _PLAIN_RANGE.fullmatch(text):
        start, end = _plain_parts(*match.groups()[:3]), _plain_parts(*match.groups()[3:])
        if start and end and start[1] <= end[2]:
            return (start, end), ""
    return None


def _plain_bounds(text):
    reading = _plain_reading(text)
    if reading is None:
        return None
    (start, end), _qualifier = reading
    return DateBounds(start[1], end[2])


def _plain_words(text):
    reading = _plain_reading(text)
    if reading is None:
        return None
    (start, end), qualifier = reading
    if start is end:
        return _QUALIFIER_WORDS[qualifier] + _plain_date_words(*start[0])
    (y1, m1, d1), (y2, m2, d2) = start[0], end[0]
    if start[0] == end[0]:
        return _plain_date_words(y1, m1, d1)
    same_precision = (m1 is None) == (m2 is None) and (d1 is None) == (d2 is None)
    if same_precision and y1 == y2 and m1 is not None:
        if d1 is None:
            return f"{MONTHS[m1 - 1]}–{MONTHS[m2 - 1]} {y1}"
        if m1 == m2:
            return f"{d1}–{d2} {MONTHS[m1 - 1]} {y1}"
        return f"{d1} {MONTHS[m1 - 1]} – {d2} {MONTHS[m2 - 1]} {y2}"
    first, last = _plain_date_words(y1, m1, d1), _plain_date_words(y2, m2, d2)
    return f"{first}–{last}" if " " not in first + last else f"{first} – {last}"


def _plain_date_words(year, month, day):
    if month is None:
        return str(year)
    if day is None:
        return f"{MONTHS[month - 1]} {year}"
    return f"{day} {MONTHS[month - 1]} {year}"


# Reading


MAX_EXPONENT = 20
_EXPONENT = re.compile(r"Y-?\d+E(\d+)")


@functools.lru_cache(maxsize=1024)
def _edtf(text):
    try:
        return parse_edtf(text)
    except Exception:  # not only EDTFParseException: "../" raises TypeError
        return None


def _raw_bounds(parsed):
    """(year, month, day) tuples, None for an open or unknown end."""
    if getattr(parsed, "significant_digits", None):
        # "1950S2" is some year 1900-1999, estimated 1950; edtf's strict bounds give 1950.
        lower, upper = parsed.lower_fuzzy(), parsed.upper_fuzzy()
    else:
        lower, upper = parsed.lower_strict(), parsed.upper_strict()
    if isinstance(parsed, Interval) and isinstance(parsed.lower, UnspecifiedIntervalSection):
        lower = None
    if isinstance(parsed, Interval) and isinstance(parsed.upper, UnspecifiedIntervalSection):
        upper = None
    return _day_tuple(lower), _day_tuple(upper)


def _day_tuple(value):
    return tuple(value[:3]) if isinstance(value, struct_time) else None  # infinity is open


def _clamped(day):
    if day is None:
        return None
    year, month, day_of_month = day
    if year < datetime.MINYEAR:
        return datetime.date.min
    if year > datetime.MAXYEAR:
        return datetime.date.max
    # "195X-02-29": edtf bounds it by 1950-02-29 and 1959-02-29; the 28th is a real day
    # and only widens the bounds.
    return datetime.date(year, month, min(day_of_month, _days_in_month(year, month)))


def _days_in_month(year, month):
    return calendar.monthrange(2000 if calendar.isleap(year) else 2001, month)[1]


def _is_open_at_both_ends(parsed):
    return (
        isinstance(parsed, Interval)
        and isinstance(parsed.lower, UnspecifiedIntervalSection)
        and isinstance(parsed.upper, UnspecifiedIntervalSection)
    )


# Saying what is wrong


def _examples():
    return _(
        "Write dates in EDTF, for example 1950-06-25, 1950-06, 1950, 1950-03/1950-04 "
        "(a range), 1958-08~ (about August 1958), 1950-05-13? (uncertain)."
    )


def _invalid(text, reason):
    shown = text if len(text) <= 40 else text[:40] + "…"
    if reason:
        message = _("“%(value)s” is not a date we can read: %(reason)s. %(examples)s")
    else:
        message = _("“%(value)s” is not a date we can read. %(examples)s")
    return ValidationError(
        message,
        code="invalid_edtf",
        params={"value": shown, "reason": reason, "examples": _examples()},
    )


_PARTLY_UNSPECIFIED_MONTH_OR_DAY = re.compile(r"[\dX]{4}(?:-[\dX]{2})?-(?:\dX|X\d)(?![\dX])")
_SIGNIFICANT_DIGITS_YEAR = re.compile(r"Y?-?\d+(?:E\d+)?S\d+")
_YEAR_MONTH_DAY = re.compile(r"(?<![\dXY])(-?[\dX]{4})-(\d\d)(?:-(\d\d))?(?![\dX])")


def _calendar_problem(text):
    """A month or day that does not exist; edtf itself accepts 29 February of any year."""
    for year, month, day in _YEAR_MONTH_DAY.findall(re.sub(r"[~?%()]", "", text)):
        month_number = int(month)
        is_season = 21 <= month_number <= 41 and not day
        if not (1 <= month_number <= 12 or is_season):
            return _("there is no month %(month)s") % {"month": month}
        if not day or is_season:
            continue
        if day == "00":
            return _("there is no day 00")
        leap_year = 2000 if "X" in year else int(year)
        if int(day) > _days_in_month(leap_year, month_number):
            return _("%(month)s %(year)s has only %(days)d days") % {
                "month": MONTHS[month_number - 1],
                "year": year,
                "days": _days_in_month(leap_year, month_number),
            }
    return None


_MONTH_NAMES = {name.lower(): number for number, name in enumerate(MONTHS, start=1)}
_MONTH_NAMES |= {name[:3]: number for name, number in _MONTH_NAMES.items()} | {"sept": 9}
_SEASON_NAMES = {"spring": 21, "summer": 22, "autumn": 23, "fall": 23, "winter": 24}
_ABOUT = re.compile(r"(?:c|ca|circa|about|around|approx|approximately)\b\.?\s*", re.IGNORECASE)
_NUMERIC_DAY_MONTH_YEAR = re.compile(r"(\d{1,2})[/.](\d{1,2})[/.](\d{2}|\d{4})")
_SHORT_YEAR = re.compile(r"(\d{1,3})(?:-\d\d){0,2}[~?%]?")
_DASHED_RANGE = re.compile(r"(.+?)\s*(?:[–—]|\s-\s|\sto\s|(?<=\d)-(?=\d{4}(?!\d)))\s*(.+)")


def _diagnose(text):
    """Why edtf could not read the text, where that is cheap to tell; else None."""
    if _PARTLY_UNSPECIFIED_MONTH_OR_DAY.search(text):
        return _("an unknown month or day is written XX; only years take a single X, as in 195X")
    if "x" in text and _edtf(text.replace("x", "X")):
        return _("write unknown digits as a capital X: %(edtf)s") % {"edtf": text.replace("x", "X")}
    if re.search(r"\s", text) and _edtf(re.sub(r"\s", "", text)):
        return _("leave out the spaces: %(edtf)s") % {"edtf": re.sub(r"\s", "", text)}
    if match := _NUMERIC_DAY_MONTH_YEAR.fullmatch(text):
        return _day_month_year_reason(*match.groups())
    if match := _SHORT_YEAR.fullmatch(text):
        year = match.group(1)
        if len(year) == 2:
            return _("the year has only two digits; write it in full, for example 19%(year)s") % {
                "year": year
            }
        return _("a year has four digits: write %(padded)s for the year %(year)d") % {
            "padded": f"{int(year):04d}",
            "year": int(year),
        }
    match = _DASHED_RANGE.fullmatch(text)
    if match and _edtf(match.group(1)) and _edtf(match.group(2)):
        return _("write a range with a slash: %(edtf)s") % {"edtf": "/".join(match.groups())}
    return _words_reason(text)


def _day_month_year_reason(first, second, year):
    if len(year) == 2:
        return _("write year-month-day with a four-digit year, for example 1950-06-25")
    first, second = int(first), int(second)
    if first > 12 >= second:
        day, month = first, second
    elif second > 12 >= first:
        day, month = second, first
    else:
        return _(
            "write year-month-day, so that day and month cannot be confused: "
            "1950-06-25 for 25 June 1950"
        )
    return _("write year-month-day: %(edtf)s") % {"edtf": f"{year}-{month:02d}-{day:02d}"}


def _words_reason(text):
    """Dates written in words: "June 1950", "c. 1950", "spring 1993", "the 1950s"."""
    about = _ABOUT.match(text)
    rest = text[about.end() :] if about else text
    if about and _edtf(rest):
        return _("write “about” as a tilde after the date: %(edtf)s~") % {"edtf": rest}
    tilde = "~" if about else ""
    words = re.findall(r"[a-z]+|\d+", rest.lower())
    year = next((word for word in words if len(word) == 4 and word.isdigit()), None)
    if decade := re.search(r"(\d{3})0'?s\b", rest):
        return _("write a decade with an X: %(edtf)s") % {"edtf": decade.group(1) + "X" + tilde}
    if month := next((_MONTH_NAMES[word] for word in words if word in _MONTH_NAMES), None):
        if not year:
            return _("write the month as a number, for example 1950-06 for June 1950")
        day = next((word for word in words if len(word) <= 2 and word.isdigit()), None)
        edtf = f"{year}-{month:02d}" + (f"-{int(day):02d}" if day else "") + tilde
        return _("write the month as a number: %(edtf)s") % {"edtf": edtf}
    if season := next((_SEASON_NAMES[word] for word in words if word in _SEASON_NAMES), None):
        if year:
            return _("write the season as a number: %(edtf)s") % {"edtf": f"{year}-{season}"}
        return _(
            "write the season as a number after the year: 1993-21 for spring 1993 "
            "(21 spring, 22 summer, 23 autumn, 24 winter)"
        )
    return None


# Words


def _words(parsed):
    """Reader's words for an edtf object; raises for forms we have no wording for."""
    if isinstance(parsed, OneOfASet | MultipleDates):
        members = [_member_words(member) for member in parsed.objects]
        joiner = "or" if isinstance(parsed, OneOfASet) else "and"
        return _joined(members, joiner)
    if isinstance(parsed, Interval):
        return _interval_words(parsed)
    if isinstance(parsed, DateAndTime):
        return f"{_words(parsed.date)}, {parsed.time}"
    if isinstance(parsed, UncertainOrApproximate):
        return _qualified(_words(parsed.date), parsed.ua)
    if isinstance(parsed, PartialUncertainOrApproximate):
        return _partly_qualified_words(parsed)
    if isinstance(parsed, LongYear):
        return _year_words_with_significant_digits(parsed.estimated(), parsed.significant_digits)
    if isinstance(parsed, Season):
        return _season_words(parsed.season, parsed.year)
    if isinstance(parsed, Date):
        if parsed.significant_digits:
            return _year_words_with_significant_digits(int(parsed.year), parsed.significant_digits)
        return _qualified(
            _date_words(parsed.year, parsed.month, parsed.day), getattr(parsed, "ua", None)
        )
    raise ValueError(f"no words for {type(parsed).__name__}")


def _member_words(member):
    if isinstance(member, EarlierConsecutives):
        return f"{_words(member.upper)} or earlier"
    if isinstance(member, LaterConsecutives):
        return f"{_words(member.lower)} or later"
    if isinstance(member, Consecutives):
        return _range_words(member.lower, member.upper)
    return _words(member)


def _joined(items, joiner):
    if len(items) == 1:
        return items[0]
    return f"{', '.join(items[:-1])} {joiner} {items[-1]}"


def _interval_words(interval):
    start, end = interval.lower, interval.upper
    if isinstance(start, UnspecifiedIntervalSection):
        words = f"until {_words(end)}"
        return words if start.is_open else f"{words} (start unknown)"
    if isinstance(end, UnspecifiedIntervalSection):
        words = f"from {_words(start)}"
        return words if end.is_open else f"{words} (end unknown)"
    return _range_words(start, end)


def _range_words(start, end):
    """Shared parts said once: "1949–1953", "March–April 1950", "1 March – 15 April 1950"."""
    start, end = _unqualified(start), _unqualified(end)
    if str(start) == str(end):
        return _words(start)
    if _is_plain(start) and _is_plain(end) and _precision(start) == _precision(end):
        same_year = start.year == end.year
        if _precision(start) == "month" and same_year:
            return f"{_month(start)}–{_month(end)} {_year(start)}"
        if _precision(start) == "day" and same_year:
            if start.month == end.month:
                return f"{int(start.day)}–{int(end.day)} {_month(start)} {_year(start)}"
            return f"{int(start.day)} {_month(start)} – {int(end.day)} {_month(end)} {_year(end)}"
    first, last = _words(start), _words(end)
    if first == last:
        return first
    return f"{first}–{last}" if " " not in first + last else f"{first} – {last}"


def _unqualified(part):
    """Level-1 intervals wrap every end in UncertainOrApproximate, qualified or not."""
    if isinstance(part, UncertainOrApproximate) and not part.ua:
        return part.date
    return part


def _is_plain(part):
    return (
        type(part) is Date
        and not part.significant_digits
        and part.year.isdigit()
        and int(part.year) >= 1
    )


def _precision(date):
    return "day" if date.day else "month" if date.month else "year"


def _month(date):
    return MONTHS[int(date.month) - 1]


def _year(date):
    return _year_words(int(date.year))


def _year_words(year):
    return f"{1 - year} BC" if year < 1 else str(year)


def _date_words(year, month, day):
    """Words for a single date whose parts may hold X for unspecified digits."""
    month = None if month in (None, "XX") else MONTHS[int(month) - 1]
    day = None if day in (None, "XX") else int(day)
    year_words, year_is_phrase = _unspecified_year_words(year)
    if day and not month:
        raise ValueError("a day without a month")
    if not month:
        return year_words or "an unknown year"
    in_year = (
        f" {year_words}"
        if year_words and not year_is_phrase
        else f" in {year_words}"
        if year_words
        else ", year unknown"
    )
    return (f"{day} {month}" if day else month) + in_year


def _unspecified_year_words(year):
    """("1950", False), ("the 1950s", True) or (None, False) for XXXX."""
    if re.fullmatch(r"-?\d+", year):
        return _year_words(int(year)), False
    if year == "XXXX":
        return None, False
    if re.fullmatch(r"[1-9]\d\dX", year):
        return f"the {year[:3]}0s", True
    if re.fullmatch(r"[1-9]\dXX", year):
        return f"the {year[:2]}00s", True
    if re.fullmatch(r"[1-9]XXX", year):
        first = int(year[0]) * 1000
        return f"{first}–{first + 999}", True
    raise ValueError(f"no words for the year {year}")


def _qualified(words, ua):
    """Level-1 qualification applies to the whole date."""
    return _qualified_by_kinds(words, _ua_kinds(ua) if ua else set())


def _partly_qualified_words(date):
    """Level 2 qualifies parts of a date: "2004-06~-11" is year and month approximate."""
    if date.season:
        return _qualified(_words(date.season), date.season_ua)
    parts = {"year": set(), "month": set(), "day": set()}
    qualifiers = {
        "year": (date.year_ua, date.year_ua_b, date.year_month_ua),
        "month": (date.month_ua, date.year_month_ua, date.month_day_ua),
        "day": (date.day_ua, date.month_day_ua),
    }
    for part, uas in qualifiers.items():
        for ua in (*uas, date.all_ua):
            if isinstance(ua, UA):
                parts[part] |= _ua_kinds(ua)
    present = [part for part in parts if getattr(date, part)]
    plain = _date_words(date.year, date.month, date.day)
    kinds = {part: " and ".join(sorted(parts[part], reverse=True)) for part in present}
    if len(set(kinds.values())) == 1:  # one qualifier on the whole date
        return _qualified_by_kinds(plain, parts[present[0]])
    by_kind = {}
    for part in present:
        if kinds[part]:
            by_kind.setdefault(kinds[part], []).append(part)
    notes = ", ".join(f"{' and '.join(names)} {kind}" for kind, names in by_kind.items())
    return f"{plain} ({notes})"


def _ua_kinds(ua):
    if ua.is_uncertain_and_approximate:
        return {"uncertain", "approximate"}
    return {"uncertain"} if ua.is_uncertain else {"approximate"}


def _qualified_by_kinds(words, kinds):
    prefix = {
        frozenset({"uncertain", "approximate"}): "possibly about ",
        frozenset({"uncertain"}): "possibly ",
        frozenset({"approximate"}): "about ",
    }.get(frozenset(kinds), "")
    return prefix + words


def _season_words(season, year):
    return SEASONS[int(season)].format(year=_year_words(int(year)))


def _year_words_with_significant_digits(year, significant_digits):
    insignificant = len(str(abs(year))) - (significant_digits or 0)
    if not significant_digits or insignificant <= 0 or year < 1:
        return _year_words(year)
    first = year // 10**insignificant * 10**insignificant
    return f"{first}–{first + 10**insignificant - 1} (estimated {year})"


def _bounds_words(bounds):
    def day(value):
        return f"{value.day} {MONTHS[value.month - 1]} {value.year}"

    if bounds.lower is None and bounds.upper is None:
        return ""
    if bounds.lower is None:
        return f"until {day(bounds.upper)}"
    if bounds.upper is None:
        return f"from {day(bounds.lower)}"
    if bounds.lower == bounds.upper:
        return day(bounds.lower)
    return f"between {day(bounds.lower)} and {day(bounds.upper)}"
