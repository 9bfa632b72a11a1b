"""Sitemaps of the public pages. `SITEMAPS` is the dict served at /sitemap.xml;
the provenance pages add their sitemaps to it in this module.

Only published claims are listed, and only the public sources, people and events
(claims/visibility.py): a record known only through a draft stays out.
"""

from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from claims import visibility
from reader import selectors


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
        return ["claims:home", "claims:list", "claims:methodology", "claims:download"]

    def location(self, name):
        return reverse(name)


class _ProvenanceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def lastmod(self, record):
        return record.updated_at


class SourceSitemap(_ProvenanceSitemap):
    def items(self):
        return visibility.public_sources().only("slug", "updated_at").order_by("pk")


class AgentSitemap(_ProvenanceSitemap):
    def items(self):
        return visibility.public_agents().only("slug", "updated_at").order_by("pk")


class EventSitemap(_ProvenanceSitemap):
    def items(self):
        return visibility.public_events().only("slug", "updated_at").order_by("pk")


SITEMAPS = {
    "claims": ClaimSitemap,
    "pages": StaticSitemap,
    "sources": SourceSitemap,
    "people": AgentSitemap,
    "events": EventSitemap,
}
