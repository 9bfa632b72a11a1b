"""Every public address answers as recorded: the same status and the same body, byte for
byte, on the demo data.

`demo_responses.<database>.json` beside this file are written by this test with
CORROBORATE_WRITE_RESPONSES=1, one per database, since the search ranks differently
on each. First recorded on the code of commit 43ebeec, before the pages moved into
the reader app, and matched by the moved code; recorded again when a change meant
pages to read differently (the strength method of issue 12), never to make a test
pass. The clock is
stopped at one moment, so the dates a page works out from today are those of the
recording. Rows take their `updated_at` from the database's own clock, which the test
cannot stop, so the feed's <updated> and <published> times are left out of its body,
and the sitemap's <lastmod> dates (it read differently after midnight UTC).
Answers changed on purpose since, recorded anew: the feed's order, now by stored
dates only (reader/feeds.py, issue 13); and the one visibility rule
(claims/visibility.py, issue 13), which put 14 more sources, people and organisations
in the sitemap, counts them on the home page, and takes the sources no published claim
rests on (a translation and a reprint of the 1966 report) off the report's and their
makers' pages. And issue 16's claim page (the verdict's history line, the sources that
moved each timeline step, the chart's "today" label, the not-counted notes grouped by
reason) and the Chicago note of an archival source printed later (its own date first,
"published in" the printing), which changed every claim page and the two such sources.
And the site's own 404 page (templates/reader/404.html, issue 16), in place of Django's
plain one: the two addresses that name nothing; and the noindex taken off the claim as
of a date and the search results (docs/decisions.md).
And SQLite's search from its FTS5 index ranked by bm25 (issue 17), which orders the
same results of /search/?q=Stalin differently on SQLite.
"""

import hashlib
import json
import os
import re
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command
from django.db import connection

from claims.models import Claim

# Pages name records by their ids (anchors, links): numbered from 1 whatever ran before.
pytestmark = pytest.mark.django_db(transaction=True, reset_sequences=True)

MOMENT = "2026-12-07 12:00:00+00:00"
# Pages that are not in the sitemap: lists with filters, the search, the feed, lookups.
EXTRA = [
    "/robots.txt",
    "/feed/",
    "/sitemap.xml",
    "/claims/?strength=strong",
    "/claims/?sort=-strength&page=2",
    "/search/?q=Stalin",
    "/search/?q=Mao+Tse-tung",
    "/subjects.json?q=Sta",
    "/claims/stalin-approved-invasion/?as_of=1969",
    "/claims/stalin-approved-invasion.json?as_of=1993-01-13",
    "/claims/no-such-claim/",
    "/sources/no-such-source/",
]


def responses(client):
    sitemap = client.get("/sitemap.xml").content.decode()
    locations = re.findall(r"<loc>(.*?)</loc>", sitemap)
    addresses = [re.sub(r"^https?://[^/]+", "", location) for location in locations]
    addresses += [
        f"/claims/{slug}.json"
        for slug in Claim.objects.published().order_by("slug").values_list("slug", flat=True)
    ]
    found = {}
    for address in sorted(set(addresses + EXTRA)):
        response = client.get(address)
        body = re.sub(
            rb"<(updated|published|lastmod)>[^<]*</(updated|published|lastmod)>",
            rb"<\1/>",
            response.content,
        )
        found[address] = [response.status_code, hashlib.sha256(body).hexdigest()]
    return found


def test_every_public_address_answers_as_recorded(client):
    with time_machine.travel(MOMENT, tick=False):
        call_command("loaddata", "demo", verbosity=0)
        found = responses(client)
    recorded_file = Path(__file__).with_name(f"demo_responses.{connection.vendor}.json")
    if os.environ.get("CORROBORATE_WRITE_RESPONSES"):
        recorded_file.write_text(json.dumps(found, indent=1, sort_keys=True) + "\n")
    recorded = json.loads(recorded_file.read_text())
    assert len(found) > 40
    changed = {address for address in recorded if found.get(address) != recorded[address]}
    assert not changed, f"answer differently now: {sorted(changed)}"
    assert set(found) == set(recorded)
