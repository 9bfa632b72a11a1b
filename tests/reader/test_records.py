"""The claim page reads its evidence as light records (reader/records.py). They must
say exactly what the models say, in the models' order, or a reader would see a source
with the wrong kind, creators in the wrong order, or a verdict worked out from
different facts than the stored one."""

import pytest
from django.db.models import Prefetch

from claims import assessment
from claims.models import Claim, Evidence, Presentation
from provenance import graph
from provenance.models import SourceCreator
from reader import records as page_records

pytestmark = pytest.mark.django_db


def models_of(claim):
    return list(
        Evidence.objects.filter(claim=claim)
        .select_related("source")
        .prefetch_related(
            "source__custody_events",
            Prefetch(
                "source__creator_roles", queryset=SourceCreator.objects.select_related("agent")
            ),
            Prefetch(
                "presentations",
                queryset=Presentation.objects.select_related("event", "reported_in")
                .prefetch_related("presenters")
                .order_by("date_lower", "id"),
            ),
        )
        .order_by("id")
    )


def agent_view(agent):
    return (agent.slug, agent.name, agent.kind, agent.is_organisation, agent.get_absolute_url())


def source_view(source):
    return (
        source.pk,
        source.slug,
        source.title,
        source.get_kind_display(),
        source.effective_proximity,
        source.access,
        source.authenticity,
        source.date,
        source.date_in_words,
        source.date_lower,
        source.url,
        source.get_absolute_url(),
        [
            (event.kind, event.date, event.date_lower, event.date_upper)
            for event in source.custody_events.all()
        ],
        [(role.role, agent_view(role.agent)) for role in source.creator_roles.all()],
    )


def presentation_view(presentation):
    event, report = presentation.event, presentation.reported_in
    return (
        presentation.date,
        presentation.date_in_words,
        presentation.note,
        (event.slug, event.name, event.place, event.get_absolute_url()) if event else None,
        (report.slug, report.title, report.date, report.get_absolute_url()) if report else None,
        [agent_view(agent) for agent in presentation.presenters.all()],
    )


def item_view(item):
    return (
        item.pk,
        item.source_id,
        item.get_stance_display(),
        item.get_directness_display(),
        item.quotation,
        item.locator,
        item.note,
        source_view(item.source),
        [presentation_view(presentation) for presentation in item.presentations.all()],
    )


def test_records_say_what_the_models_say_for_every_demo_claim(demo_data):
    claims = list(Claim.objects.all())
    assert claims
    for claim in claims:
        records = page_records.claim_evidence(claim)
        assert [item_view(item) for item in records] == [
            item_view(item) for item in models_of(claim)
        ], claim.slug


def test_the_strength_facts_from_records_are_those_from_models(demo_data):
    claim = Claim.objects.get(slug="stalin-approved-invasion")
    links = graph.ancestor_links(
        Evidence.objects.filter(claim=claim).values_list("source_id", flat=True)
    )
    from_records = assessment.facts_from(page_records.claim_evidence(claim), links)
    models = Evidence.objects.filter(claim=claim).select_related("source")
    from_models = assessment.facts_from(models.prefetch_related("source__custody_events"), links)
    # The page lists items by id, the model by stance: the same items either way.
    assert sorted(from_records.evidence, key=str) == sorted(from_models.evidence, key=str)
    assert (from_records.sources, from_records.citations) == (
        from_models.sources,
        from_models.citations,
    )
    assert from_records.assess().level.value == claim.strength_level


def test_a_claim_without_evidence_reads_in_one_query(django_assert_num_queries):
    claim = Claim.objects.create(slug="no-evidence-yet", statement="Nothing recorded yet.")
    with django_assert_num_queries(1):
        assert page_records.claim_evidence(claim) == []


def test_a_choice_the_model_no_longer_offers_shows_as_stored():
    assert page_records._label(Evidence.Stance, "supports") == "Supports"
    assert page_records._label(Evidence.Stance, "retired-stance") == "retired-stance"


def test_subjects_and_topics_are_those_of_the_models_in_the_models_order(demo_data):
    for claim in Claim.objects.all():
        subjects, topics = page_records.claim_subjects_and_topics(claim)
        assert [(a.slug, a.name, a.kind, a.get_absolute_url()) for a in subjects] == [
            (a.slug, a.name, a.kind, a.get_absolute_url()) for a in claim.subjects.all()
        ], claim.slug
        assert [(t.slug, t.name, t.get_absolute_url()) for t in topics] == [
            (t.slug, t.name, t.get_absolute_url()) for t in claim.topics.all()
        ], claim.slug
