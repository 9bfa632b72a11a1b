"""Search reads a stored document for each claim, source and person: on PostgreSQL a
column of its table (claims/migrations/0007, provenance/migrations/0003), on SQLite a
row of an FTS5 table (reader/search_index.py). Whatever writes the records (a
curator's save, `.update()`, a fixture load, the generator's COPY or executemany), a
search finds them by their current words and names, and by none they have lost."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from provenance.models import AgentName, Source
from reader import search, search_index
from tests import builders
from tests.builders import make_claim, make_public, section

# Search finds only public sources and people (claims/visibility.py): each one here has
# a published claim resting on it.


def make_source(title, **fields):
    source = builders.make_source(title, **fields)
    make_public(source)
    return source


def make_agent(name, **fields):
    agent = builders.make_agent(name, **fields)
    make_public(agent)
    return agent


pytestmark = pytest.mark.django_db


def found_agents(query):
    return [agent.name for agent in search.search(query).agents.results]


def stale_documents(table, document):
    """How many rows of `table` hold a stored document other than a fresh one."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute(
                f"SELECT count(*) FROM {table} WHERE search_document IS DISTINCT FROM {document}"
            )
            return cursor.fetchone()[0]
        return stale_index_rows(cursor, INDEXED[table])


def stale_index_rows(cursor, document):
    """How many records have no row in `document`'s FTS5 table, or one other than what
    a rebuild would write, and how many rows there are for no record."""
    differs = " OR ".join(
        f"entry.{column.name} IS NOT {column.value(document.table)}" for column in document.columns
    )
    cursor.execute(
        f"SELECT count(*) FROM {document.table} LEFT JOIN {document.name} entry"
        f" ON entry.rowid = {document.table}.id WHERE entry.rowid IS NULL OR {differs}"
    )
    stale = cursor.fetchone()[0]
    cursor.execute(
        f"SELECT count(*) FROM {document.name} WHERE rowid NOT IN (SELECT id FROM {document.table})"
    )
    return stale + cursor.fetchone()[0]


def test_a_person_is_found_by_an_other_name_added_after_them(db):
    mao = make_agent("Mao Zedong")

    AgentName.objects.create(agent=mao, name="Mao Tse-tung")

    assert found_agents("Tse-tung") == ["Mao Zedong"]


def test_a_corrected_other_name_replaces_the_old_one_in_search(db):
    mao = make_agent("Mao Zedong", other_names=["Mao Tsetung"])
    other = mao.other_names.get()

    other.name = "Mao Tse-tung"
    other.save()

    assert found_agents("Tsetung") == []
    assert found_agents("Tse-tung") == ["Mao Zedong"]


def test_an_other_name_moved_to_another_person_moves_in_search(db):
    zhou = make_agent("Zhou Enlai", other_names=["Chou En-lai"])
    mao = make_agent("Mao Zedong")

    AgentName.objects.filter(agent=zhou).update(agent=mao)

    assert found_agents("Chou") == ["Mao Zedong"]


def test_a_deleted_other_name_no_longer_finds_the_person(db):
    mao = make_agent("Mao Zedong", other_names=["Mao Tse-tung"])

    mao.other_names.get().delete()

    assert found_agents("Tse-tung") == []
    assert found_agents("Zedong") == ["Mao Zedong"]


def test_a_renamed_person_keeps_their_other_names_in_search(db):
    # The name he was born with, then the name he took (the other name shares none of
    # the first's words: SQLite finds "Il Sung" for "Il-sung", PostgreSQL does not).
    kim = make_agent("Kim Song-ju", other_names=["Kim Il Sung"], description="Leader.")

    kim.name = "Kim Il-sung"
    kim.description = "Leader of North Korea."
    kim.save()

    assert found_agents("Il-sung") == ["Kim Il-sung"]
    assert found_agents("Song-ju") == []
    assert found_agents("Kim Il Sung") == ["Kim Il-sung"]
    assert found_agents("North Korea") == ["Kim Il-sung"]


def test_a_changed_claim_and_source_are_found_by_their_new_words_only(db):
    claim = make_claim("Stalin approved the invasion")
    source = make_source("Ciphered telegram", kind=Source.Kind.TELEGRAM)

    Claim.objects.filter(pk=claim.pk).update(statement="Kim pressed for the attack")
    source.title = "Memorandum of conversation"
    source.save()

    results = search.search("invasion")
    assert results.claims.count == 0
    assert search.search("pressed").claims.results == [claim]
    assert search.search("telegram").sources.count == 0
    assert search.search("memorandum").sources.results == [source]


def test_a_claim_sent_back_to_draft_leaves_the_search(client):
    claim = make_claim("Stalin approved the invasion")

    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)

    html = client.get(reverse("provenance:search"), {"q": "Stalin"}).content.decode()
    assert claim.get_absolute_url() not in html


def test_a_generated_archive_is_searchable_by_every_other_name(db):
    """The generator writes with COPY or executemany and knows nothing of the
    documents: the database's generated columns and triggers fill them."""
    call_command("generate_archive", "--claims", "20", "--seed", "5", stdout=io.StringIO())
    other = AgentName.objects.select_related("agent").order_by("pk").first()

    assert stale_documents("provenance_agent", AGENT_DOCUMENT) == 0
    assert stale_documents("provenance_source", SOURCE_DOCUMENT) == 0
    assert stale_documents("claims_claim", CLAIM_DOCUMENT) == 0
    if connection.vendor == "sqlite":
        with connection.cursor() as cursor:
            assert stale_index_rows(cursor, search_index.OTHER_NAMES) == 0
    assert other.agent.name in found_agents(f'"{other.name}"')


def test_the_demo_finds_mao_by_either_spelling(client, demo_data):
    for spelling in ("Mao Tse-tung", "Mao Zedong"):
        html = client.get(reverse("provenance:search"), {"q": spelling}).content.decode()
        assert "/people/mao-zedong/" in section(html, "people-heading")


def _weighted(text, weight):
    return f"setweight(to_tsvector('english', COALESCE({text}, '')), '{weight}')"


AGENT_DOCUMENT = (
    f"{_weighted('name', 'A')} || "
    + _weighted(
        "(SELECT string_agg(n.name, ' ' ORDER BY n.name) FROM provenance_agentname n"
        " WHERE n.agent_id = provenance_agent.id)",
        "A",
    )
    + f" || {_weighted('description', 'C')}"
)
SOURCE_DOCUMENT = f"{_weighted('title', 'A')} || {_weighted('description', 'B')}"
CLAIM_DOCUMENT = f"{_weighted('statement', 'A')} || {_weighted('summary', 'B')}"
INDEXED = {document.table: document for document in search_index.DOCUMENTS}


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's name indexes")
def test_names_are_matched_through_their_own_indexes(db):
    """The search's name conditions are the expressions provenance/migrations/0008
    indexes: were they to differ, every search would parse again the names of every
    agent whose document matched, seconds at a million claims."""
    _, names = search._postgresql_kinds("Mao")
    sql, params = search._sql(names.agents)
    with connection.cursor() as cursor:
        # Only bitmap scans, which take a condition: the test's tables are small enough
        # that reading a whole table or another index would win on cost alone.
        for scan in ("seqscan", "indexscan", "indexonlyscan"):
            cursor.execute(f"SET LOCAL enable_{scan} = off")
        cursor.execute(f"EXPLAIN {sql}", params)
        plan = "\n".join(row for (row,) in cursor.fetchall())

    assert "prov_agent_name_search" in plan
    assert "prov_agentname_name_search" in plan
