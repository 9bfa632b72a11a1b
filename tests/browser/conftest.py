"""Real-browser tests: Debian's Chromium driven by Playwright for Python.

`playwright install` cannot download browsers on these machines, so the tests use the
system Chromium. Where it is missing they skip with the reason, unless
CORROBORATE_REQUIRE_BROWSER is set (CI sets it), when a missing browser is a failure.
"""

import os
import shutil
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CORROBORATE_CHROMIUM", "/usr/bin/chromium")
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
SCREENSHOTS = Path(__file__).resolve().parents[2] / "docs" / "screenshots"


def chromium_missing_reason():
    if not (Path(CHROMIUM).exists() or shutil.which(CHROMIUM)):
        return f"Chromium not found at {CHROMIUM} (apt-get install chromium)"
    try:
        import playwright  # noqa: F401
    except ImportError:
        return "Playwright for Python is not installed (pip install -e '.[test]')"
    return None


@pytest.fixture(autouse=True)
def _chromium_available():
    reason = chromium_missing_reason()
    if reason is None:
        return
    if os.environ.get("CORROBORATE_REQUIRE_BROWSER"):
        pytest.fail(f"Browser tests are required here but cannot run: {reason}")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {**browser_type_launch_args, "executable_path": CHROMIUM, "args": CHROMIUM_FLAGS}


@pytest.fixture
def demo_site(live_server, transactional_db):
    """The demo data in a database the live server can see, and the server's address."""
    from django.core.management import call_command

    # The load commits, and its commit recomputes every claim it touched.
    call_command("loaddata", "demo", verbosity=0)
    return live_server.url


@pytest.fixture(scope="session")
def screenshots_dir(tmp_path_factory):
    """docs/screenshots/ when CORROBORATE_WRITE_SCREENSHOTS=1 asks for new ones for the
    README; otherwise a temporary folder, so that a plain run leaves the tree clean but
    still takes every screenshot."""
    if os.environ.get("CORROBORATE_WRITE_SCREENSHOTS") != "1":
        return tmp_path_factory.mktemp("screenshots")
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    return SCREENSHOTS


@pytest.fixture
def curator_page(page, live_server, transactional_db, django_user_model):
    """A page signed in to the admin as a curator; fails the test if the Content
    Security Policy blocked anything on the way."""
    from playwright.sync_api import expect

    from tests.conftest import staff_member_of

    staff_member_of(django_user_model, "curator", "Curators")
    blocked = []
    page.on("console", lambda message: blocked.append(f"{page.url}: {message.text}"))
    page.goto(live_server.url + "/admin/login/")
    page.get_by_label("Username").fill("curator")
    page.get_by_label("Password").fill("a-long-curator-password")
    page.get_by_role("button", name="Log in").click()
    expect(page.get_by_text("Welcome,")).to_be_visible()
    yield page
    assert [text for text in blocked if "Content Security Policy" in text] == []
