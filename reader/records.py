"""The claim page's evidence, read as plain rows into light records.

A claim page with fifty evidence items shows some four hundred records: the items,
their sources, the sources' custody events and creators, the presentations and their
presenters. Read as model instances through `prefetch_related`, building them took
most of the page's time: every instance runs the model's `__init__`, and the
prefetch gives every one of them a queryset of its own. Here five statements of its
own SQL (subjects and topics, then four for the evidence) return rows, which become
the records below (docs/decisions.md has the measurements).

The records answer to the names the models use (`get_absolute_url`,
`get_kind_display`, `date_in_words`, `effective_proximity`, `.all()` on a related
list), borrowing the models' own methods where one exists, so the templates, the
JSON view and `claims.assessment.source_facts` read them as they read models, and no
rule is copied. They are read-only: nothing here is ever saved.
"""

from __future__ import annotations

import datetime
import functools
from dataclasses import dataclass, field

from django.db import connections, router

from claims.models import Claim, Evidence, Presentation, Topic
from provenance.links import slug_url_maker
from provenance.models import Agent, CustodyEvent, DatedModel, Event, Source, SourceCreator


class Related(list):
    """Records related to one record, answering `.all()` as a prefetched manager does."""

    def all(self):
        return self


def _label(choices, value):
    """The label of a choice, or the value itself if it is not one (as Django's
    `get_FOO_display` does)."""
    try:
        return choices(value).label
    except ValueError:
        return value


class _Linked:
    """A record that knows its page's address (`path`), as `get_absolute_url` gives it."""

    __slots__ = ()

    def get_absolute_url(self):
        return self.path


@dataclass(slots=True, eq=False)
class AgentRecord(_Linked):
    path: str
    pk: int
    slug: str
    name: str
    kind: str

    Kind = Agent.Kind
    is_organisation = Agent.is_organisation


@dataclass(slots=True, eq=False)
class TopicRecord(_Linked):
    path: str
    pk: int
    slug: str
    name: str


@dataclass(slots=True, eq=False)
class CustodyRecord:
    kind: str
    date: str
    date_lower: datetime.date | None
    date_upper: datetime.date | None
    documented_in_title: str | None


@dataclass(slots=True, eq=False)
class CreatorRecord:
    role: str
    agent: AgentRecord


@dataclass(slots=True, eq=False)
class SourceRecord(_Linked):
    path: str
    pk: int
    slug: str
    title: str
    kind: str
    proximity: str
    access: str
    authenticity: str
    credibility: str
    date: str
    date_lower: datetime.date | None
    date_upper: datetime.date | None
    url: str
    custody_events: Related = field(default_factory=Related)
    creator_roles: Related = field(default_factory=Related)

    Kind = Source.Kind
    Proximity = Source.Proximity
    effective_proximity = Source.effective_proximity
    date_in_words = DatedModel.date_in_words

    def get_kind_display(self):
        return _label(Source.Kind, self.kind)


@dataclass(slots=True, eq=False)
class EventRecord(_Linked):
    path: str
    pk: int
    slug: str
    name: str
    place: str


@dataclass(slots=True, eq=False)
class ReportRecord(_Linked):
    """A source in which a presentation was reported: what a link to it needs."""

    path: str
    pk: int
    slug: str
    title: str
    kind: str
    date: str
    url: str

    date_in_words = DatedModel.date_in_words


@dataclass(slots=True, eq=False)
class PresentationRecord:
    pk: int
    date: str
    note: str
    event: EventRecord | None
    reported_in: ReportRecord | None
    presenters: Related = field(default_factory=Related)

    date_in_words = DatedModel.date_in_words


@dataclass(slots=True, eq=False)
class EvidenceRecord:
    pk: int
    stance: str
    directness: str
    quotation: str
    locator: str
    note: str
    source: SourceRecord
    presentations: Related = field(default_factory=Related)

    @property
    def source_id(self):
        return self.source.pk

    def get_stance_display(self):
        return _label(Evidence.Stance, self.stance)

    def get_directness_display(self):
        return _label(Evidence.Directness, self.directness)


@functools.cache
def _tables():
    """The tables the reads below join, by the models' own names for them (read once:
    they do not change while the process runs)."""
    models = {
        "evidence": Evidence,
        "source": Source,
        "custody": CustodyEvent,
        "creator": SourceCreator,
        "agent": Agent,
        "presentation": Presentation,
        "presenter": Presentation.presenters.through,
        "event": Event,
        "claim_subjects": Claim.subjects.through,
        "claim_topics": Claim.topics.through,
        "topic": Topic,
    }
    return {name: model._meta.db_table for name, model in models.items()}


# The page's reads, in SQL of its own: the ORM took as long to build and compile
# each query as the database took to run it, and this page is the one readers ask
# for most. Plain joins, the same on SQLite and PostgreSQL; dates come back
# as dates from both drivers. The later reads name the ids the first one found
# (`{ids}`): PostgreSQL plans a list of ids faster than a subquery.
_EVIDENCE = """
    SELECT e.id, e.stance, e.directness, e.quotation, e.locator, e.note,
           s.id, s.slug, s.title, s.kind, s.proximity, s.access, s.authenticity,
           s.credibility, s."date", s.date_lower, s.date_upper, s.url
    FROM {evidence} e JOIN {source} s ON s.id = e.source_id
    WHERE e.claim_id = %s
    ORDER BY e.id
"""
_CUSTODY = """
    SELECT c.source_id, c.kind, c."date", c.date_lower, c.date_upper, d.title
    FROM {custody} c LEFT JOIN {source} d ON d.id = c.documented_in_id
    WHERE c.source_id IN ({ids})
    ORDER BY c.date_lower, c.id
"""
_CREATORS = """
    SELECT r.source_id, r.role, a.id, a.slug, a.name, a.kind
    FROM {creator} r JOIN {agent} a ON a.id = r.agent_id
    WHERE r.source_id IN ({ids})
    ORDER BY r.position, r.id
"""
# One row per presenter (a presentation without one still gives a row), so the
# presenters come with their presentation instead of in a query of their own.
_PRESENTATIONS = """
    SELECT p.id, p.evidence_id, p."date", p.note, ev.id, ev.slug, ev.name, ev.place,
           rs.id, rs.slug, rs.title, rs.kind, rs."date", rs.url, a.id, a.slug, a.name, a.kind
    FROM {presentation} p
    LEFT JOIN {event} ev ON ev.id = p.event_id
    LEFT JOIN {source} rs ON rs.id = p.reported_in_id
    LEFT JOIN {presenter} pp ON pp.presentation_id = p.id
    LEFT JOIN {agent} a ON a.id = pp.agent_id
    WHERE p.evidence_id IN ({ids})
    ORDER BY p.date_lower, p.id, a.sort_name, a.name
"""


# Whom and what the claim is about, in one statement: people and organisations in
# their sort order, then topics by name.
_SUBJECTS_AND_TOPICS = """
    SELECT 'subject', a.id, a.slug, a.name, a.kind, a.sort_name
    FROM {claim_subjects} cs JOIN {agent} a ON a.id = cs.agent_id
    WHERE cs.claim_id = %s
    UNION ALL
    SELECT 'topic', t.id, t.slug, t.name, '', t.name
    FROM {claim_topics} ct JOIN {topic} t ON t.id = ct.topic_id
    WHERE ct.claim_id = %s
    ORDER BY 1, 6, 4
"""


def _rows(sql, params, ids=()):
    """The rows of one of the reads above; `ids` fill its `{ids}` list."""
    connection = connections[router.db_for_read(Evidence)]
    with connection.cursor() as cursor:
        cursor.execute(sql.format(ids=", ".join(["%s"] * len(ids)), **_tables()), [*params, *ids])
        return cursor.fetchall()


def claim_subjects_and_topics(claim):
    """(subjects, topics) of the claim, as records, in 1 query."""
    agent_path = slug_url_maker(Agent.url_name)
    subjects, topics = [], []
    for what, pk, slug, name, kind, _order in _rows(_SUBJECTS_AND_TOPICS, [claim.pk, claim.pk]):
        if what == "subject":
            subjects.append(AgentRecord(agent_path(slug), pk, slug, name, kind))
        else:
            topics.append(TopicRecord(Topic(slug=slug).get_absolute_url(), pk, slug, name))
    return subjects, topics


def claim_evidence(claim):
    """The claim's evidence with everything its page shows, in 4 queries however many
    items: the items with their sources; the sources' custody events; their creators
    with their agents; the presentations with event, report and presenters."""
    # Each record carries its address, the view's pattern reversed once per call
    # (provenance/links.py): a page links to a hundred records or more.
    source_path = slug_url_maker(Source.url_name)
    agent_path = slug_url_maker(Agent.url_name)
    event_path = slug_url_maker(Event.url_name)
    items = []
    sources = {}
    for pk, stance, directness, quotation, locator, note, source_id, *columns in _rows(
        _EVIDENCE, [claim.pk]
    ):
        source = sources.get(source_id)
        if source is None:
            source = sources[source_id] = SourceRecord(source_path(columns[0]), source_id, *columns)
        items.append(EvidenceRecord(pk, stance, directness, quotation, locator, note, source))
    if not items:
        return items

    for source_id, *columns in _rows(_CUSTODY, [], ids=list(sources)):
        sources[source_id].custody_events.append(CustodyRecord(*columns))
    for source_id, role, *agent in _rows(_CREATORS, [], ids=list(sources)):
        sources[source_id].creator_roles.append(
            CreatorRecord(role, AgentRecord(agent_path(agent[1]), *agent))
        )

    by_pk = {item.pk: item for item in items}
    presentations = {}
    for pk, evidence_id, date, note, event_id, event_slug, event_name, event_place, *rest in _rows(
        _PRESENTATIONS, [], ids=list(by_pk)
    ):
        report, presenter = rest[:6], rest[6:]
        presentation = presentations.get(pk)
        if presentation is None:
            presentation = presentations[pk] = PresentationRecord(
                pk,
                date,
                note,
                EventRecord(event_path(event_slug), event_id, event_slug, event_name, event_place)
                if event_slug
                else None,
                ReportRecord(source_path(report[1]), *report) if report[0] else None,
            )
            by_pk[evidence_id].presentations.append(presentation)
        if presenter[0] is not None:
            presentation.presenters.append(AgentRecord(agent_path(presenter[1]), *presenter))
    return items
