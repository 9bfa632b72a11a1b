"""The public page of an event: when and where, who organised it, and everything
presented there."""

import pytest
from django.urls import reverse

from claims.models import Evidence
from provenance.models import CustodyEvent, Source
from tests.builders import (
    add_evidence,
    assert_headings_in_order,
    make_agent,
    make_claim,
    make_custody_event,
    make_event,
    make_organisation,
    make_presentation,
    make_source,
    page,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def conference():
    return make_event(
        "New Evidence on Cold War History",
        date="1993-01-12/1993-01-15",
        place="Russian Academy of Sciences, Moscow",
        description="Four days of papers from the newly opened archives.",
        url="https://www.wilsoncenter.org/program/cold-war-international-history-project",
        organisers=[make_organisation("Cold War International History Project")],
    )


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


def test_presentations_are_grouped_by_claim_with_presenter_source_and_stance(client, conference):
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

    html = page(client, conference)
    presented = html.split('id="presented-heading"')[1]
    groups = presented.split('<h3 id="claim-')[1:]

    assert len(groups) == 2
    assert "China did not warn" in groups[0] and "Pleshakov" in groups[0]
    assert "Stalin approved" in groups[1]
    assert f'<a href="{report.get_absolute_url()}">The 1966 report</a>' in groups[1]
    assert f'<a href="{memoir.get_absolute_url()}">Khrushchev Remembers</a>' in groups[1]
    assert "Khrushchev Remembers</a> as context for it" in groups[1]
    assert "14 January 1993" in groups[1]


def test_custody_events_that_happened_there_are_listed(client, conference):
    report = make_source("The 1966 report", kind=Source.Kind.REPORT, date="1966")
    holloway = make_agent("David Holloway")
    make_custody_event(
        report, CustodyEvent.Kind.PRESENTED, "1993-01-12", agents=[holloway], event=conference
    )

    custody = page(client, conference).split('id="custody-heading"')[1]

    assert f'<a href="{report.get_absolute_url()}">The 1966 report</a>: presented' in custody
    assert f'<a href="{holloway.get_absolute_url()}">David Holloway</a>' in custody


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
def test_event_page_reads_in_six_queries_however_much_was_presented(
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

    with django_assert_num_queries(6):
        # 1 the event
        # 2 its organisers
        # 3 the presentations there of evidence for published claims, with evidence,
        #   claim, source and the source that reported it
        # 4 the presenters of those presentations
        # 5 the custody events there, with their sources
        # 6 the agents of those custody events
        html = page(client, conference)

    assert html.count("Presenter ") == 2 * items  # once presenting, once in custody
    assert html.count('<h3 id="claim-') == items
