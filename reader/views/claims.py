"""The public pages about claims: home, list, claim (HTML and JSON), methodology,
robots.txt. The Atom feed is in feeds.py, the sitemaps in sitemaps.py.

Only published claims are public. Staff may preview a claim in any status on its HTML
page, under a banner; the JSON view serves published claims only, to everyone.
Every view reads its page in a fixed number of queries; tests pin them.
"""

import datetime

from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from claims import assessment, strength
from reader import derivations, glance, pagination, selectors
from reader import presenters as pages
from reader.cache import record_key, shown
from reader.filters import ClaimFilter
from reader.views import exports

CLAIMS_PER_PAGE = 20


@require_safe
def home(request):
    featured = list(selectors.featured_claims())
    recent = list(selectors.recently_updated_claims())
    shown(request, {record_key("claim", claim.pk) for claim in featured + recent})
    return render(
        request,
        "claims/home.html",
        {
            "featured": featured,
            "recent": recent,
            "counts": selectors.public_counts(),
            "glance": glance.archive_glance(selectors.claims_by_topic_and_level()),
        },
    )


@require_safe
def claim_list(request):
    """The published claims, filtered and sorted as the URL says, a page at a time
    (reader/filters.py, reader/pagination.py)."""
    filterset = ClaimFilter(
        request.GET,
        queryset=selectors.published_claims().defer("assessment_detail", "curator_note"),
    )
    subject_slug = filterset.canonical_subject()
    if subject_slug:
        # A name typed without JavaScript found its agent: the address names the slug.
        query = pagination.without_position(request.GET)
        query["subject"] = subject_slug
        return redirect(f"{reverse('claims:list')}?{query.urlencode()}")
    wanted = request.GET.get("page", "")
    page = pagination.claim_page(
        filterset.qs.prefetch_related("topics"),
        filterset.order,
        size=CLAIMS_PER_PAGE,
        after=request.GET.get("after"),
        before=request.GET.get("before"),
        last=wanted == "last",
        number=pagination.page_number(wanted),
    )
    shown(request, {record_key("claim", claim.pk) for claim in page.claims})
    return render(
        request,
        "claims/claim_list.html",
        {
            "filter": filterset,
            "form": filterset.form,
            "page": page,
            "page_links": pagination.page_links(page, request.GET),
            "claims": page.claims,
            "chips": filterset.chips(),
            "level_options": filterset.options("level"),
            "topic_options": filterset.options("topic"),
            "source_kind_options": filterset.options("source_kind"),
            "sort_options": filterset.options("sort"),
            "topic_feed": _topic_feed(filterset),
        },
    )


def _topic_feed(filterset):
    """The feed of the topic the list is filtered by, if one is."""
    topic = filterset.form.cleaned_data.get("topic") if filterset.is_valid() else ""
    return reverse("claims:topic_feed", kwargs={"slug": topic}) if topic else ""


def requested_report(request, slug, *, public_only):
    """The claim's report and the as-of problem, if any (7 queries, see the tests). A
    stored timeline and what-if that are out of date are worked out, not stored: a
    read never writes."""
    user = request.user if not public_only else _Anonymous
    claim = selectors.claim_for_page(slug, user=user)
    if claim is None:
        raise Http404("No published claim has this address.")
    as_of_error = None
    try:
        as_of = pages.parse_as_of(request.GET.get("as_of"))
    except pages.AsOfError as error:
        as_of, as_of_error = None, str(error)
    return claim_report(claim, as_of=as_of), as_of_error


def claim_report(claim, *, as_of=None):
    """The report on a claim as of a date (None: today), as its page, its JSON and its
    feed show it (7 queries)."""
    subjects, topics = selectors.subjects_and_topics_for_page(claim)
    evidence = selectors.evidence_for_page(claim)
    links = selectors.citation_links({item.source_id for item in evidence})
    facts = assessment.facts_from(evidence, links)
    detail = assessment.claim_detail(claim, facts)
    return pages.build_report(
        claim,
        evidence,
        facts,
        links,
        as_of=as_of,
        detail=detail,
        subjects=subjects,
        topics=topics,
        corrections=selectors.corrections_for_page(claim),
    )


class _Anonymous:
    is_staff = False


@require_safe
def claim_detail(request, slug):
    report, as_of_error = requested_report(request, slug, public_only=False)
    shown(request, report.shown)
    claim = report.claim
    json_ld = None
    if claim.is_public and report.as_of is None:
        json_ld = pages.json_ld_script(pages.claim_review(report, request))
    return render(
        request,
        "claims/claim_detail.html",
        {
            "claim": claim,
            "report": report,
            "assessment": report.assessment,
            "as_of_error": as_of_error,
            "as_of_value": request.GET.get("as_of", "") if as_of_error else "",
            "json_ld": json_ld,
            "preview": not claim.is_public,
            "canonical": request.build_absolute_uri(claim.get_absolute_url()),
            "json_url": reverse("claims:json", kwargs={"slug": claim.slug}),
            "export_files": exports.claim_files(claim.slug) if claim.is_public else [],
            "drawing": derivations.draw(report.picture, labelled_by="provenance-heading"),
        },
        status=400 if as_of_error else 200,
    )


@require_safe
def claim_json(request, slug):
    report, as_of_error = requested_report(request, slug, public_only=True)
    shown(request, report.shown)
    if as_of_error:
        return JsonResponse({"error": as_of_error, "parameter": "as_of"}, status=400)
    response = JsonResponse(
        pages.claim_json(report, request), json_dumps_params={"ensure_ascii": False, "indent": 2}
    )
    response["Access-Control-Allow-Origin"] = "*"
    return response


def methodology_context():
    """What the methodology page and docs/methodology.md say: the strength module's
    own description of its method, its levels and the rating used in JSON-LD."""
    method = strength.method_description()
    levels = []
    for level in method["levels"]:
        enum = strength.Level(level["value"])
        levels.append({**level, "level": enum, "rating": pages.RATING_VALUES[enum]})
    return {
        "method": method,
        "levels": levels,
        "example": worked_example(),
    }


def worked_example():
    """Two independent sources run through `strength.assess`, so the example on the
    page is the code's own arithmetic."""
    memoir = strength.SourceFacts(
        key="memoir",
        title="A participant's memoir",
        proximity=strength.Proximity.TESTIMONY,
        access_now=strength.Access.PUBLISHED,
        authenticity_now=strength.Authenticity.ACCEPTED,
        access_changes=((datetime.date(1970, 1, 1), strength.Access.PUBLISHED),),
    )
    report = strength.SourceFacts(
        key="report",
        title="An official report written from the records",
        proximity=strength.Proximity.OFFICIAL_RETROSPECTIVE,
        access_now=strength.Access.DECLASSIFIED,
        authenticity_now=strength.Authenticity.AUTHENTICATED,
        access_changes=((datetime.date(1993, 1, 13), strength.Access.DECLASSIFIED),),
    )
    evidence = [
        strength.EvidenceFacts(
            key=source.key,
            source_key=source.key,
            stance=strength.Stance.SUPPORTS,
            directness=strength.Directness.DIRECT,
        )
        for source in (memoir, report)
    ]
    sources = {memoir.key: memoir, report.key: report}
    both = strength.assess(evidence, sources, ())
    items = sorted(
        (item for line in both.lines for item in line.items), key=lambda item: item.title
    )
    return {
        "items": items,
        "both": both,
        "memoir_alone": strength.assess(evidence, sources, (), as_of=datetime.date(1980, 12, 31)),
    }


@require_safe
def methodology(request):
    return render(request, "claims/methodology.html", methodology_context())


@require_safe
def robots_txt(request):
    sitemap = request.build_absolute_uri(reverse("claims:sitemap"))
    lines = ["User-agent: *", "Disallow: /admin/", "", f"Sitemap: {sitemap}", ""]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")
