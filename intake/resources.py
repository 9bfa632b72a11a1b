"""The common ground of every import resource (django-import-export): the checks on the
file as a whole, and widgets that say, for a refused value, what was wrong with it.

Each resource names its records by their natural keys (slugs, or the slugs of the
records they join), so importing the same file twice updates in place and, with
nothing different, changes nothing. Every record is checked as the admin's forms check
it (`full_clean`: EDTF dates, a citation that would make a circle, a custody event
before the source was created …).
"""

import datetime

from diff_match_patch import diff_match_patch
from django.conf import settings
from django.core.exceptions import ObjectDoesNotExist, ValidationError
from django.utils.encoding import force_str
from django.utils.html import escape
from django.utils.safestring import mark_safe
from import_export import resources, widgets

from config.write_batches import write_batch


class FileRefused(Exception):
    """The file as a whole cannot be imported; the message says why."""


class Diff(resources.Diff):
    """The preview's change of each value, marked up with <ins> and <del> alone:
    diff-match-patch's own markup styles them inline, which the Content Security
    Policy blocks."""

    def as_html(self):
        dmp = diff_match_patch()
        cells = []
        for before, after in zip(self.left, self.right, strict=False):
            if before != after and self.new:
                before = ""
            changes = dmp.diff_main(force_str(before), force_str(after))
            dmp.diff_cleanupSemantic(changes)
            parts = []
            for operation, chunk in changes:
                chunk = escape(chunk)
                if operation == dmp.DIFF_INSERT:
                    parts.append(f"<ins>{chunk}</ins>")
                elif operation == dmp.DIFF_DELETE:
                    parts.append(f"<del>{chunk}</del>")
                else:
                    parts.append(f"<span>{chunk}</span>")
            cells.append(mark_safe("".join(parts)))
        return cells


class CuratedResource(resources.ModelResource):
    """Base of the project's import resources."""

    def get_diff_class(self):
        return Diff

    # Columns a file must have; the rest may be left out (and are then left as they are).
    required_columns = ()

    class Meta:
        skip_unchanged = True
        report_skipped = True
        use_transactions = True
        clean_model_instances = True

    def import_data_inner(self, dataset, dry_run, *args, **kwargs):
        # What each saved row asks of other apps (the page cache's walk of the pages it
        # moves) is done once for the whole file; a preview is rolled back and asks
        # nothing (config/write_batches.py).
        with write_batch(kept=not dry_run):
            return super().import_data_inner(dataset, dry_run, *args, **kwargs)

    def do_instance_save(self, instance, is_create):
        if not is_create:
            return super().do_instance_save(instance, is_create)
        # A record being created has no related records yet. django-reversion reads
        # them anyway as the record is saved (a source's version follows its creators,
        # citations and custody events), a query each for every row of an import:
        # saying so spares them. Those added later are saved, and versioned, on their own.
        empty = {
            relation.accessor_name: relation.related_model._base_manager.none()
            for relation in instance._meta.related_objects
            if relation.one_to_many
        }
        instance._prefetched_objects_cache = empty
        try:
            return super().do_instance_save(instance, is_create)
        finally:
            instance.__dict__.pop("_prefetched_objects_cache", None)

    def column_names(self):
        # Export-only columns (a claim's status) are accepted back and ignored.
        return [field.column_name for field in self.fields.values()]

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        if len(dataset) > settings.IMPORT_MAX_ROWS:
            raise FileRefused(
                f"This file has {len(dataset):,} rows; an import takes up to "
                f"{settings.IMPORT_MAX_ROWS:,}. Split it into smaller files."
            )
        headers = [
            str(header).strip() if header is not None else "" for header in dataset.headers or []
        ]
        known = self.column_names()
        unknown = [header for header in headers if header and header not in known]
        missing = [column for column in self.required_columns if column not in headers]
        problems = []
        if missing:
            problems.append(
                "missing column"
                + ("s " if len(missing) > 1 else " ")
                + ", ".join(f"“{c}”" for c in missing)
            )
        if unknown:
            problems.append(
                "unknown column"
                + ("s " if len(unknown) > 1 else " ")
                + ", ".join(f"“{c}”" for c in unknown)
            )
        if problems:
            raise FileRefused(
                f"The first row must name the columns. This file has {' and '.join(problems)}. "
                f"The columns this import reads are: {', '.join(known)}."
            )
        dataset.headers = headers
        # Spreadsheets often end with empty rows: they are not records.
        for index in reversed(range(len(dataset))):
            if all(value in (None, "") for value in dataset[index]):
                del dataset[index]

    def import_instance(self, instance, row, **kwargs):
        # Many-to-many columns are written after the record is saved; read them now so
        # that a wrong value is reported on its column in the preview.
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        for field in self.get_import_fields():
            if isinstance(field.widget, widgets.ManyToManyWidget) and field.column_name in row:
                try:
                    field.clean(row)
                except ValueError as error:
                    errors[field.attribute] = ValidationError(str(error), code="invalid")
        errors.update(self.read_extra_columns(instance, row))
        if errors:
            raise ValidationError(errors)

    def read_extra_columns(self, instance, row):
        """Read the columns that are not model fields (an agent's other names, a
        source's creators) onto the instance; return {column: ValidationError}."""
        return {}

    def get_instance(self, instance_loader, row):
        # A natural key naming a record that does not exist (a misspelt source slug)
        # is reported on its column when the row is read, not as an error here.
        try:
            return super().get_instance(instance_loader, row)
        except (ValueError, ObjectDoesNotExist):
            return None


def text(value):
    """A cell as text: spreadsheets give numbers and dates their own types."""
    if value is None:
        return ""
    if isinstance(value, float) and value.is_integer():
        value = int(value)
    if isinstance(value, datetime.datetime):
        value = value.date()
    if isinstance(value, datetime.date):
        return value.isoformat()
    return str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return text(value)


class ChoiceWidget(widgets.Widget):
    """A choice written as its stored value ('news_report') or as its label ('News
    report'), in any case."""

    def __init__(self, choices, *, blank=None, **kwargs):
        super().__init__(**kwargs)
        self.choices = choices
        self.blank = blank
        self.lookup = {}
        for value, label in choices:
            self.lookup[str(value).lower()] = value
            self.lookup[str(label).lower()] = value

    def clean(self, value, row=None, **kwargs):
        written = text(value)
        if not written:
            if self.blank is None:
                raise ValueError("This column cannot be empty.")
            return self.blank
        try:
            return self.lookup[written.lower()]
        except KeyError:
            allowed = ", ".join(str(value) for value, _ in self.choices)
            raise ValueError(f"“{written}” is not one of: {allowed}.") from None

    def render(self, value, obj=None, **kwargs):
        return "" if value is None else str(value)


class SlugWidget(widgets.ForeignKeyWidget):
    """A linked record named by its slug; `also` names other fields to match exactly
    when no slug matches (an organisation's name)."""

    def __init__(self, model, *, noun, also=(), queryset=None, **kwargs):
        super().__init__(model, field="slug", **kwargs)
        self.noun = noun
        self.also = also
        self.queryset = queryset

    def get_queryset(self, value, row, *args, **kwargs):
        return (
            self.queryset.all() if self.queryset is not None else self.model._default_manager.all()
        )

    def clean(self, value, row=None, **kwargs):
        written = text(value)
        if not written:
            return None
        records = self.get_queryset(value, row)
        found = records.filter(slug=written).first()
        for field in self.also:
            if found is None:
                matches = list(records.filter(**{f"{field}__iexact": written})[:2])
                if len(matches) == 1:
                    found = matches[0]
        if found is None:
            raise ValueError(f"No {self.noun} has the slug “{written}”.")
        return found


class SlugsWidget(widgets.ManyToManyWidget):
    """Several linked records named by their slugs, separated by semicolons."""

    def __init__(self, model, *, noun, **kwargs):
        super().__init__(model, separator=";", field="slug", **kwargs)
        self.noun = noun

    def clean(self, value, row=None, **kwargs):
        slugs = [slug.strip() for slug in text(value).split(";") if slug.strip()]
        records = self.model._default_manager.filter(slug__in=slugs)
        missing = sorted(set(slugs) - {record.slug for record in records})
        if missing:
            names = ", ".join(f"“{slug}”" for slug in missing)
            raise ValueError(f"No {self.noun} has the slug {names}.")
        return records

    def render(self, value, obj=None, **kwargs):
        if value is None:
            return ""
        return "; ".join(record.slug for record in value.all())


class EDTFWidget(TextWidget):
    """A date in EDTF. Spreadsheets turn 1950-06-25 into a date and 1966 into a number:
    both are read back as the EDTF a curator meant. The model's own validator checks
    the result."""
