"""Drafts and claims in review are not public: no page, list, filter, count, feed,
sitemap, JSON or JSON-LD of the claim pages shows them, and their own pages are 404
for everyone but staff (the source, person, event and search pages have their own
leak tests)."""

import pytest
from django.urls import reverse

from claims.models import Claim
from provenance.models import Source
from tests.builders import add_evidence, korean_war_claim, make_claim, make_source

pytestmark = pytest.mark.django_db

SECRET = "Zebraquokka"


@pytest.fixture(params=[Claim.Status.DRAFT, Claim.Status.IN_REVIEW])
def hidden(request):
    """A published claim, and an unpublished one with distinctive words that shares its
    subject, topic and sources and is featured, dated and strongly supported."""
    published = korean_war_claim()
    hidden = make_claim(
        f"{SECRET} approved the invasion",
        status=request.param,
        summary=f"The {SECRET} question.",
        date="1950-06",
        featured=True,
        subjects=published.subjects.all(),
        topics=published.topics.all(),
    )
    for evidence in published.evidence.select_related("source"):
        add_evidence(hidden, evidence.source, quotation=f"{SECRET} said so.")
    add_evidence(
        hidden,
        make_source(f"{SECRET} memoir", kind=Source.Kind.MEMOIR, date="1999"),
        quotation=f"{SECRET} memoir says so.",
    )
    hidden.refresh_from_db()
    assert hidden.strength_level == "established"
    return hidden


def assert_hidden(response, status=200):
    assert response.status_code == status
    html = response.content.decode()
    # A search for the secret word echoes it in the search box and its chip: only there.
    for echo in (f'value="{SECRET}"', f"Words: {SECRET}", f"q={SECRET}"):
        html = html.replace(echo, "")
    assert SECRET.lower() not in html.lower()


def test_unpublished_claim_page_and_json_are_404_for_readers(client, hidden):
    assert client.get(hidden.get_absolute_url()).status_code == 404
    assert client.get(reverse("claims:json", kwargs={"slug": hidden.slug})).status_code == 404
    assert client.get(hidden.get_absolute_url() + "?as_of=1999").status_code == 404


def test_unpublished_claim_is_absent_from_the_home_page_and_its_counts(client, hidden):
    response = client.get(reverse("claims:home"))

    assert_hidden(response)
    counts = response.content.decode().split('<ul class="counts"')[1].split("</ul>")[0]
    assert "<strong>1</strong> published claim<" in counts
    assert "<strong>4</strong> sources behind them" in counts  # with the AP report


@pytest.mark.parametrize(
    "query",
    [
        "",
        f"?q={SECRET}",
        "?q=approved+the+invasion",
        "?level=established",
        "?level=established&level=strong&sort=strongest",
        "?source_kind=memoir",
        "?from=1950&to=1950",
        "?sort=updated",
        "?sort=weakest",
        "?sort=earliest",
    ],
)
def test_unpublished_claim_is_absent_from_the_list_under_any_filter(client, hidden, query):
    response = client.get(reverse("claims:list") + query)

    assert_hidden(response)
    assert hidden.get_absolute_url() not in response.content.decode()


def test_unpublished_claim_is_absent_when_filtering_by_its_topic_or_subject(client, hidden):
    subject = hidden.subjects.get()
    assert_hidden(client.get(reverse("claims:list") + f"?subject={subject.slug}"))


def test_unpublished_claim_is_absent_from_the_feed_and_the_sitemap(client, hidden):
    assert_hidden(client.get(reverse("claims:feed")))
    sitemap = client.get("/sitemap.xml")
    assert_hidden(sitemap)
    assert hidden.slug not in sitemap.content.decode()


def test_unpublished_claim_is_absent_from_published_claims_json_and_json_ld(client, hidden):
    published = Claim.objects.published().get()

    assert_hidden(client.get(published.get_absolute_url()))
    assert_hidden(client.get(reverse("claims:json", kwargs={"slug": published.slug})))


def test_a_subject_of_only_unpublished_claims_is_not_offered_as_a_filter(client, hidden):
    from tests.builders import make_agent

    loner = make_agent(f"{SECRET} the person")
    hidden.subjects.add(loner)

    assert_hidden(client.get(reverse("claims:list")))
