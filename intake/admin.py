"""Import and export in the admin, and the list of imports with their undo.

`ImportExportAdmin` is mixed into an admin to give it django-import-export's import
(with its row-by-row preview) and export of the filtered list, with this project's
rules: importing needs both add and change permission on the model; the whole file is
checked before anything is written, and written in one transaction or not at all; each
import is one revision of the history (who, when, every record it saved) with an
`ImportRun` beside it, listed under Imports, where it can be undone as one.
"""

import reversion
from django import forms
from django.conf import settings
from django.contrib import admin, messages
from django.contrib.auth import get_permission_codename
from django.db import transaction
from django.shortcuts import get_object_or_404, redirect
from django.template.defaultfilters import filesizeformat
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.html import format_html
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ExportForm, ImportForm
from import_export.results import RowResult

from intake import services
from intake.models import ImportRun
from intake.recording import recording


class ODS(base_formats.ODS):
    """An OpenDocument spreadsheet is a zip file: read as bytes, not decoded as text
    (django-import-export 4.4 treats it as text)."""

    def is_binary(self):
        return True

    def get_read_mode(self):
        return "rb"

    def create_dataset(self, in_stream, **kwargs):
        return base_formats.TablibFormat.create_dataset(self, in_stream, **kwargs)


SPREADSHEET_FORMATS = [base_formats.CSV, base_formats.XLSX, ODS]
EXPORT_FORMATS = [base_formats.CSV, base_formats.XLSX]


class SizeLimitedImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        limit = settings.IMPORT_MAX_BYTES
        if upload.size > limit:
            raise forms.ValidationError(
                f"This file is {filesizeformat(upload.size)}; an import takes files up to "
                f"{filesizeformat(limit)}. Split it into smaller files and import each."
            )
        return upload


class _ImportRefused(Exception):
    def __init__(self, result):
        self.result = result


def permission(user, action, model):
    opts = model._meta
    return user.has_perm(f"{opts.app_label}.{get_permission_codename(action, opts)}")


class ImportExportAdmin(ImportExportMixin):
    """Import with preview and export of the filtered list, for a HistoryAdmin."""

    import_template_name = "admin/intake/import.html"
    import_form_class = SizeLimitedImportForm
    # Not the form with a checkbox per column: its template styles and scripts inline,
    # which the Content Security Policy blocks. Every column is exported.
    export_form_class = ExportForm
    skip_admin_log = True  # the revision is the record of what an import did
    formats = SPREADSHEET_FORMATS
    export_formats = EXPORT_FORMATS

    def get_import_formats(self):
        return list(getattr(self, "import_formats", None) or SPREADSHEET_FORMATS)

    def get_export_formats(self):
        return list(EXPORT_FORMATS)

    def has_import_permission(self, request):
        return permission(request.user, "add", self.model) and permission(
            request.user, "change", self.model
        )

    def has_export_permission(self, request):
        return permission(request.user, "view", self.model) or permission(
            request.user, "change", self.model
        )

    def add_data_read_fail_error_to_form(self, form, e):
        if isinstance(e, UnicodeDecodeError):
            message = (
                "This file is not in UTF-8, the encoding the import reads. In a spreadsheet "
                "program, save it as “CSV UTF-8”, or import it as XLSX or ODS."
            )
        else:
            chosen = form.cleaned_data.get("format")
            title = self.get_import_formats()[int(chosen)]().get_title() if chosen else "?"
            message = (
                f"This file could not be read as {title} ({e.__class__.__name__}: "
                f"{str(e)[:200] or 'no detail'}). Check that the format chosen is the "
                "file's own."
            )
        form.add_error("import_file", message)

    def get_import_data_kwargs(self, **kwargs):
        kwargs = super().get_import_data_kwargs(**kwargs)
        # A row that fails its checks stops the whole import, not only that row.
        kwargs["rollback_on_validation_errors"] = True
        return kwargs

    def process_import(self, request, **kwargs):
        try:
            return super().process_import(request, **kwargs)
        except (OSError, ValueError, IndexError):
            # The uploaded file is kept only until its import is confirmed: a second
            # press of "Confirm import", or a form altered by hand, finds nothing.
            messages.error(
                request,
                "This import was already confirmed, or its file is no longer kept. "
                "Upload the file again to see its preview. Nothing was written.",
            )
            return redirect(
                f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_import"
            )

    def process_dataset(self, dataset, form, request, **kwargs):
        file_name = form.cleaned_data.get("original_file_name") or "file"
        chosen = form.cleaned_data.get("format")
        file_format = self.get_import_formats()[int(chosen)]().get_title()
        try:
            with transaction.atomic(), reversion.create_revision(), recording() as recorder:
                result = super().process_dataset(dataset, form, request, **kwargs)
                if result.has_errors() or result.has_validation_errors():
                    raise _ImportRefused(result)
                totals = result.totals
                counts = {
                    "new": totals[RowResult.IMPORT_TYPE_NEW],
                    "updated": totals[RowResult.IMPORT_TYPE_UPDATE],
                    "unchanged": totals[RowResult.IMPORT_TYPE_SKIP],
                }
                reversion.set_user(request.user)
                reversion.set_comment(
                    f"Imported {file_name}: {counts['new']} new, {counts['updated']} updated, "
                    f"{counts['unchanged']} unchanged {self.opts.verbose_name_plural}."
                )
                reversion.add_meta(
                    ImportRun,
                    model_label=self.opts.label_lower,
                    file_name=file_name[:255],
                    file_format=str(file_format)[:40],
                    added_records=recorder.added,
                    records_before=recorder.before,
                    **counts,
                )
        except _ImportRefused as refused:
            return refused.result
        result.file_name = file_name
        return result

    def process_result(self, result, request):
        import_url = reverse(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_import"
        )
        if result.has_errors() or result.has_validation_errors():
            messages.error(
                request,
                "Nothing was imported: the file no longer passes its checks (the records "
                "changed since the preview). Upload it again to see why.",
            )
            return redirect(import_url)
        totals = result.totals
        summary = (
            f"{totals[RowResult.IMPORT_TYPE_NEW]} new, "
            f"{totals[RowResult.IMPORT_TYPE_UPDATE]} updated, "
            f"{totals[RowResult.IMPORT_TYPE_SKIP]} unchanged {self.opts.verbose_name_plural}"
        )
        run = (
            ImportRun.objects.filter(revision__user=request.user, model_label=self.opts.label_lower)
            .order_by("-id")
            .first()
        )
        if totals[RowResult.IMPORT_TYPE_NEW] or totals[RowResult.IMPORT_TYPE_UPDATE]:
            messages.success(
                request,
                format_html(
                    'Imported {}: {}. <a href="{}">Undo this import</a> from the list of imports.',
                    getattr(result, "file_name", "the file"),
                    summary,
                    reverse(f"{self.admin_site.name}:intake_importrun_undo", args=[run.pk])
                    if run
                    else reverse(f"{self.admin_site.name}:intake_importrun_changelist"),
                ),
            )
        else:
            messages.info(request, f"Nothing to import: {summary}. Nothing was written.")
        return redirect(
            f"{self.admin_site.name}:{self.opts.app_label}_{self.opts.model_name}_changelist"
        )

    def get_import_context_data(self, **kwargs):
        context = super().get_import_context_data(**kwargs)
        context["max_bytes"] = settings.IMPORT_MAX_BYTES
        context["max_rows"] = settings.IMPORT_MAX_ROWS
        return context


@admin.register(ImportRun)
class ImportRunAdmin(admin.ModelAdmin):
    """Every import made in the admin, newest first, each with its undo."""

    list_display = ["when", "who", "records", "file_name", "new", "updated", "unchanged", "undo"]
    list_select_related = ["revision__user", "undone_by"]
    search_fields = ["file_name", "revision__user__username"]
    list_filter = ["model_label"]

    def get_urls(self):
        return [
            path(
                "<int:run_id>/undo/",
                self.admin_site.admin_view(self.undo_view),
                name="intake_importrun_undo",
            ),
            *super().get_urls(),
        ]

    def can_import_something(self, request):
        user = request.user
        return (
            user.is_active
            and user.is_staff
            and any(
                perm.split(".")[1].startswith("add_")
                for perm in user.get_all_permissions()
                if perm.split(".")[0] in {"provenance", "claims"}
            )
        )

    def has_module_permission(self, request):
        return self.can_import_something(request)

    def has_view_permission(self, request, obj=None):
        return self.can_import_something(request)

    def has_add_permission(self, request):
        return False

    def has_change_permission(self, request, obj=None):
        return False

    def has_delete_permission(self, request, obj=None):
        return False

    def may_undo(self, request, run):
        """Whoever made the import may undo it (it removes only what they added);
        otherwise only someone who may delete such records."""
        return run.revision.user_id == request.user.pk or permission(
            request.user, "delete", run.model_class
        )

    @admin.display(description="when", ordering="revision__date_created")
    def when(self, run):
        return run.revision.date_created

    @admin.display(description="who", ordering="revision__user__username")
    def who(self, run):
        return run.revision.user or "—"

    @admin.display(description="records")
    def records(self, run):
        return run.model_class._meta.verbose_name_plural

    @admin.display(description="undo")
    def undo(self, run):
        if run.undone_at:
            return f"Undone {run.undone_at:%Y-%m-%d %H:%M} by {run.undone_by}"
        url = reverse(f"{self.admin_site.name}:intake_importrun_undo", args=[run.pk])
        return format_html('<a href="{}">Undo…</a>', url)

    def undo_view(self, request, run_id):
        run = get_object_or_404(ImportRun.objects.select_related("revision__user"), pk=run_id)
        list_url = reverse(f"{self.admin_site.name}:intake_importrun_changelist")
        if not self.has_view_permission(request) or not self.may_undo(request, run):
            messages.error(
                request,
                "Only the curator who made an import, or an editor, can undo it. "
                "Nothing was undone.",
            )
            return redirect(list_url)
        if request.method == "POST":
            try:
                services.import_undo(run=run, by=request.user)
            except services.UndoRefused as refusal:
                messages.error(request, str(refusal))
            else:
                messages.success(
                    request,
                    f"The import of {run.file_name} was undone: {len(run.added_records)} "
                    f"records deleted, {len(run.records_before)} put back as they were.",
                )
            return redirect(list_url)
        later = services.later_changes(run) if not run.undone_at else []
        context = {
            **self.admin_site.each_context(request),
            "opts": self.opts,
            "run": run,
            "later": later[:10],
            "title": f"Undo the import of {run.file_name}?",
            "list_url": list_url,
        }
        return TemplateResponse(request, "admin/intake/undo_confirmation.html", context)
