"""The claim workflow: draft → in review → published, and back to draft with a reason.

    draft ──submit for review──▶ in review ──publish──▶ published
      ▲                              │                      │
      └──────return to draft─────────┘                      │
      └──────────────────────unpublish──────────────────────┘

Curators (``claims.change_claim``) submit drafts for review and return claims in review
to draft; editors (``claims.publish_claim``) also publish and unpublish. Only published
claims are public. A move back to draft needs a reason, which readers never see but
curators do.

Each move is a service function with keyword-only arguments. It checks that the claim
stands where the move starts and that the user may make it, raising a `WorkflowError`
with a message for people otherwise; records a `ClaimTransition` (who, when, from, to,
why); sets `published_at` on publication; and saves the claim in a django-reversion
revision signed by the user, so the claim's history shows the move too.
"""

from dataclasses import dataclass

import reversion
from django.db import transaction

from claims.models import Claim, ClaimTransition

Status = Claim.Status


class WorkflowError(Exception):
    """A move that cannot be made; the message says why, for the person who tried."""


class MoveNotPossible(WorkflowError):
    """The claim does not stand where the move starts."""


class MoveNotAllowed(WorkflowError):
    """The user's role does not allow the move."""


class ReasonRequired(WorkflowError):
    """A move back to draft was asked for without a reason."""


@dataclass(frozen=True)
class Move:
    name: str
    label: str
    from_status: Status
    to_status: Status
    permission: str
    role: str  # who may make it, in words for messages
    done: str  # what the claim has been, in words: "published"
    needs_reason: bool = False

    def allowed_for(self, user):
        return bool(user and user.is_active and user.has_perm(self.permission))

    def possible_for(self, claim):
        return claim.status == self.from_status


SUBMIT = Move(
    "submit_for_review",
    "Submit for review",
    Status.DRAFT,
    Status.IN_REVIEW,
    "claims.change_claim",
    "curators and editors",
    "submitted for review",
)
RETURN_TO_DRAFT = Move(
    "return_to_draft",
    "Return to draft",
    Status.IN_REVIEW,
    Status.DRAFT,
    "claims.change_claim",
    "curators and editors",
    "returned to draft",
    needs_reason=True,
)
PUBLISH = Move(
    "publish",
    "Publish",
    Status.IN_REVIEW,
    Status.PUBLISHED,
    "claims.publish_claim",
    "editors",
    "published",
)
UNPUBLISH = Move(
    "unpublish",
    "Unpublish",
    Status.PUBLISHED,
    Status.DRAFT,
    "claims.publish_claim",
    "editors",
    "unpublished",
    needs_reason=True,
)

MOVES = {move.name: move for move in (SUBMIT, RETURN_TO_DRAFT, PUBLISH, UNPUBLISH)}


def moves_available(*, claim, user):
    """The moves this user can make on this claim now, in workflow order."""
    return [move for move in MOVES.values() if move.possible_for(claim) and move.allowed_for(user)]


def check_move(*, claim, by, move, reason="", check_reason=True):
    """Raise a WorkflowError if `by` cannot make `move` on `claim` now. Leave out
    `check_reason` to ask only whether the move could be made once a reason is given."""
    if not move.allowed_for(by):
        raise MoveNotAllowed(
            f"You cannot {move.label.lower()} claims: only {move.role} can. “{claim}” is unchanged."
        )
    if not move.possible_for(claim):
        raise MoveNotPossible(
            f"“{claim}” is {claim.get_status_display().lower()}: only a claim that is "
            f"{Status(move.from_status).label.lower()} can be {move.done}."
        )
    if check_reason and move.needs_reason and not reason.strip():
        raise ReasonRequired(
            f"Say why “{claim}” goes back to draft: the reason is kept with the claim."
        )


def claim_move(*, claim, by, move, reason=""):
    """Make `move` on `claim` as user `by`; returns the recorded ClaimTransition."""
    reason = (reason or "").strip()
    check_move(claim=claim, by=by, move=move, reason=reason)
    with transaction.atomic(), reversion.create_revision():
        # Read the status again under a row lock: two editors pressing at once make
        # one move, and the second gets a clear message.
        current = Claim.objects.select_for_update().get(pk=claim.pk)
        check_move(claim=current, by=by, move=move, reason=reason)
        transition = ClaimTransition.objects.create(
            claim=current,
            from_status=current.status,
            to_status=move.to_status,
            by=by,
            reason=reason,
        )
        current.status = move.to_status
        if move.to_status == Status.PUBLISHED:
            current.published_at = transition.at
        elif move.from_status == Status.PUBLISHED:
            current.published_at = None
        # The transition is saved first so that the claim's version, which follows its
        # transitions, includes this one.
        current.save(update_fields=["status", "published_at", "updated_at"])
        reversion.set_user(by)
        reversion.set_comment(f"{move.label}: {reason}" if reason else move.label)
    for field in ("status", "published_at", "updated_at"):
        setattr(claim, field, getattr(current, field))
    return transition


def claim_submit_for_review(*, claim, by):
    return claim_move(claim=claim, by=by, move=SUBMIT)


def claim_return_to_draft(*, claim, by, reason):
    return claim_move(claim=claim, by=by, move=RETURN_TO_DRAFT, reason=reason)


def claim_publish(*, claim, by):
    return claim_move(claim=claim, by=by, move=PUBLISH)


def claim_unpublish(*, claim, by, reason):
    return claim_move(claim=claim, by=by, move=UNPUBLISH, reason=reason)
