"""The home page: what Corroborate is, featured and recently updated claims, and
counts of what is public."""

import html
import re

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims import strength, workflow
from claims.models import Claim, PublicFigure, Topic
from provenance.models import Source
from tests.builders import (
    add_evidence,
    korean_war_claim,
    make_agent,
    make_claim,
    make_event,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db


def get(client):
    response = client.get(reverse("claims:home"))
    assert response.status_code == 200
    return response.content.decode()


def test_home_page_says_what_corroborate_is(client):
    html = get(client)

    assert "<h1" in html and "How do we know this?" in html
    assert "Corroborate follows historical claims back to the documents they rest on" in html
    assert "No claims have been published yet." in html


def test_home_page_features_claims_marked_featured_with_their_badges(client):
    featured = make_claim("A featured claim", featured=True)
    make_claim("An ordinary claim")

    html = get(client)

    section = html.split('id="featured-heading"')[1].split("</section>")[0]
    assert f'<a href="{featured.get_absolute_url()}">A featured claim</a>' in section
    assert "An ordinary claim" not in section
    assert '<span class="badge__label">No evidence recorded</span>' in section


def test_recently_updated_claims_come_newest_first(client):
    older = make_claim("Updated last week")
    newer = make_claim("Updated today")
    Claim.objects.filter(pk=older.pk).update(updated_at=timezone.now() - timezone.timedelta(7))

    section = get(client).split('id="recent-heading"')[1].split("</section>")[0]

    assert section.index(newer.statement) < section.index(older.statement)


def test_counts_include_only_what_bears_on_published_claims(client):
    korean_war_claim()  # 1 claim, 4 sources with evidence, 5 people, 1 event
    draft = make_claim("A draft claim", status=Claim.Status.DRAFT, subjects=[make_agent("Nobody")])
    add_evidence(draft, make_source("A source only a draft cites"))
    make_event("An event where nothing was presented")

    html = get(client)

    counts = html.split('<ul class="counts"')[1].split("</ul>")[0]
    assert "<strong>1</strong> published claim<" in counts
    # Memoir, telegrams, report, and the AP report that reported their presentation
    # (claims/visibility.py).
    assert "<strong>4</strong> sources behind them" in counts
    # Stalin (subject), Khrushchev (author), Weathersby and Holloway (presenters).
    assert "<strong>4</strong> people and organisations" in counts
    assert "<strong>1</strong> event in the history of their evidence" in counts


def test_home_page_reads_in_four_queries_with_its_counts_stored(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        korean_war_claim()
        for number in range(12):
            make_claim(f"Claim {number}", featured=number % 2 == 0)
    # 1 the stored counts; 2 featured claims; 3 recently updated claims; 4 the
    # published claims counted by level, over all and by broad topic.
    with django_assert_num_queries(4):
        get(client)


def test_home_page_counts_without_storing_when_nothing_stored_them(
    client, django_assert_num_queries
):
    korean_war_claim()  # its commit never comes: nothing stores the counts
    # 1 the stored counts, found missing; 2-5 counting claims, sources, people and
    # events; 6 featured claims; 7 recently updated claims; 8 claims by level and
    # topic. No write.
    with django_assert_num_queries(8) as queries:
        html = get(client)
    assert not any(
        q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE")) for q in queries
    )
    assert "<strong>1</strong> published claim<" in html
    assert not PublicFigure.objects.exists()


def counts_on(client):
    cache.clear()
    html = get(client)
    return html.split('<ul class="counts"')[1].split("</ul>")[0]


def test_publishing_or_unpublishing_a_claim_counts_again_when_it_commits(
    client, editor, django_capture_on_commit_callbacks
):
    committed = django_capture_on_commit_callbacks
    with committed(execute=True):
        korean_war_claim()
        draft = make_claim("A claim in draft", status=Claim.Status.IN_REVIEW)
    assert "<strong>1</strong> published claim<" in counts_on(client)

    with committed(execute=True):
        workflow.claim_publish(claim=draft, by=editor)
    assert PublicFigure.objects.get(name="claims").value == 2
    assert "<strong>2</strong> published claims" in counts_on(client)

    with committed(execute=True):
        workflow.claim_unpublish(claim=draft, by=editor, reason="Sources under review")
    assert "<strong>1</strong> published claim<" in counts_on(client)


def test_deleting_a_published_claim_counts_again_when_it_commits(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        korean_war_claim()
        other = make_claim("Another claim")
    assert "<strong>2</strong> published claims" in counts_on(client)
    with django_capture_on_commit_callbacks(execute=True):
        other.delete()
    assert PublicFigure.objects.get(name="claims").value == 1
    assert "<strong>1</strong> published claim<" in counts_on(client)


def test_a_change_to_the_evidence_of_a_published_claim_counts_again_when_it_commits(
    client, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        claim = korean_war_claim()
    assert "<strong>4</strong> sources behind" in counts_on(client)

    with django_capture_on_commit_callbacks(execute=True) as callbacks:
        add_evidence(claim, make_source("A new memoir", kind=Source.Kind.MEMOIR, date="1990"))
        add_evidence(claim, make_source("Another memoir", kind=Source.Kind.MEMOIR, date="1991"))
    assert "<strong>6</strong> sources behind" in counts_on(client)
    assert PublicFigure.objects.get(name="sources").value == 6
    assert len(callbacks) >= 2  # asked for twice, counted once


# The archive at a glance


def glance_of(html):
    return html.split('id="glance-heading"')[1].split("</section>")[0]


def stand_at(level, *claims):
    Claim.objects.filter(pk__in=[claim.pk for claim in claims]).update(
        strength_level=level.value, strength_rank=level.rank
    )


@pytest.fixture
def filed_claims():
    """Published claims at three levels, under Cold War, topics below it, and none; a
    claim filed deeper than the list's topic filter reaches; a draft."""
    cold_war = make_topic("Cold War")
    korean_war = make_topic("Korean War", parent=cold_war)
    outbreak = make_topic("Outbreak", parent=korean_war)
    first_day = make_topic("The first day", parent=outbreak)
    archives = make_topic("Cold War archives", parent=cold_war)
    katyn = make_topic("Second World War")
    strong = [
        make_claim("Stalin approved the attack", topics=[korean_war, archives]),
        make_claim("Kim asked Stalin twice", topics=[outbreak]),
        make_claim("The NKVD shot the officers", topics=[katyn]),
    ]
    weak = [
        make_claim("Mao was told in advance", topics=[cold_war]),
        make_claim("Soviet advisers drafted the plan", topics=[first_day]),
        make_claim("A claim filed nowhere"),
    ]
    stand_at(strength.Level.STRONG, *strong)
    stand_at(strength.Level.WEAK, *weak)
    stand_at(
        strength.Level.STRONG,
        make_claim("A strong draft", status=Claim.Status.DRAFT, topics=[korean_war]),
    )


def test_the_glance_counts_published_claims_at_each_level_over_all_and_by_broad_topic(
    client, filed_claims
):
    glance = glance_of(get(client))

    rows = re.findall(r'<th scope="row"><a href="[^"]*">([^<]+)</a> <span[^>]*>([^<]+)<', glance)
    assert rows == [
        ("All claims", "6 claims"),
        # A claim filed under two topics below Cold War counts once; the claim filed
        # three levels down does not count, as the list's filter would not show it.
        ("Cold War", "3 claims"),
        ("Second World War", "1 claim"),
    ]
    cold_war = Topic.objects.get(name="Cold War")
    assert re.search(
        f'<li><a href="/claims/[?]topic={cold_war.slug}&amp;level=strong">'
        ".*?</svg>Strong <strong>2</strong>",
        glance,
    )
    assert "draft" not in glance


def test_every_figure_of_the_glance_links_to_a_list_of_that_many_claims(client, filed_claims):
    glance = glance_of(get(client))
    figures = re.findall(
        r'<li><a href="([^"]+)">.*?</svg>([A-Z][a-z ]+) <strong>(\d+)</strong>', glance
    )

    assert len(figures) == 5
    for url, level, count in figures:
        listed = client.get(html.unescape(url)).content.decode()
        assert f'<p role="status">{count} claim' in listed, (url, level)


def test_the_glance_bar_is_hidden_from_screen_readers_which_get_a_table(client, filed_claims):
    glance = glance_of(get(client))

    assert '<table class="glance__table"' in glance and "<caption" in glance
    assert '<th scope="col">Topic</th>' in glance
    bar = glance.split('<svg class="glance__bar"')[1].split("</svg>")[0]
    assert 'aria-hidden="true"' in bar
    # The bar's links are out of the tab order; the same links in words are in it.
    assert bar.count('tabindex="-1"') == bar.count("<a ") == 2
    assert bar.count("<title>All claims: Strong, 3</title>") == 1


def test_the_glance_is_left_out_when_nothing_is_published(client):
    make_claim("A draft", status=Claim.Status.DRAFT)

    assert 'id="glance-heading"' not in get(client)


def test_recently_updated_claims_are_short_cards_beside_the_featured_ones(client):
    make_claim("A featured claim", featured=True, summary="Why it matters.")
    for number in range(8):
        make_claim(f"Claim {number}", summary=f"Summary {number}.")

    recent = get(client).split('id="recent-heading"')[1].split("</section>")[0]

    assert recent.count('class="claim-card"') == 6
    assert "Summary" not in recent
