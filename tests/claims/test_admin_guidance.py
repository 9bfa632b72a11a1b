"""The claim's admin page as a curator meets it: a statement box that shows the
sentence, presenters recorded with a new evidence item in the same save, and the
assessment naming its level once."""

import pytest

from claims.models import Claim, Evidence
from provenance.models import Agent, Event, Source
from tests.builders import admin_url, form_data, korean_war_claim, make_source, messages_of

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return korean_war_claim(status=Claim.Status.DRAFT)


def test_a_claims_statement_is_written_in_a_box_of_several_lines(curator_client):
    response = curator_client.get(admin_url(Claim, "add"))
    assert '<textarea name="statement" cols="80" rows="3"' in response.text


def new_evidence_with_a_presentation(data, *, source, presenter, event):
    """The form as a curator fills it in: one more evidence item, and inside it, who
    presented it, where and when, before the item has ever been saved."""
    index = int(data["evidence-TOTAL_FORMS"])
    data["evidence-TOTAL_FORMS"] = str(index + 1)
    item = f"evidence-{index}"
    data.update(
        {
            f"{item}-source": str(source.pk),
            f"{item}-stance": "supports",
            f"{item}-directness": "direct",
            f"{item}-quotation": "",
            f"{item}-locator": "",
            f"{item}-note": "",
            f"{item}-presentations-TOTAL_FORMS": "1",
            f"{item}-presentations-INITIAL_FORMS": "0",
            f"{item}-presentations-0-presenters": [str(presenter.pk)],
            f"{item}-presentations-0-event": str(event.pk),
            f"{item}-presentations-0-date": "1995",
            f"{item}-presentations-0-reported_in": "",
            f"{item}-presentations-0-note": "",
        }
    )
    return data


def test_presenters_are_recorded_with_a_new_evidence_item_in_the_same_save(curator_client, claim):
    cable = make_source("Ciphered telegram No. 8600", kind=Source.Kind.TELEGRAM, date="1950-05-14")
    weathersby = Agent.objects.get(slug="kathryn-weathersby")
    conference = Event.objects.get()
    page = curator_client.get(admin_url(Claim, "change", claim.pk))
    data = new_evidence_with_a_presentation(
        form_data(page), source=cable, presenter=weathersby, event=conference
    )

    response = curator_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 302, messages_of(response)
    presentation = Evidence.objects.get(claim=claim, source=cable).presentations.get()
    assert list(presentation.presenters.all()) == [weathersby]
    assert (presentation.event, presentation.date) == (conference, "1995")


def test_a_presentation_dated_before_its_source_stops_the_save_with_a_message(
    curator_client, claim
):
    cable = make_source("Ciphered telegram No. 8600", kind=Source.Kind.TELEGRAM, date="1950-05-14")
    page = curator_client.get(admin_url(Claim, "change", claim.pk))
    data = new_evidence_with_a_presentation(
        form_data(page),
        source=cable,
        presenter=Agent.objects.get(slug="kathryn-weathersby"),
        event=Event.objects.get(),
    )
    data[f"evidence-{int(data['evidence-TOTAL_FORMS']) - 1}-presentations-0-date"] = "1949"

    response = curator_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "before the source existed" in response.text
    assert not Evidence.objects.filter(source=cable).exists()


def test_the_claims_page_shows_existing_presenters_inside_their_evidence_item(
    curator_client, claim
):
    response = curator_client.get(admin_url(Claim, "change", claim.pk))
    report = claim.evidence.get(source__slug="report-1966")
    index = list(claim.evidence.order_by("stance", "id")).index(report)
    presentation = report.presentations.get()
    assert f'name="evidence-{index}-presentations-0-id" value="{presentation.pk}"' in response.text


def test_the_assessment_names_its_level_once(curator_client, claim):
    response = curator_client.get(admin_url(Claim, "change", claim.pk))
    label = claim.get_strength_level_display()
    assert f"<strong>{label}: " in response.text
    assert f"{label} — {label}" not in response.text
