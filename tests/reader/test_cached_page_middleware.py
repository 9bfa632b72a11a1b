"""A stored public page is answered by reader.cache.CachedPageMiddleware before the
session, CSRF, authentication, messages and lockout middleware: with no query and the
same answer, header for header, as the page's own wrapper gives further down."""

import pytest

from tests.builders import korean_war_claim

pytestmark = pytest.mark.django_db


def headers_of(response):
    return {name: value for name, value in response.items() if name != "Date"}


def test_a_hit_is_answered_early_with_no_query_and_the_same_headers(
    client, django_assert_num_queries
):
    page = korean_war_claim().get_absolute_url()
    assert client.get(page)["X-Cache"] == "miss"

    with django_assert_num_queries(0):
        early = client.get(page)
    # A session cookie, even one naming no session, sends the request down the stack.
    client.cookies["sessionid"] = "no-such-session"
    late = client.get(page)

    assert early.wsgi_request.__dict__.get("user") is None  # no middleware below ran
    assert late.wsgi_request.user.is_anonymous
    assert early["X-Cache"] == late["X-Cache"] == "hit"
    assert headers_of(early) == headers_of(late)
    assert early.content == late.content
    assert early["X-Frame-Options"] == "DENY"


def test_a_conditional_request_gets_304_from_the_early_answer(client):
    page = korean_war_claim().get_absolute_url()
    etag = client.get(page)["ETag"]

    response = client.get(page, headers={"if-none-match": etag})

    assert response.status_code == 304 and response.content == b""
    assert response.wsgi_request.__dict__.get("user") is None


def test_a_signed_in_curator_is_never_given_the_stored_page(client, curator):
    page = korean_war_claim().get_absolute_url()
    client.get(page)
    client.force_login(curator)

    response = client.get(page)

    assert response.get("X-Cache") != "hit"
    assert "private" in response["Cache-Control"]
