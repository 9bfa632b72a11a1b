"""Changes to published claims are reviewed: a curator's change waits for an editor,
who sees it side by side and approves it with a reason for readers, or rejects it;
editors' own changes and verdicts moved by new findings are logged too."""

from html import escape

import pytest
from django.db import IntegrityError, transaction

from claims import review
from claims.models import Claim, Correction, Evidence, PendingChange, Presentation
from provenance.models import Agent, Source
from tests.builders import (
    admin_url,
    form_data,
    korean_war_claim,
    make_source,
    messages_of,
)

pytestmark = pytest.mark.django_db

NEW_STATEMENT = "Stalin approved Kim Il Sung's plan to attack South Korea in early 1950."


def propose_statement(claim, curator, statement=NEW_STATEMENT, reason="Dated more exactly."):
    return review.change_propose(
        claim=claim,
        by=curator,
        proposed={"claim": {"statement": statement}},
        reason=reason,
    )


# The services


def test_a_curators_change_is_held_and_the_claim_keeps_its_published_text(curator):
    claim = korean_war_claim()
    published = claim.statement

    change = propose_statement(claim, curator)

    claim.refresh_from_db()
    assert claim.statement == published
    assert change.status == PendingChange.Status.PENDING
    assert change.base["claim"]["statement"] == published
    assert not Correction.objects.exists()


def test_approving_applies_the_change_and_logs_it_with_the_editors_reason(curator, editor):
    claim = korean_war_claim()
    change = propose_statement(claim, curator)

    correction = review.change_approve(
        change=change, by=editor, reason="The date of Stalin's approval was made exact."
    )

    claim.refresh_from_db()
    change.refresh_from_db()
    assert claim.statement == NEW_STATEMENT
    assert (change.status, change.decided_by) == (PendingChange.Status.APPROVED, editor)
    assert (correction.kind, correction.reason, correction.by, correction.change) == (
        Correction.Kind.CORRECTION,
        "The date of Stalin's approval was made exact.",
        editor,
        change,
    )


def test_approving_new_evidence_reassesses_the_claim_and_names_the_verdict_change(curator, editor):
    claim = korean_war_claim()
    memoir = Source.objects.get(slug="khrushchev-remembers")
    for item in claim.evidence.exclude(source=memoir):
        item.delete()
    claim.refresh_from_db()
    before = claim.strength_level
    proposal = {
        "new_evidence": [
            {
                "source": Source.objects.get(slug="report-1966").pk,
                "stance": "supports",
                "directness": "direct",
                "quotation": "Stalin gave his consent.",
                "locator": "p. 2",
                "note": "",
            }
        ]
    }
    change = review.change_propose(
        claim=claim, by=curator, proposed=proposal, reason="The 1966 report added."
    )
    assert claim.evidence.count() == 1  # nothing written before approval

    correction = review.change_approve(
        change=change, by=editor, reason="The 1966 report added.", kind="update"
    )

    claim.refresh_from_db()
    assert claim.evidence.count() == 2
    assert claim.strength_level != before
    assert (correction.kind, correction.level_before, correction.level_after) == (
        "update",
        before,
        claim.strength_level,
    )
    assert correction.verdict_changed


def test_rejecting_discards_the_change(curator, editor):
    claim = korean_war_claim()
    published = claim.statement
    change = propose_statement(claim, curator)

    review.change_reject(change=change, by=editor, note="The date is not in the sources.")

    claim.refresh_from_db()
    change.refresh_from_db()
    assert claim.statement == published
    assert change.status == PendingChange.Status.REJECTED
    assert not Correction.objects.exists()
    with pytest.raises(review.ChangeNotPending, match="already rejected by editor"):
        review.change_approve(change=change, by=editor, reason="Too late.")


def test_a_change_to_a_claim_changed_since_is_refused_and_changes_nothing(curator, editor):
    claim = korean_war_claim()
    change = propose_statement(claim, curator)
    Claim.objects.filter(pk=claim.pk).update(summary="Edited by an editor meanwhile.")

    assert review.is_stale(change)
    with pytest.raises(review.StaleChange, match="has changed since curator proposed"):
        review.change_approve(change=change, by=editor, reason="Dated more exactly.")

    claim.refresh_from_db()
    change.refresh_from_db()
    assert claim.statement != NEW_STATEMENT
    assert change.status == PendingChange.Status.PENDING
    assert not Correction.objects.exists()


def test_a_change_to_the_evidence_since_makes_a_proposal_stale(curator, editor):
    claim = korean_war_claim()
    change = propose_statement(claim, curator)
    Evidence.objects.filter(claim=claim).update(locator="f. 12")

    with pytest.raises(review.StaleChange):
        review.change_approve(change=change, by=editor, reason="Dated more exactly.")


def test_curators_cannot_approve_or_reject(curator):
    claim = korean_war_claim()
    change = propose_statement(claim, curator)

    with pytest.raises(review.NotAllowed):
        review.change_approve(change=change, by=curator, reason="I approve my own.")
    with pytest.raises(review.NotAllowed):
        review.change_reject(change=change, by=curator)
    change.refresh_from_db()
    assert change.status == PendingChange.Status.PENDING


def test_a_reason_is_required_and_kept_to_one_line(curator, editor):
    claim = korean_war_claim()
    with pytest.raises(review.ReviewError, match="Say in one line"):
        propose_statement(claim, curator, reason="   ")
    change = propose_statement(claim, curator)
    with pytest.raises(review.ReviewError, match="at most 300"):
        review.change_approve(change=change, by=editor, reason="x" * 301)
    correction = review.change_approve(change=change, by=editor, reason="Two\nlines.")
    assert correction.reason == "Two lines."


def test_one_open_proposal_per_claim(curator, django_user_model):
    claim = korean_war_claim()
    first = propose_statement(claim, curator)
    again = propose_statement(claim, curator, statement="Another wording.")
    assert again.pk == first.pk and again.proposed["claim"]["statement"] == "Another wording."

    other = django_user_model.objects.get(pk=curator.pk)
    other.pk = None
    other.username = "second-curator"
    other.save()
    other.groups.set(curator.groups.all())
    with pytest.raises(review.ChangeAlreadyPending, match="One change at a time"):
        propose_statement(claim, other)
    with pytest.raises(IntegrityError), transaction.atomic():
        PendingChange.objects.create(
            claim=claim, proposed={}, base={}, reason="x", proposed_by=curator
        )


def test_new_findings_about_a_source_that_move_a_verdict_are_logged():
    claim = korean_war_claim()
    before = claim.strength_level
    memoir = Source.objects.get(slug="khrushchev-remembers")

    memoir.authenticity = Source.Authenticity.FORGED
    memoir.save()

    claim.refresh_from_db()
    assert claim.strength_level != before
    entry = Correction.objects.get(claim=claim)
    assert (entry.kind, entry.level_before, entry.level_after, entry.by) == (
        Correction.Kind.VERDICT,
        before,
        claim.strength_level,
        None,
    )
    assert entry.reason == "The record of the source “Khrushchev Remembers” was revised."


def test_verdicts_of_drafts_are_not_logged():
    claim = korean_war_claim(status=Claim.Status.DRAFT)
    memoir = Source.objects.get(slug="khrushchev-remembers")
    memoir.authenticity = Source.Authenticity.FORGED
    memoir.save()
    assert not Correction.objects.filter(claim=claim).exists()


# The admin


def claim_form(client, claim):
    response = client.get(admin_url(Claim, "change", claim.pk))
    assert response.status_code == 200
    return form_data(response)


def add_evidence_elsewhere(client, claim):
    """Post a new evidence item for `claim` on the evidence admin's own add page."""
    source = make_source("A new memoir")
    response = client.post(
        admin_url(Evidence, "add"),
        {
            "claim": claim.pk,
            "source": source.pk,
            "stance": "supports",
            "directness": "direct",
            "presentations-TOTAL_FORMS": "0",
            "presentations-INITIAL_FORMS": "0",
        },
    )
    return source, response


def test_a_curators_save_in_the_admin_leaves_the_published_claim_unchanged(curator_client):
    claim = korean_war_claim()
    published = claim.statement
    data = claim_form(curator_client, claim)
    data.update(statement=NEW_STATEMENT, change_reason="Dated more exactly.")

    response = curator_client.post(admin_url(Claim, "change", claim.pk), data)

    change = PendingChange.objects.get(claim=claim)
    assert response.status_code == 302
    assert response.url == f"/admin/claims/claim/review/{change.pk}/"
    assert "waits for an editor's review" in messages_of(response)[0]
    claim.refresh_from_db()
    assert claim.statement == published
    assert change.proposed == {
        "claim": {"statement": NEW_STATEMENT},
        "evidence": {},
        "new_evidence": [],
        "removed_evidence": [],
    }


def test_a_curators_evidence_edit_in_the_admin_is_held_too(curator_client):
    claim = korean_war_claim()
    data = claim_form(curator_client, claim)
    data.update({"evidence-0-locator": "folio 7", "change_reason": "Locator checked."})
    item_id = int(data["evidence-0-id"])

    curator_client.post(admin_url(Claim, "change", claim.pk), data)

    assert Evidence.objects.get(pk=item_id).locator != "folio 7"
    change = PendingChange.objects.get(claim=claim)
    assert change.proposed["evidence"] == {str(item_id): {"locator": "folio 7"}}


def test_a_curators_new_presentation_on_a_published_claim_is_refused_not_dropped(
    curator_client,
):
    claim = korean_war_claim()
    data = claim_form(curator_client, claim)
    total = int(data["evidence-0-presentations-TOTAL_FORMS"])
    data.update(
        {
            "evidence-0-presentations-TOTAL_FORMS": str(total + 1),
            f"evidence-0-presentations-{total}-date": "1995",
            f"evidence-0-presentations-{total}-presenters": [str(Agent.objects.first().pk)],
            "change_reason": "Presented again.",
        }
    )
    presentations = claim.evidence.get(pk=data["evidence-0-id"]).presentations.count()

    response = curator_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 302
    assert "changed by an editor" in messages_of(response)[0]
    assert not PendingChange.objects.filter(claim=claim).exists()
    assert claim.evidence.get(pk=data["evidence-0-id"]).presentations.count() == presentations


def test_saving_a_published_claim_without_a_reason_is_refused_on_the_form(
    curator_client, editor_client
):
    claim = korean_war_claim()
    for client in (curator_client, editor_client):
        data = claim_form(client, claim)
        data["statement"] = NEW_STATEMENT
        response = client.post(admin_url(Claim, "change", claim.pk), data)
        assert response.status_code == 200
        assert "say in one line why it changes" in response.content.decode()
    claim.refresh_from_db()
    assert claim.statement != NEW_STATEMENT
    assert not PendingChange.objects.exists()


def test_an_editors_direct_change_is_saved_and_logged(editor_client, editor):
    claim = korean_war_claim()
    data = claim_form(editor_client, claim)
    data.update(statement=NEW_STATEMENT, change_reason="Dated more exactly.", change_kind="update")

    response = editor_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == NEW_STATEMENT
    entry = Correction.objects.get(claim=claim)
    assert (entry.kind, entry.reason, entry.by) == ("update", "Dated more exactly.", editor)
    assert not PendingChange.objects.exists()


def test_an_editors_new_presentation_on_the_claims_page_is_saved_and_logged(editor_client, editor):
    claim = korean_war_claim()
    data = claim_form(editor_client, claim)
    total = int(data["evidence-0-presentations-TOTAL_FORMS"])
    data.update(
        {
            "evidence-0-presentations-TOTAL_FORMS": str(total + 1),
            f"evidence-0-presentations-{total}-date": "1995",
            f"evidence-0-presentations-{total}-presenters": [str(Agent.objects.first().pk)],
            "change_reason": "Presented again in 1995.",
            "change_kind": "update",
        }
    )
    item = claim.evidence.get(pk=data["evidence-0-id"])
    presentations = item.presentations.count()

    response = editor_client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 302
    assert item.presentations.count() == presentations + 1
    entry = Correction.objects.get(claim=claim)
    assert (entry.kind, entry.reason, entry.by) == ("update", "Presented again in 1995.", editor)


def test_nobody_changes_a_published_claims_evidence_unlogged_on_the_evidence_pages(
    editor_client,
):
    """The evidence and presentation pages have no reason for readers to give, so even an
    editor makes these changes on the claim's page, where they are logged."""
    claim = korean_war_claim()
    item = claim.evidence.first()
    presentation = Presentation.objects.create(evidence=item, date="1995")
    message = escape("change its evidence from the claim's page")

    for model, obj in ((Evidence, item), (Presentation, presentation)):
        page = editor_client.get(admin_url(model, "change", obj.pk)).content.decode()
        assert 'name="_save"' not in page

        response = editor_client.post(admin_url(model, "delete", obj.pk), {"post": "yes"})
        assert response.status_code == 200 and message in response.content.decode()
        assert model.objects.filter(pk=obj.pk).exists()

        response = editor_client.post(
            admin_url(model, "changelist"),
            {"action": "delete_selected", "_selected_action": [obj.pk], "post": "yes"},
        )
        assert message in response.content.decode()
        assert model.objects.filter(pk=obj.pk).exists()

    source, response = add_evidence_elsewhere(editor_client, claim)
    assert message in response.content.decode()
    assert not Evidence.objects.filter(source=source).exists()
    assert not Correction.objects.exists()


def test_an_editor_cannot_restore_an_earlier_version_of_a_published_claims_evidence(
    editor_client,
):
    import reversion
    from reversion.models import Version

    claim = korean_war_claim()
    item = claim.evidence.first()
    with reversion.create_revision():
        item.save()
    version = Version.objects.get_for_object(item).first()

    response = editor_client.post(
        admin_url(Evidence, "revision", item.pk, version.pk), {"locator": "folio 1"}
    )

    assert response.status_code == 302
    assert "change its evidence from the claim's page" in messages_of(response)[0]


def test_drafts_are_changed_directly_without_a_reason_or_a_log(curator_client):
    claim = korean_war_claim(status=Claim.Status.DRAFT)
    data = claim_form(curator_client, claim)
    data["statement"] = NEW_STATEMENT
    curator_client.post(admin_url(Claim, "change", claim.pk), data)
    claim.refresh_from_db()
    assert claim.statement == NEW_STATEMENT
    assert not Correction.objects.exists() and not PendingChange.objects.exists()


def test_an_editor_sees_the_change_side_by_side_and_approves_it(curator, editor_client, editor):
    claim = korean_war_claim()
    published = claim.statement
    change = propose_statement(claim, curator)
    url = f"/admin/claims/claim/review/{change.pk}/"

    html = editor_client.get(url).content.decode()
    assert escape(published) in html and escape(NEW_STATEMENT) in html
    assert "Published now" in html and "Proposed" in html

    response = editor_client.post(
        url, {"reason": "Dated exactly.", "kind": "correction", "approve": "1"}
    )
    assert response.status_code == 302
    claim.refresh_from_db()
    assert claim.statement == NEW_STATEMENT
    assert Correction.objects.get(claim=claim).reason == "Dated exactly."


def test_a_curator_can_see_the_proposal_but_not_decide_it(curator_client, curator):
    claim = korean_war_claim()
    change = propose_statement(claim, curator)
    url = f"/admin/claims/claim/review/{change.pk}/"

    assert "Approve" not in curator_client.get(url).content.decode()
    response = curator_client.post(url, {"reason": "Mine.", "kind": "correction", "approve": "1"})

    assert messages_of(response) == ["Only editors can approve or reject changes."]
    change.refresh_from_db()
    assert change.status == PendingChange.Status.PENDING


def test_a_stale_change_is_refused_with_a_message(curator, editor_client):
    claim = korean_war_claim()
    change = propose_statement(claim, curator)
    Claim.objects.filter(pk=claim.pk).update(summary="Changed meanwhile.")
    url = f"/admin/claims/claim/review/{change.pk}/"

    assert "has changed since this was proposed" in editor_client.get(url).content.decode()
    response = editor_client.post(url, {"reason": "Dated.", "kind": "correction", "approve": "1"})

    assert "has changed since curator proposed" in messages_of(response)[0]
    assert not Correction.objects.exists()


def test_a_second_curators_save_while_a_change_waits_is_refused_on_the_form(
    curator, client, django_user_model
):
    from tests.conftest import staff_member_of

    claim = korean_war_claim()
    propose_statement(claim, curator)
    client.force_login(staff_member_of(django_user_model, "second", "Curators"))
    data = claim_form(client, claim)
    data.update(summary="Mine.", change_reason="Better summary.")

    response = client.post(admin_url(Claim, "change", claim.pk), data)

    assert response.status_code == 200
    assert "One change at a time" in response.content.decode()


def test_curators_cannot_change_a_published_claims_evidence_elsewhere(curator_client):
    claim = korean_war_claim()
    item = claim.evidence.first()
    response = curator_client.get(admin_url(Evidence, "change", item.pk))
    assert response.status_code == 200 and 'name="locator"' not in response.content.decode()

    source, response = add_evidence_elsewhere(curator_client, claim)
    assert escape("change its evidence from the claim's page") in response.content.decode()
    assert not Evidence.objects.filter(source=source).exists()


def test_curators_cannot_restore_an_earlier_version_of_a_published_claim(curator_client):
    import reversion
    from reversion.models import Version

    claim = korean_war_claim()
    with reversion.create_revision():
        claim.save()
    version = Version.objects.get_for_object(claim).first()

    response = curator_client.get(admin_url(Claim, "revision", claim.pk, version.pk))

    assert response.status_code == 302
    assert "restoring an earlier version would change it unreviewed" in messages_of(response)[0]


def test_the_start_page_shows_what_awaits_review_and_the_curators_drafts(curator, editor, client):
    import reversion

    claim = korean_war_claim()
    change = propose_statement(claim, curator)
    in_review = korean_war_claim(
        status=Claim.Status.IN_REVIEW, statement="Mao agreed in May 1950.", slug="mao-agreed"
    )
    draft = korean_war_claim(
        status=Claim.Status.DRAFT, statement="A curator's own draft.", slug="own-draft"
    )
    with reversion.create_revision():
        reversion.set_user(curator)
        draft.save()

    client.force_login(editor)
    editor_html = client.get("/admin/").content.decode()
    assert f"/admin/claims/claim/review/{change.pk}/" in editor_html
    assert in_review.statement in editor_html
    assert f"/admin/claims/claim/{in_review.pk}/move/publish/" in editor_html
    assert f"/admin/claims/claim/{in_review.pk}/history/" in editor_html

    client.force_login(curator)
    curator_html = client.get("/admin/").content.decode()
    assert "A curator&#x27;s own draft." in curator_html.split('id="own-drafts"')[1]
    assert "/move/publish/" not in curator_html  # only editors publish


def test_an_editors_restore_of_a_published_claim_is_logged_and_keeps_the_log(editor_client, editor):
    from reversion.models import Version

    claim = korean_war_claim()
    for summary in ("First wording.", "Second wording."):
        data = claim_form(editor_client, claim)
        data.update(summary=summary, change_reason=f"Summary: {summary}")
        assert editor_client.post(admin_url(Claim, "change", claim.pk), data).status_code == 302
    first = Version.objects.get_for_object(claim).order_by("pk").first()
    url = admin_url(Claim, "revision", claim.pk, first.pk)
    data = form_data(editor_client.get(url))
    data["change_reason"] = "Back to the first wording."

    assert editor_client.post(url, data).status_code == 302

    claim.refresh_from_db()
    assert claim.summary == "First wording."
    assert list(claim.corrections.values_list("reason", flat=True)) == [
        "Summary: First wording.",
        "Summary: Second wording.",
        "Back to the first wording.",
    ]


def test_publishing_from_the_start_page_takes_one_confirmation_and_returns_there(
    editor_client,
):
    claim = korean_war_claim(status=Claim.Status.IN_REVIEW)
    start = editor_client.get("/admin/")
    publish_url = start.context["claims_in_review"][0].publish_url
    assert publish_url == f"/admin/claims/claim/{claim.pk}/move/publish/?next=%2Fadmin%2F"

    confirmation = editor_client.get(publish_url)
    assert 'value="Publish"' in confirmation.content.decode()
    response = editor_client.post(publish_url)

    assert (response.status_code, response.url) == (302, "/admin/")
    claim.refresh_from_db()
    assert claim.status == Claim.Status.PUBLISHED


def test_a_move_never_returns_to_another_site(editor_client):
    claim = korean_war_claim(status=Claim.Status.IN_REVIEW)
    url = f"/admin/claims/claim/{claim.pk}/move/publish/?next=https://elsewhere.example/admin/"
    response = editor_client.post(url)
    assert response.url == f"/admin/claims/claim/{claim.pk}/change/"
