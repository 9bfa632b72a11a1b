"""The read API's documentation page in a real browser: every operation is written on
the page, and Swagger UI, loaded when asked for, draws them from this site's own files,
under the site's content security policy, asking no other site for anything."""

import pytest
from playwright.sync_api import expect

pytestmark = pytest.mark.browser


def test_the_api_documentation_page_shows_every_operation_without_another_site(
    page, live_server, transactional_db
):
    elsewhere, problems = [], []
    page.on(
        "request",
        lambda request: (
            None
            if request.url.startswith((live_server.url, "data:"))
            else elsewhere.append(request.url)
        ),
    )
    page.on("console", lambda message: message.type == "error" and problems.append(message.text))

    page.goto(f"{live_server.url}/api/docs")
    # Every operation is on the page before Swagger UI is asked for.
    expect(page.locator(".api-operation")).to_have_count(10)
    page.get_by_role("button", name="Load Swagger UI").click()

    expect(page.locator(".opblock")).to_have_count(10)
    expect(page.locator(".opblock").get_by_text("/api/claims/{slug}")).to_be_visible()
    assert elsewhere == []
    assert problems == []
