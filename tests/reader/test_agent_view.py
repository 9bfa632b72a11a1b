"""The public page of a person or an organisation: who they were, their other names,
the claims about them, the sources they made and the evidence they presented."""

import pytest
from django.urls import reverse

from provenance.models import AgentName, Source
from reader.views.lists import PER_PAGE
from tests.builders import (
    add_evidence,
    assert_headings_in_order,
    make_affiliation,
    make_agent,
    make_claim,
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
def weathersby():
    """Public as the author of a source a published claim rests on; no claim is about
    her."""
    weathersby = make_agent(
        "Kathryn Weathersby",
        date="1950",
        description="Historian of Soviet policy in Korea.",
        other_names=["K. Weathersby"],
    )
    make_public(make_source("An article", kind=Source.Kind.ARTICLE, creators=[weathersby]))
    return weathersby


def test_agent_page_shows_name_kind_dates_description_and_other_names(client):
    mao = make_agent(
        "Mao Zedong",
        date="1893-12-26/1976-09-09",
        description="Chairman of the Chinese Communist Party.",
    )
    AgentName.objects.create(
        agent=mao, name="Mao Tse-tung", kind=AgentName.Kind.TRANSLITERATION, note="Wade–Giles"
    )
    make_public(mao)

    html = page(client, mao)

    assert "<h1>Mao Zedong</h1>" in html
    assert "Person" in html
    assert "26 December 1893 – 9 September 1976" in html
    assert "Chairman of the Chinese Communist Party." in html
    assert "Mao Tse-tung" in html
    assert "(transliteration: Wade–Giles)" in html


def test_affiliations_link_to_the_organisation_with_role_and_dates(client, weathersby):
    university = make_organisation("Florida State University")
    make_affiliation(weathersby, university, role="historian", date="1993")
    make_public(university)

    html = page(client, weathersby)

    assert "Historian, " in html
    assert f'<a href="{university.get_absolute_url()}">Florida State University</a>' in html


def test_an_organisation_is_public_through_the_affiliation_of_a_public_member_only(
    client, weathersby
):
    institute = make_organisation("Quiet Institute")
    make_affiliation(make_agent("Someone only a draft is about"), institute, role="fellow")

    assert client.get(institute.get_absolute_url()).status_code == 404

    make_affiliation(weathersby, institute, role="fellow")

    assert f'<a href="{institute.get_absolute_url()}">Quiet Institute</a>' in page(
        client, weathersby
    )
    assert "Someone only a draft" not in page(client, institute)


def test_an_organisation_page_lists_its_members(client, weathersby):
    project = make_organisation("Cold War International History Project")
    make_affiliation(weathersby, project, role="associate")
    make_affiliation(make_agent("Unknown Fellow"), project, role="fellow")
    make_public(project)

    html = page(client, project)

    assert "Organisation" in html
    members = section(html, "members-heading")
    assert f'<a href="{weathersby.get_absolute_url()}">Kathryn Weathersby</a>' in members
    assert "associate" in members
    assert "Unknown Fellow" not in html  # no published claim rests on them


def test_published_claims_about_them_are_listed_with_their_badge(client):
    stalin = make_agent("Joseph Stalin")
    claim = make_claim("Stalin approved the invasion", subjects=[stalin])

    claims = section(page(client, stalin), "claims-heading")

    assert f'<a href="{claim.get_absolute_url()}">Stalin approved the invasion</a>' in claims
    assert "badge--none" in claims


def test_sources_they_made_are_listed_once_with_all_their_roles(client, weathersby):
    paper = make_source(
        "Soviet Aims in Korea",
        kind=Source.Kind.CONFERENCE_PAPER,
        date="1993-11",
        creators=[(weathersby, "author"), (weathersby, "translator")],
    )
    make_public(paper)
    make_source("An unpublished draft paper", kind=Source.Kind.ARTICLE, creators=[weathersby])

    sources = section(page(client, weathersby), "sources-heading")

    assert sources.count(paper.get_absolute_url()) == 1
    assert "author, translator" in sources
    assert "November 1993" in sources
    assert "unpublished draft paper" not in sources


def test_evidence_they_presented_shows_source_claim_event_date_and_co_presenters(
    client, weathersby
):
    holloway = make_agent("David Holloway")
    conference = make_event("New Evidence on Cold War History", date="1993-01-12/1993-01-15")
    report = make_source("The 1966 report", kind=Source.Kind.REPORT, date="1966")
    claim = make_claim("Stalin approved the invasion")
    make_presentation(
        add_evidence(claim, report),
        presenters=[weathersby, holloway],
        date="1993-01-12",
        event=conference,
    )

    presented = section(page(client, weathersby), "presented-heading")

    assert "12 January 1993" in presented
    assert f'<a href="{conference.get_absolute_url()}">New Evidence on Cold War History</a>' in (
        presented
    )
    # Presenters in alphabetical order of their sort names.
    assert "David Holloway</a> and <a" in presented
    assert "Kathryn Weathersby</a> presented" in presented
    assert f'<a href="{report.get_absolute_url()}">The 1966 report</a> as evidence for' in (
        presented
    )
    assert claim.get_absolute_url() in presented


def test_events_organised_and_sources_held_are_listed(client):
    archive = make_organisation("Archive of the President of the Russian Federation")
    conference = make_event("New Evidence", date="1993-01-12", organisers=[archive])
    telegram = make_source(
        "Ciphered telegram",
        kind=Source.Kind.TELEGRAM,
        archive=archive,
        archival_reference="f. 45, op. 1, d. 346",
    )
    make_public(conference, telegram)
    make_event("A meeting nobody cites", organisers=[archive])
    make_source("An uncited file", kind=Source.Kind.MEMORANDUM, archive=archive)

    html = page(client, archive)

    assert conference.get_absolute_url() in section(html, "events-heading")
    held = section(html, "held-heading")
    assert telegram.get_absolute_url() in held
    assert "f. 45, op. 1, d. 346" in held
    assert "nobody cites" not in html and "uncited file" not in html


def test_a_person_without_claims_says_so_and_hides_empty_sections(client, weathersby):
    html = page(client, weathersby)

    assert "No published claim is about Kathryn Weathersby yet." in html
    assert "presented-heading" not in html
    assert "members-heading" not in html


def test_headings_go_down_one_level_at_a_time(client, weathersby):
    make_source("A paper", kind=Source.Kind.ARTICLE, creators=[weathersby])

    assert_headings_in_order(page(client, weathersby))


def test_an_unknown_person_is_not_found(client):
    response = client.get(reverse("provenance:agent", kwargs={"slug": "nobody"}))

    assert response.status_code == 404


@pytest.mark.parametrize("items", [1, 30])
def test_agent_page_reads_in_seventeen_queries_however_much_is_related(
    client, django_assert_num_queries, items
):
    organisation = make_organisation("Institute", other_names=["The Institute"])
    make_affiliation(organisation, make_organisation("Academy"), role="part")
    held = []
    for number in range(items):
        member = make_agent(f"Member {number}")
        make_affiliation(member, organisation, role="fellow")
        make_claim(f"Claim about it {number}", subjects=[organisation])
        source = make_source(f"Source {number}", kind=Source.Kind.REPORT, creators=[organisation])
        make_presentation(
            add_evidence(make_claim(f"Presented claim {number}"), source),
            presenters=[organisation, member],
            date="1993",
            event=make_event(f"Event {number}", organisers=[organisation]),
        )
        held.append(make_source(f"Held {number}", kind=Source.Kind.TELEGRAM, archive=organisation))
    make_public(*held)

    with django_assert_num_queries(17):
        # 1 the agent
        # 2 its other names
        # 3 its affiliations with their organisations
        # 4, 5 the published claims about it: how many, and one page of them
        # 6, 7 the sources it made: how many, and one page of them
        # 8 its roles in those sources
        # 9 one page of its presentations of evidence for published claims, with
        #   evidence, claim and event (one row more, to know if there is a next page)
        # 10 the presenters of those presentations
        # 11 the sources of that evidence and the sources that reported them
        # 12, 13 its members: how many, and one page of them with their agents
        # 14, 15 the events it organised: how many, and one page of them
        # 16, 17 the sources it holds: how many, and one page of them
        html = page(client, organisation)

    shown = min(items, PER_PAGE)
    assert html.count("Claim about it") == shown
    assert html.count("Presented claim") == shown
    assert html.count("Held ") == shown


# Long lists, a page at a time


def test_each_long_list_shows_one_page_with_the_exact_count_and_links_to_the_next(client):
    stalin = make_agent("Joseph Stalin")
    for number in range(PER_PAGE + 5):
        make_claim(f"Claim {number:02}", subjects=[stalin])

    claims = section(page(client, stalin), "claims-heading")

    assert "(25)" in claims
    assert claims.count('class="card__title"') == PER_PAGE
    assert "Claim 00" in claims and "Claim 19" in claims and "Claim 20" not in claims
    assert "Showing 1–20 of 25." in claims
    assert 'href="?claims-page=2#claims-heading" rel="next"' in claims


def test_a_later_page_of_one_list_keeps_the_other_lists_where_they_are(client):
    stalin = make_agent("Joseph Stalin")
    for number in range(PER_PAGE + 5):
        make_claim(f"Claim {number:02}", subjects=[stalin])
        make_public(make_source(f"Source {number:02}", kind=Source.Kind.REPORT, creators=[stalin]))

    response = client.get(stalin.get_absolute_url(), {"claims-page": 2, "sources-page": 1})
    html = response.content.decode()
    claims, sources = section(html, "claims-heading"), section(html, "sources-heading")

    assert "Claim 20" in claims and "Claim 24" in claims and "Claim 19" not in claims
    assert "Showing 21–25 of 25." in claims
    assert "Source 00" in sources and "Source 20" not in sources
    assert 'href="?claims-page=1&amp;sources-page=1#claims-heading" rel="prev"' in claims
    assert 'href="?claims-page=2&amp;sources-page=2#sources-heading" rel="next"' in sources


def test_a_reader_deep_in_a_long_list_sees_their_own_page_number_marked(client, monkeypatch):
    monkeypatch.setattr("reader.views.lists.PER_PAGE", 2)
    stalin = make_agent("Joseph Stalin")
    for number in range(24):
        make_claim(f"Claim {number:02}", subjects=[stalin])

    claims = section(
        client.get(stalin.get_absolute_url(), {"claims-page": 7}).content.decode(), "claims-heading"
    )

    assert 'aria-current="page"><span class="visually-hidden">Page </span>7</span>' in claims
    assert 'href="?claims-page=6#claims-heading"' in claims
    assert 'href="?claims-page=12#claims-heading"' in claims


def test_presentations_are_paged_without_a_count_previous_and_next(client):
    weathersby = make_agent("Kathryn Weathersby")
    source = make_source("The 1966 report", kind=Source.Kind.REPORT)
    for number in range(PER_PAGE + 1):
        make_presentation(
            add_evidence(make_claim(f"Presented claim {number:02}"), source),
            presenters=[weathersby],
            date=f"{1950 + number}",
        )

    first = section(page(client, weathersby), "presented-heading")
    response = client.get(weathersby.get_absolute_url(), {"presented-page": 2})
    second = section(response.content.decode(), "presented-heading")

    assert first.count("Presented claim") == PER_PAGE
    assert "Showing 1–20." in first
    assert 'href="?presented-page=2#presented-heading" rel="next"' in first
    assert second.count("Presented claim") == 1 and "Presented claim 20" in second
    assert "Showing 21–21." in second and 'rel="next"' not in second
    assert 'href="?presented-page=1#presented-heading" rel="prev"' in second


@pytest.mark.parametrize("number", ["0", "-3", "two", "1.5", "", "9" * 5000])
def test_a_page_number_that_is_not_one_shows_the_first_page(client, number):
    stalin = make_agent("Joseph Stalin")
    for index in range(PER_PAGE + 1):
        claim = make_claim(f"Claim {index:02}", subjects=[stalin])
        make_presentation(
            add_evidence(claim, make_source(f"Source {index}", kind=Source.Kind.REPORT)),
            presenters=[stalin],
            date="1993",
        )

    response = client.get(
        stalin.get_absolute_url(), {"claims-page": number, "presented-page": number}
    )
    html = response.content.decode()

    assert response.status_code == 200
    assert "Showing 1–20." in section(html, "presented-heading")
    claims = section(html, "claims-heading")
    # The counted list treats a number below 1 as beyond its start: the last page.
    assert "Showing 1–20 of 21." in claims or "Showing 21–21 of 21." in claims


def test_a_page_beyond_the_end_shows_the_last_page_or_says_there_is_none(client):
    stalin = make_agent("Joseph Stalin")
    claim = make_claim("Stalin approved the invasion", subjects=[stalin])
    make_presentation(
        add_evidence(claim, make_source("The report", kind=Source.Kind.REPORT)),
        presenters=[stalin],
        date="1993",
    )

    response = client.get(stalin.get_absolute_url(), {"claims-page": 7, "presented-page": 7})
    html = response.content.decode()

    assert response.status_code == 200
    assert claim.get_absolute_url() in section(html, "claims-heading")
    presented = section(html, "presented-heading")
    assert "There is no page 7 of evidence they presented" in presented
    assert 'href="?claims-page=7&amp;presented-page=1#presented-heading"' in presented
