"""The curators' admin for claims, evidence, presentations and topics."""

from django.contrib import admin
from django.template.loader import render_to_string
from django.utils.html import format_html_join

from claims import services
from claims.models import Claim, Evidence, Presentation, Topic


class EvidenceInline(admin.StackedInline):
    model = Evidence
    extra = 0
    autocomplete_fields = ["source"]
    show_change_link = True
    fields = [("source", "stance", "directness"), ("quotation", "locator"), "note", "presented"]
    readonly_fields = ["presented"]
    verbose_name_plural = (
        "evidence (save, then follow “change” on an item to record who presented it, "
        "where and when)"
    )

    def get_queryset(self, request):
        return (
            super()
            .get_queryset(request)
            .select_related("source")
            .prefetch_related("presentations__presenters", "presentations__event")
        )

    @admin.display(description="presented")
    def presented(self, obj):
        presentations = list(obj.presentations.all()) if obj.pk else []
        if not presentations:
            return "Not recorded yet."
        return format_html_join(
            ", ",
            "{} — {}",
            (
                (", ".join(str(p) for p in presentation.presenters.all()), str(presentation))
                for presentation in presentations
            ),
        )


@admin.register(Claim)
class ClaimAdmin(admin.ModelAdmin):
    list_display = [
        "statement",
        "status",
        "strength_level",
        "support_score_display",
        "date_in_words",
        "updated_at",
    ]
    list_filter = ["status", "strength_level", "featured", "topics"]
    search_fields = ["statement", "summary", "slug", "subjects__name"]
    prepopulated_fields = {"slug": ["statement"]}
    autocomplete_fields = ["subjects", "topics"]
    readonly_fields = [
        "strength_level",
        "support_score",
        "contradiction_score",
        "assessed_at",
        "assessment_reasoning",
    ]
    inlines = [EvidenceInline]
    fieldsets = [
        (None, {"fields": ["statement", "slug", "summary", "date", "subjects", "topics"]}),
        ("Publication", {"fields": ["status", "featured", "curator_note"]}),
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

    @admin.display(description="reasoning")
    def assessment_reasoning(self, obj):
        if obj is None or obj.pk is None:
            return "Computed once the claim and its evidence are saved."
        facts = services.claim_facts(obj)
        return render_to_string(
            "admin/claims/assessment.html",
            {
                "assessment": facts.assess(),
                "timeline": facts.timeline(),
                "what_if": facts.what_if(),
            },
        )

    @admin.display(description="support", ordering="support_score")
    def support_score_display(self, obj):
        return f"{obj.support_score:.2f}"

    @admin.display(description="when", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words


class PresentationInline(admin.StackedInline):
    model = Presentation
    extra = 0
    autocomplete_fields = ["presenters", "event", "reported_in"]
    fields = ["presenters", ("event", "date"), "reported_in", "note"]


@admin.register(Evidence)
class EvidenceAdmin(admin.ModelAdmin):
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
class PresentationAdmin(admin.ModelAdmin):
    list_display = ["__str__", "evidence", "event", "reported_in"]
    list_select_related = ["evidence__claim", "evidence__source", "event", "reported_in"]
    list_filter = ["event"]
    search_fields = ["presenters__name", "evidence__claim__statement", "evidence__source__title"]
    autocomplete_fields = ["evidence", "presenters", "event", "reported_in"]


@admin.register(Topic)
class TopicAdmin(admin.ModelAdmin):
    list_display = ["name", "parent", "slug"]
    list_select_related = ["parent"]
    search_fields = ["name", "slug", "description"]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["parent"]
