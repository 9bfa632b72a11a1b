"""The claim for programs at /claims/<slug>.json: the same verdict, timeline and lines
as the page, in the shape documented in docs/api.md."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.builders import korean_war_claim, log_correction, make_claim

pytestmark = pytest.mark.django_db


def get_json(client, claim, query=""):
    return client.get(reverse("claims:json", kwargs={"slug": claim.slug}) + query)


@pytest.fixture
def claim():
    return korean_war_claim()


def test_json_carries_the_documented_top_level_keys(client, claim):
    response = get_json(client, claim)

    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    data = response.json()
    assert set(data) == {
        "statement",
        "slug",
        "url",
        "status",
        "summary",
        "date",
        "assessment",
        "timeline",
        "lines",
        "not_counted",
        "what_if",
        "corrections",
        "subjects",
        "topics",
    }
    assert data["statement"] == claim.statement
    assert data["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert data["status"] == "published"
    assert data["date"] == {
        "edtf": "1950-01/1950-06",
        "words": "January–June 1950",
        "lower": "1950-01-01",
        "upper": "1950-06-30",
    }
    assert [subject["name"] for subject in data["subjects"]] == ["Joseph Stalin"]


def test_json_assessment_level_is_the_label_shown_on_the_page(client, claim):
    data = get_json(client, claim).json()
    page = client.get(claim.get_absolute_url()).content.decode()

    assessment = data["assessment"]
    assert assessment["level"] == "Established"
    assert assessment["level_code"] == "established"
    assert assessment["as_of"] is None
    assert assessment["support"] == pytest.approx(claim.support_score, abs=1e-4)
    assert assessment["summary"] in page
    verdict = page.split('id="verdict-heading"')[1].split("</section>")[0]
    assert f'<span class="badge__label">{assessment["level"]}</span>' in verdict


def test_json_timeline_has_iso_dates_and_levels_matching_the_page(client, claim):
    data = get_json(client, claim).json()
    page = client.get(claim.get_absolute_url()).content.decode()

    assert [(step["date"], step["level"]) for step in data["timeline"]] == [
        (None, "No evidence recorded"),
        ("1970-12-31", "Weak"),
        ("1990-12-31", "Moderate"),
        ("1993-01-12", "Strong"),
    ]
    steps = page.split('<ol class="timeline-steps">')[1].split("</ol>")[0]
    labels = re.findall(r'<span class="badge__label">([^<]+)</span>', steps)
    # The page adds a step for today where today's verdict differs from the last dated
    # one: no dated finding says since when the telegrams have been judged genuine.
    assert labels == [step["level"] for step in data["timeline"]] + ["Established"]


def test_json_lines_hold_items_with_factors_quotation_source_and_presentations(client, claim):
    lines = get_json(client, claim).json()["lines"]

    assert len(lines) == 2
    first = lines[0]
    assert first["support_weight"] == 0.9
    assert [item["source"]["title"] for item in first["items"]] == [
        "Stalin–Kim telegrams",
        "On the Korean War, 1950–53, and the armistice negotiations",
    ]
    report = first["items"][1]
    assert report["stance"] == "supports"
    assert report["weight"] == 0.72
    assert report["factors"]["proximity"] == {"value": "official_retrospective", "weight": 0.8}
    assert report["quotation"] == "Stalin gave his consent to the proposal of Kim Il Sung."
    assert report["locator"] == "p. 2"
    assert report["source"]["kind"] == "report"
    assert report["source"]["url"].startswith("http://testserver/sources/")
    (presentation,) = report["presentations"]
    # Presenters come in alphabetical order of their sort names.
    assert [agent["name"] for agent in presentation["presenters"]] == [
        "David Holloway",
        "Kathryn Weathersby",
    ]
    assert presentation["event"]["name"] == "CWIHP conference on Cold War history"
    assert presentation["reported_in"]["title"] == "Historians say Stalin approved the invasion"


def test_json_what_if_names_each_counted_source(client, claim):
    what_if = get_json(client, claim).json()["what_if"]

    by_title = {entry["without"]["title"]: entry for entry in what_if}
    assert by_title["Khrushchev Remembers"]["level"] == "Moderate"
    assert by_title["Khrushchev Remembers"]["changes_level"] is True
    report = by_title["On the Korean War, 1950–53, and the armistice negotiations"]
    assert report["level"] == "Established"
    assert report["changes_level"] is False


@pytest.mark.parametrize(
    ("as_of", "level", "iso"),
    [("1969", "No evidence recorded", "1969-12-31"), ("1992-06", "Moderate", "1992-06-30")],
)
def test_json_as_of_matches_the_page_as_of_the_same_date(client, claim, as_of, level, iso):
    data = get_json(client, claim, f"?as_of={as_of}").json()
    page = client.get(claim.get_absolute_url() + f"?as_of={as_of}").content.decode()

    assert data["assessment"]["level"] == level
    assert data["assessment"]["as_of"] == iso
    verdict = page.split('id="verdict-heading"')[1].split("</section>")[0]
    assert f'<span class="badge__label">{level}</span>' in verdict
    assert data["assessment"]["summary"] in page


def test_json_as_of_lists_what_was_not_yet_public(client, claim):
    data = get_json(client, claim, "?as_of=1992").json()

    assert {entry["source"]["title"] for entry in data["not_counted"]} == {
        "Stalin–Kim telegrams",
        "On the Korean War, 1950–53, and the armistice negotiations",
    }


def test_malformed_as_of_gets_a_json_error_with_status_400(client, claim):
    response = get_json(client, claim, "?as_of=1969-13")

    assert response.status_code == 400
    assert response.json()["parameter"] == "as_of"
    assert "Write a year (1969)" in response.json()["error"]


@pytest.mark.parametrize("status", [Claim.Status.DRAFT, Claim.Status.IN_REVIEW])
def test_json_of_an_unpublished_claim_is_404_even_for_staff(client, admin_user, status):
    claim = make_claim("A claim still being checked", status=status)
    assert get_json(client, claim).status_code == 404
    client.force_login(admin_user)
    assert get_json(client, claim).status_code == 404


def test_json_lists_the_claims_log_of_corrections_as_its_page_does(client, claim, editor):
    entry = log_correction(claim, editor, "The date of the report was corrected.")

    (logged,) = get_json(client, claim).json()["corrections"]

    assert logged == {
        "at": entry.at_second.isoformat(),
        "kind": "correction",
        "label": "Correction",
        "reason": "The date of the report was corrected.",
        "level_before": None,
        "level_after": None,
        "url": f"http://testserver{claim.get_absolute_url()}#correction-{entry.pk}",
    }
    assert f'id="correction-{entry.pk}"' in client.get(claim.get_absolute_url()).content.decode()


def test_json_reads_in_the_same_eight_queries_as_the_page(client, claim, django_assert_num_queries):
    # 1 claim; 2 subjects and topics; 3 evidence with sources; 4 custody events;
    # 5 creators; 6 presentations with presenters; 7 citations (one recursive query);
    # 8 its log of corrections.
    with django_assert_num_queries(8):
        assert get_json(client, claim).status_code == 200
