"""On PostgreSQL, search reads a stored document for each claim, source and person
(claims/migrations/0007, provenance/migrations/0003). Whatever writes the records (a
curator's save, a fixture load, the generator's COPY), a search finds them by their
current words and names, and by none they have lost."""

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from claims.models import Claim
from provenance.models import AgentName, Source
from reader import search
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


@pytest.fixture
def postgresql(db):
    if connection.vendor != "postgresql":
        pytest.skip("stored search documents exist on PostgreSQL only")


def found_agents(query):
    return [agent.name for agent in search.search(query).agents.results]


def stale_documents(table, document):
    """How many rows of `table` hold a stored document other than a fresh one."""
    with connection.cursor() as cursor:
        cursor.execute(
            f"SELECT count(*) FROM {table} WHERE search_document IS DISTINCT FROM {document}"
        )
        return cursor.fetchone()[0]


def test_a_person_is_found_by_an_other_name_added_after_them(postgresql):
    mao = make_agent("Mao Zedong")

    AgentName.objects.create(agent=mao, name="Mao Tse-tung")

    assert found_agents("Tse-tung") == ["Mao Zedong"]


def test_a_corrected_other_name_replaces_the_old_one_in_search(postgresql):
    mao = make_agent("Mao Zedong", other_names=["Mao Tsetung"])
    other = mao.other_names.get()

    other.name = "Mao Tse-tung"
    other.save()

    assert found_agents("Tsetung") == []
    assert found_agents("Tse-tung") == ["Mao Zedong"]


def test_an_other_name_moved_to_another_person_moves_in_search(postgresql):
    zhou = make_agent("Zhou Enlai", other_names=["Chou En-lai"])
    mao = make_agent("Mao Zedong")

    AgentName.objects.filter(agent=zhou).update(agent=mao)

    assert found_agents("Chou") == ["Mao Zedong"]


def test_a_deleted_other_name_no_longer_finds_the_person(postgresql):
    mao = make_agent("Mao Zedong", other_names=["Mao Tse-tung"])

    mao.other_names.get().delete()

    assert found_agents("Tse-tung") == []
    assert found_agents("Zedong") == ["Mao Zedong"]


def test_a_renamed_person_keeps_their_other_names_in_search(postgresql):
    kim = make_agent("Kim Il-sung", other_names=["Kim Il Sung"], description="Leader.")

    kim.name = "Kim Song-ju"
    kim.description = "Leader of North Korea."
    kim.save()

    assert found_agents("Song-ju") == ["Kim Song-ju"]
    assert found_agents("Il-sung") == []
    assert found_agents("Kim Il Sung") == ["Kim Song-ju"]
    assert found_agents("North Korea") == ["Kim Song-ju"]


def test_a_changed_claim_and_source_are_found_by_their_new_words_only(postgresql):
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


def test_a_claim_sent_back_to_draft_leaves_the_search(client, postgresql):
    claim = make_claim("Stalin approved the invasion")

    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.DRAFT)

    html = client.get(reverse("provenance:search"), {"q": "Stalin"}).content.decode()
    assert claim.get_absolute_url() not in html


def test_a_generated_archive_is_searchable_by_every_other_name(postgresql):
    """The generator writes with COPY and knows nothing of the documents: the
    database's generated columns and triggers fill them."""
    call_command("generate_archive", "--claims", "20", "--seed", "5", stdout=io.StringIO())
    other = AgentName.objects.select_related("agent").order_by("pk").first()

    assert stale_documents("provenance_agent", AGENT_DOCUMENT) == 0
    assert stale_documents("provenance_source", SOURCE_DOCUMENT) == 0
    assert stale_documents("claims_claim", CLAIM_DOCUMENT) == 0
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
