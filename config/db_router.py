"""Send the reads of public pages to a read replica, everything else to the primary.

With `DATABASE_REPLICA_URL` set, settings add a "replica" database alias and this
router. A public page view wrapped in `replica_reads` reads from the replica when the
request is an anonymous GET or HEAD; all writes, every read of a logged-in user (a
curator must see what they have just saved, whatever the replication lag), the admin,
and any read inside a transaction opened by the view go to the primary ("default").
Without the alias the router sends everything to the primary.

Why a decorator on the public views and not a middleware: a router only sees a model,
never the request, so the request's verdict travels in a context variable that the
decorator sets for exactly the view and the rendering of its response.
"""

import contextvars
from contextlib import contextmanager
from functools import wraps

from django.db import DEFAULT_DB_ALIAS, connections

REPLICA = "replica"

# None outside public reads; inside, the number of the primary connection's atomic
# blocks open when the read began (a test case's own transaction counts as none of the
# view's), so that a transaction the view opens sends its reads to the primary.
_public_read: contextvars.ContextVar[int | None] = contextvars.ContextVar(
    "corroborate_public_read", default=None
)


# True while a view must read from the primary although it is a public read: its page
# changed so recently that the replica may not have it yet (reader/cache.py).
_primary_only: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "corroborate_primary_only", default=False
)


def replica_configured() -> bool:
    return REPLICA in connections.settings


@contextmanager
def reading_from_replica():
    """Within the block, reads go to the replica (when there is one)."""
    token = _public_read.set(len(connections[DEFAULT_DB_ALIAS].atomic_blocks))
    try:
        yield
    finally:
        _public_read.reset(token)


@contextmanager
def reading_from_primary():
    """Within the block, even public reads go to the primary."""
    token = _primary_only.set(True)
    try:
        yield
    finally:
        _primary_only.reset(token)


def replica_reads(view):
    """Wrap a public page view so that an anonymous GET or HEAD reads from the replica,
    its response rendered inside (template responses render lazily)."""

    @wraps(view)
    def wrapped(request, *args, **kwargs):
        if (
            request.method not in ("GET", "HEAD")
            or request.user.is_authenticated
            or _primary_only.get()
        ):
            return view(request, *args, **kwargs)
        with reading_from_replica():
            response = view(request, *args, **kwargs)
            if hasattr(response, "render") and not getattr(response, "is_rendered", True):
                response.render()
        return response

    return wrapped


class PrimaryReplicaRouter:
    """Reads inside `reading_from_replica` go to the replica; all else to the primary."""

    def db_for_read(self, model, **hints):
        depth = _public_read.get()
        if (
            depth is not None
            and replica_configured()
            and len(connections[DEFAULT_DB_ALIAS].atomic_blocks) <= depth
        ):
            return REPLICA
        return DEFAULT_DB_ALIAS

    def db_for_write(self, model, **hints):
        return DEFAULT_DB_ALIAS

    def allow_relation(self, obj1, obj2, **hints):
        return True  # the replica holds the primary's rows: the same objects

    def allow_migrate(self, db, app_label, model_name=None, **hints):
        return db == DEFAULT_DB_ALIAS  # a replica follows the primary's schema
