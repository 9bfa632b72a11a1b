"""The admin pages of sources and of people and organisations as a curator meets them:
what a person's date means, the access a new source has said out loud with the date
the method needs beside it, and a source autocomplete in a fixed order."""

import warnings

import pytest
from django.core.paginator import UnorderedObjectListWarning
from django.urls import reverse

from provenance.models import Agent, CustodyEvent, Source
from tests.builders import admin_url, make_source

pytestmark = pytest.mark.django_db


def test_a_persons_date_says_it_means_the_dates_of_life_or_existence(curator_client):
    response = curator_client.get(admin_url(Agent, "add"))
    assert "Dates of life or existence (EDTF)" in response.text
    assert "For a person, birth to death; for an organisation, founding to" in response.text


def source_form(**overrides):
    data = {
        "title": "Khrushchev Remembers",
        "slug": "khrushchev-remembers",
        "kind": "memoir",
        "proximity": "",
        "date": "1970",
        "language": "",
        "description": "",
        "archive": "",
        "archival_reference": "",
        "url": "",
        "access": "published",
        "access_since": "",
        "authenticity": "accepted",
        "credibility": "not_assessed",
        "publication_details": "",
        "doi": "",
        "isbn": "",
    }
    for prefix in ("creator_roles", "citations_made", "custody_events"):
        data.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    data.update(overrides)
    return data


def test_a_new_source_assumes_no_access_and_asks_since_when_beside_it(curator_client):
    response = curator_client.get(admin_url(Source, "add"))
    form = response.context["adminform"].form
    assert form["access"].value() == ""
    assert 'name="access_since"' in response.text
    assert "When it became so" in response.text


def test_a_source_saved_without_saying_its_access_is_a_form_error(curator_client):
    response = curator_client.post(admin_url(Source, "add"), source_form(access=""))
    assert response.status_code == 200
    assert "access" in response.context["adminform"].form.errors
    assert not Source.objects.exists()


def test_the_date_given_beside_access_is_recorded_in_the_custody_timeline(curator_client):
    response = curator_client.post(
        admin_url(Source, "add"), source_form(access="published", access_since="1970-12")
    )
    assert response.status_code == 302
    source = Source.objects.get()
    assert [(e.kind, e.date) for e in source.custody_events.all()] == [("published", "1970-12")]


def test_the_change_page_shows_since_when_and_saving_again_adds_nothing(curator_client):
    source = make_source(
        "Cables",
        kind=Source.Kind.TELEGRAM,
        date="1950",
        access=Source.Access.DECLASSIFIED,
        custody=[(CustodyEvent.Kind.DECLASSIFIED, "1994-06")],
    )
    page = curator_client.get(admin_url(Source, "change", source.pk))
    assert page.context["adminform"].form["access_since"].value() == "1994-06"

    custody = "custody_events-0"
    event = source.custody_events.get()
    data = source_form(
        title="Cables",
        slug=source.slug,
        kind="telegram",
        date="1950",
        access="declassified",
        access_since="1994-06",
        **{
            "custody_events-TOTAL_FORMS": "1",
            "custody_events-INITIAL_FORMS": "1",
            f"{custody}-id": str(event.pk),
            f"{custody}-source": str(source.pk),
            f"{custody}-kind": "declassified",
            f"{custody}-date": "1994-06",
            f"{custody}-reference": "",
            f"{custody}-note": "",
        },
    )
    response = curator_client.post(admin_url(Source, "change", source.pk), data)
    assert response.status_code == 302
    assert source.custody_events.count() == 1


def test_the_same_release_typed_in_the_custody_timeline_too_is_recorded_once(curator_client):
    custody = "custody_events-0"
    data = source_form(
        access="published",
        access_since="1970",
        **{
            "custody_events-TOTAL_FORMS": "1",
            f"{custody}-kind": "published",
            f"{custody}-date": "1970",
            f"{custody}-reference": "",
            f"{custody}-note": "",
        },
    )
    response = curator_client.post(admin_url(Source, "add"), data)
    assert response.status_code == 302
    assert [(e.kind, e.date) for e in Source.objects.get().custody_events.all()] == [
        ("published", "1970")
    ]


def test_a_release_before_the_source_was_made_is_a_form_error_beside_access(curator_client):
    response = curator_client.post(
        admin_url(Source, "add"), source_form(date="1970", access_since="1960")
    )
    assert response.status_code == 200
    errors = response.context["adminform"].form.errors["access_since"]
    assert "before the source was created" in errors[0]
    assert not Source.objects.exists()


def test_a_malformed_release_date_is_a_form_error_with_an_example(curator_client):
    response = curator_client.post(admin_url(Source, "add"), source_form(access_since="1970-13"))
    assert response.status_code == 200
    assert "month 13" in response.context["adminform"].form.errors["access_since"][0]


def test_the_source_autocomplete_lists_sources_by_date_without_a_warning(curator_client):
    make_source("Later", date="1993")
    make_source("Earlier", date="1950")
    with warnings.catch_warnings():
        warnings.simplefilter("error", UnorderedObjectListWarning)
        response = curator_client.get(
            reverse("admin:autocomplete"),
            {
                "term": "",
                "app_label": "claims",
                "model_name": "evidence",
                "field_name": "source",
            },
        )
    assert response.status_code == 200
    assert [r["text"] for r in response.json()["results"]] == ["Earlier", "Later"]
