"""SQLite connections keep a page cache large enough for the search's visibility
checks at 100,000 claims (config/settings.py)."""

import pytest
from django.db import connection


@pytest.mark.django_db
def test_a_sqlite_connection_keeps_64_mb_of_pages():
    if connection.vendor != "sqlite":
        pytest.skip("SQLite's page cache: this run is on another database")
    with connection.cursor() as cursor:
        cursor.execute("PRAGMA cache_size")
        assert cursor.fetchone()[0] == -64 * 1024
