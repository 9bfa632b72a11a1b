"""The documented backup (docs/backup.md) round-trips the demo data: dump, empty the
database, load, and every record, its history and every public page are as before."""

import pytest
from django.apps import apps
from django.contrib.auth import get_user_model
from django.contrib.contenttypes.models import ContentType
from django.core import serializers
from django.core.management import call_command
from django.db import connection
from django.test import Client
from django.urls import reverse
from reversion.models import Version

from claims import visibility, workflow
from claims.models import Claim
from provenance.models import Agent
from tests.builders import admin_url, form_data

pytestmark = pytest.mark.django_db

# As docs/backup.md says.
DUMP_OPTIONS = {
    "format": "xml",  # JSON would cut times to the millisecond
    "use_natural_foreign_keys": True,
    "exclude": ["contenttypes", "auth.permission", "sessions", "axes"],
}
# Recomputed when the data is loaded: when, not what.
RECOMPUTED = {("claims", "claim"): {"assessed_at"}}


def every_row():
    """Every row the backup covers, with links written as natural keys so that rows
    compare equal whatever ids the content types and permissions got."""
    rows = {}
    for label in ("provenance", "claims", "reversion", "auth", "admin"):
        for model in apps.get_app_config(label).get_models():
            if model._meta.label_lower == "auth.permission":
                continue
            data = serializers.serialize(
                "python", model._default_manager.order_by("pk"), use_natural_foreign_keys=True
            )
            skip = RECOMPUTED.get((model._meta.app_label, model._meta.model_name), set())
            for row in data:
                for field in skip:
                    row["fields"].pop(field, None)
            rows[model._meta.label_lower] = data
    return rows


def every_public_page():
    reader = Client()
    urls = [reverse("claims:home"), reverse("claims:list"), reverse("claims:methodology")]
    urls += [reverse("claims:detail", args=[c.slug]) for c in Claim.objects.published()]
    urls += [reverse("claims:json", args=[c.slug]) for c in Claim.objects.published()]
    urls += [reverse("provenance:source", args=[s.slug]) for s in visibility.public_sources()]
    urls += [reverse("provenance:agent", args=[a.slug]) for a in visibility.public_agents()]
    urls += [reverse("provenance:event", args=[e.slug]) for e in visibility.public_events()]
    urls += [reverse("provenance:search") + "?q=Stalin"]
    urls += [reverse("claims:feed"), reverse("claims:sitemap")]  # dates as stored
    pages = {}
    for url in urls:
        response = reader.get(url)
        assert response.status_code == 200, url
        pages[url] = response.content.decode()
    return pages


def empty_the_database():
    # A restore empties a database of its own; this test empties the one it is running
    # in, inside a transaction, where PostgreSQL will not truncate tables with foreign-key
    # checks still pending: run them first.
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
    call_command("flush", interactive=False, verbosity=0)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SET CONSTRAINTS ALL DEFERRED")
    # flush gives the content types new ids; a restore runs in a new process, this test
    # in the same one, whose cache still holds the old ids.
    ContentType.objects.clear_cache()


@pytest.fixture(autouse=True)
def forget_the_flushed_content_types():
    """The test's transaction is rolled back, and the content types get their old ids
    back: the cache must not keep the flushed ones for the next test."""
    yield
    ContentType.objects.clear_cache()


@pytest.fixture
def a_lived_in_database(demo_data, editor, editor_client):
    """The demo data after some curation: a first version of everything, an edit, moves
    through the workflow, a deleted agent waiting to be recovered."""
    call_command("createinitialrevisions", comment="Loaded from the demo fixtures", verbosity=0)
    claim = Claim.objects.get(slug="stalin-approved-invasion")
    url = admin_url(Claim, "change", claim.pk)
    data = form_data(editor_client.get(url))
    data["curator_note"] = "Checked before the backup."
    data["change_reason"] = "Curator's note added."  # an editor's change to a published claim
    assert editor_client.post(url, data).status_code == 302
    workflow.claim_unpublish(claim=claim, by=editor, reason="Checking a date.")
    workflow.claim_submit_for_review(claim=claim, by=editor)
    workflow.claim_publish(claim=claim, by=editor)
    doomed = Agent.objects.create(slug="to-be-deleted", name="Deleted before the backup")
    assert (
        editor_client.post(admin_url(Agent, "delete", doomed.pk), {"post": "yes"}).status_code
        == 302
    )
    return claim


def test_a_dump_and_load_into_an_empty_database_restores_every_record_history_and_page(
    a_lived_in_database, tmp_path, django_capture_on_commit_callbacks
):
    rows_before, pages_before = every_row(), every_public_page()
    assert rows_before["reversion.version"] and rows_before["claims.claimtransition"]
    backup = tmp_path / "backup.xml"

    call_command("dumpdata", output=str(backup), verbosity=0, **DUMP_OPTIONS)
    empty_the_database()
    assert not Claim.objects.exists() and not get_user_model().objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", str(backup), verbosity=0)

    rows_after = every_row()
    assert rows_after.keys() == rows_before.keys()
    for label, rows in rows_before.items():
        for before, after in zip(rows, rows_after[label], strict=True):
            changed = {
                k: (v, after["fields"].get(k))
                for k, v in before["fields"].items()
                if after["fields"].get(k) != v
            }
            assert before == after, f"{label} {before['pk']} differs: {changed}"
    assert every_public_page() == pages_before


def test_after_a_restore_the_history_still_works_and_new_records_get_new_ids(
    a_lived_in_database, tmp_path
):
    backup = tmp_path / "backup.xml"
    call_command("dumpdata", output=str(backup), verbosity=0, **DUMP_OPTIONS)
    highest = Claim.objects.order_by("-pk").first().pk
    empty_the_database()
    call_command("loaddata", str(backup), verbosity=0)

    editor = Client()
    editor.force_login(get_user_model().objects.get(username="editor"))
    version = Version.objects.get_deleted(Agent).get(object_repr="Deleted before the backup")
    url = admin_url(Agent, "recover", version.pk)
    assert editor.post(url, form_data(editor.get(url))).status_code == 302
    assert Agent.objects.filter(slug="to-be-deleted").exists()

    claim = a_lived_in_database
    history = editor.get(admin_url(Claim, "history", claim.pk)).text
    assert "Checked before the backup." in history
    assert "Unpublish: Checking a date." in history

    new = Claim.objects.create(slug="after-the-restore", statement="A new claim.")
    assert new.pk > highest
