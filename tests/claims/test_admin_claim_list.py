"""The admin's list of claims at scale (config/admin.py's LargeListAdmin): one count per
page, and on PostgreSQL none of the whole table once it is large, where the list takes
the table's estimate; filters and search still count exactly, on both databases."""

import pytest
from django.contrib import admin
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.admin import ClaimAdmin
from claims.models import Claim
from config import admin as admin_lists
from tests.builders import admin_url, make_claim

pytestmark = pytest.mark.django_db

LIST = admin_url(Claim, "changelist")


def make_claims(count, **fields):
    Claim.objects.bulk_create(
        Claim(slug=f"claim-{number}", statement=f"Claim number {number}", **fields)
        for number in range(count)
    )


def read(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return response, [query["sql"] for query in queries]


def analyse_claims():
    """Have PostgreSQL estimate the claims table's rows now, as VACUUM or ANALYZE would."""
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE claims_claim")


@pytest.mark.parametrize("claims", [1, 150], ids=["one claim", "more than a page"])
def test_the_claim_list_reads_in_a_fixed_number_of_queries_however_many_claims(
    curator_client, claims
):
    make_claims(claims)

    response, queries = read(curator_client, LIST)

    # 1 the session; 2 the user; 3, 4 their permissions, their own and their groups';
    # 5 the topics the filter offers; 6 how many claims (on PostgreSQL: the table's
    # estimate, or a count while the table is small, in one statement); 7 the page.
    assert len(queries) == 7
    assert len(response.context["cl"].result_list) == min(claims, 100)
    assert f"{claims} claim" in response.text


def test_the_list_counts_its_claims_once_not_once_more_for_the_whole_table(curator_client):
    make_claims(3)
    make_claim("Stalin approved the invasion", status=Claim.Status.DRAFT)

    for path in (LIST, f"{LIST}?status__exact=draft", f"{LIST}?q=Stalin"):
        response, queries = read(curator_client, path)

        assert len([sql for sql in queries if "COUNT(" in sql.upper()]) == 1, path


@pytest.mark.parametrize(
    "query, shown",
    [
        ("?status__exact=draft", ["Stalin approved the invasion"]),
        ("?q=Stalin", ["Stalin approved the invasion"]),
        ("?q=number+117", ["Claim number 117"]),
        ("?status__exact=published&q=Stalin", []),
    ],
)
def test_a_filtered_or_searched_list_counts_exactly_what_it_shows(curator_client, query, shown):
    make_claims(120, status=Claim.Status.PUBLISHED)
    make_claim("Stalin approved the invasion", status=Claim.Status.DRAFT)
    analyse_claims_if_postgresql()

    response = curator_client.get(f"{LIST}{query}")

    listed = [claim.statement for claim in response.context["cl"].result_list]
    assert listed == shown
    count = len(shown)
    assert f"{count} result{'s' if count != 1 else ''} (" in response.text
    assert "about" not in paginator_text(response)
    assert ">Show all</a>)" in response.text


def test_the_whole_list_says_nothing_of_results_beside_the_search_box(curator_client):
    make_claims(3)

    response = curator_client.get(LIST)

    assert "results (" not in response.text
    assert paginator_text(response) == "3 claims"


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's estimate")
def test_a_large_table_takes_postgresqls_estimate_and_says_about(curator_client, monkeypatch):
    make_claims(150)
    analyse_claims()
    monkeypatch.setattr(admin_lists, "EXACT_COUNT_BELOW", 100)

    response, queries = read(curator_client, LIST)

    assert "about 150 claims" in paginator_text(response)
    assert response.context["cl"].paginator.count_is_estimate
    assert len(queries) == 7
    assert len(response.context["cl"].result_list) == 100
    # A filtered list of the same table is counted.
    filtered = curator_client.get(f"{LIST}?status__exact=draft")
    assert not filtered.context["cl"].paginator.count_is_estimate
    assert "about" not in paginator_text(filtered)
    assert "0 claims" in paginator_text(filtered)


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite keeps no estimate")
def test_sqlite_always_counts(curator_client, monkeypatch):
    make_claims(5)
    monkeypatch.setattr(admin_lists, "EXACT_COUNT_BELOW", 0)

    response = curator_client.get(LIST)

    assert not response.context["cl"].paginator.count_is_estimate
    assert paginator_text(response) == "5 claims"


def test_each_row_has_the_checkbox_djangos_widget_would_write(curator_client):
    claim = make_claim('A claim with "quotes" & <angles>')
    model_admin = ClaimAdmin(Claim, admin.site)

    assert model_admin.action_checkbox(claim) == admin.ModelAdmin.action_checkbox(
        model_admin, claim
    )
    response = curator_client.get(LIST)
    assert model_admin.action_checkbox(claim) in response.text


def analyse_claims_if_postgresql():
    if connection.vendor == "postgresql":
        analyse_claims()


def paginator_text(response):
    page = response.text
    start = page.index('<p class="paginator">') + len('<p class="paginator">')
    return " ".join(page[start : page.index("</p>", start)].split())
