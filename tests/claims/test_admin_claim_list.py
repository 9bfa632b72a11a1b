"""The admin's list of claims at scale (config/admin.py's LargeListAdmin): one count per
page, and on PostgreSQL none of the whole table once it is large, where the list takes
the table's estimate; filters and search still count exactly, on both databases."""

import pytest
from django.contrib import admin
from django.contrib.admin.templatetags.admin_list import items_for_result
from django.db import connection
from django.test import RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import resolve

from claims.admin import ClaimAdmin
from claims.models import Claim, Evidence
from config import admin as admin_lists
from tests.builders import add_evidence, admin_url, make_claim, make_source

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
    assert len(response.context["cl"].result_list) == min(claims, ClaimAdmin.list_per_page)
    # No column shows the stored timeline and what-if, the longest field of a claim.
    assert not any("assessment_detail" in sql for sql in queries)
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
    assert len(response.context["cl"].result_list) == ClaimAdmin.list_per_page
    # A filtered list of the same table is counted.
    filtered = curator_client.get(f"{LIST}?status__exact=draft")
    assert not filtered.context["cl"].paginator.count_is_estimate
    assert "about" not in paginator_text(filtered)
    assert "0 claims" in paginator_text(filtered)


def test_a_count_in_the_thousands_is_written_with_separators(curator_client, monkeypatch):
    make_claims(3)
    monkeypatch.setattr(admin_lists, "whole_table_count", lambda queryset: (1_234_567, True))

    response = curator_client.get(LIST)

    assert paginator_text(response).endswith("about 1,234,567 claims")


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


def claims_of_every_kind():
    make_claim(
        'A claim with "quotes" & <angles>',
        status=Claim.Status.DRAFT,
        featured=True,
        support_score=0.125,
        date="1950-06",
    )
    make_claim("Stalin approved the invasion", status=Claim.Status.IN_REVIEW, date="")
    make_claim("Kim Il-sung asked first", strength_level=Claim.Level.ESTABLISHED, date="1949")


def djangos_rows(cl):
    return [list(items_for_result(cl, result, None)) for result in cl.result_list]


@pytest.mark.parametrize(
    "query", ["", "?status__exact=draft&o=-3.2", "?q=Stalin&featured__exact=0", "?o=5"]
)
def test_the_claim_lists_rows_are_written_as_djangos_admin_writes_them(curator_client, query):
    claims_of_every_kind()

    response = curator_client.get(f"{LIST}{query}")

    cl = response.context["cl"]
    assert cl.result_list
    assert [list(row) for row in cl.rows] == djangos_rows(cl)
    for row in cl.rows:
        assert "".join(row) in response.text
    if "status" in query:
        # The link to each claim keeps the list's filters, as Django's does.
        assert "_changelist_filters=status__exact%3Ddraft" in response.text


class EveryKindOfColumn(admin_lists.LargeListAdmin, admin.ModelAdmin):
    list_display = [
        "statement",
        "id",
        "pk",
        "slug",
        "status",
        "featured",
        "support_score",
        "assessed_at",
        "published_at",
        "date_in_words",
        "shouted",
        "flagged",
        "nothing",
        "when",
        "__str__",
        lambda claim: claim.slug.upper(),
    ]
    list_display_links = ["slug", "statement"]

    def shouted(self, claim):
        return claim.statement.upper()

    @admin.display(boolean=True)
    def flagged(self, claim):
        return claim.featured

    @admin.display(empty_value="nothing yet")
    def nothing(self, claim):
        return " "

    def when(self, claim):
        return claim.updated_at


class EvidenceColumns(admin_lists.LargeListAdmin, admin.ModelAdmin):
    list_display = ["claim", "source", "stance", "directness", "locator", "quotation"]


@pytest.mark.parametrize(
    "model, model_admin",
    [(Claim, EveryKindOfColumn), (Evidence, EvidenceColumns)],
    ids=["claims", "evidence"],
)
@pytest.mark.parametrize("query", ["", "?o=2", "?id__gte=1"])
def test_every_kind_of_column_is_written_as_djangos_admin_writes_it(
    django_user_model, model, model_admin, query
):
    claims_of_every_kind()
    for claim in Claim.objects.all():
        add_evidence(claim, make_source(f"A source on {claim.statement}"), locator="p. 3")
    path = f"{admin_url(model, 'changelist')}{query}"
    request = RequestFactory().get(path)
    request.user = django_user_model.objects.create_superuser("root", "root@example.org", "x")
    request.resolver_match = resolve(admin_url(model, "changelist"))

    cl = model_admin(model, admin.AdminSite()).get_changelist_instance(request)
    cl.formset = None

    assert len(cl.result_list) == 3
    assert [list(row) for row in cl.rows] == djangos_rows(cl)


def test_a_popup_list_is_written_by_django_itself(curator_client):
    claim = make_claim("Stalin approved the invasion")

    response = curator_client.get(f"{LIST}?_popup=1&_to_field=id")

    assert f'data-popup-opener="{claim.pk}"' in response.text


def analyse_claims_if_postgresql():
    if connection.vendor == "postgresql":
        analyse_claims()


def paginator_text(response):
    page = response.text
    start = page.index('<p class="paginator">') + len('<p class="paginator">')
    return " ".join(page[start : page.index("</p>", start)].split())
