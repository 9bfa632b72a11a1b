"""Anonymous public pages, cached, and invalidated precisely when what they show changes.

A reader must never see a stale strength after a curator's change is saved, so pages
are not cached for a fixed time and hoped to be fresh: every cached page is stored
with the *versions* it was rendered under, and every change to the data moves the
versions it affects on. A page stored with an old version is never served again: the
next request renders it afresh and stores it over the old one. The current versions
and the stored page come back in one round trip to the cache.

- `claim:<slug>`: one claim's page and JSON. Moved by a change to the claim, its
  evidence or presentations, or a source behind it: the source itself, its custody
  events, its creators, or a citation from it or from any source it derives from
  (`claims.assessment.claims_of_sources` walks the citations).
- `names`: the names of people, organisations, events and topics, which any claim page
  may show. Moved when one of them changes.
- `site`: every other public page (home, list, search, feed, sitemap, sources, people,
  events, methodology), which gather many claims. Moved by any change at all.

Inside a write batch (config/write_batches.py: an import, its undo) the receivers
only note which claims, sources and names changed; the walk and the moves are made
once for the whole batch when it ends, still inside its transaction.

A version is a random token kept in the cache without expiry; moving it sets a new
token, in one round trip for many claims. If the cache loses a token, a fresh one is
made, so an old page can never come back. Versions move twice: at once, so the next
request in the same transaction (or test) misses, and again when the transaction
commits, so that a page a reader cached from the old data between the two is never
served either.

With a read replica (config/db_router.py), a page whose version moved less than
`REPLICA_LAG_SECONDS` (30) ago is rendered from the primary: the replica may not have
replayed the change yet, and the page rendered now is the one cached under the new
version.

Never cached: anything but GET and HEAD, logged-in users (curators preview drafts and
must see their own changes), requests with pending messages, responses other than 200
or that set a cookie. The key holds the scheme, the host and the full path with its
query string: a page names its own address (canonical link, JSON-LD, feed links), so a
page asked for under one host name is never served under another, and `?as_of=`,
filters and page numbers are pages of their own. A cached page keeps every header its
view set (`Access-Control-Allow-Origin` on the claim JSON, `X-Robots-Tag` on the
sitemap). Responses carry `X-Cache: hit`, `miss` or `bypass` (the cache could not be
reached), and the HTTP caching headers for browsers and shared caches worked out from
the same versions ("HTTP caching" below, docs/deployment.md).

The cache is an optimisation, never a dependency. When it fails (refused, timed out:
settings give the Redis client short socket timeouts) the page is rendered and served
uncached, and the failure is logged once per `LOG_INTERVAL`, not per request; for
`RETRY_AFTER` seconds after a failure pages do not try the cache at all, so a cache
that hangs costs readers one timeout, not one per request. A version move that fails
never fails the curator's save: it is logged, and every page is then moved at once by
moving the `epoch` version, which every page is stored under, as soon as this process
reaches the cache again. Should that process end before it can, no page outlives
`DEFAULT_TIMEOUT` (five minutes): the bound on a stale page (docs/decisions.md).
"""

import functools
import hashlib
import logging
import math
import threading
import time
import uuid
from contextlib import nullcontext
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.contrib.messages.storage.cookie import CookieStorage
from django.core.cache import cache
from django.core.handlers.exception import response_for_exception
from django.db import transaction
from django.dispatch import Signal
from django.http import Http404, HttpResponse
from django.middleware.clickjacking import XFrameOptionsMiddleware
from django.urls import Resolver404, resolve
from django.utils.cache import (
    add_never_cache_headers,
    get_conditional_response,
    patch_cache_control,
    patch_vary_headers,
    set_response_etag,
)
from django.utils.http import http_date

from config.db_router import reading_from_primary, replica_reads
from config.write_batches import current_write_batch

try:
    from redis.exceptions import RedisError
except ImportError:  # pragma: no cover: redis is a dependency, but the cache is optional
    RedisError = OSError

logger = logging.getLogger(__name__)

SITE = "site"
NAMES = "names"
# Every page is stored under it too: moving it moves every page, after a lost move.
EPOCH = "epoch"
KEY_PREFIX = "public-page"
# Pages expire on their own after this long. Invalidation never waits for it; it
# bounds how long a page can be stale when a version move was lost (cache down while a
# curator saved, and the process gone before it could move the epoch).
DEFAULT_TIMEOUT = 5 * 60
# What a cache that is down or hanging raises: Redis's own errors, sockets' errors.
CACHE_ERRORS = (RedisError, OSError)
# A failing cache is logged at most once per this many seconds per process.
LOG_INTERVAL = 60
# After a failure, pages skip the cache for this long: one timeout, not one per request.
RETRY_AFTER = 2
# For this long after a version moves, its pages are rendered from the primary, not a
# read replica that may lag behind (settings.REPLICA_LAG_SECONDS overrides it).
DEFAULT_REPLICA_LAG = 30
# Headers a cached page does not keep: the middleware sets them again on every response
# (cookies are not headers in Django, and pages that set one are not cached).
# Cache-Control and Last-Modified are worked out again on every answer from the
# versions (see "HTTP caching" below); the ETag and the surrogate keys are kept.
NOT_KEPT_HEADERS = frozenset(
    {"x-cache", "vary", "content-length", "cache-control", "last-modified", "expires"}
)


class _CacheHealth:
    """What this process knows of the cache: whether to skip it for now, whether a
    version move was lost (so the epoch must move), when a failure was last logged."""

    def __init__(self):
        self.lock = threading.Lock()
        self.skip_until = 0.0
        self.epoch_owed = False
        self.logged_at = None
        self.unlogged = 0

    def failed(self, action, error, *, move_lost=False):
        now = time.monotonic()
        with self.lock:
            self.skip_until = now + RETRY_AFTER
            self.epoch_owed = self.epoch_owed or move_lost
            if self.logged_at is not None and now - self.logged_at < LOG_INTERVAL:
                self.unlogged += 1
                return
            self.logged_at, unlogged, self.unlogged = now, self.unlogged, 0
        logger.warning(
            "The page cache failed (%s: %r); pages are served uncached%s.%s",
            action,
            error,
            ", and every page will be moved once it answers" if move_lost else "",
            f" {unlogged} more failures since the last message." if unlogged else "",
        )

    def skipping(self):
        return time.monotonic() < self.skip_until

    def settle_epoch(self):
        """Move the epoch if a move was lost; raises what the cache raises."""
        if not self.epoch_owed:
            return
        cache.set(_version_key(EPOCH), _fresh(), timeout=None)
        with self.lock:
            self.epoch_owed = False
            self.skip_until = 0.0
        logger.warning("The page cache answers again: every cached page was moved on.")


health = _CacheHealth()


def claim_version(slug):
    return f"claim:{slug}"


def _version_key(name):
    # An address may carry any slug; a key past memcached's 250 characters is hashed.
    if len(name) > 150:
        name = "hashed:" + hashlib.blake2b(name.encode(), digest_size=16).hexdigest()
    return f"{KEY_PREFIX}:version:{name}"


def _fresh():
    """A new version token: when it was made (ms, hex) and a random part."""
    return f"{int(time.time() * 1000):x}.{uuid.uuid4().hex[:12]}"


def _made_at(token):
    """When a version token was made (seconds since the epoch), or None."""
    made, _, _ = token.partition(".")
    try:
        return int(made, 16) / 1000
    except ValueError:
        return None


def _age_seconds(token):
    made = _made_at(token)
    return float("inf") if made is None else time.time() - made


def current_versions(names, *, also=()):
    """The current token of each version, made on first use, whether any of them moved
    less than REPLICA_LAG_SECONDS ago, and the values of the `also` keys, all read in
    one round trip to the cache."""
    keys = [_version_key(name) for name in names]
    found = cache.get_many([*keys, *also])
    tokens, recent = [], False
    window = getattr(settings, "REPLICA_LAG_SECONDS", DEFAULT_REPLICA_LAG)
    for key in keys:
        token = found.get(key)
        if token is None:
            token = _fresh()
            if not cache.add(key, token, timeout=None):
                token = cache.get(key) or token
        elif _age_seconds(token) < window:
            recent = True
        tokens.append(token)
    return tokens, recent, {key: found.get(key) for key in also}


def move_versions(names):
    """Move these versions on now, and again when the current transaction commits. A
    cache that fails never fails the change: the move is logged and made up for by
    moving the epoch (see the module's docstring)."""
    names = set(names)
    if not names:
        return
    _set_fresh(names)
    transaction.on_commit(lambda: _set_fresh(names))


def _set_fresh(names):
    try:
        health.settle_epoch()
        cache.set_many({_version_key(name): _fresh() for name in names}, timeout=None)
    except CACHE_ERRORS as error:
        health.failed("moving versions", error, move_lost=True)


def move_claims(slugs):
    """Move the pages of these claims and every page that gathers claims."""
    move_versions({SITE, *(claim_version(slug) for slug in slugs)})


# Which versions each public page is stored under


def claim_page_versions(request, *args, slug, **kwargs):
    return (claim_version(slug), NAMES)


def site_page_versions(request, *args, **kwargs):
    return (SITE,)


def _page_versions(versions, request, *args, **kwargs):
    return (EPOCH, *versions(request, *args, **kwargs))


def _public_request(request):
    """Whether the answer may be kept by shared caches and by this one: an anonymous
    reader's, with no message waiting to be shown only to them."""
    if request.user.is_authenticated:
        return False
    return not len(get_messages(request))


def _page_key(request, view_name):
    # get_host() is checked against ALLOWED_HOSTS: only the site's own names get here.
    address = f"{request.scheme}://{request.get_host()}{request.get_full_path()}"
    digest = hashlib.sha256(address.encode()).hexdigest()[:32]
    return f"{KEY_PREFIX}:{view_name}:{digest}"


def _stored(tokens, response):
    headers = {
        name: value for name, value in response.items() if name.lower() not in NOT_KEPT_HEADERS
    }
    return (tokens, response.content, headers)


def _restored(stored):
    _, content, headers = stored
    return HttpResponse(content, headers={**headers, "X-Cache": "hit"})


def _keepable(request, response):
    return (
        response.status_code == 200
        and not response.streaming
        and not response.cookies
        and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
    )


def cache_public_page(versions):
    """Cache an anonymous public page under `versions(request, *args, **kwargs)`, a
    tuple of version names (`claim_page_versions`, `site_page_versions`), and give
    every answer its HTTP caching headers (see "HTTP caching" below)."""

    def decorator(view):
        view_name = f"{view.__module__}.{getattr(view, '__qualname__', type(view).__name__)}"
        view = _not_found_answered(view)

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _public_request(request):
                return _private(_rendered(view(request, *args, **kwargs)))
            if request.method not in ("GET", "HEAD"):
                return _answer(request, _rendered(view(request, *args, **kwargs)), tokens=None)
            names = _page_versions(versions, request, *args, **kwargs)
            key = _page_key(request, view_name)
            try:
                # CachedPageMiddleware looked this page up already and missed: a second
                # look would cost a round trip, and find the versions it made "recent".
                early = getattr(request, "cached_page_miss", None)
                if early is not None and early[0] == key:
                    (_, tokens, recent), stored = early, None
                else:
                    tokens, recent, stored = _lookup(names, key)
            except CACHE_ERRORS as error:
                if not health.skipping():
                    health.failed("reading a page", error)
                response = _uncached(view, request, *args, **kwargs)
                return _answer(request, _tagged(request, response, names), tokens=None)
            if stored is not None:
                return _answer(request, _restored(stored), tokens=tokens)
            # Just changed: a read replica may not have the change yet, and what is
            # rendered now is cached under the new version, so read the primary.
            with reading_from_primary() if recent else nullcontext():
                response = _rendered(view(request, *args, **kwargs))
            if _keepable(request, response):
                _tagged(request, set_response_etag(response), names)
                timeout = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT)
                try:
                    cache.set(key, _stored(tokens, response), timeout=timeout)
                except CACHE_ERRORS as error:
                    health.failed("storing a page", error)
                    response["X-Cache"] = "bypass"
                else:
                    response["X-Cache"] = "miss"
            return _answer(request, response, tokens=tokens)

        wrapped.cached_page = (versions, view_name)
        return wrapped

    return decorator


def _lookup(names, key):
    """(current tokens, whether one moved lately, the stored page if it is current);
    raises what the cache raises, or ConnectionError while it is being skipped."""
    if health.skipping():
        raise ConnectionError("skipped: the cache failed a moment ago")
    health.settle_epoch()
    tokens, recent, found = current_versions(names, also=[key])
    stored = found[key]
    return tokens, recent, stored if stored is not None and stored[0] == tokens else None


@functools.lru_cache(maxsize=4096)
def _resolved(path):
    """The URL pattern an address resolves to, or None; kept, since the patterns never
    change while the process runs and resolving is most of a hit's remaining cost."""
    try:
        return resolve(path)
    except Resolver404:
        return None


class CachedPageMiddleware:
    """Answers a stored page to an anonymous reader before the session, CSRF,
    authentication, messages and lockout middleware, none of which can change what a
    reader without a session may be given: a cache hit costs the lookup, not the whole
    stack. Anything else (a miss, a cookie naming a session or messages, an address
    that is not a cached public page, a cache that fails) goes on down the stack to
    the page's own wrapper above, which answers and stores it as before. Placed after
    the security, CSP and static-file middleware, whose headers every answer keeps;
    the headers later middleware add to every answer (Content-Length, and
    X-Frame-Options by that middleware's own code) are added here."""

    def __init__(self, get_response):
        self.get_response = get_response
        self.frame_options = XFrameOptionsMiddleware(get_response)

    def __call__(self, request):
        response = self.stored_answer(request)
        if response is None:
            return self.get_response(request)
        # What CommonMiddleware and XFrameOptionsMiddleware give every answer.
        response.headers["Content-Length"] = str(len(response.content))
        if request.method == "HEAD":
            response.content = b""  # as GET, without the body; the length stays the GET's
        return self.frame_options.process_response(request, response)

    def stored_answer(self, request):
        if request.method not in ("GET", "HEAD"):
            return None
        cookies = request.COOKIES
        if settings.SESSION_COOKIE_NAME in cookies or CookieStorage.cookie_name in cookies:
            return None
        match = _resolved(request.path_info)
        cached_page = match and getattr(match.func, "cached_page", None)
        if cached_page is None:
            return None
        versions, view_name = cached_page
        names = _page_versions(versions, request, *match.args, **match.kwargs)
        key = _page_key(request, view_name)
        try:
            tokens, recent, stored = _lookup(names, key)
        except CACHE_ERRORS:
            return None  # the page's wrapper serves it uncached and logs the failure
        if stored is None:
            request.cached_page_miss = (key, tokens, recent)  # for the page's wrapper
            return None
        return _answer(request, _restored(stored), tokens=tokens)


def _not_found_answered(view):
    """The view, answering its 404 itself, as Django's handler would (handler404), so
    that the answer gets its headers here: a 404 with none may be kept by a shared
    cache, and a claim published since would stay missing there."""

    @wraps(view)
    def answering(request, *args, **kwargs):
        try:
            return view(request, *args, **kwargs)
        except Http404 as error:
            return response_for_exception(request, error)

    return answering


def _rendered(response):
    if hasattr(response, "render") and not getattr(response, "is_rendered", True):
        response.render()
    return response


def _uncached(view, request, *args, **kwargs):
    """The page rendered without the cache. Whether a version moved lately cannot be
    known, so it is read from the primary, which always has the latest change."""
    with reading_from_primary():
        response = _rendered(view(request, *args, **kwargs))
    response["X-Cache"] = "bypass"
    return response


def public_page(view, versions=site_page_versions):
    """A public page view, cached and reading from the replica (config/db_router.py)."""
    return cache_public_page(versions)(replica_reads(view))


# HTTP caching: what browsers and shared caches (a CDN, Varnish) may keep
#
# A public answer says `Cache-Control: public, max-age=…, s-maxage=…,
# stale-while-revalidate=…, stale-if-error=…` (settings.HTTP_*), carries an ETag (a
# digest of its body, kept with the page, so a conditional request answered from this
# cache costs no query) and a Last-Modified (the latest move of its versions: every
# change it shows moves one), and names in `Surrogate-Key` and `xkey` every record it
# shows (`shown`), and `site` on every page that gathers claims. `keys_to_purge` names,
# for a change, the keys of every answer that change reaches: the versions' rule above,
# by record. An answer to a logged-in user or with a message for one reader is
# `private, no-store`; an error or a redirect may not be kept (`no-cache`).

SITE_KEY = "site"
SURROGATE_HEADERS = ("Surrogate-Key", "xkey")
# The code that renders a page is part of what a page shows: a page is never older than
# the process that answers it, so a new release is never answered "not modified".
STARTED_AT = time.time()

# Sent after a change commits, with `keys`: the surrogate keys to purge from shared caches.
pages_changed = Signal()


def record_key(kind, pk):
    """The surrogate key of one record: `claim-12`, `source-3`, `agent-7`, `event-2`,
    `topic-5` (ids, not slugs: a slug may change, the record stays)."""
    return f"{kind}-{pk}"


def shown(request, keys):
    """Note that the answer to `request` shows the records with these surrogate keys."""
    request.surrogate_keys = getattr(request, "surrogate_keys", set()) | set(keys)


def _tagged(request, response, names):
    """Name the records the answer shows in its surrogate-key headers (public 200s)."""
    if response.status_code != 200:
        return response
    keys = set(getattr(request, "surrogate_keys", ()))
    if SITE in names:
        keys.add(SITE_KEY)
    if keys:
        value = " ".join(sorted(keys))
        for header in SURROGATE_HEADERS:
            response[header] = value
    return response


def public_cache_control():
    return {
        "public": True,
        "max_age": settings.HTTP_MAX_AGE,
        "s_maxage": settings.HTTP_SHARED_MAX_AGE,
        "stale_while_revalidate": settings.HTTP_STALE_WHILE_REVALIDATE,
        "stale_if_error": settings.HTTP_STALE_IF_ERROR,
    }


@functools.lru_cache(maxsize=8)
def _public_cache_control_value(*directives):
    """The Cache-Control text `patch_cache_control` writes for these directives on an
    answer that has none, worked out once: every cached page sends the same one."""
    response = HttpResponse()
    patch_cache_control(response, **dict(directives))
    return response["Cache-Control"]


# A request without these is never answered 304, so Django's check need not run.
CONDITIONAL_HEADERS = (
    "HTTP_IF_MATCH",
    "HTTP_IF_NONE_MATCH",
    "HTTP_IF_MODIFIED_SINCE",
    "HTTP_IF_UNMODIFIED_SINCE",
)


def _private(response):
    """A logged-in user's answer, or one with a message for them: no cache keeps it."""
    add_never_cache_headers(response)
    patch_vary_headers(response, ("Cookie",))
    for header in SURROGATE_HEADERS:
        del response[header]
    return response


def last_modified(tokens):
    """When what a page shows last changed, as far as its versions tell, or None while
    that second is not over: a second change within it would share its date, and a
    reader holding the first page would be told that nothing changed."""
    made = [_made_at(token) for token in tokens]
    moment = math.ceil(max([STARTED_AT, *(at for at in made if at is not None)]))
    return moment if moment <= time.time() else None


def _answer(request, response, *, tokens):
    """The answer with its caching headers, or 304 when the reader has it already
    (`get_conditional_response`, the rule of Django's ConditionalGetMiddleware)."""
    if response.cookies or request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return _private(response)
    patch_vary_headers(response, ("Cookie",))
    if response.status_code != 200 or response.streaming:
        patch_cache_control(response, no_cache=True)
        return response
    if response.has_header("Cache-Control"):
        patch_cache_control(response, **public_cache_control())
    else:
        response["Cache-Control"] = _public_cache_control_value(*public_cache_control().items())
    moment = last_modified(tokens) if tokens else None
    if moment is not None:
        response["Last-Modified"] = http_date(moment)
    if not response.has_header("ETag"):
        set_response_etag(response)
    if not any(header in request.META for header in CONDITIONAL_HEADERS):
        return response
    # Django's own rules for If-None-Match and If-Modified-Since (RFC 9110).
    answer = get_conditional_response(
        request, etag=response.get("ETag"), last_modified=moment, response=response
    )
    if answer is not response:
        for header in (*SURROGATE_HEADERS, "X-Cache"):
            if header in response:
                answer[header] = response[header]
    return answer


# Values kept by what they are made from


def remembered(key, make, *, timeout):
    """`make()`, kept in the cache under `key`, which must name everything the value is
    made from: such a value is never stale, so nothing moves it; it is only forgotten
    after `timeout` seconds. None is never kept. A failing cache costs a `make()`,
    never an error (the pages' own rule above)."""
    if not health.skipping():
        try:
            found = cache.get(key)
        except CACHE_ERRORS as error:
            health.failed("reading a kept value", error)
        else:
            if found is not None:
                return found
    value = make()
    if value is not None and not health.skipping():
        try:
            cache.set(key, value, timeout=timeout)
        except CACHE_ERRORS as error:
            health.failed("keeping a value", error)
    return value


# What moves which version, and which surrogate keys to purge: one rule for both


def keys_to_purge(*, claims=(), records=()):
    """The surrogate keys of every answer a change reaches: the pages of `claims` (ids)
    whose content it changes, every answer naming one of `records` (surrogate keys of
    the records it changed), and every page that gathers claims (`site`), which the
    page cache refreshes on any change."""
    return {SITE_KEY, *(record_key("claim", pk) for pk in claims), *records}


def changed(claims, *, records=(), names=False, former_slugs=()):
    """A change that reaches the pages of `claims` ({id: slug}) and the answers naming
    `records`; `names` when it changed a name that any claim page may show. Moves the
    page cache's versions now (`move_versions`) and, once the change commits, sends
    `pages_changed` with the keys a shared cache must purge (`keys_to_purge`)."""
    slugs = {*claims.values(), *former_slugs}
    move_versions({SITE, *(claim_version(slug) for slug in slugs), *([NAMES] if names else [])})
    keys = keys_to_purge(claims=claims, records=records)
    transaction.on_commit(lambda: pages_changed.send(sender=changed, keys=keys))


def _claims(**filters):
    """{id: slug} of the claims these filters find."""
    from claims.models import Claim

    return dict(Claim.objects.filter(**filters).values_list("pk", "slug"))


def _claims_of_sources(source_ids):
    from claims.assessment import claims_of_sources

    return _claims(pk__in=claims_of_sources(source_ids))


class _Change:
    """A change to follow up: the claims it reaches, known ({id: slug}) or to be looked
    up (by claim, evidence item, source or slug), the records it changed and whether
    it changed a name. Inside a write batch (config/write_batches.py) one of these
    gathers every change and is followed up once when the batch ends: an import's ten
    thousand rows walk the citations once, not ten thousand times."""

    def __init__(self):
        self.claims = {}
        self.claim_ids = set()
        self.claim_slugs = set()
        self.evidence_ids = set()
        self.source_ids = set()
        self.reported_in_ids = set()
        self.records = set()
        self.names = False
        self.former_slugs = set()

    def finish(self):
        from provenance.graph import chunks

        claims = dict(self.claims)
        for ids in chunks(self.claim_ids):
            claims.update(_claims(pk__in=ids))
        for slugs in chunks(self.claim_slugs):
            claims.update(_claims(slug__in=slugs))
        for ids in chunks(self.evidence_ids):
            claims.update(_claims(evidence__pk__in=ids))
        for ids in chunks(self.source_ids):
            claims.update(_claims_of_sources(ids))
        for ids in chunks(self.reported_in_ids):
            claims.update(_claims(evidence__presentations__reported_in__in=ids))
        changed(claims, records=self.records, names=self.names, former_slugs=self.former_slugs)


def _follow(**change):
    """Follow up a change now, or when the open write batch ends."""
    batch = current_write_batch()
    gathered = _Change() if batch is None else batch.gathering(__name__, _Change)
    for name, value in change.items():
        if name == "claims":
            gathered.claims.update(value)
        elif name == "names":
            gathered.names = gathered.names or value
        else:
            getattr(gathered, name).update(value)
    if batch is None:
        gathered.finish()


def on_claim_about_to_be_saved(sender, instance, raw=False, **kwargs):
    # Remember the slug it had: a new slug leaves a cached page at the old address.
    instance._cache_former_slugs = set(_claims(pk=instance.pk).values()) if instance.pk else set()


def on_claim_saved(sender, instance, **kwargs):
    _follow(
        claims={instance.pk: instance.slug},
        former_slugs=getattr(instance, "_cache_former_slugs", set()),
    )


def on_claim_deleted(sender, instance, **kwargs):
    _follow(claims={instance.pk: instance.slug})


def on_evidence_changed(sender, instance, **kwargs):
    _follow(claim_ids={instance.claim_id})


def on_presentation_changed(sender, instance, **kwargs):
    _follow(evidence_ids={instance.evidence_id})


def on_source_changed(sender, instance, **kwargs):
    # A claim page shows the sources its evidence rests on and derives from, and the
    # sources that reported a presentation of it.
    _follow(
        source_ids={instance.pk},
        reported_in_ids={instance.pk},
        records={record_key("source", instance.pk)},
    )


def on_source_part_changed(sender, instance, **kwargs):
    """A custody event or a creator of a source."""
    _follow(source_ids={instance.source_id})


def on_citation_changed(sender, instance, **kwargs):
    _follow(source_ids={instance.citing_id})


def on_name_changed(sender, instance, **kwargs):
    """An agent, another name of one, an event or a topic."""
    from provenance.models import AgentName

    if isinstance(instance, AgentName):
        key = record_key("agent", instance.agent_id)
    else:
        key = record_key(instance._meta.model_name, instance.pk)
    _follow(records={key}, names=True)


def on_claim_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A claim's subjects or topics, changed from either side."""
    from claims.models import Claim

    if not reverse:
        if action.startswith("post_"):
            _follow(claims={instance.pk: instance.slug})
        return
    if action in ("post_add", "post_remove"):
        _follow(claim_ids=pk_set or ())
    elif action == "pre_clear":  # only before the clear are its claims known
        relation = "subjects" if sender is Claim.subjects.through else "topics"
        _follow(claims=_claims(**{relation: instance}))


def on_names_relation_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """Presenters, organisers, custody agents: names shown on pages. Of them a claim
    page shows only presenters: the claims of the presentations, or every answer
    naming the agent when its presentations were cleared."""
    from claims.models import Presentation

    if not action.startswith("post_"):
        return
    claims, records = {}, set()
    if sender is Presentation.presenters.through:
        if not reverse:
            claims = _claims(evidence__presentations=instance)
        else:
            claims = _claims(evidence__presentations__in=pk_set) if pk_set else {}
            records = {record_key("agent", instance.pk)}
    _follow(claims=claims, records=records, names=True)


def on_assessments_changed(sender, slugs, **kwargs):
    _follow(claim_slugs=slugs)


def connect():
    """Connect the receivers (from ReaderConfig.ready)."""
    from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

    from claims.assessment import assessments_changed
    from claims.models import Claim, Evidence, Presentation, Topic
    from provenance.models import (
        Agent,
        AgentName,
        Citation,
        CustodyEvent,
        Event,
        Source,
        SourceCreator,
    )

    def both(receiver, sender):
        uid = f"claims_cache_{receiver.__name__}_{sender.__name__}"
        post_save.connect(receiver, sender=sender, dispatch_uid=f"{uid}_save")
        post_delete.connect(receiver, sender=sender, dispatch_uid=f"{uid}_delete")

    pre_save.connect(
        on_claim_about_to_be_saved, sender=Claim, dispatch_uid="claims_cache_claim_pre_save"
    )
    post_save.connect(on_claim_saved, sender=Claim, dispatch_uid="claims_cache_claim_save")
    post_delete.connect(on_claim_deleted, sender=Claim, dispatch_uid="claims_cache_claim_delete")
    assessments_changed.connect(on_assessments_changed, dispatch_uid="reader_cache_assessments")
    both(on_evidence_changed, Evidence)
    both(on_presentation_changed, Presentation)
    both(on_source_changed, Source)
    both(on_source_part_changed, CustodyEvent)
    both(on_source_part_changed, SourceCreator)
    both(on_citation_changed, Citation)
    for model in (Agent, AgentName, Event, Topic):
        both(on_name_changed, model)
    for through in (Claim.subjects.through, Claim.topics.through):
        m2m_changed.connect(
            on_claim_relations_changed,
            sender=through,
            dispatch_uid=f"claims_cache_m2m_{through.__name__}",
        )
    for through in (
        Presentation.presenters.through,
        Event.organisers.through,
        CustodyEvent.agents.through,
    ):
        m2m_changed.connect(
            on_names_relation_changed,
            sender=through,
            dispatch_uid=f"claims_cache_m2m_{through.__name__}",
        )
