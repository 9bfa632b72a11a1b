"""A published claim's provenance in W3C PROV: PROV-JSON read back by the `prov`
package, PROV-O Turtle by rdflib, and the demo claim's chain of derivations, custody
and presentations as a PROV tool sees it."""

import pytest
from django.urls import reverse
from prov.model import (
    PROV_ATTR_ACTIVITY,
    PROV_ATTR_AGENT,
    PROV_ATTR_ENTITY,
    PROV_ATTR_GENERATED_ENTITY,
    PROV_ATTR_INFLUENCEE,
    PROV_ATTR_INFLUENCER,
    PROV_ATTR_USED_ENTITY,
    ProvActivity,
    ProvAssociation,
    ProvDerivation,
    ProvDocument,
    ProvEntity,
    ProvInfluence,
    ProvUsage,
)
from rdflib import RDF, Graph, Namespace, URIRef

from claims.models import Claim
from provenance.models import Citation, CustodyEvent, Source
from tests.builders import add_evidence, cite, make_agent, make_claim, make_event, make_source

pytestmark = pytest.mark.django_db

PROV = Namespace("http://www.w3.org/ns/prov#")
SITE = "http://testserver"
OURS = Namespace(f"{SITE}/methodology/#")
DEMO_CLAIM = "stalin-approved-invasion"


def page(path):
    return URIRef(f"{SITE}{path}")


def source(slug):
    return page(f"/sources/{slug}/")


def get_prov(client, slug, format, *, status=200):
    response = client.get(reverse(f"claims:prov_{format}", kwargs={"slug": slug}))
    assert response.status_code == status
    return response


def turtle_graph(client, slug):
    response = get_prov(client, slug, "turtle")
    assert response["Content-Type"] == "text/turtle; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{slug}.prov.ttl"'
    return Graph().parse(data=response.content.decode(), format="turtle")


def qualified(graph, subject, relation):
    """(entity or agent, its types) of each qualified relation of `subject`: prov's
    RDF serializer writes every relation in its qualified form."""
    found = set()
    for node in graph.objects(subject, PROV[f"qualified{relation}"]):
        target = graph.value(node, PROV.entity) or graph.value(node, PROV.agent)
        found.add((target, frozenset(graph.objects(node, RDF.type))))
    return found


def relations(document, record_type, first, second, *, prov_type=None):
    """(first, second) identifiers of each record of `record_type`, as URIs; only
    those of `prov_type` if given (a primary source is a derivation of that type)."""
    return {
        (str(record.get_attribute(first).pop().uri), str(record.get_attribute(second).pop().uri))
        for record in document.get_records(record_type)
        if record.get_attribute(first) and record.get_attribute(second)
        if prov_type is None or prov_type in {str(t) for t in record.get_asserted_types()}
    }


# The demo claim, as a PROV tool reads it


def test_the_demo_claim_reads_back_from_prov_json_with_its_derivation_chain(client, demo_data):

    response = get_prov(client, DEMO_CLAIM, "json")
    assert response["Content-Type"] == "application/json; charset=utf-8"
    assert response["Content-Disposition"] == f'inline; filename="{DEMO_CLAIM}.prov.json"'

    document = ProvDocument.deserialize(content=response.content.decode(), format="json")

    entities = {str(record.identifier.uri) for record in document.get_records(ProvEntity)}
    claim = f"{SITE}/claims/{DEMO_CLAIM}/"
    assert {claim, str(source("report-1966")), str(source("stalin-kim-telegrams"))} <= entities
    derived = relations(document, ProvDerivation, PROV_ATTR_GENERATED_ENTITY, PROV_ATTR_USED_ENTITY)
    # The claim rests on the 1966 report, which summarises the Stalin–Kim telegrams;
    # the AP report summarises the 1966 report.
    assert (claim, str(source("report-1966"))) in derived
    assert (str(source("report-1966")), str(source("stalin-kim-telegrams"))) in derived
    assert (str(source("ap-1993-01-13")), str(source("report-1966"))) in derived
    primary = relations(
        document,
        ProvDerivation,
        PROV_ATTR_GENERATED_ENTITY,
        PROV_ATTR_USED_ENTITY,
        prov_type="prov:PrimarySource",
    )
    assert (claim, str(source("stalin-kim-telegrams"))) in primary
    assert (str(source("report-1966")), str(source("stalin-kim-telegrams"))) in primary
    # Read back whole: the document served is the document the deserializer rebuilds.
    again = ProvDocument.deserialize(content=document.serialize(format="json"), format="json")
    assert again == document


def test_the_demo_claims_turtle_holds_its_derivations_by_kind_custody_and_presentation(
    client, demo_data
):
    graph = turtle_graph(client, DEMO_CLAIM)
    claim = page(f"/claims/{DEMO_CLAIM}/")
    report = source("report-1966")

    assert (claim, RDF.type, PROV.Entity) in graph
    assert (report, PROV.qualifiedDerivation, None) in graph
    assert (source("stalin-kim-telegrams"), frozenset({PROV.Derivation, OURS.Summary})) in (
        qualified(graph, report, "Derivation")
    )
    assert (report, frozenset({PROV.Derivation, OURS.Evidence})) in qualified(
        graph, claim, "Derivation"
    )
    # The AP report cites Khrushchev's memoirs.
    assert (source("khrushchev-remembers"), frozenset({PROV.Derivation, OURS.Citation})) in (
        qualified(graph, source("ap-1993-01-13"), "Derivation")
    )
    assert (source("stalin-kim-telegrams"), frozenset({PROV.PrimarySource})) in qualified(
        graph, claim, "PrimarySource"
    )

    # Its making: compiled in 1966 for the ministry, the archive as compiler.
    making = graph.value(report, PROV.wasGeneratedBy) or graph.value(
        graph.value(report, PROV.qualifiedGeneration), PROV.activity
    )
    assert making == page("/sources/report-1966/#custody-created-1966")
    assert (page("/people/soviet-ministry-of-foreign-affairs/"), frozenset({PROV.Association})) in (
        qualified(graph, making, "Association")
    )
    roles = {
        graph.value(node, PROV.hadRole) for node in graph.objects(making, PROV.qualifiedAssociation)
    }
    assert {OURS.author, OURS.compiler} <= roles
    # Declassified on 13 January 1993, an activity that used the report.
    declassified = page("/sources/report-1966/#custody-declassified-1993-01-13")
    assert (declassified, RDF.type, OURS.declassified) in graph
    assert (declassified, PROV.used, report) in graph
    assert str(graph.value(declassified, PROV.startedAtTime)) == "1993-01-13T00:00:00"

    # Presented by Weathersby and Holloway at the Moscow conference, reported by AP.
    presentation = page(f"/claims/{DEMO_CLAIM}/#presentation-report-1966-1993-01-13")
    assert (presentation, RDF.type, OURS.Presentation) in graph
    assert (presentation, PROV.atLocation, page("/events/cwihp-moscow-1993/")) in graph
    presenters = {
        (graph.value(node, PROV.agent), graph.value(node, PROV.hadRole))
        for node in graph.objects(presentation, PROV.qualifiedAssociation)
    }
    assert presenters == {
        (page("/people/kathryn-weathersby/"), OURS.presenter),
        (page("/people/david-holloway/"), OURS.presenter),
    }
    assert (source("ap-1993-01-13"), PROV.wasInfluencedBy, presentation) in graph
    assert (page("/people/kathryn-weathersby/"), RDF.type, PROV.Person) in graph


def test_quotes_copies_translations_and_a_primary_root_become_their_prov_relations(client):
    minutes = make_source("Minutes of the meeting", kind=Source.Kind.MINUTES, date="1950-04")
    memoir = make_source("A memoir", kind=Source.Kind.MEMOIR, date="1970")
    reprint = make_source("The memoir reprinted", kind=Source.Kind.BOOK, date="1990")
    translation = make_source("The memoir in English", kind=Source.Kind.BOOK, date="1991")
    cite(memoir, minutes, kind=Citation.Kind.QUOTES)
    cite(reprint, memoir, kind=Citation.Kind.COPIES)
    cite(translation, reprint, kind=Citation.Kind.TRANSLATES)
    claim = make_claim("The meeting agreed.")
    add_evidence(claim, translation)

    graph = turtle_graph(client, claim.slug)

    memoir_iri, minutes_iri = source(memoir.slug), source(minutes.slug)
    assert (minutes_iri, frozenset({PROV.Quotation, OURS.Quotation})) in qualified(
        graph, memoir_iri, "Quotation"
    )
    assert (memoir_iri, frozenset({PROV.Revision, OURS.Copy})) in qualified(
        graph, source(reprint.slug), "Revision"
    )
    assert (source(reprint.slug), frozenset({PROV.Derivation, OURS.Translation})) in qualified(
        graph, source(translation.slug), "Derivation"
    )
    # The minutes, a contemporaneous record at the root, are the primary source of
    # everything that derives from them, and of the claim.
    chain = (memoir_iri, source(reprint.slug), source(translation.slug))
    for derived in (*chain, page(claim.get_absolute_url())):
        assert (minutes_iri, frozenset({PROV.PrimarySource})) in qualified(
            graph, derived, "PrimarySource"
        )
    assert (minutes_iri, PROV.qualifiedPrimarySource, None) not in graph


def test_custody_agents_and_places_are_in_the_prov_json(client):

    yeltsin = make_agent("Boris Yeltsin", slug="boris-yeltsin")
    summit = make_event("Seoul summit", date="1994-06", slug="seoul-summit")
    telegrams = make_source("Telegrams", slug="telegrams", kind=Source.Kind.TELEGRAM)
    handed_over = CustodyEvent.objects.create(
        source=telegrams, kind=CustodyEvent.Kind.DECLASSIFIED, date="1994-06", event=summit
    )
    handed_over.agents.set([yeltsin])
    claim = make_claim("Stalin approved.")
    add_evidence(claim, telegrams)

    document = ProvDocument.deserialize(
        content=get_prov(client, claim.slug, "json").content.decode(), format="json"
    )

    activity = f"{SITE}/sources/telegrams/#custody-declassified-1994-06"
    assert (activity, str(source("telegrams"))) in relations(
        document, ProvUsage, PROV_ATTR_ACTIVITY, PROV_ATTR_ENTITY
    )
    assert (activity, f"{SITE}/people/boris-yeltsin/") in relations(
        document, ProvAssociation, PROV_ATTR_ACTIVITY, PROV_ATTR_AGENT
    )
    [record] = [r for r in document.get_records(ProvActivity) if str(r.identifier.uri) == activity]
    assert str(record.get_startTime().date()) == "1994-06-01"
    assert str(record.get_endTime().date()) == "1994-06-30"
    assert {str(location.uri) for location in record.get_attribute("prov:location")} == {
        f"{SITE}/events/seoul-summit/"
    }


def test_a_presentation_reported_elsewhere_influences_the_report(client):

    report = make_source("Report", slug="report", kind=Source.Kind.REPORT)
    news = make_source("News", kind=Source.Kind.NEWS_REPORT)
    claim = make_claim("Stalin approved.")
    add_evidence(claim, report, presentations=[{"date": "1993-01-13", "reported_in": news}])

    document = ProvDocument.deserialize(
        content=get_prov(client, claim.slug, "json").content.decode(), format="json"
    )

    assert (
        str(source(news.slug)),
        f"{SITE}{claim.get_absolute_url()}#presentation-report-1993-01-13",
    ) in relations(document, ProvInfluence, PROV_ATTR_INFLUENCEE, PROV_ATTR_INFLUENCER)


def test_a_draft_claim_or_a_bad_address_has_no_provenance(client):
    source_record = make_source("Notes")
    add_evidence(make_claim("A draft.", slug="a-draft", status=Claim.Status.DRAFT), source_record)

    for format in ("turtle", "json"):
        get_prov(client, "a-draft", format, status=404)
        get_prov(client, "no-such-claim", format, status=404)


def test_a_claims_provenance_is_read_in_nine_queries(client, django_assert_num_queries):
    root = make_source("Telegrams", kind=Source.Kind.TELEGRAM, creators=[make_agent("Stalin")])
    report = make_source("Report", kind=Source.Kind.REPORT, custody=[("declassified", "1993")])
    cite(report, root, kind=Citation.Kind.SUMMARISES)
    news = make_source("News", kind=Source.Kind.NEWS_REPORT)
    claim = make_claim("Stalin approved.")
    presenter = make_agent("Kathryn Weathersby")
    add_evidence(claim, report, presentations=[{"presenters": [presenter], "reported_in": news}])

    with django_assert_num_queries(9):
        # 1 the published claim
        # 2 its evidence
        # 3 the presentations of its evidence with their events
        # 4 their presenters
        # 5 the citations walked from its sources to the roots
        # 6 the sources with their holding archives
        # 7 their creators with their agents
        # 8 their custody events with their events
        # 9 the agents of those custody events
        response = get_prov(client, claim.slug, "turtle")
    assert response["X-Cache"] == "miss"
    with django_assert_num_queries(0):
        assert get_prov(client, claim.slug, "turtle")["X-Cache"] == "hit"
