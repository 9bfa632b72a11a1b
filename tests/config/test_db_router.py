"""With a read replica, public pages read from it and everything else from the primary.

The replica here is a second real PostgreSQL database, copied from the test database
(its schema) and then given different rows, so a test can tell which one a page read.
"""

import copy

import psycopg
import pytest
from django.contrib.auth import get_user_model
from django.db import connection, connections, transaction
from django.urls import reverse

from claims.models import Claim
from config.db_router import PrimaryReplicaRouter, reading_from_replica
from reader import cache as claim_cache

ROUTER = "config.db_router.PrimaryReplicaRouter"


def _admin_connection(settings_dict):
    return psycopg.connect(
        dbname="postgres",
        user=settings_dict["USER"],
        password=settings_dict["PASSWORD"] or None,
        host=settings_dict["HOST"] or None,
        port=settings_dict["PORT"] or None,
        autocommit=True,
    )


@pytest.fixture(scope="module")
def replica_database(django_db_setup, django_db_blocker):
    """A second PostgreSQL database with the test database's schema."""
    with django_db_blocker.unblock():
        if connection.vendor != "postgresql":
            pytest.skip("the replica router is tested against a second PostgreSQL database")
        primary = connection.settings_dict
        name = f"{primary['NAME']}_replica"
        connection.close()  # a template database must have no other sessions
        with _admin_connection(primary) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}"')
            admin.execute(f'CREATE DATABASE "{name}" TEMPLATE "{primary["NAME"]}"')
        settings_dict = copy.deepcopy(primary)
        settings_dict["NAME"] = name
        yield settings_dict
        with _admin_connection(primary) as admin:
            admin.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


SLUGS = ["replicated", "written"]


@pytest.fixture
def replica(replica_database, django_db_blocker, settings):
    """The "replica" alias and the router, as DATABASE_REPLICA_URL would set them.

    These tests run outside a test transaction (Django's test case refuses an alias
    that is not in its settings from the start), so what they write is committed, on
    both databases, and deleted afterwards."""
    settings.DATABASE_ROUTERS = [ROUTER]
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    with django_db_blocker.unblock():
        connections.settings["replica"] = replica_database
        try:
            yield "replica"
        finally:
            for alias in ("default", "replica"):
                Claim.objects.using(alias).filter(slug__in=SLUGS).delete()
            get_user_model().objects.filter(username="replica-curator").delete()
            connections["replica"].close()
            del connections["replica"]
            del connections.settings["replica"]


@pytest.fixture
def curator_client(replica, client):
    user = get_user_model().objects.create_superuser(
        "replica-curator", "curator@example.org", "a-long-curator-password"
    )
    client.force_login(user)
    return client


def published_claim(statement, *, using):
    # bulk_create: no signals, so nothing is written to the primary on the replica's behalf.
    Claim.objects.using(using).bulk_create(
        [Claim(slug="replicated", statement=statement, status=Claim.Status.PUBLISHED)]
    )


def test_reads_of_a_public_page_go_to_the_replica_and_writes_to_the_primary(replica):
    router = PrimaryReplicaRouter()
    assert router.db_for_read(Claim) == "default"
    with reading_from_replica():
        assert router.db_for_read(Claim) == "replica"
        assert router.db_for_write(Claim) == "default"
        with transaction.atomic():
            assert router.db_for_read(Claim) == "default"  # reads in a transaction
    assert router.db_for_read(Claim) == "default"


@pytest.mark.django_db
def test_without_a_replica_everything_goes_to_the_primary(settings):
    settings.DATABASE_ROUTERS = [ROUTER]
    with reading_from_replica():
        assert PrimaryReplicaRouter().db_for_read(Claim) == "default"


def test_an_anonymous_reader_gets_the_claim_page_from_the_replica(replica, client):
    published_claim("As the primary has it.", using="default")
    published_claim("As the replica has it.", using="replica")
    response = client.get(reverse("claims:detail", args=["replicated"]))
    assert response.status_code == 200
    assert "As the replica has it." in response.content.decode()
    assert "As the replica has it." in client.get(reverse("claims:list")).content.decode()


def test_a_curator_reads_the_primary_so_sees_what_they_just_saved(replica, curator_client):
    published_claim("As the primary has it.", using="default")
    published_claim("As the replica has it.", using="replica")
    page = curator_client.get(reverse("claims:detail", args=["replicated"]))
    assert "As the primary has it." in page.content.decode()
    claim = Claim.objects.get(slug="replicated")
    admin_page = curator_client.get(reverse("admin:claims_claim_change", args=[claim.pk]))
    assert "As the primary has it." in admin_page.content.decode()


def test_writes_during_a_public_read_go_to_the_primary(replica):
    with reading_from_replica():
        Claim.objects.create(slug="written", statement="Written during a public read.")
    assert Claim.objects.using("default").filter(slug="written").exists()
    assert not Claim.objects.using("replica").filter(slug="written").exists()


def test_a_page_changed_moments_ago_is_read_from_the_primary_not_a_lagging_replica(
    replica, client, settings
):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    published_claim("As the primary has it.", using="default")
    published_claim("As the replica has it.", using="replica")  # the replica lags
    url = reverse("claims:detail", args=["replicated"])
    assert "As the replica has it." in client.get(url).content.decode()
    claim_cache.move_claims({"replicated"})  # a curator's change, just committed
    assert "As the primary has it." in client.get(url).content.decode()
