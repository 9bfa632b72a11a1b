"""Sitemaps of the public pages. `SITEMAPS` is the dict served at /sitemap.xml;
the provenance pages add their sitemaps to it in this module.

Only published claims are listed.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims import selectors


class ClaimSitemap(Sitemap):
    changefreq = "weekly"
    priority = 0.8

    def items(self):
        return selectors.published_claims().only("slug", "updated_at").order_by("pk")

    def lastmod(self, claim):
        return claim.updated_at


class StaticSitemap(Sitemap):
    changefreq = "daily"
    priority = 0.5

    def items(self):
        return ["claims:home", "claims:list", "claims:methodology"]

    def location(self, name):
        return reverse(name)


SITEMAPS = {
    "claims": ClaimSitemap,
    "pages": StaticSitemap,
}
