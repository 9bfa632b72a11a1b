"""The Atom feeds (RFC 4287): the site's claims recently published or re-assessed,
the same for one topic, and one claim's verdict changes and corrections.

Every entry has an absolute, permanent id (its absolute address: a claim's page, a
verdict's page as of the day it changed, an evidence item's anchor) and every feed an
author, the site. Dates are only ever stored ones, never the time of the request:

- a claim's "updated" date in the lists is the later of when the claim was published
  and when a curator last added or changed a piece of its evidence, so a claim
  re-enters the feed when new evidence changes (or confirms) its verdict. Both are
  stored with the record and come back from a backup as they were; `assessed_at` is
  not used: a restore recomputes every assessment, and every entry became the time
  of the restore;
- a claim's verdict changes are the changes of level in its strength timeline (as the
  claim page's history line shows them), dated by the day
  the evidence changed (a memoir published in 1970, a report declassified in 1993):
  the dates of custody events and sources as stored;
- its corrections and updates are the entries of its public log (claims/review.py:
  every change to a published claim, and verdicts moved by new findings), dated when
  they were made, as the claim page lists them; and its publication itself.
"""

import datetime
from dataclasses import dataclass

from django.contrib.syndication.views import Feed
from django.db.models import OuterRef, Subquery
from django.db.models.functions import Coalesce, Greatest
from django.http import Http404
from django.urls import reverse
from django.utils.feedgenerator import Atom1Feed

from claims import visibility
from claims.models import Evidence
from reader import selectors
from reader.cache import record_key, shown
from reader.presenters import SITE_NAME
from reader.templatetags.reader_tags import level_label

FEED_LENGTH = 30


class _SiteFeed(Feed):
    """What every feed shares: Atom, and the site as the author (RFC 4287 asks for an
    author on every entry; one on the feed covers them all)."""

    feed_type = Atom1Feed
    author_name = SITE_NAME

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        # The feed's id is its own address: its alternate page (Django's default) is
        # also the id of an entry in another feed (a claim's page, in the site's feed).
        feed.feed["id"] = request.build_absolute_uri(request.path)
        return feed


def _with_last_change(claims):
    return claims.annotate(
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
    ).order_by("-last_change", "pk")


class RecentClaimsFeed(_SiteFeed):
    title = "Corroborate: claims recently published or re-assessed"
    subtitle = "Historical claims with the evidence behind them, and how strong that evidence is."

    def link(self):
        return reverse("claims:list")

    def items(self):
        return _with_last_change(selectors.published_claims())[:FEED_LENGTH]

    def item_title(self, item):
        return f"{item.statement} ({level_label(item)})"

    def item_description(self, item):
        verdict = f"Strength of the evidence: {level_label(item)}."
        return f"{verdict} {item.summary}".strip()

    def item_link(self, item):
        return item.get_absolute_url()

    # No item_guid: the entry's id is then its absolute link, which Django builds.

    def item_pubdate(self, item):
        return item.published_at or item.created_at

    def item_updateddate(self, item):
        return item.last_change

    def item_categories(self, item):
        return [level_label(item)]


class TopicFeed(RecentClaimsFeed):
    """The claims filed under one public topic, or under a topic one or two levels
    below it, as the claim list's topic filter finds them."""

    def get_object(self, request, slug):
        topic = visibility.public_topics().filter(slug=slug).first()
        if topic is None:
            raise Http404("No public topic has this name.")
        shown(request, {record_key("topic", topic.pk)})
        return topic

    def title(self, topic):
        return f"Corroborate: claims about {topic.name}, recently published or re-assessed"

    def link(self, topic):
        return topic.get_absolute_url()

    def items(self, topic):
        claims = selectors.claims_under_topic(selectors.published_claims(), topic.slug)
        return _with_last_change(claims)[:FEED_LENGTH]


@dataclass(frozen=True)
class ClaimEntry:
    """One entry of a claim's own feed."""

    title: str
    summary: str
    link: str
    updated: datetime.datetime
    category: str


def _midnight(day):
    return datetime.datetime.combine(day, datetime.time(), tzinfo=datetime.UTC)


class ClaimFeed(_SiteFeed):
    """One claim's verdict changes (its strength timeline) and its log of corrections
    and updates, newest first."""

    def get_object(self, request, slug):
        claim = selectors.published_claims().filter(slug=slug).first()
        if claim is None:
            raise Http404("No published claim has this address.")
        return claim

    def title(self, claim):
        return f"Corroborate: the evidence for “{claim.statement}”"

    def subtitle(self, claim):
        return "How the strength of the evidence for this claim changed, and corrections to it."

    def link(self, claim):
        return claim.get_absolute_url()

    def get_feed(self, obj, request):
        feed = super().get_feed(obj, request)
        shown(request, obj.shown)
        return feed

    def items(self, claim):
        from reader.views.claims import claim_report

        report = claim_report(claim)
        claim.shown = report.shown  # for get_feed, which has the request
        page = claim.get_absolute_url()
        entries = []
        previous = None
        for step in report.steps:
            # A change of level, as the page's history line counts them (steps that
            # keep the level fold into the first); undated steps have no day to show.
            changed, previous = step.assessment.level != previous, step.assessment.level
            if step.date is None or not changed:
                continue
            moved = "; ".join(f"“{change.source.title}”: {change.words}" for change in step.changes)
            level = step.assessment.level.label
            entries.append(
                ClaimEntry(
                    title=f"{level} {step.when}",
                    summary=(
                        f"The strength of the evidence became {level} {step.when}"
                        + (f": {moved}." if moved else ".")
                    ),
                    link=f"{page}?as_of={step.date.isoformat()}",
                    updated=_midnight(step.date),
                    category="verdict",
                )
            )
        published = claim.published_at or claim.created_at
        entries.append(
            ClaimEntry(
                title=f"Published: {report.today.level.label}",
                summary=f"Published on {SITE_NAME}. {report.today.summary}",
                link=f"{page}#verdict-heading",
                updated=published,
                category="publication",
            )
        )
        entries += [
            ClaimEntry(
                title=f"{entry.get_kind_display()}: {entry.reason}",
                summary=(
                    f"{entry.get_kind_display()}: {entry.reason} {entry.verdict_words}".rstrip()
                ),
                link=f"{page}#correction-{entry.pk}",
                updated=entry.at_second,
                category=entry.kind,
            )
            for entry in report.corrections[:FEED_LENGTH]
        ]
        entries.sort(key=lambda entry: entry.updated, reverse=True)
        return entries[:FEED_LENGTH]

    def item_title(self, entry):
        return entry.title

    def item_description(self, entry):
        return entry.summary

    def item_link(self, entry):
        return entry.link

    def item_updateddate(self, entry):
        return entry.updated

    def item_categories(self, entry):
        return [entry.category]
