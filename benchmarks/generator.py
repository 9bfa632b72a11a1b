"""Generate a realistic synthetic archive of claims, for benchmarks and load tests.

The proportions follow a real archive of claims: about 2.5 sources and 10 evidence
items per claim, so sources are shared between claims; a third of the sources derive
from earlier ones (chains several links deep, and popular roots that many lines rest
on); custody timelines with dated declassifications and publications, some disputed
or authenticated; presentations by people at events; agents with other names; dates
of every EDTF shape curators write; a mix of workflow states and strength levels.
Claims 50, 5,050, 10,050… have 50 evidence items each, for the benchmark's long claim
page (from the 50th on, enough sources exist to draw them from).

Everything generated has a slug starting "gen-", so it never collides with the demo
data, and the same --seed gives the same archive. Rows are written in batches with
COPY (PostgreSQL) or executemany (SQLite) with explicit primary keys, so nothing is
read back, and only small arrays about earlier sources are kept between batches, so
memory stays flat whatever the size. The stored assessments are computed at the end, in
batches, by the same code as `manage.py reassess` (claims/assessment.py).

`manage.py generate_archive` runs it (benchmarks/management/commands/generate_archive.py).
"""

from __future__ import annotations

import calendar
import datetime
import random
import time
from array import array
from collections import Counter
from typing import NamedTuple

from django.core.management.color import no_style
from django.db import connection, models, transaction
from django.db.models import Max
from django.utils import timezone

from claims import assessment
from claims.assessment import assessments_changed
from claims.models import Claim, Evidence, Presentation, Topic
from claims.public_figures import public_figures_store
from provenance import dates
from provenance.models import (
    Agent,
    AgentName,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

PREFIX = "gen-"
MAX_CLAIMS = 10_000_000
WIDE_CLAIM_EVERY = 5000  # claims 50, 5050, 10050… have WIDE_CLAIM_EVIDENCE items
WIDE_CLAIM_EVIDENCE = 50
NEW_SOURCES_PER_CLAIM = 2.5
AGENTS_PER_CLAIM = 0.3
EVENTS_PER_CLAIM = 0.025
NEIGHBOURHOOD = 800  # evidence and citations mostly reach back this many sources

# (kind, share, chance of deriving from an earlier source, years after the events)
SOURCE_KINDS = [
    (Source.Kind.TELEGRAM, 10, 0.03, (0, 0)),
    (Source.Kind.MEMORANDUM, 8, 0.12, (0, 1)),
    (Source.Kind.MINUTES, 6, 0.06, (0, 0)),
    (Source.Kind.DIARY, 4, 0.03, (0, 0)),
    (Source.Kind.REPORT, 8, 0.45, (1, 20)),
    (Source.Kind.MEMOIR, 8, 0.33, (10, 40)),
    (Source.Kind.INTERVIEW, 5, 0.25, (5, 50)),
    (Source.Kind.BOOK, 15, 0.5, (10, 60)),
    (Source.Kind.ARTICLE, 14, 0.5, (5, 60)),
    (Source.Kind.NEWS_REPORT, 13, 0.4, (0, 50)),
    (Source.Kind.CONFERENCE_PAPER, 4, 0.5, (20, 60)),
    (Source.Kind.DATASET, 2, 0.3, (20, 60)),
    (Source.Kind.OTHER, 3, 0.2, (0, 40)),
]
ARCHIVAL_KINDS = {
    Source.Kind.TELEGRAM,
    Source.Kind.MEMORANDUM,
    Source.Kind.MINUTES,
    Source.Kind.DIARY,
    Source.Kind.REPORT,
}
ACCESS_SHARES = {
    Source.Access.PUBLISHED: 55,
    Source.Access.OPEN: 12,
    Source.Access.DECLASSIFIED: 15,
    Source.Access.CITED_ONLY: 8,
    Source.Access.CLASSIFIED: 5,
    Source.Access.LOST: 5,
}
ARCHIVAL_ACCESS_SHARES = {
    Source.Access.PUBLISHED: 15,
    Source.Access.OPEN: 25,
    Source.Access.DECLASSIFIED: 35,
    Source.Access.CITED_ONLY: 10,
    Source.Access.CLASSIFIED: 10,
    Source.Access.LOST: 5,
}
AUTHENTICITY_SHARES = {
    Source.Authenticity.ACCEPTED: 70,
    Source.Authenticity.AUTHENTICATED: 18,
    Source.Authenticity.DISPUTED: 6,
    Source.Authenticity.DOUBTFUL: 4,
    Source.Authenticity.FORGED: 2,
}
ACCESS_EVENT = {
    Source.Access.DECLASSIFIED: CustodyEvent.Kind.DECLASSIFIED,
    Source.Access.PUBLISHED: CustodyEvent.Kind.PUBLISHED,
    Source.Access.OPEN: CustodyEvent.Kind.DISCOVERED,
    Source.Access.CITED_ONLY: CustodyEvent.Kind.CITED,
    Source.Access.LOST: CustodyEvent.Kind.LOST,
    Source.Access.CLASSIFIED: CustodyEvent.Kind.CLASSIFIED,
}
AUTHENTICITY_EVENT = {
    Source.Authenticity.AUTHENTICATED: CustodyEvent.Kind.AUTHENTICATED,
    Source.Authenticity.DISPUTED: CustodyEvent.Kind.DISPUTED,
    Source.Authenticity.DOUBTFUL: CustodyEvent.Kind.DOUBTED,
    Source.Authenticity.FORGED: CustodyEvent.Kind.EXPOSED_AS_FORGERY,
}
STATUS_SHARES = {
    Claim.Status.PUBLISHED: 85,
    Claim.Status.IN_REVIEW: 7,
    Claim.Status.DRAFT: 8,
}
# How a claim's evidence leans: (share, chance an item supports, chance it contradicts)
CLAIM_PROFILES = [(70, 0.8, 0.05), (15, 0.5, 0.35), (10, 0.2, 0.65), (5, 0.0, 0.0)]

SYLLABLES = [
    "ka",
    "ri",
    "mo",
    "ta",
    "le",
    "vi",
    "na",
    "so",
    "dru",
    "ko",
    "pa",
    "zhe",
    "an",
    "ti",
    "ol",
    "ma",
    "sha",
    "lin",
    "gu",
    "ro",
    "be",
    "de",
    "fan",
    "mi",
    "cho",
    "lu",
    "ve",
    "ya",
    "ze",
    "bor",
    "hai",
    "wen",
    "kim",
    "li",
    "tse",
    "dong",
    "pak",
    "yu",
    "sen",
]
FAMILY_ENDINGS = ["ov", "enko", "ski", "son", "er", "ng", "ma", "ez", "in", "ev", ""]
ORGANISATION_FORMS = [
    "Ministry of Foreign Affairs of {place}",
    "{place} State Archive",
    "Institute of {place} History",
    "Central Committee of the {place} Workers' Party",
    "{place} Telegraph Agency",
    "University of {place}",
    "{place} Historical Society",
]
PLACES = [
    "Moscow",
    "Beijing",
    "Pyongyang",
    "Seoul",
    "Washington",
    "London",
    "Warsaw",
    "Prague",
    "Berlin",
    "Budapest",
    "Hanoi",
    "Tokyo",
    "Havana",
    "Belgrade",
    "Bucharest",
    "Sofia",
    "Tirana",
    "Ulaanbaatar",
    "Vienna",
    "Paris",
]
THEMES = [
    ("Korean War", ["Outbreak", "Armistice talks", "Prisoners of war", "Chinese entry"]),
    ("Sino-Soviet split", ["Border clashes", "Ideological dispute", "Nuclear aid"]),
    ("Cuban Missile Crisis", ["Deployment", "Blockade", "Settlement"]),
    ("Berlin", ["Blockade", "Wall", "Uprising of 1953"]),
    ("Decolonisation", ["Indochina", "Africa", "Indonesia"]),
    ("Arms control", ["Test ban", "SALT", "Non-proliferation"]),
    ("Intelligence", ["Defectors", "Covert action", "Codebreaking"]),
    ("Eastern Europe", ["Hungary 1956", "Prague Spring", "Solidarity"]),
    ("Vietnam War", ["Gulf of Tonkin", "Paris talks", "Tet"]),
    ("Middle East", ["Suez", "Six-Day War", "October War"]),
    ("Space race", ["Sputnik", "Moon landing"]),
    ("End of the Cold War", ["Perestroika", "German reunification", "Dissolution"]),
]
VERBS = [
    "approved",
    "opposed",
    "ordered",
    "was told of",
    "negotiated",
    "delayed",
    "proposed",
    "signed off on",
    "knew in advance of",
    "secretly funded",
]
OBJECTS = [
    "the invasion plan",
    "the supply of heavy weapons",
    "the ceasefire proposal",
    "the purge of the party leadership",
    "the border offensive",
    "the deployment of advisers",
    "the exchange of prisoners",
    "the trade agreement",
    "the nuclear cooperation treaty",
    "the evacuation of the embassy",
]
MONTH_NAMES = dates.MONTHS


class GeneratedArchive(NamedTuple):
    counts: Counter  # rows made, per model label
    writing_seconds: float
    assessing_seconds: float


def _weighted(shares):
    values, weights = zip(*shares.items(), strict=True)
    return list(values), list(weights)


def _part_bounds(part):
    """The first and last day of one plain EDTF date: 1950, 1950-06, 1950-06-25, 195X,
    with an optional ~ or ? (strict bounds ignore both, as provenance.dates does)."""
    part = part.rstrip("~?")
    if part.endswith("X"):
        decade = int(part[:-1]) * 10
        return datetime.date(decade, 1, 1), datetime.date(decade + 9, 12, 31)
    year, month, day = ([int(number) for number in part.split("-")] + [None, None])[:3]
    if day:
        return datetime.date(year, month, day), datetime.date(year, month, day)
    if month:
        last = calendar.monthrange(year, month)[1]
        return datetime.date(year, month, 1), datetime.date(year, month, last)
    return datetime.date(year, 1, 1), datetime.date(year, 12, 31)


def generated_bounds(text):
    """Bounds of the dates this generator writes, the same as
    provenance.dates.bounds_or_none gives (a test compares them), without the edtf
    parser: it is slow on each new string, and a large archive has a new string for
    nearly every date."""
    first, _, last = text.partition("/")
    return _part_bounds(first)[0], _part_bounds(last or first)[1]


class _Table:
    """One table written as plain tuples, without model instances: bulk_create spends
    most of its time building and preparing them (docs/decisions.md). Fields the
    generator leaves out get their model
    default; fields with a database default (the timestamps) are left to the
    database. PostgreSQL receives the rows through COPY, other databases through one
    executemany of INSERT."""

    def __init__(self, model, *, with_pk):
        self.model = model
        fields = [
            field
            for field in model._meta.concrete_fields
            if not field.has_db_default() and (with_pk or not field.primary_key)
        ]
        self.columns = [field.column for field in fields]
        self.names = {field.attname for field in fields}
        self.fields = [(field.attname, field.get_default(), _adapter(field)) for field in fields]

    def row(self, values):
        unknown = values.keys() - self.names
        if unknown:
            raise TypeError(f"{self.model.__name__} has no column {', '.join(sorted(unknown))}")
        return tuple(
            (adapt(values[name]) if adapt else values[name]) if name in values else default
            for name, default, adapt in self.fields
        )

    def write(self, rows):
        quote = connection.ops.quote_name
        table = quote(self.model._meta.db_table)
        columns = ", ".join(quote(column) for column in self.columns)
        with connection.cursor() as cursor:
            if connection.vendor == "postgresql":
                with cursor.cursor.copy(f"COPY {table} ({columns}) FROM STDIN") as copy:
                    for row in rows:
                        copy.write_row(row)
            else:
                placeholders = ", ".join(["%s"] * len(self.columns))
                cursor.executemany(f"INSERT INTO {table} ({columns}) VALUES ({placeholders})", rows)


def _adapter(field):
    """What turns a Python value into what the database driver takes, for the
    columns where the two differ (dates and times on SQLite)."""
    if isinstance(field, models.DateTimeField):
        return lambda value: connection.ops.adapt_datetimefield_value(value)
    if isinstance(field, models.DateField):
        return lambda value: connection.ops.adapt_datefield_value(value)
    return None


class Archive:
    """The generator's state between batches: random numbers, the next primary key of
    each table, and a few small arrays about what exists so far."""

    def __init__(self, *, claims, seed, write=True):
        self.rng = random.Random(seed)
        self.total_claims = claims
        self.write = write
        self.counts = Counter()
        self.next_id = {
            model: (model.objects.aggregate(top=Max("pk"))["top"] or 0) + 1
            for model in (
                Agent,
                AgentName,
                Event,
                Topic,
                Source,
                SourceCreator,
                Citation,
                CustodyEvent,
                Claim,
                Evidence,
                Presentation,
            )
        }
        self.first_id = dict(self.next_id)
        through = [
            SourceCreator,
            Event.organisers.through,
            CustodyEvent.agents.through,
            Claim.subjects.through,
            Claim.topics.through,
            Presentation.presenters.through,
        ]
        self.tables = {model: _Table(model, with_pk=True) for model in self.next_id}
        self.tables |= {model: _Table(model, with_pk=False) for model in through}
        self.persons, self.organisations = array("q"), array("q")
        self.person_names = {}
        self.events = array("q")
        self.event_years = array("h")
        self.topics = array("q")
        self.source_ids = array("q")
        self.source_years = array("h")
        self.news_sources = array("q")
        self.claims_made = 0
        self.kind_values = [kind for kind, *_ in SOURCE_KINDS]
        self.kind_weights = [share for _, share, *_ in SOURCE_KINDS]
        self.kind_rules = {kind: (chance, years) for kind, _, chance, years in SOURCE_KINDS}
        self.access = _weighted(ACCESS_SHARES)
        self.archival_access = _weighted(ARCHIVAL_ACCESS_SHARES)
        self.authenticity = _weighted(AUTHENTICITY_SHARES)
        self.status = _weighted(STATUS_SHARES)
        self.profiles = [profile[1:] for profile in CLAIM_PROFILES]
        self.profile_weights = [profile[0] for profile in CLAIM_PROFILES]

    # Small helpers

    def _ids(self, model, count):
        start = self.next_id[model]
        self.next_id[model] = start + count
        return range(start, start + count)

    def row(self, model, **values):
        return self.tables[model].row(values)

    def _save(self, model, rows):
        self.counts[model._meta.label] += len(rows)
        if self.write and rows:
            self.tables[model].write(rows)

    def _skewed(self, pool, power=2.0):
        """Pick from a pool, early members more often: a few people, roots and events
        come up again and again, as in real archives."""
        return pool[int(len(pool) * self.rng.random() ** power)]

    def _person_name(self):
        rng = self.rng

        def word(parts):
            return "".join(rng.choice(SYLLABLES) for _ in range(parts)).capitalize()

        return f"{word(rng.randint(1, 2))} {word(rng.randint(1, 2))}{rng.choice(FAMILY_ENDINGS)}"

    def edtf(self, year, *, month=None):
        """An EDTF date around `year`, of the shapes curators write."""
        rng = self.rng
        year = max(1, min(2025, year))
        month = month or rng.randint(1, 12)
        roll = rng.random()
        if roll < 0.33:
            return f"{year}"
        if roll < 0.58:
            return f"{year}-{month:02d}"
        if roll < 0.82:
            return f"{year}-{month:02d}-{rng.randint(1, 28):02d}"
        if roll < 0.88:
            end = min(12, month + rng.randint(1, 3))
            return f"{year}-{month:02d}/{year}-{end:02d}" if end > month else f"{year}"
        if roll < 0.94:
            return rng.choice([f"{year}~", f"{year}-{month:02d}~"])
        if roll < 0.98:
            return f"{year}-{month:02d}-{rng.randint(1, 28):02d}?"
        return f"{str(year)[:3]}X"

    def _dated(self, model, text, **fields):
        lower, upper = generated_bounds(text)
        return self.row(model, date=text, date_lower=lower, date_upper=upper, **fields)

    # The tables

    def make_topics(self):
        rows, number = [], 0
        ids = iter(self._ids(Topic, sum(1 + len(children) for _, children in THEMES)))
        for name, children in THEMES:
            parent_id = next(ids)
            number += 1
            rows.append(
                self.row(Topic, id=parent_id, slug=f"{PREFIX}topic-{number:03d}", name=name)
            )
            self.topics.append(parent_id)
            for child in children:
                number += 1
                pk = next(ids)
                rows.append(
                    self.row(
                        Topic,
                        id=pk,
                        slug=f"{PREFIX}topic-{number:03d}",
                        name=f"{name}: {child}",
                        parent_id=parent_id,
                    )
                )
                self.topics.append(pk)
        self._save(Topic, rows)

    def make_agents(self, count):
        rng = self.rng
        agents, names = [], []
        for pk in self._ids(Agent, count):
            number = pk - self.first_id[Agent] + 1
            is_organisation = rng.random() < 0.2
            if is_organisation:
                name = rng.choice(ORGANISATION_FORMS).format(place=rng.choice(PLACES))
                name = f"{name} ({number})"
                founded = rng.randint(1850, 1960)
                text = rng.choice([f"{founded}", f"{founded}/{founded + rng.randint(5, 60)}"])
                self.organisations.append(pk)
            else:
                name = self._person_name()
                born, died = rng.randint(1870, 1950), rng.randint(30, 90)
                died += born
                text = rng.choice(
                    [
                        f"{born}/{died}",
                        f"{born}~/{died}",
                        f"{born}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}/{died}",
                    ]
                )
                self.persons.append(pk)
                self.person_names[pk] = name
            given, _, family = name.partition(" ")
            agents.append(
                self._dated(
                    Agent,
                    text,
                    id=pk,
                    slug=f"{PREFIX}agent-{number:06d}",
                    kind=Agent.Kind.ORGANISATION if is_organisation else Agent.Kind.PERSON,
                    name=name,
                    sort_name=name if is_organisation else f"{family}, {given}",
                    description=f"Generated {'organisation' if is_organisation else 'person'}.",
                    wikidata_id=f"Q{rng.randint(1000, 99_999_999)}" if rng.random() < 0.3 else "",
                )
            )
            if rng.random() < 0.4:
                variants = {
                    name.replace("zh", "ch").replace("ts", "z").replace("o", "ō") + " ",
                    name.upper(),
                    f"{family} {given}",
                }
                for variant, kind in zip(
                    sorted(variants)[: rng.randint(1, 2)],
                    [AgentName.Kind.TRANSLITERATION, AgentName.Kind.ALTERNATIVE],
                    strict=False,
                ):
                    variant = variant.strip()
                    if variant and variant != name:
                        names.append(
                            self.row(
                                AgentName,
                                id=self._ids(AgentName, 1)[0],
                                agent_id=pk,
                                name=variant,
                                kind=kind,
                                note="Generated variant.",
                            )
                        )
        self._save(Agent, agents)
        self._save(AgentName, names)

    def make_events(self, count):
        rng = self.rng
        events, organisers = [], []
        for pk in self._ids(Event, count):
            number = pk - self.first_id[Event] + 1
            year = rng.randint(1955, 2020)
            month = rng.randint(1, 12)
            day = rng.randint(1, 25)
            text = f"{year}-{month:02d}-{day:02d}/{year}-{month:02d}-{day + rng.randint(1, 3):02d}"
            place = rng.choice(PLACES)
            theme = rng.choice(THEMES)[0]
            events.append(
                self._dated(
                    Event,
                    text,
                    id=pk,
                    slug=f"{PREFIX}event-{number:05d}",
                    name=f"Conference on the history of the {theme}, {place} ({number})",
                    place=place,
                    description="Generated event.",
                )
            )
            self.events.append(pk)
            self.event_years.append(year)
            for agent_id in {self._skewed(self.organisations) for _ in range(rng.randint(1, 2))}:
                organisers.append(
                    self.row(Event.organisers.through, event_id=pk, agent_id=agent_id)
                )
        self._save(Event, events)
        self._save(Event.organisers.through, organisers)

    def make_sources(self, count, event_year, batch):
        """`count` new sources about events of `event_year`; returns their indexes."""
        rng = self.rng
        made = []
        for pk in self._ids(Source, count):
            index = len(self.source_ids)
            kind = rng.choices(self.kind_values, self.kind_weights)[0]
            chance, (earliest, latest) = self.kind_rules[kind]
            year = event_year + rng.randint(earliest, latest)
            cited = set()
            if index and rng.random() < chance:
                for _ in range(1 if rng.random() < 0.8 else 2):
                    if rng.random() < 0.65:
                        low = max(0, index - NEIGHBOURHOOD)
                        cited.add(rng.randrange(low, index))
                    else:  # a popular root far back
                        cited.add(int(index * rng.random() ** 3))
                for other in cited:
                    year = max(year, self.source_years[other])
            year = min(year, 2025)
            archival = kind in ARCHIVAL_KINDS
            access = rng.choices(*(self.archival_access if archival else self.access))[0]
            authenticity = rng.choices(*self.authenticity)[0]
            text = self.edtf(year)
            number = pk - self.first_id[Source] + 1
            archive_id = self._skewed(self.organisations) if archival else None
            batch["sources"].append(
                self._dated(
                    Source,
                    text,
                    id=pk,
                    slug=f"{PREFIX}source-{number:07d}",
                    title=f"{Source.Kind(kind).label} no. {number} on events of {event_year}",
                    kind=kind,
                    language=rng.choice(["Russian", "English", "Chinese", "Korean", "German"]),
                    description="Generated source.",
                    archive_id=archive_id,
                    archival_reference=(
                        f"f. {rng.randint(1, 999)}, op. {rng.randint(1, 40)}, "
                        f"d. {rng.randint(1, 900)}, l. {rng.randint(1, 300)}"
                        if archival
                        else ""
                    ),
                    access=access,
                    authenticity=authenticity,
                    publication_details=(
                        f"{rng.choice(PLACES)}: Generated Press, {year}"
                        if kind == Source.Kind.BOOK
                        else ""
                    ),
                )
            )
            for position, agent_id in enumerate(
                {self._skewed(self.persons) for _ in range(rng.randint(1, 2))}
            ):
                role = SourceCreator.Role.SENDER if kind == "telegram" else "author"
                batch["creators"].append(
                    self.row(
                        SourceCreator, source_id=pk, agent_id=agent_id, role=role, position=position
                    )
                )
            if kind == Source.Kind.TELEGRAM:
                batch["creators"].append(
                    self.row(
                        SourceCreator,
                        source_id=pk,
                        agent_id=self._skewed(self.persons),
                        role=SourceCreator.Role.RECIPIENT,
                        position=9,
                    )
                )
            for other in sorted(cited):
                batch["citations"].append(
                    self.row(
                        Citation,
                        id=self._ids(Citation, 1)[0],
                        citing_id=pk,
                        cited_id=self.source_ids[other],
                        kind=rng.choice(Citation.Kind.values),
                        locator=f"p. {rng.randint(1, 400)}",
                    )
                )
            self._custody(pk, year, access, authenticity, batch)
            self.source_ids.append(pk)
            self.source_years.append(year)
            if kind == Source.Kind.NEWS_REPORT:
                self.news_sources.append(pk)
            made.append(index)
        return made

    def _custody(self, source_id, year, access, authenticity, batch):
        rng = self.rng
        events = []
        if rng.random() < 0.9:
            events.append((CustodyEvent.Kind.CREATED, self.edtf(year)))
        later = min(2025, year + rng.randint(0, 45))
        if access == Source.Access.CLASSIFIED:
            events.append((CustodyEvent.Kind.CLASSIFIED, f"{year}"))
        elif rng.random() < 0.85:  # the rest has no dated release: counts only today
            events.append((ACCESS_EVENT[access], self.edtf(later)))
        if authenticity in AUTHENTICITY_EVENT:
            when = min(2025, later + rng.randint(0, 10))
            if authenticity == Source.Authenticity.AUTHENTICATED and rng.random() < 0.3:
                events.append((CustodyEvent.Kind.DISPUTED, f"{later}"))  # doubted, then proved
                when = min(2025, later + rng.randint(1, 10))
            events.append((AUTHENTICITY_EVENT[authenticity], f"{when}"))
        if rng.random() < 0.05 and self.events:
            event_id = self._skewed(self.events)
            events.append((CustodyEvent.Kind.PRESENTED, f"{max(year, 1955)}~", event_id))
        seen = set()
        for kind, text, *event in events:
            if (kind, text) in seen:
                continue
            seen.add((kind, text))
            pk = self._ids(CustodyEvent, 1)[0]
            batch["custody"].append(
                self._dated(
                    CustodyEvent,
                    text,
                    id=pk,
                    source_id=source_id,
                    kind=kind,
                    event_id=event[0] if event else None,
                    reference="Generated custody record.",
                )
            )
            if kind in (CustodyEvent.Kind.DECLASSIFIED, CustodyEvent.Kind.AUTHENTICATED):
                batch["custody_agents"].append(
                    self.row(
                        CustodyEvent.agents.through,
                        custodyevent_id=pk,
                        agent_id=self._skewed(self.organisations),
                    )
                )

    def make_claim(self, batch):
        rng = self.rng
        self.claims_made += 1
        number = self.claims_made
        pk = self._ids(Claim, 1)[0]
        event_year = int(1917 + 74 * rng.random() ** 0.8)
        wide = number % WIDE_CLAIM_EVERY == WIDE_CLAIM_EVIDENCE
        if wide:
            evidence_count = WIDE_CLAIM_EVIDENCE
        elif rng.random() < 0.03:
            evidence_count = 0
        else:  # mostly a handful, a long tail of well-documented claims; mean about 10
            evidence_count = min(40, 1 + int(rng.expovariate(1 / 9.5)))
        new_sources = int(NEW_SOURCES_PER_CLAIM) + (rng.random() < NEW_SOURCES_PER_CLAIM % 1)
        new_sources = min(new_sources, max(evidence_count, 1))
        chosen = self.make_sources(new_sources, event_year, batch)
        picked = set(chosen[:evidence_count])
        existing = len(self.source_ids)
        attempts = 0
        while len(picked) < min(evidence_count, existing) and attempts < evidence_count * 20:
            attempts += 1
            if rng.random() < 0.8:
                picked.add(rng.randrange(max(0, existing - NEIGHBOURHOOD), existing))
            else:
                picked.add(int(existing * rng.random() ** 2))
        status = rng.choices(*self.status)[0]
        subjects = {self._skewed(self.persons, 1.5) for _ in range(rng.randint(1, 3))}
        statement = (
            f"{self.person_names[min(subjects)]} {rng.choice(VERBS)} "
            f"{rng.choice(OBJECTS)} before {MONTH_NAMES[rng.randrange(12)]} {event_year} "
            f"(generated claim {number})."
        )
        text = self.edtf(event_year)
        published = status == Claim.Status.PUBLISHED
        batch["claims"].append(
            self._dated(
                Claim,
                text,
                id=pk,
                slug=f"{PREFIX}claim-{number:06d}",
                statement=statement,
                summary=(
                    "A generated claim for benchmarks. It asks who decided what, and when, "
                    "and rests on sources of several kinds."
                ),
                status=status,
                featured=published and rng.random() < 0.002,
                curator_note="Generated note for curators." if rng.random() < 0.1 else "",
                published_at=timezone.now() if published else None,
            )
        )
        for agent_id in subjects:
            batch["subjects"].append(
                self.row(Claim.subjects.through, claim_id=pk, agent_id=agent_id)
            )
        for topic_id in {self._skewed(self.topics, 1.3) for _ in range(rng.randint(1, 2))}:
            batch["topics"].append(self.row(Claim.topics.through, claim_id=pk, topic_id=topic_id))
        supports, contradicts = rng.choices(self.profiles, self.profile_weights)[0]
        for index in sorted(picked):
            roll = rng.random()
            stance = (
                Evidence.Stance.SUPPORTS
                if roll < supports
                else Evidence.Stance.CONTRADICTS
                if roll < supports + contradicts
                else Evidence.Stance.CONTEXT
            )
            evidence_id = self._ids(Evidence, 1)[0]
            source_id = self.source_ids[index]
            batch["evidence"].append(
                self.row(
                    Evidence,
                    id=evidence_id,
                    claim_id=pk,
                    source_id=source_id,
                    stance=stance,
                    directness=(
                        Evidence.Directness.DIRECT
                        if rng.random() < 0.6
                        else Evidence.Directness.INDIRECT
                    ),
                    quotation=(
                        f"“… the matter of {rng.choice(OBJECTS)} was {rng.choice(VERBS)} by the "
                        f"comrades concerned, as reported on {rng.randint(1, 28)} "
                        f"{MONTH_NAMES[rng.randrange(12)]} …”"
                    ),
                    locator=f"p. {rng.randint(1, 500)}",
                    note="Generated curator's note." if rng.random() < 0.05 else "",
                )
            )
            if rng.random() < 0.25:
                self._presentation(evidence_id, self.source_years[index], batch)

    def _presentation(self, evidence_id, source_year, batch):
        rng = self.rng
        event_id = self._skewed(self.events) if rng.random() < 0.6 else None
        year = max(source_year, 1950) + rng.randint(0, 30)
        if event_id is not None:
            year = max(year, self.event_years[event_id - self.first_id[Event]])
        pk = self._ids(Presentation, 1)[0]
        reported_in = (
            self._skewed(self.news_sources, 1.2)
            if self.news_sources and rng.random() < 0.3
            else None
        )
        batch["presentations"].append(
            self._dated(
                Presentation,
                self.edtf(min(year, 2025)),
                id=pk,
                evidence_id=evidence_id,
                event_id=event_id,
                reported_in_id=reported_in,
            )
        )
        for agent_id in {self._skewed(self.persons) for _ in range(rng.randint(1, 2))}:
            batch["presenters"].append(
                self.row(Presentation.presenters.through, presentation_id=pk, agent_id=agent_id)
            )

    def make_claims(self, count):
        """One batch: `count` claims with their new sources, evidence and presentations,
        written in the order the foreign keys need."""
        wanted_agents = 50 + int((self.claims_made + count) * AGENTS_PER_CLAIM)
        if len(self.persons) + len(self.organisations) < wanted_agents:
            self.make_agents(wanted_agents - len(self.persons) - len(self.organisations))
        wanted_events = 5 + int((self.claims_made + count) * EVENTS_PER_CLAIM)
        if len(self.events) < wanted_events:
            self.make_events(wanted_events - len(self.events))
        batch = {
            name: []
            for name in (
                "sources",
                "creators",
                "citations",
                "custody",
                "custody_agents",
                "claims",
                "subjects",
                "topics",
                "evidence",
                "presentations",
                "presenters",
            )
        }
        for _ in range(count):
            self.make_claim(batch)
        self._save(Source, batch["sources"])
        self._save(SourceCreator, batch["creators"])
        self._save(Citation, batch["citations"])
        self._save(CustodyEvent, batch["custody"])
        self._save(CustodyEvent.agents.through, batch["custody_agents"])
        self._save(Claim, batch["claims"])
        self._save(Claim.subjects.through, batch["subjects"])
        self._save(Claim.topics.through, batch["topics"])
        self._save(Evidence, batch["evidence"])
        self._save(Presentation, batch["presentations"])
        self._save(Presentation.presenters.through, batch["presenters"])

    def reset_sequences(self):
        """Explicit primary keys leave PostgreSQL's sequences behind; move them on so
        the next record a curator saves gets a fresh id."""
        models = [model for model in self.next_id if self.counts[model._meta.label]]
        statements = connection.ops.sequence_reset_sql(no_style(), models)
        with connection.cursor() as cursor:
            for statement in statements:
                cursor.execute(statement)


def archive_generate(*, claims, seed=1, batch_size=1000, jobs=1, dry_run=False, on_progress=None):
    """Write a generated archive of `claims` claims into the default database, then
    store every claim's assessment; return the rows made, per model label, and how long
    writing and assessing took. With `dry_run`, generate in memory and write nothing.
    `on_progress(verb, done, total, started)` is called after each batch."""
    progress = on_progress or (lambda verb, done, total, started: None)
    started = time.monotonic()
    if connection.vendor == "postgresql":
        # Commits need not wait for the disk: a crash loses a batch of generated
        # rows, which a re-run makes again.
        with connection.cursor() as cursor:
            cursor.execute("SET synchronous_commit TO OFF")
    archive = Archive(claims=claims, seed=seed, write=not dry_run)
    with transaction.atomic():
        archive.make_topics()
    done = 0
    while done < claims:
        count = min(batch_size, claims - done)
        with transaction.atomic():
            archive.make_claims(count)
        done += count
        progress("generated", done, claims, started)
    if dry_run:
        return GeneratedArchive(archive.counts, time.monotonic() - started, 0.0)
    archive.reset_sequences()
    with connection.cursor() as cursor:
        # Fresh statistics: without them the planners guess a few hundred rows per
        # table and choose plans for that, slow ones for the real sizes.
        cursor.execute("ANALYZE")
    assessing = time.monotonic()
    claim_ids = list(
        Claim.objects.filter(pk__gte=archive.first_id[Claim])
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    assessment.claims_assess(
        claim_ids,
        batch_size=batch_size,
        jobs=jobs,
        on_batch=lambda done, total: progress("assessed", done, total, assessing),
    )
    assessment.settle_claims_table()
    # A cache that outlived an earlier archive in this database may hold pages
    # under these slugs: move their versions on.
    new_claims = Claim.objects.filter(pk__gte=archive.first_id[Claim])
    slugs = list(new_claims.values_list("slug", flat=True))
    for start in range(0, len(slugs), 10_000):
        assessments_changed.send(__name__, slugs=slugs[start : start + 10_000])
    public_figures_store()
    return GeneratedArchive(archive.counts, assessing - started, time.monotonic() - assessing)
