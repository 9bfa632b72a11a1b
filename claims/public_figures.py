"""The home page's counts of what is public, stored by the writes that change them.

Counting goes over the whole archive, so readers never count: every write that can
change what is public (a claim published, unpublished or deleted, its evidence,
presentations, subjects, or the creators of a source behind it) asks for a recount,
which runs once when its transaction commits. Fixture loads, `reassess` and the
archive generator store them too.
"""

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from claims.models import Claim, Evidence, Presentation, PublicFigure
from provenance.models import Event, Source, SourceCreator

FIGURES = ("claims", "sources", "people", "events")


def count_public():
    """Count what is public, over the whole archive (4 queries):

    - claims: published claims;
    - sources: sources with evidence on a published claim;
    - people: people and organisations a published claim is about, who made a source
      with evidence on a published claim, or who presented such evidence;
    - events: events at which evidence on a published claim was presented.
    """
    published = Claim.Status.PUBLISHED
    source_ids = Evidence.objects.filter(claim__status=published).values("source_id")
    # One list of agent ids from the three links, counted once: an OR of three EXISTS
    # per agent made SQLite run the creators' subquery once for every agent.
    links = (
        Claim.subjects.through.objects.filter(claim__status=published),
        SourceCreator.objects.filter(source_id__in=source_ids),
        Presentation.presenters.through.objects.filter(
            presentation__evidence__claim__status=published
        ),
    )
    subjects, creators, presenters = (link.order_by().values("agent_id") for link in links)
    people = subjects.union(creators, presenters)
    events = Event.objects.filter(
        Exists(Presentation.objects.filter(event=OuterRef("pk"), evidence__claim__status=published))
    )
    return {
        "claims": Claim.objects.published().count(),
        "sources": Source.objects.filter(pk__in=source_ids).count(),
        "people": people.count(),
        "events": events.count(),
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
