"""A curator records a new evidence item and who presented it in one save, in Debian's
Chromium: the nested form (django-nested-admin) adds the rows and its autocompletes
find the source and the presenter."""

import pytest
from playwright.sync_api import expect

from claims.models import Claim, Evidence
from provenance.models import Source
from tests.builders import admin_url, make_claim, make_source

pytestmark = pytest.mark.browser


def choose(page, select_name, typed, option):
    """Pick `option` in an admin autocomplete after typing `typed`, as a curator does."""
    page.locator(f"select[name='{select_name}'] + .select2").click()
    page.keyboard.type(typed)
    page.locator(".select2-results__option", has_text=option).click()


def test_a_curator_adds_an_evidence_item_with_its_presenter_before_ever_saving_it(
    page, demo_site, curator
):
    cable = make_source(
        "Telegram from Shtykov to Vyshinsky", kind=Source.Kind.TELEGRAM, date="1950-01-19"
    )
    # A draft: a curator's change to a published claim waits for an editor (claims/review.py).
    claim = make_claim("Stalin agreed to Kim's plan in April 1950", status=Claim.Status.DRAFT)
    page.goto(demo_site + "/admin/login/")
    page.fill("#id_username", curator.username)
    page.fill("#id_password", "a-long-curator-password")
    page.click("input[type=submit]")
    page.goto(demo_site + admin_url(Claim, "change", claim.pk))

    new = f"evidence-{claim.evidence.count()}"
    page.get_by_text("Add another Evidence").click()
    choose(page, f"{new}-source", "Shtykov", "Telegram from Shtykov to Vyshinsky")
    page.select_option(f"select[name='{new}-stance']", "supports")
    item = page.locator(f"select[name='{new}-source']").locator(
        "xpath=ancestor::*[contains(@class, 'djn-item')][1]"
    )
    item.get_by_text("Add another Presentation").click()
    choose(page, f"{new}-presentations-0-presenters", "Weath", "Kathryn Weathersby")
    page.fill(f"input[name='{new}-presentations-0-date']", "1995")
    page.click("input[name='_continue']")

    expect(page.locator(".messagelist .success")).to_contain_text("was changed successfully")
    presentation = Evidence.objects.get(claim=claim, source=cable).presentations.get()
    assert [agent.name for agent in presentation.presenters.all()] == ["Kathryn Weathersby"]
    assert presentation.date == "1995"
