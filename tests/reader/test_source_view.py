"""The public page of a source: what it is, who made it, how it reached us, what it
derives from, the claims it bears on, and a citation to copy."""

import pytest
from django.urls import reverse

from claims.models import Claim, Evidence
from provenance.models import Citation, CustodyEvent, Source, SourceCreator
from reader.exports.citations import chicago_note
from reader.views.lists import PER_PAGE
from tests.builders import (
    add_evidence,
    assert_headings_in_order,
    cite,
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
def report():
    """The 1966 report, much as the demo has it: public because a published claim
    rests on a study that derives from it, though none rests on the report itself."""
    ministry = make_organisation("Soviet Ministry of Foreign Affairs")
    archive = make_organisation("Archive of Foreign Policy of the Russian Federation")
    report = make_source(
        "On the Korean War, 1950–53, and the Armistice Negotiations",
        kind=Source.Kind.REPORT,
        creators=[(ministry, SourceCreator.Role.AUTHOR)],
        date="1966",
        language="Russian",
        archive=archive,
        archival_reference="f. 0102, op. 7",
        access=Source.Access.DECLASSIFIED,
        authenticity=Source.Authenticity.AUTHENTICATED,
    )
    study = make_source("A study resting on the report", kind=Source.Kind.BOOK)
    cite(study, report)
    make_public(study)
    return report


def test_source_page_shows_what_the_source_is_and_where_it_is_held(client, report):
    html = page(client, report)

    assert "<h1>On the Korean War, 1950–53, and the Armistice Negotiations</h1>" in html
    assert "Report" in html
    assert "Official retrospective report" in html  # proximity follows from the kind
    assert "Russian" in html
    assert report.archive.get_absolute_url() in html
    assert "Archive of Foreign Policy of the Russian Federation" in html
    assert "f. 0102, op. 7" in html
    assert "Declassified" in html
    assert "Authenticated" in html


def test_creators_are_listed_with_their_roles_and_link_to_their_pages(client):
    stalin, kim = make_agent("Joseph Stalin"), make_agent("Kim Il Sung")
    telegram = make_source(
        "Ciphered telegram",
        kind=Source.Kind.TELEGRAM,
        creators=[(stalin, "sender"), (kim, "recipient")],
    )
    make_public(telegram)

    html = page(client, telegram)

    assert (
        f'<a href="{stalin.get_absolute_url()}">Joseph Stalin</a> <span class="role">(sender)'
        in html
    )
    assert (
        f'<a href="{kim.get_absolute_url()}">Kim Il Sung</a> <span class="role">(recipient)' in html
    )


def test_the_date_is_given_in_words(client):
    source = make_source("Telegram", kind=Source.Kind.TELEGRAM, date="1950-01-30")
    uncertain = make_source("Note", kind=Source.Kind.MEMORANDUM, date="1950-03/1950-04")
    make_public(source, uncertain)

    assert "30 January 1950" in page(client, source)
    assert "March–April 1950" in page(client, uncertain)


def test_access_now_says_since_when_from_the_custody_timeline(client, report):
    make_custody_event(report, CustodyEvent.Kind.CLASSIFIED, "1966")
    make_custody_event(report, CustodyEvent.Kind.DECLASSIFIED, "1992")

    html = page(client, report)

    assert "Declassified, since" in html
    assert '<time datetime="1992">1992</time>' in html


def test_authenticity_history_lists_only_the_authenticity_events_in_date_order(client, report):
    historian = make_agent("Kathryn Weathersby")
    make_custody_event(report, CustodyEvent.Kind.AUTHENTICATED, "1993-01", agents=[historian])
    make_custody_event(report, CustodyEvent.Kind.DISPUTED, "1970", note="Called a fabrication.")
    make_custody_event(report, CustodyEvent.Kind.PUBLISHED, "1993-11")

    html = page(client, report)
    history = html.split('id="authenticity-heading"')[1].split('id="custody-heading"')[0]

    assert history.index("Disputed: disputed") < history.index("Authenticated: authenticated")
    assert "Called a fabrication." in history
    assert "Kathryn Weathersby" in history
    assert "Published" not in history


def test_custody_timeline_shows_every_step_with_its_date_agents_event_note_and_reference(
    client, report
):
    holloway = make_agent("David Holloway")
    conference = make_event("New Evidence on Cold War History", date="1993-01-12/1993-01-15")
    make_custody_event(
        report,
        CustodyEvent.Kind.PRESENTED,
        "1993-01-12",
        agents=[holloway],
        event=conference,
        note="Announced to the press.",
        reference="AP, 13 January 1993",
    )
    make_custody_event(report, CustodyEvent.Kind.CREATED, "1966")

    html = page(client, report)
    timeline = html.split('id="custody-heading"')[1].split('id="derives-from-heading"')[0]

    assert timeline.index("Created") < timeline.index("Presented")
    assert "12 January 1993" in timeline
    assert f'<a href="{holloway.get_absolute_url()}">David Holloway</a>' in timeline
    assert f'<a href="{conference.get_absolute_url()}">New Evidence on Cold War History</a>' in (
        timeline
    )
    assert "Announced to the press." in timeline
    assert "Documented in: AP, 13 January 1993" in timeline


def test_what_it_derives_from_and_what_derives_from_it_are_linked_with_their_kind(client, report):
    telegrams = make_source("Stalin–Kim telegrams", kind=Source.Kind.TELEGRAM)
    translation = make_source("New Findings on the Korean War", kind=Source.Kind.ARTICLE)
    cite(report, telegrams, kind=Citation.Kind.SUMMARISES)
    cite(translation, report, kind=Citation.Kind.TRANSLATES)
    make_public(translation)

    html = page(client, report)

    assert (
        f'It summarises <a href="{telegrams.get_absolute_url()}">Stalin–Kim telegrams</a>' in html
    )
    assert (
        f'<a href="{translation.get_absolute_url()}">New Findings on the Korean War</a> '
        "translates it"
    ) in html


def test_published_claims_it_bears_on_show_the_stance_and_the_strength_badge(client, report):
    claim = make_claim("Stalin approved the invasion")
    add_evidence(claim, report, stance=Evidence.Stance.SUPPORTS)
    claim.refresh_from_db()

    html = page(client, report)
    section = html.split('id="claims-heading"')[1].split('id="authenticity-heading"')[0]

    assert f'<a href="{claim.get_absolute_url()}">Stalin approved the invasion</a>' in section
    assert "Supports" in section
    assert f'badge--{claim.strength_level}"' in section
    assert claim.get_strength_level_display() in section


def test_a_source_bearing_on_no_published_claim_says_so(client, report):
    telegrams = make_source("Stalin–Kim telegrams", kind=Source.Kind.TELEGRAM)
    cite(report, telegrams)

    # Public through the chain of citations alone: the report derives from them.
    assert "No published claim rests on this source yet." in page(client, telegrams)
    assert "No published claim rests on this source yet." in page(client, report)


def test_what_it_derives_from_and_what_derives_from_it_show_only_public_sources(client, report):
    telegrams = make_source("Stalin–Kim telegrams", kind=Source.Kind.TELEGRAM)
    draft_notes = make_source("Notes on the report for a draft", kind=Source.Kind.MEMORANDUM)
    cite(report, telegrams)
    cite(draft_notes, report)
    add_evidence(make_claim("A draft", status=Claim.Status.DRAFT), draft_notes)

    html = page(client, report)

    assert telegrams.get_absolute_url() in section(html, "derives-from-heading")
    assert "Notes on the report" not in html
    assert "A study resting on the report" in section(html, "derived-heading")


def test_presentations_reported_in_the_source_are_listed(client, report):
    ap = make_source("Stalin Approved Start of Korean War", kind=Source.Kind.NEWS_REPORT)
    weathersby = make_agent("Kathryn Weathersby")
    evidence = add_evidence(make_claim("Stalin approved the invasion"), report)
    make_presentation(evidence, presenters=[weathersby], date="1993-01-12", reported_in=ap)

    html = page(client, ap)
    section = html.split('id="reported-heading"')[1]

    assert "Kathryn Weathersby</a> presented" in section
    assert report.get_absolute_url() in section
    assert "Stalin approved the invasion" in section


def test_the_citation_is_labelled_readonly_and_copyable_without_javascript(client, report):
    html = page(client, report)

    assert '<label for="citation-text">' in html
    assert '<textarea id="citation-text" class="cite__text" readonly' in html
    assert "Soviet Ministry of Foreign Affairs, “On the Korean War" in html
    # The copy button only appears where the script can make it work.
    assert 'data-copy-target="citation-text" hidden' in html


def test_an_unknown_source_is_not_found(client):
    response = client.get(reverse("provenance:source", kwargs={"slug": "no-such-source"}))

    assert response.status_code == 404


def test_headings_go_down_one_level_at_a_time(client, report):
    make_custody_event(report, CustodyEvent.Kind.DISPUTED, "1970")

    assert_headings_in_order(page(client, report))


# The citation


def _roles(*pairs):
    return [
        SourceCreator(agent=make_agent(name), role=role, position=position)
        for position, (name, role) in enumerate(pairs)
    ]


def test_a_memoir_is_cited_with_its_translator_and_publication_details_in_parentheses():
    memoir = Source(
        title="Khrushchev Remembers",
        kind=Source.Kind.MEMOIR,
        date="1970",
        publication_details="Boston: Little, Brown, 1970",
    )
    memoir.fill_date_bounds()
    roles = _roles(("Nikita Khrushchev", "author"), ("Strobe Talbott", "translator"))

    assert chicago_note(source=memoir, creator_roles=roles) == (
        "Nikita Khrushchev, Khrushchev Remembers, trans. Strobe Talbott "
        "(Boston: Little, Brown, 1970)."
    )


def test_a_telegram_is_cited_from_sender_to_recipient_with_date_reference_and_archive():
    archive = make_organisation("Archive of the President of the Russian Federation")
    telegram = Source(
        title="Ciphered telegram",
        kind=Source.Kind.TELEGRAM,
        date="1950-01-30",
        archive=archive,
        archival_reference="f. 45, op. 1, d. 346",
    )
    roles = _roles(("Joseph Stalin", "sender"), ("Kim Il Sung", "recipient"))

    assert chicago_note(source=telegram, creator_roles=roles) == (
        "Joseph Stalin to Kim Il Sung, “Ciphered telegram,” 30 January 1950, "
        "f. 45, op. 1, d. 346, Archive of the President of the Russian Federation."
    )


def test_an_archival_report_printed_later_has_its_own_date_then_archive_then_the_printing():
    """Chicago notes-bibliography form for an archival document: author, "title,"
    date of creation, reference, archive; a later printing comes last, introduced by
    "published in", so 1994 is not read as the report's date (issue 16: the note ended
    "…, 1994, 1966, Soviet Foreign Ministry archive.")."""
    archive = make_organisation("Archive of Foreign Policy of the Russian Federation")
    report = Source(
        title="On the Korean War, 1950–53, and the Armistice Negotiations",
        kind=Source.Kind.REPORT,
        date="1966-08-09",
        archive=archive,
        archival_reference="f. 0102, op. 7",
        publication_details="Journal of Northeast Asian Studies, 1994",
    )
    report.fill_date_bounds()
    roles = _roles(
        ("Soviet Ministry of Foreign Affairs", "author"),
        ("Archive of Foreign Policy of the Russian Federation", "compiler"),
    )

    # The archive that compiled the file is named once, as the archive.
    assert chicago_note(source=report, creator_roles=roles) == (
        "Soviet Ministry of Foreign Affairs, “On the Korean War, 1950–53, and the Armistice "
        "Negotiations,” 9 August 1966, f. 0102, op. 7, Archive of Foreign Policy of the "
        "Russian Federation, published in Journal of Northeast Asian Studies, 1994."
    )


def test_an_edited_article_without_author_leads_with_its_editors_and_ends_with_the_doi():
    article = Source(
        title="New Findings",
        kind=Source.Kind.ARTICLE,
        date="1993",
        publication_details="CWIHP Bulletin 3 (Fall 1993)",
        doi="10.1000/xyz123",
    )
    article.fill_date_bounds()
    roles = _roles(("Ann Editor", "editor"), ("Bob Editor", "editor"), ("Cy Editor", "editor"))

    assert chicago_note(source=article, creator_roles=roles) == (
        "Ann Editor, Bob Editor, and Cy Editor, eds., “New Findings,” "
        "CWIHP Bulletin 3 (Fall 1993), https://doi.org/10.1000/xyz123."
    )


# Queries


@pytest.mark.parametrize("items", [1, 30])
def test_source_page_reads_in_sixteen_queries_however_much_is_related(
    client, django_assert_num_queries, items
):
    archive = make_organisation("Archive")
    source = make_source("The report", kind=Source.Kind.REPORT, date="1966", archive=archive)
    news = make_source("News", kind=Source.Kind.NEWS_REPORT)
    conference = make_event("Conference", date="1993")
    people = [make_agent(f"Person {number}") for number in range(items)]
    # Custody and citations before any evidence: each would otherwise reassess every
    # claim resting on the source, and the setup would grow with the square of `items`.
    for number, person in enumerate(people):
        SourceCreator.objects.create(source=source, agent=person, role="author", position=number)
        make_custody_event(
            source, CustodyEvent.Kind.CITED, f"{1967 + number}", agents=[person], event=conference
        )
        cite(source, make_source(f"Older {number}", kind=Source.Kind.TELEGRAM))
        later = make_source(f"Later {number}", kind=Source.Kind.BOOK)
        cite(later, source)
        make_public(later)
    for number, person in enumerate(people):
        evidence = add_evidence(make_claim(f"Claim number {number}"), source)
        make_presentation(
            evidence, presenters=[person], date="1993-01-12", event=conference, reported_in=news
        )
        # The news report also bears on a claim and reports a presentation.
        make_presentation(
            add_evidence(make_claim(f"Reported claim {number}"), news),
            presenters=[person],
            date="1993",
            reported_in=source,
        )

    with django_assert_num_queries(16):
        # 1 the source with its holding archive
        # 2 its creators with their agents
        # 3 its custody events with their events
        # 4 the agents of those custody events
        # 5, 6 its evidence for published claims: how many, and one page with the claims
        # 7, 8 the sources it derives from: how many, and one page of them
        # 9, 10 the sources that derive from it: how many, and one page of them
        # 11 one page of the presentations it reports, with evidence, claim and event
        #   (one row more, to know if there is a next page)
        # 12 the presenters of those presentations
        # 13 the sources of that evidence
        # 14 the picture's sources it derives from, walked to the roots
        # 15 the picture's sources deriving from it, walked to the leaves
        # 16 which of the nearest of those are public
        html = page(client, source)

    shown = min(items, PER_PAGE)
    assert html.count("Claim number") == shown
    assert html.count("Reported claim") == shown
    assert section(html, "derives-from-heading").count("Older ") == shown
    assert section(html, "derived-heading").count("Later ") == shown


def test_the_claims_it_bears_on_are_counted_and_paged(client, report):
    for number in range(PER_PAGE + 3):
        add_evidence(make_claim(f"Claim {number:02}"), report)

    first = section(page(client, report), "claims-heading")
    response = client.get(report.get_absolute_url(), {"claims-page": 2})
    second = section(response.content.decode(), "claims-heading")

    assert "(23)" in first and "Showing 1–20 of 23." in first
    assert "Claim 19" in first and "Claim 20" not in first
    assert "Claim 20" in second and "Claim 22" in second and "Claim 19" not in second
    assert 'href="?claims-page=1#claims-heading" rel="prev"' in second


def test_what_derives_from_it_is_counted_and_paged(client, report):
    later = [make_source(f"Later {number:02}", kind=Source.Kind.BOOK) for number in range(PER_PAGE)]
    for source in later:
        cite(source, report)
    make_public(*later)  # with the fixture's study, 21

    derived = section(page(client, report), "derived-heading")

    assert "(21)" in derived and "Showing 1–20 of 21." in derived
    assert 'href="?cited-by-page=2#derived-heading" rel="next"' in derived


def test_a_bad_page_number_for_its_reported_presentations_never_fails(client, report):
    ap = make_source("AP report", kind=Source.Kind.NEWS_REPORT)
    make_presentation(
        add_evidence(make_claim("Stalin approved the invasion"), report),
        date="1993-01-12",
        reported_in=ap,
    )

    beyond = client.get(ap.get_absolute_url(), {"reported-page": 3})
    garbled = client.get(ap.get_absolute_url(), {"reported-page": "x", "claims-page": "x"})

    assert beyond.status_code == garbled.status_code == 200
    assert "There is no page 3 of presentations it reports" in beyond.content.decode()
    assert "Stalin approved the invasion" in section(garbled.content.decode(), "reported-heading")
