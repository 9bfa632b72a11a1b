"""The PostgreSQL test database is named after the database DATABASE_URL names, so two
runs against different databases on one server never share one (config/settings.py)."""

import os
import re
import runpy
from pathlib import Path

import dj_database_url
import pytest
from django.db import connection
from django.db.utils import ConnectionHandler

SETTINGS = Path(__file__).resolve().parents[2] / "config" / "settings.py"


def name_of_the_test_database(monkeypatch, database_url):
    """The test database Django would create beside `database_url`, with the settings
    read afresh."""
    monkeypatch.setenv("DATABASE_URL", database_url)
    monkeypatch.delenv("DATABASE_REPLICA_URL", raising=False)
    databases = runpy.run_path(str(SETTINGS))["DATABASES"]
    return ConnectionHandler(databases)["default"].creation._get_test_db_name()


def test_runs_against_two_databases_on_one_server_get_two_test_databases(monkeypatch):
    server = "postgres://postgres@127.0.0.1:5432"
    assert name_of_the_test_database(monkeypatch, f"{server}/corroborate") == ("test_corroborate")
    assert name_of_the_test_database(monkeypatch, f"{server}/corroborate_helper_b") == (
        "test_corroborate_helper_b"
    )


@pytest.mark.django_db
@pytest.mark.skipif(connection.vendor != "postgresql", reason="SQLite tests run in memory")
def test_this_run_uses_a_test_database_named_after_its_database_url():
    name = dj_database_url.parse(os.environ["DATABASE_URL"])["NAME"]
    # pytest-xdist gives each worker a copy of its own: test_<name>_gw0, _gw1 …
    assert re.fullmatch(rf"test_{re.escape(name)}(_gw\d+)?", connection.settings_dict["NAME"])
