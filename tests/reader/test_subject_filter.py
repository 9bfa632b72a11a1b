"""The claim list's "About" filter: a text box for a name, resolved to a person or
organisation on the server (so it works without JavaScript), and the JSON its
suggestions come from."""

import pytest
from django.urls import reverse

from claims.models import Claim
from tests.builders import make_agent, make_claim

pytestmark = pytest.mark.django_db

LIST = reverse("claims:list")
LOOKUP = reverse("claims:subject_lookup")


@pytest.fixture
def people():
    mao = make_agent("Mao Zedong", other_names=["Mao Tse-tung"], sort_name="Mao Zedong")
    stalin = make_agent("Joseph Stalin", sort_name="Stalin, Joseph")
    make_claim("China did not warn Moscow before the shelling", subjects=[mao])
    make_claim("Stalin approved the invasion", subjects=[stalin])
    return {"mao": mao, "stalin": stalin}


def test_a_name_typed_without_javascript_redirects_to_the_persons_slug(client, people):
    response = client.get(LIST, {"subject": "joseph stalin", "level": "none", "page": "3"})

    assert response.status_code == 302
    assert response.url == f"{LIST}?subject={people['stalin'].slug}&level=none"


def test_another_name_or_the_sort_name_finds_the_person_too(client, people):
    assert client.get(LIST, {"subject": "Mao Tse-tung"}).url.endswith(
        f"subject={people['mao'].slug}"
    )
    assert client.get(LIST, {"subject": "  Stalin,   Joseph "}).url.endswith(
        f"subject={people['stalin'].slug}"
    )


def test_the_list_by_slug_shows_the_name_in_the_box_and_in_the_chip(client, people):
    html = client.get(LIST, {"subject": people["mao"].slug}).content.decode()

    assert "China did not warn Moscow" in html
    assert "Stalin approved" not in html
    assert 'value="Mao Zedong"' in html
    assert "About: Mao Zedong" in html


def test_an_unknown_name_is_explained_on_the_form_with_names_it_may_be(client, people):
    response = client.get(LIST, {"subject": "Mao"})

    assert response.status_code == 200
    html = response.content.decode()
    assert "No person or organisation called “Mao” is recorded." in html
    assert "Did you mean one of those below?" in html
    assert f'href="?subject={people["mao"].slug}"' in html
    assert 'aria-invalid="true"' in html
    # The filter is left out, not applied: the whole list is shown.
    assert "2 claims." in html


def test_a_name_nobody_has_says_so_plainly(client, people):
    html = client.get(LIST, {"subject": "Nobody Atall"}).content.decode()

    assert "No person or organisation called “Nobody Atall” is recorded." in html
    assert "Check the spelling" in html


def test_two_people_with_one_name_are_offered_as_a_choice(client, people):
    other = make_agent("Joseph Stalin")
    make_claim("A claim about the other one", subjects=[other])

    html = client.get(LIST, {"subject": "Joseph Stalin"}).content.decode()

    assert "Several people or organisations are called “Joseph Stalin”" in html
    assert f"subject={people['stalin'].slug}" in html
    assert f"subject={other.slug}" in html


def test_of_two_namesakes_the_one_claims_are_about_is_taken(client, people):
    make_agent("Joseph Stalin")  # no published claim is about this one

    assert client.get(LIST, {"subject": "Joseph Stalin"}).url.endswith(
        f"subject={people['stalin'].slug}"
    )


def test_a_very_long_subject_is_refused_with_a_message(client, people):
    response = client.get(LIST, {"subject": "x" * 500})

    assert response.status_code == 200
    assert 'class="errorlist' in response.content.decode()


def test_lookup_suggests_people_by_any_part_of_any_name(client, people):
    results = client.get(LOOKUP, {"q": "tse"}).json()["results"]

    assert results == [
        {
            "slug": people["mao"].slug,
            "name": "Mao Zedong",
            "kind": "Person",
            "other_name": "Mao Tse-tung",
        }
    ]
    assert [r["name"] for r in client.get(LOOKUP, {"q": "STAL"}).json()["results"]] == [
        "Joseph Stalin"
    ]


def test_lookup_puts_names_that_start_with_the_text_first(client, people):
    make_claim("About Maoist China", subjects=[make_agent("Chairman Mao's Guard")])

    names = [r["name"] for r in client.get(LOOKUP, {"q": "mao"}).json()["results"]]

    assert names == ["Mao Zedong", "Chairman Mao's Guard"]


def test_lookup_never_suggests_someone_only_a_draft_is_about(client, people):
    secret = make_agent("Secret Person")
    make_claim("A draft", subjects=[secret], status=Claim.Status.DRAFT)

    assert client.get(LOOKUP, {"q": "secret"}).json()["results"] == []


def test_lookup_needs_two_letters_and_reads_in_at_most_two_queries(
    client, people, django_assert_num_queries
):
    with django_assert_num_queries(0):
        assert client.get(LOOKUP, {"q": "m"}).json()["results"] == []
    # 1 the matching people; 2 the other names that matched, for those found by one.
    with django_assert_num_queries(2):
        client.get(LOOKUP, {"q": "tse-tung"})
    with django_assert_num_queries(1):
        client.get(LOOKUP, {"q": "stalin"})
