"""The Atom feed of recently published or re-assessed claims, the sitemap and
robots.txt."""

import datetime
import xml.etree.ElementTree as ElementTree

import pytest
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from provenance.models import Source
from tests.builders import add_evidence, korean_war_claim, make_claim, make_source

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"
SITEMAP = "{http://www.sitemaps.org/schemas/sitemap/0.9}"


def feed(client):
    response = client.get(reverse("claims:feed"))
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/atom+xml")
    return ElementTree.fromstring(response.content)


def test_feed_lists_published_claims_with_their_strength(client):
    claim = korean_war_claim()

    (entry,) = feed(client).findall(f"{ATOM}entry")

    assert entry.find(f"{ATOM}title").text == f"{claim.statement} (Established)"
    assert entry.find(f"{ATOM}link").get("href") == f"http://testserver{claim.get_absolute_url()}"
    assert "Strength of the evidence: Established." in entry.find(f"{ATOM}summary").text


def test_feed_puts_the_most_recently_published_or_reassessed_claim_first(client):
    now = timezone.now()
    old = make_claim("Published long ago", published_at=now - datetime.timedelta(days=300))
    make_claim("Published last month", published_at=now - datetime.timedelta(days=30))
    add_evidence(old, make_source("A telegram", kind=Source.Kind.TELEGRAM, date="1950"))

    entries = feed(client).findall(f"{ATOM}entry")
    titles = [entry.find(f"{ATOM}title").text for entry in entries]

    assert titles[0].startswith("Published long ago")  # new evidence today
    assert titles[1].startswith("Published last month")


def test_feed_dates_are_the_stored_ones_not_when_claims_were_last_assessed(client):
    published = timezone.now() - datetime.timedelta(days=30)
    claim = make_claim("Published last month", published_at=published)
    Claim.objects.filter(pk=claim.pk).update(assessed_at=timezone.now())  # e.g. a restore

    (entry,) = feed(client).findall(f"{ATOM}entry")

    updated = datetime.datetime.fromisoformat(entry.find(f"{ATOM}updated").text)
    assert updated == published


def test_feed_reads_in_one_query(client, django_assert_num_queries):
    for number in range(5):
        make_claim(f"Claim {number}")
    with django_assert_num_queries(1):  # the latest published claims
        client.get(reverse("claims:feed"))


def test_sitemap_lists_published_claims_and_the_main_pages(client):
    claim = korean_war_claim()

    response = client.get("/sitemap.xml")

    assert response.status_code == 200
    locations = {
        url.find(f"{SITEMAP}loc").text
        for url in ElementTree.fromstring(response.content).findall(f"{SITEMAP}url")
    }
    assert f"http://testserver{claim.get_absolute_url()}" in locations
    assert {
        "http://testserver/",
        "http://testserver/claims/",
        "http://testserver/methodology/",
    } <= locations


def test_robots_txt_disallows_the_admin_and_points_to_the_sitemap(client):
    response = client.get("/robots.txt")

    assert response.status_code == 200
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    text = response.content.decode()
    assert "User-agent: *\nDisallow: /admin/\n" in text
    assert "Sitemap: http://testserver/sitemap.xml" in text
