"""The curators' admin for agents, events and sources, and `HistoryAdmin`, the base of
every admin in the project: every change is kept (django-reversion), shown with what
changed, and any earlier version can be restored or a deleted record recovered."""

import reversion
from django import forms
from django.contrib import admin, messages
from django.contrib.admin.utils import unquote
from django.core.exceptions import ValidationError
from django.db.models import Count
from django.shortcuts import redirect
from reversion.admin import VersionAdmin
from reversion.models import Version

from intake.admin import SPREADSHEET_FORMATS, ImportExportAdmin
from provenance import dates, resources
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
from provenance.references import REFERENCE_FORMATS

# How much of a long text value the history page shows before and after a change.
HISTORY_VALUE_LENGTH = 300


class HistoryAdmin(VersionAdmin):
    """An admin whose every change is recorded with who, when and what.

    - The history page lists each revision with, for every record in it, the fields that
      changed since that record's version before, old and new value side by side.
    - Deleting first saves a last version of the record and everything it carries
      (signed by whoever deleted it), so "Recover deleted …" brings it back exactly.
    - A record still named by others through many-to-many links (a person named as the
      subject of a claim or as a presenter, a topic on a claim) cannot be deleted: the
      links would be lost silently and recovering the record would not bring them back.
    - Only people allowed to delete see the delete button; anyone else trying gets a
      message, not an error page.
    """

    object_history_template = "admin/history_with_changes.html"
    history_latest_first = True

    def changelist_view(self, request, extra_context=None):
        action = request.POST.get("action") if request.method == "POST" else None
        if action and action not in self.get_actions(request):
            refusal = self.action_refusal(request, action)
            if refusal:
                messages.error(request, refusal)
                return redirect(request.get_full_path())
        # Not VersionAdmin's, which wraps the whole request in one revision: each
        # deletion must save its last version in a revision of its own before the record
        # goes (inside the wrapper that version would be dropped with the record), and
        # each workflow move makes its own, so that reverting one never touches another.
        context = {"has_change_permission": self.has_change_permission(request)}
        context.update(extra_context or {})
        return admin.ModelAdmin.changelist_view(self, request, context)

    def action_refusal(self, request, action):
        """The message for someone who posts an action their role does not offer them."""
        if action == "delete_selected":
            return (
                f"You cannot delete {self.model._meta.verbose_name_plural}: only editors can. "
                "Nothing was deleted."
            )
        return None

    def delete_view(self, request, object_id, extra_context=None):
        if not self.has_delete_permission(request):
            opts = self.model._meta
            messages.error(
                request,
                f"You cannot delete {opts.verbose_name_plural}: only editors can. "
                "Nothing was deleted.",
            )
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_changelist")
        return super().delete_view(request, object_id, extra_context)

    def delete_model(self, request, obj):
        self.save_last_version(request, obj)
        super().delete_model(request, obj)

    def delete_queryset(self, request, queryset):
        for obj in queryset:
            self.save_last_version(request, obj)
        super().delete_queryset(request, queryset)

    def save_last_version(self, request, obj):
        with reversion.create_revision():
            reversion.set_user(request.user)
            reversion.set_comment(
                f"Deleted {obj._meta.verbose_name} “{obj}”. "
                "This version is what “Recover deleted” brings back."
            )
            reversion.add_to_revision(obj)

    def get_deleted_objects(self, objs, request):
        deleted, counts, perms_needed, protected = super().get_deleted_objects(objs, request)
        return deleted, counts, perms_needed, [*protected, *many_to_many_links(objs)]

    def recover_view(self, request, version_id, extra_context=None):
        version = Version.objects.filter(pk=version_id).first()
        refusal = version and self.recover_refusal(request, version)
        if refusal:
            messages.error(request, refusal)
            opts = self.model._meta
            return redirect(f"admin:{opts.app_label}_{opts.model_name}_recoverlist")
        return super().recover_view(request, version_id, extra_context)

    def recover_refusal(self, request, version):
        """Why this deleted record cannot be recovered now, or None."""
        slug = version.field_dict.get("slug")
        if slug and self.model._default_manager.filter(slug=slug).exists():
            return (
                f"Another {self.model._meta.verbose_name} now has the address “{slug}”. "
                f"Change its slug first, then recover “{version.object_repr}”."
            )
        return None

    def history_view(self, request, object_id, extra_context=None):
        context = {"changes_by_revision": revision_changes(self.model, unquote(object_id))}
        context.update(extra_context or {})
        return super().history_view(request, object_id, context)


def many_to_many_links(objs):
    """What still names these records through many-to-many links kept elsewhere, as
    lines for the deletion page."""
    lines = []
    for obj in objs:
        for relation in obj._meta.related_objects:
            if not relation.many_to_many or not relation.through._meta.auto_created:
                continue  # through models are guarded by their own foreign keys
            linked = getattr(obj, relation.get_accessor_name()).all()
            for other in linked[:20]:
                lines.append(
                    f"{other._meta.verbose_name.capitalize()} “{other}” names "
                    f"{obj._meta.verbose_name} “{obj}” as {relation.field.verbose_name}: "
                    "remove it there first"
                )
    return lines


def revision_changes(model, object_id):
    """{revision id: [(record label, [(field, old, new), ...]), ...]} for every revision
    holding a version of this record: what changed in each record of the revision since
    that record's version before."""
    versions = Version.objects.get_for_object_reference(model, object_id)
    revision_ids = list(versions.values_list("revision_id", flat=True))
    result = {}
    for version in (
        Version.objects.filter(revision_id__in=revision_ids)
        .select_related("content_type")
        .order_by("pk")
    ):
        previous = (
            Version.objects.filter(
                content_type_id=version.content_type_id,
                object_id=version.object_id,
                pk__lt=version.pk,
            )
            .order_by("-pk")
            .first()
        )
        changes = version_changes(previous, version)
        if changes:
            label = f"{version.content_type.name.capitalize()} “{version.object_repr}”"
            own = version.content_type.model_class() is model and version.object_id == object_id
            # The record itself first, then what it carries.
            result.setdefault(version.revision_id, []).insert(
                0 if own else len(result.get(version.revision_id, [])), (label, changes)
            )
    return result


def version_changes(previous, version):
    """[(field label, old, new), ...] between two versions of one record; for a first
    version, its non-empty fields with an empty old value."""
    model = version._model
    if model is None:
        return []
    try:
        new = version.field_dict
        old = previous.field_dict if previous else {}
    except Exception:  # a version written by an older schema that no longer loads
        return [("(version)", "", "cannot be compared with the current fields")]
    changes = []
    for field in [*model._meta.concrete_fields, *model._meta.many_to_many]:
        if field.attname not in new or field.primary_key:
            continue
        if field.name in {"updated_at", "created_at", "assessed_at"}:
            continue  # every save changes these
        before, after = old.get(field.attname), new.get(field.attname)
        if previous is None and after in (None, "", []):
            continue
        if before != after:
            changes.append((field.verbose_name, show(field, before), show(field, after)))
    return changes


def show(field, value):
    """A stored value in words: the label of a choice, the name of a linked record."""
    if value in (None, "", []):
        return "—"
    if field.choices:
        return str(dict(field.flatchoices).get(value, value))
    if field.is_relation:
        related = field.related_model._default_manager
        ids = value if isinstance(value, list | tuple | set) else [value]
        names = [str(item) for item in related.filter(pk__in=list(ids))]
        return ", ".join(names) or f"(deleted record {value})"
    text = str(value)
    if len(text) > HISTORY_VALUE_LENGTH:
        text = text[: HISTORY_VALUE_LENGTH - 1] + "…"
    return text


class AgentNameInline(admin.TabularInline):
    model = AgentName
    extra = 1
    verbose_name = "other name or transliteration"
    verbose_name_plural = "other names and transliterations (search finds them by any)"


class AffiliationInline(admin.TabularInline):
    model = Affiliation
    fk_name = "agent"
    extra = 0
    autocomplete_fields = ["organisation"]
    fields = ["organisation", "role", "date"]


@admin.register(Agent)
class AgentAdmin(ImportExportAdmin, HistoryAdmin):
    resource_classes = [resources.AgentResource]
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
class EventAdmin(HistoryAdmin):
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
    fk_name = "source"
    extra = 0
    autocomplete_fields = ["agents", "event", "documented_in"]
    fields = [("kind", "date"), "agents", "event", "documented_in", "reference", "note"]
    verbose_name_plural = (
        "custody timeline (declassified, published, authenticated, disputed, content shown "
        "mistaken… drive the strength timeline)"
    )


class SourceForm(forms.ModelForm):
    """A source's form, which asks since when it has had its access beside the access
    itself: the strength timeline counts a source only from a dated release, and a
    curator would not look for that in the custody timeline at the foot of the page."""

    access_since = forms.CharField(
        label="Since (EDTF)",
        required=False,
        max_length=64,
        validators=[dates.validate_edtf],
        help_text=(
            "When it became so: published 1970, declassified 1994-06. Recorded in the custody "
            "timeline below. Left blank, the source counts only in today's assessment (a "
            "published source with a date of its own counts from that date)."
        ),
    )

    # No Meta: the admin makes the form for Source with its fieldsets' fields.

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if "access" not in self.fields:
            return
        if self.instance.pk is None:
            # No access assumed for a new source: the curator says what it is.
            self.fields["access"].choices = [("", "—"), *Source.Access.choices]
            self.initial["access"] = ""
        else:
            self.initial["access_since"] = self.instance_access_since()

    def instance_access_since(self):
        kind = Source.Access(self.instance.access).custody_kind
        latest = self.instance.custody_events.filter(kind=kind).order_by("-date_lower").first()
        return latest.date if latest else ""

    def clean(self):
        cleaned = super().clean()
        access, since = cleaned.get("access"), cleaned.get("access_since")
        if access and since:
            release = self.access_event(access, since, source=Source(date=cleaned.get("date", "")))
            try:
                release.clean()
            except ValidationError as error:
                self.add_error("access_since", error.message_dict.get("date", error.messages))
        return cleaned

    @staticmethod
    def access_event(access, since, *, source):
        return CustodyEvent(source=source, kind=Source.Access(access).custody_kind, date=since)

    def save_access_since(self):
        """Record the dated release in the custody timeline, unless it is there already
        (typed into the timeline too, or unchanged since the form was opened)."""
        since = self.cleaned_data.get("access_since")
        if not since:
            return
        release = self.access_event(self.instance.access, since, source=self.instance)
        CustodyEvent.objects.get_or_create(
            source=self.instance, kind=release.kind, date=release.date
        )


@admin.register(Source)
class SourceAdmin(ImportExportAdmin, HistoryAdmin):
    form = SourceForm
    resource_classes = [resources.SourceResource]
    import_formats = [*SPREADSHEET_FORMATS, *REFERENCE_FORMATS]
    list_display = [
        "title",
        "kind",
        "date_in_words",
        "access",
        "authenticity",
        "credibility",
        "archive",
        "evidence_count",
    ]
    list_filter = ["kind", "access", "authenticity", "credibility", "proximity", "language"]
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
        ("Status now", {"fields": [("access", "access_since"), "authenticity", "credibility"]}),
        ("Publication", {"fields": ["publication_details", "doi", "isbn"]}),
    ]

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        form.save_access_since()

    def get_queryset(self, request):
        # The count groups the rows, and Django drops Meta.ordering from a grouped query:
        # without it the source autocomplete pages an unordered list (and warns).
        return (
            super()
            .get_queryset(request)
            .annotate(evidence_total=Count("evidence"))
            .order_by(*self.model._meta.ordering)
        )

    @admin.display(description="date", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words

    @admin.display(description="evidence items", ordering="evidence_total")
    def evidence_count(self, obj):
        return obj.evidence_total


@admin.register(Citation)
class CitationAdmin(ImportExportAdmin, HistoryAdmin):
    resource_classes = [resources.CitationResource]
    list_display = ["citing", "kind", "cited", "locator"]
    list_filter = ["kind"]
    list_select_related = ["citing", "cited"]
    search_fields = ["citing__title", "cited__title", "note"]
    autocomplete_fields = ["citing", "cited"]


@admin.register(CustodyEvent)
class CustodyEventAdmin(ImportExportAdmin, HistoryAdmin):
    resource_classes = [resources.CustodyEventResource]
    list_display = ["source", "kind", "date_in_words", "event"]
    list_filter = ["kind"]
    list_select_related = ["source", "event"]
    search_fields = ["source__title", "note", "reference"]
    autocomplete_fields = ["source", "agents", "event"]

    @admin.display(description="date", ordering="date_lower")
    def date_in_words(self, obj):
        return obj.date_in_words


@admin.register(AgentName)
class AgentNameAdmin(HistoryAdmin):
    list_display = ["name", "agent", "kind"]
    list_filter = ["kind"]
    list_select_related = ["agent"]
    search_fields = ["name", "agent__name"]
    autocomplete_fields = ["agent"]


@admin.register(Affiliation)
class AffiliationAdmin(HistoryAdmin):
    list_display = ["agent", "organisation", "role", "date"]
    list_select_related = ["agent", "organisation"]
    search_fields = ["agent__name", "organisation__name", "role"]
    autocomplete_fields = ["agent", "organisation"]


@admin.register(SourceCreator)
class SourceCreatorAdmin(HistoryAdmin):
    list_display = ["source", "agent", "role"]
    list_filter = ["role"]
    list_select_related = ["source", "agent"]
    search_fields = ["source__title", "agent__name"]
    autocomplete_fields = ["source", "agent"]
