"""The list of published claims at /claims/: filters held in the URL, removable chips,
sorting and pagination."""

import re

import pytest
from django.urls import reverse
from django.utils import timezone

from claims import strength
from claims.models import Claim, Evidence
from provenance.models import Source
from reader import pagination
from tests.builders import add_evidence, get_html, make_agent, make_claim, make_source, make_topic

pytestmark = pytest.mark.django_db


LIST = reverse("claims:list")


def statements(html):
    """The statements listed, in order."""
    return re.findall(r'<h3><a href="/claims/[^"]+/">([^<]+)</a></h3>', html)


def set_level(claim, level, *, support=0.0):
    """Store a level directly, as if the evidence had earned it."""
    Claim.objects.filter(pk=claim.pk).update(
        strength_level=level, strength_rank=strength.Level(level).rank, support_score=support
    )


@pytest.fixture
def claims():
    """Four published claims of different strengths, topics, subjects and dates."""
    cold_war = make_topic("Cold War")
    korea = make_topic("Korean War", parent=cold_war)
    taiwan = make_topic("Taiwan Strait crises", parent=cold_war)
    stalin, mao = make_agent("Joseph Stalin"), make_agent("Mao Zedong")
    approved = make_claim(
        "Stalin approved the invasion", date="1950-01/1950-06", subjects=[stalin], topics=[korea]
    )
    advisers = make_claim(
        "Soviet advisers drafted the battle plans",
        date="1950-05",
        subjects=[stalin],
        topics=[korea],
        summary="Colonel-level planners in Pyongyang.",
    )
    shelling = make_claim(
        "China did not warn Moscow before the shelling",
        date="1958-08",
        subjects=[mao],
        topics=[taiwan],
    )
    hanoi = make_claim("Moscow pushed Hanoi to talks", date="1968")
    add_evidence(approved, make_source("Telegrams", kind=Source.Kind.TELEGRAM, date="1950"))
    add_evidence(
        shelling,
        make_source("A memoir of the crisis", kind=Source.Kind.MEMOIR, date="1994"),
        stance=Evidence.Stance.SUPPORTS,
    )
    set_level(approved, "established", support=0.95)
    set_level(advisers, "moderate", support=0.6)
    set_level(shelling, "weak", support=0.3)
    set_level(hanoi, "none")
    return {"approved": approved, "advisers": advisers, "shelling": shelling, "hanoi": hanoi}


def test_list_shows_only_published_claims_with_their_badges(client, claims):
    make_claim("A draft nobody may see", status=Claim.Status.DRAFT)

    html = get_html(client, LIST)

    assert len(statements(html)) == 4
    assert "A draft nobody may see" not in html
    assert '<span class="badge__label">Established</span>' in html
    assert "4 claims." in html
    assert "pagination" not in html


def test_level_filter_takes_several_levels(client, claims):
    html = get_html(client, LIST + "?level=established&level=weak")

    assert set(statements(html)) == {
        "Stalin approved the invasion",
        "China did not warn Moscow before the shelling",
    }


def test_topic_filter_includes_claims_under_narrower_topics(client, claims):
    korea = claims["approved"].topics.get()

    assert set(statements(get_html(client, LIST + f"?topic={korea.slug}"))) == {
        "Stalin approved the invasion",
        "Soviet advisers drafted the battle plans",
    }
    cold_war = korea.parent
    assert len(statements(get_html(client, LIST + f"?topic={cold_war.slug}"))) == 3


def test_subject_filter_finds_claims_about_a_person(client, claims):
    mao = claims["shelling"].subjects.get()

    assert statements(get_html(client, LIST + f"?subject={mao.slug}")) == [
        "China did not warn Moscow before the shelling"
    ]


def test_source_kind_filter_finds_claims_with_evidence_from_that_kind(client, claims):
    assert statements(get_html(client, LIST + "?source_kind=memoir")) == [
        "China did not warn Moscow before the shelling"
    ]


def test_date_range_filter_compares_years_with_the_claimed_dates(client, claims):
    assert set(statements(get_html(client, LIST + "?from=1950&to=1950"))) == {
        "Stalin approved the invasion",
        "Soviet advisers drafted the battle plans",
    }
    assert statements(get_html(client, LIST + "?from=1960")) == ["Moscow pushed Hanoi to talks"]
    assert statements(get_html(client, LIST + "?to=1949")) == []


def test_text_search_looks_in_statement_and_summary_ignoring_case(client, claims):
    assert statements(get_html(client, LIST + "?q=SHELLING")) == [
        "China did not warn Moscow before the shelling"
    ]
    assert statements(get_html(client, LIST + "?q=colonel+planners")) == [
        "Soviet advisers drafted the battle plans"
    ]


def test_sorting_by_strength_both_ways_and_by_claimed_date(client, claims):
    assert statements(get_html(client, LIST + "?sort=strongest")) == [
        "Stalin approved the invasion",
        "Soviet advisers drafted the battle plans",
        "China did not warn Moscow before the shelling",
        "Moscow pushed Hanoi to talks",
    ]
    assert statements(get_html(client, LIST + "?sort=weakest"))[0] == "Moscow pushed Hanoi to talks"
    assert statements(get_html(client, LIST + "?sort=earliest")) == [
        "Stalin approved the invasion",
        "Soviet advisers drafted the battle plans",
        "China did not warn Moscow before the shelling",
        "Moscow pushed Hanoi to talks",
    ]


def test_recently_updated_comes_first_by_default(client, claims):
    Claim.objects.filter(pk=claims["hanoi"].pk).update(
        updated_at=timezone.now() + timezone.timedelta(days=1)
    )

    assert statements(get_html(client, LIST))[0] == "Moscow pushed Hanoi to talks"


def test_active_filters_show_as_chips_that_each_remove_one_filter(client, claims):
    korea = claims["approved"].topics.get()
    html = get_html(
        client, LIST + f"?level=established&level=moderate&topic={korea.slug}&q=soviet&page=1"
    )

    chips = html.split('<ul class="chips"')[1].split("</ul>")[0]
    assert "Strength: Established" in chips
    assert "Strength: Moderate" in chips
    assert "Topic: Korean War" in chips
    assert "Words: soviet" in chips
    # Each chip links to the same query without its own value (and without the page).
    removing_established = f'href="?level=moderate&amp;topic={korea.slug}&amp;q=soviet"'
    assert removing_established in chips
    removing_topic = 'href="?level=established&amp;level=moderate&amp;q=soviet"'
    assert removing_topic in chips
    assert "Clear all filters" in chips


def test_no_chips_without_filters(client, claims):
    assert '<ul class="chips"' not in get_html(client, LIST + "?sort=strongest")


def test_invalid_filter_values_are_reported_and_ignored_not_a_server_error(client, claims):
    html = get_html(client, LIST + "?level=certain&from=year&page=99")

    assert 'class="errorlist' in html
    assert len(statements(html)) == 4


def test_list_is_paginated_twenty_to_a_page_keeping_the_filters(client):
    for number in range(45):
        make_claim(f"Claim number {number:02d}")

    first = get_html(client, LIST + "?sort=statement&q=number")

    assert statements(first) == [f"Claim number {n:02d}" for n in range(20)]
    assert "45 claims." in first
    next_link = links(first)["next"]
    assert (
        next_link
        == "?sort=statement&q=number&after=" + Claim.objects.get(statement="Claim number 19").slug
    )
    second = get_html(client, LIST + next_link)
    assert statements(second) == [f"Claim number {n}" for n in range(20, 40)]
    third = get_html(client, LIST + links(second)["next"])
    assert statements(third) == [f"Claim number {n}" for n in range(40, 45)]
    assert "next" not in links(third)
    assert statements(get_html(client, LIST + links(third)["previous"])) == statements(second)
    assert statements(get_html(client, LIST + links(first)["last"])) == [
        f"Claim number {n}" for n in range(25, 45)
    ]


def links(html):
    """The pagination links of a page, by rel or name: first, previous, next, last."""
    nav = (
        html.split('<nav class="pagination"')[1].split("</nav>")[0] if "pagination" in html else ""
    )
    found = {}
    for href, text in re.findall(r'<a href="([^"]+)"[^>]*>([^<]+)<', nav):
        name = {"« First": "first", "‹ Previous": "previous", "Next": "next", "Last": "last"}[
            text.strip()
        ]
        found[name] = href.replace("&amp;", "&")
    return found


@pytest.mark.parametrize("sort", ["updated", "strongest", "weakest", "earliest", "latest"])
def test_following_next_reaches_every_claim_once_in_every_order(client, sort):
    # Ties on every key but the last, and claims without a date, which sort last.
    for number in range(23):
        claim = make_claim(f"Claim {number:02d}", date="1950" if number % 3 else "")
        set_level(claim, "strong" if number % 2 else "weak", support=0.5)
    Claim.objects.update(updated_at=timezone.now())

    html = get_html(client, LIST + f"?sort={sort}")
    seen = statements(html)
    while "next" in links(html):
        html = get_html(client, LIST + links(html)["next"])
        seen += statements(html)

    assert sorted(seen) == [f"Claim {number:02d}" for number in range(23)]
    assert len(seen) == 23
    if sort in ("earliest", "latest"):
        undated = {f"Claim {number:02d}" for number in range(0, 23, 3)}
        assert set(seen[-len(undated) :]) == undated


def test_the_last_page_and_the_page_before_it_join_up(client):
    for number in range(30):
        make_claim(f"Claim {number:02d}")

    last = get_html(client, LIST + "?sort=statement&page=last")
    before = get_html(client, LIST + links(last)["previous"])

    assert statements(last) == [f"Claim {n}" for n in range(10, 30)]
    assert statements(before) == [f"Claim {n:02d}" for n in range(10)]
    assert "previous" not in links(before)


def test_an_old_numbered_page_still_opens_and_one_past_the_end_shows_the_last(client):
    for number in range(45):
        make_claim(f"Claim number {number:02d}")

    assert statements(get_html(client, LIST + "?sort=statement&page=3")) == [
        f"Claim number {n}" for n in range(40, 45)
    ]
    assert statements(get_html(client, LIST + "?sort=statement&page=9")) == [
        f"Claim number {n}" for n in range(25, 45)
    ]


def test_a_page_after_a_claim_no_longer_listed_starts_again_and_says_so(client, claims):
    html = get_html(client, LIST + "?after=no-such-claim")

    assert "no longer listed" in html
    assert len(statements(html)) == 4


def test_a_drafts_slug_marks_no_place_in_the_list(client, claims):
    draft = make_claim("A draft nobody may see", status=Claim.Status.DRAFT)

    html = get_html(client, LIST + f"?sort=strongest&before={draft.slug}")

    assert "no longer listed" in html
    assert len(statements(html)) == 4


def test_a_large_total_is_counted_only_up_to_a_limit(client, claims, monkeypatch):
    monkeypatch.setattr(pagination, "COUNT_LIMIT", 3)

    assert "More than 3 claims." in get_html(client, LIST)
    assert "2 claims." in get_html(client, LIST + "?level=established&level=weak")


def test_chips_start_the_list_again_from_the_beginning(client, claims):
    html = get_html(client, LIST + f"?level=weak&after={claims['hanoi'].slug}")

    chips = html.split('<ul class="chips"')[1].split("</ul>")[0]
    assert 'href="?"' in chips


def test_filter_form_fields_are_labelled(client, claims):
    html = get_html(client, LIST)

    for field in (
        "id_q",
        "id_topic",
        "id_subject",
        "id_source_kind",
        "id_from",
        "id_to",
        "id_sort",
    ):
        assert f'for="{field}"' in html
        assert f'id="{field}"' in html
    assert "<legend>Strength of the evidence</legend>" in html


@pytest.mark.parametrize("count", [1, 45])
def test_list_reads_in_five_queries_however_many_claims(client, django_assert_num_queries, count):
    topic = make_topic("Korean War")
    subject = make_agent("Joseph Stalin")
    for number in range(count):
        make_claim(f"Claim {number}", topics=[topic], subjects=[subject])
    # 1 the topics for the filter; 2 the person named by the subject's slug; 3 the
    # count of matching claims (up to a limit); 4 this page of claims; 5 their topics.
    with django_assert_num_queries(5):
        html = get_html(
            client, LIST + f"?level=none&topic={topic.slug}&subject={subject.slug}&sort=strongest"
        )
    assert len(statements(html)) == min(count, 20)


@pytest.mark.parametrize("count", [2, 45])
def test_a_page_after_a_claim_reads_in_five_queries(client, django_assert_num_queries, count):
    topic = make_topic("Korean War")
    claims = [make_claim(f"Claim {number:02d}", topics=[topic]) for number in range(count)]
    # 1 the topics for the filter; 2 the count; 3 the keys of the claim the page
    # follows; 4 this page of claims; 5 their topics.
    with django_assert_num_queries(5):
        html = get_html(client, LIST + f"?sort=statement&after={claims[0].slug}")
    assert len(statements(html)) == min(count - 1, 20)


def test_last_page_reads_in_four_queries(client, django_assert_num_queries, claims):
    # 1 the topics for the filter; 2 the count; 3 the page, read from the end; 4 topics.
    with django_assert_num_queries(4):
        get_html(client, LIST + "?page=last")
