"""A source's page: what it is, who made it, where it is held, its custody, what it
cites and what cites it, the published claims it bears on, and a citation to copy.

Only a public source has a page, and it lists only public sources among those it
cites and those citing it (claims/visibility.py). Its creators, archive and the
agents and events of its custody are public because it is."""

from collections import defaultdict

from django.db.models import Prefetch, Q
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
from reader import derivations
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


def source_detail(request, slug):
    source = get_object_or_404(
        public_sources()
        .select_related("archive")
        .prefetch_related(
            Prefetch("creator_roles", queryset=SourceCreator.objects.select_related("agent")),
            Prefetch(
                "custody_events",
                queryset=CustodyEvent.objects.select_related("event", "documented_in")
                .prefetch_related("agents")
                .order_by(*by_date("id")),
            ),
        ),
        slug=slug,
    )
    custody = list(source.custody_events.all())
    creator_roles = list(source.creator_roles.all())
    citation = chicago_note(source=source, creator_roles=creator_roles)
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


# The citation to copy


def chicago_note(*, source, creator_roles):
    """A Chicago-style note for the source, as plain text to copy:

    Nikita Khrushchev, Khrushchev Remembers, trans. Strobe Talbott (Boston: Little,
    Brown, 1970).
    Joseph Stalin to Kim Il Sung, “Ciphered telegram,” 30 January 1950, f. 45, op. 1,
    d. 346, Archive of the President of the Russian Federation.

    Books and memoirs have their publication details in parentheses. An archival
    document (one with an archive or a reference) has its quoted title, its date of
    creation, reference and archive, then "published in" any later printing; anything
    else has its quoted title, publication details and date.
    """
    names = defaultdict(list)
    for role in creator_roles:
        names[role.role].append(role.agent.name)
    Role = SourceCreator.Role
    head = _names(names[Role.AUTHOR] + names[Role.SENDER])
    if head and names[Role.RECIPIENT]:
        head = f"{head} to {_names(names[Role.RECIPIENT])}"
    editors, compilers = names[Role.EDITOR], names[Role.COMPILER]
    if source.archive:
        # An archive that compiled the file is named once, as the archive.
        compilers = [name for name in compilers if name != source.archive.name]
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
    archive = source.archive.name if source.archive else ""
    if book and details:
        parts[-1] += f" ({details})"
        date_said = bool(source.date_lower and str(source.date_lower.year) in details)
        parts += [] if date_said else [date]
        parts += [source.archival_reference, archive]
    elif source.archival_reference or archive:
        # An archival document: its own date of creation, then where it is held; a
        # later printing comes last, so its years are not read as the document's.
        parts += [date, source.archival_reference, archive]
        parts += [f"published in {details}"] if details else []
    else:
        date_said = bool(details and source.date_lower and str(source.date_lower.year) in details)
        parts += [details] if details else []
        parts += [] if date_said else [date]
    parts.append(f"https://doi.org/{source.doi}" if source.doi else source.url)
    note = ", ".join(part for part in parts if part)
    # American punctuation: the comma after a quoted title goes inside the quotes.
    return note.replace("”, ", ",” ") + "."


def _names(names):
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"
