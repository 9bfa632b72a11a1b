"""Drafts and claims in review never show on the pages about sources, people and
events, nor in search. Each unpublished claim here carries a word found nowhere else,
so any leak — statement, summary, link — is caught by looking for that word."""

import pytest
from django.urls import reverse

from claims.models import Claim
from provenance.models import CustodyEvent, Source
from reader.views.lists import PER_PAGE
from tests.builders import (
    add_evidence,
    make_agent,
    make_claim,
    make_custody_event,
    make_event,
    make_presentation,
    make_source,
    section,
)

pytestmark = pytest.mark.django_db

SECRET = "Quokkafjord"


@pytest.fixture(params=[Claim.Status.DRAFT, Claim.Status.IN_REVIEW])
def world(request):
    """A published claim and an unpublished one sharing a source, a subject, a
    presenter, an event and the news report of their presentation."""
    person = make_agent("Kathryn Weathersby")
    event = make_event("New Evidence on Cold War History", date="1993-01-12")
    source = make_source("The 1966 report", kind=Source.Kind.REPORT, date="1966")
    news = make_source("AP report", kind=Source.Kind.NEWS_REPORT, date="1993-01-13")
    make_custody_event(source, CustodyEvent.Kind.PRESENTED, "1993-01-12", event=event)
    published = make_claim("Stalin approved the invasion", subjects=[person])
    unpublished = make_claim(
        f"The {SECRET} memorandum shows Stalin opposed the invasion",
        summary=f"Unreviewed: {SECRET}.",
        status=request.param,
        subjects=[person],
    )
    for claim in (published, unpublished):
        make_presentation(
            add_evidence(claim, source),
            presenters=[person],
            date="1993-01-12",
            event=event,
            reported_in=news,
        )
    return {
        "person": person,
        "event": event,
        "source": source,
        "news": news,
        "published": published,
        "unpublished": unpublished,
    }


def assert_no_leak(html, world):
    assert SECRET not in html
    assert world["unpublished"].get_absolute_url() not in html
    assert world["published"].get_absolute_url() in html  # the page did show claims


@pytest.mark.parametrize(
    ("name", "record"),
    [("source", "source"), ("source", "news"), ("agent", "person"), ("event", "event")],
)
def test_unpublished_claims_do_not_show_on_provenance_pages(client, world, name, record):
    url = reverse(f"provenance:{name}", kwargs={"slug": world[record].slug})

    assert_no_leak(client.get(url).content.decode(), world)


@pytest.mark.parametrize("query", [SECRET, "memorandum", "Stalin opposed", "invasion"])
def test_unpublished_claims_are_not_found_by_search(client, world, query):
    html = client.get(reverse("provenance:search"), {"q": query}).content.decode()
    # The query is echoed in the form and the summary; results start after them.
    results = html.split('id="search-hint"')[1].replace(f"“{query}”", "")

    assert SECRET not in results
    assert world["unpublished"].get_absolute_url() not in html


def test_search_counts_only_published_claims(client, world):
    html = client.get(reverse("provenance:search"), {"q": "invasion"}).content.decode()

    assert '<a href="#claims">Claims (1)</a>' in html


def test_the_sitemap_lists_only_records_that_a_published_claim_reaches(client, world):
    only_draft = make_claim(f"{SECRET} claim", status=world["unpublished"].status)
    hidden_person = make_agent(f"{SECRET} Person")
    only_draft.subjects.add(hidden_person)
    make_presentation(
        add_evidence(only_draft, make_source(f"{SECRET} memo", kind=Source.Kind.MEMORANDUM)),
        presenters=[make_agent(f"{SECRET} Presenter")],
        date="1993",
        event=make_event(f"{SECRET} Meeting"),
        reported_in=make_source(f"{SECRET} Gazette", kind=Source.Kind.NEWS_REPORT),
    )

    sitemap = client.get("/sitemap.xml").content.decode()

    assert SECRET.lower() not in sitemap.lower()
    for record in ("source", "news", "person", "event"):
        assert world[record].get_absolute_url() in sitemap


# The lists on those pages are paged: no page of them, and no count, shows a draft.

LISTS = {
    "person": ("agent", ["claims", "presented"]),
    "source": ("source", ["claims"]),
    "news": ("source", ["reported"]),
    "event": ("event", ["presented"]),
}


@pytest.fixture
def crowded(world):
    """More published claims than fit on one page, and as many unpublished ones,
    sharing the world's person, source, event and news report."""
    for number in range(PER_PAGE + 2):
        for status, statement in [
            (Claim.Status.PUBLISHED, f"Published claim {number:02}"),
            (world["unpublished"].status, f"{SECRET} claim {number:02}"),
        ]:
            claim = make_claim(statement, status=status, subjects=[world["person"]])
            make_presentation(
                add_evidence(claim, world["source"]),
                presenters=[world["person"]],
                date=f"1993-01-{10 + number % 5}",
                event=world["event"],
                reported_in=world["news"],
            )
    return world


@pytest.mark.parametrize("record", LISTS)
def test_no_page_of_a_paged_list_shows_an_unpublished_claim(client, crowded, record):
    name, lists = LISTS[record]
    url = reverse(f"provenance:{name}", kwargs={"slug": crowded[record].slug})
    published = PER_PAGE + 3  # the crowd and the world's own published claim

    for parameter in lists:
        seen = 0
        for number in (1, 2, 3):  # the third is beyond the end
            html = client.get(url, {f"{parameter}-page": number}).content.decode()
            assert SECRET not in html
            assert crowded["unpublished"].get_absolute_url() not in html
            listed = section(html, f"{parameter}-heading")
            if number < 3:
                seen += listed.count("Published claim") + listed.count("Stalin approved")
        # Every published claim is reached on exactly one of the two pages.
        assert seen == published


def test_counts_on_a_paged_list_count_only_published_claims(client, crowded):
    html = client.get(crowded["person"].get_absolute_url()).content.decode()
    source = client.get(crowded["source"].get_absolute_url()).content.decode()

    assert f"Showing 1–{PER_PAGE} of {PER_PAGE + 3}." in html.split('id="claims-heading"')[1]
    assert f"Showing 1–{PER_PAGE} of {PER_PAGE + 3}." in source.split('id="claims-heading"')[1]


def test_a_finding_links_to_the_source_documenting_it_only_while_that_source_is_public(
    client,
):
    """The finding names its source by title: the published claim's verdict rests on it.
    A link to a source no published claim rests on would answer 404."""
    diaries = make_source("The Hitler Diaries", kind=Source.Kind.DIARY, date="1983")
    report = make_source("Bundesanstalt für Materialprüfung report", kind=Source.Kind.REPORT)
    make_custody_event(
        diaries, CustodyEvent.Kind.EXPOSED_AS_FORGERY, "1983-05-06", documented_in=report
    )
    add_evidence(make_claim("The diaries are forged"), diaries)
    draft = make_claim(f"{SECRET} report", status=Claim.Status.DRAFT)
    add_evidence(draft, report)
    page = diaries.get_absolute_url()
    api = f"/api/sources/{diaries.slug}"

    html = client.get(page).content.decode()
    custody = client.get(api).json()["custody"]
    assert report.title in html and report.get_absolute_url() not in html
    assert client.get(report.get_absolute_url()).status_code == 404
    assert [(row["documented_in"], row["documented_in_title"]) for row in custody] == [
        (None, report.title)
    ]

    add_evidence(make_claim("The report says the diaries are forged"), report)

    assert report.get_absolute_url() in client.get(page).content.decode()
    (row,) = client.get(api).json()["custody"]
    assert row["documented_in"]["slug"] == report.slug
