"""The bridge between the database and the pure strength method (claims/strength.py):
one reader of the facts, one builder of the method's input, one writer of what is
stored on a claim.

- `facts_from(evidence, links)` turns rows into the method's input. The rules that
  make a source's facts (`source_facts`) live here only; any row that answers to the
  model's names will do: the rows `claims_facts` reads, and the claim page's records
  (reader/records.py).
- `claims_facts(claim_ids)` reads the evidence, sources, custody events and citation
  links behind any number of claims: one query per table and one recursive query for
  the citations (provenance/graph.py), per 5,000 ids.
- `claims_assess(claim_ids)` assesses them and stores, in one statement per batch, the
  level and scores and today's timeline and what-if (the "detail"), which readers ask
  for far more often than the evidence changes. The detail is stored under a key of
  the facts and the method, and worked out again only when that key changes. Saves
  (claims/signals.py), fixture loads, `reassess` and the archive generator all come
  here, so a reader's GET never has anything to write.
"""

from __future__ import annotations

import dataclasses
import datetime
import hashlib
import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path

from django.db import connection, connections, router, transaction
from django.db.models.fields.json import KT
from django.dispatch import Signal
from django.utils import timezone

from claims import strength
from claims.models import Claim, Evidence
from provenance import graph
from provenance.models import (
    CUSTODY_ACCESS,
    CUSTODY_AUTHENTICITY,
    CUSTODY_CREDIBILITY,
    CustodyEvent,
    Source,
)

# Sent with `slugs` after stored assessments were rewritten, where no model signal is
# sent for each claim: the reader's page cache listens.
assessments_changed = Signal()


@dataclass(frozen=True)
class ClaimFacts:
    """Everything the strength method needs about one claim, as plain data."""

    evidence: tuple[strength.EvidenceFacts, ...]
    sources: dict[str, strength.SourceFacts]
    citations: tuple[tuple[str, str], ...]

    def assess(self, *, as_of=None, without=None):
        return strength.assess(
            self.evidence, self.sources, self.citations, as_of=as_of, without=without
        )

    def timeline(self):
        return strength.timeline(self.evidence, self.sources, self.citations)

    def what_if(self, *, as_of=None):
        return strength.what_if(self.evidence, self.sources, self.citations, as_of=as_of)


# From rows to facts


@dataclass(frozen=True)
class StatusChange:
    """A dated change of what the method reads of a source: its access, authenticity
    or the credibility of its content. `record` is what dates it (a custody event,
    or the source itself), `finding` the title of the source documenting it."""

    day: datetime.date
    what: str
    value: str
    finding: str
    record: object


_STATUS_OF = (
    ("access", CUSTODY_ACCESS),
    ("authenticity", CUSTODY_AUTHENTICITY),
    ("credibility", CUSTODY_CREDIBILITY),
)


def status_changes(source) -> list[StatusChange]:
    """Every dated change of a source's status, the one rule every page and the
    method use. A change counts from the latest day its date allows ("1970/1971"
    from 31 December 1971): before then nobody can say it had happened. A published
    source with no recorded release has been public since the end of its own date (a
    book of 1970 from 31 December 1970); any other source without one is public only
    today, since nobody can say since when."""
    changes = []
    for event in source.custody_events.all():
        if event.date_upper is None:
            continue
        for what, status_of_kind in _STATUS_OF:
            if event.kind in status_of_kind:
                finding = event.documented_in_title or ""
                changes.append(
                    StatusChange(event.date_upper, what, status_of_kind[event.kind], finding, event)
                )
    has_release = any(change.what == "access" for change in changes)
    if not has_release and source.access == Source.Access.PUBLISHED and source.date_upper:
        changes.append(StatusChange(source.date_upper, "access", source.access, "", source))
    return changes


def source_facts(source):
    """The strength method's view of a source: a model instance or any row with its
    names, whose `custody_events.all()` gives its custody events."""
    return _facts_of(source, status_changes(source))


def _facts_of(source, changes):
    access, authenticity, credibility = [], [], []
    for change in changes:
        if change.what == "access":
            access.append((change.day, strength.Access(change.value)))
        elif change.what == "authenticity":
            authenticity.append((change.day, strength.Authenticity(change.value), change.finding))
        else:
            credibility.append((change.day, strength.Credibility(change.value), change.finding))
    return strength.SourceFacts(
        key=source.slug,
        title=source.title,
        proximity=strength.Proximity(source.effective_proximity),
        access_now=strength.Access(source.access),
        authenticity_now=strength.Authenticity(source.authenticity),
        access_changes=tuple(access),
        authenticity_changes=tuple(authenticity),
        credibility_now=strength.Credibility(source.credibility),
        credibility_changes=tuple(credibility),
    )


def status_since(source) -> dict[str, StatusChange | None]:
    """For the access, authenticity and credibility a source has now, the change it
    has had it since, by the method's own reading (None where no record says)."""
    changes = status_changes(source)
    state = strength.state_on(_facts_of(source, changes))
    days = {
        "access": state.access_since if state else None,
        "authenticity": state.authenticity_finding[0]
        if state and state.authenticity_finding
        else None,
        "credibility": state.credibility_finding[0]
        if state and state.credibility_finding
        else None,
    }
    since = {}
    for what, day in days.items():
        matching = [change for change in changes if change.what == what and change.day == day]
        since[what] = matching[0] if matching else None
    return since


def evidence_facts(item):
    return strength.EvidenceFacts(
        key=item.pk,
        source_key=item.source.slug,
        stance=strength.Stance(item.stance),
        directness=strength.Directness(item.directness),
    )


def facts_from(evidence, links, *, known_sources=None):
    """The facts of one claim from its evidence items (each with its `source`) and the
    citation links reachable from their sources. `known_sources` maps a source's slug
    to its facts already worked out, for a batch in which sources recur."""
    known_sources = {} if known_sources is None else known_sources
    sources = {}
    for item in evidence:
        slug = item.source.slug
        if slug not in sources:
            if slug not in known_sources:
                known_sources[slug] = source_facts(item.source)
            sources[slug] = known_sources[slug]
    return ClaimFacts(
        evidence=tuple(evidence_facts(item) for item in evidence),
        sources=sources,
        citations=tuple(sorted({(link.citing_slug, link.cited_slug) for link in links})),
    )


# Reading rows


class _Events(list):
    """A source's custody events, answering `.all()` as a related manager does."""

    def all(self):
        return self


# The columns of a source that `source_facts` reads.
_SOURCE_COLUMNS = (
    "slug",
    "title",
    "kind",
    "proximity",
    "access",
    "authenticity",
    "credibility",
    "date_upper",
)


class _SourceRow:
    """A source's `_SOURCE_COLUMNS`, with the model's own `effective_proximity`, so no
    rule is copied here."""

    __slots__ = (*_SOURCE_COLUMNS, "custody_events")

    Kind = Source.Kind
    Proximity = Source.Proximity
    effective_proximity = Source.effective_proximity

    def __init__(self, *values):
        for name, value in zip(_SOURCE_COLUMNS, values, strict=True):
            setattr(self, name, value)
        self.custody_events = _Events()


@dataclass(frozen=True)
class _EventRow:
    kind: str
    date_upper: datetime.date | None
    documented_in_title: str | None


@dataclass(frozen=True)
class _EvidenceRow:
    pk: int
    source_id: int
    source: _SourceRow
    stance: str
    directness: str


def claims_facts(claim_ids: Sequence[int], *, using=None) -> dict[int, ClaimFacts]:
    """The facts behind each of these claims, from the primary database unless `using`
    names another."""
    using = using or router.db_for_write(Claim)
    evidence_rows: list[tuple] = []
    for chunk in graph.chunks(claim_ids):
        evidence_rows += (
            Evidence.objects.using(using)
            .filter(claim_id__in=chunk)
            .values_list("pk", "claim_id", "source_id", "stance", "directness")
        )
    source_ids = sorted({row[2] for row in evidence_rows})
    sources: dict[int, _SourceRow] = {}
    for chunk in graph.chunks(source_ids):
        for pk, *columns in (
            Source.objects.using(using).filter(pk__in=chunk).values_list("pk", *_SOURCE_COLUMNS)
        ):
            sources[pk] = _SourceRow(*columns)
        for source_id, *columns in (
            CustodyEvent.objects.using(using)
            .filter(source_id__in=chunk)
            .values_list("source_id", "kind", "date_upper", "documented_in__title")
        ):
            sources[source_id].custody_events.append(_EventRow(*columns))
    parents = graph.parents_by_citing(graph.ancestor_links(source_ids, using=using))

    evidence_by_claim: dict[int, list[_EvidenceRow]] = {pk: [] for pk in claim_ids}
    for pk, claim_id, source_id, stance, directness in evidence_rows:
        evidence_by_claim[claim_id].append(
            _EvidenceRow(pk, source_id, sources[source_id], stance, directness)
        )
    known_sources: dict[str, strength.SourceFacts] = {}
    return {
        claim_id: facts_from(
            items,
            graph.links_reachable_from({item.source_id for item in items}, parents),
            known_sources=known_sources,
        )
        for claim_id, items in evidence_by_claim.items()
    }


def claim_facts(claim) -> ClaimFacts:
    """The facts behind one claim (5 queries)."""
    return claims_facts([claim.pk])[claim.pk]


# The stored detail: today's timeline and what-if

# Any change to the strength method's code makes every stored detail stale.
METHOD_KEY = hashlib.blake2b(Path(strength.__file__).read_bytes(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """A level with its scores: what a timeline step or a what-if shows of an assessment."""

    level: strength.Level
    support: float
    contradiction: float


def facts_key(facts):
    """A key that changes whenever the facts, or the method, would give another
    timeline or what-if; the same however the facts were read, since every collection
    is put in order first. Dataclass reprs name every field, so a field added to the
    facts is part of the key without a change here."""
    canonical = repr(
        (
            METHOD_KEY,
            sorted(map(repr, facts.evidence)),
            sorted(map(_source_repr, facts.sources.values())),
            sorted(set(facts.citations)),
        )
    )
    return hashlib.blake2b(canonical.encode(), digest_size=16).hexdigest()


def _changes_in_order(changes):
    return tuple(sorted(changes, key=lambda change: (change[0], change[1].value)))


def _source_repr(source):
    if len(source.access_changes) < 2 and len(source.authenticity_changes) < 2:
        return repr(source)
    return repr(
        dataclasses.replace(
            source,
            access_changes=_changes_in_order(source.access_changes),
            authenticity_changes=_changes_in_order(source.authenticity_changes),
        )
    )


def _verdict_record(assessment):
    return [assessment.level.value, assessment.support, assessment.contradiction]


def detail_record(facts, key=None):
    """Today's timeline and what-if of these facts, as the JSON stored on the claim."""
    return {
        "key": key or facts_key(facts),
        "timeline": [
            [step.date.isoformat() if step.date else None, *_verdict_record(step.assessment)]
            for step in facts.timeline()
        ],
        "what_if": [
            [
                outcome.source_key,
                outcome.title,
                *_verdict_record(outcome.assessment_without),
                outcome.changes_level,
            ]
            for outcome in facts.what_if()
        ],
    }


def _verdict(level, support, contradiction):
    return Verdict(strength.Level(level), support, contradiction)


def detail_from_record(record):
    """(timeline, what-if) from a stored record, in the strength method's types, with
    `Verdict`s standing for the assessments."""
    timeline = tuple(
        strength.TimelineStep(
            date=datetime.date.fromisoformat(day) if day else None,
            assessment=_verdict(*verdict),
        )
        for day, *verdict in record["timeline"]
    )
    what_if = tuple(
        strength.WhatIf(
            source_key=source_key,
            title=title,
            assessment_without=_verdict(level, support, contradiction),
            changes_level=changes_level,
        )
        for source_key, title, level, support, contradiction, changes_level in record["what_if"]
    )
    return timeline, what_if


def claim_detail(claim, facts):
    """Today's timeline and what-if of the claim, for reading: as stored when it was
    worked out from these facts, otherwise worked out now and not stored (a read
    never writes; the next write to the claim, or `reassess`, stores it)."""
    record = claim.assessment_detail
    if not (isinstance(record, dict) and record.get("key") == facts_key(facts)):
        record = detail_record(facts)
    return detail_from_record(record)


# Assessing and storing


@dataclass(frozen=True)
class Change:
    """A claim whose stored level or scores differed from a fresh assessment."""

    slug: str
    before: str
    after: str


def _differs(stored: tuple, assessment) -> bool:
    level, support, contradiction = stored
    return (
        level != assessment.level.value
        or abs(support - assessment.support) > 1e-9
        or abs(contradiction - assessment.contradiction) > 1e-9
    )


STORED_FIELDS = ("strength_level", "strength_rank", "support_score", "contradiction_score")


def _store(rows: list[tuple], *, with_detail: bool, using) -> None:
    """Write (level, rank, support, contradiction, assessed_at[, detail], pk) rows to
    claims in one statement; `updated_at` stays as it is (no curator changed it)."""
    meta = Claim._meta
    names = [*STORED_FIELDS, "assessed_at", *(["assessment_detail"] if with_detail else [])]
    db = connections[using]
    quote = db.ops.quote_name
    assignments = ", ".join(f"{quote(meta.get_field(name).column)} = %s" for name in names)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with db.cursor() as cursor:
        cursor.executemany(sql, rows)


def _assess_batch(batch: Sequence[int], *, dry_run: bool, using, notify: bool = True):
    """Assess one batch of claims in one transaction. Returns the changes of level or
    scores; by claim id, what was stored with the assessment it came from; and the
    slugs of the claims whose pages show something new."""
    changes: list[Change] = []
    refreshed: list[str] = []
    stored_now: dict[int, dict] = {}
    with transaction.atomic(using=using):
        stored = {
            pk: (slug, (level, support, contradiction), detail_key)
            for pk, slug, level, support, contradiction, detail_key in Claim.objects.using(using)
            .filter(pk__in=batch)
            .values_list(
                "pk",
                "slug",
                "strength_level",
                "support_score",
                "contradiction_score",
                KT("assessment_detail__key"),
            )
        }
        facts = claims_facts([pk for pk in batch if pk in stored], using=using)
        db = connections[using]
        now = timezone.now()
        at = db.ops.adapt_datetimefield_value(now)
        detail_field = Claim._meta.get_field("assessment_detail")
        plain, detailed = [], []
        for pk in batch:
            if pk not in stored:
                continue  # deleted since the ids were read
            assessment = facts[pk].assess()
            slug, before, detail_key = stored[pk]
            if _differs(before, assessment):
                changes.append(Change(slug, before[0], assessment.level.value))
                refreshed.append(slug)
            values = [
                assessment.level.value,
                assessment.level.rank,
                assessment.support,
                assessment.contradiction,
            ]
            fields = dict(zip(STORED_FIELDS, values, strict=True), assessed_at=now)
            key = facts_key(facts[pk])
            if key == detail_key:
                plain.append((*values, at, pk))
            else:
                record = detail_record(facts[pk], key)
                if not refreshed or refreshed[-1] != slug:
                    refreshed.append(slug)
                fields["assessment_detail"] = record
                detailed.append((*values, at, detail_field.get_db_prep_save(record, db), pk))
            stored_now[pk] = (fields, assessment)
        if not dry_run:
            if plain:
                _store(plain, with_detail=False, using=using)
            if detailed:
                _store(detailed, with_detail=True, using=using)
    if refreshed and notify and not dry_run:
        # Readers' caches drop these claims' pages once the batch has committed.
        transaction.on_commit(
            lambda: assessments_changed.send(__name__, slugs=refreshed), using=using
        )
    return changes, stored_now, refreshed


def _assess_batch_in_worker(job):
    batch, dry_run, using = job
    changes, _, refreshed = _assess_batch(batch, dry_run=dry_run, using=using, notify=False)
    return len(batch), changes, refreshed


def claims_assess(
    claim_ids: Iterable[int],
    *,
    batch_size: int = 1000,
    dry_run: bool = False,
    on_batch: Callable[[int, int], None] | None = None,
    jobs: int = 1,
) -> list[Change]:
    """Recompute (and unless `dry_run`, store) the assessment of every claim named,
    `batch_size` claims per query round and per transaction. Returns the claims whose
    stored level or scores changed. `on_batch(done, total)` is called after each
    batch, for progress reports.

    With `jobs` above 1 on PostgreSQL, batches are assessed in that many forked
    processes, each with its own connection: the pure assessment is CPU-bound and
    takes most of the time. Inside a transaction (tests, or a caller's atomic block)
    it stays in this process, because other connections would not see uncommitted
    rows."""
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    claim_ids = list(claim_ids)
    using = router.db_for_write(Claim)
    batches = list(graph.chunks(claim_ids, batch_size))
    total, done = len(claim_ids), 0
    changes: list[Change] = []
    db = connections[using]
    parallel = (
        jobs > 1 and len(batches) > 1 and db.vendor == "postgresql" and not db.in_atomic_block
    )
    if not parallel:
        for batch in batches:
            changes += _assess_batch(batch, dry_run=dry_run, using=using)[0]
            done += len(batch)
            if on_batch is not None:
                on_batch(done, total)
        return changes
    connections.close_all()  # each process opens its own; none may share a socket
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(batches))) as pool:
        for count, batch_changes, refreshed in pool.imap(
            _assess_batch_in_worker, [(batch, dry_run, using) for batch in batches]
        ):
            changes += batch_changes
            if refreshed and not dry_run:
                # Sent here: a forked worker's cache connection is not the server's.
                assessments_changed.send(__name__, slugs=refreshed)
            done += count
            if on_batch is not None:
                on_batch(done, total)
    return changes


def claim_assess(*, claim):
    """Recompute and store one claim's assessment, which the instance takes too, and
    return it."""
    _, stored, _ = _assess_batch([claim.pk], dry_run=False, using=router.db_for_write(Claim))
    fields, assessment = stored[claim.pk]
    for field, value in fields.items():
        setattr(claim, field, value)
    return assessment


def claims_of_sources(source_ids: Iterable[int]):
    """Claims whose evidence rests on any of these sources, or on a source that
    derives from them, as a queryset of ids."""
    reached = graph.descendant_ids(source_ids)
    return Evidence.objects.filter(source_id__in=reached).values("claim_id").distinct()


def claims_assess_for_sources(source_ids: Iterable[int]) -> list[Change]:
    """Recompute every claim that a change to these sources touches."""
    return claims_assess(claims_of_sources(source_ids).values_list("claim_id", flat=True))


def settle_claims_table() -> None:
    """After storing many assessments: vacuum and analyse the claims table (PostgreSQL,
    outside a transaction; elsewhere nothing).

    Storing them rewrites every claim row, and until a vacuum marks the table's pages
    all-visible again, each index-only scan of claims visits the table for every row.
    Autovacuum would do this in time where it is on; doing it here leaves the table
    settled at once."""
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(Claim._meta.db_table)}")
