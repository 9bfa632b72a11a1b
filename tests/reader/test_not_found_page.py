"""The site's own page for an address that names nothing (templates/reader/404.html)."""

import pytest


@pytest.mark.django_db
def test_an_address_that_names_nothing_answers_the_sites_own_page_with_a_way_on(client):
    response = client.get("/claims/no-such-claim/")

    assert response.status_code == 404
    page = response.content.decode()
    assert "<h1>Page not found</h1>" in page
    assert '<main id="main"' in page
    assert 'href="/claims/">All claims</a>' in page
