"""Writes that span models, and the bridge between the ORM and the pure strength
module (claims/strength.py).

The strength module never touches the database: `claim_evidence_facts` reads a claim's
evidence, the sources behind it, their custody events and the citation links between
them in a fixed number of queries, and hands plain facts over.
"""

import dataclasses
import datetime
import hashlib
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.db.models import Prefetch
from django.utils import timezone

from claims import strength
from claims.models import Claim, Evidence
from provenance.models import CUSTODY_ACCESS, CUSTODY_AUTHENTICITY, Citation, CustodyEvent, Source


@dataclass(frozen=True)
class ClaimFacts:
    """Everything the strength module needs about one claim, as plain data."""

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


def source_facts(source):
    """The strength module's view of a source. Its custody events must be prefetched
    (`custody_events`) or they are read here."""
    access_changes, authenticity_changes = [], []
    for event in source.custody_events.all():
        if event.date_lower is None:
            continue
        kind = CustodyEvent.Kind(event.kind)
        if kind in CUSTODY_ACCESS:
            access_changes.append((event.date_lower, strength.Access(CUSTODY_ACCESS[kind])))
        if kind in CUSTODY_AUTHENTICITY:
            authenticity_changes.append(
                (event.date_lower, strength.Authenticity(CUSTODY_AUTHENTICITY[kind]))
            )
    if not access_changes and source.access != Source.Access.CLASSIFIED:
        # No recorded change of access: the source has been as open as it is now since
        # it was made (a book published in 1970 is public from 1970).
        access_changes.append(
            (source.date_lower or datetime.date.min, strength.Access(source.access))
        )
    return strength.SourceFacts(
        key=source.slug,
        title=source.title,
        proximity=strength.Proximity(source.effective_proximity),
        access_now=strength.Access(source.access),
        authenticity_now=strength.Authenticity(source.authenticity),
        access_changes=tuple(access_changes),
        authenticity_changes=tuple(authenticity_changes),
    )


def evidence_facts(item):
    return strength.EvidenceFacts(
        key=item.pk,
        source_key=item.source.slug,
        stance=strength.Stance(item.stance),
        directness=strength.Directness(item.directness),
    )


def citation_pairs(source_ids):
    """Every citation link reachable from the given sources, walked to the roots, as
    (citing slug, cited slug) pairs. One query per generation of ancestors."""
    pairs, seen, frontier = set(), set(), set(source_ids)
    while frontier:
        seen |= frontier
        links = Citation.objects.filter(citing_id__in=frontier).values_list(
            "citing__slug", "cited__slug", "cited_id"
        )
        frontier = set()
        for citing_slug, cited_slug, cited_id in links:
            pairs.add((citing_slug, cited_slug))
            if cited_id not in seen:
                frontier.add(cited_id)
    return tuple(sorted(pairs))


def claim_facts(claim, *, evidence=None):
    """Read the facts behind a claim. Pass `evidence` already fetched with
    `Evidence.objects.with_facts()`-style prefetching to save the queries."""
    if evidence is None:
        evidence = list(
            Evidence.objects.filter(claim=claim)
            .select_related("source")
            .prefetch_related(Prefetch("source__custody_events"))
        )
    sources = {item.source.slug: source_facts(item.source) for item in evidence}
    return ClaimFacts(
        evidence=tuple(evidence_facts(item) for item in evidence),
        sources=sources,
        citations=citation_pairs({item.source_id for item in evidence}),
    )


def claim_assess(*, claim, save=True):
    """Compute the claim's current assessment and, with `save`, store it on the claim
    with its timeline and what-if."""
    facts = claim_facts(claim)
    assessment = facts.assess()
    if save:
        claim_store_assessment(claim=claim, assessment=assessment, detail=_record_for(claim, facts))
    return assessment


def claim_store_assessment(*, claim, assessment, detail=None):
    """Store an assessment on the claim (row and instance) without touching anything
    else; `detail`, from `detail_record`, is stored with it when given."""
    stored = {
        "strength_level": assessment.level.value,
        "strength_rank": assessment.level.rank,
        "support_score": assessment.support,
        "contradiction_score": assessment.contradiction,
        "assessed_at": timezone.now(),
    }
    if detail is not None:
        stored["assessment_detail"] = detail
    Claim.objects.filter(pk=claim.pk).update(**stored)
    for field, value in stored.items():
        setattr(claim, field, value)


# The stored timeline and what-if
#
# Working out a claim's timeline takes one assessment per dated change of its sources,
# and its what-if one per source: 8 ms for a claim of ten items, 0.2 s for one of fifty.
# Readers ask for them far more often than the evidence changes, so they are stored on
# the claim (`Claim.assessment_detail`) under the key of the facts and the method they
# were worked out from. The key is checked on every read: a record from other facts,
# or from another version of claims/strength.py, is never shown; it is worked out
# again and stored over. Changes made through the models store a fresh record at once
# (`claim_assess`); the batch reassessment only drops records that no longer match,
# and the next read fills them in.

# Any change to the strength module's code makes every stored record stale.
METHOD_KEY = hashlib.blake2b(Path(strength.__file__).read_bytes(), digest_size=8).hexdigest()


@dataclass(frozen=True)
class Verdict:
    """A level with its scores: what a timeline step or a what-if shows of an assessment."""

    level: strength.Level
    support: float
    contradiction: float


def facts_key(facts):
    """A key that changes whenever the facts, or the method, would give another
    timeline or what-if; the same however the facts were read (page or batch), since
    every collection is put in order first. Dataclass reprs name every field, so a
    field added to the facts is part of the key without a change here."""
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
    """(timeline, what-if) from a stored record, in the strength module's types, with
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


def _record_for(claim, facts):
    """The claim's stored record when it was worked out from these facts (a save that
    changed nothing the strength depends on keeps it), else one worked out now."""
    key = facts_key(facts)
    record = claim.assessment_detail
    if isinstance(record, dict) and record.get("key") == key:
        return record
    return detail_record(facts, key)


def claim_detail(claim, facts):
    """Today's timeline and what-if of the claim: from its stored record when that was
    worked out from these facts, otherwise worked out now and stored (one UPDATE)."""
    record = _record_for(claim, facts)
    if record is not claim.assessment_detail:
        Claim.objects.filter(pk=claim.pk).update(assessment_detail=record)
        claim.assessment_detail = record
    return detail_from_record(record)


def claims_affected_by_sources(source_ids):
    """Claims whose evidence rests on any of these sources, or on a source that
    derives from them (a change to a root changes every line that reaches it)."""
    reached, frontier = set(source_ids), set(source_ids)
    while frontier:
        frontier = (
            set(Citation.objects.filter(cited_id__in=frontier).values_list("citing_id", flat=True))
            - reached
        )
        reached |= frontier
    return Claim.objects.filter(evidence__source_id__in=reached).distinct()


def claims_reassess(claims):
    """Recompute and store the assessment of each claim; returns how many changed."""
    changed = 0
    for claim in claims:
        before = (claim.strength_level, claim.support_score, claim.contradiction_score)
        claim_assess(claim=claim)
        if before != (claim.strength_level, claim.support_score, claim.contradiction_score):
            changed += 1
    return changed


def claims_reassess_for_sources(source_ids):
    """Recompute, inside the current transaction, every claim a source change touches."""
    with transaction.atomic():
        claims_reassess(claims_affected_by_sources(source_ids))
