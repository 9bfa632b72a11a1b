"""What awaits an editor and a curator, for the admin's start page and the review queue:
proposed changes to published claims, claims in review, recently changed records and
the signed-in person's own drafts, each with the address of its changes side by side
(the review page for a proposal, the history page for everything else)."""

from django.contrib.contenttypes.models import ContentType
from django.urls import NoReverseMatch, reverse
from django.utils.http import url_has_allowed_host_and_scheme, urlencode
from reversion.models import Version

from claims import review, workflow
from claims.models import Claim, PendingChange


def _history_url(app_label, model_name, object_id):
    try:
        return reverse(f"admin:{app_label}_{model_name}_history", args=[object_id])
    except NoReverseMatch:
        return None


def pending_changes(limit=None):
    changes = PendingChange.objects.filter(status=PendingChange.Status.PENDING).select_related(
        "claim", "proposed_by"
    )
    changes = list(changes[:limit] if limit else changes)
    for change in changes:
        change.review_url = reverse("admin:claims_claim_review_change", args=[change.pk])
    return changes


def safe_next(request):
    """The admin page to return to after a move (`?next=`), if it is one of this site's."""
    target = request.GET.get("next", "")
    if target.startswith("/admin/") and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return None


def claims_in_review(*, user, limit=None, back_to=None):
    claims = Claim.objects.filter(status=Claim.Status.IN_REVIEW).order_by("updated_at", "pk")
    claims = list(claims.only("pk", "statement", "updated_at")[:limit] if limit else claims)
    can_publish = workflow.PUBLISH.allowed_for(user)
    for claim in claims:
        claim.history_url = _history_url("claims", "claim", claim.pk)
        claim.change_url = reverse("admin:claims_claim_change", args=[claim.pk])
        claim.publish_url = (
            reverse("admin:claims_claim_move", args=[claim.pk, workflow.PUBLISH.name])
            + (f"?{urlencode({'next': back_to})}" if back_to else "")
            if can_publish
            else None
        )
    return claims


def recently_changed(limit=10):
    """The records changed most recently, newest first, one row per record."""
    rows, seen = [], set()
    versions = Version.objects.select_related("revision__user", "content_type").order_by(
        "-revision__date_created", "-pk"
    )
    for version in versions[: limit * 5]:
        key = (version.content_type_id, version.object_id)
        if key in seen:
            continue
        seen.add(key)
        content_type = version.content_type
        rows.append(
            {
                "label": version.object_repr,
                "kind": content_type.name,
                "when": version.revision.date_created,
                "user": version.revision.user,
                "comment": version.revision.get_comment(),
                "url": _history_url(content_type.app_label, content_type.model, version.object_id),
            }
        )
        if len(rows) == limit:
            break
    return rows


def own_drafts(*, user, limit=None):
    """Drafts this person has saved at least once (from the history)."""
    claim_type = ContentType.objects.get_for_model(Claim)
    mine = Version.objects.filter(content_type=claim_type, revision__user=user).values("object_id")
    drafts = (
        Claim.objects.filter(status=Claim.Status.DRAFT, pk__in=_ids(mine))
        .order_by("-updated_at", "pk")
        .only("pk", "statement", "updated_at")
    )
    drafts = list(drafts[:limit] if limit else drafts)
    for claim in drafts:
        claim.history_url = _history_url("claims", "claim", claim.pk)
        claim.change_url = reverse("admin:claims_claim_change", args=[claim.pk])
    return drafts


def _ids(object_ids):
    # Version.object_id is text (it names records of any model).
    return [int(row["object_id"]) for row in object_ids if str(row["object_id"]).isdigit()]


def queue_for(user, limit=None, back_to=None):
    return {
        "pending_changes": pending_changes(limit),
        "claims_in_review": claims_in_review(user=user, limit=limit, back_to=back_to),
        "recently_changed": recently_changed(),
        "own_drafts": own_drafts(user=user, limit=limit),
        "is_editor": review.is_editor(user),
    }
