"""The home page's counts of what is public, stored by the writes that change them.

Counting goes over the whole archive, so readers never count: every write that can
change what is public (a claim published, unpublished or deleted, its evidence,
presentations, subjects, or any link claims/visibility.py follows) asks for a recount,
which runs once when its transaction commits. Fixture loads, `reassess` and the
archive generator store them too.
"""

from django.db import transaction
from django.utils import timezone

from claims import visibility
from claims.models import Claim, PublicFigure

FIGURES = ("claims", "sources", "people", "events")


def count_public():
    """Count what is public, over the whole archive (4 queries): published claims,
    and the sources, people and organisations, and events that claims/visibility.py
    makes public."""
    return {
        "claims": Claim.objects.published().count(),
        "sources": visibility.public_sources().count(),
        "people": visibility.public_agents().count(),
        "events": visibility.public_events().count(),
    }


def public_figures_store():
    """Count what is public and store the figures that changed (5 queries and, when
    one changed, an upsert). An unchanged figure keeps the time it was counted, so a
    restored backup reads back as it was dumped."""
    counts = count_public()
    stored = dict(PublicFigure.objects.values_list("name", "value"))
    now = timezone.now()
    changed = [
        PublicFigure(name=name, value=value, counted_at=now)
        for name, value in counts.items()
        if stored.get(name) != value
    ]
    if changed:
        PublicFigure.objects.bulk_create(
            changed,
            update_conflicts=True,
            unique_fields=["name"],
            update_fields=["value", "counted_at"],
        )
    return counts


_recount_pending = False


def _recount_now():
    global _recount_pending
    if _recount_pending:
        _recount_pending = False
        public_figures_store()


def public_figures_recount_on_commit():
    """Store the counts again when the current transaction commits; many calls in one
    transaction count once."""
    global _recount_pending
    _recount_pending = True
    # A callback for every call: the first to run after the commit counts and the rest
    # find nothing pending; registering only the first would strand the recount when
    # its transaction rolls back and drops it.
    transaction.on_commit(_recount_now)
