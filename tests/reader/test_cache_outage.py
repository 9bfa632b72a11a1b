"""The page cache is an optimisation, never a dependency (reader/cache.py): with Redis
stopped, public pages are served uncached, an editor's publish or unpublish commits,
and once Redis answers again no page from before the change is served."""

import logging
import os
import signal
import time

import pytest
import redis
from django.core.cache import caches
from django.urls import reverse

from benchmarks.drill import REDIS_SERVER, Redis
from claims import workflow
from claims.models import Claim
from provenance.models import Source
from reader import cache as page_cache
from tests.builders import add_evidence, make_claim, make_source

pytestmark = [
    pytest.mark.django_db(transaction=True),  # the moves that run on commit, for real
    pytest.mark.skipif(
        not os.path.exists(REDIS_SERVER),
        reason="the cache outage tests start a Redis of their own: redis-server is missing",
    ),
]


class RedisServer(Redis):
    """The fault drill's private redis-server on a free port, which a test can also
    pause and resume."""

    def pause(self):
        """Hung, not gone: connections are accepted and never answered."""
        self.process.send_signal(signal.SIGSTOP)

    def resume(self):
        self.process.send_signal(signal.SIGCONT)


@pytest.fixture
def redis_server(settings, monkeypatch):
    server = RedisServer()
    server.start()
    settings.CACHES = {
        "default": {
            "BACKEND": "config.redis_cache.ReusingRedisCache",
            "LOCATION": f"redis://127.0.0.1:{server.port}/0",
            "KEY_PREFIX": "corroborate-outage-test",
            "OPTIONS": {"socket_connect_timeout": 0.2, "socket_timeout": 0.2},
        }
    }
    monkeypatch.setattr(page_cache, "health", page_cache._CacheHealth())
    monkeypatch.setattr(page_cache, "RETRY_AFTER", 0.3)
    yield server
    server.resume()
    server.stop()


@pytest.fixture
def claim():
    claim = make_claim("Stalin approved the attack.")
    add_evidence(claim, make_source("Khrushchev Remembers", kind=Source.Kind.MEMOIR, date="1970"))
    return claim


def public_pages(claim):
    return [
        reverse("claims:detail", args=[claim.slug]),
        reverse("claims:json", args=[claim.slug]),
        reverse("claims:home"),
        reverse("claims:list"),
        reverse("provenance:search") + "?q=Stalin",
        reverse("claims:feed"),
    ]


def after_the_pause():
    time.sleep(page_cache.RETRY_AFTER + 0.1)


def test_with_redis_hung_pages_are_served_an_unpublish_commits_and_no_stale_page_returns(
    redis_server, claim, client, editor
):
    detail = reverse("claims:detail", args=[claim.slug])
    for url in public_pages(claim):
        assert client.get(url)["X-Cache"] == "miss", url
        assert client.get(url)["X-Cache"] == "hit", url

    redis_server.pause()
    for url in public_pages(claim):
        response = client.get(url)
        assert response.status_code == 200, url
        assert response["X-Cache"] == "bypass", url
    workflow.claim_unpublish(claim=claim, by=editor, reason="Checking a date.")
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.DRAFT  # committed
    after_the_pause()
    assert client.get(detail).status_code == 404

    redis_server.resume()
    after_the_pause()
    assert client.get(detail).status_code == 404
    assert claim.statement not in client.get(reverse("claims:list")).content.decode()
    assert client.get(reverse("claims:json", args=[claim.slug])).status_code == 404


def test_with_redis_stopped_a_publish_commits_and_shows_once_redis_is_back(
    redis_server, client, editor
):
    claim = make_claim("Mao approved the attack.", status=Claim.Status.IN_REVIEW)
    detail = reverse("claims:detail", args=[claim.slug])
    assert client.get(detail).status_code == 404
    client.get(reverse("claims:list"))

    redis_server.stop()
    response = client.get(reverse("claims:list"))
    assert response.status_code == 200 and response["X-Cache"] == "bypass"
    workflow.claim_publish(claim=claim, by=editor)
    assert Claim.objects.get(pk=claim.pk).status == Claim.Status.PUBLISHED  # committed
    after_the_pause()
    assert client.get(detail).status_code == 200

    redis_server.start()
    after_the_pause()
    assert client.get(detail)["X-Cache"] == "miss"
    assert client.get(detail)["X-Cache"] == "hit"
    assert claim.statement in client.get(reverse("claims:list")).content.decode()


def test_a_lost_version_move_moves_every_page_once_the_cache_answers(
    redis_server, claim, client, monkeypatch
):
    """The move is lost for good (the cache refused it, then came back with its data):
    the epoch, which every page is stored under, moves instead."""
    detail = reverse("claims:detail", args=[claim.slug])
    client.get(detail)
    assert client.get(detail)["X-Cache"] == "hit"
    backend = caches["default"]

    def refused(*args, **kwargs):
        raise redis.ConnectionError("Connection refused.")

    with monkeypatch.context() as patch:
        patch.setattr(backend, "set_many", refused)
        claim.statement = "Stalin approved the attack in April 1950."
        claim.save()
    after_the_pause()
    response = client.get(detail)
    assert response["X-Cache"] == "miss"
    assert "in April 1950" in response.content.decode()


def test_a_cache_outage_is_logged_once_not_per_request(redis_server, claim, client, caplog):
    redis_server.stop()
    with caplog.at_level(logging.WARNING, logger="reader.cache"):
        for _ in range(3):
            for url in public_pages(claim):
                assert client.get(url).status_code == 200
            after_the_pause()
    assert len(caplog.records) == 1
    assert "pages are served uncached" in caplog.records[0].getMessage()
