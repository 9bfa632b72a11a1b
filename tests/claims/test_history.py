"""Every change is kept with who, when and what; an earlier version can be restored; a
deleted claim, source or agent comes back from the admin with what it carries, and the
recovered claim's public page is what it was."""

import pytest
from django.core.management import call_command
from django.forms.models import model_to_dict
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from reversion.models import Version

from claims import workflow
from claims.models import Claim, Evidence, Presentation
from provenance.models import Affiliation, Agent, AgentName, CustodyEvent, Source, SourceCreator
from tests.builders import admin_url, form_data, messages_of

pytestmark = pytest.mark.django_db

SLUG = "stalin-approved-invasion"


@pytest.fixture
def claim(demo_data):
    return Claim.objects.get(slug=SLUG)


def edit_claim(browser, claim, **changes):
    data = form_data(browser.get(admin_url(Claim, "change", claim.pk)))
    # A change to a published claim says why, for its public log (claims/review.py).
    data.update({"change_reason": "Checked against the archive.", **changes})
    response = browser.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 302, response.context["adminform"].form.errors


def public_pages(slug):
    reader = Client()
    return (
        reader.get(reverse("claims:detail", args=[slug])),
        reader.get(reverse("claims:json", args=[slug])),
    )


def everything_about(claim):
    """The claim, its evidence and their presentations as plain rows, links included."""
    evidence = Evidence.objects.filter(claim=claim).order_by("source__slug")
    presentations = Presentation.objects.filter(evidence__claim=claim).order_by("pk")
    return {
        "claim": {**model_to_dict(claim), "published_at": claim.published_at},
        "evidence": [model_to_dict(item) for item in evidence],
        "presentations": [model_to_dict(item) for item in presentations],
        "moves": list(claim.transitions.values()),
    }


def test_an_edit_is_recorded_with_who_when_and_what_changed(editor_client, claim):
    # As `manage.py demo` does: a first version of everything loaded from fixtures.
    call_command("createinitialrevisions", "claims.claim", comment="Loaded.", verbosity=0)
    old_note = claim.curator_note
    edit_claim(editor_client, claim, curator_note="Checked against the CWIHP translation.")

    version = Version.objects.get_for_object(claim).first()
    assert version.revision.user.username == "editor"
    assert "Changed Curator note" in version.revision.get_comment()
    history = editor_client.get(admin_url(Claim, "history", claim.pk)).text
    assert "editor" in history
    assert "Curator note" in history
    assert "Checked against the CWIHP translation." in history
    assert old_note[:40] in history


def test_evidence_changes_show_in_the_claims_history(editor_client, claim):
    data = form_data(editor_client.get(admin_url(Claim, "change", claim.pk)))
    index = next(
        key.split("-")[1]
        for key, value in data.items()
        if key.endswith("-locator") and value.startswith("AP report of 13 January 1993, para. 4")
    )
    data[f"evidence-{index}-locator"] = "AP, para. 4"
    data["change_reason"] = "Locator shortened."
    assert editor_client.post(admin_url(Claim, "change", claim.pk), data).status_code == 302
    history = editor_client.get(admin_url(Claim, "history", claim.pk)).text
    assert "Locator" in history
    assert "AP, para. 4" in history


def test_an_earlier_version_is_restored_without_moving_the_claim_in_the_workflow(
    editor_client, editor, claim
):
    edit_claim(editor_client, claim, summary="First wording.")
    first = Version.objects.get_for_object(claim).first()
    edit_claim(editor_client, claim, summary="Second wording.")
    workflow.claim_unpublish(claim=claim, by=editor, reason="Wording under discussion.")

    url = admin_url(Claim, "revision", claim.pk, first.pk)
    preview = editor_client.get(url)
    assert preview.status_code == 200
    assert "First wording." in preview.text
    assert Claim.objects.get(pk=claim.pk).summary == "Second wording."  # a preview only
    response = editor_client.post(url, form_data(preview))

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.summary == "First wording."
    assert claim.status == Claim.Status.DRAFT  # where the workflow left it
    assert claim.transitions.get().reason == "Wording under discussion."
    assert (
        "Reverted to previous version"
        in Version.objects.get_for_object(claim).first().revision.comment
    )


def test_a_deleted_claim_is_recovered_with_its_evidence_and_the_same_public_page(
    editor_client, claim
):
    edit_claim(editor_client, claim, curator_note="A note added before the deletion.")
    claim.refresh_from_db()
    page_before, json_before = public_pages(SLUG)
    assert page_before.status_code == 200
    before = everything_about(claim)
    assert before["evidence"] and before["presentations"]

    response = editor_client.post(admin_url(Claim, "delete", claim.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Claim.objects.filter(slug=SLUG).exists()
    assert not Evidence.objects.filter(claim_id=claim.pk).exists()
    assert public_pages(SLUG)[0].status_code == 404

    recover_list = editor_client.get(admin_url(Claim, "recoverlist"))
    assert escape(claim.statement) in recover_list.text
    version = Version.objects.get_deleted(Claim).get(object_id=str(claim.pk))
    recover_url = admin_url(Claim, "recover", version.pk)
    assert recover_url in recover_list.text
    response = editor_client.post(recover_url, form_data(editor_client.get(recover_url)))
    assert response.status_code == 302

    recovered = Claim.objects.get(slug=SLUG)
    after = everything_about(recovered)
    assert after["evidence"] == before["evidence"]
    assert after["presentations"] == before["presentations"]
    assert after["claim"] == before["claim"]
    page_after, json_after = public_pages(SLUG)
    assert page_after.text == page_before.text
    assert json_after.json() == json_before.json()


def test_a_deleted_claim_keeps_its_workflow_moves(editor_client, editor, claim):
    workflow.claim_unpublish(claim=claim, by=editor, reason="To be rechecked.")
    workflow.claim_submit_for_review(claim=claim, by=editor)
    workflow.claim_publish(claim=claim, by=editor)
    moves = list(claim.transitions.values_list("from_status", "to_status", "by", "reason"))
    editor_client.post(admin_url(Claim, "delete", claim.pk), {"post": "yes"})

    version = Version.objects.get_deleted(Claim).get(object_id=str(claim.pk))
    url = admin_url(Claim, "recover", version.pk)
    editor_client.post(url, form_data(editor_client.get(url)))

    recovered = Claim.objects.get(pk=claim.pk)
    assert (
        list(recovered.transitions.values_list("from_status", "to_status", "by", "reason")) == moves
    )
    assert recovered.status == Claim.Status.PUBLISHED


def test_a_deleted_source_comes_back_with_its_creators_citations_and_custody(
    editor_client, demo_data
):
    source = Source.objects.get(slug="petrov-1994")
    creators = sorted(
        SourceCreator.objects.filter(source=source).values_list("agent__slug", "role")
    )
    citations = sorted(source.citations_made.values_list("cited__slug", "kind"))
    custody = sorted(CustodyEvent.objects.filter(source=source).values_list("kind", "date", "note"))
    assert creators or citations or custody

    response = editor_client.post(admin_url(Source, "delete", source.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not Source.objects.filter(slug="petrov-1994").exists()
    version = Version.objects.get_deleted(Source).get(object_id=str(source.pk))
    url = admin_url(Source, "recover", version.pk)
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302

    source = Source.objects.get(slug="petrov-1994")
    assert sorted(source.creator_roles.values_list("agent__slug", "role")) == creators
    assert sorted(source.citations_made.values_list("cited__slug", "kind")) == citations
    assert sorted(source.custody_events.values_list("kind", "date", "note")) == custody


def test_a_deleted_agent_comes_back_with_names_and_affiliations(editor_client, demo_data):
    organisation = Agent.objects.filter(kind="organisation").first()
    agent = Agent.objects.create(slug="a-translator", name="A. Translator")
    AgentName.objects.create(agent=agent, name="Translator, A.")
    Affiliation.objects.create(agent=agent, organisation=organisation, role="translator")
    edit_url = admin_url(Agent, "change", agent.pk)
    assert editor_client.post(edit_url, form_data(editor_client.get(edit_url))).status_code == 302

    assert (
        editor_client.post(admin_url(Agent, "delete", agent.pk), {"post": "yes"}).status_code == 302
    )
    assert not Agent.objects.filter(slug="a-translator").exists()
    version = Version.objects.get_deleted(Agent).get(object_id=str(agent.pk))
    url = admin_url(Agent, "recover", version.pk)
    assert editor_client.post(url, form_data(editor_client.get(url))).status_code == 302

    agent = Agent.objects.get(slug="a-translator")
    assert list(agent.other_names.values_list("name", flat=True)) == ["Translator, A."]
    assert list(agent.affiliations.values_list("organisation", "role")) == [
        (organisation.pk, "translator")
    ]


def test_a_person_named_as_the_subject_of_a_claim_cannot_be_deleted(editor_client, claim):
    stalin = claim.subjects.get(slug="joseph-stalin")
    response = editor_client.post(admin_url(Agent, "delete", stalin.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "names person “" in response.text or "remove it there first" in response.text
    assert Agent.objects.filter(pk=stalin.pk).exists()


def test_a_source_that_evidence_rests_on_cannot_be_deleted(editor_client, claim):
    report = Source.objects.get(slug="report-1966")
    response = editor_client.post(admin_url(Source, "delete", report.pk), {"post": "yes"})
    assert response.status_code == 200
    assert "protected" in response.text
    assert Source.objects.filter(pk=report.pk).exists()


def test_recovering_over_a_claim_that_took_the_same_address_is_refused_with_a_message(
    editor_client, claim
):
    editor_client.post(admin_url(Claim, "delete", claim.pk), {"post": "yes"})
    Claim.objects.create(slug=SLUG, statement="A new claim at the old address.")
    version = Version.objects.get_deleted(Claim).get(object_id=str(claim.pk))
    response = editor_client.post(admin_url(Claim, "recover", version.pk), {})
    assert response.status_code == 302
    assert any("now has the address" in note for note in messages_of(response))
