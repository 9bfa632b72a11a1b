"""Changes to published claims: reviewed, then logged for readers.

A curator's change to a published claim or its evidence is not written to the claim:
it is held as a `PendingChange` (only the fields that change, and a snapshot of what the
claim said when it was proposed). The public page keeps the published version. An
editor approves it, which applies it in one transaction through the models' own saves
(so the assessment, the page cache and the home page's counts follow as for any save)
and writes a `Correction` to the claim's public log; or rejects it, which changes
nothing. A proposal made against a claim that has changed since is refused: applying
it would undo the other change unseen.

An editor's own change to a published claim is applied at once and logged the same
way, with the reason the form asks for. A verdict that moves because of new findings
about a source (its record, custody or citations) is logged too, with what changed.
"""

import reversion
from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone

from claims.models import Claim, Correction, Evidence, PendingChange, Topic
from provenance.models import Agent, Source

CLAIM_FIELDS = ("statement", "slug", "summary", "date", "featured", "curator_note")
CLAIM_LINKS = ("subjects", "topics")
EVIDENCE_FIELDS = ("source", "stance", "directness", "quotation", "locator", "note")
REASON_MAX_LENGTH = Correction._meta.get_field("reason").max_length
EDITOR_PERMISSION = "claims.publish_claim"


class ReviewError(Exception):
    """A review step that cannot be taken; the message says why, for the person who tried."""


class NotAllowed(ReviewError):
    pass


class ChangeNotPending(ReviewError):
    pass


class StaleChange(ReviewError):
    """The claim changed after the proposal was made."""


class ChangeAlreadyPending(ReviewError):
    pass


def is_editor(user):
    return bool(user and user.is_active and user.has_perm(EDITOR_PERMISSION))


def needs_review(*, claim, user):
    """Whether this user's change to this claim is held for an editor instead of saved."""
    return claim.pk is not None and claim.is_public and not is_editor(user)


def clean_reason(reason):
    reason = " ".join((reason or "").split())
    if not reason:
        raise ReviewError("Say in one line why the claim changes: readers see it in its log.")
    if len(reason) > REASON_MAX_LENGTH:
        raise ReviewError(f"Keep the reason to one line of at most {REASON_MAX_LENGTH} characters.")
    return reason


# What a claim says, as JSON: the snapshot a proposal is made against.


def claim_snapshot(claim_id):
    """What the claim and its evidence say in the database now, as plain JSON values
    (3 queries). Not the stored assessment: that follows from these."""
    values = Claim.objects.filter(pk=claim_id).values(*CLAIM_FIELDS).get()
    through = Claim.subjects.through
    values["subjects"] = sorted(
        through.objects.filter(claim_id=claim_id).values_list("agent_id", flat=True)
    )
    values["topics"] = sorted(
        Claim.topics.through.objects.filter(claim_id=claim_id).values_list("topic_id", flat=True)
    )
    evidence = {}
    for row in Evidence.objects.filter(claim_id=claim_id).values(
        "id", "source_id", *EVIDENCE_FIELDS[1:]
    ):
        pk, row["source"] = row.pop("id"), row.pop("source_id")
        evidence[str(pk)] = row
    return {"claim": values, "evidence": evidence}


def _json_value(value):
    if hasattr(value, "pk"):
        return value.pk
    if hasattr(value, "values_list"):  # a queryset of many-to-many choices
        return sorted(value.values_list("pk", flat=True))
    return value


def proposal_from_forms(form, evidence_formsets):
    """What a valid claim form and its evidence formsets change, as a proposal:
    {"claim": {field: value}, "evidence": {id: {field: value}}, "new_evidence": [...],
    "removed_evidence": [id, ...]}, holding only what differs from the database."""
    proposal = {"claim": {}, "evidence": {}, "new_evidence": [], "removed_evidence": []}
    for name in form.changed_data:
        if name in CLAIM_FIELDS or name in CLAIM_LINKS:
            proposal["claim"][name] = _json_value(form.cleaned_data[name])
    for formset in evidence_formsets:
        deleted = {id(item) for item in formset.deleted_forms}
        for item in formset.forms:
            if id(item) in deleted:
                if item.instance.pk:
                    proposal["removed_evidence"].append(str(item.instance.pk))
                continue
            if not item.has_changed():
                continue
            if item.instance.pk:
                changes = {
                    name: _json_value(item.cleaned_data[name])
                    for name in item.changed_data
                    if name in EVIDENCE_FIELDS
                }
                if changes:
                    proposal["evidence"][str(item.instance.pk)] = changes
            else:
                proposal["new_evidence"].append(
                    {name: _json_value(item.cleaned_data.get(name)) for name in EVIDENCE_FIELDS}
                )
    return proposal


def is_empty(proposal):
    return not any(proposal.values())


# Proposing, approving, rejecting.


def change_propose(*, claim, by, proposed, reason, kind=Correction.Kind.CORRECTION):
    """Hold `proposed` (see `proposal_from_forms`) for an editor's review. A second
    proposal by the same person replaces their first; someone else's open proposal
    must be decided first. Returns the PendingChange, or None if nothing changes."""
    if not (by and by.is_active and by.has_perm("claims.change_claim")):
        raise NotAllowed(f"You cannot change claims. “{claim}” is unchanged.")
    reason = clean_reason(reason)
    if is_empty(proposed):
        return None
    with transaction.atomic():
        Claim.objects.select_for_update().filter(pk=claim.pk).first()
        open_change = (
            PendingChange.objects.select_for_update()
            .select_related("proposed_by")
            .filter(claim_id=claim.pk, status=PendingChange.Status.PENDING)
            .first()
        )
        if open_change is not None and open_change.proposed_by_id != by.pk:
            raise ChangeAlreadyPending(pending_elsewhere_message(open_change))
        change = open_change or PendingChange(claim_id=claim.pk, proposed_by=by)
        change.proposed, change.base = proposed, claim_snapshot(claim.pk)
        change.reason, change.kind, change.proposed_at = reason, kind, timezone.now()
        change.save()
    return change


def pending_elsewhere_message(change):
    return (
        f"{change.proposed_by} proposed a change to “{change.claim}” on "
        f"{change.proposed_at:%d %B %Y} that an editor has not reviewed yet. One change "
        "at a time: ask an editor to approve or reject it first. Nothing was saved."
    )


def _lock_pending(change):
    current = (
        PendingChange.objects.select_for_update().select_related("proposed_by").get(pk=change.pk)
    )
    if current.status != PendingChange.Status.PENDING:
        decided = current.decided_by or "an editor"
        raise ChangeNotPending(
            f"This change was already {current.get_status_display().lower()} by {decided}."
        )
    return current


def change_approve(*, change, by, reason, kind=None):
    """Apply a pending change to its published claim and log it for readers, as the
    editor `by`, in one transaction. Returns the Correction."""
    if not is_editor(by):
        raise NotAllowed("Only editors can approve changes to published claims. Nothing changed.")
    reason = clean_reason(reason)
    with transaction.atomic(), reversion.create_revision():
        change = _lock_pending(change)
        claim = Claim.objects.select_for_update().get(pk=change.claim_id)
        if not claim.is_public:
            raise StaleChange(
                f"“{claim}” is no longer published: change it directly, and reject this proposal."
            )
        if claim_snapshot(claim.pk) != change.base:
            raise StaleChange(
                f"“{claim}” has changed since {change.proposed_by} proposed this on "
                f"{change.proposed_at:%d %B %Y at %H:%M}: approving it would undo those "
                "changes. Reject it and ask for a new proposal made from the claim as it "
                "is now. Nothing changed."
            )
        level_before = claim.strength_level
        _apply(claim, change.proposed)
        correction = _log(
            claim=claim,
            by=by,
            kind=kind or change.kind,
            reason=reason,
            level_before=level_before,
            change=change,
        )
        change.status = PendingChange.Status.APPROVED
        change.decided_by, change.decided_at = by, correction.at
        change.save(update_fields=["status", "decided_by", "decided_at"])
        reversion.set_user(by)
        reversion.set_comment(f"Approved a change proposed by {change.proposed_by}: {reason}")
    return correction


def change_reject(*, change, by, note=""):
    """Discard a pending change: nothing of it reaches the claim."""
    if not is_editor(by):
        raise NotAllowed("Only editors can reject changes to published claims.")
    with transaction.atomic():
        change = _lock_pending(change)
        change.status = PendingChange.Status.REJECTED
        change.decided_by, change.decided_at = by, timezone.now()
        change.decision_note = (note or "").strip()
        change.save(update_fields=["status", "decided_by", "decided_at", "decision_note"])
    return change


def change_log_direct(*, claim, by, reason, kind, level_before):
    """Log an editor's own change to a published claim, already saved."""
    return _log(
        claim=claim, by=by, kind=kind, reason=clean_reason(reason), level_before=level_before
    )


def _log(*, claim, by, kind, reason, level_before, change=None):
    level_after = Claim.objects.filter(pk=claim.pk).values_list("strength_level", flat=True).get()
    moved = level_before != level_after
    return Correction.objects.create(
        claim=claim,
        by=by,
        kind=kind,
        reason=reason,
        level_before=level_before if moved else "",
        level_after=level_after if moved else "",
        change=change,
    )


def _invalid(claim, error):
    messages = "; ".join(
        f"{field}: {' '.join(problems)}" if field != "__all__" else " ".join(problems)
        for field, problems in error.message_dict.items()
    )
    return StaleChange(
        f"This change no longer fits “{claim}” as it is now ({messages}). Reject it and ask "
        "for a new proposal. Nothing changed."
    )


def _apply(claim, proposed):
    """Write a proposal through the models' saves, so every signal follows."""
    fields = proposed.get("claim", {})
    for name in CLAIM_FIELDS:
        if name in fields:
            setattr(claim, name, fields[name])
    try:
        claim.full_clean()
    except ValidationError as error:
        raise _invalid(claim, error) from None
    claim.save()
    for name in CLAIM_LINKS:
        if name in fields:
            getattr(claim, name).set(fields[name])
    items = {str(item.pk): item for item in claim.evidence.all()}
    rows = [(items[pk], changes) for pk, changes in proposed.get("evidence", {}).items()]
    rows += [(Evidence(claim=claim), values) for values in proposed.get("new_evidence", [])]
    for item, values in rows:
        for name, value in values.items():
            setattr(item, "source_id" if name == "source" else name, value)
        try:
            item.full_clean()
        except ValidationError as error:
            raise _invalid(claim, error) from None
        item.save()
    for pk in proposed.get("removed_evidence", []):
        items[pk].delete()


# Verdicts moved by new findings about a source.


def verdict_changes_log(changes, *, cause):
    """Log, for each published claim whose level moved in `changes` (from
    claims.assessment), that its verdict changed and why."""
    moved = {change.slug: change for change in changes if change.before != change.after}
    if not moved:
        return []
    claims = Claim.objects.published().filter(slug__in=moved).only("pk", "slug")
    return Correction.objects.bulk_create(
        Correction(
            claim=claim,
            kind=Correction.Kind.VERDICT,
            reason=cause[:REASON_MAX_LENGTH],
            level_before=moved[claim.slug].before,
            level_after=moved[claim.slug].after,
        )
        for claim in claims
    )


# What the editor sees side by side.


def side_by_side(change):
    """Rows of (what, published now, proposed) in words, for the review page."""
    now = claim_snapshot(change.claim_id)
    proposed = change.proposed
    source_ids = {values.get("source") for values in proposed.get("evidence", {}).values()}
    source_ids |= {values.get("source") for values in proposed.get("new_evidence", [])}
    source_ids |= {values["source"] for values in now["evidence"].values()}
    sources = dict(Source.objects.filter(pk__in=source_ids - {None}).values_list("pk", "title"))
    fields = proposed.get("claim", {})
    agent_ids = set(fields.get("subjects", [])) | set(now["claim"]["subjects"])
    topic_ids = set(fields.get("topics", [])) | set(now["claim"]["topics"])
    names = {
        "subjects": dict(Agent.objects.filter(pk__in=agent_ids).values_list("pk", "name")),
        "topics": dict(Topic.objects.filter(pk__in=topic_ids).values_list("pk", "name")),
    }

    def words(name, value):
        if name in names:
            return ", ".join(names[name].get(pk, f"#{pk}") for pk in value) or "—"
        if name == "source":
            return sources.get(value, f"#{value}")
        if isinstance(value, bool):
            return "yes" if value else "no"
        if name in ("stance", "directness"):
            choices = Evidence._meta.get_field(name).choices
            return dict(choices).get(value, value)
        return value if value not in ("", None) else "—"

    def label(model, name):
        return str(model._meta.get_field(name).verbose_name).capitalize()

    sections = []
    claim_rows = [
        (label(Claim, name), words(name, now["claim"].get(name)), words(name, value))
        for name, value in fields.items()
    ]
    if claim_rows:
        sections.append(("The claim", claim_rows))
    for pk, changes in proposed.get("evidence", {}).items():
        current = now["evidence"].get(pk)
        title = sources.get(current["source"], "") if current else "(removed since)"
        rows = [
            (
                label(Evidence, name),
                words(name, current.get(name)) if current else "—",
                words(name, value),
            )
            for name, value in changes.items()
        ]
        sections.append((f"Evidence: {title}", rows))
    for values in proposed.get("new_evidence", []):
        rows = [(label(Evidence, name), "—", words(name, value)) for name, value in values.items()]
        sections.append((f"New evidence: {sources.get(values['source'], '')}", rows))
    for pk in proposed.get("removed_evidence", []):
        current = now["evidence"].get(pk)
        if current:
            sections.append(
                (
                    f"Evidence removed: {sources.get(current['source'], '')}",
                    [(label(Evidence, "source"), words("source", current["source"]), "—")],
                )
            )
    return sections


def is_stale(change):
    return change.status == PendingChange.Status.PENDING and (
        claim_snapshot(change.claim_id) != change.base
    )
