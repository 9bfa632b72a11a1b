"""Template helpers for the public pages: the strength badge, dates in words, numbers
as readers want them, and links that change one query parameter."""

import datetime
import functools
import re
from decimal import ROUND_DOWN, Decimal

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

from claims import strength
from provenance import dates

register = template.Library()

# EDTF forms that are also valid HTML <time datetime> values.
_HTML_DATE = re.compile(r"^\d{4}(-\d{2}(-\d{2})?)?$")

MONTHS = dates.MONTHS


def as_level(value):
    """A strength.Level from a Level, its value ("strong"), or anything with a
    `strength_level` (a Claim). None stays None."""
    if value is None or value == "":
        return None
    if isinstance(value, strength.Level):
        return value
    level = getattr(value, "strength_level", value)
    level = getattr(level, "level", level)  # an Assessment
    return strength.Level(str(level))


@register.simple_tag
def strength_badge(value, *, size="", explain=False):
    """The badge for a level: its icon and its label, never colour alone.

    `value` is a Claim, an Assessment, a strength.Level or a level value. `size` is
    "" or "large"; with `explain`, the level's meaning follows in words.
    """
    return _badge_html(as_level(value), size, bool(explain))


@functools.lru_cache(maxsize=64)
def _badge_html(level, size, explain):
    # A badge depends on nothing else, and a page shows dozens (the what-if, the
    # timeline): each kind is rendered from its template once per process.
    context = {"level": level, "size": size, "explain": explain}
    return mark_safe(render_to_string("snippets/strength_badge.html", context))  # noqa: S308


@register.simple_tag
def edtf_date(edtf, unknown=""):
    """An EDTF date in words, in <time> when it is also an HTML date:
    {% edtf_date source.date %} renders snippets/date.html, once per date text."""
    return _date_html(edtf or "", unknown)


@functools.lru_cache(maxsize=4096)
def _date_html(edtf, unknown):
    context = {"edtf": edtf, "unknown": unknown}
    return mark_safe(render_to_string("snippets/date.html", context))  # noqa: S308


@register.filter
def level_label(value):
    """ "strong" → "Strong"; also takes a Level, a Claim or an Assessment."""
    level = as_level(value)
    return level.label if level else ""


@register.filter
def edtf_words(value):
    """An EDTF date in words: "1950-03/1950-04" → "March–April 1950"."""
    return dates.describe(value or "")


@register.filter
def html_datetime(value):
    """The EDTF text when it is also a valid HTML datetime value, else ""."""
    value = (value or "").strip()
    return value if _HTML_DATE.match(value) else ""


@register.filter
def day_words(value):
    """A date as "31 December 1969"."""
    if not isinstance(value, datetime.date):
        return ""
    return f"{value.day} {MONTHS[value.month - 1]} {value.year}"


@register.filter
def weight(value):
    """0.55 as "0.55", 1.0 as "1", 0.4400000001 as "0.44": no float noise, and up
    to three decimals so that worked sums add up."""
    if value is None or value == "":
        return ""
    return f"{round(float(value), 3):g}"


@register.filter
def percent(value):
    """0.727 as "72.7%", 0.5 as "50%": one decimal at most, so that 89.9% never
    reads as the 90% a threshold needs."""
    if value is None or value == "":
        return ""
    # Rounded down, so a score never appears to reach a threshold it misses.
    number = (Decimal(str(float(value))) * 100).quantize(Decimal("0.1"), rounding=ROUND_DOWN)
    return f"{number.normalize():f}%"


@register.simple_tag(takes_context=True)
def query_without(context, name, value=None):
    """The current query string without one parameter (or one of its values), and
    without the page number, starting with "?" (or "?" alone when nothing is left)."""
    query = context["request"].GET.copy()
    query.pop("page", None)
    if value is None:
        query.pop(name, None)
    else:
        kept = [item for item in query.getlist(name) if item != str(value)]
        if kept:
            query.setlist(name, kept)
        else:
            query.pop(name, None)
    encoded = query.urlencode()
    return f"?{encoded}" if encoded else "?"


@register.simple_tag(takes_context=True)
def query_with(context, name, value):
    """The current query string with one parameter set (replacing its values)."""
    query = context["request"].GET.copy()
    if name != "page":
        query.pop("page", None)
    query.setlist(name, [str(value)])
    return f"?{query.urlencode()}"
