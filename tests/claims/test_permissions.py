"""The permission matrix: anonymous visitors, curators, editors and superusers against
every admin action on claims and every workflow move, and the other admin operations a
role decides. Allowed means it happened; refused means nothing changed and the person
was told (a message, a 403 page, or the login page for a visitor), never a server error.
"""

import pytest
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.test import Client
from django.urls import reverse

from claims import review, roles, workflow
from claims.models import Claim, ClaimTransition, Evidence
from provenance.models import Agent, Source
from tests.builders import admin_url, form_data, korean_war_claim, messages_of
from tests.conftest import staff_member_of

pytestmark = pytest.mark.django_db

Status = Claim.Status
ROLES = ["anonymous", "curator", "editor", "superuser"]
EVERYONE_STAFF = {"curator", "editor", "superuser"}
EDITORS_UP = {"editor", "superuser"}

# operation: the roles it is allowed for. docs/decisions.md shows this as a table.
MATRIX = {
    "list action: submit for review": EVERYONE_STAFF,
    "list action: return to draft": EVERYONE_STAFF,
    "list action: publish": EDITORS_UP,
    "list action: unpublish": EDITORS_UP,
    "list action: delete selected claims": EDITORS_UP,
    "button: submit for review": EVERYONE_STAFF,
    "button: return to draft": EVERYONE_STAFF,
    "button: publish": EDITORS_UP,
    "button: unpublish": EDITORS_UP,
    "add a claim": EVERYONE_STAFF,
    "change a claim": EVERYONE_STAFF,
    "delete a claim": EDITORS_UP,
    "delete an evidence item": EDITORS_UP,
    "add a source": EVERYONE_STAFF,
    "change a source": EVERYONE_STAFF,
    "delete a source": EDITORS_UP,
    "delete an agent": EDITORS_UP,
    "read a claim's history": EVERYONE_STAFF,
    "restore an earlier version of a claim": EVERYONE_STAFF,
    "change a published claim at once (else held for review)": EDITORS_UP,
    "approve a proposed change to a published claim": EDITORS_UP,
    "reject a proposed change to a published claim": EDITORS_UP,
    "restore an earlier version of a published claim": EDITORS_UP,
    "recover a deleted draft claim": EVERYONE_STAFF,
    "recover a deleted published claim": EDITORS_UP,
    "recover a deleted source": EVERYONE_STAFF,
    "add a workflow-move record by hand": set(),
}


@pytest.fixture
def reader(django_user_model):
    """A superuser's browser, used only to read form pages and to set the scene."""
    user = django_user_model.objects.create_superuser("scene-setter", password="x" * 20)
    browser = Client()
    browser.force_login(user)
    return browser


def client_for(role, django_user_model):
    browser = Client()
    if role == "curator":
        browser.force_login(staff_member_of(django_user_model, "curator", roles.CURATORS))
    elif role == "editor":
        browser.force_login(staff_member_of(django_user_model, "editor", roles.EDITORS))
    elif role == "superuser":
        browser.force_login(django_user_model.objects.create_superuser("boss", password="x" * 20))
    return browser


def changelist_action(browser, action, claim, **extra):
    data = {"action": action, "_selected_action": [claim.pk], **extra}
    if "confirm" not in extra and "post" not in extra:
        data["index"] = 0
    return browser.post(admin_url(Claim, "changelist"), data)


def status_of(claim):
    return Claim.objects.filter(pk=claim.pk).values_list("status", flat=True).first()


def move_button(browser, claim, move, **data):
    return browser.post(reverse("admin:claims_claim_move", args=[claim.pk, move]), data)


def claim_add_data(slug):
    return {
        "statement": "Kim pressed Stalin for permission.",
        "slug": slug,
        "summary": "",
        "date": "1949",
        "curator_note": "",
        "evidence-TOTAL_FORMS": "0",
        "evidence-INITIAL_FORMS": "0",
    }


def source_add_data(slug):
    data = {
        "title": "A memorandum",
        "slug": slug,
        "kind": "memorandum",
        "date": "1950-06-25",
        "access": "published",
        "authenticity": "accepted",
        "credibility": "not_assessed",
    }
    for prefix in ("creator_roles", "citations_made", "custody_events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    return data


def delete_with_admin(reader, obj):
    response = reader.post(admin_url(type(obj), "delete", obj.pk), {"post": "yes"})
    assert response.status_code == 302
    assert not type(obj).objects.filter(pk=obj.pk).exists()


def recover(browser, reader, model, obj_pk):
    from reversion.models import Version

    version = Version.objects.get_deleted(model).get(object_id=str(obj_pk))
    url = admin_url(model, "recover", version.pk)
    return browser.post(url, form_data(reader.get(url)))


# Each operation sets its scene, acts as `browser`, and says whether it happened.


def op_list_submit(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    return changelist_action(browser, "submit_for_review", claim), (
        status_of(claim) == Status.IN_REVIEW
    )


def op_list_return(browser, reader, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    response = changelist_action(
        browser, "return_to_draft", claim, confirm="yes", reason="Needs another source."
    )
    return response, status_of(claim) == Status.DRAFT


def op_list_publish(browser, reader, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    return changelist_action(browser, "publish", claim), status_of(claim) == Status.PUBLISHED


def op_list_unpublish(browser, reader, editor):
    claim = korean_war_claim(status=Status.PUBLISHED)
    response = changelist_action(browser, "unpublish", claim, confirm="yes", reason="Checking.")
    return response, status_of(claim) == Status.DRAFT


def op_list_delete(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    response = changelist_action(browser, "delete_selected", claim, post="yes")
    return response, status_of(claim) is None


def op_button_submit(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    return move_button(browser, claim, "submit_for_review"), status_of(claim) == Status.IN_REVIEW


def op_button_return(browser, reader, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    response = move_button(browser, claim, "return_to_draft", reason="Needs another source.")
    return response, status_of(claim) == Status.DRAFT


def op_button_publish(browser, reader, editor):
    claim = korean_war_claim(status=Status.IN_REVIEW)
    return move_button(browser, claim, "publish"), status_of(claim) == Status.PUBLISHED


def op_button_unpublish(browser, reader, editor):
    claim = korean_war_claim(status=Status.PUBLISHED)
    response = move_button(browser, claim, "unpublish", reason="Checking.")
    return response, status_of(claim) == Status.DRAFT


def op_add_claim(browser, reader, editor):
    response = browser.post(admin_url(Claim, "add"), claim_add_data("kim-pressed"))
    return response, Claim.objects.filter(slug="kim-pressed").exists()


def op_change_claim(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    data = form_data(reader.get(admin_url(Claim, "change", claim.pk)))
    data["summary"] = "Changed by the test."
    response = browser.post(admin_url(Claim, "change", claim.pk), data)
    return response, Claim.objects.get(pk=claim.pk).summary == "Changed by the test."


def op_delete_claim(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    response = browser.post(admin_url(Claim, "delete", claim.pk), {"post": "yes"})
    return response, status_of(claim) is None


def op_delete_evidence(browser, reader, editor):
    evidence = korean_war_claim(status=Status.DRAFT).evidence.get(source__slug="report-1966")
    response = browser.post(admin_url(Evidence, "delete", evidence.pk), {"post": "yes"})
    return response, not Evidence.objects.filter(pk=evidence.pk).exists()


def op_add_source(browser, reader, editor):
    response = browser.post(admin_url(Source, "add"), source_add_data("memo"))
    return response, Source.objects.filter(slug="memo").exists()


def op_change_source(browser, reader, editor):
    korean_war_claim(status=Status.DRAFT)
    source = Source.objects.get(slug="telegrams")
    data = form_data(reader.get(admin_url(Source, "change", source.pk)))
    data["title"] = "The Stalin–Kim telegrams"
    response = browser.post(admin_url(Source, "change", source.pk), data)
    return response, Source.objects.get(pk=source.pk).title == "The Stalin–Kim telegrams"


def op_delete_source(browser, reader, editor):
    source = Source.objects.create(slug="memo", title="A memo", kind="memorandum", date="1950")
    response = browser.post(admin_url(Source, "delete", source.pk), {"post": "yes"})
    return response, not Source.objects.filter(pk=source.pk).exists()


def op_delete_agent(browser, reader, editor):
    agent = Agent.objects.create(slug="nobody", name="Nobody in particular")
    response = browser.post(admin_url(Agent, "delete", agent.pk), {"post": "yes"})
    return response, not Agent.objects.filter(pk=agent.pk).exists()


def op_read_history(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    response = browser.get(admin_url(Claim, "history", claim.pk))
    return response, response.status_code == 200


def op_restore_version(browser, reader, editor):
    from reversion.models import Version

    claim = korean_war_claim(status=Status.DRAFT)
    for summary in ("First wording.", "Second wording."):
        data = form_data(reader.get(admin_url(Claim, "change", claim.pk)))
        data["summary"] = summary
        assert reader.post(admin_url(Claim, "change", claim.pk), data).status_code == 302
    first = Version.objects.get_for_object(claim).order_by("pk").first()
    url = admin_url(Claim, "revision", claim.pk, first.pk)
    response = browser.post(url, form_data(reader.get(url)))
    return response, Claim.objects.get(pk=claim.pk).summary == "First wording."


def op_change_published_claim(browser, reader, editor):
    claim = korean_war_claim(status=Status.PUBLISHED)
    data = form_data(reader.get(admin_url(Claim, "change", claim.pk)))
    data.update(summary="Changed by the test.", change_reason="A test.")
    response = browser.post(admin_url(Claim, "change", claim.pk), data)
    return response, Claim.objects.get(pk=claim.pk).summary == "Changed by the test."


def proposed_change(editor):
    claim = korean_war_claim(status=Status.PUBLISHED)
    proposer = staff_member_of(get_user_model(), "proposer", roles.CURATORS)
    return review.change_propose(
        claim=claim, by=proposer, proposed={"claim": {"summary": "Proposed."}}, reason="A test."
    )


def op_approve_change(browser, reader, editor):
    change = proposed_change(editor)
    url = reverse("admin:claims_claim_review_change", args=[change.pk])
    response = browser.post(url, {"reason": "A test.", "kind": "correction", "approve": "1"})
    return response, Claim.objects.get(pk=change.claim_id).summary == "Proposed."


def op_reject_change(browser, reader, editor):
    change = proposed_change(editor)
    url = reverse("admin:claims_claim_review_change", args=[change.pk])
    response = browser.post(url, {"reason": "", "kind": "correction", "reject": "1"})
    change.refresh_from_db()
    return response, change.status == "rejected"


def op_restore_published_version(browser, reader, editor):
    from reversion.models import Version

    claim = korean_war_claim(status=Status.PUBLISHED)
    for summary in ("First wording.", "Second wording."):
        data = form_data(reader.get(admin_url(Claim, "change", claim.pk)))
        data.update(summary=summary, change_reason="A test.")
        assert reader.post(admin_url(Claim, "change", claim.pk), data).status_code == 302
    first = Version.objects.get_for_object(claim).order_by("pk").first()
    url = admin_url(Claim, "revision", claim.pk, first.pk)
    data = form_data(reader.get(url))
    data["change_reason"] = "Back to the first wording."
    response = browser.post(url, data)
    return response, Claim.objects.get(pk=claim.pk).summary == "First wording."


def op_recover_draft_claim(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    delete_with_admin(reader, claim)
    return recover(browser, reader, Claim, claim.pk), status_of(claim) == Status.DRAFT


def op_recover_published_claim(browser, reader, editor):
    claim = korean_war_claim(status=Status.PUBLISHED)
    delete_with_admin(reader, claim)
    return recover(browser, reader, Claim, claim.pk), status_of(claim) == Status.PUBLISHED


def op_recover_source(browser, reader, editor):
    source = Source.objects.create(slug="memo", title="A memo", kind="memorandum", date="1950")
    delete_with_admin(reader, source)
    response = recover(browser, reader, Source, source.pk)
    return response, Source.objects.filter(pk=source.pk).exists()


def op_add_transition(browser, reader, editor):
    claim = korean_war_claim(status=Status.DRAFT)
    response = browser.post(
        admin_url(ClaimTransition, "add"),
        {"claim": claim.pk, "from_status": "draft", "to_status": "published", "by": editor.pk},
    )
    return response, ClaimTransition.objects.exists()


OPERATIONS = {
    "list action: submit for review": op_list_submit,
    "list action: return to draft": op_list_return,
    "list action: publish": op_list_publish,
    "list action: unpublish": op_list_unpublish,
    "list action: delete selected claims": op_list_delete,
    "button: submit for review": op_button_submit,
    "button: return to draft": op_button_return,
    "button: publish": op_button_publish,
    "button: unpublish": op_button_unpublish,
    "add a claim": op_add_claim,
    "change a claim": op_change_claim,
    "delete a claim": op_delete_claim,
    "delete an evidence item": op_delete_evidence,
    "add a source": op_add_source,
    "change a source": op_change_source,
    "delete a source": op_delete_source,
    "delete an agent": op_delete_agent,
    "read a claim's history": op_read_history,
    "restore an earlier version of a claim": op_restore_version,
    "change a published claim at once (else held for review)": op_change_published_claim,
    "approve a proposed change to a published claim": op_approve_change,
    "reject a proposed change to a published claim": op_reject_change,
    "restore an earlier version of a published claim": op_restore_published_version,
    "recover a deleted draft claim": op_recover_draft_claim,
    "recover a deleted published claim": op_recover_published_claim,
    "recover a deleted source": op_recover_source,
    "add a workflow-move record by hand": op_add_transition,
}


def test_the_matrix_covers_every_operation():
    assert set(MATRIX) == set(OPERATIONS)


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize("operation", list(MATRIX))
def test_permission_matrix(operation, role, reader, django_user_model):
    editor_of_record = staff_member_of(django_user_model, "someone", roles.EDITORS)
    browser = client_for(role, django_user_model)
    browser.raise_request_exception = False

    response, happened = OPERATIONS[operation](browser, reader, editor_of_record)

    assert response.status_code < 500, response.status_code
    if role in MATRIX[operation]:
        assert happened, f"{role} should be able to: {operation}"
        return
    assert not happened, f"{role} should not be able to: {operation}"
    if role == "anonymous":
        assert response.status_code == 302
        assert response.url.startswith(reverse("admin:login"))
    elif response.status_code != 403:
        assert response.status_code in (200, 302)
        assert messages_of(response), "a refusal must say why"


@pytest.mark.parametrize(
    "role, actions",
    [
        ("curator", {"submit_for_review", "return_to_draft"}),
        (
            "editor",
            {"submit_for_review", "return_to_draft", "publish", "unpublish", "delete_selected"},
        ),
        (
            "superuser",
            {"submit_for_review", "return_to_draft", "publish", "unpublish", "delete_selected"},
        ),
    ],
)
def test_the_claim_list_offers_only_the_actions_the_role_allows(role, actions, django_user_model):
    browser = client_for(role, django_user_model)
    korean_war_claim(status=Status.DRAFT)
    response = browser.get(admin_url(Claim, "changelist"))
    offered = {name for name, _ in response.context["action_form"].fields["action"].choices}
    assert offered - {""} == actions


def test_the_groups_hold_exactly_their_roles_permissions():
    for group in Group.objects.filter(name__in=[roles.CURATORS, roles.EDITORS]):
        held = {(p.content_type.app_label, p.codename) for p in group.permissions.all()}
        assert held == set(roles.role_permissions()[group.name])
    curators = {c for _, c in roles.role_permissions()[roles.CURATORS]}
    assert not any(c.startswith("delete_") for c in curators)
    assert "publish_claim" not in curators


def test_workflow_moves_are_refused_to_an_anonymous_user(django_user_model):
    from django.contrib.auth.models import AnonymousUser

    claim = korean_war_claim(status=Status.DRAFT)
    with pytest.raises(workflow.MoveNotAllowed):
        workflow.claim_submit_for_review(claim=claim, by=AnonymousUser())
