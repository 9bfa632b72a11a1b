"""The claim list's "About" box in a real browser: suggestions as the reader types,
chosen with the keyboard, and the same filter without JavaScript; no console errors
(a Content-Security-Policy refusal shows there) and no serious axe violation."""

import re

import pytest
from axe_playwright_python.sync_playwright import Axe
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_a_reader_picks_a_person_from_the_suggestions_with_the_keyboard(page, demo_site):
    refused = []
    page.on("console", lambda message: "Refused" in message.text and refused.append(message.text))
    page.goto(demo_site + "/claims/")
    about = page.get_by_role("combobox", name="About (person or organisation)")

    about.fill("Tse-tung")
    suggestion = page.get_by_role("option", name=re.compile("Mao Zedong"))
    expect(suggestion).to_be_visible()
    expect(suggestion).to_contain_text("also known as Mao Tse-tung")
    expect(about).to_have_attribute("aria-expanded", "true")
    about.press("ArrowDown")
    expect(suggestion).to_have_attribute("aria-selected", "true")
    about.press("Enter")
    expect(about).to_have_value("Mao Zedong")
    expect(about).to_have_attribute("aria-expanded", "false")
    page.get_by_role("button", name="Show claims").click()

    expect(page).to_have_url(re.compile(r"subject=mao-zedong"))
    expect(page.locator(".chips")).to_contain_text("About: Mao Zedong")
    expect(page.get_by_role("combobox", name="About (person or organisation)")).to_have_value(
        "Mao Zedong"
    )
    violations = Axe().run(page).response["violations"]
    assert [v["id"] for v in violations if v["impact"] in ("serious", "critical")] == []
    assert refused == [], "the Content-Security-Policy refused the script or its styles"


def test_without_javascript_a_typed_other_name_filters_by_that_person(browser, demo_site):
    context = browser.new_context(java_script_enabled=False)
    page = context.new_page()
    page.goto(demo_site + "/claims/")

    page.get_by_label("About (person or organisation)").fill("Mao Tse-tung")
    page.get_by_role("button", name="Show claims").click()

    expect(page).to_have_url(re.compile(r"subject=mao-zedong"))
    expect(page.locator(".chips")).to_contain_text("About: Mao Zedong")

    page.get_by_label("About (person or organisation)").fill("Nobody We Know")
    page.get_by_role("button", name="Show claims").click()
    expect(page.locator("#id_subject_errors")).to_contain_text(
        "No person or organisation called “Nobody We Know” is recorded."
    )
    context.close()
