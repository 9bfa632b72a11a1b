"""The Jinja2 environment of the public pages (templates/reader/).

The public pages are rendered with Jinja2, the admin and the form widgets with
Django's own engine (docs/decisions.md says why: Django's template language rendered
the long claim pages more slowly, and its context, which refers to itself, kept the
whole page alive until the garbage collector ran).

The helpers are the ones the Django templates used, from the same code
(reader/templatetags/reader_tags.py and Django's default filters), so a page says
the same thing whichever engine renders it: the strength badge, dates in words,
weights and percentages rounded as readers want them, and Django's escaping rules
for the filters that turn text into HTML.
"""

from django.conf import settings
from django.contrib.humanize.templatetags.humanize import intcomma
from django.template import defaultfilters
from django.templatetags.static import static
from django.urls import reverse
from jinja2 import ChainableUndefined, Environment, StrictUndefined, pass_context

from reader.templatetags import reader_tags


def url(viewname, *args, **kwargs):
    """{{ url("claims:detail", slug=claim.slug) }}, as Django's {% url %}."""
    return reverse(viewname, args=args or None, kwargs=kwargs or None)


@pass_context
def query_with(context, name, value):
    return reader_tags.query_with(context, name, value)


@pass_context
def query_without(context, name, value=None):
    return reader_tags.query_without(context, name, value)


def environment(**options):
    # A value a template names but the page lacks (or an attribute of one) renders as
    # nothing, as in Django's templates, even with DEBUG on (Django's default then
    # prints it in the page). Tests set JINJA2_STRICT_UNDEFINED, so such a slip fails
    # a test instead.
    strict = getattr(settings, "JINJA2_STRICT_UNDEFINED", False)
    options["undefined"] = StrictUndefined if strict else ChainableUndefined
    env = Environment(**options)
    env.globals.update(
        url=url,
        static=static,
        strength_badge=reader_tags.strength_badge,
        edtf_date=reader_tags.edtf_date,
        query_with=query_with,
        query_without=query_without,
    )
    env.filters.update(
        intcomma=intcomma,
        weight=reader_tags.weight,
        percent=reader_tags.percent,
        level_label=reader_tags.level_label,
        edtf_words=reader_tags.edtf_words,
        html_datetime=reader_tags.html_datetime,
        day_words=reader_tags.day_words,
        # Django's own filters, which escape their input by default (autoescape=True).
        linebreaksbr=defaultfilters.linebreaksbr,
        linebreaks=defaultfilters.linebreaks_filter,
        pluralize=defaultfilters.pluralize,
        capfirst=defaultfilters.capfirst,
        truncatewords=defaultfilters.truncatewords,
        truncatechars=defaultfilters.truncatechars,
        yesno=defaultfilters.yesno,
        date=defaultfilters.date,
        filesizeformat=defaultfilters.filesizeformat,
    )
    return env
