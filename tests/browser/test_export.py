"""Exporting the admin's list as a curator does, in Debian's Chromium: filter the
sources, export them as CSV and as XLSX through the export page, and find in each
downloaded file the rows the filtered list shows, and no others."""

import csv
import io
from pathlib import Path

import openpyxl
import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


@pytest.fixture
def sources(transactional_db):
    from provenance.models import Source
    from tests.builders import make_agent, make_source

    weathersby = make_agent("Kathryn Weathersby", slug="weathersby")
    make_source("Khrushchev Remembers", kind=Source.Kind.MEMOIR, slug="memoir", date="1970")
    make_source("Soviet Aims in Korea", kind=Source.Kind.ARTICLE, slug="soviet-aims",
                date="1993", creators=[weathersby])  # fmt: skip
    make_source("Soviet Policy in the Korean War", kind=Source.Kind.ARTICLE,
                slug="soviet-policy", date="1995")  # fmt: skip
    make_source("To Attack or Not to Attack?", kind=Source.Kind.ARTICLE, slug="to-attack",
                date="1995")  # fmt: skip


def filtered_sources(page, live_server):
    """The sources list, filtered to articles and searched for "Soviet": two rows."""
    page.goto(live_server.url + "/admin/provenance/source/")
    page.locator("#changelist-filter").get_by_role("link", name="Article", exact=True).click()
    page.locator("#searchbar").fill("Soviet")
    page.locator("#searchbar").press("Enter")
    expect(page.locator("#result_list tbody tr")).to_have_count(2)
    expect(page.locator("#result_list")).not_to_contain_text("To Attack or Not")


def download(page, file_format):
    """Press Export on the filtered list, choose `file_format`, and catch the file."""
    page.get_by_role("link", name="Export", exact=True).click()
    page.get_by_label("Format").select_option(label=file_format)
    with page.expect_download() as caught:
        page.get_by_role("button", name="Submit").click()
    return caught.value


def test_the_csv_export_holds_the_filtered_rows_and_only_those(curator_page, live_server, sources):
    filtered_sources(curator_page, live_server)
    file = download(curator_page, "csv")

    assert file.suggested_filename.endswith(".csv")
    with open(file.path(), encoding="utf-8-sig", newline="") as stream:
        rows = list(csv.DictReader(stream))
    assert sorted(row["slug"] for row in rows) == ["soviet-aims", "soviet-policy"]
    aims = next(row for row in rows if row["slug"] == "soviet-aims")
    assert aims["creators"] == "weathersby (author)"
    assert aims["kind"] == "article" and aims["date"] == "1993"


def test_the_xlsx_export_holds_the_filtered_rows_and_only_those(curator_page, live_server, sources):
    filtered_sources(curator_page, live_server)
    file = download(curator_page, "xlsx")

    assert file.suggested_filename.endswith(".xlsx")
    # Playwright keeps a download under a name without its extension, which openpyxl
    # reads only as a stream.
    sheet = openpyxl.load_workbook(io.BytesIO(Path(file.path()).read_bytes())).active
    header, *rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    records = [dict(zip(header, row, strict=True)) for row in rows]
    assert sorted(record["slug"] for record in records) == ["soviet-aims", "soviet-policy"]
    aims = next(record for record in records if record["slug"] == "soviet-aims")
    assert aims["creators"] == "weathersby (author)"
    assert aims["title"] == "Soviet Aims in Korea"
