"""Reads for the public claim pages, each in a fixed number of queries.

Only published claims are public. Every function that feeds a public page starts
from `Claim.objects.published()`; staff preview is the one exception and says so.
"""

from django.db.models import Exists, OuterRef, Q

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


def recently_updated_claims(limit=8):
    return published_claims().order_by("-updated_at", "pk")[:limit]


def public_counts():
    """The home page's counts of what is public, as the writes that change them stored
    them (1 query); counted here, without storing, where they were never stored."""
    stored = dict(PublicFigure.objects.values_list("name", "value"))
    if set(stored) >= set(public_figures.FIGURES):
        return {name: stored[name] for name in public_figures.FIGURES}
    return public_figures.count_public()
