"""A reader's journeys through the demo, in Debian's Chromium: from the home page to a
claim, through the filters, to a source and along its citations, and a search by a
transliterated name. Every page type's axe-core check and the README's photographs are
test_accessibility.py's."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_reader_goes_from_the_home_page_to_the_main_claim_and_its_strength(page, demo_site):
    page.goto(demo_site + "/")
    page.get_by_role("link", name=re.compile("Stalin approved North Korea")).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Stalin approved North Korea")
    expect(page.locator("main")).to_contain_text("Established")
    expect(page.locator("main")).to_contain_text("independent lines support it")


def test_a_reader_filters_the_claim_list_by_strength_and_topic(page, demo_site):
    page.goto(demo_site + "/claims/")
    page.get_by_label("Weak", exact=True).check()
    page.get_by_label("Topic").select_option(label="Taiwan Strait crisis of 1958")
    page.get_by_role("button", name="Show claims").click()
    expect(page).to_have_url(re.compile(r"level=weak"))
    results = page.locator("main")
    expect(results).to_contain_text("Quemoy and Matsu")
    expect(results).not_to_contain_text("Stalin approved North Korea")


def test_a_reader_opens_a_source_from_an_evidence_item_and_follows_its_citation(page, demo_site):
    page.goto(demo_site + "/claims/stalin-approved-invasion/")
    page.get_by_role(
        "link", name="On the Korean War, 1950–53, and the Armistice Negotiations"
    ).first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("On the Korean War")
    derives_from = page.locator("section", has=page.locator("#derives-from-heading"))
    derives_from.get_by_role("link").first.click()
    expect(page.get_by_role("heading", level=1)).to_contain_text("Telegrams between Stalin and Kim")


def test_a_reader_finds_mao_by_either_transliteration(page, demo_site):
    for query in ("Mao Tse-tung", "Mao Zedong"):
        page.goto(demo_site + "/")
        page.get_by_role("searchbox", name="Search").fill(query)
        page.get_by_role("button", name="Search").click()
        expect(page.get_by_role("link", name="Mao Zedong").first).to_be_visible()


def test_a_reader_sees_how_the_evidence_stood_in_1969_and_in_1992(page, demo_site):
    page.goto(demo_site + "/claims/stalin-approved-invasion/?as_of=1969")
    expect(page.locator("main")).to_contain_text("No evidence recorded")
    page.goto(demo_site + "/claims/stalin-approved-invasion/?as_of=1992")
    expect(page.locator("main")).to_contain_text("Weak")
    expect(page.locator("main")).to_contain_text("Khrushchev Remembers")
