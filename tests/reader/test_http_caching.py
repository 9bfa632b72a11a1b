"""Public answers tell browsers and shared caches what they may keep (reader/cache.py):
an ETag and a Last-Modified, answered with 304 when the reader has the answer already;
Cache-Control for shared caches; and surrogate keys naming every record shown, which a
change names for purging as the page cache refreshes them. Nothing private is kept."""

import datetime
import re

import pytest
import time_machine
from django.urls import reverse
from django.utils.http import parse_http_date

from claims.models import Claim, Evidence, Presentation
from claims.visibility import public_agents, public_events, public_sources, public_topics
from provenance.models import Agent, AgentName, CustodyEvent, Event, Source
from reader import cache as page_cache
from reader.views.exports import CITATION_FORMATS, PROV_FORMATS
from tests.builders import (
    add_evidence,
    cite,
    make_agent,
    make_claim,
    make_event,
    make_presentation,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db

CLAIM = "stalin-approved-invasion"
# A claim that shares sources and people with CLAIM.
OTHER = "china-did-not-notify-soviets-1958"
SHARED = "public, max-age=0, s-maxage=60, stale-while-revalidate=30, stale-if-error=86400"


@pytest.fixture
def clock():
    """A clock that can be moved on: a page names its Last-Modified only once the
    second of its versions' last move is over."""
    with time_machine.travel(datetime.datetime.now(datetime.UTC)) as traveller:
        yield traveller


def keys(response):
    return set(response.get("Surrogate-Key", "").split())


def claim_keys(claim):
    """What the claim's answers show, read here from the models, not from the page's
    own reads: the claim, its subjects and topics, its sources with their makers, the
    events, presenters and reports of its presentations (sources it derives from too,
    not listed here)."""
    evidence = Evidence.objects.filter(claim=claim)
    presentations = Presentation.objects.filter(evidence__claim=claim)
    sources = Source.objects.filter(evidence__claim=claim)
    return {
        f"claim-{claim.pk}",
        *(f"agent-{pk}" for pk in claim.subjects.values_list("pk", flat=True)),
        *(f"topic-{pk}" for pk in claim.topics.values_list("pk", flat=True)),
        *(f"source-{pk}" for pk in evidence.values_list("source_id", flat=True)),
        *(f"agent-{pk}" for pk in sources.values_list("creator_roles__agent", flat=True) if pk),
        *(f"event-{pk}" for pk in presentations.values_list("event", flat=True) if pk),
        *(f"source-{pk}" for pk in presentations.values_list("reported_in", flat=True) if pk),
        *(f"agent-{pk}" for pk in presentations.values_list("presenters", flat=True) if pk),
    }


def public_routes():
    """Every kind of public answer on the demo data: (address, keys it must name)."""
    claim = Claim.objects.get(slug=CLAIM)
    shown = claim_keys(claim)
    source = Source.objects.get(slug="report-1966")
    agent = claim.subjects.order_by("pk").first()
    event = Event.objects.filter(presentations__evidence__claim=claim).first()
    topic = claim.topics.order_by("pk").first()
    listed = {f"claim-{pk}" for pk in Claim.objects.published().values_list("pk", flat=True)}
    # A citation file names the claim's sources; its PROV file also who presented them
    # where; neither names its topics.
    cited = {f"claim-{claim.pk}", *(key for key in shown if key.startswith("source-"))}
    in_prov = {key for key in shown if not key.startswith("topic-")}
    files = [
        *(
            (reverse(f"claims:sources_{format}", kwargs={"slug": CLAIM}), cited)
            for format in CITATION_FORMATS
        ),
        *(
            (reverse(f"claims:prov_{format}", kwargs={"slug": CLAIM}), in_prov)
            for format in PROV_FORMATS
        ),
    ]
    return [
        ("/", {"site", f"claim-{claim.pk}"}),
        ("/claims/", {"site"} | listed),
        ("/claims/?strength=strong&sort=-strength", {"site"}),
        (f"/claims/{CLAIM}/", shown),
        (f"/claims/{CLAIM}/?as_of=1969", shown),
        (f"/claims/{CLAIM}.json", shown),
        (f"/claims/{CLAIM}.json?as_of=1993-01-13", shown),
        *files,
        (f"/claims/{CLAIM}/feed/", shown),
        (source.get_absolute_url(), {"site", f"source-{source.pk}"}),
        (
            reverse("provenance:source_bibtex", kwargs={"slug": source.slug}),
            {f"source-{source.pk}"},
        ),
        (agent.get_absolute_url(), {"site", f"agent-{agent.pk}"}),
        (event.get_absolute_url(), {"site", f"event-{event.pk}"}),
        (reverse("claims:topic_feed", kwargs={"slug": topic.slug}), {"site", f"topic-{topic.pk}"}),
        ("/search/?q=Stalin", {"site"}),
        ("/feed/", {"site"}),
        ("/sitemap.xml", {"site"}),
        ("/methodology/", {"site"}),
        ("/api/claims", {"site"} | listed),
        (f"/api/claims/{CLAIM}", shown),
        (f"/api/sources/{source.slug}", {"site", f"source-{source.pk}"}),
        (f"/api/agents/{agent.slug}", {"site", f"agent-{agent.pk}"}),
        (f"/api/events/{event.slug}", {"site", f"event-{event.pk}"}),
        (f"/api/topics/{topic.slug}", {"site", f"topic-{topic.pk}"}),
        ("/api/sources", {"site"}),
        ("/api/openapi.json", {"site"}),
    ]


def test_every_public_answer_can_be_kept_revalidated_and_purged_by_its_records(
    client, demo_data, clock
):
    for address, expected in public_routes():
        client.get(address)  # its versions are made
        clock.shift(2)

        response = client.get(address)

        assert response.status_code == 200, address
        assert re.fullmatch(r'"[0-9a-f]{32}"', response["ETag"]), address
        assert parse_http_date(response["Last-Modified"]) <= datetime.datetime.now().timestamp()
        assert response["Cache-Control"] == SHARED, address
        assert "Cookie" in response["Vary"], address
        assert keys(response) >= expected, address
        assert response["xkey"] == response["Surrogate-Key"], address


def test_a_reader_who_has_the_answer_is_told_it_has_not_changed(client, demo_data, clock):
    for address, _ in public_routes():
        client.get(address)
        clock.shift(2)
        first = client.get(address)

        by_etag = client.get(address, HTTP_IF_NONE_MATCH=first["ETag"])
        by_date = client.get(address, HTTP_IF_MODIFIED_SINCE=first["Last-Modified"])

        for again in (by_etag, by_date):
            assert again.status_code == 304, address
            assert again.content == b""
            assert again["ETag"] == first["ETag"]
            assert again["Cache-Control"] == SHARED
            assert again["Surrogate-Key"] == first["Surrogate-Key"]
        assert client.get(address, HTTP_IF_NONE_MATCH='"another"').status_code == 200


@pytest.mark.parametrize("address", [f"/claims/{CLAIM}/", "/claims/", f"/api/claims/{CLAIM}"])
def test_a_304_from_the_page_cache_reads_nothing_from_the_database(
    client, demo_data, address, django_assert_num_queries
):
    etag = client.get(address)["ETag"]

    with django_assert_num_queries(0):
        again = client.get(address, HTTP_IF_NONE_MATCH=etag)

    assert (again.status_code, again["X-Cache"]) == (304, "hit")


def test_a_page_the_cache_has_lost_still_answers_304_when_it_is_the_same(client, demo_data):
    address = f"/claims/{CLAIM}/"
    etag = client.get(address)["ETag"]
    page_cache.cache.clear()

    again = client.get(address, HTTP_IF_NONE_MATCH=etag)

    assert (again.status_code, again["X-Cache"]) == (304, "miss")


def test_a_change_to_a_source_gives_every_answer_showing_it_a_new_etag(client, demo_data, clock):
    source = Source.objects.get(slug="report-1966")
    addresses = [f"/claims/{CLAIM}/", f"/claims/{CLAIM}.json", source.get_absolute_url()]
    before = {}
    for address in addresses:
        client.get(address)
        clock.shift(2)
        before[address] = client.get(address)

    source.title = "The 1966 report, retitled"
    source.save()
    clock.shift(2)

    for address in addresses:
        after = client.get(address, HTTP_IF_NONE_MATCH=before[address]["ETag"])
        assert after.status_code == 200, address
        assert after["ETag"] != before[address]["ETag"]
        assert parse_http_date(after["Last-Modified"]) > parse_http_date(
            before[address]["Last-Modified"]
        )
        assert b"retitled" in after.content


def test_a_page_just_changed_names_no_last_modified_until_that_second_is_over(client, demo_data):
    address = f"/claims/{CLAIM}/"
    # A stopped clock half way through a second: a ticking one could pass into the
    # next second between the change and the reading.
    middle_of_a_second = int(datetime.datetime.now(datetime.UTC).timestamp()) + 0.5
    with time_machine.travel(middle_of_a_second, tick=False) as clock:
        client.get(address)
        Claim.objects.get(slug=CLAIM).save()  # its versions move now

        assert "Last-Modified" not in client.get(address)
        clock.shift(1)
        named = parse_http_date(client.get(address)["Last-Modified"])
        assert named == middle_of_a_second + 0.5  # the end of the second it changed in


def private(response):
    directives = {part.strip() for part in response["Cache-Control"].split(",")}
    return {"private", "no-store"} <= directives and "Surrogate-Key" not in response


def test_a_draft_preview_the_admin_and_every_logged_in_answer_are_private(
    client, demo_data, editor
):
    draft = make_claim("A claim still in draft", status=Claim.Status.DRAFT)
    client.force_login(editor)

    for address in (
        draft.get_absolute_url(),
        f"/claims/{CLAIM}/",
        "/claims/",
        f"/api/claims/{CLAIM}",
        "/admin/",
        reverse("admin:claims_claim_change", args=[draft.pk]),
    ):
        response = client.get(address)
        assert response.status_code == 200, address
        assert private(response), address
        assert "ETag" not in response, address


@pytest.mark.parametrize(
    "address",
    [
        "/claims/no-such-claim/",
        "/claims/no-such-claim.json",
        f"/claims/{CLAIM}.json?as_of=someday",
        "/api/claims/no-such-claim",
        "/api/no/such/address",
    ],
)
def test_an_error_may_not_be_kept_by_a_shared_cache(client, demo_data, address):
    response = client.get(address)

    assert response.status_code != 200
    assert response["Cache-Control"] == "no-cache"
    assert "Surrogate-Key" not in response


def claim_addresses(slug):
    """Every answer cached under one claim's version."""
    return {
        f"/claims/{slug}/",
        f"/claims/{slug}.json",
        f"/claims/{slug}/feed/",
        f"/api/claims/{slug}",
        *(
            reverse(f"claims:{kind}_{format}", kwargs={"slug": slug})
            for kind, formats in (("sources", CITATION_FORMATS), ("prov", PROV_FORMATS))
            for format in formats
        ),
    }


def every_public_address(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    addresses = {
        re.sub(r"^https?://[^/]+", "", found) for found in re.findall(r"<loc>(.*?)</loc>", sitemap)
    }
    for slug in Claim.objects.published().values_list("slug", flat=True):
        addresses |= claim_addresses(slug)
    return sorted(addresses | {"/", "/claims/", "/feed/", "/search/?q=Stalin", "/api/claims"})


def test_no_answer_names_a_record_that_is_not_public(client, demo_data):
    hidden_source = make_source("A memorandum only a draft rests on")
    hidden_agent = make_agent("Someone only a draft is about")
    hidden_topic = make_topic("A topic only a draft is filed under")
    hidden_event = make_event("A meeting only a draft's evidence was shown at")
    draft = make_claim(
        "Only a draft says this",
        status=Claim.Status.DRAFT,
        subjects=[hidden_agent],
        topics=[hidden_topic],
    )
    make_presentation(add_evidence(draft, hidden_source), event=hidden_event)
    public = {
        "site",
        *(f"claim-{pk}" for pk in Claim.objects.published().values_list("pk", flat=True)),
        *(f"source-{pk}" for pk in public_sources().values_list("pk", flat=True)),
        *(f"agent-{pk}" for pk in public_agents().values_list("pk", flat=True)),
        *(f"event-{pk}" for pk in public_events().values_list("pk", flat=True)),
        *(f"topic-{pk}" for pk in public_topics().values_list("pk", flat=True)),
    }

    named = set()
    for address in every_public_address(client):
        response = client.get(address)
        assert response.status_code == 200, address
        named |= keys(response)

    assert named <= public, named - public
    assert f"claim-{draft.pk}" not in named


# Purging: a change names the keys of every answer it changes


def recorded_change(monkeypatch, django_capture_on_commit_callbacks, change):
    """(the page cache's versions that `change` moved, the keys it names to purge)."""
    moved, purged = set(), set()
    move = page_cache.move_versions
    monkeypatch.setattr(
        page_cache, "move_versions", lambda names: (moved.update(names), move(names))
    )

    def purge(sender, keys, **kwargs):
        purged.update(keys)

    page_cache.pages_changed.connect(purge)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            change()
    finally:
        page_cache.pages_changed.disconnect(purge)
        monkeypatch.setattr(page_cache, "move_versions", move)
    return moved, purged


def claim_of(address):
    """The claim whose version an answer is cached under, or None for a site page."""
    found = re.match(r"^/(?:api/)?claims/([-\w]+)(?=[/.]|$)", address)
    return found.group(1) if found else None


def _rename_source():
    source = Source.objects.get(slug="report-1966")
    source.title = "The report, renamed"
    source.save()


def _rename_subject():
    agent = Claim.objects.get(slug=CLAIM).subjects.order_by("pk").first()
    agent.name = "A subject, renamed"
    agent.save()


def _rename_event():
    event = Event.objects.filter(presentations__isnull=False).first()
    event.name = "A conference, renamed"
    event.save()


def _rename_topic():
    topic = Claim.objects.get(slug=CLAIM).topics.order_by("pk").first()
    topic.name = "A topic, renamed"
    topic.save()


def _add_a_presenter():
    presentation = Presentation.objects.filter(evidence__claim__slug=CLAIM).first()
    presentation.presenters.add(Agent.objects.filter(kind=Agent.Kind.PERSON).last())


def _add_a_citation():
    evidence = Evidence.objects.filter(claim__slug=CLAIM).order_by("pk")
    cite(evidence.last().source, make_source("A letter newly found", date="1950"))


def _add_evidence():
    add_evidence(Claim.objects.get(slug=OTHER), Source.objects.get(slug="report-1966"))


def _redate_custody():
    custody = CustodyEvent.objects.filter(source__evidence__claim__slug=CLAIM).first()
    custody.note = "Recorded again."
    custody.save()


def _unpublish():
    claim = Claim.objects.get(slug=CLAIM)
    claim.status = Claim.Status.DRAFT
    claim.save()


def _add_another_name():
    AgentName.objects.create(
        agent=Claim.objects.get(slug=CLAIM).subjects.order_by("pk").first(), name="Another name"
    )


@pytest.mark.parametrize(
    "change",
    [
        _rename_source,
        _rename_subject,
        _rename_event,
        _rename_topic,
        _add_a_presenter,
        _add_a_citation,
        _add_evidence,
        _redate_custody,
        _unpublish,
        _add_another_name,
    ],
)
def test_a_change_purges_every_answer_it_changes_and_only_what_the_page_cache_refreshes(
    client, demo_data, settings, monkeypatch, django_capture_on_commit_callbacks, change
):
    # Every answer rendered afresh: what changed is read from the pages themselves.
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.dummy.DummyCache"}}
    claim = Claim.objects.get(slug=CLAIM)
    records = [
        claim.subjects.order_by("pk").first(),
        claim.topics.order_by("pk").first(),
        Source.objects.get(slug="report-1966"),
        Event.objects.filter(presentations__evidence__claim=claim).first(),
    ]
    # Turtle writes the PROV document's blank nodes in no fixed order, so its bytes
    # change from one rendering to the next; the PROV JSON is the same document.
    watched = {
        address
        for address in claim_addresses(CLAIM) | claim_addresses(OTHER)
        if not address.endswith(".ttl")
    }
    watched |= {"/", "/claims/", "/search/?q=Stalin", "/api/claims"}
    watched |= {record.get_absolute_url() for record in records}
    before = {}
    for address in sorted(watched):
        response = client.get(address)
        before[address] = (_body(response), keys(response))

    moved, purged = recorded_change(monkeypatch, django_capture_on_commit_callbacks, change)

    slugs = dict(Claim.objects.values_list("pk", "slug"))
    moved_claims = {name.removeprefix("claim:") for name in moved if name.startswith("claim:")}
    purged_claims = {
        slugs.get(int(key.removeprefix("claim-"))) for key in purged if key.startswith("claim-")
    }
    assert purged_claims <= moved_claims | {None}
    assert {slug for slug in moved_claims if slug in slugs.values()} <= purged_claims
    changed = 0
    for address, (body, held) in before.items():
        response = client.get(address)
        reached = bool(held & purged)
        if _body(response) != body or response.status_code != 200:
            changed += 1
            assert reached, f"{address} changed but none of {sorted(held)} was purged"
        if reached and claim_of(address):
            # The page cache refreshes it too: its claim moved, or every claim page did.
            assert claim_of(address) in moved_claims or page_cache.NAMES in moved, address
    assert changed, "the change should change some answer"
    assert page_cache.SITE in moved and "site" in purged


def _body(response):
    # An Atom feed says when it was made: that alone is no change.
    return re.sub(rb"<updated>[^<]*</updated>", b"", response.content)


def test_the_shared_cache_header_follows_the_settings(client, demo_data, settings):
    address = f"/claims/{CLAIM}/"
    client.get(address)  # stored
    settings.HTTP_SHARED_MAX_AGE = 600
    settings.HTTP_STALE_IF_ERROR = 5
    for response in (client.get(address), client.get(address, HTTP_IF_NONE_MATCH='"x"')):
        assert response["X-Cache"] == "hit"
        assert response["Cache-Control"] == (
            "public, max-age=0, s-maxage=600, stale-while-revalidate=30, stale-if-error=5"
        )
