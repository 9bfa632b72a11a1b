"""The Atom feeds keep RFC 4287 (read back with feedparser and checked element by
element): the site's feed, a topic's and a claim's own, which lists its changes of
verdict and its corrections, dated only by stored dates."""

import datetime
import xml.etree.ElementTree as ElementTree
from urllib.parse import urlparse

import feedparser
import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from claims.models import Claim
from provenance.models import Source
from tests.builders import (
    add_evidence,
    get_html,
    korean_war_claim,
    log_correction,
    make_claim,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db

ATOM = "{http://www.w3.org/2005/Atom}"


def fetch(client, url):
    response = client.get(url)
    assert response.status_code == 200, url
    assert response["Content-Type"].startswith("application/atom+xml")
    return response.content


def assert_rfc4287(content):
    """The elements RFC 4287 requires (4.1.1, 4.1.2), with absolute ids, and a parse
    without complaint."""
    parsed = feedparser.parse(content)
    assert parsed.bozo == 0, parsed.get("bozo_exception")
    assert parsed.version == "atom10"
    root = ElementTree.fromstring(content)
    for name in ("id", "title", "updated", "author"):
        assert root.find(f"{ATOM}{name}") is not None, name
    assert root.find(f"{ATOM}author/{ATOM}name").text == "Corroborate"
    assert root.find(f"{ATOM}link[@rel='self']") is not None
    entries = root.findall(f"{ATOM}entry")
    ids = [entry.find(f"{ATOM}id").text for entry in entries]
    assert len(set(ids)) == len(ids), "entry ids are unique"
    for entry, entry_id in zip(entries, ids, strict=True):
        assert urlparse(entry_id).scheme in ("http", "https"), entry_id
        for name in ("title", "updated"):
            assert entry.find(f"{ATOM}{name}").text, name
        assert entry.find(f"{ATOM}link[@rel='alternate']") is not None
    assert urlparse(root.find(f"{ATOM}id").text).scheme in ("http", "https")
    return parsed


def test_the_site_feed_keeps_rfc_4287_with_absolute_entry_ids(client):
    claim = korean_war_claim()

    parsed = assert_rfc4287(fetch(client, reverse("claims:feed")))

    (entry,) = parsed.entries
    assert entry.id == f"http://testserver{claim.get_absolute_url()}"
    assert parsed.feed.author == "Corroborate"


def test_a_claims_feed_lists_each_change_of_its_verdict_dated_by_the_evidence(client):
    claim = korean_war_claim()

    parsed = assert_rfc4287(fetch(client, reverse("claims:claim_feed", args=[claim.slug])))

    verdicts = [entry for entry in parsed.entries if entry.tags[0].term == "verdict"]
    # As the page's history line: the memoir's doubt and authentication fold into
    # "Weak"; today's verdict (undated sources) is the publication entry's.
    assert [entry.title for entry in verdicts] == [
        "Strong from 12 January 1993",
        "Moderate from 1990",
        "Weak from 1970",
    ]
    assert [entry.updated[:10] for entry in verdicts] == ["1993-01-12", "1990-12-31", "1970-12-31"]
    assert verdicts[-1].link == f"http://testserver{claim.get_absolute_url()}?as_of=1970-12-31"
    assert "“Khrushchev Remembers”: published" in verdicts[-1].summary


def test_a_claims_feed_lists_its_log_of_corrections_and_updates(client, editor):
    published = timezone.now() - datetime.timedelta(days=30)
    claim = make_claim("A claim published last month", published_at=published)
    add_evidence(claim, make_source("An old telegram", kind=Source.Kind.TELEGRAM))
    entry = log_correction(claim, editor, "The telegram's date was corrected.")

    parsed = assert_rfc4287(fetch(client, reverse("claims:claim_feed", args=[claim.slug])))

    corrections = [e for e in parsed.entries if e.tags[0].term == "correction"]
    assert [e.title for e in corrections] == ["Correction: The telegram's date was corrected."]
    assert corrections[0].link.endswith(f"{claim.get_absolute_url()}#correction-{entry.pk}")
    assert datetime.datetime.fromisoformat(corrections[0].updated) == entry.at_second
    page = client.get(claim.get_absolute_url()).content.decode()
    assert f'id="correction-{entry.pk}"' in page
    (publication,) = [e for e in parsed.entries if e.tags[0].term == "publication"]
    assert datetime.datetime.fromisoformat(publication.updated) == published


def test_feed_dates_never_come_from_the_clock_of_the_request(client):
    claim = korean_war_claim()
    url = reverse("claims:claim_feed", args=[claim.slug])
    first = fetch(client, url)

    with time_machine.travel(timezone.now() + datetime.timedelta(days=400)):
        from django.core.cache import cache

        cache.clear()
        later = fetch(client, url)

    assert later == first


def test_a_topics_feed_lists_the_claims_under_it_and_under_its_narrower_topics(client):
    cold_war = make_topic("Cold War")
    korea = make_topic("Korean War", parent=cold_war)
    claim = korean_war_claim()
    claim.topics.add(korea)
    make_claim("A claim on no topic")

    parsed = assert_rfc4287(fetch(client, reverse("claims:topic_feed", args=[cold_war.slug])))

    assert [entry.link for entry in parsed.entries] == [
        f"http://testserver{claim.get_absolute_url()}"
    ]
    assert "Cold War" in parsed.feed.title


def test_a_draft_claim_and_a_topic_only_drafts_use_have_no_feed(client):
    draft = korean_war_claim(status=Claim.Status.DRAFT)
    topic = make_topic("Unpublished topic")
    draft.topics.add(topic)

    assert client.get(reverse("claims:claim_feed", args=[draft.slug])).status_code == 404
    assert client.get(reverse("claims:topic_feed", args=[topic.slug])).status_code == 404


def test_the_claim_page_and_a_topic_list_link_their_feeds_in_the_head(client):
    topic = make_topic("Korean War")
    claim = korean_war_claim()
    claim.topics.add(topic)

    claim_page = get_html(client, claim.get_absolute_url())
    topic_list = get_html(client, f"{reverse('claims:list')}?topic={topic.slug}")

    feed = reverse("claims:claim_feed", args=[claim.slug])
    assert f'<link rel="alternate" type="application/atom+xml" href="{feed}"' in claim_page
    topic_feed = reverse("claims:topic_feed", args=[topic.slug])
    assert f'<link rel="alternate" type="application/atom+xml" href="{topic_feed}"' in topic_list


def test_a_claims_feed_reads_in_a_fixed_number_of_queries(client, django_assert_num_queries):
    claim = korean_war_claim()
    url = reverse("claims:claim_feed", args=[claim.slug])
    # The claim; its subjects and topics; its evidence (4); the citations behind it;
    # its log of corrections and updates.
    with django_assert_num_queries(8):
        client.get(url)


def test_a_topics_feed_reads_in_two_queries(client, django_assert_num_queries):
    topic = make_topic("Korean War")
    for number in range(3):
        make_claim(f"Claim {number}").topics.add(topic)
    # The topic, found public; its latest claims.
    with django_assert_num_queries(2):
        client.get(reverse("claims:topic_feed", args=[topic.slug]))
