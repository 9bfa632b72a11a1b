"""The Atom feed of claims recently published or re-assessed.

An entry's "updated" date is the later of when the claim was published and when a
curator last added or changed a piece of its evidence, so a claim re-enters the feed
when new evidence changes (or confirms) its verdict. Both are stored with the record
and come back from a backup as they were; `assessed_at` is not used: a restore
recomputes every assessment, and every entry became the time of the restore.
"""

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims.models import Evidence
from reader import selectors
from reader.templatetags.reader_tags import level_label

FEED_LENGTH = 30


class RecentClaimsFeed(Feed):
    feed_type = Atom1Feed
    title = "Corroborate: claims recently published or re-assessed"
    subtitle = "Historical claims with the evidence behind them, and how strong that evidence is."

    def link(self):
        return reverse("claims:list")

    def items(self):
        return (
            selectors.published_claims()
            .annotate(
                evidence_changed=Subquery(
                    Evidence.objects.filter(claim=OuterRef("pk"))
                    .order_by("-updated_at")
                    .values("updated_at")[:1]
                ),
                # Coalesced both ways: SQLite's greatest of a NULL is NULL.
                last_change=Greatest(
                    Coalesce("published_at", "evidence_changed", "created_at"),
                    Coalesce("evidence_changed", "published_at", "created_at"),
                ),
            )
            .order_by("-last_change", "pk")[:FEED_LENGTH]
        )

    def item_title(self, item):
        return f"{item.statement} ({level_label(item)})"

    def item_description(self, item):
        verdict = f"Strength of the evidence: {level_label(item)}."
        return f"{verdict} {item.summary}".strip()

    def item_link(self, item):
        return item.get_absolute_url()

    def item_guid(self, item):
        return item.get_absolute_url()

    item_guid_is_permalink = True

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.last_change

    def item_categories(self, item):
        return [level_label(item)]
