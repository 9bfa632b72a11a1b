"""Importing in the admin, in Debian's Chromium, as a curator does: a file with a bad
row is refused with its row, column and reason and writes nothing; a good file shows
its preview, imports on confirmation, and is undone from the link in the message."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

GOOD = (
    "slug,kind,name,date,other_names\n"
    "mao-zedong,person,Mao Zedong,1893-12-26/1976-09-09,Mao Tse-tung\n"
    "cwihp,organisation,Cold War International History Project,1991,CWIHP\n"
)
BAD = GOOD.replace("1991,CWIHP", "in the nineties,CWIHP")


def upload(page, live_server, tmp_path, content):
    file = tmp_path / "people.csv"
    file.write_text(content)
    page.goto(live_server.url + "/admin/provenance/agent/")
    page.get_by_role("link", name="Import", exact=True).click()
    page.get_by_label("File to import").set_input_files(file)
    page.get_by_label("Format").select_option(label="csv")
    page.get_by_role("button", name="Submit").click()


def test_a_file_with_a_bad_row_names_the_row_column_and_reason_and_writes_nothing(
    curator_page, live_server, tmp_path
):
    from provenance.models import Agent

    upload(curator_page, live_server, tmp_path, BAD)

    expect(curator_page.get_by_role("heading", name=re.compile("1 row refused"))).to_be_visible()
    refused = curator_page.locator("table.refused-rows tbody tr")
    expect(refused).to_have_count(1)
    expect(refused.locator("td").first).to_have_text("2")
    expect(refused.locator("td.errors")).to_contain_text("date:")
    expect(refused.locator("td.errors")).to_contain_text("in the nineties")
    expect(curator_page.get_by_role("button", name="Confirm import")).to_have_count(0)
    assert not Agent.objects.exists()


def test_a_good_file_imports_on_confirmation_and_is_undone_as_one(
    curator_page, live_server, tmp_path
):
    from provenance.models import Agent

    upload(curator_page, live_server, tmp_path, GOOD)
    expect(curator_page.locator(".import-summary")).to_contain_text("2 new, 0 updated")
    expect(curator_page.locator("table.import-preview")).to_contain_text("Mao Zedong")
    assert not Agent.objects.exists()

    curator_page.get_by_role("button", name="Confirm import").click()
    expect(curator_page.locator(".messagelist")).to_contain_text("Imported people.csv: 2 new")
    expect(curator_page.locator("#result_list")).to_contain_text("Cold War International")
    assert Agent.objects.count() == 2

    curator_page.get_by_role("link", name="Undo this import").click()
    expect(curator_page.get_by_text("deletes the 4 records it added")).to_be_visible()
    curator_page.get_by_role("button", name="Yes, undo this import").click()
    expect(curator_page.locator(".messagelist")).to_contain_text("was undone")
    expect(curator_page.locator("#result_list")).to_contain_text("Undone")
    assert not Agent.objects.exists()
