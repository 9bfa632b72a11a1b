"""The read API under /api/: what the public pages show, for programs, built on
django-ninja (docs/decisions.md). Its OpenAPI document is /api/openapi.json and its
documentation page /api/docs, a page of the site written from that document, with
Swagger UI's files from this site's own static files (ninja's, found because "ninja" is
an installed app) loaded when a reader asks for them (reader/api_docs.py): it works
offline.

Only what is public, by the pages' rule (claims/visibility.py): published claims, and
the sources, people and organisations, events and topics a published claim rests on.
The claim list takes the list page's filters, sorts and cursors (reader/filters.py,
reader/pagination.py); a claim answers what /claims/<slug>.json answers, from the same
report (reader/presenters.py). Every answer is cached and invalidated as the pages are,
with their HTTP caching headers (reader/cache.py: an ETag, so a request with
If-None-Match gets 304, Cache-Control and surrogate keys), and
`Access-Control-Allow-Origin: *`; a bad parameter answers 400 and an unknown record
404, each with a JSON body `{"error": ..., "parameter": ...}`. Every address answers HEAD
as GET without the body, and OPTIONS (a browser's CORS preflight) with the methods and
headers a page elsewhere may use. docs/api.md has it all.
"""

from functools import wraps
from typing import Literal

from django.db.models import Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404
from django.urls import URLPattern, reverse
from ninja import Field, NinjaAPI, Path, Query, Schema
from ninja.decorators import decorate_view
from ninja.errors import ValidationError
from ninja.renderers import JSONRenderer

from claims import assessment
from claims.models import Claim, Evidence
from claims.visibility import (
    event_is_public,
    public_agents,
    public_events,
    public_sources,
    public_topics,
    source_is_public,
)
from provenance import dates
from provenance.models import (
    CUSTODY_ACCESS,
    CUSTODY_AUTHENTICITY,
    CUSTODY_CREDIBILITY,
    Agent,
    Citation,
    CustodyEvent,
    Source,
    SourceCreator,
)
from reader import api_schemas as out
from reader import pagination, selectors
from reader import presenters as pages
from reader.api_docs import Documentation
from reader.cache import claim_page_versions, public_page, record_key, shown
from reader.filters import SORTS, ClaimFilter
from reader.views import claims as claim_views
from reader.views import people as people_views
from reader.views import sources as source_views
from reader.views.lists import (
    LISTED_CLAIM,
    LISTED_EVENT,
    LISTED_SOURCE,
    by_date,
    list_page,
    listed,
    presentations_page,
    published_presentations,
)

# What Django's <slug:> accepts, as the pages' addresses do; anything else names nothing.
SLUG_PATTERN = r"^[-a-zA-Z0-9_]+$"
SLUG_MAX_LENGTH = 120
DEFAULT_LIMIT = 20
MAX_LIMIT = 100
PAGE_MAX = 100_000


def open_data(versions=None):
    """Cache an answer as the pages are, with their ETag (answering 304 when the
    reader has it already) and caching headers, and let any site read it: a page
    elsewhere may fetch it."""

    def decorator(view):
        cached = public_page(view, versions) if versions else public_page(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            response = cached(request, *args, **kwargs)
            response["Access-Control-Allow-Origin"] = "*"
            return response

        return wrapped

    return decorator


class Renderer(JSONRenderer):
    # Names and quotations as written, as /claims/<slug>.json gives them.
    json_dumps_params = {"ensure_ascii": False}


# Read-only: anything else answers 405.
METHODS = ("GET", "HEAD", "OPTIONS")
# How long a browser may keep a preflight's answer (a day).
PREFLIGHT_MAX_AGE = 86_400


class ReadAPI(NinjaAPI):
    """django-ninja's API, whose every address also answers HEAD and OPTIONS.

    Ninja routes a request to the operation declared for its method, and declaring
    HEAD and OPTIONS beside each GET would put them in the OpenAPI document as
    operations of their own, so they are answered around its views instead."""

    @property
    def urls(self):
        patterns, app_name, namespace = super().urls
        return (
            [
                URLPattern(
                    pattern.pattern,
                    read_methods(pattern.callback),
                    pattern.default_args,
                    pattern.name,
                )
                for pattern in patterns
            ],
            app_name,
            namespace,
        )


def read_methods(view):
    """HEAD answered as GET is, without the body; OPTIONS with what may be asked (a
    CORS preflight names the method and headers it means to use); any other method 405
    in JSON."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if request.method == "HEAD":
            # The view, its cache and its ETag see the GET this stands for.
            request.method = "GET"
            try:
                response = view(request, *args, **kwargs)
            finally:
                request.method = "HEAD"
            if not response.streaming and response.status_code != 304:
                # The length the GET answer has, as HEAD may say (RFC 9110, 8.6).
                response["Content-Length"] = str(len(response.content))
                response.content = b""
            return response
        if request.method == "OPTIONS":
            response = HttpResponse(status=204)
            del response["Content-Type"]
            response["Allow"] = ", ".join(METHODS)
            response["Access-Control-Allow-Origin"] = "*"
            response["Access-Control-Allow-Methods"] = ", ".join(METHODS)
            # No credentials are ever involved, so any header may come (If-None-Match
            # is the one a reader of the ETags sends).
            response["Access-Control-Allow-Headers"] = "*"
            response["Access-Control-Max-Age"] = str(PREFLIGHT_MAX_AGE)
            return response
        if request.method != "GET":
            response = _error(request, "This API only reads: use GET.", status=405)
            response["Allow"] = ", ".join(METHODS)
            response["Access-Control-Allow-Origin"] = "*"
            return response
        return view(request, *args, **kwargs)

    return wrapped


api = ReadAPI(
    title="Corroborate read API",
    version="1",
    description=(
        "Published claims, the evidence behind them and where each source came from. "
        "Read-only, no key. Only what the public pages show. See docs/api.md."
    ),
    urls_namespace="api",
    renderer=Renderer(),
    # Swagger UI's deep links are links inside its buttons, which no reader can tell
    # apart; the page's own reference has an anchor for each operation (reader/api_docs.py).
    # Its syntax colours are inline styles under 4.5:1 on their dark ground.
    docs=Documentation(settings={"deepLinking": False, "syntaxHighlight": False}),
    docs_decorator=open_data(),
)


# Errors: JSON, with the parameter at fault


def _error(request, message, *, status, parameter=None):
    return api.create_response(request, {"error": message, "parameter": parameter}, status=status)


@api.exception_handler(ValidationError)
def bad_parameter(request, exc):
    problem = exc.errors[0] if exc.errors else {}
    # ("query", "from") or ("query", "query", "level", 0): where the value came from,
    # the schema it is read into, its name, its place in a list.
    where = problem.get("loc", ())
    names = [part for part in where[1:] if isinstance(part, str)]
    parameter = names[-1] if names else None
    if where and where[0] == "path":
        # A slug that is no slug names no record.
        return _error(request, "Nothing public has this address.", status=404)
    message = problem.get("msg", "This value is not accepted.")
    return _error(request, f"{parameter}: {message}", status=400, parameter=parameter)


@api.exception_handler(Http404)
def not_found(request, exc):
    return _error(request, str(exc) or "Nothing public has this address.", status=404)


class BadParameter(Exception):
    def __init__(self, parameter, message):
        super().__init__(message)
        self.parameter = parameter


@api.exception_handler(BadParameter)
def bad_value(request, exc):
    return _error(request, str(exc), status=400, parameter=exc.parameter)


ERRORS = {400: out.Error, 404: out.Error}


def _slug():
    return Path(..., pattern=SLUG_PATTERN, max_length=SLUG_MAX_LENGTH)


# Small pieces of the answers


def absolute(request, path):
    return request.build_absolute_uri(path)


def _date(record):
    return {
        "edtf": record.date or None,
        "words": record.date_in_words or None,
        "lower": record.date_lower.isoformat() if record.date_lower else None,
        "upper": record.date_upper.isoformat() if record.date_upper else None,
    }


def _event_ref(request, event):
    return {
        "slug": event.slug,
        "name": event.name,
        "url": absolute(request, event.get_absolute_url()),
    }


def _topic_ref(request, topic):
    return {
        "slug": topic.slug,
        "name": topic.name,
        "url": absolute(request, topic.get_absolute_url()),
    }


def _claim_ref(request, claim):
    return {
        "slug": claim.slug,
        "statement": claim.statement,
        "url": absolute(request, claim.get_absolute_url()),
        "api_url": absolute(request, reverse("api:claim", kwargs={"slug": claim.slug})),
        "level_code": claim.strength_level,
    }


def _paged(page, item):
    """A page of a list inside a record (reader/views/lists.py's pages)."""
    answer = {
        "page": page.number,
        "next_page": page.next_page_number() if page.has_next() else None,
        "previous_page": page.previous_page_number() if page.has_previous() else None,
        "results": [item(row) for row in page.object_list],
    }
    if page.paginator is not None:
        answer.update(count=page.paginator.count, pages=page.paginator.num_pages)
    return answer


def _page_of(name):
    return Query(1, alias=f"{name}-page", ge=1, le=PAGE_MAX, description=f"The page of `{name}`.")


def _slug_page(request, queryset, *, after, limit):
    """A page of records in slug order after the slug `after`, and the address of the
    next one (None at the end): a position, not a count, so any page costs the same."""
    if after:
        queryset = queryset.filter(slug__gt=after)
    rows = list(queryset.order_by("slug")[: limit + 1])
    following = None
    if len(rows) > limit:
        rows = rows[:limit]
        query = request.GET.copy()
        query["after"] = rows[-1].slug
        following = absolute(request, f"{request.path}?{query.urlencode()}")
    return rows, following


class SlugPaging(Schema):
    after: str | None = Field(
        None,
        pattern=SLUG_PATTERN,
        max_length=SLUG_MAX_LENGTH,
        description="The slug the page starts after (the `next` address names it).",
    )
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


# Claims

Levels = Literal[tuple(Claim.Level.values)]
SourceKinds = Literal[tuple(Source.Kind.values)]
Sorts = Literal[tuple(SORTS)]


class ClaimListQuery(Schema):
    q: str | None = Field(None, max_length=500, description="Words in the statement or summary.")
    level: list[Levels] = Field([], description="Strength levels (repeatable).")
    topic: str | None = Field(
        None, max_length=SLUG_MAX_LENGTH, description="A topic's slug; topics below it count."
    )
    subject: str | None = Field(
        None, max_length=200, description="The slug of a person or organisation the claim is about."
    )
    source_kind: SourceKinds | None = Field(
        None, description="Evidence from a source of this kind."
    )
    year_from: int | None = Field(None, alias="from", ge=1, le=9999)
    year_to: int | None = Field(None, alias="to", ge=1, le=9999)
    sort: Sorts = Field("updated", description="The order of the list.")
    after: str | None = Field(None, max_length=255, description="Read the page after this claim.")
    before: str | None = Field(None, max_length=255, description="Read the page before this claim.")
    page: Literal["last"] | None = Field(None, description="`last` reads the last page.")
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@api.get(
    "/claims",
    response={200: out.ClaimPage, **ERRORS},
    url_name="claims",
    tags=["claims"],
    summary="Published claims, filtered and sorted as on /claims/",
)
@decorate_view(open_data())
def claim_list(request, query: Query[ClaimListQuery]):
    """The claim list page's filters and sorts, a page at a time: `next` and `previous`
    read the claims after the last or before the first of this page. `count` counts up
    to 10,000 (`count_is_capped` beyond)."""
    filterset = ClaimFilter(
        request.GET,
        queryset=selectors.published_claims().defer("assessment_detail", "curator_note"),
    )
    if not filterset.is_valid():
        parameter, problems = next(iter(filterset.errors.items()))
        raise BadParameter(parameter, f"{parameter}: {' '.join(problems)}")
    page = pagination.claim_page(
        filterset.qs.prefetch_related("topics"),
        filterset.order,
        size=query.limit,
        after=query.after,
        before=query.before,
        last=query.page == "last",
    )
    if page.cursor_missing:
        parameter = "after" if query.after else "before"
        raise BadParameter(
            parameter,
            f"No published claim in this list has the slug “{query.after or query.before}”: "
            "start again from the first page.",
        )
    links = pagination.page_links(page, request.GET)
    shown(request, {record_key("claim", claim.pk) for claim in page.claims})
    return {
        "count": min(page.total, pagination.COUNT_LIMIT),
        "count_is_capped": page.total_is_capped,
        **{
            name: absolute(request, f"{request.path}{link}") if link else None
            for name, link in links.items()
        },
        "results": [_claim_summary(request, claim) for claim in page.claims],
    }


def _claim_summary(request, claim):
    return {
        **_claim_ref(request, claim),
        "summary": claim.summary,
        "date": _date(claim),
        "level": Claim.Level(claim.strength_level).label,
        "support": round(claim.support_score, 4),
        "contradiction": round(claim.contradiction_score, 4),
        "topics": [_topic_ref(request, topic) for topic in claim.topics.all()],
        "updated_at": claim.updated_at,
    }


@api.get(
    "/claims/{slug:slug}",
    response={200: out.ClaimOut, **ERRORS},
    url_name="claim",
    tags=["claims"],
    summary="A published claim, as /claims/<slug>.json",
)
@decorate_view(open_data(claim_page_versions))
def claim_detail(
    request,
    slug: str = _slug(),
    as_of: str | None = Query(
        None, max_length=64, description="A year, month or day: the evidence as it stood then."
    ),
):
    """The claim's verdict, timeline, lines of evidence and what-ifs: the shape of
    /claims/<slug>.json (docs/api.md), today or `as_of` a date."""
    report, as_of_error = claim_views.requested_report(request, slug, public_only=True)
    shown(request, report.shown)
    if as_of_error:
        raise BadParameter("as_of", as_of_error)
    return pages.claim_json(report, request)


# Sources


@api.get(
    "/sources",
    response={200: out.SourceList, **ERRORS},
    url_name="sources",
    tags=["sources"],
    summary="Public sources, in slug order",
)
@decorate_view(open_data())
def source_list(request, paging: Query[SlugPaging]):
    rows, following = _slug_page(
        request, public_sources().only(*LISTED_SOURCE), after=paging.after, limit=paging.limit
    )
    return {"next": following, "results": [_source_summary(request, row) for row in rows]}


def _source_summary(request, source):
    return {
        **pages.source_json(request=request, source=source),
        "api_url": absolute(request, reverse("api:source", kwargs={"slug": source.slug})),
    }


def _status(source, name, since):
    record = since[name] and since[name].record
    return {
        "value": getattr(source, name),
        "label": getattr(source, f"get_{name}_display")(),
        "since": (getattr(record, "date", None) or None) if record else None,
    }


@api.get(
    "/sources/{slug:slug}",
    response={200: out.SourceDetail, **ERRORS},
    url_name="source",
    tags=["sources"],
    summary="A public source: its makers, custody, citations and the claims it bears on",
)
@decorate_view(open_data())
def source_detail(
    request,
    slug: str = _slug(),
    claims_page: int = _page_of("claims"),
    cites_page: int = _page_of("cites"),
    cited_by_page: int = _page_of("cited-by"),
):
    """What the source's page shows: who made it, where it is held, its custody with
    the access, authenticity and credibility each step gave it, the public sources it
    cites and that cite it, and the published claims it bears on."""
    source = source_views.public_source_or_404(slug)
    shown(request, {record_key("source", source.pk)})
    since = assessment.status_since(source)
    evidence = list_page(
        request,
        Evidence.objects.filter(source=source, claim__status=Claim.Status.PUBLISHED)
        .select_related("claim")
        .only("stance", "locator", *listed("claim", LISTED_CLAIM))
        .order_by("claim__statement", "claim_id"),
        name="claims",
    )
    cites = list_page(
        request,
        Citation.objects.filter(Q(citing=source) & source_is_public("cited"))
        .select_related("cited")
        .only("kind", "locator", *listed("cited", LISTED_SOURCE))
        .order_by("cited__title", "cited_id"),
        name="cites",
    )
    cited_by = list_page(
        request,
        Citation.objects.filter(Q(cited=source) & source_is_public("citing"))
        .select_related("citing")
        .only("kind", "locator", *listed("citing", LISTED_SOURCE))
        .order_by("citing__title", "citing_id"),
        name="cited-by",
    )
    return {
        **_source_summary(request, source),
        "date_detail": _date(source),
        "proximity": source.effective_proximity.value,
        "language": source.language,
        "description": source.description,
        **{name: _status(source, name, since) for name in since},
        "archive": pages.agent_json(request=request, agent=source.archive)
        if source.archive
        else None,
        "archival_reference": source.archival_reference,
        "web_address": source.url,
        "publication_details": source.publication_details,
        "doi": source.doi,
        "isbn": source.isbn,
        "creators": [
            {"agent": pages.agent_json(request=request, agent=role.agent), "role": role.role}
            for role in source.creator_roles.all()
        ],
        "custody": [_custody(request, event) for event in source.custody_events.all()],
        "claims": _paged(
            evidence,
            lambda item: {
                "claim": _claim_ref(request, item.claim),
                "stance": item.stance,
                "locator": item.locator,
            },
        ),
        "cites": _paged(cites, lambda citation: _citation(request, citation, citation.cited)),
        "cited_by": _paged(
            cited_by, lambda citation: _citation(request, citation, citation.citing)
        ),
    }


def _citation(request, citation, other):
    return {
        "source": pages.source_json(request=request, source=other),
        "kind": citation.kind,
        "locator": citation.locator,
    }


def _custody(request, event):
    kind = CustodyEvent.Kind(event.kind)
    changes = {
        "access": CUSTODY_ACCESS.get(kind),
        "authenticity": CUSTODY_AUTHENTICITY.get(kind),
        "credibility": CUSTODY_CREDIBILITY.get(kind),
    }
    return {
        "kind": event.kind,
        "label": kind.label,
        "date": event.date or None,
        "date_words": event.date_in_words or None,
        "agents": [pages.agent_json(request=request, agent=agent) for agent in event.agents.all()],
        "event": _event_ref(request, event.event) if event.event else None,
        "note": event.note,
        "reference": event.reference,
        # As the source's page names it (reader/views/sources.py): by title, and as a
        # source only where that source is public.
        "documented_in": pages.source_json(request=request, source=event.documented_in)
        if event.documented_in and event.documented_in_public
        else None,
        "documented_in_title": event.documented_in.title if event.documented_in else None,
        **{name: value.value if value else None for name, value in changes.items()},
    }


# People and organisations


@api.get(
    "/agents",
    response={200: out.AgentList, **ERRORS},
    url_name="agents",
    tags=["people and organisations"],
    summary="Public people and organisations, in slug order",
)
@decorate_view(open_data())
def agent_list(request, paging: Query[SlugPaging]):
    rows, following = _slug_page(
        request,
        public_agents().only("slug", "name", "kind", "date"),
        after=paging.after,
        limit=paging.limit,
    )
    return {"next": following, "results": [_agent_summary(request, row) for row in rows]}


def _agent_summary(request, agent):
    return {
        **pages.agent_json(request=request, agent=agent),
        "kind": agent.kind,
        "api_url": absolute(request, reverse("api:agent", kwargs={"slug": agent.slug})),
        "date": agent.date or None,
        "date_words": dates.describe(agent.date) or None,
    }


@api.get(
    "/agents/{slug:slug}",
    response={200: out.AgentDetail, **ERRORS},
    url_name="agent",
    tags=["people and organisations"],
    summary="A public person or organisation",
)
@decorate_view(open_data())
def agent_detail(
    request,
    slug: str = _slug(),
    claims_page: int = _page_of("claims"),
    sources_page: int = _page_of("sources"),
    presented_page: int = _page_of("presented"),
    events_page: int = _page_of("events"),
    held_page: int = _page_of("held"),
):
    """What their page shows: the published claims about them, the public sources they
    made, the evidence they presented, the events they organised, the sources they
    hold, their other names and their public affiliations."""
    agent = people_views.public_agent_or_404(slug)
    shown(request, {record_key("agent", agent.pk)})
    roles = SourceCreator.objects.filter(Q(agent=agent) & source_is_public("source"))
    made = list_page(
        request,
        Source.objects.filter(pk__in=roles.values("source"))
        .only(*LISTED_SOURCE)
        .order_by(*by_date("title", "id")),
        name="sources",
        count=roles.values("source").distinct().count,
    )
    return {
        **_agent_summary(request, agent),
        "sort_name": agent.sort_name,
        "description": agent.description,
        "date_detail": _date(agent),
        "wikidata_id": agent.wikidata_id,
        "viaf_id": agent.viaf_id,
        "other_names": [
            {"name": name.name, "kind": name.kind, "note": name.note}
            for name in agent.other_names.all()
        ],
        "affiliations": [
            {
                "organisation": pages.agent_json(request=request, agent=affiliation.organisation),
                "role": affiliation.role,
                "date": affiliation.date or None,
                "date_words": affiliation.date_in_words or None,
            }
            for affiliation in agent.affiliations.all()
        ],
        "claims": _paged(
            list_page(
                request,
                Claim.objects.published()
                .filter(subjects=agent)
                .only(*LISTED_CLAIM)
                .order_by("statement", "id"),
                name="claims",
            ),
            lambda claim: _claim_ref(request, claim),
        ),
        "sources": _paged(made, lambda source: pages.source_json(request=request, source=source)),
        "presented": _presented(
            request, published_presentations().filter(presenters=agent).order_by(*by_date("id"))
        ),
        "events": _paged(
            list_page(
                request,
                agent.organised_events.filter(event_is_public())
                .only(*LISTED_EVENT)
                .order_by(*by_date("name", "id")),
                name="events",
            ),
            lambda event: _event_ref(request, event),
        ),
        "held": _paged(
            list_page(
                request,
                Source.objects.filter(Q(archive=agent) & source_is_public())
                .only(*LISTED_SOURCE)
                .order_by(*by_date("title", "id")),
                name="held",
            ),
            lambda source: pages.source_json(request=request, source=source),
        ),
    }


def _presented(request, queryset):
    """A page of presentations of evidence for published claims (uncounted, as on the
    pages: a busy presenter has thousands)."""
    return _paged(
        presentations_page(request, queryset, name="presented"),
        lambda presentation: {
            "date": presentation.date or None,
            "date_words": presentation.date_in_words or None,
            "claim": _claim_ref(request, presentation.evidence.claim),
            "stance": presentation.evidence.stance,
            "source": pages.source_json(request=request, source=presentation.evidence.source),
            "presenters": [
                pages.agent_json(request=request, agent=agent)
                for agent in presentation.presenters.all()
            ],
            "event": _event_ref(request, presentation.event) if presentation.event else None,
            "reported_in": (
                pages.source_json(request=request, source=presentation.reported_in)
                if presentation.reported_in
                else None
            ),
        },
    )


# Events


@api.get(
    "/events",
    response={200: out.EventList, **ERRORS},
    url_name="events",
    tags=["events"],
    summary="Public events, in slug order",
)
@decorate_view(open_data())
def event_list(request, paging: Query[SlugPaging]):
    rows, following = _slug_page(
        request, public_events().only(*LISTED_EVENT), after=paging.after, limit=paging.limit
    )
    return {"next": following, "results": [_event_summary(request, row) for row in rows]}


def _event_summary(request, event):
    return {
        **_event_ref(request, event),
        "api_url": absolute(request, reverse("api:event", kwargs={"slug": event.slug})),
        "date": event.date or None,
        "date_words": dates.describe(event.date) or None,
        "place": event.place,
    }


@api.get(
    "/events/{slug:slug}",
    response={200: out.EventDetail, **ERRORS},
    url_name="event",
    tags=["events"],
    summary="A public event: its organisers, what was presented there and what happened to sources",
)
@decorate_view(open_data())
def event_detail(
    request,
    slug: str = _slug(),
    presented_page: int = _page_of("presented"),
    custody_page: int = _page_of("custody"),
):
    event = get_object_or_404(
        public_events().prefetch_related(
            Prefetch("organisers", queryset=Agent.objects.order_by("sort_name", "name")),
        ),
        slug=slug,
    )
    shown(request, {record_key("event", event.pk)})
    custody = list_page(
        request,
        CustodyEvent.objects.filter(Q(event=event) & source_is_public("source"))
        .select_related("source")
        .only("kind", "date", "note", *listed("source", LISTED_SOURCE))
        .prefetch_related(Prefetch("agents", queryset=Agent.objects.only("slug", "name")))
        .order_by(*by_date("id")),
        name="custody",
    )
    return {
        **_event_summary(request, event),
        "date_detail": _date(event),
        "description": event.description,
        "web_address": event.url,
        "organisers": [
            pages.agent_json(request=request, agent=agent) for agent in event.organisers.all()
        ],
        "presented": _presented(
            request, published_presentations().filter(event=event).order_by(*by_date("id"))
        ),
        "custody": _paged(
            custody,
            lambda step: {
                "kind": step.kind,
                "label": CustodyEvent.Kind(step.kind).label,
                "date": step.date or None,
                "date_words": step.date_in_words or None,
                "note": step.note,
                "source": pages.source_json(request=request, source=step.source),
                "agents": [
                    pages.agent_json(request=request, agent=agent) for agent in step.agents.all()
                ],
            },
        ),
    }


# Topics


@api.get(
    "/topics",
    response={200: out.TopicList, **ERRORS},
    url_name="topics",
    tags=["topics"],
    summary="Topics of published claims, in slug order",
)
@decorate_view(open_data())
def topic_list(request, paging: Query[SlugPaging]):
    rows, following = _slug_page(
        request, public_topics().select_related("parent"), after=paging.after, limit=paging.limit
    )
    public_parents = _public_among({row.parent_id for row in rows})
    return {
        "next": following,
        "results": [_topic(request, row, public_parents) for row in rows],
    }


def _public_among(topic_ids):
    """Which of these topics are public (1 query; none when there are none)."""
    topic_ids = topic_ids - {None}
    if not topic_ids:
        return set()
    return set(public_topics().filter(pk__in=topic_ids).values_list("pk", flat=True))


def _topic(request, topic, public_parents):
    # A topic is public through claims up to two levels below it, so the broader topic
    # of a public one may not be: it is named only when it is.
    parent = topic.parent if topic.parent_id in public_parents else None
    return {
        **_topic_ref(request, topic),
        "api_url": absolute(request, reverse("api:topic", kwargs={"slug": topic.slug})),
        "claims_api_url": absolute(request, f"{reverse('api:claims')}?topic={topic.slug}"),
        "description": topic.description,
        "parent": _topic_ref(request, parent) if parent else None,
    }


@api.get(
    "/topics/{slug:slug}",
    response={200: out.TopicDetail, **ERRORS},
    url_name="topic",
    tags=["topics"],
    summary="A topic of published claims, with its public narrower topics",
)
@decorate_view(open_data())
def topic_detail(request, slug: str = _slug()):
    topic = get_object_or_404(public_topics().select_related("parent"), slug=slug)
    shown(request, {record_key("topic", topic.pk)})
    children = public_topics().filter(parent=topic).order_by("name", "slug")
    return {
        **_topic(request, topic, _public_among({topic.parent_id})),
        "children": [_topic_ref(request, child) for child in children],
    }


@open_data()
def unknown_address(request):
    """Any other address under /api/: a JSON 404, as the API's own."""
    return JsonResponse(
        {"error": "Nothing public has this address.", "parameter": None}, status=404
    )
