"""The record of one import from the admin: the django-reversion revision that holds
what it wrote (who, when, every record saved), which records it added, and what the
records it changed or removed were before, so that the whole import can be undone."""

from django.conf import settings
from django.db import models
from reversion.models import Revision


class ImportRun(models.Model):
    revision = models.OneToOneField(
        Revision, on_delete=models.PROTECT, related_name="import_run", editable=False
    )
    model_label = models.CharField(
        "records", max_length=100, help_text="The kind of record imported: 'provenance.source'."
    )
    file_name = models.CharField(max_length=255)
    file_format = models.CharField(max_length=40)
    new = models.PositiveIntegerField(default=0)
    updated = models.PositiveIntegerField(default=0)
    unchanged = models.PositiveIntegerField(default=0)
    # [[model label, primary key], ...] in the order they were added.
    added_records = models.JSONField(default=list, editable=False)
    # Records as they stood before the import changed or removed them, in Django's
    # serialised form ({"model", "pk", "fields"}), in the order they were first touched.
    records_before = models.JSONField(default=list, editable=False)
    undone_at = models.DateTimeField(null=True, blank=True, editable=False)
    undone_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
        editable=False,
    )

    class Meta:
        ordering = ["-revision__date_created", "-id"]
        verbose_name = "import"

    def __str__(self):
        return f"{self.file_name} ({self.revision.date_created:%Y-%m-%d %H:%M})"

    @property
    def model_class(self):
        from django.apps import apps

        return apps.get_model(self.model_label)
