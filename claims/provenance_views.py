"""Public pages about where evidence comes from: a source, a person or an
organisation, an event; and the search across claims, sources and people.

They live in the claims app because they show claims (only claims/ may use
provenance/). Only published claims ever appear on them. Each view reads its page in
a fixed number of queries, whatever the number of related rows; the tests pin them.
"""

from collections import defaultdict
from itertools import groupby

from django.db.models import F, Prefetch
from django.shortcuts import get_object_or_404, render

from claims import search as site_search
from claims.models import Claim, Evidence, Presentation
from provenance.models import (
    CUSTODY_ACCESS,
    CUSTODY_AUTHENTICITY,
    Affiliation,
    Agent,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

PUBLISHED = Claim.Status.PUBLISHED


def _by_date(*fields):
    """Oldest first, undated last on every database, then by the given fields."""
    return (F("date_lower").asc(nulls_last=True), *fields)


def _published_presentations():
    """Presentations of evidence for published claims, with what a listing shows."""
    return (
        Presentation.objects.filter(evidence__claim__status=PUBLISHED)
        .select_related("evidence__claim", "evidence__source", "event", "reported_in")
        .prefetch_related("presenters")
    )


def source_detail(request, slug):
    source = get_object_or_404(
        Source.objects.select_related("archive").prefetch_related(
            Prefetch("creator_roles", queryset=SourceCreator.objects.select_related("agent")),
            Prefetch(
                "custody_events",
                queryset=CustodyEvent.objects.select_related("event")
                .prefetch_related("agents")
                .order_by(*_by_date("id")),
            ),
            Prefetch("citations_made", queryset=Citation.objects.select_related("cited")),
            Prefetch("citations_received", queryset=Citation.objects.select_related("citing")),
            Prefetch(
                "evidence",
                queryset=Evidence.objects.filter(claim__status=PUBLISHED)
                .select_related("claim")
                .order_by("claim__statement"),
                to_attr="published_evidence",
            ),
            Prefetch(
                "reported_presentations",
                queryset=_published_presentations().order_by(*_by_date("id")),
                to_attr="published_reported_presentations",
            ),
        ),
        slug=slug,
    )
    custody = list(source.custody_events.all())
    creator_roles = list(source.creator_roles.all())
    citation = chicago_note(source=source, creator_roles=creator_roles)
    return render(
        request,
        "provenance/source_detail.html",
        {
            "source": source,
            "creator_roles": creator_roles,
            "custody_events": custody,
            "authenticity_history": [
                (event, CUSTODY_AUTHENTICITY[event.kind])
                for event in custody
                if event.kind in CUSTODY_AUTHENTICITY
            ],
            "access_since": _status_since(custody, CUSTODY_ACCESS, source.access),
            "authenticity_since": _status_since(custody, CUSTODY_AUTHENTICITY, source.authenticity),
            "citation": citation,
            # Tall enough to show the whole note without scrolling, on a phone too.
            "citation_rows": max(3, len(citation) // 60 + 1),
        },
    )


def _status_since(custody, status_of_kind, status_now):
    """The custody event that gave the source its present status, if the latest one
    recorded did (otherwise the record does not say since when)."""
    changes = [event for event in custody if event.kind in status_of_kind and event.date]
    if changes and status_of_kind[changes[-1].kind] == status_now:
        return changes[-1]
    return None


def agent_detail(request, slug):
    agent = get_object_or_404(
        Agent.objects.prefetch_related(
            "other_names",
            Prefetch(
                "affiliations",
                queryset=Affiliation.objects.select_related("organisation").order_by(
                    *_by_date("organisation__sort_name")
                ),
            ),
            Prefetch(
                "members",
                queryset=Affiliation.objects.select_related("agent").order_by(
                    "agent__sort_name", "agent__name"
                ),
            ),
            Prefetch(
                "claims_about",
                queryset=Claim.objects.published().order_by("statement"),
                to_attr="published_claims",
            ),
            Prefetch(
                "source_roles",
                queryset=SourceCreator.objects.select_related("source").order_by(
                    F("source__date_lower").asc(nulls_last=True),
                    "source__title",
                    "source_id",  # a source's roles side by side, for grouping
                    "position",
                ),
            ),
            Prefetch(
                "presentations",
                queryset=_published_presentations().order_by(*_by_date("id")),
                to_attr="published_presentations",
            ),
            Prefetch("organised_events", queryset=Event.objects.order_by(*_by_date("name"))),
            Prefetch("held_sources", queryset=Source.objects.order_by(*_by_date("title"))),
        ),
        slug=slug,
    )
    sources_made = [
        (source, [role.get_role_display().lower() for role in roles])
        for source, roles in groupby(agent.source_roles.all(), key=lambda role: role.source)
    ]
    return render(
        request,
        "provenance/agent_detail.html",
        {"agent": agent, "sources_made": sources_made},
    )


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.prefetch_related(
            Prefetch("organisers", queryset=Agent.objects.order_by("sort_name", "name")),
            Prefetch(
                "presentations",
                queryset=_published_presentations().order_by(
                    "evidence__claim__statement", "evidence__claim_id", *_by_date("id")
                ),
                to_attr="published_presentations",
            ),
            Prefetch(
                "custody_events",
                queryset=CustodyEvent.objects.select_related("source")
                .prefetch_related("agents")
                .order_by(*_by_date("source__title", "id")),
            ),
        ),
        slug=slug,
    )
    presented_by_claim = [
        (claim, list(presentations))
        for claim, presentations in groupby(
            event.published_presentations, key=lambda presentation: presentation.evidence.claim
        )
    ]
    return render(
        request,
        "provenance/event_detail.html",
        {"event": event, "presented_by_claim": presented_by_claim},
    )


def search(request):
    # Control characters (a NUL would make PostgreSQL refuse the query) go, and runs of
    # spaces become one.
    text = "".join(
        char for char in request.GET.get("q", "") if char.isprintable() or char.isspace()
    )
    query = " ".join(text.split())
    context = {"query": query, "max_length": site_search.MAX_QUERY_LENGTH}
    if len(query) > site_search.MAX_QUERY_LENGTH:
        context["too_long"] = True
    elif query and not site_search.query_words(query):
        # Only excluded words (-Mao) or punctuation: nothing to look for, and "every
        # record but these" would read the whole archive.
        context["no_words"] = True
    elif query:
        context["results"] = site_search.search(query)
    return render(request, "search/results.html", context)


# The citation to copy


def chicago_note(*, source, creator_roles):
    """A Chicago-style note for the source, as plain text to copy:

    Nikita Khrushchev, Khrushchev Remembers, trans. Strobe Talbott (Boston: Little,
    Brown, 1970).
    Joseph Stalin to Kim Il Sung, “Ciphered telegram,” 30 January 1950, f. 45, op. 1,
    d. 346, Archive of the President of the Russian Federation.

    Books and memoirs have their publication details in parentheses; everything else
    has a quoted title followed by its details, date, reference and archive.
    """
    names = defaultdict(list)
    for role in creator_roles:
        names[role.role].append(role.agent.name)
    Role = SourceCreator.Role
    head = _names(names[Role.AUTHOR] + names[Role.SENDER])
    if head and names[Role.RECIPIENT]:
        head = f"{head} to {_names(names[Role.RECIPIENT])}"
    editors, compilers = names[Role.EDITOR], names[Role.COMPILER]
    if not head and editors:
        head, editors = f"{_names(editors)}, {'eds.' if len(editors) > 1 else 'ed.'}", []
    elif not head and compilers:
        head, compilers = f"{_names(compilers)}, {'comps.' if len(compilers) > 1 else 'comp.'}", []

    book = source.kind in (Source.Kind.BOOK, Source.Kind.MEMOIR)
    parts = [head] if head else []
    parts.append(source.title if book else f"“{source.title}”")
    if names[Role.TRANSLATOR]:
        parts.append(f"trans. {_names(names[Role.TRANSLATOR])}")
    if editors:
        parts.append(f"ed. {_names(editors)}")
    if compilers:
        parts.append(f"comp. {_names(compilers)}")
    details = source.publication_details
    date = source.date_in_words
    date_said = bool(details and source.date_lower and str(source.date_lower.year) in details)
    if book and details:
        parts[-1] += f" ({details})"
    elif details:
        parts.append(details)
    if date and not date_said:
        parts.append(date)
    parts += [source.archival_reference, source.archive.name if source.archive else ""]
    parts.append(f"https://doi.org/{source.doi}" if source.doi else source.url)
    note = ", ".join(part for part in parts if part)
    # American punctuation: the comma after a quoted title goes inside the quotes.
    return note.replace("”, ", ",” ") + "."


def _names(names):
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"
