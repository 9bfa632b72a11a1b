"""What an import adds, changes and removes, noted while it runs, so that it can be
undone: every record added, and every record changed or removed as it was before.

The receivers are connected once and do nothing unless an import is being recorded in
this thread (or task); only the curated apps' records are noted.
"""

import contextlib
import contextvars
import json

from django.core import serializers
from django.db.models.signals import m2m_changed, post_save, pre_delete, pre_save

RECORDED_APPS = {"provenance", "claims"}

_current = contextvars.ContextVar("intake_recorder", default=None)


class Recorder:
    def __init__(self):
        self.added = []  # [label, pk]
        self.before = []  # serialised records
        self._added_keys = set()
        self._seen = set()

    def note_added(self, instance):
        key = (instance._meta.label_lower, instance.pk)
        if key not in self._added_keys:
            self._added_keys.add(key)
            self._seen.add(key)
            self.added.append([key[0], instance.pk])

    def note_before(self, instance, *, from_database=True):
        key = (instance._meta.label_lower, instance.pk)
        if key in self._seen or instance.pk is None:
            return
        self._seen.add(key)
        stored = instance
        if from_database:
            stored = type(instance)._base_manager.filter(pk=instance.pk).first()
            if stored is None:
                return
        self.before.append(json.loads(serializers.serialize("json", [stored]))[0])

    def note_removed(self, instance):
        key = (instance._meta.label_lower, instance.pk)
        if key in self._added_keys:
            # Added and removed within the import: nothing to undo.
            self._added_keys.discard(key)
            self.added = [entry for entry in self.added if (entry[0], entry[1]) != key]
            return
        self.note_before(instance)


@contextlib.contextmanager
def recording():
    """Note what is written inside the block; yields the Recorder."""
    recorder = Recorder()
    token = _current.set(recorder)
    try:
        yield recorder
    finally:
        _current.reset(token)


def _recorder_for(sender):
    recorder = _current.get()
    if recorder is None or sender._meta.app_label not in RECORDED_APPS:
        return None
    return recorder


def _before_save(sender, instance, raw=False, **kwargs):
    recorder = _recorder_for(sender)
    if recorder is not None and instance.pk is not None and not instance._state.adding:
        recorder.note_before(instance)


def _after_save(sender, instance, created=False, **kwargs):
    recorder = _recorder_for(sender)
    if recorder is not None and created:
        recorder.note_added(instance)


def _before_delete(sender, instance, **kwargs):
    recorder = _recorder_for(sender)
    if recorder is not None:
        recorder.note_removed(instance)


def _before_links_change(sender, instance, action, reverse, **kwargs):
    # Links kept on the record's own many-to-many field (a claim's subjects, an
    # event's agents) are part of its serialised form.
    if action not in {"pre_add", "pre_remove", "pre_clear"} or reverse:
        return
    recorder = _recorder_for(type(instance))
    if recorder is not None:
        recorder.note_before(instance)


def connect():
    pre_save.connect(_before_save, dispatch_uid="intake_before_save")
    post_save.connect(_after_save, dispatch_uid="intake_after_save")
    pre_delete.connect(_before_delete, dispatch_uid="intake_before_delete")
    m2m_changed.connect(_before_links_change, dispatch_uid="intake_before_links_change")
