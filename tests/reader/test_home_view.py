"""The home page: what Corroborate is, featured and recently updated claims, and
counts of what is public."""

import pytest
from django.core.cache import cache
from django.urls import reverse
from django.utils import timezone

from claims import workflow
from claims.models import Claim, PublicFigure
from provenance.models import Source
from tests.builders import (
    add_evidence,
    korean_war_claim,
    make_agent,
    make_claim,
    make_event,
    make_source,
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


def test_home_page_reads_in_three_queries_with_its_counts_stored(
    client, django_assert_num_queries, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        korean_war_claim()
        for number in range(12):
            make_claim(f"Claim {number}", featured=number % 2 == 0)
    # 1 the stored counts; 2 featured claims; 3 recently updated claims.
    with django_assert_num_queries(3):
        get(client)


def test_home_page_counts_without_storing_when_nothing_stored_them(
    client, django_assert_num_queries
):
    korean_war_claim()  # its commit never comes: nothing stores the counts
    # 1 the stored counts, found missing; 2-5 counting claims, sources, people and
    # events; 6 featured claims; 7 recently updated claims. No write.
    with django_assert_num_queries(7) as queries:
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
