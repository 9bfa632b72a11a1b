"""Django's loaddata, with every record of this project checked before it is saved.

A fixture is written by hand or by another program, so it can hold what no form would
accept: a date like "1950-13-45", a source kind that does not exist, a citation that
makes a circle. Django's loaddata saves such records as they are. This one runs each
record's own validation (`full_clean()`: field validators, choices, the model's
`clean()`, unique fields and constraints) first and, at the first invalid record, stops
with one line naming the file, the record and the field, for example

    fixtures/x.json, record 3, provenance.source 'telegram-1950', field 'date': …

and loads nothing from any of the files: Django's loaddata runs in one transaction,
which the error rolls back. Unreadable files, unknown records and links to records
that do not exist stop the same way, without a traceback.

It also fills the derived date bounds (date_lower, date_upper) of dated records from
their EDTF text, so a fixture need not carry them and cannot get them wrong.

Records of other apps (users, groups, history) are loaded as Django loads them.
`--no-validation` skips the checks, for large trusted dumps.
"""

import os

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.management.base import CommandError
from django.core.management.commands import loaddata
from django.core.serializers.base import DeserializationError
from django.db import DatabaseError

from provenance.models import DatedModel

VALIDATED_APPS = {"provenance", "claims"}


class InvalidRecord(Exception):
    def __init__(self, detail):
        super().__init__(detail)
        self.detail = detail


class Command(loaddata.Command):
    help = (
        loaddata.Command.help
        + " Every record of the provenance and claims apps is validated first; an invalid "
        "record stops the load with a message naming the file, the record and the field, "
        "and nothing is loaded."
    )

    def add_arguments(self, parser):
        super().add_arguments(parser)
        parser.add_argument(
            "--no-validation",
            action="store_false",
            dest="validate",
            help="Save records without validating them first (for large, trusted dumps).",
        )

    def handle(self, *fixture_labels, validate=True, **options):
        self.validate = validate
        self.record_number, self.counting_fixture = 0, None
        return super().handle(*fixture_labels, **options)

    def load_label(self, fixture_label):
        files = [fixture_file for fixture_file, _, _ in self.find_fixtures(fixture_label)]
        first = self.fixture_count
        try:
            super().load_label(fixture_label)
        except InvalidRecord as error:
            where = self.describe_file(files, first)
            raise CommandError(f"{where}, {error.detail} Nothing was loaded.") from None
        except (DeserializationError, DatabaseError, ValueError) as error:
            # Django has put the file's full path in front of the message already.
            detail = str(error).split("': ", 1)[-1] if "Problem installing" in str(error) else error
            where = self.describe_file(files, first)
            raise CommandError(f"{where}: {detail} Nothing was loaded.") from None

    def describe_file(self, files, first):
        index = max(self.fixture_count - first - 1, 0)
        fixture_file = files[index] if index < len(files) else "fixture"
        relative = os.path.relpath(fixture_file, settings.BASE_DIR)
        return fixture_file if relative.startswith("..") else relative

    def save_obj(self, obj):
        if self.counting_fixture != self.fixture_count:
            self.record_number, self.counting_fixture = 0, self.fixture_count
        self.record_number += 1
        instance = obj.object
        if self.validate and instance._meta.app_label in VALIDATED_APPS:
            self.check_record(obj)
        return super().save_obj(obj)

    def check_record(self, obj):
        instance = obj.object
        not_yet_linked = {field.name for field in obj.deferred_fields or {}}
        # A record found by its natural key already exists: validate it as an update,
        # or its own slug and id would count as duplicates of itself.
        instance._state.adding = instance.pk is None
        try:
            instance.full_clean(exclude=not_yet_linked or None)
        except ValidationError as error:
            raise InvalidRecord(
                f"record {self.record_number}, {describe_record(instance)}, "
                f"{describe_errors(error)}"
            ) from None
        if isinstance(instance, DatedModel):
            instance.fill_date_bounds()


def describe_record(instance):
    label = instance._meta.label_lower
    try:
        key = instance.natural_key()
    except Exception:  # links not resolved yet, or no natural key: name it by pk
        key = None
    if key:
        return f"{label} " + ", ".join(f"'{part}'" for part in key)
    return f"{label} pk={instance.pk}" if instance.pk else label


def describe_errors(error):
    if not hasattr(error, "error_dict"):
        return " ".join(error.messages)
    parts = []
    for field, errors in error.error_dict.items():
        messages = " ".join(message for e in errors for message in e.messages)
        parts.append(messages if field == "__all__" else f"field '{field}': {messages}")
    return "; ".join(parts)
