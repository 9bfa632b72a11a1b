"""Every public page type of the demo passes axe-core with no violation of any impact,
at desktop and at phone width: each page as it loads, Swagger UI once a reader has
loaded it and run an operation, and the sign-in lockout page. The pages the README
shows are photographed at both widths, rewritten there when
CORROBORATE_WRITE_SCREENSHOTS=1 asks for them."""

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.management import call_command
from playwright.sync_api import expect

pytestmark = pytest.mark.browser

VIEWPORTS = {"desktop": {"width": 1280, "height": 900}, "phone": {"width": 390, "height": 844}}
# (name, address, status): one page of each type, a type's states apart (a list
# filtered, a search without hits, a date refused).
PAGE_TYPES = [
    ("home", "/", 200),
    ("claim-list-all", "/claims/", 200),
    ("claim-list", "/claims/?level=established&level=strong", 200),
    ("topic", "/claims/?topic=cold-war", 200),
    ("claim", "/claims/stalin-approved-invasion/", 200),
    ("claim-as-of-1969", "/claims/stalin-approved-invasion/?as_of=1969", 200),
    ("claim-as-of-1992", "/claims/stalin-approved-invasion/?as_of=1992", 200),
    ("claim-as-of-the-future", "/claims/stalin-approved-invasion/?as_of=2999", 400),
    ("source", "/sources/report-1966/", 200),
    ("person", "/people/kathryn-weathersby/", 200),
    ("organisation", "/people/cold-war-international-history-project/", 200),
    ("event", "/events/cwihp-moscow-1993/", 200),
    ("search", "/search/?q=Mao+Zedong", 200),
    ("search-without-hits", "/search/?q=Zhukov", 200),
    ("search-empty", "/search/", 200),
    ("methodology", "/methodology/", 200),
    ("download", "/download/", 200),
    ("api-docs", "/api/docs", 200),
    ("not-found", "/claims/no-such-claim/", 404),
]

# The pages the README shows, photographed as docs/screenshots/<name>-<width>.png.
README_PICTURES = {
    "home",
    "claim",
    "claim-as-of-1969",
    "claim-list",
    "source",
    "person",
    "event",
    "search",
    "methodology",
}


def violations(page, name, width):
    results = Axe().run(page)
    return [
        f"{name} at {width} width: {violation['id']} ({violation['impact']}): "
        f"{violation['help']} — " + "; ".join(node["target"][0] for node in violation["nodes"][:3])
        for violation in results.response["violations"]
    ]


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_no_public_page_type_has_an_accessibility_violation_of_any_impact(
    page, demo_site, screenshots_dir, width
):
    # One test over every page type at each width: loading the demo for each page
    # would cost more than the checks themselves.
    # The download page as readers find it: with the archive written.
    call_command("export_archive", verbosity=0)
    page.set_viewport_size(VIEWPORTS[width])
    found = []
    for name, path, status in PAGE_TYPES:
        response = page.goto(demo_site + path)
        assert response.status == status, path
        page.wait_for_load_state("networkidle")
        found += violations(page, name, width)
        if name in README_PICTURES:
            page.screenshot(path=str(screenshots_dir / f"{name}-{width}.png"), full_page=True)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_swagger_ui_once_loaded_and_tried_has_no_accessibility_violation(page, demo_site, width):
    # Swagger UI draws its own markup, repaired by static/js/api-docs.js and
    # static/css/api-docs.css: checked as it first shows, then with an operation run.
    page.set_viewport_size(VIEWPORTS[width])
    page.goto(demo_site + "/api/docs")
    page.get_by_role("button", name="Load Swagger UI").click()
    expect(page.locator(".opblock")).to_have_count(10)
    found = violations(page, "Swagger UI", width)

    operation = page.locator("#operations-claims-reader_api_claim_list")
    operation.locator(".opblock-summary-control").click()
    operation.get_by_role("button", name="Try it out").click()
    operation.get_by_role("button", name="Execute").click()
    expect(operation.locator(".live-responses-table")).to_contain_text("200")
    found += violations(page, "Swagger UI, an operation run", width)
    assert not found, "\n".join(found)


@pytest.mark.parametrize("width", list(VIEWPORTS))
def test_the_sign_in_lockout_page_has_no_accessibility_violation(
    page, live_server, transactional_db, settings, width
):
    # The one page of the site's own that a visitor reaches through the admin's door.
    page.set_viewport_size(VIEWPORTS[width])
    page.goto(live_server.url + "/admin/login/")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        page.get_by_label("Username").fill("curator")
        page.get_by_label("Password").fill("not-the-password")
        page.get_by_role("button", name="Log in").click()

    expect(page.get_by_role("heading", level=1)).to_contain_text("Sign-in locked")
    found = violations(page, "sign-in lockout", width)
    assert not found, "\n".join(found)
