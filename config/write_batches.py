"""Writes made in bulk (an import, the undo of one) as one batch.

Some receivers do costly follow-up work for every record saved: the page cache works
out which pages a change moves by walking the citations (reader/cache.py). Over ten
thousand rows that walk ran ten thousand times. Inside `write_batch()` such a
receiver notes what changed in a gathering of its own, and the gathering does the
work once, for everything, when the batch ends: still inside the batch's transaction,
so what it reads is what was written, and what it defers to the commit is deferred
as for a single save.

The app doing the bulk writes opens the batch; the apps that follow writes up keep
their own gatherings. Neither knows the other, so this lives in config/.
"""

import contextlib
import contextvars

_current = contextvars.ContextVar("corroborate_write_batch", default=None)


class WriteBatch:
    def __init__(self):
        self._gatherings = {}

    def gathering(self, key, make):
        """The gathering `key` keeps in this batch, made by `make()` on first use. A
        gathering has a `finish()` method, called once when the batch ends."""
        if key not in self._gatherings:
            self._gatherings[key] = make()
        return self._gatherings[key]

    def finish(self):
        for gathering in self._gatherings.values():
            gathering.finish()


def current_write_batch():
    """The batch open in this thread (or task), or None."""
    return _current.get()


@contextlib.contextmanager
def write_batch(*, kept=True):
    """Gather follow-up work inside the block and do it once when the block ends.

    `kept=False` when the block's writes are rolled back (an import's preview): nothing
    it wrote remains, so there is nothing to follow up. A block that raises does no
    follow-up either: its transaction is rolled back. A batch opened inside another
    joins it, and the outer one finishes the work."""
    if _current.get() is not None:
        yield _current.get()
        return
    batch = WriteBatch()
    token = _current.set(batch)
    try:
        yield batch
    finally:
        _current.reset(token)
    if kept:
        batch.finish()
