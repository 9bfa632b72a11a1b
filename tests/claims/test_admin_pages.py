"""Every admin page of every model opens for a curator, and bad input gets a message."""

import pytest
from django.apps import apps
from django.urls import reverse

from claims.models import Claim, ClaimTransition, Evidence, Presentation, Topic
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
from tests.builders import (
    admin_url,
    korean_war_claim,
    make_affiliation,
    make_organisation,
    make_topic,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def one_of_everything(django_user_model):
    """The Korean War story, with what it lacks for one record of every model: another
    name, an affiliation, organisers, a compiler, a witnessed custody event, a topic and
    a workflow move."""
    claim = korean_war_claim(status=Claim.Status.DRAFT)
    report = Source.objects.get(slug="report-1966")
    evidence = claim.evidence.get(source=report)
    presentation = evidence.presentations.get()
    person = Agent.objects.get(slug="kathryn-weathersby")
    org = make_organisation("Cold War International History Project", slug="cwihp")
    presentation.event.organisers.add(org)
    report.archive = org
    report.save()
    custody = report.custody_events.get(kind=CustodyEvent.Kind.DECLASSIFIED)
    custody.event = presentation.event
    custody.save()
    custody.agents.add(person)
    topic = make_topic("Korean War")
    claim.topics.add(topic)
    return {
        Agent: person,
        AgentName: AgentName.objects.create(agent=person, name="K. Weathersby"),
        Affiliation: make_affiliation(person, org, role="historian", date="1993"),
        Event: presentation.event,
        Source: report,
        SourceCreator: SourceCreator.objects.create(
            source=report, agent=org, role=SourceCreator.Role.COMPILER
        ),
        Citation: report.citations_made.get(),
        CustodyEvent: custody,
        Topic: topic,
        Claim: claim,
        Evidence: evidence,
        Presentation: presentation,
        ClaimTransition: ClaimTransition.objects.create(
            claim=claim,
            from_status=Claim.Status.DRAFT,
            to_status=Claim.Status.IN_REVIEW,
            by=django_user_model.objects.create_user(username="someone-else"),
        ),
    }


def project_models():
    """Every model curators work with: all but the stored counts of the home page and
    the version of the method the assessments were worked out by, which are worked
    out, never entered (claims/public_figures.py, claims/signals.py), and the proposed
    changes and the corrections log, which only claims/review.py writes and the review
    queue and the claim's page show."""
    derived = ("publicfigure", "assessmentmethod", "pendingchange", "correction")
    for app_label in ("provenance", "claims"):
        for model in apps.get_app_config(app_label).get_models():
            if model._meta.model_name not in derived:
                yield model


def test_every_project_model_is_registered_in_the_admin():
    from django.contrib import admin

    assert [m for m in project_models() if not admin.site.is_registered(m)] == []


@pytest.mark.parametrize("model", list(project_models()), ids=lambda m: m._meta.model_name)
def test_curator_can_open_the_list_add_and_change_page_of_every_model(
    model, curator_client, one_of_everything
):
    instance = one_of_everything[model]
    # The record of workflow moves is written only by the workflow: nobody adds one.
    writable = model is not ClaimTransition
    for url in (
        admin_url(model, "changelist"),
        admin_url(model, "changelist") + "?q=Stalin",
        *([admin_url(model, "add")] if writable else []),
        admin_url(model, "change", instance.pk),
        admin_url(model, "history", instance.pk),
    ):
        response = curator_client.get(url)
        assert response.status_code == 200, url
    if not writable:
        assert curator_client.get(admin_url(model, "add")).status_code == 403


def test_claim_change_page_shows_the_reasoning_behind_the_assessment(
    curator_client, one_of_everything
):
    claim = one_of_everything[Claim]
    response = curator_client.get(admin_url(Claim, "change", claim.pk))
    assert "Independent lines of evidence" in response.text
    assert "Without “On the Korean War, 1950–53, and the armistice negotiations”" in response.text


def test_autocomplete_finds_an_agent_by_another_name(curator_client, one_of_everything):
    response = curator_client.get(
        reverse("admin:autocomplete"),
        {
            "term": "K. Weath",
            "app_label": "provenance",
            "model_name": "sourcecreator",
            "field_name": "agent",
        },
    )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Kathryn Weathersby"]


def source_form(**overrides):
    data = {
        "title": "A memorandum",
        "slug": "a-memorandum",
        "kind": "memorandum",
        "proximity": "",
        "date": "1950-06-25",
        "language": "",
        "description": "",
        "archive": "",
        "archival_reference": "",
        "url": "",
        "access": "published",
        "authenticity": "accepted",
        "credibility": "not_assessed",
        "publication_details": "",
        "doi": "",
        "isbn": "",
    }
    for prefix in ("creator_roles", "citations_made", "custody_events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_a_malformed_date_is_a_form_error_with_an_example(curator_client):
    response = curator_client.post(admin_url(Source, "add"), source_form(date="1950-13-01"))
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["date"]
    assert "month 13" in errors[0]
    assert "1950-06-25" in errors[0]
    assert not Source.objects.exists()


def test_a_valid_source_is_saved_with_its_date_bounds(curator_client):
    response = curator_client.post(admin_url(Source, "add"), source_form(date="1958-08~"))
    assert response.status_code == 302
    source = Source.objects.get()
    assert (str(source.date_lower), str(source.date_upper)) == ("1958-08-01", "1958-08-31")


def test_declassification_before_creation_is_a_form_error(curator_client, one_of_everything):
    report = one_of_everything[Source]
    custody_events = CustodyEvent.objects.count()
    response = curator_client.post(
        admin_url(CustodyEvent, "add"),
        {"source": report.pk, "kind": "declassified", "date": "1960", "note": "", "reference": ""},
    )
    assert response.status_code == 200
    assert "before the source was created" in str(response.context["adminform"].form.errors)
    assert CustodyEvent.objects.count() == custody_events


def test_a_finding_documented_in_the_source_it_judges_is_a_form_error(
    curator_client, one_of_everything
):
    report = one_of_everything[Source]
    custody_events = CustodyEvent.objects.count()
    response = curator_client.post(
        admin_url(CustodyEvent, "add"),
        {
            "source": report.pk,
            "kind": "authenticated",
            "date": "1994",
            "documented_in": report.pk,
            "note": "",
            "reference": "",
        },
    )
    assert response.status_code == 200
    assert "documented in another source" in str(response.context["adminform"].form.errors)
    assert CustodyEvent.objects.count() == custody_events


def test_a_citation_cycle_is_a_form_error(curator_client, one_of_everything):
    report = one_of_everything[Source]
    telegrams = Source.objects.get(slug="telegrams")
    citations = Citation.objects.count()
    response = curator_client.post(
        admin_url(Citation, "add"),
        {"citing": telegrams.pk, "cited": report.pk, "kind": "cites", "locator": "", "note": ""},
    )
    assert response.status_code == 200
    assert "circle" in str(response.context["adminform"].form.errors)
    assert Citation.objects.count() == citations


def test_a_source_citing_itself_is_a_form_error(curator_client, one_of_everything):
    report = one_of_everything[Source]
    response = curator_client.post(
        admin_url(Citation, "add"),
        {"citing": report.pk, "cited": report.pk, "kind": "cites", "locator": "", "note": ""},
    )
    assert response.status_code == 200
    assert "cannot derive from itself" in str(response.context["adminform"].form.errors)


def test_evidence_without_a_source_is_a_form_error(curator_client, one_of_everything):
    claim = one_of_everything[Claim]
    evidence = Evidence.objects.count()
    response = curator_client.post(
        admin_url(Evidence, "add"),
        {
            "claim": claim.pk,
            "source": "",
            "stance": "supports",
            "directness": "direct",
            "quotation": "",
            "locator": "",
            "note": "",
            "presentations-TOTAL_FORMS": "0",
            "presentations-INITIAL_FORMS": "0",
        },
    )
    assert response.status_code == 200
    assert "source" in response.context["adminform"].form.errors
    assert Evidence.objects.count() == evidence


def test_presentation_before_the_source_existed_is_a_form_error(curator_client, one_of_everything):
    evidence = one_of_everything[Evidence]
    person = one_of_everything[Agent]
    response = curator_client.post(
        admin_url(Presentation, "add"),
        {
            "evidence": evidence.pk,
            "presenters": [person.pk],
            "date": "1950",
            "event": "",
            "reported_in": "",
            "note": "",
        },
    )
    assert response.status_code == 200
    assert "before the source existed" in str(response.context["adminform"].form.errors)
