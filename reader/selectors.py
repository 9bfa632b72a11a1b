"""Reads for the public claim pages, each in a fixed number of queries.

Only published claims are public. Every function that feeds a public page starts
from `Claim.objects.published()`; staff preview is the one exception and says so.
"""

from django.db.models import Case, CharField, Count, Exists, F, OuterRef, Q, Value, When

from claims import public_figures
from claims.models import Claim, Correction, PublicFigure, Topic
from provenance import graph
from reader import records as page_records


def published_claims():
    return Claim.objects.published()


def claims_under_topic(claims, slug):
    """The claims filed under the topic, or under a topic one or two levels below it:
    as far down as claims.visibility.topic_is_public reaches, so a public topic always
    finds its claims (the claim list's filter and the topic's feed)."""
    topics = Topic.objects.filter(
        Q(slug=slug) | Q(parent__slug=slug) | Q(parent__parent__slug=slug)
    )
    return claims.filter(
        Exists(Claim.topics.through.objects.filter(claim=OuterRef("pk"), topic__in=topics))
    )


def claim_for_page(slug, *, user):
    """The claim at /claims/<slug>/ (1 query), or None.

    Staff may see a claim in any status (the page says it is a preview); everyone
    else only a published one.
    """
    claims = Claim.objects.all() if user.is_staff else Claim.objects.published()
    return claims.filter(slug=slug).first()


def subjects_and_topics_for_page(claim):
    """(subjects, topics) of the claim, as light records (1 query)."""
    return page_records.claim_subjects_and_topics(claim)


def evidence_for_page(claim):
    """The claim's evidence with everything its page shows, as light records (4
    queries however many items; see reader/records.py)."""
    return page_records.claim_evidence(claim)


def corrections_for_page(claim):
    """The claim's public log of corrections and updates, newest first (1 query).
    Only what an editor made or approved is in it: a pending change is not."""
    return list(
        Correction.objects.filter(claim_id=claim.pk)
        .order_by("-at", "-id")
        .only("at", "kind", "reason", "level_before", "level_after")
    )


def citation_links(source_ids):
    """Every citation reachable from the given sources, walked to the roots, in one
    query (provenance/graph.py), from the replica when there is one."""
    return graph.ancestor_links(source_ids)


def featured_claims(limit=6):
    return published_claims().filter(featured=True).order_by("-updated_at", "pk")[:limit]


# Six short cards (no summary) stand about as tall as one featured claim and the
# archive at a glance beside them.
def recently_updated_claims(limit=6):
    return published_claims().order_by("-updated_at", "pk")[:limit]


def claims_by_topic_and_level():
    """How many published claims stand at each level, over all and under each topic
    with no broader one, in one query: rows of (topic slug, topic name, strength rank,
    count), the totals with no slug and no name.

    A claim counts under a broad topic when it is filed under it or under a topic one
    or two levels below it, as the list's topic filter reaches, so every count is the
    length of the list it links to; a claim filed twice under one broad topic counts
    once. Ranks rather than levels: the (status, strength_rank) index gives the totals
    without reading the claims."""
    totals = (
        published_claims()
        .order_by()
        .values("strength_rank")
        .annotate(
            topic_slug=Value(None, output_field=CharField()),
            topic_name=Value(None, output_field=CharField()),
            claims=Count("pk"),
        )
        .values_list("topic_slug", "topic_name", "strength_rank", "claims")
    )
    by_topic = (
        Claim.topics.through.objects.filter(claim__status=Claim.Status.PUBLISHED)
        .annotate(
            topic_slug=_broadest("slug"),
            topic_name=_broadest("name"),
            strength_rank=F("claim__strength_rank"),
        )
        .filter(topic_slug__isnull=False)
        .order_by()
        .values("topic_slug", "topic_name", "strength_rank")
        .annotate(claims=Count("claim_id", distinct=True))
        .values_list("topic_slug", "topic_name", "strength_rank", "claims")
    )
    return list(totals.union(by_topic, all=True))


def _broadest(field):
    """`field` of the topic with no broader one that a claim's topic sits under (up to
    two levels), or NULL for a topic deeper than the list's topic filter reaches."""
    return Case(
        When(topic__parent__isnull=True, then=F(f"topic__{field}")),
        When(topic__parent__parent__isnull=True, then=F(f"topic__parent__{field}")),
        When(topic__parent__parent__parent__isnull=True, then=F(f"topic__parent__parent__{field}")),
        output_field=CharField(),
    )


def public_counts():
    """The home page's counts of what is public, as the writes that change them stored
    them (1 query); counted here, without storing, where they were never stored."""
    stored = dict(PublicFigure.objects.values_list("name", "value"))
    if set(stored) >= set(public_figures.FIGURES):
        return {name: stored[name] for name in public_figures.FIGURES}
    return public_figures.count_public()
