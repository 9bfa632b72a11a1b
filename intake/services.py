"""Undoing an import as one: the records it added are deleted, the records it changed
or removed are put back as they were, in one transaction and one revision of the
history, signed by whoever undid it."""

import json
from collections import defaultdict

import reversion
from django.apps import apps
from django.core import serializers
from django.db import transaction
from django.db.models import ProtectedError, RestrictedError
from django.utils import timezone
from reversion.models import Version

from config.write_batches import write_batch

# Records per query-set delete: short enough an IN (...) list for SQLite.
DELETE_CHUNK = 5000


class UndoRefused(Exception):
    """The import cannot be undone; the message says why, for the person who asked."""


def later_changes(run):
    """Versions saved after the import of records the import wrote: undoing it would
    silently throw those changes away."""
    touched = Version.objects.filter(revision=run.revision).values_list(
        "content_type_id", "object_id"
    )
    touched = set(touched)
    later = (
        Version.objects.filter(revision_id__gt=run.revision_id)
        .select_related("revision__user", "content_type")
        .order_by("revision_id")
    )
    content_types = {content_type for content_type, _ in touched}
    return [
        version
        for version in later.filter(content_type_id__in=content_types)
        if (version.content_type_id, version.object_id) in touched
    ]


def undo_summary(run):
    """What undoing would do, in numbers: (records deleted, records put back)."""
    return len(run.added_records), len(run.records_before)


def import_undo(*, run, by):
    """Undo `run` as user `by`; raises UndoRefused with a message if it cannot be."""
    if run.undone_at is not None:
        raise UndoRefused(f"The import of {run.file_name} was already undone.")
    later = later_changes(run)
    if later:
        first = later[0]
        who = first.revision.user or "someone"
        raise UndoRefused(
            f"“{first.object_repr}” was changed after the import, by {who} on "
            f"{first.revision.date_created:%Y-%m-%d %H:%M}: undoing the import would lose "
            f"that change. Nothing was undone. Correct the records by hand instead."
        )
    try:
        with transaction.atomic(), reversion.create_revision(), write_batch():
            for model, pks in deletion_batches(run.added_records):
                for start in range(0, len(pks), DELETE_CHUNK):
                    chunk = model._base_manager.filter(pk__in=pks[start : start + DELETE_CHUNK])
                    if _guarded(model):
                        for record in chunk:
                            _refuse_unreviewed(run, record)
                    chunk.delete()
            for restored in serializers.deserialize("json", json.dumps(run.records_before)):
                obj = restored.object
                if _guarded(type(obj)):
                    # As it stands now: it may have been published since the import.
                    now = type(obj)._base_manager.filter(pk=obj.pk).first()
                    _refuse_unreviewed(run, now or obj)
                restored.save()
                reversion.add_to_revision(restored.object)
            reversion.set_user(by)
            reversion.set_comment(
                f"Undid the import of {run.file_name} made on "
                f"{run.revision.date_created:%Y-%m-%d %H:%M}."
            )
            run.undone_at = timezone.now()
            run.undone_by = by
            run.save(update_fields=["undone_at", "undone_by"])
    except ProtectedError as error:
        raise UndoRefused(in_use_message(error.protected_objects)) from error
    except RestrictedError as error:
        raise UndoRefused(in_use_message(error.restricted_objects)) from error


def _guarded(model):
    """Whether the model guards its records against unreviewed changes (a published
    claim and its evidence); only these are read before the undo changes them."""
    return hasattr(model, "unreviewed_change_refusal")


def _refuse_unreviewed(run, record):
    """A guarded record is never changed by an undo; raising inside the transaction
    undoes whatever the undo had done before."""
    refusal = record.unreviewed_change_refusal()
    if refusal:
        raise UndoRefused(
            f"Undoing the import of {run.file_name} would change a record since published: "
            f"{refusal} Nothing was undone."
        )


def deletion_batches(added_records):
    """The records an import added as [(model, pks)], in an order that deletes each
    record before the records it refers to: one query-set delete per model rather than
    one delete per record. A record can only refer to records that existed when it was
    saved, so when the models refer to one another in a circle (a topic's parent), it
    is every record on its own, newest first."""
    pks = defaultdict(list)
    for label, pk in added_records:
        pks[apps.get_model(label)].append(pk)
    refers_to = {
        model: {
            field.related_model
            for field in model._meta.concrete_fields
            if field.is_relation and field.related_model in pks
        }
        for model in pks
    }
    ordered = []
    while len(ordered) < len(pks):
        # The models no model still to delete refers to.
        free = [
            model
            for model in pks
            if model not in ordered
            and not any(
                model in refers_to[other]
                for other in pks
                if other not in ordered and other != model
            )
        ]
        if not free or any(model in refers_to[model] for model in free):
            return [(apps.get_model(label), [pk]) for label, pk in reversed(added_records)]
        ordered += sorted(free, key=lambda model: model._meta.label_lower)
    return [(model, pks[model]) for model in ordered]


def in_use_message(users):
    names = ", ".join(f"{user._meta.verbose_name} “{user}”" for user in list(users)[:3])
    return (
        f"A record this import added is now used elsewhere ({names}): remove that use "
        "first, or correct the records by hand. Nothing was undone."
    )
