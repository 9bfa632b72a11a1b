"""Shared actors for the whole suite."""

import os

import pytest

# Playwright drives the browser from its own event loop; live_server tests then touch
# the ORM from that thread. Django refuses that unless told it is safe.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")


def pytest_configure(config):
    """A public page that names a value it lacks fails its test (config/jinja2.py);
    served, it would render as nothing. Set before the template engines are built."""
    from django.conf import settings

    settings.JINJA2_STRICT_UNDEFINED = True


def staff_member_of(user_model, username, group_name):
    """A staff user in one of the roles' groups. The groups come from a data migration;
    a transactional test elsewhere may have flushed them, so make sure they exist."""
    from django.contrib.auth.models import Group, Permission

    from claims import roles

    if not Group.objects.filter(name=group_name).exists():
        roles.roles_sync(group_model=Group, permission_model=Permission)
    user = user_model.objects.create_user(
        username=username, password=f"a-long-{username}-password", is_staff=True
    )
    user.groups.add(Group.objects.get(name=group_name))
    return user


@pytest.fixture
def curator(django_user_model):
    """A staff user in the Curators group: adds and changes claims, evidence, sources,
    people and events, moves claims between draft and review; cannot publish or delete."""
    from claims import roles

    return staff_member_of(django_user_model, "curator", roles.CURATORS)


@pytest.fixture
def editor(django_user_model):
    """A staff user in the Editors group: what a curator does, and also publishes,
    unpublishes and deletes."""
    from claims import roles

    return staff_member_of(django_user_model, "editor", roles.EDITORS)


@pytest.fixture
def curator_client(client, curator):
    client.force_login(curator)
    return client


@pytest.fixture
def editor_client(client, editor):
    client.force_login(editor)
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


@pytest.fixture(autouse=True)
def empty_page_cache():
    """Public pages are cached (reader/cache.py) under versions kept in the cache; a page
    cached by one test must not be served to the next, whose database is fresh."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path_factory):
    """Files the site writes for readers (the archive download, reader/archive.py) go
    to a folder of each test's own: never the checkout's media/, whose download would
    change what the download page says."""
    settings.MEDIA_ROOT = tmp_path_factory.mktemp("media")
    return settings.MEDIA_ROOT


def dot_missing_reason():
    """Why the provenance picture cannot be drawn here, or None: Graphviz's `dot`."""
    import shutil

    from reader import derivations

    if shutil.which(derivations.DOT_COMMAND) is None:
        return f"Graphviz's {derivations.DOT_COMMAND!r} is not installed (apt-get install graphviz)"
    return None


@pytest.fixture
def needs_dot():
    """Skip a test that needs Graphviz's `dot` where it is missing, with the reason;
    where CORROBORATE_REQUIRE_BROWSER is set (CI sets it), fail it instead, as the
    browser tests do for a missing Chromium."""
    reason = dot_missing_reason()
    if reason is None:
        return
    if os.environ.get("CORROBORATE_REQUIRE_BROWSER"):
        pytest.fail(f"This test is required here but cannot run: {reason}")
    pytest.skip(reason)
