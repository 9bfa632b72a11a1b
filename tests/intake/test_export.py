"""Exporting the admin's list, as filtered, to CSV and XLSX: the same columns an import
reads, so an exported file can be corrected and imported back."""

import csv
import io

import pytest
import tablib

from claims.models import Claim
from provenance.models import Source
from tests.builders import make_agent, make_claim, make_source

pytestmark = pytest.mark.django_db


def export(client, model_path, query, file_format):
    url = f"/admin/{model_path}/export/{query}"
    page = client.get(url)
    assert page.status_code == 200
    form = page.context["form"]
    data = {name: field.initial for name, field in form.fields.items() if field.initial is not None}
    data.update({name: "on" for name, field in form.fields.items() if field.initial is True})
    data["format"] = next(
        value for value, label in form.fields["format"].choices if label == file_format
    )
    data["resource"] = "0"
    return client.post(url, data)


def test_the_export_holds_only_the_records_the_filter_shows(curator_client):
    weathersby = make_agent("Kathryn Weathersby", slug="weathersby")
    make_source("Khrushchev Remembers", kind=Source.Kind.MEMOIR, slug="memoir", date="1970")
    make_source("Soviet Aims", kind=Source.Kind.ARTICLE, slug="article", date="1993",
                creators=[weathersby])  # fmt: skip

    response = export(curator_client, "provenance/source", "?kind__exact=article", "csv")

    assert response.status_code == 200
    rows = list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))
    assert [row["slug"] for row in rows] == ["article"]
    assert rows[0]["creators"] == "weathersby (author)"
    assert rows[0]["date"] == "1993"


def test_claims_export_to_xlsx_with_their_status(curator_client):
    make_claim("Published claim", slug="published")
    make_claim("Draft claim", slug="draft", status=Claim.Status.DRAFT)

    response = export(curator_client, "claims/claim", "?status__exact=draft", "xlsx")

    dataset = tablib.Dataset().load(response.content, format="xlsx")
    assert dataset["slug"] == ["draft"]
    assert dataset["status"] == ["draft"]


def test_an_exported_file_imports_back_unchanged(curator_client):
    from tests.intake.uploads import page_text, preview

    make_source("Khrushchev Remembers", kind=Source.Kind.MEMOIR, slug="memoir", date="1970")
    exported = export(curator_client, "provenance/source", "", "csv").content

    response = preview(curator_client, "provenance/source", "sources.csv", exported)

    assert "0 new, 0 updated, 1 unchanged" in page_text(response)
