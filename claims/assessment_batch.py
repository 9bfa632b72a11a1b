"""Assess many claims at once: the same assessment as `services.claim_assess`, read in a
constant number of queries per batch of claims instead of several per claim.

`services.claim_facts` reads one claim's evidence, sources, custody events and the
citation links behind them in a handful of queries, which is right for one claim and
too slow for a hundred thousand (the `reassess` command and the archive generator).
Here a batch of claims is read with one query per table (plus one per generation of
citation ancestors not seen before), into light row objects that `services.source_facts`
and `services.evidence_facts` accept as they are, so the rules that turn rows into the
strength module's facts live in one place only. The pure `strength.assess` then runs
per claim, and the results are written back with one `executemany`.

`tests/benchmarks/test_generate_archive.py` checks that the two paths agree claim for claim.
"""

from __future__ import annotations

import multiprocessing
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass

from django.db import connection, connections, transaction
from django.db.models.fields.json import KT
from django.utils import timezone

from claims import services
from claims.models import Claim, Evidence
from provenance.models import Citation, CustodyEvent, Source

# Ids per IN (...) list: SQLite's limit on query parameters is 32,766; PostgreSQL has
# none that matters, but very long lists parse slowly.
IN_CHUNK = 5000


class _Events(list):
    """A source's custody events, answering `.all()` like the prefetched manager
    `services.source_facts` reads."""

    def all(self):
        return self


class _SourceRow:
    """The columns of a source that `services.source_facts` reads, with the model's
    own `effective_proximity` property, so no rule is copied here."""

    __slots__ = (
        "slug",
        "title",
        "kind",
        "proximity",
        "access",
        "authenticity",
        "date_lower",
        "custody_events",
    )

    Kind = Source.Kind
    Proximity = Source.Proximity
    effective_proximity = Source.effective_proximity

    def __init__(self, slug, title, kind, proximity, access, authenticity, date_lower):
        self.slug, self.title, self.kind, self.proximity = slug, title, kind, proximity
        self.access, self.authenticity, self.date_lower = access, authenticity, date_lower
        self.custody_events = _Events()


class _EventRow:
    __slots__ = ("kind", "date_lower")

    def __init__(self, kind, date_lower):
        self.kind, self.date_lower = kind, date_lower


class _EvidenceRow:
    """The columns of an evidence item that `services.evidence_facts` reads."""

    __slots__ = ("pk", "source_id", "source", "stance", "directness")

    def __init__(self, pk, source_id, source, stance, directness):
        self.pk, self.source_id, self.source = pk, source_id, source
        self.stance, self.directness = stance, directness


def _chunks(ids: Sequence, size: int = IN_CHUNK):
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


class CitationGraph:
    """The citation links between sources, read lazily and kept for the whole run:
    each source's links are read once, however many batches reach it."""

    def __init__(self):
        self.derives_from: dict[int, tuple[int, ...]] = {}
        self.slugs: dict[int, str] = {}

    def load_ancestors_of(self, source_ids: Iterable[int]) -> None:
        """Read every link reachable from these sources, one query per generation of
        sources not read before."""
        frontier = {pk for pk in source_ids if pk not in self.derives_from}
        while frontier:
            found: dict[int, list[int]] = {pk: [] for pk in frontier}
            for chunk in _chunks(sorted(frontier)):
                for citing_id, cited_id in Citation.objects.filter(citing_id__in=chunk).values_list(
                    "citing_id", "cited_id"
                ):
                    found[citing_id].append(cited_id)
            for pk, parents in found.items():
                self.derives_from[pk] = tuple(parents)
            frontier = {
                parent
                for parents in found.values()
                for parent in parents
                if parent not in self.derives_from
            }

    def load_slugs(self, source_ids: Iterable[int]) -> None:
        missing = sorted({pk for pk in source_ids if pk not in self.slugs})
        for chunk in _chunks(missing):
            self.slugs.update(Source.objects.filter(pk__in=chunk).values_list("pk", "slug"))

    def reachable_links(self, source_ids: Iterable[int]) -> set[tuple[int, int]]:
        """Every (citing, cited) link walked from these sources to the roots."""
        links, seen, waiting = set(), set(), list(source_ids)
        while waiting:
            pk = waiting.pop()
            if pk in seen:
                continue
            seen.add(pk)
            for parent in self.derives_from.get(pk, ()):
                links.add((pk, parent))
                waiting.append(parent)
        return links


def claims_facts(
    claim_ids: Sequence[int], *, graph: CitationGraph | None = None
) -> dict[int, services.ClaimFacts]:
    """The facts behind each of these claims, as `services.claim_facts` reads them,
    in a constant number of queries (plus one per new generation of citations)."""
    graph = graph if graph is not None else CitationGraph()
    evidence_rows: list[tuple] = []
    for chunk in _chunks(list(claim_ids)):
        evidence_rows += Evidence.objects.filter(claim_id__in=chunk).values_list(
            "pk", "claim_id", "source_id", "stance", "directness"
        )
    source_ids = sorted({row[2] for row in evidence_rows})
    sources: dict[int, _SourceRow] = {}
    for chunk in _chunks(source_ids):
        for pk, *columns in Source.objects.filter(pk__in=chunk).values_list(
            "pk", "slug", "title", "kind", "proximity", "access", "authenticity", "date_lower"
        ):
            sources[pk] = _SourceRow(*columns)
        for source_id, kind, date_lower in CustodyEvent.objects.filter(
            source_id__in=chunk
        ).values_list("source_id", "kind", "date_lower"):
            sources[source_id].custody_events.append(_EventRow(kind, date_lower))
    graph.load_ancestors_of(source_ids)

    evidence_by_claim: dict[int, list[_EvidenceRow]] = {pk: [] for pk in claim_ids}
    for pk, claim_id, source_id, stance, directness in evidence_rows:
        evidence_by_claim[claim_id].append(
            _EvidenceRow(pk, source_id, sources[source_id], stance, directness)
        )
    links_by_claim = {
        claim_id: graph.reachable_links({item.source_id for item in items})
        for claim_id, items in evidence_by_claim.items()
    }
    graph.load_slugs(pk for links in links_by_claim.values() for link in links for pk in link)
    source_facts = {pk: services.source_facts(row) for pk, row in sources.items()}
    return {
        claim_id: services.ClaimFacts(
            evidence=tuple(services.evidence_facts(item) for item in items),
            sources={item.source.slug: source_facts[item.source_id] for item in items},
            citations=tuple(
                sorted((graph.slugs[citing], graph.slugs[cited]) for citing, cited in links)
            ),
        )
        for claim_id, items in evidence_by_claim.items()
        for links in [links_by_claim[claim_id]]
    }


@dataclass(frozen=True)
class Change:
    """A claim whose stored assessment differed from a fresh one."""

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


def _store(rows: list[tuple]) -> None:
    """Write (level, rank, support, contradiction, assessed_at, pk) rows to claims, as
    `services.claim_store_assessment` does one at a time (updated_at untouched)."""
    meta = Claim._meta
    columns = [
        meta.get_field(name).column
        for name in (
            "strength_level",
            "strength_rank",
            "support_score",
            "contradiction_score",
            "assessed_at",
        )
    ]
    quote = connection.ops.quote_name
    assignments = ", ".join(f"{quote(column)} = %s" for column in columns)
    sql = f"UPDATE {quote(meta.db_table)} SET {assignments} WHERE {quote(meta.pk.column)} = %s"
    with connection.cursor() as cursor:
        cursor.executemany(sql, rows)


def _assess_batch(batch: Sequence[int], *, graph: CitationGraph, dry_run: bool) -> list[Change]:
    """Assess one batch of claims in one transaction; returns what changed."""
    changes: list[Change] = []
    with transaction.atomic():
        stored = {
            pk: (slug, (level, support, contradiction), detail_key)
            for pk, slug, level, support, contradiction, detail_key in Claim.objects.filter(
                pk__in=batch
            ).values_list(
                "pk",
                "slug",
                "strength_level",
                "support_score",
                "contradiction_score",
                KT("assessment_detail__key"),
            )
        }
        facts = claims_facts([pk for pk in batch if pk in stored], graph=graph)
        now = connection.ops.adapt_datetimefield_value(timezone.now())
        rows, stale_details = [], []
        for pk in batch:
            if pk not in stored:
                continue  # deleted since the ids were read
            assessment = facts[pk].assess()
            slug, before, detail_key = stored[pk]
            if detail_key is not None and detail_key != services.facts_key(facts[pk]):
                # Worked out from other facts or by another method: the next read
                # of the claim's page works it out again (services.claim_detail).
                stale_details.append(pk)
            if _differs(before, assessment):
                changes.append(Change(slug, before[0], assessment.level.value))
            rows.append(
                (
                    assessment.level.value,
                    assessment.level.rank,
                    assessment.support,
                    assessment.contradiction,
                    now,
                    pk,
                )
            )
        if rows and not dry_run:
            _store(rows)
        if stale_details and not dry_run:
            Claim.objects.filter(pk__in=stale_details).update(assessment_detail=None)
    return changes


_worker_graph: CitationGraph | None = None


def _assess_batch_in_worker(job: tuple[Sequence[int], bool]) -> tuple[int, list[Change]]:
    global _worker_graph
    if _worker_graph is None:
        _worker_graph = CitationGraph()
    batch, dry_run = job
    return len(batch), _assess_batch(batch, graph=_worker_graph, dry_run=dry_run)


def claims_assess_in_batches(
    *,
    claim_ids: Sequence[int],
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
    batches = list(_chunks(list(claim_ids), batch_size))
    total, done = len(claim_ids), 0
    changes: list[Change] = []
    parallel = (
        jobs > 1
        and len(batches) > 1
        and connection.vendor == "postgresql"
        and not connection.in_atomic_block
    )
    if not parallel:
        graph = CitationGraph()
        for batch in batches:
            changes += _assess_batch(batch, graph=graph, dry_run=dry_run)
            done += len(batch)
            if on_batch is not None:
                on_batch(done, total)
        return changes
    connections.close_all()  # each process opens its own; none may share a socket
    context = multiprocessing.get_context("fork")
    with context.Pool(min(jobs, len(batches))) as pool:
        for count, batch_changes in pool.imap(
            _assess_batch_in_worker, [(batch, dry_run) for batch in batches]
        ):
            changes += batch_changes
            done += count
            if on_batch is not None:
                on_batch(done, total)
    return changes


def settle_claims_table() -> None:
    """After storing many assessments: vacuum and analyse the claims table (PostgreSQL,
    outside a transaction; elsewhere nothing).

    Storing them rewrites every claim row. Until a vacuum marks the table's pages
    all-visible again, each index-only scan of claims visits the table for every row
    (measured: the list filtered by strength and topic took 45–80 ms of SQL instead
    of 12 at 100,000 claims). Autovacuum would do this in time, where it is on (it is
    off on some servers); doing it here leaves the table settled at once.
    """
    if connection.vendor != "postgresql" or connection.in_atomic_block:
        return
    with connection.cursor() as cursor:
        cursor.execute(f"VACUUM (ANALYZE) {connection.ops.quote_name(Claim._meta.db_table)}")
