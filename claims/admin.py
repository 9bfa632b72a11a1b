"""The curators' admin for claims, evidence, presentations and topics, with the claim
workflow (claims/workflow.py): a button on the claim page and an action on the claim
list for each move, shown only to those whose role allows it."""

from dataclasses import dataclass

import nested_admin
from django import forms
from django.contrib import admin, messages
from django.contrib.admin import helpers
from django.contrib.admin.utils import unquote
from django.shortcuts import redirect
from django.template.loader import render_to_string
from django.template.response import TemplateResponse
from django.urls import path, reverse

from claims import assessment, review_queue, workflow
from claims.admin_review import PublishedEvidenceGuard, ReviewedChangesMixin
from claims.models import Claim, ClaimTransition, Evidence, Presentation, Topic
from claims.resources import ClaimResource, EvidenceResource
from config.admin import LargeListAdmin
from intake.admin import ImportExportAdmin
from provenance.admin import HistoryAdmin


class PresentationInline(admin.StackedInline):
    model = Presentation
    extra = 0
    autocomplete_fields = ["presenters", "event", "reported_in"]
    fields = ["presenters", ("event", "date"), "reported_in", "note"]


class EvidencePresentationInline(nested_admin.NestedStackedInlineMixin, PresentationInline):
    """Who presented an evidence item, where and when, inside that item on the claim's
    page: recorded in the same form as the item, before it has ever been saved."""

    verbose_name = "presentation"
    verbose_name_plural = "presentations (who presented it, where and when)"


class EvidenceInline(nested_admin.NestedStackedInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["source"]
    show_change_link = True
    fields = [("source", "stance", "directness"), ("quotation", "locator"), "note"]
    inlines = [EvidencePresentationInline]
    verbose_name_plural = "evidence"

    def get_queryset(self, request):
        return super().get_queryset(request).select_related("source")


class ReasonForm(forms.Form):
    reason = forms.CharField(
        label="Why",
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "cols": 70}),
        help_text=(
            "Why the claim goes back to draft: what must be checked or corrected. Kept in the "
            "claim's workflow record for curators and editors; readers never see it."
        ),
    )


@dataclass(frozen=True)
class WorkflowState:
    """Where a claim stood before an earlier version of it was restored."""

    status: str
    published_at: object
    transitions: list


@admin.register(Claim)
class ClaimAdmin(
    LargeListAdmin,
    nested_admin.NestedModelAdminMixin,
    ReviewedChangesMixin,
    ImportExportAdmin,
    HistoryAdmin,
):
    resource_classes = [ClaimResource]
    list_display = [
        "statement",
        "status",
        "strength_level",
        "support_score_display",
        "date_in_words",
        "updated_at",
    ]
    list_filter = ["status", "strength_level", "featured", "topics"]
    # The stored timeline and what-if are the longest of a claim's fields.
    list_deferred = ["assessment_detail", "summary", "curator_note"]
    search_fields = ["statement", "summary", "slug", "subjects__name"]
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["subjects", "topics"]
    # The status changes only through the workflow's buttons and actions, which check
    # the user's role and record every move.
    readonly_fields = [
        "status",
        "published_at",
        "workflow_record",
        "strength_level",
        "support_score",
        "contradiction_score",
        "assessed_at",
        "assessment_reasoning",
    ]
    inlines = [EvidenceInline]
    actions = ["submit_for_review", "return_to_draft", "publish", "unpublish"]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "summary", "date", "subjects", "topics"]}),
        (
            "Publication",
            {
                "fields": ["status", "published_at", "workflow_record", "featured", "curator_note"],
                "description": (
                    "A claim moves draft → in review → published with the buttons at the top of "
                    "this page (or the actions on the list of claims). Curators submit for "
                    "review and return to draft; editors publish and unpublish. Only published "
                    "claims are public."
                ),
            },
        ),
        (
            "Strength of the evidence (computed; see the methodology)",
            {
                "fields": [
                    "strength_level",
                    "support_score",
                    "contradiction_score",
                    "assessed_at",
                    "assessment_reasoning",
                ]
            },
        ),
    ]

    def formfield_for_dbfield(self, db_field, request, **kwargs):
        # A statement is a full sentence of up to 500 characters: a one-line box shows
        # about 35 of them.
        if db_field.name == "statement":
            kwargs["widget"] = forms.Textarea(attrs={"rows": 3, "cols": 80})
        return super().formfield_for_dbfield(db_field, request, **kwargs)

    @admin.display(description="reasoning")
    def assessment_reasoning(self, obj):
        if obj is None or obj.pk is None:
            return "Computed once the claim and its evidence are saved."
        facts = assessment.claim_facts(obj)
        timeline, what_if = assessment.claim_detail(obj, facts)
        return render_to_string(
            "admin/claims/assessment.html",
            {"assessment": facts.assess(), "timeline": timeline, "what_if": what_if},
        )

    @admin.display(description="workflow moves")
    def workflow_record(self, obj):
        transitions = obj.transitions.select_related("by") if obj and obj.pk else []
        return render_to_string(
            "admin/claims/claim/workflow_record.html", {"transitions": transitions}
        )

    @admin.display(description="support", ordering="support_score")
    def support_score_display(self, obj):
        return f"{obj.support_score:.2f}"

    @admin.display(description="when", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words

    def has_publish_permission(self, request):
        return request.user.has_perm("claims.publish_claim")

    # The workflow on the claim page: one confirmation page per move.

    def get_urls(self):
        opts = self.opts
        return [
            path(
                "<path:object_id>/move/<str:move_name>/",
                self.admin_site.admin_view(self.move_view),
                name=f"{opts.app_label}_{opts.model_name}_move",
            ),
            *super().get_urls(),
        ]

    def change_view(self, request, object_id, form_url="", extra_context=None):
        claim = self.get_object(request, unquote(object_id))
        context = {"workflow_moves": self.workflow_buttons(request, claim) if claim else []}
        context.update(extra_context or {})
        return super().change_view(request, object_id, form_url, context)

    def workflow_buttons(self, request, claim):
        return [
            {
                "label": move.label,
                "name": move.name,
                "url": reverse(
                    f"{self.admin_site.name}:claims_claim_move", args=[claim.pk, move.name]
                ),
            }
            for move in workflow.moves_available(claim=claim, user=request.user)
        ]

    def move_view(self, request, object_id, move_name):
        claim = self.get_object(request, unquote(object_id))
        if claim is None or not self.has_view_or_change_permission(request, claim):
            messages.error(request, "That claim does not exist (perhaps it was deleted).")
            return redirect(f"{self.admin_site.name}:claims_claim_changelist")
        change_url = reverse(f"{self.admin_site.name}:claims_claim_change", args=[claim.pk])
        move = workflow.MOVES.get(move_name)
        if move is None:
            messages.error(request, f"There is no workflow move called “{move_name}”.")
            return redirect(change_url)
        try:
            workflow.check_move(claim=claim, by=request.user, move=move, check_reason=False)
        except workflow.WorkflowError as error:
            messages.error(request, str(error))
            return redirect(change_url)
        form = ReasonForm(request.POST or None) if move.needs_reason else None
        # From the start page or the review queue, the move returns there.
        back_url = review_queue.safe_next(request) or change_url
        if request.method == "POST" and (form is None or form.is_valid()):
            reason = form.cleaned_data["reason"] if form else ""
            try:
                workflow.claim_move(claim=claim, by=request.user, move=move, reason=reason)
            except workflow.WorkflowError as error:
                messages.error(request, str(error))
            else:
                messages.success(request, f"“{claim}” {move.done}.")
            return redirect(back_url)
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "original": claim,
            "move": move,
            "form": form,
            "change_url": change_url,
            "back_url": back_url,
            "title": f"{move.label}: {claim}",
        }
        return TemplateResponse(request, "admin/claims/claim/move_confirmation.html", context)

    # The workflow on the list of claims: one action per move.

    @admin.action(description="Submit selected claims for review", permissions=["change"])
    def submit_for_review(self, request, queryset):
        self.apply_move(request, queryset, workflow.SUBMIT)

    @admin.action(description="Return selected claims to draft (asks why)", permissions=["change"])
    def return_to_draft(self, request, queryset):
        return self.apply_move_with_reason(request, queryset, workflow.RETURN_TO_DRAFT)

    @admin.action(description="Publish selected claims", permissions=["publish"])
    def publish(self, request, queryset):
        self.apply_move(request, queryset, workflow.PUBLISH)

    @admin.action(description="Unpublish selected claims (asks why)", permissions=["publish"])
    def unpublish(self, request, queryset):
        return self.apply_move_with_reason(request, queryset, workflow.UNPUBLISH)

    def apply_move(self, request, queryset, move, reason=""):
        done = []
        for claim in queryset:
            try:
                workflow.claim_move(claim=claim, by=request.user, move=move, reason=reason)
            except workflow.WorkflowError as error:
                messages.warning(request, str(error))
            else:
                done.append(claim)
        if done:
            names = ", ".join(f"“{claim}”" for claim in done)
            count = f"{len(done)} claim{'s' if len(done) != 1 else ''}"
            messages.success(request, f"{count} {move.done}: {names}.")

    def apply_move_with_reason(self, request, queryset, move):
        if request.POST.get("confirm") == "yes":
            form = ReasonForm(request.POST)
            if form.is_valid():
                self.apply_move(request, queryset, move, form.cleaned_data["reason"])
                return None
        else:
            form = ReasonForm()
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "move": move,
            "form": form,
            "claims": queryset,
            "action_checkbox_name": helpers.ACTION_CHECKBOX_NAME,
            "title": f"{move.label}: {queryset.count()} claims",
        }
        return TemplateResponse(
            request, "admin/claims/claim/move_selected_confirmation.html", context
        )

    def action_refusal(self, request, action):
        move = workflow.MOVES.get(action)
        if move is not None and not move.allowed_for(request.user):
            return (
                f"You cannot {move.label.lower()} claims: only {move.role} can. "
                "Nothing was changed."
            )
        return super().action_refusal(request, action)

    # History: restoring an earlier version changes what the claim says, never where it
    # stands in the workflow nor the record of its moves; recovering a deleted published
    # claim makes it public again, so only editors may.

    def revision_view(self, request, object_id, version_id, extra_context=None):
        claim = Claim.objects.filter(pk=unquote(object_id)).first()
        if claim is not None:
            request.claim_workflow_state = WorkflowState(
                claim.status, claim.published_at, list(claim.transitions.all())
            )
        return super().revision_view(request, object_id, version_id, extra_context)

    def recover_refusal(self, request, version):
        if version.field_dict.get(
            "status"
        ) == Claim.Status.PUBLISHED and not self.has_publish_permission(request):
            return (
                f"“{version.object_repr}” was published when it was deleted; recovering it "
                "would make it public again, which only editors can do."
            )
        return super().recover_refusal(request, version)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        # A claim's workflow moves go with it and come back with it when it is recovered;
        # nobody deletes them on their own, so they need no delete permission of their own.
        perms_needed.discard(ClaimTransition._meta.verbose_name)
        return deleted, counts, perms_needed, protected

    def save_model(self, request, obj, form, change):
        state = getattr(request, "claim_workflow_state", None)
        if state is not None:
            obj.status, obj.published_at = state.status, state.published_at
        super().save_model(request, obj, form, change)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        state = getattr(request, "claim_workflow_state", None)
        if state is not None:
            kept = set(form.instance.transitions.values_list("pk", flat=True))
            for transition in state.transitions:
                if transition.pk not in kept:
                    transition.save(force_insert=True)


@admin.register(Evidence)
class EvidenceAdmin(PublishedEvidenceGuard, ImportExportAdmin, HistoryAdmin):
    resource_classes = [EvidenceResource]
    list_display = ["claim", "source", "stance", "directness", "locator"]
    list_filter = ["stance", "directness", "source__kind"]
    list_select_related = ["claim", "source"]
    search_fields = ["claim__statement", "source__title", "quotation", "note"]
    autocomplete_fields = ["claim", "source"]
    inlines = [PresentationInline]
    fieldsets = [
        (None, {"fields": ["claim", "source", ("stance", "directness")]}),
        ("The passage", {"fields": ["quotation", "locator", "note"]}),
    ]


@admin.register(Presentation)
class PresentationAdmin(PublishedEvidenceGuard, HistoryAdmin):
    list_display = ["__str__", "evidence", "event", "reported_in"]
    list_select_related = ["evidence__claim", "evidence__source", "event", "reported_in"]
    list_filter = ["event"]
    search_fields = ["presenters__name", "evidence__claim__statement", "evidence__source__title"]
    autocomplete_fields = ["evidence", "presenters", "event", "reported_in"]


@admin.register(Topic)
class TopicAdmin(HistoryAdmin):
    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]


@admin.register(ClaimTransition)
class ClaimTransitionAdmin(admin.ModelAdmin):
    """The record of workflow moves: readable by curators and editors, written only by
    the workflow, changed by nobody."""

    list_display = ["at", "claim", "from_status", "to_status", "by", "reason"]
    list_filter = ["to_status", "from_status"]
    list_select_related = ["claim", "by"]
    search_fields = ["claim__statement", "claim__slug", "reason", "by__username"]
    date_hierarchy = "at"

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False
