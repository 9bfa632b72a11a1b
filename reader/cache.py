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

Never cached: anything but GET, logged-in users (curators preview drafts and must see
their own changes), requests with pending messages, responses other than 200 or that
set a cookie. The key holds the scheme, the host and the full path with its query
string: a page names its own address (canonical link, JSON-LD, feed links), so a page
asked for under one host name is never served under another, and `?as_of=`, filters
and page numbers are pages of their own. A cached page keeps every header its view
set (`Access-Control-Allow-Origin` on the claim JSON, `X-Robots-Tag` on the sitemap).
Responses carry `X-Cache: hit`, `miss` or `bypass` (the cache could not be reached).

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

import hashlib
import logging
import threading
import time
import uuid
from contextlib import nullcontext
from functools import wraps

from django.conf import settings
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.http import HttpResponse

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
NOT_KEPT_HEADERS = frozenset({"x-cache", "vary", "content-length"})


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


def _age_seconds(token):
    made, _, _ = token.partition(".")
    try:
        return time.time() - int(made, 16) / 1000
    except ValueError:
        return float("inf")


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


def move_claims(slugs, *, also=()):
    """Move the pages of these claims and every page that gathers claims (and the
    versions named in `also`)."""
    move_versions({SITE, *also, *(claim_version(slug) for slug in slugs)})


# Which versions each public page is stored under


def claim_page_versions(request, *args, slug, **kwargs):
    return (claim_version(slug), NAMES)


def site_page_versions(request, *args, **kwargs):
    return (SITE,)


def _page_versions(versions, request, *args, **kwargs):
    return (EPOCH, *versions(request, *args, **kwargs))


def _cacheable_request(request):
    if request.method != "GET" or request.user.is_authenticated:
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
    response = HttpResponse(content)
    for name, value in headers.items():
        response[name] = value
    response["X-Cache"] = "hit"
    return response


def cache_public_page(versions):
    """Cache an anonymous public page under `versions(request, *args, **kwargs)`, a
    tuple of version names (`claim_page_versions`, `site_page_versions`)."""

    def decorator(view):
        view_name = f"{view.__module__}.{getattr(view, '__qualname__', type(view).__name__)}"

        @wraps(view)
        def wrapped(request, *args, **kwargs):
            if not _cacheable_request(request):
                return view(request, *args, **kwargs)
            key = _page_key(request, view_name)
            try:
                if health.skipping():
                    raise ConnectionError("skipped: the cache failed a moment ago")
                health.settle_epoch()
                tokens, recent, found = current_versions(
                    _page_versions(versions, request, *args, **kwargs), also=[key]
                )
            except CACHE_ERRORS as error:
                if not health.skipping():
                    health.failed("reading a page", error)
                return _uncached(view, request, *args, **kwargs)
            stored = found[key]
            if stored is not None and stored[0] == tokens:
                return _restored(stored)
            # Just changed: a read replica may not have the change yet, and what is
            # rendered now is cached under the new version, so read the primary.
            with reading_from_primary() if recent else nullcontext():
                response = view(request, *args, **kwargs)
                if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                    response.render()
            if (
                response.status_code == 200
                and not response.streaming
                and not response.cookies
                and not request.META.get("CSRF_COOKIE_NEEDS_UPDATE")
            ):
                timeout = getattr(settings, "PUBLIC_PAGE_CACHE_SECONDS", DEFAULT_TIMEOUT)
                try:
                    cache.set(key, _stored(tokens, response), timeout=timeout)
                except CACHE_ERRORS as error:
                    health.failed("storing a page", error)
                    response["X-Cache"] = "bypass"
                else:
                    response["X-Cache"] = "miss"
            return response

        return wrapped

    return decorator


def _uncached(view, request, *args, **kwargs):
    """The page rendered without the cache. Whether a version moved lately cannot be
    known, so it is read from the primary, which always has the latest change."""
    with reading_from_primary():
        response = view(request, *args, **kwargs)
        if hasattr(response, "render") and not getattr(response, "is_rendered", True):
            response.render()
    response["X-Cache"] = "bypass"
    return response


def public_page(view, versions=site_page_versions):
    """A public page view, cached and reading from the replica (config/db_router.py)."""
    return cache_public_page(versions)(replica_reads(view))


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


# What moves which version


def _claim_slugs(**filters):
    from claims.models import Claim

    return set(Claim.objects.filter(**filters).values_list("slug", flat=True))


def _claims_of_sources(source_ids):
    from claims.assessment import claims_of_sources

    return _claim_slugs(pk__in=claims_of_sources(source_ids))


class _Gathered:
    """What changed in a write batch, moved once when the batch ends."""

    def __init__(self):
        self.versions = set()
        self.claim_slugs = set()
        self.claim_ids = set()
        self.evidence_ids = set()
        self.source_ids = set()

    def finish(self):
        from provenance.graph import chunks

        slugs = set(self.claim_slugs)
        for ids in chunks(self.claim_ids):
            slugs |= _claim_slugs(pk__in=ids)
        for ids in chunks(self.evidence_ids):
            slugs |= _claim_slugs(evidence__pk__in=ids)
        for ids in chunks(self.source_ids):
            slugs |= _claims_of_sources(ids)
        move_claims(slugs, also=self.versions)


def _gathered():
    batch = current_write_batch()
    return None if batch is None else batch.gathering(__name__, _Gathered)


def _claims_changed(*, slugs=(), ids=(), evidence_ids=()):
    gathered = _gathered()
    if gathered is None:
        slugs = set(slugs)
        if ids:
            slugs |= _claim_slugs(pk__in=ids)
        if evidence_ids:
            slugs |= _claim_slugs(evidence__pk__in=evidence_ids)
        move_claims(slugs)
        return
    gathered.claim_slugs.update(slugs)
    gathered.claim_ids.update(ids)
    gathered.evidence_ids.update(evidence_ids)


def _sources_changed(source_ids):
    gathered = _gathered()
    if gathered is None:
        move_claims(_claims_of_sources(source_ids))
    else:
        gathered.source_ids.update(source_ids)


def _names_changed():
    gathered = _gathered()
    if gathered is None:
        move_versions({SITE, NAMES})
    else:
        gathered.versions.update({SITE, NAMES})


def on_claim_about_to_be_saved(sender, instance, raw=False, **kwargs):
    # Remember the slug it had: a new slug leaves a cached page at the old address.
    instance._cache_former_slugs = _claim_slugs(pk=instance.pk) if instance.pk else set()


def on_claim_saved(sender, instance, **kwargs):
    _claims_changed(slugs={instance.slug} | getattr(instance, "_cache_former_slugs", set()))


def on_claim_deleted(sender, instance, **kwargs):
    _claims_changed(slugs={instance.slug})


def on_evidence_changed(sender, instance, **kwargs):
    _claims_changed(ids={instance.claim_id})


def on_presentation_changed(sender, instance, **kwargs):
    _claims_changed(evidence_ids={instance.evidence_id})


def on_source_changed(sender, instance, **kwargs):
    _sources_changed({instance.pk})


def on_source_part_changed(sender, instance, **kwargs):
    """A custody event or a creator of a source."""
    _sources_changed({instance.source_id})


def on_citation_changed(sender, instance, **kwargs):
    _sources_changed({instance.citing_id})


def on_name_changed(sender, instance, **kwargs):
    """An agent, another name of one, an event or a topic."""
    _names_changed()


def on_claim_relations_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A claim's subjects or topics, changed from either side."""
    from claims.models import Claim

    if not reverse:
        if action.startswith("post_"):
            _claims_changed(slugs={instance.slug})
        return
    if action in ("post_add", "post_remove"):
        _claims_changed(ids=pk_set or ())
    elif action == "pre_clear":  # only before the clear are its claims known
        relation = "subjects" if sender is Claim.subjects.through else "topics"
        _claims_changed(slugs=_claim_slugs(**{relation: instance}))


def on_names_relation_changed(sender, action, **kwargs):
    """Presenters, organisers, custody agents: names shown on pages."""
    if action.startswith("post_"):
        _names_changed()


def on_assessments_changed(sender, slugs, **kwargs):
    _claims_changed(slugs=slugs)


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
