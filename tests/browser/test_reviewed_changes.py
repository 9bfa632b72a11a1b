"""A change to a published claim, end to end in Debian's Chromium: a curator edits the
claim in the admin, readers keep seeing the published version, an editor finds the
change on the start page, compares it side by side and approves it with a reason, and
readers then see the new text with a dated entry in its corrections and updates."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

CLAIM = "/claims/stalin-approved-invasion/"
NEW_STATEMENT = "Stalin approved Kim Il Sung's plan to invade South Korea by April 1950."
REASON = "The statement now dates Stalin's consent as the 1966 report does."


@pytest.fixture
def staff(django_user_model):
    from claims import roles
    from tests.conftest import staff_member_of

    return {
        name: staff_member_of(django_user_model, name, group)
        for name, group in (("curator", roles.CURATORS), ("editor", roles.EDITORS))
    }


def log_in(page, site, username):
    page.goto(site + "/admin/login/?next=/admin/")
    page.get_by_label("Username").fill(username)
    page.get_by_label("Password").fill(f"a-long-{username}-password")
    page.get_by_role("button", name="Log in").click()
    expect(page).to_have_url(re.compile(r"/admin/$"))


def test_a_curators_change_is_public_only_once_an_editor_approves_it(browser, demo_site, staff):
    from claims.models import Claim

    claim = Claim.objects.get(slug="stalin-approved-invasion")
    published = claim.statement
    reader, curator, editor = (browser.new_page() for _ in range(3))

    log_in(curator, demo_site, "curator")
    curator.goto(f"{demo_site}/admin/claims/claim/{claim.pk}/change/")
    expect(curator.locator("fieldset", has_text="This claim is published")).to_contain_text(
        "held for an editor's review"
    )
    curator.locator("#id_statement").fill(NEW_STATEMENT)
    curator.get_by_label("Reason for readers").fill(REASON)
    curator.locator("input[name=_save]").click()
    expect(curator.locator(".messagelist")).to_contain_text("waits for an editor's review")
    expect(curator.locator(".review-after")).to_contain_text(NEW_STATEMENT)

    reader.goto(demo_site + CLAIM)
    expect(reader.locator("h1")).to_have_text(published)
    expect(reader.get_by_role("heading", name="Corrections and updates")).to_have_count(0)

    log_in(editor, demo_site, "editor")
    waiting = editor.locator("#waiting-for-review tr.pending-change", has_text=published[:40])
    waiting.get_by_role("link", name=re.compile("Side by side")).click()
    row = editor.locator("table.review-side-by-side tr", has_text="Statement")
    expect(row.locator(".review-before")).to_have_text(published)
    expect(row.locator(".review-after")).to_have_text(NEW_STATEMENT)
    expect(editor.get_by_label("Reason for readers")).to_have_value(REASON)
    editor.get_by_role("button", name="Approve and publish the change").click()
    expect(editor.locator(".messagelist")).to_contain_text("approved and public")
    expect(editor.locator("#waiting-for-review")).to_contain_text(
        "No changes to published claims are waiting."
    )

    reader.goto(demo_site + CLAIM)
    expect(reader.locator("h1")).to_have_text(NEW_STATEMENT)
    log = reader.locator("section.corrections")
    expect(log.get_by_role("heading")).to_have_text("Corrections and updates")
    expect(log.locator("li")).to_have_count(1)
    expect(log.locator("li")).to_contain_text(f"Correction: {REASON}")
    expect(log.locator("li time")).to_have_attribute("datetime", re.compile(r"^\d{4}-\d\d-\d\d$"))
