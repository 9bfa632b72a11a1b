"""Files for other programs: a public source's citation, the citations of every source
behind a published claim (BibTeX, RIS, CSL-JSON), and a published claim's provenance
in W3C PROV (PROV-JSON, PROV-O Turtle). The builders are in reader/exports/.

Only public records: a source by the one visibility rule (claims/visibility.py), a
claim only while published. Every source gathered for a claim is public by that same
rule: its evidence's sources, the sources those derive from, and the sources that
reported a presentation of its evidence. Anything else, or a bad slug, is a 404.
Each read is a fixed number of queries; tests pin them.
"""

from dataclasses import dataclass

from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims.models import Evidence, Presentation
from claims.visibility import public_sources
from provenance.models import Agent, CustodyEvent, Source, SourceCreator
from reader import selectors
from reader.cache import record_key, shown
from reader.exports import citations
from reader.exports import prov as prov_export

# format: (builder, media type, file name ending)
CITATION_FORMATS = {
    "bibtex": (citations.bibtex, "application/x-bibtex", "bib"),
    "ris": (citations.ris, "application/x-research-info-systems", "ris"),
    "csl": (citations.csl_json, "application/vnd.citationstyles.csl+json", "csl.json"),
}
PROV_FORMATS = {
    "turtle": (prov_export.turtle, "text/turtle", "prov.ttl"),
    "json": (prov_export.prov_json, "application/json", "prov.json"),
}


@dataclass(frozen=True)
class ExportFile:
    """A file a claim page links to, visibly and in its head."""

    url: str
    media_type: str
    label: str
    title: str
    citations: bool


# The names readers see for each format.
LABELS = {
    "bibtex": "BibTeX",
    "ris": "RIS",
    "csl": "CSL-JSON",
    "turtle": "PROV-O Turtle",
    "json": "PROV-JSON",
}


def claim_files(slug):
    """The claim page's links to its exports (for a published claim only)."""
    files = [
        ExportFile(
            reverse(f"claims:sources_{format}", kwargs={"slug": slug}),
            media_type,
            LABELS[format],
            f"The sources of this claim as {LABELS[format]}",
            citations=True,
        )
        for format, (_, media_type, _) in CITATION_FORMATS.items()
    ]
    files += [
        ExportFile(
            reverse(f"claims:prov_{format}", kwargs={"slug": slug}),
            media_type,
            LABELS[format],
            # A PROV-JSON reader finds it by this title among the JSON links.
            "PROV-JSON"
            if format == "json"
            else f"The provenance of this claim as {LABELS[format]}",
            citations=False,
        )
        for format, (_, media_type, _) in PROV_FORMATS.items()
    ]
    return files


def _with_creators(queryset):
    """Sources with what a citation names: archive, and creators with their agents."""
    return queryset.select_related("archive").prefetch_related(
        Prefetch("creator_roles", queryset=SourceCreator.objects.select_related("agent"))
    )


def _file(content, *, media_type, filename, disposition="attachment"):
    response = HttpResponse(content, content_type=f"{media_type}; charset=utf-8")
    response["Content-Disposition"] = f'{disposition}; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _page_url(request):
    return lambda record: request.build_absolute_uri(record.get_absolute_url())


@require_safe
def source_citation(request, slug, format):
    """A public source's citation (2 queries: the source with its archive, its creators)."""
    source = get_object_or_404(_with_creators(public_sources()), slug=slug)
    shown(request, _keys_of_sources([source]))
    build, media_type, ending = CITATION_FORMATS[format]
    work = citations.cited(source, source.creator_roles.all())
    return _file(
        build([work], page_url=_page_url(request)),
        media_type=media_type,
        filename=f"{source.slug}.{ending}",
    )


@dataclass
class ClaimRecords:
    """What a published claim's exports read: the claim, its evidence, the
    presentations of its evidence, the citation links walked from its sources, and
    every source behind it."""

    claim: object
    evidence: list
    presentations: list
    links: list
    sources: list


def claim_records(slug, *, provenance):
    """The records behind the published claim at `slug`, or Http404. For the
    citations, 6 queries: the claim; its evidence; the sources reporting its
    presentations; the citation walk; the sources with their archives; their
    creators. For its provenance (`provenance=True`), 9: the presentations with
    their events and their presenters instead of the reports alone, and the sources'
    custody events and those events' agents as well."""
    claim = selectors.published_claims().filter(slug=slug).first()
    if claim is None:
        raise Http404("No published claim has this address.")
    evidence = list(
        Evidence.objects.filter(claim=claim).only("pk", "source_id", "stance").order_by("pk")
    )
    if provenance:
        presentations = list(
            Presentation.objects.filter(evidence__claim=claim)
            .select_related("event", "evidence")
            .prefetch_related(
                Prefetch("presenters", queryset=Agent.objects.order_by("sort_name", "name"))
            )
            .order_by("date_lower", "pk")
        )
        reported = {p.reported_in_id for p in presentations if p.reported_in_id}
    else:
        presentations = []
        reported = set(
            Presentation.objects.filter(evidence__claim=claim, reported_in__isnull=False)
            .order_by()
            .values_list("reported_in_id", flat=True)
            .distinct()
        )
    behind = {item.source_id for item in evidence}
    links = selectors.citation_links(behind) if behind else []
    ids = behind | reported | {link.cited_id for link in links}
    sources = _with_creators(Source.objects.filter(pk__in=ids))
    if provenance:
        sources = sources.prefetch_related(
            Prefetch(
                "custody_events",
                queryset=CustodyEvent.objects.select_related("event")
                .prefetch_related("agents")
                .order_by("date_lower", "id"),
            )
        )
    return ClaimRecords(
        claim, evidence, presentations, links, list(sources.order_by("date_lower", "title", "pk"))
    )


def _keys_of_sources(sources):
    """The surrogate keys of these sources, their archives and their makers."""
    keys = set()
    for source in sources:
        keys.add(record_key("source", source.pk))
        if source.archive_id:
            keys.add(record_key("agent", source.archive_id))
        keys.update(record_key("agent", role.agent_id) for role in source.creator_roles.all())
    return keys


def _keys_of_records(records, *, custody):
    """The surrogate keys of what a claim's files show: `_keys_of_sources` of its
    sources, the events and presenters of its presentations, and the events and agents
    of its sources' custody (PROV)."""
    keys = {record_key("claim", records.claim.pk), *_keys_of_sources(records.sources)}
    for presentation in records.presentations:
        if presentation.event_id:
            keys.add(record_key("event", presentation.event_id))
        keys.update(record_key("agent", agent.pk) for agent in presentation.presenters.all())
    for source in records.sources if custody else ():
        for event in source.custody_events.all():
            if event.event_id:
                keys.add(record_key("event", event.event_id))
            keys.update(record_key("agent", agent.pk) for agent in event.agents.all())
    return keys


@require_safe
def claim_citations(request, slug, format):
    """The citations of every source behind a published claim, in one file."""
    records = claim_records(slug, provenance=False)
    shown(request, _keys_of_records(records, custody=False))
    build, media_type, ending = CITATION_FORMATS[format]
    works = [citations.cited(source, source.creator_roles.all()) for source in records.sources]
    return _file(
        build(works, page_url=_page_url(request)),
        media_type=media_type,
        filename=f"{records.claim.slug}-sources.{ending}",
    )


@require_safe
def claim_provenance(request, slug, format):
    """A published claim's provenance in W3C PROV."""
    records = claim_records(slug, provenance=True)
    shown(request, _keys_of_records(records, custody=True))
    document = prov_export.claim_document(
        records,
        site=request.build_absolute_uri("/"),
        vocabulary=request.build_absolute_uri(reverse("claims:methodology")) + "#",
    )
    serialise, media_type, ending = PROV_FORMATS[format]
    return _file(
        serialise(document),
        media_type=media_type,
        filename=f"{records.claim.slug}.{ending}",
        disposition="inline",
    )
