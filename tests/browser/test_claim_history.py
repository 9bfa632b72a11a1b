"""The claim page at phone width, in Debian's Chromium: the verdict's history line
links each level to the page as of its date, and the timeline chart is either wholly
in view or scrolls, with a cue a reader can see and a region a keyboard can reach."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CLAIM = "/claims/stalin-approved-invasion/"


def test_at_phone_width_the_history_line_links_to_each_level_and_the_chart_can_be_seen(
    page, demo_site
):
    page.set_viewport_size(PHONE)
    page.goto(demo_site + CLAIM)

    history = page.locator(".verdict .verdict__history")
    expect(history).to_be_visible()
    expect(history).to_contain_text("Weak from 1970")
    expect(history).to_contain_text("Established today")
    expect(history).not_to_contain_text("No evidence recorded")
    # Nothing on the page is wider than the phone.
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]

    chart = page.get_by_role("region", name=re.compile("Timeline chart"))
    svg = chart.locator("svg")
    fits = svg.evaluate("svg => svg.getBoundingClientRect().right <= window.innerWidth")
    if not fits:
        expect(page.locator(".timeline-scroll-cue")).to_be_visible()
        assert chart.evaluate("el => getComputedStyle(el).overflowX") in ("auto", "scroll")
        assert chart.evaluate("el => el.scrollWidth > el.clientWidth")
        chart.focus()  # a keyboard reader can reach it, and scroll it with the arrows
        expect(chart).to_be_focused()
        chart.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
        # Scrolled to the end, the chart's right edge, with today's label, is in view.
        assert chart.evaluate(
            "el => el.querySelector('svg').getBoundingClientRect().right"
            " <= el.getBoundingClientRect().right + 1"
        )
    expect(chart.locator("text.tl-today")).to_have_text("today")

    strong = history.get_by_role("link", name="Strong from 13 January 1993")
    strong.click()
    expect(page).to_have_url(re.compile(r"\?as_of=1993-01-13$"))
    expect(page.locator(".verdict")).to_contain_text("Strong")
    expect(page.locator(".banner")).to_contain_text("As the evidence stood on 13 January 1993.")
