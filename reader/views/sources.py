"""A source's page: what it is, who made it, where it is held, its custody, what it
cites and what cites it, the published claims it bears on, a citation to copy and
the same as files for reference managers; in its head, the Highwire Press tags and
schema.org JSON-LD from which Zotero's connector saves it (reader/exports/citations.py).

Only a public source has a page, and it lists only public sources among those it
cites and those citing it (claims/visibility.py). Its creators, archive and the
agents and events of its custody are public because it is. A custody finding names
the source that documents it by title, and links to it only where that source is public
itself, as the whole-archive download does (reader/archive.py)."""

from django.db.models import BooleanField, ExpressionWrapper, Prefetch, Q
from django.shortcuts import get_object_or_404, render

from claims import assessment
from claims.models import Evidence
from claims.visibility import public_sources, source_is_public
from provenance import graph
from provenance.models import (
    CUSTODY_AUTHENTICITY,
    CUSTODY_CREDIBILITY,
    Citation,
    CustodyEvent,
    Source,
    SourceCreator,
)
from reader import derivations, presenters
from reader.cache import record_key, shown
from reader.exports import citations
from reader.exports.citations import chicago_note
from reader.views.exports import CITATION_FORMATS, LABELS
from reader.views.lists import (
    LISTED_CLAIM,
    LISTED_SOURCE,
    PUBLISHED,
    by_date,
    list_page,
    listed,
    presentations_page,
    published_presentations,
)


def public_source_or_404(slug):
    """A public source with its archive, creators and custody events in date order, as
    its page and the API's source both read it (3 queries)."""
    return get_object_or_404(
        public_sources()
        .select_related("archive")
        .prefetch_related(
            Prefetch("creator_roles", queryset=SourceCreator.objects.select_related("agent")),
            Prefetch(
                "custody_events",
                queryset=CustodyEvent.objects.select_related("event", "documented_in")
                .annotate(
                    documented_in_public=ExpressionWrapper(
                        source_is_public("documented_in"), output_field=BooleanField()
                    )
                )
                .prefetch_related("agents")
                .order_by(*by_date("id")),
            ),
        ),
        slug=slug,
    )


def source_detail(request, slug):
    source = public_source_or_404(slug)
    shown(request, {record_key("source", source.pk)})
    custody = list(source.custody_events.all())
    creator_roles = list(source.creator_roles.all())
    citation = chicago_note(source=source, creator_roles=creator_roles)
    work = citations.cited(source, creator_roles)
    page_url = request.build_absolute_uri(source.get_absolute_url())
    since = assessment.status_since(source)  # the claim pages' reading, the same rule
    picture = picture_for_page(source)
    return render(
        request,
        "provenance/source_detail.html",
        {
            "source": source,
            "creator_roles": creator_roles,
            "custody_events": custody,
            "judgements": [
                (event, judged[event.kind])
                for event in custody
                for judged in (CUSTODY_AUTHENTICITY, CUSTODY_CREDIBILITY)
                if event.kind in judged
            ],
            "access_since": since["access"] and since["access"].record,
            "authenticity_since": since["authenticity"] and since["authenticity"].record,
            "credibility_since": since["credibility"] and since["credibility"].record,
            "evidence": list_page(
                request,
                Evidence.objects.filter(source=source, claim__status=PUBLISHED)
                .select_related("claim")
                .only("stance", "locator", *listed("claim", LISTED_CLAIM))
                .order_by("claim__statement", "claim_id"),
                name="claims",
            ),
            "cites": list_page(
                request,
                Citation.objects.filter(Q(citing=source) & source_is_public("cited"))
                .select_related("cited")
                .only("kind", "locator", "note", *listed("cited", LISTED_SOURCE))
                .order_by("cited__title", "cited_id"),
                name="cites",
            ),
            "cited_by": list_page(
                request,
                Citation.objects.filter(Q(cited=source) & source_is_public("citing"))
                .select_related("citing")
                .only("kind", "locator", *listed("citing", LISTED_SOURCE))
                .order_by("citing__title", "citing_id"),
                name="cited-by",
            ),
            "reported": presentations_page(
                request,
                published_presentations().filter(reported_in=source).order_by(*by_date("id")),
                name="reported",
            ),
            "picture": picture,
            "drawing": derivations.draw(picture, labelled_by="provenance-heading"),
            "citation": citation,
            "citation_files": [
                (media_type, f"provenance:source_{format}", label)
                for format, (_, media_type, _) in CITATION_FORMATS.items()
                for label in [LABELS[format]]
            ],
            "highwire_tags": citations.highwire_tags(work),
            "json_ld": presenters.json_ld_script(
                citations.json_ld(
                    work,
                    page_url=page_url,
                    agent_url=lambda agent: request.build_absolute_uri(agent.get_absolute_url()),
                )
            ),
            # Tall enough to show the whole note without scrolling, on a phone too.
            "citation_rows": max(3, len(citation) // 60 + 1),
        },
    )


def picture_for_page(source):
    """The source with what it derives from and what derives from it, the public ones
    nearest to it (reader/derivations.py): the two walks of the citation graph, then
    which of the sources they reach are public (3 queries; 2 without citations)."""
    ancestors = graph.ancestor_links({source.pk})
    descendants = graph.descendant_links({source.pk})
    asked = derivations.nearest_ids(source.pk, ancestors, descendants, most=derivations.MOST_ASKED)
    public_ids = set(
        Source.objects.filter(Q(pk__in=asked) & source_is_public()).values_list("pk", flat=True)
        if asked
        else ()
    )
    return derivations.source_picture(source, ancestors, descendants, public_ids)
