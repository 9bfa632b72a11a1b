"""Plain builders for per-test data, and the few helpers for reading the public pages
that data appears on.

Each builder takes what a test cares about, by keyword, and fills in the rest with one
default. Slugs come from the title or name, made unique with a counter. Saving
evidence, presentations, custody events and citations fires the project's signals, so
every claim's stored assessment is current.
"""

import itertools
import re

from django.utils import timezone
from django.utils.text import slugify

from claims.models import Claim, Evidence, Presentation, Topic
from provenance.models import (
    Affiliation,
    Agent,
    AgentName,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

_counter = itertools.count(1)


def _slug(text):
    return f"{slugify(text)[:100]}-{next(_counter)}"


def make_agent(name, *, kind=Agent.Kind.PERSON, other_names=(), **fields):
    """`other_names` are recorded as transliterations."""
    agent = Agent.objects.create(slug=_slug(name), name=name, kind=kind, **fields)
    for other in other_names:
        AgentName.objects.create(agent=agent, name=other, kind=AgentName.Kind.TRANSLITERATION)
    return agent


def make_organisation(name, **fields):
    return make_agent(name, kind=Agent.Kind.ORGANISATION, **fields)


def make_affiliation(agent, organisation, *, role="", date=""):
    return Affiliation.objects.create(agent=agent, organisation=organisation, role=role, date=date)


def make_topic(name, *, parent=None):
    return Topic.objects.create(slug=_slug(name), name=name, parent=parent)


def make_event(name, *, date="", organisers=(), **fields):
    event = Event.objects.create(slug=_slug(name), name=name, date=date, **fields)
    event.organisers.set(organisers)
    return event


def make_source(title, *, kind=Source.Kind.BOOK, date="", creators=(), custody=(), **fields):
    """`creators` are agents (authors) or (agent, role) pairs, in citation order;
    `custody` is a list of (CustodyEvent.Kind, EDTF date) pairs."""
    source = Source.objects.create(slug=_slug(title), title=title, kind=kind, date=date, **fields)
    for position, creator in enumerate(creators):
        agent, role = creator if isinstance(creator, tuple) else (creator, "author")
        SourceCreator.objects.create(source=source, agent=agent, role=role, position=position)
    for custody_kind, when in custody:
        make_custody_event(source, custody_kind, when)
    return source


def make_custody_event(source, kind, date, *, agents=(), **fields):
    event = CustodyEvent.objects.create(source=source, kind=kind, date=date, **fields)
    event.agents.set(agents)
    return event


def cite(citing, cited, *, kind=Citation.Kind.CITES, **fields):
    return Citation.objects.create(citing=citing, cited=cited, kind=kind, **fields)


def make_claim(
    statement,
    *,
    status=Claim.Status.PUBLISHED,
    subjects=(),
    topics=(),
    published_at=None,
    **fields,
):
    """A published claim is stamped as published now unless `published_at` is given."""
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


def add_evidence(claim, source, *, stance=Evidence.Stance.SUPPORTS, presentations=(), **fields):
    """`presentations` are dicts of `make_presentation` arguments. The claim is reloaded
    afterwards, so it carries the assessment the evidence produced."""
    evidence = Evidence.objects.create(claim=claim, source=source, stance=stance, **fields)
    for presentation in presentations:
        make_presentation(evidence, **presentation)
    claim.refresh_from_db()
    return evidence


def make_presentation(evidence, *, presenters=(), date="", event=None, reported_in=None, **fields):
    presentation = Presentation.objects.create(
        evidence=evidence, date=date, event=event, reported_in=reported_in, **fields
    )
    presentation.presenters.set(presenters)
    return presentation


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
        creators=[khrushchev],
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


def page(client, record):
    """The HTML of a source's, person's or event's public page, which must answer 200."""
    response = client.get(record.get_absolute_url())
    assert response.status_code == 200
    return response.content.decode()


def section(html, heading_id):
    """The part of a page from a section's heading to the end of that section."""
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def heading_levels(html):
    """The levels of the headings of a page, in order: [1, 2, 2, 3, 2]."""
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_headings_in_order(html):
    """One h1 first, and no level skipped on the way down."""
    levels = heading_levels(html)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
