"""Sitemaps of the public pages. `SITEMAPS` is the dict served at /sitemap.xml;
the provenance pages add their sitemaps to it in this module.

Only published claims are listed, and only the sources, people and events that a
published claim reaches: a record known only through a draft stays out.
"""

from django.contrib.sitemaps import Sitemap
from django.db.models import Exists, OuterRef
from django.urls import reverse

from claims.models import Claim, Evidence, Presentation
from provenance.models import Agent, Event, Source, SourceCreator
from reader import selectors

PUBLISHED = Claim.Status.PUBLISHED


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


class _ProvenanceSitemap(Sitemap):
    changefreq = "monthly"
    priority = 0.6

    def lastmod(self, record):
        return record.updated_at


class SourceSitemap(_ProvenanceSitemap):
    """Sources that bear on a published claim or report a presentation of its evidence."""

    def items(self):
        return (
            Source.objects.filter(
                Exists(Evidence.objects.filter(source=OuterRef("pk"), claim__status=PUBLISHED))
                | Exists(
                    Presentation.objects.filter(
                        reported_in=OuterRef("pk"), evidence__claim__status=PUBLISHED
                    )
                )
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )


class AgentSitemap(_ProvenanceSitemap):
    """People and organisations a published claim is about, who made a source it rests
    on, or who presented its evidence."""

    def items(self):
        return (
            Agent.objects.filter(
                Exists(
                    Claim.subjects.through.objects.filter(
                        agent=OuterRef("pk"), claim__status=PUBLISHED
                    )
                )
                | Exists(
                    SourceCreator.objects.filter(
                        agent=OuterRef("pk"), source__evidence__claim__status=PUBLISHED
                    )
                )
                | Exists(
                    Presentation.presenters.through.objects.filter(
                        agent=OuterRef("pk"), presentation__evidence__claim__status=PUBLISHED
                    )
                )
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )


class EventSitemap(_ProvenanceSitemap):
    """Events where evidence for a published claim was presented."""

    def items(self):
        return (
            Event.objects.filter(
                Exists(
                    Presentation.objects.filter(
                        event=OuterRef("pk"), evidence__claim__status=PUBLISHED
                    )
                )
            )
            .only("slug", "updated_at")
            .order_by("pk")
        )


SITEMAPS = {
    "claims": ClaimSitemap,
    "pages": StaticSitemap,
    "sources": SourceSitemap,
    "people": AgentSitemap,
    "events": EventSitemap,
}
