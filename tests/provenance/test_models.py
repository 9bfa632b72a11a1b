"""The provenance models hold what the design promises: derived date bounds, named
constraints in the database, natural keys, and clean() messages."""

import datetime

import pytest
from django.core import serializers
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction

from provenance.models import Agent, Citation, CustodyEvent, Source

pytestmark = pytest.mark.django_db


def make_source(slug, **fields):
    fields.setdefault("title", slug.replace("-", " ").title())
    fields.setdefault("kind", Source.Kind.REPORT)
    return Source.objects.create(slug=slug, **fields)


def test_saving_a_source_fills_its_date_bounds_from_the_edtf_text():
    source = make_source("meetings", date="1950-03/1950-04")
    assert source.date_lower == datetime.date(1950, 3, 1)
    assert source.date_upper == datetime.date(1950, 4, 30)
    assert source.date_in_words == "March–April 1950"


def test_a_blank_date_leaves_the_bounds_empty():
    source = make_source("undated", date="")
    assert (source.date_lower, source.date_upper) == (None, None)


def test_an_agent_without_a_sort_name_sorts_by_its_name():
    assert Agent.objects.create(slug="mao", name="Mao Zedong").sort_name == "Mao Zedong"


def test_proximity_follows_the_kind_unless_a_curator_sets_it():
    assert make_source("cable", kind=Source.Kind.TELEGRAM).effective_proximity == "contemporaneous"
    assert make_source("memoir", kind=Source.Kind.MEMOIR).effective_proximity == "testimony"
    set_by_hand = make_source("r", kind=Source.Kind.REPORT, proximity="contemporaneous")
    assert set_by_hand.effective_proximity == "contemporaneous"


def test_the_database_refuses_a_source_deriving_from_itself():
    source = make_source("loop")
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(citing=source, cited=source)


def test_the_database_refuses_the_same_citation_twice():
    a, b = make_source("a"), make_source("b")
    Citation.objects.create(citing=a, cited=b)
    with pytest.raises(IntegrityError), transaction.atomic():
        Citation.objects.create(citing=a, cited=b, kind=Citation.Kind.QUOTES)


def test_a_citation_that_closes_a_circle_through_intermediaries_is_refused_by_clean():
    a, b, c = make_source("a"), make_source("b"), make_source("c")
    Citation.objects.create(citing=a, cited=b)
    Citation.objects.create(citing=b, cited=c)
    with pytest.raises(ValidationError, match="circle"):
        Citation(citing=c, cited=a).full_clean()


def test_a_custody_event_before_the_source_was_made_is_refused():
    report = make_source("report", date="1966")
    with pytest.raises(ValidationError, match="before the source was created"):
        CustodyEvent(source=report, kind=CustodyEvent.Kind.DECLASSIFIED, date="1950").full_clean()


def test_a_status_changing_custody_event_needs_a_date():
    report = make_source("report", date="1966")
    with pytest.raises(ValidationError, match="strength timeline needs it"):
        CustodyEvent(source=report, kind=CustodyEvent.Kind.DECLASSIFIED, date="").full_clean()


def test_an_invalid_wikidata_id_is_refused_with_an_example():
    with pytest.raises(ValidationError, match="Q855"):
        Agent(slug="stalin", name="Joseph Stalin", wikidata_id="855").full_clean()


def test_an_organisation_cannot_be_affiliated_with_a_person():
    from provenance.models import Affiliation

    person = Agent.objects.create(slug="weathersby", name="Kathryn Weathersby")
    other = Agent.objects.create(slug="holloway", name="David Holloway")
    with pytest.raises(ValidationError, match="organisation"):
        Affiliation(agent=person, organisation=other, role="colleague").full_clean()


def test_serialising_with_natural_keys_names_related_records_by_slug():
    report = make_source("report-1966", date="1966")
    telegrams = make_source("telegrams", kind=Source.Kind.TELEGRAM, date="1950")
    Citation.objects.create(citing=report, cited=telegrams, kind=Citation.Kind.SUMMARISES)
    CustodyEvent.objects.create(source=report, kind=CustodyEvent.Kind.CREATED, date="1966")
    payload = serializers.serialize(
        "json",
        [*Citation.objects.all(), *CustodyEvent.objects.all()],
        use_natural_foreign_keys=True,
        use_natural_primary_keys=True,
    )
    assert '"citing": ["report-1966"]' in payload
    assert '"source": ["report-1966"]' in payload
    assert '"pk"' not in payload


def test_a_deserialised_record_with_a_natural_key_updates_the_existing_row():
    make_source("report-1966", date="1966")
    payload = (
        '[{"model": "provenance.source", "fields": {"slug": "report-1966", "title": "Renamed",'
        ' "kind": "report", "date": "1966"}}]'
    )
    for obj in serializers.deserialize("json", payload):
        obj.save()
    assert Source.objects.get().title == "Renamed"
