"""The search's FTS5 index on SQLite (reader/search_index.py): it follows every write
to the records, survives Django remaking a table, can be rebuilt, and no text a
reader types breaks its query language."""

import io

import pytest
from django.core.management import call_command
from django.core.management.sql import emit_post_migrate_signal
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from provenance.models import Agent, AgentName, Source
from reader import search, search_index
from tests import builders
from tests.builders import make_claim, make_public, section

pytestmark = pytest.mark.django_db


@pytest.fixture
def sqlite(db):
    if connection.vendor != "sqlite":
        pytest.skip("the FTS5 index exists on SQLite only")


def found_claims(query):
    return [claim.statement for claim in search.search(query).claims.results]


def found_agents(query):
    return [agent.name for agent in search.search(query).agents.results]


def indexed_rows(document):
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {document.name}")
        return cursor.fetchone()[0]


def test_a_claim_is_found_from_its_creation_by_its_current_words_until_deleted(sqlite):
    claim = make_claim("Stalin approved the invasion", summary="Kim asked twice.")
    assert found_claims("invasion") == ["Stalin approved the invasion"]

    claim.statement = "Stalin hesitated over the attack"
    claim.save()
    assert found_claims("invasion") == []
    assert found_claims("hesitated") == ["Stalin hesitated over the attack"]
    assert found_claims("asked twice") == ["Stalin hesitated over the attack"]

    claim.delete()
    assert found_claims("hesitated") == []
    assert indexed_rows(search_index.CLAIMS) == 0


def test_publishing_and_unpublishing_a_claim_moves_it_in_and_out_of_the_search(sqlite):
    claim = make_claim("Kim pressed for the attack", status=Claim.Status.DRAFT)
    assert found_claims("pressed") == []

    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.PUBLISHED)
    assert found_claims("pressed") == ["Kim pressed for the attack"]

    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.IN_REVIEW)
    assert found_claims("pressed") == []


def test_a_renamed_other_name_finds_the_claims_about_the_person(client, sqlite):
    mao = builders.make_agent("Mao Zedong", other_names=["Mao Tsetung"])
    claim = make_claim("The Chairman gave his approval", subjects=[mao])

    other = mao.other_names.get()
    other.name = "Mao Tse-tung"
    other.save()

    html = client.get(reverse("provenance:search"), {"q": "Tse-tung"}).content.decode()
    claims = section(html, "claims-heading")
    assert claim.get_absolute_url() in claims
    assert "Matched by name: “<mark>Mao Tse-tung</mark>”, a transliteration of" in claims
    assert found_claims("Tsetung") == []


def test_a_deleted_person_and_source_leave_the_index(sqlite):
    agent = builders.make_agent("Pavel Yudin", other_names=["P. F. Yudin"])
    source = builders.make_source("Yudin's report", kind=Source.Kind.REPORT)

    AgentName.objects.filter(agent=agent).delete()
    Agent.objects.filter(pk=agent.pk).delete()
    Source.objects.filter(pk=source.pk).delete()

    assert indexed_rows(search_index.AGENTS) == 0
    assert indexed_rows(search_index.OTHER_NAMES) == 0
    assert indexed_rows(search_index.SOURCES) == 0


@pytest.mark.django_db(transaction=True)
def test_triggers_dropped_by_a_remade_table_come_back_after_migrate(sqlite):
    """Most changes of a field make Django remake the SQLite table, which drops its
    triggers; the index misses what is written until `migrate` ends."""
    with connection.schema_editor() as editor:
        editor._remake_table(Claim)
    claim = make_claim("Written while the triggers were gone")
    assert found_claims("triggers") == []

    emit_post_migrate_signal(verbosity=0, interactive=False, db=connection.alias)

    assert found_claims("triggers") == ["Written while the triggers were gone"]
    claim.statement = "Edited once they were back"
    claim.save()
    assert found_claims("edited") == ["Edited once they were back"]


def test_rebuilding_the_index_finds_what_was_written_around_it(sqlite):
    agent = builders.make_agent("Nikolai Fedorenko")
    make_public(agent)
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search_index.AGENTS.name}")
    assert found_agents("Fedorenko") == []

    output = io.StringIO()
    call_command("rebuild_search_index", stdout=output)

    assert found_agents("Fedorenko") == ["Nikolai Fedorenko"]
    assert "Rebuilt the search index" in output.getvalue()


def test_a_dry_run_of_the_rebuild_writes_nothing(sqlite):
    builders.make_agent("Nikolai Fedorenko")
    with connection.cursor() as cursor:
        cursor.execute(f"DELETE FROM {search_index.AGENTS.name}")

    output = io.StringIO()
    call_command("rebuild_search_index", "--dry-run", stdout=output)

    assert f"{search_index.AGENTS.name}: 1 rows" in output.getvalue()
    assert indexed_rows(search_index.AGENTS) == 0


HOSTILE = [
    '"',
    '""',
    '"unbalanced quote',
    'a"b"c',
    "*",
    "Stalin*",
    "^Stalin",
    "NEAR",
    "NEAR(Stalin Kim, 2)",
    "Stalin NEAR/2 Kim",
    "AND",
    "Stalin AND",
    "OR Stalin OR",
    "NOT Stalin",
    "- Stalin",
    "--Stalin Kim",
    "Stalin -",
    "statement: Stalin",
    "{statement summary}: Stalin",
    "(Stalin",
    "Stalin)",
    "Sta\x00lin",
    "\x00",
    "'; DROP TABLE claims_claim; --",
    "the of and",
    "“Stalin”",
    "+Stalin",
    "Stalin:Kim",
]


@pytest.mark.parametrize("query", HOSTILE)
def test_no_query_text_breaks_the_index_query(sqlite, query):
    make_claim("Stalin approved the invasion", summary="Kim asked twice.")

    results = search.search(query)

    assert results.count >= 0
    assert Claim.objects.count() == 1


@pytest.mark.parametrize("query", HOSTILE)
def test_no_query_text_breaks_the_search_page(client, query):
    make_claim("Stalin approved the invasion")

    assert client.get(reverse("provenance:search"), {"q": query}).status_code == 200


@pytest.mark.parametrize(
    ("query", "expression"),
    [
        ("Stalin", '("Stalin")'),
        ('"Stalin to Kim" -Mao', '(("Stalin to Kim") NOT ("Mao"))'),
        ("Stalin or Mao", '("Stalin") OR ("Mao")'),
        ('say "NEAR" AND', '("say" AND "NEAR")'),
        ('x"y', '("x" AND "y")'),
        ("Sta\x00lin", '("Stalin")'),
        ("the Korean War", '("Korean" AND "War")'),
        ("-Mao or Kim", '("Kim")'),
        ("the of", None),
        ("!!!", None),
    ],
)
def test_a_query_becomes_quoted_fts5_terms(query, expression):
    assert search.index_query(query) == expression
