"""The picture of where the evidence comes from, in Debian's Chromium: every box of the
drawing is a link to its source's page, the same links as the words under it, and a
reader who follows one lands on that source, whose own picture leads on; at phone
width the drawing scrolls, with a cue, and the page itself does not."""

import re

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

PHONE = {"width": 390, "height": 844}
CLAIM = "/claims/stalin-approved-invasion/"


def drawn_links(page):
    """(address, accessible name) of every box in the drawing."""
    drawing = page.locator("section[aria-labelledby=provenance-heading] svg.provenance-svg")
    expect(drawing).to_be_visible()
    return drawing.locator("a").evaluate_all(
        "links => links.map(a => [a.getAttribute('href'), a.querySelector('title').textContent])"
    )


def worded_links(page):
    words = page.locator("section[aria-labelledby=provenance-heading] .derivations__words")
    return set(words.locator("a").evaluate_all("links => links.map(a => a.getAttribute('href'))"))


def test_each_box_of_a_claims_picture_leads_to_its_sources_page(page, demo_site, needs_dot):
    page.goto(demo_site + CLAIM)

    links = drawn_links(page)
    addresses = [address for address, _name in links]
    assert len(addresses) == len(set(addresses)) >= 5
    assert set(addresses) == worded_links(page)
    assert all(re.fullmatch(r"/sources/[-\w]+/", address) for address in addresses)
    names = dict(links)
    assert names["/sources/report-1966/"] == (
        "On the Korean War, 1950–53, and the Armistice Negotiations (evidence for)"
    )
    assert "root" in names["/sources/stalin-kim-telegrams/"]
    drawing = page.locator("svg.provenance-svg")
    expect(drawing.locator("g.cluster title", has_text="Evidence for, line 1")).to_have_count(1)

    # A reader clicks the 1966 report's box, and lands on its page.
    page.get_by_role("link", name=names["/sources/report-1966/"]).click()
    expect(page).to_have_url(demo_site + "/sources/report-1966/")
    expect(page.locator("h1")).to_have_text(
        "On the Korean War, 1950–53, and the Armistice Negotiations"
    )

    # Its picture: itself, the telegrams it summarises, the AP report summarising it.
    links = dict(drawn_links(page))
    assert links == {
        "/sources/report-1966/": (
            "On the Korean War, 1950–53, and the Armistice Negotiations (this source)"
        ),
        "/sources/stalin-kim-telegrams/": (
            "Telegrams between Stalin and Kim Il Sung cited in the 1966 report (root)"
        ),
        "/sources/ap-1993-01-13/": "Stalin Approved Start of Korean War, Documents Show",
    }
    page.get_by_role("link", name=links["/sources/stalin-kim-telegrams/"]).click()
    expect(page).to_have_url(demo_site + "/sources/stalin-kim-telegrams/")
    expect(page.locator("h1")).to_have_text(
        "Telegrams between Stalin and Kim Il Sung cited in the 1966 report"
    )


def test_at_phone_width_the_picture_scrolls_and_the_page_does_not(page, demo_site, needs_dot):
    page.set_viewport_size(PHONE)
    page.goto(demo_site + CLAIM)

    region = page.get_by_role("region", name=re.compile("Picture of the derivations"))
    region.scroll_into_view_if_needed()
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    assert region.evaluate("el => el.scrollWidth > el.clientWidth")
    expect(page.locator(".derivations__cue")).to_be_visible()
    region.evaluate("el => { el.scrollLeft = el.scrollWidth; }")
    # Scrolled to the end, the last box is in view and can be followed.
    khrushchev = region.get_by_role("link", name=re.compile("^Khrushchev Remembers"))
    expect(khrushchev).to_be_in_viewport()
    khrushchev.click()
    expect(page).to_have_url(demo_site + "/sources/khrushchev-remembers/")
