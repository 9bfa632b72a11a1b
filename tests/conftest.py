"""Shared actors for the whole suite."""

import os

import pytest

# Playwright drives the browser from its own event loop; live_server tests then touch
# the ORM from that thread. Django refuses that unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


@pytest.fixture
def curator(django_user_model):
    """A staff user with every model permission except publishing and deleting — what a
    curator has. (Issue 5 replaces this with the Curators group.)"""
    from django.contrib.auth.models import Permission

    user = django_user_model.objects.create_user(
        username="curator", password="a-long-curator-password", is_staff=True
    )
    user.user_permissions.set(
        Permission.objects.filter(content_type__app_label__in=["claims", "provenance"]).exclude(
            codename__startswith="delete_"
        )
    )
    return user


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def demo_data(db, django_capture_on_commit_callbacks):
    """The demo fixtures, loaded as a demonstrator would, with assessments computed."""
    from django.core.management import call_command

    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", "demo", verbosity=0)


@pytest.fixture(autouse=True)
def fast_password_hashing(settings):
    """Real hashing costs a second per user; the suite creates many."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
