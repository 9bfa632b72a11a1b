"""The curators' admin for agents, events and sources."""

from django.contrib import admin
from django.db.models import Count

from provenance.models import (
    Affiliation,
    Agent,
    AgentName,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)


class AgentNameInline(admin.TabularInline):
    model = AgentName
    extra = 1
    verbose_name = "other name or transliteration"
    verbose_name_plural = "other names and transliterations (search finds the agent by any)"


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "agent"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "date"]


@admin.register(Agent)
class AgentAdmin(admin.ModelAdmin):
    list_display = ["name", "kind", "date_in_words", "wikidata_id", "updated_at"]
    list_filter = ["kind"]
    search_fields = ["name", "sort_name", "slug", "other_names__name", "wikidata_id", "viaf_id"]
    prepopulated_fields = {"slug": ["name"]}
    inlines = [AgentNameInline, AffiliationInline]
    fieldsets = [
        (None, {"fields": ["name", "sort_name", "slug", "kind", "date", "description"]}),
        ("Identifiers elsewhere", {"fields": ["wikidata_id", "viaf_id"], "classes": ["collapse"]}),
    ]

    @admin.display(description="dates", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    list_display = ["name", "date_in_words", "place"]
    search_fields = ["name", "place", "slug", "description"]
    list_filter = [("date_lower", admin.DateFieldListFilter)]
    prepopulated_fields = {"slug": ["name"]}
    autocomplete_fields = ["organisers"]
    fields = ["name", "slug", "date", "place", "organisers", "description", "url"]

    @admin.display(description="date", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words


class SourceCreatorInline(admin.TabularInline):
    model = SourceCreator
    extra = 1
    autocomplete_fields = ["agent"]
    verbose_name = "creator"
    verbose_name_plural = "creators (authors, senders, recipients, translators, editors)"


class CitationInline(admin.TabularInline):
    model = Citation
    fk_name = "citing"
    extra = 0
    autocomplete_fields = ["cited"]
    fields = ["kind", "cited", "locator", "note"]
    verbose_name = "source this one derives from"
    verbose_name_plural = "sources this one derives from (quotes, summarises, translates, cites)"


class CustodyEventInline(admin.StackedInline):
    model = CustodyEvent
    extra = 0
    autocomplete_fields = ["agents", "event"]
    fields = [("kind", "date"), "agents", "event", "reference", "note"]
    verbose_name_plural = (
        "custody timeline (declassified, published, disputed, authenticated… drive the strength "
        "timeline)"
    )


@admin.register(Source)
class SourceAdmin(admin.ModelAdmin):
    list_display = [
        "title",
        "kind",
        "date_in_words",
        "access",
        "authenticity",
        "archive",
        "evidence_count",
    ]
    list_filter = ["kind", "access", "authenticity", "proximity", "language"]
    list_select_related = ["archive"]
    search_fields = ["title", "slug", "archival_reference", "description", "creators__name"]
    prepopulated_fields = {"slug": ["title"]}
    autocomplete_fields = ["archive"]
    inlines = [SourceCreatorInline, CitationInline, CustodyEventInline]
    fieldsets = [
        (
            None,
            {"fields": ["title", "slug", "kind", "proximity", "date", "language", "description"]},
        ),
        ("Where it is held", {"fields": ["archive", "archival_reference", "url"]}),
        ("Status now", {"fields": ["access", "authenticity"]}),
        ("Publication", {"fields": ["publication_details", "doi", "isbn"]}),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(evidence_total=Count("evidence"))

    @admin.display(description="date", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words

    @admin.display(description="evidence items", ordering="evidence_total")
    def evidence_count(self, obj):
        return obj.evidence_total


@admin.register(Citation)
class CitationAdmin(admin.ModelAdmin):
    list_display = ["citing", "kind", "cited", "locator"]
    list_filter = ["kind"]
    list_select_related = ["citing", "cited"]
    search_fields = ["citing__title", "cited__title", "note"]
    autocomplete_fields = ["citing", "cited"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(admin.ModelAdmin):
    list_display = ["source", "kind", "date_in_words", "event"]
    list_filter = ["kind"]
    list_select_related = ["source", "event"]
    search_fields = ["source__title", "note", "reference"]
    autocomplete_fields = ["source", "agents", "event"]

    @admin.display(description="date", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words


@admin.register(AgentName)
class AgentNameAdmin(admin.ModelAdmin):
    list_display = ["name", "agent", "kind"]
    list_filter = ["kind"]
    list_select_related = ["agent"]
    search_fields = ["name", "agent__name"]
    autocomplete_fields = ["agent"]


@admin.register(Affiliation)
class AffiliationAdmin(admin.ModelAdmin):
    list_display = ["agent", "organisation", "role", "date"]
    list_select_related = ["agent", "organisation"]
    search_fields = ["agent__name", "organisation__name", "role"]
    autocomplete_fields = ["agent", "organisation"]


@admin.register(SourceCreator)
class SourceCreatorAdmin(admin.ModelAdmin):
    list_display = ["source", "agent", "role"]
    list_filter = ["role"]
    list_select_related = ["source", "agent"]
    search_fields = ["source__title", "agent__name"]
    autocomplete_fields = ["source", "agent"]
