"""Plain builders for the tests of the public claim pages.

Each takes what a test cares about and fills in the rest. Slugs come from the title
or name, made unique with a counter. Saving evidence, custody events and citations
fires the project's signals, so every claim's stored assessment is current.
"""

import itertools

from django.utils import timezone
from django.utils.text import slugify

from claims.models import Claim, Evidence, Presentation, Topic
from provenance.models import Agent, Citation, CustodyEvent, Event, Source, SourceCreator

_counter = itertools.count(1)


def _slug(text):
    return f"{slugify(text)[:90]}-{next(_counter)}"


def make_agent(name, *, kind=Agent.Kind.PERSON, **fields):
    return Agent.objects.create(slug=_slug(name), name=name, kind=kind, **fields)


def make_topic(name, *, parent=None):
    return Topic.objects.create(slug=_slug(name), name=name, parent=parent)


def make_event(name, *, date="", place="", **fields):
    return Event.objects.create(slug=_slug(name), name=name, date=date, place=place, **fields)


def make_source(
    title,
    *,
    kind=Source.Kind.BOOK,
    date="",
    access=Source.Access.PUBLISHED,
    authenticity=Source.Authenticity.ACCEPTED,
    authors=(),
    custody=(),
    **fields,
):
    """`custody` is a list of (CustodyEvent.Kind, EDTF date) pairs."""
    source = Source.objects.create(
        slug=_slug(title),
        title=title,
        kind=kind,
        date=date,
        access=access,
        authenticity=authenticity,
        **fields,
    )
    for position, agent in enumerate(authors):
        SourceCreator.objects.create(source=source, agent=agent, position=position)
    for kind_, when in custody:
        CustodyEvent.objects.create(source=source, kind=kind_, date=when)
    return source


def make_claim(
    statement,
    *,
    status=Claim.Status.PUBLISHED,
    subjects=(),
    topics=(),
    published_at=None,
    **fields,
):
    if status == Claim.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    claim = Claim.objects.create(
        slug=_slug(statement),
        statement=statement,
        status=status,
        published_at=published_at,
        **fields,
    )
    claim.subjects.set(subjects)
    claim.topics.set(topics)
    return claim


def add_evidence(
    claim,
    source,
    *,
    stance=Evidence.Stance.SUPPORTS,
    directness=Evidence.Directness.DIRECT,
    presentations=(),
    **fields,
):
    """`presentations` are dicts of Presentation fields, with `presenters` a list."""
    evidence = Evidence.objects.create(
        claim=claim, source=source, stance=stance, directness=directness, **fields
    )
    for presentation in presentations:
        presentation = dict(presentation)
        presenters = presentation.pop("presenters", ())
        made = Presentation.objects.create(evidence=evidence, **presentation)
        made.presenters.set(presenters)
    claim.refresh_from_db()
    return evidence


def cite(citing, cited, *, kind=Citation.Kind.CITES):
    return Citation.objects.create(citing=citing, cited=cited, kind=kind)


def korean_war_claim(*, status=Claim.Status.PUBLISHED, statement=None):
    """The worked example in small: a memoir public from 1970 and doubted then,
    authenticated in 1990; a 1966 report declassified and presented in January 1993,
    reported by AP; the telegrams the report summarises, declassified in 1994."""
    stalin = make_agent("Joseph Stalin")
    weathersby = make_agent("Kathryn Weathersby")
    holloway = make_agent("David Holloway")
    khrushchev = make_agent("Nikita Khrushchev")
    conference = make_event(
        "CWIHP conference on Cold War history",
        date="1993-01-12/1993-01-15",
        place="Russian Academy of Sciences, Moscow",
    )
    memoir = make_source(
        "Khrushchev Remembers",
        kind=Source.Kind.MEMOIR,
        date="1970",
        authors=[khrushchev],
        authenticity=Source.Authenticity.AUTHENTICATED,
        custody=[
            (CustodyEvent.Kind.PUBLISHED, "1970"),
            (CustodyEvent.Kind.DOUBTED, "1970"),
            (CustodyEvent.Kind.AUTHENTICATED, "1990"),
        ],
        url="https://example.org/khrushchev-remembers",
    )
    telegrams = make_source(
        "Stalin–Kim telegrams",
        kind=Source.Kind.TELEGRAM,
        date="1950-01/1950-05",
        access=Source.Access.DECLASSIFIED,
        custody=[
            (CustodyEvent.Kind.CLASSIFIED, "1950"),
            (CustodyEvent.Kind.DECLASSIFIED, "1994"),
        ],
    )
    report = make_source(
        "On the Korean War, 1950–53, and the armistice negotiations",
        kind=Source.Kind.REPORT,
        date="1966-08-09",
        access=Source.Access.DECLASSIFIED,
        custody=[
            (CustodyEvent.Kind.CLASSIFIED, "1966-08-09"),
            (CustodyEvent.Kind.DECLASSIFIED, "1993-01-12"),
        ],
    )
    ap_report = make_source(
        "Historians say Stalin approved the invasion",
        kind=Source.Kind.NEWS_REPORT,
        date="1993-01-13",
    )
    cite(report, telegrams, kind=Citation.Kind.SUMMARISES)
    claim = make_claim(
        statement or "Stalin approved North Korea's attack on South Korea before June 1950",
        status=status,
        date="1950-01/1950-06",
        subjects=[stalin],
        summary="Did Stalin give Kim Il Sung his approval for the invasion?",
        curator_note="The telegrams confirm what the 1966 report summarised.",
    )
    add_evidence(
        claim,
        memoir,
        quotation="Stalin did not try to dissuade him.",
        locator="p. 368",
    )
    add_evidence(
        claim,
        report,
        quotation="Stalin gave his consent to the proposal of Kim Il Sung.",
        locator="p. 2",
        presentations=[
            {
                "presenters": [weathersby, holloway],
                "event": conference,
                "date": "1993-01-12",
                "reported_in": ap_report,
            }
        ],
    )
    add_evidence(claim, telegrams, quotation="I am ready to help him in this matter.")
    claim.refresh_from_db()
    return claim
