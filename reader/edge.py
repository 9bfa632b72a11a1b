"""Purging a shared HTTP cache in front of the site (Varnish with xkey: config/varnish.vcl)
by surrogate key, after a change commits.

Every public response names the keys of what it shows (its `xkey` and `Surrogate-Key`
headers); a change names the keys it makes stale by the page cache's own rule
(reader/cache.py: `keys_to_purge`), and once the transaction commits (its
`pages_changed` signal) each cache in `settings.EDGE_PURGE_URLS` is sent `PURGE` with
those keys in its `xkey-purge` header. Before the commit a purge would let a reader's
request refill the cache from the old data.

Like the page cache, an edge cache is an optimisation, never a dependency: a purge that
fails (refused, timed out) never fails the curator's save. It is logged, at most once
per `LOG_INTERVAL`, and the pages it should have purged stay until their s-maxage ends
(docs/deployment.md).
"""

import http.client
import logging
import threading
import time
from urllib.parse import urlsplit

from django.conf import settings

logger = logging.getLogger(__name__)

# A purge waits at most this long for each cache: a save must not hang on one.
TIMEOUT_SECONDS = 2
LOG_INTERVAL = 60
# Keys per PURGE request, so that the header stays well inside Varnish's 8 KB limit.
KEYS_PER_REQUEST = 200

_log_lock = threading.Lock()
_logged_at = None


def connect():
    """Purge the edge caches whenever the page cache says what changed: its
    `pages_changed` is sent once a change commits, with the surrogate keys to purge."""
    from reader.cache import pages_changed

    pages_changed.connect(on_pages_changed, dispatch_uid="reader.edge.purge")


def on_pages_changed(sender, keys, **kwargs):
    if settings.EDGE_PURGE_URLS:
        purge(keys)


def purge(keys):
    """Send the purge now; returns how many caches took it."""
    keys = sorted(set(keys))
    took = 0
    for url in settings.EDGE_PURGE_URLS:
        try:
            for start in range(0, len(keys), KEYS_PER_REQUEST):
                _send(url, keys[start : start + KEYS_PER_REQUEST])
            took += 1
        except (OSError, http.client.HTTPException, PurgeRefused) as error:
            _log_failure(url, error)
    return took


class PurgeRefused(Exception):
    pass


def _send(url, keys):
    parts = urlsplit(url)
    connection_class = (
        http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    )
    connection = connection_class(parts.hostname, parts.port, timeout=TIMEOUT_SECONDS)
    try:
        connection.request("PURGE", parts.path or "/", headers={"xkey-purge": " ".join(keys)})
        response = connection.getresponse()
        response.read()
        if response.status != 200:
            raise PurgeRefused(f"{response.status} {response.reason}")
    finally:
        connection.close()


def _log_failure(url, error):
    global _logged_at
    now = time.monotonic()
    with _log_lock:
        if _logged_at is not None and now - _logged_at < LOG_INTERVAL:
            return
        _logged_at = now
    logger.warning(
        "Purging the edge cache at %s failed (%r): its pages stay until their s-maxage ends.",
        url,
        error,
    )
