"""Public pages about where evidence comes from: a source, a person or an
organisation, an event; and the search across claims, sources and people.

They live in the claims app because they show claims (only claims/ may use
provenance/). Only published claims ever appear on them. Each view reads its page in
a fixed number of queries, whatever the number of related rows, and shows each list
that grows with the archive a page at a time; the tests pin them.
"""

from collections import defaultdict

from django.core.paginator import Paginator
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


# What a listing shows of each record, and no more: a claim's stored timeline and
# what-if are a few kilobytes of JSON each, and the planner's time grows with every
# column asked for, so the wide rows of a full select would cost most of the page.
LISTED_CLAIM = ("slug", "statement", "strength_level")
LISTED_SOURCE = ("slug", "title", "kind", "date")
LISTED_EVENT = ("slug", "name", "date", "place")


def _listed(prefix, fields):
    return [f"{prefix}__{field}" for field in fields]


def _published_presentations():
    """Presentations of evidence for published claims, with what a listing shows but
    their sources: see `_presentations_page`."""
    return (
        Presentation.objects.filter(evidence__claim__status=PUBLISHED)
        .select_related("evidence__claim", "event")
        .only(
            "date",
            "note",
            "reported_in",
            "evidence__stance",
            "evidence__source",
            *_listed("evidence__claim", LISTED_CLAIM),
            *_listed("event", LISTED_EVENT),
        )
        .prefetch_related(Prefetch("presenters", queryset=Agent.objects.only("slug", "name")))
    )


# Every list on these pages that grows with the archive (a busy person presented
# thousands of pieces of evidence) is shown a page at a time, each list with its own
# page parameter so that one can be paged through while the others stay put and any
# page of any list can be bookmarked: /people/stalin/?claims-page=3. What belongs to
# the record itself (a source's creators and custody, a person's names and
# affiliations, an event's organisers) is short and shown whole.
PER_PAGE = 20
# Far beyond any list; a larger number would overflow the database's OFFSET.
MAX_PAGE = 100_000


def _page(request, queryset, *, name, count=None):
    """One page of a long list, with the exact count of the whole list, chosen by the
    `<name>-page` parameter. A page number that is not a number gives the first page,
    one out of range the last: an old bookmark to a list that has since shrunk still
    shows something sensible. `count` counts the list where the queryset's own count
    would read more rows than it needs."""
    parameter = f"{name}-page"
    paginator = Paginator(queryset, PER_PAGE)
    if count is not None:
        paginator.count = count()
    page = paginator.get_page(request.GET.get(parameter))
    page.parameter = parameter
    page.object_list = list(page.object_list)  # read here, with its prefetches
    return page


class UncountedPage:
    """One page of a list too long to count on every request: the presentations of a
    busy person or event. Counting the ones for published claims would read every one
    of thousands of rows; a page reads one row more than it shows, to know whether
    there is a next. It answers what a Paginator's page does, except the count."""

    paginator = None

    def __init__(self, queryset, *, number, parameter):
        self.number, self.parameter = number, parameter
        start = (number - 1) * PER_PAGE
        rows = list(queryset[start : start + PER_PAGE + 1])
        self.object_list = rows[:PER_PAGE]
        self._more = len(rows) > PER_PAGE

    def __len__(self):
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_next(self):
        return self._more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * PER_PAGE + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1

    def is_past_the_end(self):
        """A page number beyond the list (from an old bookmark or a typo)."""
        return self.number > 1 and not self.object_list


def _uncounted_page(request, queryset, *, name):
    """One page of a long list, without its count, chosen by the `<name>-page`
    parameter; a page number that is not a whole number above 0 gives the first."""
    parameter = f"{name}-page"
    try:
        number = min(max(1, int(request.GET.get(parameter, 1))), MAX_PAGE)
    except ValueError:
        number = 1
    return UncountedPage(queryset, number=number, parameter=parameter)


def _presentations_page(request, queryset, *, name):
    """A page of presentations, each given the source of its evidence and the source
    that reported it, both read in one query for the whole page. Joined into the
    page's own query they made it a join of seven tables, which PostgreSQL took longer
    to plan (about 10 ms) than to run."""
    page = _uncounted_page(request, queryset, name=name)
    presentations = page.object_list
    wanted = {presentation.evidence.source_id for presentation in presentations}
    wanted |= {presentation.reported_in_id for presentation in presentations}
    wanted.discard(None)
    sources = Source.objects.only(*LISTED_SOURCE).in_bulk(wanted)
    for presentation in presentations:
        presentation.evidence.source = sources[presentation.evidence.source_id]
        presentation.reported_in = sources.get(presentation.reported_in_id)
    return page


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
            "evidence": _page(
                request,
                Evidence.objects.filter(source=source, claim__status=PUBLISHED)
                .select_related("claim")
                .only("stance", "locator", *_listed("claim", LISTED_CLAIM))
                .order_by("claim__statement", "claim_id"),
                name="claims",
            ),
            "cites": _page(
                request,
                Citation.objects.filter(citing=source)
                .select_related("cited")
                .only("kind", "locator", "note", *_listed("cited", LISTED_SOURCE))
                .order_by("cited__title", "cited_id"),
                name="cites",
            ),
            "cited_by": _page(
                request,
                Citation.objects.filter(cited=source)
                .select_related("citing")
                .only("kind", "locator", *_listed("citing", LISTED_SOURCE))
                .order_by("citing__title", "citing_id"),
                name="cited-by",
            ),
            "reported": _presentations_page(
                request,
                _published_presentations().filter(reported_in=source).order_by(*_by_date("id")),
                name="reported",
            ),
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
        ),
        slug=slug,
    )
    # A source is listed once, with every role the agent had in making it.
    sources_made = (
        Source.objects.filter(pk__in=SourceCreator.objects.filter(agent=agent).values("source"))
        .only(*LISTED_SOURCE)
        .prefetch_related(
            Prefetch(
                "creator_roles",
                queryset=SourceCreator.objects.filter(agent=agent).order_by("position", "id"),
                to_attr="roles_of_agent",
            )
        )
    )
    return render(
        request,
        "provenance/agent_detail.html",
        {
            "agent": agent,
            "claims": _page(
                request,
                Claim.objects.published()
                .filter(subjects=agent)
                .only(*LISTED_CLAIM)
                .order_by("statement", "id"),
                name="claims",
            ),
            "sources_made": _page(
                request,
                sources_made.order_by(*_by_date("title", "id")),
                name="sources",
                # From the roles alone, without reading each source.
                count=SourceCreator.objects.filter(agent=agent).values("source").distinct().count,
            ),
            "presented": _presentations_page(
                request,
                _published_presentations().filter(presenters=agent).order_by(*_by_date("id")),
                name="presented",
            ),
            "members": _page(
                request,
                Affiliation.objects.filter(organisation=agent)
                .select_related("agent")
                .only("role", "date", "agent__slug", "agent__name")
                .order_by("agent__sort_name", "agent__name", "id"),
                name="members",
            ),
            "events": _page(
                request,
                agent.organised_events.only(*LISTED_EVENT).order_by(*_by_date("name", "id")),
                name="events",
            ),
            "held": _page(
                request,
                Source.objects.filter(archive=agent)
                .only("slug", "title", "archival_reference")
                .order_by(*_by_date("title", "id")),
                name="held",
            ),
        },
    )


def event_detail(request, slug):
    event = get_object_or_404(
        Event.objects.prefetch_related(
            Prefetch("organisers", queryset=Agent.objects.order_by("sort_name", "name")),
        ),
        slug=slug,
    )
    return render(
        request,
        "provenance/event_detail.html",
        {
            "event": event,
            # In the order they were presented, as on a person's page.
            "presented": _presentations_page(
                request,
                _published_presentations().filter(event=event).order_by(*_by_date("id")),
                name="presented",
            ),
            "custody": _page(
                request,
                CustodyEvent.objects.filter(event=event)
                .select_related("source")
                .only("kind", "date", "note", "source__slug", "source__title")
                .prefetch_related(Prefetch("agents", queryset=Agent.objects.only("slug", "name")))
                .order_by(*_by_date("id")),
                name="custody",
            ),
        },
    )


def search(request):
    # Control characters (a NUL would make PostgreSQL refuse the query) go, and runs of
    # spaces become one.
    text = "".join(
        char for char in request.GET.get("q", "") if char.isprintable() or char.isspace()
    )
    query = " ".join(text.split())
    context = {
        "query": query,
        "max_length": site_search.MAX_QUERY_LENGTH,
        "too_long": False,
        "no_words": False,
        "results": None,
    }
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
