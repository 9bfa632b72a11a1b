"""Addresses of records by slug, without running Django's `reverse` for every link.

A claim page links to every source, author, presenter and event it shows: a hundred
or more calls of `reverse`, a tenth of the page's time. The address of a slug view is
its pattern with the slug put in, so each view's pattern is reversed once (per script
prefix and URLconf, which can differ between requests and tests) and the slug put in
by string replacement. A slug that Django's slug converter would not accept goes
through `reverse` as before, so it fails in the same way.
"""

import re

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf, reverse

_MARK = "0slug0mark0"
_SLUG = re.compile(r"[-a-zA-Z0-9_]+")
_patterns = {}


def slug_url(viewname, slug):
    """`reverse(viewname, kwargs={"slug": slug})`, faster."""
    return slug_url_maker(viewname)(slug)


def slug_url_maker(viewname):
    """A function giving `slug_url(viewname, slug)` for any slug, for the current
    script prefix and URLconf: for pages that link to many records of one kind, as
    looking the prefix and URLconf up costs more than putting the slug in."""
    key = (viewname, get_script_prefix(), get_urlconf())
    pattern = _patterns.get(key)
    if pattern is None:
        pattern = _patterns[key] = reverse(viewname, kwargs={"slug": _MARK})

    def url(slug):
        if not isinstance(slug, str) or not _SLUG.fullmatch(slug):
            return reverse(viewname, kwargs={"slug": slug})
        return pattern.replace(_MARK, slug, 1)

    return url


@receiver(setting_changed)
def _forget_patterns(setting, **kwargs):
    if setting == "ROOT_URLCONF":
        _patterns.clear()
