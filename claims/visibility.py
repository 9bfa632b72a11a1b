"""What readers may see of everything that is not a claim: the one visibility rule.

A claim is public while it is published. Every other record is public only while a
published claim rests on it, through one of these links and no other:

- a source: evidence for a published claim; or a source such evidence derives from,
  directly or through other sources (provenance/graph.py); or the source that
  reported a presentation of that evidence;
- a person or an organisation: a subject of a published claim; a presenter of its
  evidence; a creator of a public source; the archive holding one; an agent of a
  custody event of one; an organiser of a public event; and an organisation that
  a presenter or a maker of a public source is affiliated with (one step only);
- an event: where evidence for a published claim was presented, or where something
  in the custody of a public source happened;
- a topic: a topic of a published claim, or the broader topic one or two levels
  above it (the claim list's topic filter reaches that far down).

An affiliation makes public only the organisation of someone who presented evidence or
made a public source, so that the page of such a scholar can say where they worked; it
never makes a member public, and makes no further organisation public. A
public page shows its links to other records only where those are public too
(reader/views/), so no public page links to a page that answers 404.

Each rule is a condition (`source_is_public`, ...) that any queryset can filter by,
row by row, so a page asking about a few records never works out the whole public
archive; `public_sources()` and the others apply it to every record of a kind. They
live with the domain, not with the pages, because the home page's stored counts
(claims/public_figures.py) count the same sets.
"""

from django.db.models import Exists, OuterRef, Q

from claims.models import Claim, Evidence, Presentation, Topic
from provenance.graph import DerivesInto
from provenance.models import Affiliation, Agent, CustodyEvent, Event, Source, SourceCreator

PUBLISHED = Claim.Status.PUBLISHED


def _published_evidence():
    return Evidence.objects.filter(claim__status=PUBLISHED)


def source_is_public(ref="pk"):
    """True of the source whose id is in column `ref` of the filtered query."""
    evidence = _published_evidence().filter(source=OuterRef(ref))
    reported = Presentation.objects.filter(
        reported_in=OuterRef(ref), evidence__claim__status=PUBLISHED
    )
    # The walk last: it is the dearest, and most public sources are evidence themselves.
    derived = DerivesInto(ref, _published_evidence().order_by().values("source_id"))
    return Q(Exists(evidence)) | Q(Exists(reported)) | Q(derived)


def event_is_public(ref="pk"):
    """True of the event whose id is in column `ref` of the filtered query."""
    return Q(
        Exists(Presentation.objects.filter(event=OuterRef(ref), evidence__claim__status=PUBLISHED))
    ) | Q(Exists(CustodyEvent.objects.filter(Q(event=OuterRef(ref)) & source_is_public("source"))))


def agent_is_public(ref="pk"):
    """True of the person or organisation whose id is in column `ref`."""
    subjects = Claim.subjects.through.objects.filter(agent=OuterRef(ref), claim__status=PUBLISHED)
    held = Source.objects.filter(Q(archive=OuterRef(ref)) & source_is_public("pk"))
    custody = CustodyEvent.agents.through.objects.filter(
        Q(agent=OuterRef(ref)) & source_is_public("custodyevent__source")
    )
    organised = Event.organisers.through.objects.filter(
        Q(agent=OuterRef(ref)) & event_is_public("event")
    )
    members = Affiliation.objects.filter(
        Q(organisation=OuterRef(ref)) & _made_or_presented("agent")
    )
    return (
        Q(Exists(subjects))
        | _made_or_presented(ref)
        | Q(Exists(held))
        | Q(Exists(custody))
        | Q(Exists(organised))
        | Q(Exists(members))
    )


def _made_or_presented(ref):
    """True of an agent who presented evidence for a published claim or made a public
    source: the members whose organisations an affiliation makes public. Fewer links
    than the whole rule, since PostgreSQL's planning time grows with every condition
    repeated here."""
    presenters = Presentation.presenters.through.objects.filter(
        agent=OuterRef(ref), presentation__evidence__claim__status=PUBLISHED
    )
    creators = SourceCreator.objects.filter(Q(agent=OuterRef(ref)) & source_is_public("source"))
    return Q(Exists(presenters)) | Q(Exists(creators))


def topic_is_public(ref="pk"):
    """True of the topic whose id is in column `ref`: a published claim is filed
    under it, or under a topic one or two levels below it."""
    tagged = Claim.topics.through.objects.filter(claim__status=PUBLISHED)
    # Three checks, not one with an OR inside: each finds its first published claim
    # through the index on the topic, where the OR made PostgreSQL read every claim's
    # topics for every topic offered on the claim list.
    return (
        Q(Exists(tagged.filter(topic=OuterRef(ref))))
        | Q(Exists(tagged.filter(topic__parent=OuterRef(ref))))
        | Q(Exists(tagged.filter(topic__parent__parent=OuterRef(ref))))
    )


def public_sources():
    return Source.objects.filter(source_is_public())


def public_agents():
    return Agent.objects.filter(agent_is_public())


def public_events():
    return Event.objects.filter(event_is_public())


def public_topics():
    return Topic.objects.filter(topic_is_public())
