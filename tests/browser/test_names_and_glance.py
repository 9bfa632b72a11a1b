"""In a real browser: a search by another name of a person finds the claims about them
and the sources they received, and says which name matched; the home page's picture
of the archive leads, from a figure or from its bar, to the claims it counts. Both
at desktop and phone widths, with no axe violation of any impact in those parts."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

DESKTOP = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


def violations(page, selector):
    results = Axe().run(page, context=selector)
    return [f"{v['id']} ({v['impact']}): {v['help']}" for v in results.response["violations"]]


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_searching_a_transliteration_finds_the_claim_about_the_person_and_says_why(
    page, demo_site, viewport
):
    page.set_viewport_size(viewport)
    page.goto(demo_site + "/")
    page.get_by_role("searchbox", name="Search").fill("Mao Tse-tung")
    page.get_by_role("button", name="Search").click()

    claims = page.locator("#claims")
    claim = claims.get_by_role(
        "link", name="Kim Il Sung obtained Mao Zedong's advance approval for the attack"
    )
    expect(claim).to_be_visible()
    expect(claims).to_contain_text(
        "Matched by name: “Mao Tse-tung”, a transliteration of Mao Zedong, its subject."
    )
    sources = page.locator("#sources")
    expect(sources.get_by_role("link", name=re.compile("Vyshinsky to Mao Zedong"))).to_be_visible()
    expect(sources).to_contain_text(
        "“Mao Tse-tung”, a transliteration of Mao Zedong, its recipient."
    )
    assert violations(page, "main") == []

    claim.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text(
        "Kim Il Sung obtained Mao Zedong's advance approval"
    )


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["desktop", "phone"])
def test_a_figure_of_the_archive_at_a_glance_leads_to_the_claims_it_counts(
    page, demo_site, viewport
):
    page.set_viewport_size(viewport)
    page.goto(demo_site + "/")
    glance = page.locator(".glance")
    cold_war = glance.get_by_role("row", name=re.compile("^Cold War"))
    expect(cold_war.get_by_role("rowheader")).to_contain_text("Cold War 9 claims")
    assert violations(page, ".glance") == []

    cold_war.get_by_role("link", name="Strong 2 claims on Cold War").click()

    expect(page).to_have_url(re.compile(r"/claims/\?topic=cold-war&level=strong$"))
    expect(page.get_by_role("status").first).to_have_text("2 claims.")
    expect(page.locator(".chips")).to_contain_text("Topic: Cold War")
    expect(page.locator(".chips")).to_contain_text("Strength: Strong")


def test_a_part_of_a_bar_leads_to_the_same_list_as_its_figure(page, demo_site):
    page.set_viewport_size(DESKTOP)
    page.goto(demo_site + "/")
    row = page.locator(".glance").get_by_role("row", name=re.compile("^Cold War"))
    figure = row.locator(".glance__levels a").nth(2)
    expect(figure).to_contain_text("Moderate 3")

    row.locator(".glance__bar a").nth(2).click()

    expect(page).to_have_url(re.compile(r"/claims/\?topic=cold-war&level=moderate$"))
    expect(page.get_by_role("status").first).to_have_text("3 claims.")
