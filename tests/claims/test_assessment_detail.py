"""Each claim's timeline and what-if are stored beside its assessment, under the key of
the facts and the method they were worked out from, by every write that changes them,
so a reader's page neither works them out per request nor writes; a stored record
that no longer matches is never shown."""

import pytest
from django.urls import reverse

from claims import assessment
from claims.models import Claim, Evidence
from provenance.models import CustodyEvent, Source
from tests.builders import add_evidence, korean_war_claim, make_claim, make_source

pytestmark = pytest.mark.django_db


def page(client, claim):
    response = client.get(reverse("claims:detail", kwargs={"slug": claim.slug}))
    assert response.status_code == 200
    return response.content.decode()


def fresh(claim):
    return Claim.objects.get(pk=claim.pk)


def levels_and_scores(timeline, what_if):
    return (
        [(step.date, step.assessment.level, step.assessment.support) for step in timeline],
        [(o.source_key, o.title, o.assessment_without.level, o.changes_level) for o in what_if],
    )


def test_a_change_through_the_models_stores_the_timeline_and_what_if_at_once():
    claim = fresh(korean_war_claim())
    facts = assessment.claim_facts(claim)
    record = claim.assessment_detail
    assert record["key"] == assessment.facts_key(facts)
    assert levels_and_scores(*assessment.detail_from_record(record)) == levels_and_scores(
        facts.timeline(), facts.what_if()
    )


def test_the_claim_page_reads_the_stored_record_without_working_it_out(
    client, monkeypatch, django_assert_num_queries
):
    claim = korean_war_claim()

    def must_not_run(*args, **kwargs):
        raise AssertionError("the timeline was worked out again")

    monkeypatch.setattr(assessment.ClaimFacts, "timeline", must_not_run)
    # The page's seven reads and its corrections log.
    with django_assert_num_queries(8):
        html = page(client, claim)
    assert "How the strength changed over time" in html


def test_a_record_from_other_facts_is_never_shown_but_worked_out_without_writing(
    client, django_assert_num_queries
):
    claim = korean_war_claim()
    good = fresh(claim).assessment_detail
    wrong = {
        "key": "0" * 32,
        "timeline": [[None, "contradicted", 0.0, 0.9]],
        "what_if": [[good["what_if"][0][0], "A forged title", "contradicted", 0.0, 0.9, True]],
    }
    Claim.objects.filter(pk=claim.pk).update(assessment_detail=wrong)

    # The eight page queries (its seven reads and the corrections log), and no UPDATE:
    # a read never writes.
    with django_assert_num_queries(8):
        html = page(client, claim)
    assert "A forged title" not in html
    assert "badge--contradicted" not in html
    assert fresh(claim).assessment_detail == wrong

    assessment.claims_assess([claim.pk])  # as `reassess` does
    assert fresh(claim).assessment_detail == good


@pytest.mark.parametrize("broken", [None, [], "text", {"timeline": []}])
def test_a_missing_or_malformed_record_is_worked_out_for_the_page_and_stored_by_reassessing(
    client, broken
):
    claim = korean_war_claim()
    good = fresh(claim).assessment_detail
    Claim.objects.filter(pk=claim.pk).update(assessment_detail=broken)
    html = page(client, claim)
    assert "How the strength changed over time" in html
    assert fresh(claim).assessment_detail == broken
    assessment.claims_assess([claim.pk])
    assert fresh(claim).assessment_detail == good


def test_a_new_custody_event_changes_the_stored_timeline():
    claim = make_claim("A memo said so")
    memo = make_source("Memo", kind=Source.Kind.MEMORANDUM, date="1950")
    CustodyEvent.objects.create(source=memo, kind=CustodyEvent.Kind.CLASSIFIED, date="1950")
    add_evidence(claim, memo, directness=Evidence.Directness.DIRECT)
    before = fresh(claim).assessment_detail
    assert [step[0] for step in before["timeline"]] == [None]

    CustodyEvent.objects.create(source=memo, kind=CustodyEvent.Kind.DECLASSIFIED, date="1993")
    after = fresh(claim).assessment_detail
    assert after["key"] != before["key"]
    # Declassified "1993": counted from the last day that date allows.
    assert [step[0] for step in after["timeline"]] == [None, "1993-12-31"]


def test_the_batch_path_and_the_page_path_give_the_same_key(demo_data):
    from reader import records, selectors

    claims = list(Claim.objects.order_by("pk"))
    batch = assessment.claims_facts([claim.pk for claim in claims])
    for claim in claims:
        evidence = records.claim_evidence(claim)
        links = selectors.citation_links({item.source_id for item in evidence})
        on_the_page = assessment.facts_from(evidence, links)
        assert assessment.facts_key(batch[claim.pk]) == assessment.facts_key(on_the_page), (
            claim.slug
        )


def test_reassessing_keeps_matching_records_and_stores_stale_ones_afresh(demo_data):
    claims = list(Claim.objects.order_by("pk"))
    stale, kept = claims[0], claims[1]
    stale_record = fresh(stale).assessment_detail
    Claim.objects.filter(pk=stale.pk).update(
        assessment_detail={"key": "stale", "timeline": [], "what_if": []}
    )
    kept_record = fresh(kept).assessment_detail

    assessment.claims_assess([claim.pk for claim in claims])

    assert fresh(stale).assessment_detail == stale_record
    assert fresh(kept).assessment_detail == kept_record


def test_the_key_changes_with_the_method(monkeypatch):
    claim = korean_war_claim()
    facts = assessment.claim_facts(claim)
    before = assessment.facts_key(facts)
    monkeypatch.setattr(assessment, "METHOD_KEY", "another version of strength.py")
    assert assessment.facts_key(facts) != before


def test_a_save_that_changes_nothing_the_strength_depends_on_keeps_the_record(monkeypatch):
    claim = korean_war_claim()
    record = fresh(claim).assessment_detail

    def must_not_run(*args, **kwargs):
        raise AssertionError("the timeline was worked out again")

    monkeypatch.setattr(assessment.ClaimFacts, "timeline", must_not_run)
    item = Evidence.objects.filter(claim=claim).first()
    item.quotation = "A corrected quotation."
    item.save()  # reassesses the claim
    assert fresh(claim).assessment_detail == record
