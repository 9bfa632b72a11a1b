"""The admin side of reviewed changes (claims/review.py): the claim form holds a
curator's change to a published claim for review and asks everyone for a reason;
editors review the queue side by side and approve or reject; evidence and its
presentations of published claims are changed only from the claim's page.
"""

from django import forms
from django.contrib import messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import PermissionDenied, ValidationError
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims import review
from claims.models import Claim, Correction, Evidence, PendingChange

REASON_FIELDS = ("change_reason", "change_kind")
KIND_CHOICES = Correction.Kind.choices[:2]
REASON_HELP = (
    "One line that readers see, dated, in the claim's “Corrections and updates”: what was "
    "wrong and is now right, or what is new. A curator's change waits for an editor's "
    "review; the public page keeps the published version until then."
)


class ClaimReviewForm(forms.ModelForm):
    """The claim form, with the reason every change to a published claim needs."""

    change_reason = forms.CharField(
        label="Reason for readers",
        required=False,
        max_length=review.REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 90}),
        help_text=REASON_HELP,
    )
    change_kind = forms.ChoiceField(
        label="Kind of change",
        choices=KIND_CHOICES,
        initial=Correction.Kind.CORRECTION,
        required=False,
        help_text="A correction mends an error; an update adds or revises information.",
    )
    # Set per request by ReviewedChangesMixin.get_form.
    review_user = None
    review_reason_required = True

    def clean(self):
        cleaned = super().clean()
        claim = self.instance
        if not (claim.pk and claim.is_public and self.review_reason_required):
            return cleaned
        if not " ".join(cleaned.get("change_reason", "").split()):
            self.add_error(
                "change_reason",
                "This claim is published: say in one line why it changes. Readers see it.",
            )
        if not review.is_editor(self.review_user):
            waiting = (
                PendingChange.objects.select_related("proposed_by", "claim")
                .filter(claim=claim, status=PendingChange.Status.PENDING)
                .exclude(proposed_by=self.review_user)
                .first()
            )
            if waiting is not None:
                raise ValidationError(review.pending_elsewhere_message(waiting))
        return cleaned


class ReviewedChangesMixin:
    """For ClaimAdmin: a curator's save of a published claim becomes a pending change;
    an editor's is saved and logged; both give a reason. Adds the review queue's pages."""

    form = ClaimReviewForm

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        attrs = {
            "review_user": request.user,
            "review_reason_required": not getattr(request, "review_exempt", False),
        }
        return type(form.__name__, (form,), attrs)

    def get_fieldsets(self, request, obj=None):
        fieldsets = list(super().get_fieldsets(request, obj))
        recovering = getattr(request, "review_exempt", False)
        if obj is not None and obj.is_public and not recovering:
            editor = review.is_editor(request.user)
            description = (
                "Your change is saved and shown to readers at once, with this reason in the "
                "claim's log."
                if editor
                else "Your change is held for an editor's review: nothing changes on the "
                "public page until an editor approves it."
            )
            fieldsets.insert(
                0,
                (
                    "This claim is published",
                    {"fields": list(REASON_FIELDS), "description": description},
                ),
            )
        return fieldsets

    def save_model(self, request, obj, form, change):
        if change and review.needs_review(claim=obj, user=request.user):
            request.review_held = True
            return  # nothing of a curator's change reaches the claim row
        if change and obj.is_public and not getattr(request, "review_exempt", False):
            request.review_level_before = getattr(request, "review_restoring", None) or (
                Claim.objects.filter(pk=obj.pk).values_list("strength_level", flat=True).get()
            )
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        evidence_formsets = [formset for formset in formsets if formset.model is Evidence]
        if getattr(request, "review_held", False):
            if _presentations_changed(evidence_formsets):
                # A proposal holds the claim and its evidence, not presentations: refuse
                # rather than hold the rest and drop the presenters without a word.
                request.review_error = (
                    "Who presented an evidence item on a published claim is changed by an "
                    "editor: propose your other changes without the presentations, or ask "
                    "an editor to record them."
                )
                return
            proposal = review.proposal_from_forms(form, evidence_formsets)
            try:
                request.review_change = review.change_propose(
                    claim=form.instance,
                    by=request.user,
                    proposed=proposal,
                    reason=form.cleaned_data.get("change_reason", ""),
                    kind=form.cleaned_data.get("change_kind") or Correction.Kind.CORRECTION,
                )
            except review.ReviewError as error:
                request.review_error = str(error)
            return
        level_before = getattr(request, "review_level_before", None)
        # A restored version is already in the form's initial values: it changed.
        changed = level_before is not None and (
            getattr(request, "review_restoring", None) is not None
            or set(form.changed_data) - set(REASON_FIELDS)
            or any(formset.has_changed() for formset in formsets)
        )
        super().save_related(request, form, formsets, change)
        kept = set(form.instance.corrections.values_list("pk", flat=True))
        for entry in getattr(request, "review_log", []):
            if entry.pk not in kept:
                entry.save(force_insert=True)
        if changed:
            review.change_log_direct(
                claim=form.instance,
                by=request.user,
                reason=form.cleaned_data["change_reason"],
                kind=form.cleaned_data.get("change_kind") or Correction.Kind.CORRECTION,
                level_before=level_before,
            )

    def construct_change_message(self, request, form, formsets, add=False):
        if getattr(request, "review_held", False):
            return "Proposed a change for an editor's review (not public until approved)."
        message = super().construct_change_message(request, form, formsets, add)
        # The reason goes to the claim's log, not into the list of changed fields.
        labels = {str(form.fields[name].label) for name in REASON_FIELDS if name in form.fields}
        for entry in message:
            changed = entry.get("changed")
            if changed and "name" not in changed:
                changed["fields"] = [f for f in changed["fields"] if f not in labels]
        return [
            entry
            for entry in message
            if not ("changed" in entry and "name" not in entry["changed"])
            or entry["changed"]["fields"]
        ]

    def response_change(self, request, obj):
        if not getattr(request, "review_held", False):
            return super().response_change(request, obj)
        if getattr(request, "review_error", None):
            messages.error(request, request.review_error)
            return redirect(request.path)
        change = getattr(request, "review_change", None)
        if change is None:
            messages.info(request, f"Nothing changed in “{obj}”: there is nothing to review.")
            return redirect(request.path)
        messages.success(
            request,
            f"Your change to “{change.claim}” waits for an editor's review. The public page "
            "shows the published version until an editor approves it.",
        )
        return redirect(self.review_url("change", change.pk))

    def change_view(self, request, object_id, form_url="", extra_context=None):
        waiting = (
            PendingChange.objects.select_related("proposed_by")
            .filter(claim_id=unquote(object_id), status=PendingChange.Status.PENDING)
            .first()
            if str(unquote(object_id)).isdigit()
            else None
        )
        context = {
            "pending_change": waiting,
            "pending_change_url": waiting and self.review_url("change", waiting.pk),
        }
        context.update(extra_context or {})
        return super().change_view(request, object_id, form_url, context)

    def revision_view(self, request, object_id, version_id, extra_context=None):
        claim = Claim.objects.filter(pk=unquote(object_id)).first()
        if claim is not None and review.needs_review(claim=claim, user=request.user):
            messages.error(
                request,
                f"“{claim}” is published: restoring an earlier version would change it "
                "unreviewed. Make the change on the claim's page, where an editor reviews it.",
            )
            return redirect(reverse("admin:claims_claim_history", args=[claim.pk]))
        if claim is not None:
            # The log is never rolled back with an earlier version (save_related puts
            # back what the restore removed).
            request.review_log = list(claim.corrections.all())
            if claim.is_public:
                # An editor's restore is a change to a published claim: asked why, logged.
                request.review_restoring = claim.strength_level
            else:
                # The version may be from when it was published; it is not now.
                request.review_exempt = True
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_view(self, request, version_id, extra_context=None):
        # Bringing back a deleted claim is not a change to a published one: its log
        # comes back with it as it was.
        request.review_exempt = True
        return super().recover_view(request, version_id, extra_context)

    # The review queue.

    def review_url(self, name, *args):
        return reverse(f"{self.admin_site.name}:claims_claim_review_{name}", args=args)

    def get_urls(self):
        return [
            path(
                "review/",
                self.admin_site.admin_view(self.review_queue_view),
                name="claims_claim_review_queue",
            ),
            path(
                "review/<int:change_id>/",
                self.admin_site.admin_view(self.review_change_view),
                name="claims_claim_review_change",
            ),
            *super().get_urls(),
        ]

    def review_queue_view(self, request):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        from claims.review_queue import queue_for

        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": "Waiting for review",
            **queue_for(request.user, back_to=request.path),
        }
        return TemplateResponse(request, "admin/claims/review/queue.html", context)

    def review_change_view(self, request, change_id):
        if not self.has_view_or_change_permission(request):
            raise PermissionDenied
        change = get_object_or_404(
            PendingChange.objects.select_related("claim", "proposed_by", "decided_by"),
            pk=change_id,
        )
        editor = review.is_editor(request.user)
        form = DecisionForm(
            request.POST or None, initial={"reason": change.reason, "kind": change.kind}
        )
        if request.method == "POST":
            if not editor:
                messages.error(request, "Only editors can approve or reject changes.")
                return redirect(request.path)
            if form.is_valid():
                outcome = self.decide(request, change, form)
                if outcome is not None:
                    return outcome
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "title": f"Change to “{change.claim}”",
            "change": change,
            "sections": review.side_by_side(change),
            "stale": review.is_stale(change),
            "form": form,
            "editor": editor,
            "claim_url": reverse(
                f"{self.admin_site.name}:claims_claim_change", args=[change.claim_id]
            ),
            "queue_url": self.review_url("queue"),
        }
        return TemplateResponse(request, "admin/claims/review/change.html", context)

    def decide(self, request, change, form):
        """Approve or reject; a redirect when done, or None to show the form again."""
        try:
            if "reject" in request.POST:
                review.change_reject(change=change, by=request.user, note=form.cleaned_data["note"])
                messages.success(request, f"The change to “{change.claim}” was rejected.")
            else:
                if not form.cleaned_data["reason"]:
                    form.add_error("reason", "Say in one line why the claim changes.")
                    return None
                review.change_approve(
                    change=change,
                    by=request.user,
                    reason=form.cleaned_data["reason"],
                    kind=form.cleaned_data["kind"],
                )
                messages.success(
                    request,
                    f"The change to “{change.claim}” is approved and public, with its "
                    "reason in the claim's log.",
                )
        except review.ReviewError as error:
            messages.error(request, str(error))
            return redirect(request.path)
        return redirect(self.review_url("queue"))


def _presentations_changed(evidence_formsets):
    """Whether any presentation nested in an evidence item (django-nested-admin) was
    added, changed or removed on the form."""
    return any(
        nested.has_changed()
        for formset in evidence_formsets
        for item in formset.forms
        for nested in getattr(item, "nested_formsets", None) or ()
    )


class DecisionForm(forms.Form):
    reason = forms.CharField(
        label="Reason for readers",
        required=False,
        max_length=review.REASON_MAX_LENGTH,
        widget=forms.TextInput(attrs={"size": 90}),
        help_text="Shown, dated, in the claim's “Corrections and updates”. The curator's "
        "reason is filled in; edit it as you see fit.",
    )
    kind = forms.ChoiceField(label="Kind of change", choices=KIND_CHOICES)
    note = forms.CharField(
        label="Note to the curator (when rejecting)",
        required=False,
        widget=forms.Textarea(attrs={"rows": 3, "cols": 70}),
        help_text="Kept with the proposal; readers never see it.",
    )


class PublishedEvidenceGuard:
    """For the evidence and presentation admins: what a published claim's evidence says
    is changed only from the claim's page, by everyone. There a curator's change waits
    for an editor's review and an editor's is logged for readers with its reason; a
    change made here would reach the public page with neither."""

    def claim_of(self, obj):
        return obj.claim if isinstance(obj, Evidence) else obj.evidence.claim

    def published_message(self, claim):
        return (
            f"“{claim}” is published: change its evidence from the claim's page, where "
            "the change is reviewed or logged for readers with its reason."
        )

    def has_change_permission(self, request, obj=None):
        if obj is not None and self.claim_of(obj).is_public:
            return False
        return super().has_change_permission(request, obj)

    def get_form(self, request, obj=None, change=False, **kwargs):
        form = super().get_form(request, obj, change, **kwargs)
        published_message = self.published_message

        class GuardedForm(form):
            def clean(self):
                cleaned = super().clean()
                chosen = cleaned.get("claim") or getattr(cleaned.get("evidence"), "claim", None)
                if chosen is not None and chosen.is_public:
                    raise ValidationError(published_message(chosen))
                return cleaned

        GuardedForm.__name__ = form.__name__
        return GuardedForm

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        published = [
            f"{obj._meta.verbose_name.capitalize()} “{obj}”: {self.published_message(claim)}"
            for obj in objs
            if (claim := self.claim_of(obj)).is_public
        ]
        return deleted, counts, perms_needed, [*protected, *published]

    def revision_view(self, request, object_id, version_id, extra_context=None):
        obj = self.get_object(request, unquote(object_id))
        if obj is not None and self.claim_of(obj).is_public:
            messages.error(request, self.published_message(self.claim_of(obj)))
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_history", obj.pk)
        return super().revision_view(request, object_id, version_id, extra_context)
