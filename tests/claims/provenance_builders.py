"""Plain builders for the tests of the source, person, event and search pages.

Each takes only what a test cares about and fills in the rest; slugs come from the
name or title, made unique with a counter.
"""

import itertools
import re

from django.utils.text import slugify

from claims.models import Claim, Evidence, Presentation
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
    agent = Agent.objects.create(slug=_slug(name), name=name, kind=kind, **fields)
    for other in other_names:
        AgentName.objects.create(agent=agent, name=other, kind=AgentName.Kind.TRANSLITERATION)
    return agent


def make_organisation(name, **fields):
    return make_agent(name, kind=Agent.Kind.ORGANISATION, **fields)


def make_affiliation(agent, organisation, *, role="", date=""):
    return Affiliation.objects.create(agent=agent, organisation=organisation, role=role, date=date)


def make_event(name, *, date="", organisers=(), **fields):
    event = Event.objects.create(slug=_slug(name), name=name, date=date, **fields)
    event.organisers.set(organisers)
    return event


def make_source(title, *, kind=Source.Kind.BOOK, creators=(), **fields):
    """`creators` are agents (authors) or (agent, role) pairs, in citation order."""
    source = Source.objects.create(slug=_slug(title), title=title, kind=kind, **fields)
    for position, creator in enumerate(creators):
        agent, role = creator if isinstance(creator, tuple) else (creator, "author")
        SourceCreator.objects.create(source=source, agent=agent, role=role, position=position)
    return source


def make_citation(citing, cited, *, kind=Citation.Kind.CITES, **fields):
    return Citation.objects.create(citing=citing, cited=cited, kind=kind, **fields)


def make_custody_event(source, kind, date, *, agents=(), **fields):
    event = CustodyEvent.objects.create(source=source, kind=kind, date=date, **fields)
    event.agents.set(agents)
    return event


def make_claim(statement, *, status=Claim.Status.PUBLISHED, subjects=(), **fields):
    claim = Claim.objects.create(
        slug=_slug(statement), statement=statement, status=status, **fields
    )
    claim.subjects.set(subjects)
    return claim


def make_evidence(claim, source, *, stance=Evidence.Stance.SUPPORTS, **fields):
    return Evidence.objects.create(claim=claim, source=source, stance=stance, **fields)


def make_presentation(evidence, *, presenters=(), date="", event=None, reported_in=None, **fields):
    presentation = Presentation.objects.create(
        evidence=evidence, date=date, event=event, reported_in=reported_in, **fields
    )
    presentation.presenters.set(presenters)
    return presentation


def heading_levels(html):
    """The levels of the headings of a page, in order: [1, 2, 2, 3, 2]."""
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_headings_in_order(html):
    """One h1 first, and no level skipped on the way down."""
    levels = heading_levels(html)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels
