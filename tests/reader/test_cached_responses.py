"""A page served from the cache is the page the view answered: the same headers, and
never one rendered for another host name."""

import pytest
from django.urls import reverse

from provenance.models import Source
from tests.builders import add_evidence, make_claim, make_source

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    claim = make_claim("Stalin approved the attack.")
    add_evidence(claim, make_source("Khrushchev Remembers", kind=Source.Kind.MEMOIR, date="1970"))
    return claim


def served_twice(client, url, **extra):
    first, second = client.get(url, **extra), client.get(url, **extra)
    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit"), url
    return first, second


def test_a_cached_claim_json_keeps_its_cors_header(claim, client):
    first, second = served_twice(client, reverse("claims:json", args=[claim.slug]))
    assert second["Access-Control-Allow-Origin"] == "*"
    assert second["Content-Type"] == first["Content-Type"] == "application/json"


def test_a_cached_sitemap_keeps_every_header_its_view_set(claim, client):
    first, second = served_twice(client, reverse("claims:sitemap"))
    kept = {name: value for name, value in first.items() if name not in ("X-Cache",)}
    for name, value in kept.items():
        assert second[name] == value, name
    assert second["X-Robots-Tag"]


@pytest.mark.parametrize("name", ["claims:detail", "claims:json"])
def test_a_page_asked_for_under_one_host_name_is_never_served_under_another(
    claim, client, settings, name
):
    settings.ALLOWED_HOSTS = ["corroborate.example", "mirror.example"]
    url = reverse(name, args=[claim.slug])
    served_twice(client, url, HTTP_HOST="corroborate.example")
    response = client.get(url, HTTP_HOST="mirror.example")
    assert response["X-Cache"] == "miss"
    assert "http://mirror.example/" in response.content.decode()
    assert "corroborate.example" not in response.content.decode()


def test_a_host_name_not_allowed_is_refused_not_cached(claim, client, settings):
    settings.ALLOWED_HOSTS = ["corroborate.example"]
    url = reverse("claims:detail", args=[claim.slug])
    assert client.get(url, HTTP_HOST="evil.example").status_code == 400
    assert client.get(url, HTTP_HOST="corroborate.example")["X-Cache"] == "miss"
