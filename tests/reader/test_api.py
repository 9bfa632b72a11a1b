"""The read API under /api/ (reader/api.py): what programs read, in the shapes of
docs/api.md, only what is public, with ETags, CORS and JSON errors, each endpoint in a
fixed number of queries. tests/reader/test_api_schema.py checks every answer against
the OpenAPI document."""

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from hypothesis import given
from hypothesis import strategies as st

from claims.models import Claim
from provenance.models import CustodyEvent, Source
from reader.filters import SORTS
from tests.builders import (
    add_evidence,
    cite,
    korean_war_claim,
    make_affiliation,
    make_agent,
    make_claim,
    make_custody_event,
    make_event,
    make_organisation,
    make_presentation,
    make_public,
    make_source,
    make_topic,
)
from tests.reader.test_public_inputs_fuzzed import FUZZ, NASTY, value
from tests.reader.test_visibility import ALOOF, SECRET, set_status, world  # noqa: F401

pytestmark = pytest.mark.django_db


def api(client, path, data=None, **headers):
    return client.get(f"/api/{path}", data, **headers)


@pytest.fixture
def claim():
    return korean_war_claim()


# Claims


def test_a_claim_answers_what_its_json_address_answers_today_and_as_of_a_date(client, claim):
    for query in ("", "?as_of=1993"):
        from_api = api(client, f"claims/{claim.slug}{query}")
        from_json = client.get(reverse("claims:json", kwargs={"slug": claim.slug}) + query)

        assert from_api.status_code == 200
        assert from_api.json() == from_json.json()
    assert api(client, f"claims/{claim.slug}?as_of=1993").json()["assessment"]["as_of"] == (
        "1993-12-31"
    )


def test_a_draft_claim_is_not_found_and_says_so_in_json(client):
    draft = korean_war_claim(status=Claim.Status.DRAFT)

    response = api(client, f"claims/{draft.slug}")

    assert response.status_code == 404
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response.json() == {"error": "No published claim has this address.", "parameter": None}


def test_the_claim_list_filters_sorts_and_pages_as_the_list_page_does(client):
    korea = make_topic("Korean War")
    stalin = make_agent("Joseph Stalin")
    titles = [f"Claim {letter}" for letter in "ABCDE"]
    for title in titles:
        make_claim(title, topics=[korea], subjects=[stalin], date="1950")
    make_claim("Claim about something else", date="1968")
    make_claim("A draft on Korea", topics=[korea], status=Claim.Status.DRAFT)

    first = api(client, "claims", {"topic": korea.slug, "sort": "statement", "limit": 2}).json()
    second = client.get(first["next"]).json()
    last = client.get(first["last"]).json()

    assert first["count"] == 5 and not first["count_is_capped"]
    assert [item["statement"] for item in first["results"]] == titles[:2]
    assert [item["statement"] for item in second["results"]] == titles[2:4]
    assert [item["statement"] for item in last["results"]] == titles[3:]
    assert first["previous"] is None and last["next"] is None
    assert [item["statement"] for item in client.get(second["previous"]).json()["results"]] == (
        titles[:2]
    )
    item, slug = first["results"][0], first["results"][0]["slug"]
    assert item["topics"] == [
        {
            "slug": korea.slug,
            "name": "Korean War",
            "url": f"http://testserver/claims/?topic={korea.slug}",
        }
    ]
    assert item["api_url"] == f"http://testserver/api/claims/{slug}"
    assert item["url"] == f"http://testserver/claims/{slug}/"
    about = api(client, "claims", {"subject": stalin.slug, "from": 1950, "to": 1950}).json()
    assert about["count"] == 5


@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ({"level": "certain"}, "level"),
        ({"topic": "no-such-topic"}, "topic"),
        ({"subject": "Nobody At All"}, "subject"),
        ({"from": "1950s"}, "from"),
        ({"to": "0"}, "to"),
        ({"sort": "random"}, "sort"),
        ({"limit": "1000"}, "limit"),
        ({"after": "no-such-claim"}, "after"),
        ({"q": "Stalin\x00"}, "q"),
    ],
)
def test_a_bad_parameter_answers_400_with_a_json_error_naming_it(client, claim, query, parameter):
    response = api(client, "claims", query)

    assert response.status_code == 400
    assert response.json()["parameter"] == parameter
    assert response.json()["error"]


def test_an_impossible_as_of_date_answers_the_claim_jsons_error(client, claim):
    response = api(client, f"claims/{claim.slug}", {"as_of": "1969-13"})

    assert response.status_code == 400
    assert response.json() == {
        "error": "“1969-13” is not a date in the calendar. Write a year (1969), a month "
        "(1969-12) or a day (1969-12-31).",
        "parameter": "as_of",
    }


def test_an_address_the_api_does_not_have_answers_404_in_json(client):
    for path in ("nothing", "claims/a/b", "sources/not%20a%20slug", "claims/line%0Abreak"):
        response = api(client, path)

        assert response.status_code == 404, path
        assert response.json()["error"] == "Nothing public has this address.", path


# Sources, people and organisations, events, topics


def test_a_source_carries_its_custody_judgements_citations_and_claims(client, claim):
    later = make_source("A later study", kind=Source.Kind.BOOK, date="2001")
    cite(later, Source.objects.get(slug="report-1966"))
    make_public(later)

    data = api(client, "sources/report-1966").json()

    assert data["title"] == "On the Korean War, 1950–53, and the armistice negotiations"
    assert data["access"] == {
        "value": "declassified",
        "label": "Declassified",
        "since": "1993-01-12",
    }
    assert [(step["kind"], step["date"], step["access"]) for step in data["custody"]] == [
        ("classified", "1966-08-09", "classified"),
        ("declassified", "1993-01-12", "declassified"),
    ]
    assert [item["source"]["slug"] for item in data["cites"]["results"]] == ["telegrams"]
    assert [item["source"]["slug"] for item in data["cited_by"]["results"]] == [later.slug]
    assert data["cited_by"]["count"] == 1
    assert [item["claim"]["slug"] for item in data["claims"]["results"]] == [claim.slug]
    memoir = api(client, "sources/khrushchev-remembers").json()
    assert [step["authenticity"] for step in memoir["custody"]] == [
        None,
        "doubtful",
        "authenticated",
    ]
    assert memoir["authenticity"]["since"] == "1990"


def test_a_person_carries_the_claims_about_them_and_what_they_presented(client, claim):
    stalin = api(client, "agents/joseph-stalin").json()
    weathersby = api(client, "agents/kathryn-weathersby").json()

    assert [item["slug"] for item in stalin["claims"]["results"]] == [claim.slug]
    assert stalin["kind"] == "person"
    presented = weathersby["presented"]["results"]
    assert [(item["claim"]["slug"], item["source"]["slug"]) for item in presented] == [
        (claim.slug, "report-1966")
    ]
    assert presented[0]["event"]["slug"] == "cwihp-moscow-1993"
    assert presented[0]["reported_in"]["slug"] == "ap-1993-01-13"


def test_an_event_carries_what_was_presented_there(client, claim):
    data = api(client, "events/cwihp-moscow-1993").json()

    assert data["place"] == "Russian Academy of Sciences, Moscow"
    assert [item["claim"]["slug"] for item in data["presented"]["results"]] == [claim.slug]


def test_a_topic_names_its_broader_topic_only_when_that_is_public(client):
    world_history = make_topic("World history")
    cold_war = make_topic("Cold War", parent=world_history)
    korea = make_topic("Korean War", parent=cold_war)
    battles = make_topic("Battles", parent=korea)
    make_claim("Inchon was a surprise", topics=[battles])

    topics = {item["slug"]: item for item in api(client, "topics").json()["results"]}

    assert set(topics) == {battles.slug, korea.slug, cold_war.slug}
    assert topics[battles.slug]["parent"]["slug"] == korea.slug
    assert topics[cold_war.slug]["parent"] is None  # three levels above the claim
    assert api(client, f"topics/{world_history.slug}").status_code == 404
    korea_answer = api(client, f"topics/{korea.slug}").json()
    assert [child["slug"] for child in korea_answer["children"]] == [battles.slug]
    assert korea_answer["claims_api_url"] == f"http://testserver/api/claims?topic={korea.slug}"


def test_record_lists_page_by_slug_to_the_end(client):
    for number in range(5):
        make_public(make_source(f"Source {number}", kind=Source.Kind.BOOK))

    seen, address = [], "/api/sources?limit=2"
    while address:
        page = client.get(address).json()
        seen += [item["slug"] for item in page["results"]]
        address = page["next"]

    public = Source.objects.filter(slug__startswith="source-").values_list("slug", flat=True)
    assert [slug for slug in seen if slug.startswith("source-")] == sorted(public)
    assert seen == sorted(seen) and len(seen) == len(set(seen))


# Only what is public


API_LISTS = ["claims", "sources", "agents", "events", "topics"]


def api_surfaces(client):
    return {name: api(client, name, {"limit": 100}).content.decode() for name in API_LISTS}


def test_no_api_list_shows_a_record_only_an_unpublished_claim_rests_on(
    client,
    world,  # noqa: F811
    django_capture_on_commit_callbacks,
):
    records = [record for kind in world["records"].values() for record in kind]
    details = {
        Source: "sources",
        type(world["institute"]): "agents",
        type(world["conference"]): "events",
    }

    for name, body in api_surfaces(client).items():
        assert SECRET not in body, name
        assert ALOOF not in body, name
    for record in records:
        assert api(client, f"{details[type(record)]}/{record.slug}").status_code == 404, record
    for topic in world["topics"]:
        assert api(client, f"topics/{topic.slug}").status_code == 404
    assert api(client, f"claims/{world['unpublished'].slug}").status_code == 404

    set_status(world["unpublished"], Claim.Status.PUBLISHED, django_capture_on_commit_callbacks)

    shown = api_surfaces(client)
    for record in records:
        assert f'"slug": "{record.slug}"' in shown[details[type(record)]], record
    for topic in world["topics"]:
        assert f'"slug": "{topic.slug}"' in shown["topics"]
    assert ALOOF not in "".join(shown.values())


def test_a_source_lists_only_public_sources_among_those_citing_it(client):
    public = make_source("The public report", kind=Source.Kind.REPORT)
    make_public(public)
    secret = make_source(f"{SECRET} memorandum", kind=Source.Kind.MEMORANDUM)
    cite(secret, public)
    add_evidence(make_claim("Only a draft", status=Claim.Status.DRAFT), secret)

    data = api(client, f"sources/{public.slug}").json()

    assert data["cited_by"] == {
        "page": 1,
        "next_page": None,
        "previous_page": None,
        "count": 0,
        "pages": 1,
        "results": [],
    }


# HTTP: caching, CORS, errors


def test_an_answer_the_reader_already_has_answers_304(client, claim):
    for path in (f"claims/{claim.slug}", "claims", "sources/report-1966", "openapi.json"):
        first = api(client, path)
        etag = first["ETag"]

        again = api(client, path, HTTP_IF_NONE_MATCH=etag)

        assert again.status_code == 304, path
        assert again.content == b""
        assert api(client, path, HTTP_IF_NONE_MATCH='"something-else"').status_code == 200


def test_any_site_may_read_every_answer_errors_included(client, claim):
    for path in (
        "claims",
        f"claims/{claim.slug}",
        "claims?sort=random",
        "claims/no-such-claim",
        "no/such/address",
        "openapi.json",
        "docs",
    ):
        assert api(client, path)["Access-Control-Allow-Origin"] == "*", path


def served_head(address):
    """The answer to a HEAD request as the application hands it to the server: the test
    client would drop a HEAD answer's body itself."""
    from django.core.handlers.wsgi import WSGIHandler
    from django.test import RequestFactory

    return WSGIHandler().get_response(RequestFactory().head(f"/api/{address}"))


def test_head_answers_as_get_does_without_the_body(client, claim):
    for address in (f"claims/{claim.slug}", "claims?level=strong", "sources", "openapi.json"):
        got = api(client, address)

        head = served_head(address)

        assert head.status_code == 200, address
        assert head.content == b"", address
        assert head["Content-Length"] == str(len(got.content)), address
        for name in ("Content-Type", "ETag", "Access-Control-Allow-Origin"):
            assert head[name] == got[name], (address, name)
        head = client.head(f"/api/{address}", HTTP_IF_NONE_MATCH=got["ETag"])
        assert head.status_code == 304, address


def test_a_head_request_for_what_is_not_public_answers_404(client):
    make_claim("A draft", status=Claim.Status.DRAFT, slug="a-draft")

    assert client.head("/api/claims/a-draft").status_code == 404
    assert client.head("/api/claims?level=nonsense").status_code == 400


def test_a_cors_preflight_is_told_what_a_page_elsewhere_may_ask(client, claim):
    for path in ("claims", f"claims/{claim.slug}", "sources", "openapi.json"):
        response = client.options(
            f"/api/{path}",
            HTTP_ORIGIN="https://notebook.example",
            HTTP_ACCESS_CONTROL_REQUEST_METHOD="GET",
            HTTP_ACCESS_CONTROL_REQUEST_HEADERS="if-none-match",
        )

        assert response.status_code == 204, path
        assert response.content == b""
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response["Access-Control-Allow-Methods"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Headers"] == "*"
        assert int(response["Access-Control-Max-Age"]) > 0
        assert response["Allow"] == "GET, HEAD, OPTIONS"


def test_a_method_that_would_write_answers_405_in_json(client, claim):
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(f"/api/claims/{claim.slug}")

        assert response.status_code == 405, method
        assert response["Allow"] == "GET, HEAD, OPTIONS"
        assert response["Access-Control-Allow-Origin"] == "*"
        assert response.json() == {"error": "This API only reads: use GET.", "parameter": None}
    assert Claim.objects.filter(slug=claim.slug).exists()


def test_the_schema_names_only_the_get_operations(client):
    schema = api(client, "openapi.json").json()

    assert {method for operations in schema["paths"].values() for method in operations} == {"get"}


def test_the_schema_is_openapi_3_and_names_every_resource(client):
    schema = api(client, "openapi.json").json()

    assert schema["openapi"].startswith("3.")
    assert set(schema["paths"]) == {
        f"/api/{name}{tail}" for name in API_LISTS for tail in ("", "/{slug}")
    }


def test_the_apis_own_address_leads_to_its_documentation_page(client):
    response = client.get("/api/")

    assert response.status_code == 302
    assert response["Location"] == "/api/docs"


def test_the_documentation_page_loads_nothing_from_another_site(client):
    page = api(client, "docs").content.decode()

    # What the page loads, and what its button loads: Swagger UI's files.
    loaded = re.findall(r'<script[^>]* src="([^"]*)"', page)
    loaded += re.findall(r'<link rel="(?:stylesheet|icon)" href="([^"]*)"', page)
    loaded += re.findall(r'data-css="([^"]*)"', page)
    loaded += " ".join(re.findall(r'data-scripts="([^"]*)"', page)).split()
    assert any(address.endswith("swagger-ui-bundle.js") for address in loaded)
    for address in loaded:
        assert address.startswith("/") and not address.startswith("//"), address
    assert '"url": "/api/openapi.json"' in page


def test_the_documentation_page_lists_every_operation_without_javascript(client):
    page = api(client, "docs").content.decode()

    schema = api(client, "openapi.json").json()
    for path in schema["paths"]:
        assert f"<code>{path}</code>" in page, path
    assert "Takes one of updated, strongest, weakest, earliest, latest, statement" in page


def test_repeated_reads_are_served_from_the_page_cache_and_moved_by_a_change(client, claim):
    assert api(client, f"claims/{claim.slug}")["X-Cache"] == "miss"
    assert api(client, f"claims/{claim.slug}")["X-Cache"] == "hit"

    claim.statement = "Stalin approved the invasion in spring 1950"
    claim.save()

    response = api(client, f"claims/{claim.slug}")
    assert response["X-Cache"] == "miss"
    assert response.json()["statement"] == "Stalin approved the invasion in spring 1950"


@FUZZ
@given(
    path=st.sampled_from(API_LISTS),
    name=st.sampled_from(["after", "limit", "q", "page"]),
    text=value,
)
def test_no_parameter_makes_an_api_list_fail(demo_client, path, name, text):
    assert api(demo_client, path, {name: text}).status_code in (200, 400)


@FUZZ
@given(path=st.sampled_from(API_LISTS), slug=st.one_of(st.sampled_from(NASTY), value))
def test_no_address_makes_the_api_fail(demo_client, path, slug):
    from urllib.parse import quote

    assert api(demo_client, f"{path}/{quote(slug, safe='')}").status_code in (200, 404)


@pytest.fixture
def demo_client(client, demo_data):
    return client


def test_no_api_read_writes(client, demo_data):
    from tests.reader.test_reads_never_write import WRITES

    addresses = ["openapi.json", "docs", "claims?sort=strongest&level=strong"]
    addresses += [
        f"{name}/{item['slug']}"
        for name in API_LISTS
        for item in api(client, name, {"limit": 100}).json()["results"]
    ]
    for address in addresses:
        with CaptureQueriesContext(connection) as queries:
            assert api(client, address).status_code == 200, address
        assert not [query for query in queries if WRITES.match(query["sql"])], address


# Queries: each endpoint reads in a fixed number, however much it lists


@pytest.fixture(params=[1, 21], ids=["one", "more than a page"])
def archive(request):
    """An organisation that is the subject of claims, made and holds sources, presented
    evidence at an event it organised, with other names and an affiliation; and a
    source with creators, custody, citations both ways and claims: `request.param` of
    each related record."""
    items = request.param
    body = make_organisation("State Archive", other_names=["Gosarkhiv"])
    make_affiliation(body, make_organisation("Ministry"), role="department")
    topic = make_topic("Cold War archives", parent=make_topic("Archives"))
    conference = make_event("Conference", date="1993", organisers=[body])
    report = make_source("The report", kind=Source.Kind.REPORT, date="1966", archive=body)
    for number in range(items):
        person = make_agent(f"Person {number}")
        Source.creators.through.objects.create(source=report, agent=person, position=number)
        make_custody_event(
            report, CustodyEvent.Kind.CITED, f"{1967 + number}", agents=[person], event=conference
        )
        cite(report, make_source(f"Older {number}", kind=Source.Kind.TELEGRAM, archive=body))
        later = make_source(f"Later {number}", kind=Source.Kind.BOOK, creators=[body])
        cite(later, report)
        make_public(later)
    for number in range(items):
        claim = make_claim(f"Claim number {number}", subjects=[body], topics=[topic])
        make_presentation(
            add_evidence(claim, report), presenters=[body], date="1993", event=conference
        )
    return {"agent": body, "source": report, "event": conference, "topic": topic, "items": items}


def count_queries(client, path):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(path)
    assert response.status_code == 200, path
    return len(queries), response.json()


def test_every_endpoint_reads_in_a_fixed_number_of_queries_however_much_it_lists(client, archive):
    first = Claim.objects.published().order_by(*SORTS["strongest"].ordering()).first()
    broader = archive["topic"].parent.slug
    expected = {
        # 1 the topics offered (the filter's choices); 2 the count; 3 the page;
        # 4 the topics of its claims
        "/api/claims?limit=5": 4,
        # the same, and the keys of the claim it reads after
        f"/api/claims?limit=5&sort=strongest&after={first.slug}": 5,
        # filtered by level and topic (its narrower topics included), and read from the
        # end: the same four
        f"/api/claims?limit=5&level={first.strength_level}&level=strong&topic={broader}": 4,
        f"/api/claims?limit=5&topic={archive['topic'].slug}&page=last": 4,
        # the page of public records, one row more to know if there is a next
        "/api/sources?limit=5": 1,
        "/api/agents?limit=5": 1,
        "/api/events?limit=5": 1,
        # the page, and which of their broader topics are public
        "/api/topics?limit=5": 2,
        # 1 the source with its holding archive; 2 its creators with their agents;
        # 3 its custody events with their events and findings' sources; 4 the agents
        # of those; 5, 6 its evidence for published claims: how many, one page with
        # the claims; 7, 8 the public sources it cites: how many, one page; 9, 10 the
        # public sources citing it: how many, one page
        f"/api/sources/{archive['source'].slug}": 10,
        # 1 the agent; 2 their other names; 3 their public affiliations; 4, 5 the
        # public sources they made: how many, one page; 6, 7 the published claims about
        # them: how many, one page; 8 a page of their presentations, 9 the presenters
        # of those, 10 their sources; 11, 12 the public events they organised: how
        # many, one page; 13, 14 the public sources they hold: how many, one page
        f"/api/agents/{archive['agent'].slug}": 14,
        # 1 the event; 2 its organisers; 3, 4 custody there of public sources: how
        # many, one page; 5 the agents of those; 6 a page of the presentations there,
        # 7 their presenters, 8 their sources
        f"/api/events/{archive['event'].slug}": 8,
        # 1 the topic with its broader topic; 2 whether that is public; 3 its public
        # narrower topics
        f"/api/topics/{archive['topic'].slug}": 3,
    }
    answers = {}
    for path, count in expected.items():
        queries, answers[path] = count_queries(client, path)
        assert queries == count, path

    shown = min(archive["items"], 20)
    source = answers[f"/api/sources/{archive['source'].slug}"]
    assert len(source["claims"]["results"]) == len(source["cites"]["results"]) == shown
    assert len(source["creators"]) == archive["items"]
    agent = answers[f"/api/agents/{archive['agent'].slug}"]
    assert len(agent["claims"]["results"]) == len(agent["presented"]["results"]) == shown
    assert agent["held"]["count"] == archive["items"] + 1  # the report and what it cites
    event = answers[f"/api/events/{archive['event'].slug}"]
    assert len(event["custody"]["results"]) == shown


def test_a_claim_reads_in_the_same_eight_queries_as_its_page(client, claim):
    # 1 claim; 2 subjects and topics; 3 evidence with sources; 4 custody events;
    # 5 creators; 6 presentations with presenters; 7 citations (one recursive query);
    # 8 its log of corrections.
    assert count_queries(client, f"/api/claims/{claim.slug}")[0] == 8
