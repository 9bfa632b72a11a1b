"""A reader's GET or HEAD never writes to the database: not on the demo data, and not on
a freshly generated archive, whose claims have never been viewed."""

import io
import re

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from claims.models import Claim
from claims.visibility import public_topics

pytestmark = pytest.mark.django_db

WRITES = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE|UPSERT)\b", re.IGNORECASE)
# Pages that are not in the sitemap.
EXTRA = [
    "/robots.txt",
    "/feed/",
    "/sitemap.xml",
    "/claims/?strength=strong&sort=-strength",
    "/search/?q=Stalin",
    "/subjects.json?q=Sta",
]


EXPORTS = ("bib", "ris", "csl.json", "prov.ttl", "prov.json")


def public_addresses(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    addresses = [re.sub(r"^https?://[^/]+", "", location) for location in locations]
    for slug in Claim.objects.published().values_list("slug", flat=True):
        addresses += [
            f"/claims/{slug}.json",
            f"/claims/{slug}/?as_of=1970",
            f"/claims/{slug}/feed/",
        ]
        # The files for reference managers and PROV tools (reader/views/exports.py).
        addresses += [f"/claims/{slug}.{ending}" for ending in EXPORTS]
    for source in [address for address in addresses if address.startswith("/sources/")]:
        addresses += [f"{source.rstrip('/')}.{ending}" for ending in ("bib", "ris", "csl.json")]
    for slug in public_topics().order_by("slug").values_list("slug", flat=True)[:5]:
        addresses.append(f"/topics/{slug}/feed/")
    return sorted(set(addresses + EXTRA))


def writes_while_reading(client, addresses):
    """(address, method, statement) for every write a request made."""
    found = []
    for address in addresses:
        for method in (client.get, client.head):
            # The log keeps the last 9,000 queries; once full, a context's slice of it
            # would be empty and a write would go unseen.
            connection.queries_log.clear()
            with CaptureQueriesContext(connection) as queries:
                response = method(address)
            assert response.status_code == 200, (address, response.status_code)
            found += [
                (address, method.__name__, query["sql"][:80])
                for query in queries
                if WRITES.match(query["sql"])
            ]
    return found


def test_no_public_page_writes_on_the_demo(client, demo_data):
    addresses = public_addresses(client)
    assert len(addresses) > 50
    assert writes_while_reading(client, addresses) == []


def test_no_public_page_writes_on_a_freshly_generated_archive(client):
    call_command(
        "generate_archive",
        "--claims",
        "60",
        "--seed",
        "3",
        stdout=io.StringIO(),
        stderr=io.StringIO(),
    )
    addresses = public_addresses(client)
    assert sum(address.startswith("/claims/gen-") for address in addresses) > 40
    assert writes_while_reading(client, addresses) == []


def test_the_check_sees_a_write(client, demo_data, monkeypatch):
    """The test above would notice a page that writes."""
    from reader import selectors

    real = selectors.public_counts

    def writing_counts():
        Claim.objects.filter(pk=0).update(featured=True)
        return real()

    monkeypatch.setattr(selectors, "public_counts", writing_counts)
    assert writes_while_reading(client, ["/"]) != []
