"""Claims move draft → in review → published and back to draft, only through the
workflow's checked moves, each recorded with who, when and why."""

import pytest
from django.urls import reverse
from reversion.models import Version

from claims import workflow
from claims.models import Claim, ClaimTransition
from tests.builders import admin_url, form_data, korean_war_claim, messages_of

pytestmark = pytest.mark.django_db

Status = Claim.Status


def test_a_new_claim_is_a_draft_and_not_public():
    claim = korean_war_claim(status=Status.DRAFT)
    assert claim.status == Status.DRAFT
    assert not Claim.objects.published().exists()


def test_submitting_and_publishing_record_who_and_when_and_set_the_publication_time(
    curator, editor
):
    claim = korean_war_claim(status=Status.DRAFT)
    submitted = workflow.claim_submit_for_review(claim=claim, by=curator)
    published = workflow.claim_publish(claim=claim, by=editor)

    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED
    assert claim.published_at == published.at
    assert [(t.from_status, t.to_status, t.by) for t in claim.transitions.all()] == [
        (Status.DRAFT, Status.IN_REVIEW, curator),
        (Status.IN_REVIEW, Status.PUBLISHED, editor),
    ]
    assert submitted.at <= published.at
    assert list(Claim.objects.published()) == [claim]


def test_unpublishing_needs_a_reason_and_takes_the_claim_off_the_public_pages(editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    workflow.claim_publish(claim=claim, by=editor)

    with pytest.raises(workflow.ReasonRequired, match="Say why"):
        workflow.claim_unpublish(claim=claim, by=editor, reason="  ")
    transition = workflow.claim_unpublish(
        claim=claim, by=editor, reason="The quotation must be checked against the archive."
    )

    claim.refresh_from_db()
    assert (claim.status, claim.published_at) == (Status.DRAFT, None)
    assert transition.reason == "The quotation must be checked against the archive."
    assert not Claim.objects.published().exists()


def test_returning_to_draft_needs_a_reason(curator):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    with pytest.raises(workflow.ReasonRequired):
        workflow.claim_return_to_draft(claim=claim, by=curator, reason="")
    workflow.claim_return_to_draft(claim=claim, by=curator, reason="Needs a second source.")
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT


def test_a_draft_cannot_be_published_without_review(editor):
    claim = korean_war_claim(status=Status.DRAFT)
    with pytest.raises(workflow.MoveNotPossible, match="only a claim that is in review"):
        workflow.claim_publish(claim=claim, by=editor)
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    assert not ClaimTransition.objects.exists()


def test_a_curator_cannot_publish(curator):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    with pytest.raises(workflow.MoveNotAllowed, match="only editors can"):
        workflow.claim_publish(claim=claim, by=curator)
    claim.refresh_from_db()
    assert claim.status == Status.IN_REVIEW


def test_a_move_on_a_stale_copy_of_the_claim_is_refused(curator, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    stale = Claim.objects.get(pk=claim.pk)
    workflow.claim_return_to_draft(claim=claim, by=curator, reason="Not ready.")
    with pytest.raises(workflow.MoveNotPossible):
        workflow.claim_publish(claim=stale, by=editor)
    assert Claim.objects.get(pk=claim.pk).status == Status.DRAFT


def test_each_move_is_a_revision_in_the_claims_history_signed_by_the_user(curator):
    claim = korean_war_claim(status=Status.DRAFT)
    workflow.claim_submit_for_review(claim=claim, by=curator)
    version = Version.objects.get_for_object(claim).first()
    assert version.revision.user == curator
    assert version.revision.comment == "Submit for review"
    assert version.field_dict["status"] == Status.IN_REVIEW


# On the claim page and the list of claims.


def test_the_claim_page_offers_only_the_moves_the_users_role_allows(client, curator, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    client.force_login(curator)
    page = client.get(admin_url(Claim, "change", claim.pk)).text
    assert "Return to draft" in page
    assert ">Publish<" not in page

    client.force_login(editor)
    page = client.get(admin_url(Claim, "change", claim.pk)).text
    assert "Return to draft" in page
    assert ">Publish<" in page


def test_an_editor_publishes_from_the_claim_page(editor_client):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    move_url = reverse("admin:claims_claim_move", args=[claim.pk, "publish"])

    confirmation = editor_client.get(move_url)
    assert confirmation.status_code == 200
    assert "Publishing makes it public" in confirmation.text
    response = editor_client.post(move_url)

    assert response.status_code == 302
    assert response.url == admin_url(Claim, "change", claim.pk)
    assert messages_of(response) == [f"“{claim}” published."]
    claim.refresh_from_db()
    assert claim.status == Status.PUBLISHED


def test_unpublishing_from_the_claim_page_asks_why_and_refuses_no_answer(editor_client):
    claim = korean_war_claim(status=Status.PUBLISHED)
    move_url = reverse("admin:claims_claim_move", args=[claim.pk, "unpublish"])

    response = editor_client.post(move_url, {"reason": ""})
    assert response.status_code == 200
    assert "This field is required" in response.text
    assert Claim.objects.get(pk=claim.pk).status == Status.PUBLISHED

    response = editor_client.post(move_url, {"reason": "A date is wrong."})
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    assert claim.transitions.get().reason == "A date is wrong."


def test_a_crafted_post_to_publish_by_a_curator_gets_a_message_not_an_error(curator_client):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    response = curator_client.post(reverse("admin:claims_claim_move", args=[claim.pk, "publish"]))
    assert response.status_code == 302
    assert messages_of(response) == [
        f"You cannot publish claims: only editors can. “{claim}” is unchanged."
    ]
    assert Claim.objects.get(pk=claim.pk).status == Status.IN_REVIEW


def test_an_unknown_move_gets_a_message(editor_client):
    claim = korean_war_claim(status=Status.DRAFT)
    response = editor_client.post(reverse("admin:claims_claim_move", args=[claim.pk, "bury"]))
    assert response.status_code == 302
    assert messages_of(response) == ["There is no workflow move called “bury”."]


def test_the_status_cannot_be_changed_in_the_claim_form(curator_client):
    claim = korean_war_claim(status=Status.DRAFT)
    data = form_data(curator_client.get(admin_url(Claim, "change", claim.pk)))
    data.update(status="published", summary="Changed.")
    response = curator_client.post(admin_url(Claim, "change", claim.pk), data)
    assert response.status_code == 302
    claim.refresh_from_db()
    assert (claim.summary, claim.status) == ("Changed.", Status.DRAFT)


def test_the_claim_page_shows_every_move_with_who_and_why(client, curator, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    workflow.claim_submit_for_review(claim=claim, by=curator)
    workflow.claim_return_to_draft(claim=claim, by=editor, reason="Add the telegrams.")
    client.force_login(curator)
    page = client.get(admin_url(Claim, "change", claim.pk)).text
    assert "Draft → In review" in page
    assert "In review → Draft" in page
    assert "Add the telegrams." in page
    assert ">editor<" in page


def test_an_editor_publishes_several_claims_from_the_list_and_hears_about_the_rest(
    editor_client,
):
    ready = korean_war_claim(slug="ready", status=Status.IN_REVIEW)
    draft = korean_war_claim(slug="draft", status=Status.DRAFT)
    response = editor_client.post(
        admin_url(Claim, "changelist"),
        {"action": "publish", "_selected_action": [ready.pk, draft.pk], "index": 0},
    )
    assert response.status_code == 302
    notes = messages_of(response)
    assert f"1 claim published: “{ready}”." in notes
    assert any("only a claim that is in review can be published" in note for note in notes)
    assert list(Claim.objects.published()) == [ready]


def test_unpublishing_from_the_list_asks_why_first(editor_client):
    claim = korean_war_claim(status=Status.PUBLISHED)
    selection = {"action": "unpublish", "_selected_action": [claim.pk]}
    asked = editor_client.post(admin_url(Claim, "changelist"), {**selection, "index": 0})
    assert asked.status_code == 200
    assert "Why" in asked.text
    assert Claim.objects.get(pk=claim.pk).status == Status.PUBLISHED

    done = editor_client.post(
        admin_url(Claim, "changelist"),
        {**selection, "confirm": "yes", "reason": "Withdrawn for checking."},
    )
    assert done.status_code == 302
    claim.refresh_from_db()
    assert claim.status == Status.DRAFT
    assert claim.transitions.get().reason == "Withdrawn for checking."


def test_a_crafted_publish_action_by_a_curator_gets_a_message(curator_client):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    response = curator_client.post(
        admin_url(Claim, "changelist"),
        {"action": "publish", "_selected_action": [claim.pk], "index": 0},
    )
    assert response.status_code == 302
    assert messages_of(response) == [
        "You cannot publish claims: only editors can. Nothing was changed."
    ]
    assert Claim.objects.get(pk=claim.pk).status == Status.IN_REVIEW


def test_only_a_published_claim_has_a_public_page(client, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    assert client.get(reverse("claims:detail", args=[claim.slug])).status_code == 404
    workflow.claim_publish(claim=claim, by=editor)
    assert client.get(reverse("claims:detail", args=[claim.slug])).status_code == 200
    workflow.claim_unpublish(claim=claim, by=editor, reason="Checking.")
    assert client.get(reverse("claims:detail", args=[claim.slug])).status_code == 404
