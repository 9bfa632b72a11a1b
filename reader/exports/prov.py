"""A public claim's provenance in W3C PROV, built with the `prov` package: served as
PROV-JSON and as PROV-O Turtle (reader/views/exports.py).

- The claim and its sources are entities, named by their public pages' addresses.
  The claim derives from each source its evidence comes from (a derivation of type
  corroborate:Evidence, with the stance).
- A citation is a derivation of the citing source from the cited one, by kind:
  quotes is prov:wasQuotedFrom; copies prov:wasRevisionOf (a copy or reprint is
  another version of the same document); summarises, translates and cites are
  prov:wasDerivedFrom typed corroborate:Summary, Translation and Citation.
- A contemporaneous record that derives from nothing recorded is a primary root:
  every source that derives from it, directly or through others, and the claim
  resting on it, had it as prov:hadPrimarySource.
- A source's making is an activity (its "created" custody event, if recorded) that
  generated it, associated with its creators in their roles (author, sender,
  recipient, translator, editor, compiler, publisher); authors and senders are also
  those it is attributed to. Every other custody event (classified, declassified,
  published, authenticated …) is an activity that used it, with its agents, dates
  and the event where it happened as its location.
- A presentation of evidence is an activity that used the source, associated with
  its presenters (role corroborate:presenter), at its event; the source that
  reported it was influenced by it.
- Agents are prov:Person or prov:Organization; events are prov:Location entities.

Types and roles of our own are in the `corroborate` namespace, the methodology page's
address; dates become the first and last moments of the days EDTF bounds give.
"""

import datetime
from urllib.parse import quote

from prov.model import PROV, PROV_TYPE, ProvDocument

from provenance import graph
from provenance.models import Citation, CustodyEvent, Source

PROV_LABEL = PROV["label"]
PROV_ROLE = PROV["role"]
PROV_LOCATION = PROV["location"]

DERIVATION_TYPES = {
    Citation.Kind.SUMMARISES: "Summary",
    Citation.Kind.TRANSLATES: "Translation",
    Citation.Kind.CITES: "Citation",
    Citation.Kind.QUOTES: "Quotation",
    Citation.Kind.COPIES: "Copy",
}


def _moments(lower, upper):
    """(start, end) datetimes of EDTF bounds; None for an open or unknown end."""
    start = datetime.datetime.combine(lower, datetime.time.min) if lower else None
    end = datetime.datetime.combine(upper, datetime.time(23, 59, 59)) if upper else None
    return start, end


class _Builder:
    def __init__(self, *, site, vocabulary):
        """`site` is the site's root address; `vocabulary` the address our own
        types and roles are named under."""
        self.document = ProvDocument()
        self.site = self.document.add_namespace("site", site)
        self.ours = self.document.add_namespace("corroborate", vocabulary)
        self.document.add_namespace("rdfs", "http://www.w3.org/2000/01/rdf-schema#")
        self.agents = {}
        self.locations = {}

    def iri(self, path):
        """The qualified name of a page's path on this site (/sources/x/ → site:sources/x/)."""
        return self.site[path.lstrip("/")]

    def agent(self, agent):
        if agent.pk not in self.agents:
            kind = PROV["Organization"] if agent.is_organisation else PROV["Person"]
            self.agents[agent.pk] = self.document.agent(
                self.iri(agent.get_absolute_url()), {PROV_TYPE: kind, PROV_LABEL: agent.name}
            )
        return self.agents[agent.pk]

    def location(self, event):
        if event is None:
            return {}
        if event.pk not in self.locations:
            attributes = {PROV_TYPE: PROV["Location"], PROV_LABEL: event.name}
            if event.place:
                attributes[self.ours["place"]] = event.place
            self.locations[event.pk] = self.document.entity(
                self.iri(event.get_absolute_url()), attributes
            )
        return {PROV_LOCATION: self.locations[event.pk].identifier}

    def source(self, source):
        attributes = {
            PROV_TYPE: self.ours[source.kind],
            PROV_LABEL: source.title,
            self.ours["kind"]: Source.Kind(source.kind).label,
        }
        if source.date:
            attributes[self.ours["date"]] = source.date
        where = ", ".join(
            part
            for part in (source.archival_reference, source.archive.name if source.archive else "")
            if part
        )
        if where:
            attributes[PROV_LOCATION] = where
        if source.archive:
            attributes[self.ours["holdingArchive"]] = self.agent(source.archive).identifier
        if source.url:
            attributes[self.ours["url"]] = source.url
        return self.document.entity(self.iri(source.get_absolute_url()), attributes)

    def making(self, source, entity):
        """The activity that made the source, with its creators in their roles."""
        path = source.get_absolute_url()
        created = [e for e in source.custody_events.all() if e.kind == CustodyEvent.Kind.CREATED]
        if created:
            event = created[0]
            activity = self.custody_activity(path, event)
        else:
            start, end = _moments(source.date_lower, source.date_upper)
            activity = self.document.activity(
                self.iri(f"{path}#creation"),
                start,
                end,
                {PROV_TYPE: self.ours["creation"], PROV_LABEL: f"Making of “{source.title}”"},
            )
        self.document.wasGeneratedBy(entity, activity)
        for role in source.creator_roles.all():
            agent = self.agent(role.agent)
            self.document.wasAssociatedWith(
                activity, agent, other_attributes={PROV_ROLE: self.ours[role.role]}
            )
            if role.role in ("author", "sender"):
                self.document.wasAttributedTo(entity, agent)

    def custody_activity(self, path, event):
        name = f"{path}#custody-{event.kind}" + (
            f"-{quote(event.date, safe='')}" if event.date else ""
        )
        start, end = _moments(event.date_lower, event.date_upper)
        attributes = {
            PROV_TYPE: self.ours[event.kind],
            PROV_LABEL: CustodyEvent.Kind(event.kind).label,
            **self.location(event.event),
        }
        if event.note:
            attributes[self.ours["note"]] = event.note
        if event.reference:
            attributes[self.ours["reference"]] = event.reference
        activity = self.document.activity(self.iri(name), start, end, attributes)
        for agent in event.agents.all():
            self.document.wasAssociatedWith(activity, self.agent(agent))
        return activity

    def custody(self, source, entity):
        for event in source.custody_events.all():
            if event.kind == CustodyEvent.Kind.CREATED:
                continue  # the making of the source, above
            activity = self.custody_activity(source.get_absolute_url(), event)
            self.document.used(activity, entity)

    def derivation(self, link, entities):
        citing, cited = entities[link.citing_id], entities[link.cited_id]
        kind = Citation.Kind(link.kind)
        attributes = {PROV_TYPE: self.ours[DERIVATION_TYPES[kind]]}
        if kind == Citation.Kind.QUOTES:
            self.document.wasQuotedFrom(citing, cited, other_attributes=attributes)
        elif kind == Citation.Kind.COPIES:
            self.document.wasRevisionOf(citing, cited, other_attributes=attributes)
        else:
            self.document.wasDerivedFrom(citing, cited, other_attributes=attributes)


def claim_document(gathered, *, site, vocabulary):
    """The PROV document of a public claim from what reader/views/exports.py gathered:
    the claim, its evidence, its presentations, the citation links walked from its
    sources, and the sources with their archive, creators and custody."""
    build = _Builder(site=site, vocabulary=vocabulary)
    claim = gathered.claim
    claim_entity = build.document.entity(
        build.iri(claim.get_absolute_url()),
        {PROV_TYPE: build.ours["Claim"], PROV_LABEL: claim.statement},
    )
    entities = {}
    for source in gathered.sources:
        entities[source.pk] = entity = build.source(source)
        build.making(source, entity)
        build.custody(source, entity)
    for link in gathered.links:
        build.derivation(link, entities)
    for item in gathered.evidence:
        build.document.wasDerivedFrom(
            claim_entity,
            entities[item.source_id],
            other_attributes={
                PROV_TYPE: build.ours["Evidence"],
                build.ours["stance"]: item.stance,
            },
        )
    _primary_sources(build, gathered, entities, claim_entity)
    by_pk = {source.pk: source for source in gathered.sources}
    for presentation in gathered.presentations:
        source_id = presentation.evidence.source_id
        presented = by_pk[source_id]
        date = f"-{quote(presentation.date, safe='')}" if presentation.date else ""
        start, end = _moments(presentation.date_lower, presentation.date_upper)
        activity = build.document.activity(
            build.iri(f"{claim.get_absolute_url()}#presentation-{presented.slug}{date}"),
            start,
            end,
            {
                PROV_TYPE: build.ours["Presentation"],
                PROV_LABEL: f"Presentation of “{presented.title}”",
                **build.location(presentation.event),
            },
        )
        build.document.used(
            activity, entities[source_id], other_attributes={PROV_ROLE: build.ours["evidence"]}
        )
        for presenter in presentation.presenters.all():
            build.document.wasAssociatedWith(
                activity,
                build.agent(presenter),
                other_attributes={PROV_ROLE: build.ours["presenter"]},
            )
        if presentation.reported_in_id:
            build.document.wasInfluencedBy(entities[presentation.reported_in_id], activity)
    return build.document


def _primary_sources(build, gathered, entities, claim_entity):
    """prov:hadPrimarySource from every source, and the claim, to each contemporaneous
    record at the root of its chain."""
    parents = {}
    for link in gathered.links:
        parents.setdefault(link.citing_id, set()).add(link.cited_id)
    by_pk = {source.pk: source for source in gathered.sources}
    primary = {
        pk
        for pk, source in by_pk.items()
        if pk not in parents and source.effective_proximity == Source.Proximity.CONTEMPORANEOUS
    }
    for pk in by_pk:
        for root in sorted(graph.reachable(pk, parents) & primary):
            build.document.hadPrimarySource(entities[pk], entities[root])
    roots = set()
    for item in gathered.evidence:
        reached = graph.reachable(item.source_id, parents) | {item.source_id}
        roots |= reached & primary
    for root in sorted(roots):
        build.document.hadPrimarySource(claim_entity, entities[root])


def turtle(document):
    return document.serialize(format="rdf", rdf_format="turtle")


def prov_json(document):
    return document.serialize(format="json", indent=2)
