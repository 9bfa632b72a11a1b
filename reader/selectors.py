"""Reads for the public claim pages, each in a fixed number of queries.

Only published claims are public. Every function that feeds a public page starts
from `Claim.objects.published()`; staff preview is the one exception and says so.
"""

from dataclasses import dataclass

from django.db import connections, router

from claims import public_figures, services
from claims.models import Claim, PublicFigure
from provenance.models import Citation, Source
from reader import records as page_records


def published_claims():
    return Claim.objects.published()


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


@dataclass(frozen=True)
class CitationLink:
    """One citation between sources in a claim's lines of evidence."""

    citing_slug: str
    citing_title: str
    kind: str
    cited_slug: str
    cited_title: str

    @property
    def kind_label(self):
        return Citation.Kind(self.kind).label


def citation_links(source_ids):
    """Every citation reachable from the given sources, walked to the roots, in one
    query (a recursive common table expression, on SQLite and PostgreSQL alike).

    services.citation_pairs reads the same links with one query per generation of
    ancestors; this keeps the claim page's query count independent of how deep the
    chains of citation run.
    """
    source_ids = sorted({int(pk) for pk in source_ids})
    if not source_ids:
        return ()
    citation = Citation._meta.db_table
    source = Source._meta.db_table
    placeholders = ", ".join(["%s"] * len(source_ids))
    # The walk collects the citations themselves, each generation found through the
    # index on citing_id, and each source's slug and title is looked up by its key.
    # PostgreSQL cannot estimate a recursive result and guesses hundreds of rows for a
    # few dozen: joined to the sources, at 10,000 claims it hashed the whole source
    # table twice (16 ms instead of 2); walking the sources and joining the citations
    # afterwards hashed the whole citation table (100 ms at 100,000 claims).
    sql = f"""
        WITH RECURSIVE walk(citing_id, cited_id, kind) AS (
            SELECT c.citing_id, c.cited_id, c.kind FROM {citation} c
            WHERE c.citing_id IN ({placeholders})
            UNION
            SELECT c.citing_id, c.cited_id, c.kind FROM {citation} c
            JOIN walk w ON c.citing_id = w.cited_id
        )
        SELECT (SELECT s.slug FROM {source} s WHERE s.id = w.citing_id),
               (SELECT s.title FROM {source} s WHERE s.id = w.citing_id),
               w.kind,
               (SELECT s.slug FROM {source} s WHERE s.id = w.cited_id),
               (SELECT s.title FROM {source} s WHERE s.id = w.cited_id)
        FROM walk w
        ORDER BY 1, 4
    """  # noqa: S608 (table names come from the models; values are parameters)
    with connections[router.db_for_read(Citation)].cursor() as cursor:
        cursor.execute(sql, source_ids)
        return tuple(CitationLink(*row) for row in cursor.fetchall())


def claim_facts(evidence, links):
    """The strength module's facts from evidence read by `evidence_for_page` and
    links read by `citation_links`: no further queries."""
    return services.ClaimFacts(
        evidence=tuple(services.evidence_facts(item) for item in evidence),
        sources={item.source.slug: services.source_facts(item.source) for item in evidence},
        citations=tuple(sorted({(link.citing_slug, link.cited_slug) for link in links})),
    )


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
