"""The public pages' Jinja2 environment (config/jinja2.py): Django's helpers and
filters under the same names, and a missing value that fails loudly in tests but
renders as nothing when served."""

import datetime

import pytest
from django.template import engines
from jinja2 import ChainableUndefined
from jinja2.exceptions import UndefinedError

from claims import strength
from reader import environment as jinja2_config


def render(source, **context):
    return engines["jinja2"].from_string(source).render(context)


def test_the_helpers_say_what_the_django_templates_said():
    html = render(
        "{{ strength_badge(level) }}|{{ edtf_date('1950-06') }}|{{ 0.727|percent }}|"
        "{{ 0.4400000001|weight }}|{{ 1234567|intcomma }}|{{ 2|pluralize }}|{{ 1|pluralize }}|"
        "{{ url('claims:list') }}|{{ day|day_words }}",
        level=strength.Level.STRONG,
        day=datetime.date(1969, 12, 31),
    )
    badge, date, *rest = html.split("|")
    assert 'class="badge badge--strong"' in badge and "Strong" in badge
    assert date == '<time datetime="1950-06">June 1950</time>'
    assert rest == ["72.7%", "0.44", "1,234,567", "s", "", "/claims/", "31 December 1969"]


def test_text_is_escaped_and_django_safe_strings_are_not():
    from django.utils.safestring import mark_safe

    html = render(
        "{{ text }} {{ safe }} {{ note|linebreaksbr }}",
        text="<b>",
        safe=mark_safe("<i>x</i>"),
        note="a\n<b>",
    )
    assert html == "&lt;b&gt; <i>x</i> a<br>&lt;b&gt;"


def test_a_missing_value_fails_a_test():
    with pytest.raises(UndefinedError):
        render("{{ claim.no_such_field }}", claim=object())


def test_a_missing_value_renders_as_nothing_when_served(settings):
    settings.JINJA2_STRICT_UNDEFINED = False
    env = jinja2_config.environment(autoescape=True)
    assert env.undefined is ChainableUndefined
    assert env.from_string("[{{ request.GET.q }}]").render(request=object()) == "[]"
