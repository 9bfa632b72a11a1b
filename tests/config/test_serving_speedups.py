"""Pieces of serving that were rebuilt per request and are now built once, or made
cheaper: the Content-Security-Policy header, the Redis client and its reading of many
keys. Each must behave exactly as the library it wraps."""

import pytest
import redis
from csp.constants import NONCE
from csp.middleware import CSPMiddleware
from csp.utils import build_policy
from django.core.cache.backends.redis import RedisCache
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import NoReverseMatch, reverse, set_script_prefix

from config.csp import PolicyOnceCSPMiddleware
from config.redis_cache import ReusingRedisCache
from provenance.links import slug_url

REDIS_URL = "redis://127.0.0.1:6379/15"


def served(middleware_class, response=None, path="/claims/"):
    request = RequestFactory().get(path)
    middleware = middleware_class(lambda request: response or HttpResponse("page"))
    return middleware(request)


def test_the_policy_header_is_the_one_django_csp_builds():
    ours = served(PolicyOnceCSPMiddleware)
    theirs = served(CSPMiddleware)
    assert ours["Content-Security-Policy"] == theirs["Content-Security-Policy"]
    assert ours["Content-Security-Policy"] == build_policy()
    assert "Content-Security-Policy-Report-Only" not in ours


def test_a_changed_policy_setting_changes_the_header(settings):
    served(PolicyOnceCSPMiddleware)  # build and keep the header
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"default-src": ["'none'"]}}
    assert served(PolicyOnceCSPMiddleware)["Content-Security-Policy"] == "default-src 'none'"


def test_a_response_with_a_policy_of_its_own_goes_through_django_csp():
    response = HttpResponse("page")
    response._csp_update = {"img-src": ["https://images.example"]}
    header = served(PolicyOnceCSPMiddleware, response)["Content-Security-Policy"]
    assert "https://images.example" in header


def test_an_exempt_response_gets_no_header():
    response = HttpResponse("page")
    response._csp_exempt = True
    assert "Content-Security-Policy" not in served(PolicyOnceCSPMiddleware, response)


def test_a_nonce_used_by_the_page_is_in_its_header(settings):
    settings.CONTENT_SECURITY_POLICY = {"DIRECTIVES": {"script-src": ["'self'", NONCE]}}
    middleware = PolicyOnceCSPMiddleware(lambda request: HttpResponse(str(request.csp_nonce)))
    response = middleware(RequestFactory().get("/"))
    nonce = response.content.decode()
    assert f"script-src 'self' 'nonce-{nonce}'" in response["Content-Security-Policy"]


@pytest.fixture
def redis_server():
    try:
        redis.Redis.from_url(REDIS_URL).ping()
    except redis.ConnectionError:
        pytest.skip(f"needs Redis at {REDIS_URL}")


def test_the_redis_cache_reuses_one_client_and_still_works(redis_server):
    cache = ReusingRedisCache(REDIS_URL, {"KEY_PREFIX": "corroborate-reuse-test"})
    client = cache._cache.get_client()
    assert cache._cache.get_client() is client
    assert cache._cache.get_client(write=True) is client  # one server: one pool
    cache.set("key", {"value": 1}, 30)
    assert cache.get_many(["key", "missing"]) == {"key": {"value": 1}}
    cache.delete("key")
    assert cache.get("key") is None


# Django's backend warns of keys memcached would refuse; the test stores one on purpose.
@pytest.mark.filterwarnings("ignore::django.core.cache.backends.base.CacheKeyWarning")
def test_reading_many_keys_gives_what_djangos_backend_gives(redis_server):
    options = {"KEY_PREFIX": "corroborate-many-test"}
    ours, djangos = ReusingRedisCache(REDIS_URL, options), RedisCache(REDIS_URL, options)
    values = {
        "int": 7,
        "negative": -12,
        "zero": 0,
        "bool": True,
        "text": "7",
        "bytes": b"\x80 not pickled by us",
        "page": (["token"], b"<html>" * 1000, {"ETag": '"x"'}),
        "key with spaces": "memcached would refuse this key",
    }
    djangos.set_many(values, 30)
    djangos.set("old version", "v1", 30, version=2)
    keys = [*values, "missing", "old version"]
    try:
        assert ours.get_many(keys) == djangos.get_many(keys) == values
        assert ours.get_many(["old version"], version=2) == {"old version": "v1"}
        assert ours.incr("int") == 8  # integers are still stored for incr
        assert ours.get_many(["int"]) == {"int": 8}
    finally:
        djangos.delete_many(keys)


@pytest.mark.parametrize(
    ("viewname", "slug"),
    [
        ("provenance:source", "kim-il-sung-telegram-1950"),
        ("provenance:agent", "mao_zedong-2"),
        ("claims:detail", "a"),
    ],
)
def test_slug_addresses_are_the_ones_reverse_gives(viewname, slug):
    assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})
    assert slug_url(viewname, slug) == reverse(viewname, kwargs={"slug": slug})  # kept


def test_a_slug_reverse_would_refuse_is_refused_the_same_way():
    with pytest.raises(NoReverseMatch):
        slug_url("provenance:source", "not a slug")
    with pytest.raises(NoReverseMatch):
        slug_url("provenance:source", "")


def test_addresses_follow_the_script_prefix():
    set_script_prefix("/archive/")
    try:
        assert slug_url("provenance:source", "memo") == "/archive/sources/memo/"
    finally:
        set_script_prefix("/")
    assert slug_url("provenance:source", "memo") == "/sources/memo/"
