"""The public page of an event: when and where, who organised it, and everything
presented there."""

import pytest
from django.urls import reverse

from claims.models import Evidence
from provenance.models import CustodyEvent, Source
from reader.views.lists import PER_PAGE
from tests.builders import (
    add_evidence,
    assert_headings_in_order,
    make_agent,
    make_claim,
    make_custody_event,
    make_event,
    make_organisation,
    make_presentation,
    make_public,
    make_source,
    page,
    section,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    """Public because a source a published claim rests on was presented there in its
    custody timeline; no evidence was presented there."""
    conference = make_event(
        "New Evidence on Cold War History",
        date="1993-01-12/1993-01-15",
        place="Russian Academy of Sciences, Moscow",
        description="Four days of papers from the newly opened archives.",
        url="https://www.wilsoncenter.org/program/cold-war-international-history-project",
        organisers=[make_organisation("Cold War International History Project")],
    )
    shown = make_source("A source shown there", kind=Source.Kind.REPORT)
    make_public(shown)
    make_custody_event(shown, CustodyEvent.Kind.PRESENTED, "1993-01-12", event=conference)
    return conference


def test_event_page_shows_when_where_organisers_description_and_address(client, conference):
    html = page(client, conference)
    organiser = conference.organisers.get()

    assert "<h1>New Evidence on Cold War History</h1>" in html
    assert "12–15 January 1993" in html
    assert "Russian Academy of Sciences, Moscow" in html
    assert (
        f'<a href="{organiser.get_absolute_url()}">Cold War International History Project</a>'
        in (html)
    )
    assert "Four days of papers from the newly opened archives." in html
    assert f'href="{conference.url}"' in html


def test_presentations_are_listed_in_date_order_with_presenter_source_stance_and_claim(
    client, conference
):
    weathersby, pleshakov = make_agent("Kathryn Weathersby"), make_agent("Konstantin Pleshakov")
    report = make_source("The 1966 report", kind=Source.Kind.REPORT)
    memoir = make_source("Khrushchev Remembers", kind=Source.Kind.MEMOIR)
    stalin = make_claim("Stalin approved the invasion")
    quemoy = make_claim("China did not warn the Soviets before shelling Quemoy")
    make_presentation(
        add_evidence(stalin, report), presenters=[weathersby], date="1993-01-12", event=conference
    )
    make_presentation(
        add_evidence(stalin, memoir, stance=Evidence.Stance.CONTEXT),
        presenters=[weathersby],
        date="1993-01-14",
        event=conference,
    )
    make_presentation(
        add_evidence(quemoy, memoir), presenters=[pleshakov], date="1993-01-13", event=conference
    )

    presented = section(page(client, conference), "presented-heading")
    cards = presented.split('<li class="card">')[1:]

    assert len(cards) == 3
    assert "12 January 1993" in cards[0] and "Stalin approved" in cards[0]
    assert f'<a href="{report.get_absolute_url()}">The 1966 report</a>' in cards[0]
    assert "13 January 1993" in cards[1] and "Pleshakov" in cards[1] and "Quemoy" in cards[1]
    assert "Khrushchev Remembers</a> as context for" in cards[2]
    assert "Stalin approved" in cards[2]
    # The page is about the event: the cards do not repeat it.
    assert conference.get_absolute_url() not in presented


def test_what_was_presented_is_paged_without_a_count(client, conference):
    source = make_source("A source", kind=Source.Kind.BOOK)
    for number in range(PER_PAGE + 2):
        make_presentation(
            add_evidence(make_claim(f"Claim {number:02}"), source),
            date=f"1993-01-{12 + number % 3}",
            event=conference,
        )

    first = section(page(client, conference), "presented-heading")
    response = client.get(conference.get_absolute_url(), {"presented-page": 2})
    second = section(response.content.decode(), "presented-heading")
    beyond = client.get(conference.get_absolute_url(), {"presented-page": 4})

    assert first.count('<li class="card">') == PER_PAGE and "Showing 1–20." in first
    assert second.count('<li class="card">') == 2 and "Showing 21–22." in second
    assert "There is no page 4 of what was presented here" in beyond.content.decode()


def test_custody_events_there_are_counted_and_paged_in_date_order(client, conference):
    sources = []
    for number in range(PER_PAGE):
        source = make_source(f"Source {number:02}", kind=Source.Kind.REPORT)
        make_custody_event(
            source, CustodyEvent.Kind.PRESENTED, f"{1960 + number}", event=conference
        )
        sources.append(source)
    make_public(*sources)

    custody = section(page(client, conference), "custody-heading")

    # With the fixture's, of 1993, 21.
    assert "(21)" in custody and "Showing 1–20 of 21." in custody
    assert custody.index("Source 00") < custody.index("Source 19")
    assert "A source shown there" not in custody
    assert 'href="?custody-page=2#custody-heading" rel="next"' in custody


def test_custody_events_that_happened_there_are_listed(client, conference):
    report = make_source("The 1966 report", kind=Source.Kind.REPORT, date="1966")
    holloway = make_agent("David Holloway")
    make_custody_event(
        report, CustodyEvent.Kind.PRESENTED, "1993-01-12", agents=[holloway], event=conference
    )
    make_public(report)
    unused = make_source("A file no claim uses", kind=Source.Kind.MEMORANDUM)
    make_custody_event(unused, CustodyEvent.Kind.PRESENTED, "1993-01-13", event=conference)

    custody = page(client, conference).split('id="custody-heading"')[1]

    assert f'<a href="{report.get_absolute_url()}">The 1966 report</a>: presented' in custody
    assert f'<a href="{holloway.get_absolute_url()}">David Holloway</a>' in custody
    assert "A file no claim uses" not in custody


def test_an_event_where_nothing_was_presented_says_so(client, conference):
    assert "No evidence for a published claim is recorded as presented here." in page(
        client, conference
    )


def test_headings_go_down_one_level_at_a_time(client, conference):
    evidence = add_evidence(make_claim("A claim"), make_source("A source", kind=Source.Kind.BOOK))
    make_presentation(evidence, date="1993-01-12", event=conference)

    assert_headings_in_order(page(client, conference))


def test_an_unknown_event_is_not_found(client):
    response = client.get(reverse("provenance:event", kwargs={"slug": "no-such-event"}))

    assert response.status_code == 404


@pytest.mark.parametrize("items", [1, 30])
def test_event_page_reads_in_eight_queries_however_much_was_presented(
    client, django_assert_num_queries, conference, items
):
    news = make_source("News", kind=Source.Kind.NEWS_REPORT)
    for number in range(items):
        person = make_agent(f"Presenter {number}")
        conference.organisers.add(make_organisation(f"Organiser {number}"))
        source = make_source(f"Source {number}", kind=Source.Kind.REPORT)
        make_presentation(
            add_evidence(make_claim(f"Claim {number}"), source),
            presenters=[person],
            date="1993-01-12",
            event=conference,
            reported_in=news,
        )
        make_custody_event(
            source, CustodyEvent.Kind.PRESENTED, "1993-01-12", agents=[person], event=conference
        )

    with django_assert_num_queries(8):
        # 1 the event
        # 2 its organisers
        # 3 one page of the presentations there of evidence for published claims, with
        #   evidence and claim (one row more, to know if there is a next page)
        # 4 the presenters of those presentations
        # 5 the sources of that evidence and the sources that reported them
        # 6, 7 the custody events there: how many, and one page with their sources
        # 8 the agents of those custody events
        html = page(client, conference)

    shown = min(items, PER_PAGE)
    # Once presenting, once in custody, where the fixture's own custody event, with no
    # agents, takes the first place.
    assert html.count("Presenter ") == shown + min(items, PER_PAGE - 1)
    assert html.count('<li class="card">') == shown
