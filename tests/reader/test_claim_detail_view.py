"""The public page of a claim: its statement, the strength badge with its reason, the
evidence for and against in independent lines, the timeline, the what-if, the page as
of a date, and the embedded ClaimReview."""

import json
import re

import pytest
from django.urls import reverse

from claims import assessment
from claims.models import Claim, Evidence, Presentation
from provenance.models import Citation, CustodyEvent, Source
from tests.builders import (
    add_evidence,
    cite,
    korean_war_claim,
    make_agent,
    make_claim,
    make_event,
    make_source,
)

pytestmark = pytest.mark.django_db


def get(client, claim, query=""):
    return client.get(reverse("claims:detail", kwargs={"slug": claim.slug}) + query)


def html_of(response):
    return response.content.decode()


def json_ld(response):
    found = re.findall(
        r'<script type="application/ld\+json">(.*?)</script>', html_of(response), flags=re.S
    )
    return [json.loads(text) for text in found]


@pytest.fixture
def claim():
    return korean_war_claim()


def test_claim_page_shows_the_statement_and_the_badge_with_its_reason(client, claim):
    response = get(client, claim)

    html = html_of(response)
    assert response.status_code == 200
    assert (
        f'<h1 id="claim-statement" class="claim-statement">{claim.statement}</h1>'.replace(
            "'", "&#39;"
        )
        in html
    )
    assert 'class="badge badge--established badge--large"' in html
    assert '<span class="badge__label">Established</span>' in html
    assert "Established: 2 independent lines support it" in html
    assert "The telegrams confirm what the 1966 report summarised." in html


def test_evidence_is_grouped_into_independent_lines_with_the_citation_that_joins_them(
    client, claim
):
    html = html_of(get(client, claim))

    assert "Line 1: “Stalin–Kim telegrams” and 1 more source</h3>" in html
    assert "Line 2: “Khrushchev Remembers”</h3>" in html
    assert "Line 3" not in html
    assert (
        "“On the Korean War, 1950–53, and the armistice negotiations” summarises "
        "“Stalin–Kim telegrams”"
    ) in html
    assert "No evidence contradicts this claim." in html


def test_each_item_shows_source_quotation_locator_weight_and_who_presented_it_where(client, claim):
    report = Source.objects.get(kind=Source.Kind.REPORT)
    html = html_of(get(client, claim))

    assert f'<a href="{report.get_absolute_url()}">{report.title}</a>' in html
    assert "Report, <time" in html and "9 August 1966" in html
    assert "<blockquote>" in html
    assert "Stalin gave his consent to the proposal of Kim Il Sung." in html
    assert "<footer>p. 2</footer>" in html
    assert (
        "official retrospective report 0.8 × declassified 1 × accepted 0.9 × "
        "content not assessed 1 × direct statement 1 = 0.72"
    ) in html
    weathersby = (
        claim.evidence.get(source=report)
        .presentations.get()
        .presenters.get(name="Kathryn Weathersby")
    )
    assert f' and <a href="{weathersby.get_absolute_url()}">Kathryn Weathersby</a>' in html
    assert "CWIHP conference on Cold War history</a>, Russian Academy of Sciences" in html
    assert "12 January 1993" in html
    assert "reported in <a href=" in html and "Historians say Stalin approved" in html


def test_contradicting_and_context_items_appear_in_their_own_sections(client):
    claim = make_claim("Mao knew of the plan in advance")
    add_evidence(
        claim,
        make_source("An aide's interview", kind=Source.Kind.INTERVIEW, date="1988"),
        stance=Evidence.Stance.CONTRADICTS,
        quotation="He knew nothing until the 25th.",
    )
    add_evidence(
        claim,
        make_source("A general history of the war", date="2000"),
        stance=Evidence.Stance.CONTEXT,
        quotation="Beijing was preoccupied with Taiwan.",
    )

    html = html_of(get(client, claim))

    against = html.split('id="against-heading"')[1].split('id="context-heading"')[0]
    assert "He knew nothing until the 25th." in against
    assert "Beijing was preoccupied with Taiwan." not in against
    context = html.split('id="context-heading"')[1].split('id="timeline-heading"')[0]
    assert "Beijing was preoccupied with Taiwan." in context
    assert "No evidence supports this claim." in html
    assert '<span class="badge__label">Contradicted</span>' not in html  # 0.495 < 0.5
    assert (
        '<span class="badge__label">No evidence recorded</span>'
        not in html.split('id="timeline-heading"')[0]
    )


def test_timeline_is_an_svg_image_with_a_text_alternative_linking_each_step(client, claim):
    html = html_of(get(client, claim))

    svg = html.split("<svg viewBox")[-1].split("</svg>")[0]
    assert 'role="img"' in svg
    assert 'aria-labelledby="timeline-svg-title timeline-svg-desc"' in svg
    assert '<title id="timeline-svg-title">' in svg
    assert ">1970</text>" in svg
    steps = html.split('<ol class="timeline-steps">')[1].split("</ol>")[0]
    # The memoir's "1970" counts from its last day.
    assert '<a href="?as_of=1970-12-30">Before 1970</a>' in steps
    assert '<a href="?as_of=1970-12-31">From 1970</a>' in steps
    assert '<a href="?as_of=1993-01-12">From 12 January 1993</a>' in steps
    assert steps.index("From 1970") < steps.index("From 1990") < steps.index("From 12 January")
    assert '<li aria-current="step">' in steps


def test_what_if_names_the_sources_the_verdict_rests_on(client, claim):
    html = html_of(get(client, claim))

    what_if = html.split('id="what-if-heading"')[1].split("</section>")[0]
    assert re.search(r"Without “<a [^>]*>Khrushchev Remembers</a>” this claim would be ", what_if)
    assert "would still be" in what_if  # setting the report aside leaves the telegrams
    assert '<span class="badge__label">Strong</span>' in what_if


@pytest.mark.parametrize(
    ("as_of", "banner", "level"),
    [
        ("1969", "As the evidence stood on 31 December 1969.", "No evidence recorded"),
        ("1970-06", "As the evidence stood on 30 June 1970.", "No evidence recorded"),
        ("1971", "As the evidence stood on 31 December 1971.", "Weak"),
        ("1993-01-12", "As the evidence stood on 12 January 1993.", "Strong"),
    ],
)
def test_as_of_shows_the_evidence_as_it_stood_then_with_a_banner(
    client, claim, as_of, banner, level
):
    response = get(client, claim, f"?as_of={as_of}")

    html = html_of(response)
    assert response.status_code == 200
    assert banner in html
    verdict = html.split('id="verdict-heading"')[1].split("</section>")[0]
    assert f'<span class="badge__label">{level}</span>' in verdict
    assert f'<a href="{claim.get_absolute_url()}">See the evidence as it stands today</a>' in html
    # Search engines are sent to today's page, and told nothing else.
    assert f'<link rel="canonical" href="http://testserver{claim.get_absolute_url()}">' in html
    assert "noindex" not in html


def test_as_of_before_a_release_leaves_the_source_out_and_says_why(client, claim):
    html = html_of(get(client, claim, "?as_of=1992"))

    counted = html.split('id="not-counted-heading"')[0]
    assert "Stalin gave his consent" not in counted
    not_counted = html.split('id="not-counted-heading"')[1].split("</section>")[0]
    assert "On the Korean War, 1950–53" in not_counted
    assert "Not yet public on 31 December 1992" in not_counted


@pytest.mark.parametrize("bad", ["1969-13", "19x9", "1969-02-30", "yesterday", "0000"])
def test_malformed_as_of_gets_a_clear_message_and_status_400_not_a_server_error(client, claim, bad):
    response = get(client, claim, f"?as_of={bad}")

    html = html_of(response)
    assert response.status_code == 400
    assert "That date could not be read." in html
    assert "Write a year (1969), a month (1969-12) or a day (1969-12-31)." in html
    assert 'id="claim-statement"' in html  # the normal page, as it stands today


def test_claim_review_json_ld_carries_the_rating_the_claim_and_its_first_appearance(client, claim):
    (review,) = json_ld(get(client, claim))

    assert review["@context"] == "https://schema.org"
    assert review["@type"] == "ClaimReview"
    assert review["claimReviewed"] == claim.statement
    assert review["url"] == f"http://testserver{claim.get_absolute_url()}"
    assert review["reviewRating"] == {
        "@type": "Rating",
        "ratingValue": 6,
        "bestRating": 6,
        "worstRating": 1,
        "alternateName": "Established",
        "ratingExplanation": claim_summary(client, claim),
    }
    assert review["author"] == {
        "@type": "Organization",
        "name": "Corroborate",
        "url": "http://testserver/",
    }
    assert review["datePublished"] == claim.published_at.date().isoformat()
    first = review["itemReviewed"]["firstAppearance"]
    assert review["itemReviewed"]["@type"] == "Claim"
    assert first["name"] == "Stalin–Kim telegrams"
    assert [work["name"] for work in review["itemReviewed"]["appearance"]] == [
        "Stalin–Kim telegrams",
        "On the Korean War, 1950–53, and the armistice negotiations",
        "Khrushchev Remembers",
    ]
    memoir = review["itemReviewed"]["appearance"][2]
    assert memoir["url"] == "https://example.org/khrushchev-remembers"
    assert memoir["author"] == {"@type": "Person", "name": "Nikita Khrushchev"}


def claim_summary(client, claim):
    response = client.get(reverse("claims:json", kwargs={"slug": claim.slug}))
    return response.json()["assessment"]["summary"]


def test_json_ld_cannot_be_closed_early_by_a_statement_with_a_script_tag(client):
    claim = make_claim("</script><script>alert(1)</script> & friends")

    response = get(client, claim)

    html = html_of(response)
    assert "</script><script>alert(1)" not in html
    (review,) = json_ld(response)
    assert review["claimReviewed"] == "</script><script>alert(1)</script> & friends"


def test_a_claim_without_evidence_has_a_rating_with_a_name_but_no_number(client):
    (review,) = json_ld(get(client, make_claim("Nobody has looked into this yet")))

    assert review["reviewRating"]["alternateName"] == "No evidence recorded"
    assert "ratingValue" not in review["reviewRating"]
    assert "firstAppearance" not in review["itemReviewed"]


def test_a_page_as_of_a_date_embeds_no_claim_review(client, claim):
    assert json_ld(get(client, claim, "?as_of=1980")) == []


def test_unknown_claim_is_404(client):
    assert client.get("/claims/no-such-claim/").status_code == 404


@pytest.mark.parametrize("status", [Claim.Status.DRAFT, Claim.Status.IN_REVIEW])
def test_staff_can_preview_an_unpublished_claim_under_a_banner(client, django_user_model, status):
    claim = make_claim("A claim still being checked", status=status)
    client.force_login(
        django_user_model.objects.create_user("editor", password="x-long-password", is_staff=True)
    )

    response = get(client, claim)

    html = html_of(response)
    assert response.status_code == 200
    assert "Not published — preview for staff." in html
    assert '<meta name="robots" content="noindex">' in html
    assert json_ld(response) == []


def test_a_logged_in_reader_who_is_not_staff_gets_404_for_a_draft(client, django_user_model):
    claim = make_claim("A claim still being checked", status=Claim.Status.DRAFT)
    client.force_login(django_user_model.objects.create_user("reader", password="x-long-pw-1"))

    assert get(client, claim).status_code == 404


def test_page_is_accessible_in_structure(client, claim):
    html = html_of(get(client, claim))

    assert html.count("<h1") == 1
    assert '<main id="main"' in html
    assert '<a class="skip-link" href="#main">' in html
    assert '<nav class="breadcrumbs wrap" aria-label="Breadcrumbs">' in html
    levels = [int(level) for level in re.findall(r"<h([1-6])", html)]
    assert all(later - earlier <= 1 for earlier, later in zip(levels, levels[1:], strict=False))


# Queries


def claim_with_items(count, *, depth):
    """A published claim with `count` evidence items, each from its own source with
    custody events and an author, presented by two people at an event and reported in
    a news report; every item's source derives from a chain of `depth` sources.

    The evidence is bulk-created and the claim assessed once, to keep the test fast."""
    presenters = [make_agent("Presenter One"), make_agent("Presenter Two")]
    event = make_event("Conference", date="1993-01-12")
    news = make_source("News report", kind=Source.Kind.NEWS_REPORT, date="1993-01-13")
    claim = make_claim("A claim with much evidence")
    items = []
    for number in range(count):
        source = make_source(
            f"Source {number}",
            kind=Source.Kind.MEMORANDUM,
            date="1950",
            creators=[make_agent(f"Author {number}")],
            custody=[
                (CustodyEvent.Kind.CLASSIFIED, "1950"),
                (CustodyEvent.Kind.DECLASSIFIED, "1993"),
            ],
        )
        below = source
        for level in range(depth):
            parent = make_source(f"Ancestor {number}.{level}", date="1949")
            cite(below, parent, kind=Citation.Kind.QUOTES)
            below = parent
        items.append(
            Evidence(
                claim=claim,
                source=source,
                stance=Evidence.Stance.SUPPORTS,
                quotation=f"Quotation {number}",
            )
        )
    items = Evidence.objects.bulk_create(items)
    presentations = Presentation.objects.bulk_create(
        Presentation(evidence=item, event=event, date="1993-01-12", reported_in=news)
        for item in items
    )
    Presentation.presenters.through.objects.bulk_create(
        Presentation.presenters.through(presentation=presentation, agent=agent)
        for presentation in presentations
        for agent in presenters
    )
    assessment.claim_assess(claim=claim)
    return claim


@pytest.mark.parametrize(("count", "depth"), [(1, 0), (50, 3)])
def test_claim_page_reads_in_eight_queries_however_much_evidence(
    client, django_assert_num_queries, count, depth
):
    claim = claim_with_items(count, depth=depth)
    # 1 the claim; 2 its subjects and topics; 3 the evidence with sources; 4 the
    # sources' custody events; 5 their creators with agents; 6 the presentations with
    # event, report and presenters; 7 every citation, walked to the roots; 8 the log
    # of corrections and updates.
    with django_assert_num_queries(8):
        response = get(client, claim)
    assert response.content.decode().count("<blockquote>") == count


def test_claim_page_for_staff_adds_only_the_session_and_user_queries(
    client, django_user_model, django_assert_num_queries
):
    claim = claim_with_items(3, depth=1)
    client.force_login(django_user_model.objects.create_user("staff", is_staff=True))
    # The eight page queries, plus 1 the session and 2 the user.
    with django_assert_num_queries(10):
        assert get(client, claim).status_code == 200


# End to end, on the demo data


def test_a_reader_can_answer_the_korean_war_questions_from_the_demo_pages(client, demo_data):
    """How strong is the evidence that Stalin approved the invasion, on what does it
    rest, who presented it and where, and how did it look in 1969 and in 1992?"""
    claim = Claim.objects.get(slug="stalin-approved-invasion")
    home = client.get("/").content.decode()
    assert claim.get_absolute_url() in home

    today = html_of(get(client, claim))
    verdict = today.split('id="verdict-heading"')[1].split("</section>")[0]
    assert f'<span class="badge__label">{claim.get_strength_level_display()}</span>' in verdict
    assert claim.strength_level in ("strong", "established")
    assert "On the Korean War, 1950–53, and the Armistice Negotiations" in today
    assert "Khrushchev Remembers" in today
    presented = today.split("<dt>Presented</dt>")[1].split("</dd>")[0]
    assert "Kathryn Weathersby" in presented and "David Holloway" in presented
    assert "Moscow" in presented and "January 1993" in presented

    in_1969 = html_of(get(client, claim, "?as_of=1969"))
    assert "As the evidence stood on 31 December 1969." in in_1969
    verdict_1969 = in_1969.split('id="verdict-heading"')[1].split("</section>")[0]
    assert '<span class="badge__label">No evidence recorded</span>' in verdict_1969

    in_1992 = html_of(get(client, claim, "?as_of=1992"))
    verdict_1992 = in_1992.split('id="verdict-heading"')[1].split("</section>")[0]
    assert '<span class="badge__label">Weak</span>' in verdict_1992
    assert "best: participant testimony or memoir" in verdict_1992
    evidence_1992 = in_1992.split('id="for-heading"')[1].split('id="against-heading"')[0]
    assert "Khrushchev Remembers" in evidence_1992  # the memoir was the best evidence then
    assert "Stalin gave North Korean leader Kim Il Sung permission" not in evidence_1992
    (review,) = json_ld(get(client, claim))
    assert review["reviewRating"]["alternateName"] == claim.get_strength_level_display()
