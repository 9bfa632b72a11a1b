"""Every PostgreSQL connection plans for data in memory and never compiles queries
with JIT (config/settings.py says why; docs/benchmarks.md has the plans)."""

import pytest
from django.db import connection

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.skipif(
        connection.vendor != "postgresql", reason="connection settings of PostgreSQL"
    ),
]


def show(setting):
    with connection.cursor() as cursor:
        cursor.execute(f"SHOW {setting}")
        return cursor.fetchone()[0]


def test_connections_read_pages_at_random_as_cheaply_as_in_memory():
    assert float(show("random_page_cost")) == pytest.approx(1.1)


def test_connections_never_compile_a_query_with_jit():
    assert show("jit") == "off"
