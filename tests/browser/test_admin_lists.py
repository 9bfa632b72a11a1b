"""The admin's lists fit a laptop's screen in Debian's Chromium: a claim's statement or a
source's title in a linked column wraps like other text (static/css/admin-lists.css)
instead of stretching the list to several screens' width."""

import pytest

from claims.models import Claim, Evidence, Presentation
from provenance.models import Citation, CustodyEvent, SourceCreator
from tests.builders import admin_url

pytestmark = pytest.mark.browser

LAPTOP = {"width": 1280, "height": 800}
# A list may pass its box by a few pixels where every column is at its narrowest; Django's
# one-line cells made the list of evidence four times as wide as its box.
SLACK = 1.05


@pytest.mark.parametrize(
    "model", [Claim, Evidence, Presentation, Citation, CustodyEvent, SourceCreator]
)
def test_a_list_of_linked_records_fits_beside_the_navigation_and_the_filters(
    demo_site, curator_page, model
):
    curator_page.set_viewport_size(LAPTOP)
    curator_page.goto(demo_site + admin_url(model, "changelist"))

    results = curator_page.locator("#changelist .results")
    wide, box = results.evaluate("element => [element.scrollWidth, element.clientWidth]")

    assert curator_page.locator("#result_list tbody tr").count() > 1, model
    assert wide <= box * SLACK, f"{model.__name__}: the list is {wide} px wide in {box} px"
