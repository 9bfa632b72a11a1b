"""What link previews, crawlers and browsers read from every public page, read back
with extruct: Open Graph and Twitter card tags, one canonical address, the icons, and
the claim page's ClaimReview with the claim's author and dates schema.org takes."""

import re
from pathlib import Path

import extruct
import pytest
from django.contrib.staticfiles import finders

from tests.builders import get_html, korean_war_claim, make_source
from tests.reader.test_reads_never_write import public_addresses

pytestmark = pytest.mark.django_db

OPEN_GRAPH = ("og:title", "og:description", "og:url", "og:type", "og:site_name")
# Feeds, the sitemap, robots.txt and JSON are not pages.
# Files, not pages: JSON, the sitemap, robots, feeds, and the files for reference
# managers and PROV tools (reader/views/exports.py).
NOT_PAGES = re.compile(r"(\.json|\.xml|\.txt|/feed/|\.bib|\.ris|\.ttl)(\?|$)")


def open_graph(html, url):
    (found,) = extruct.extract(html, base_url=url, syntaxes=["opengraph"], uniform=True)[
        "opengraph"
    ]
    return found


def canonical_links(html):
    return re.findall(r'<link rel="canonical" href="([^"]*)">', html)


def test_every_public_page_has_open_graph_and_twitter_tags_and_one_canonical_link(
    client, demo_data
):
    pages = [address for address in public_addresses(client) if not NOT_PAGES.search(address)]
    assert len(pages) > 50
    for address in pages:
        html = get_html(client, address)
        tags = open_graph(html, f"http://testserver{address}")
        missing = [name for name in OPEN_GRAPH if not tags.get(name) and name != "og:type"]
        assert missing == [], address
        assert tags["@type"] in ("website", "article"), address  # extruct's og:type
        assert tags["og:site_name"] == "Corroborate"
        (canonical,) = canonical_links(html)
        assert canonical == tags["og:url"], address
        assert canonical.startswith("http://testserver/"), address
        assert '<meta name="twitter:card" content="summary">' in html, address
        assert f'<meta name="twitter:title" content="{tags["og:title"]}">' in html.replace(
            "&#39;", "'"
        ).replace("&#34;", '"'), address


def test_the_canonical_address_of_a_claim_as_of_a_date_is_the_claim_itself(client):
    claim = korean_war_claim()

    html = get_html(client, f"{claim.get_absolute_url()}?as_of=1971")

    assert canonical_links(html) == [f"http://testserver{claim.get_absolute_url()}"]
    assert open_graph(html, "http://testserver/")["@type"] == "article"


def test_the_favicon_is_served_at_the_root_and_named_in_every_page_head(client):
    korean_war_claim()

    icon = client.get("/favicon.ico")
    html = get_html(client, "/")

    assert icon.status_code == 200
    assert icon["Content-Type"] == "image/x-icon"
    assert b"".join(icon.streaming_content).startswith(b"\x00\x00\x01\x00")  # an ICO
    assert '<link rel="icon" href="/favicon.ico" sizes="32x32">' in html
    svg = re.search(r'<link rel="icon" href="([^"]*)" type="image/svg\+xml">', html).group(1)
    assert svg == "/static/favicon.svg"
    # Static files are not collected in tests; the file the finders serve in
    # development and collectstatic copies for production:
    assert "<svg" in Path(finders.find("favicon.svg")).read_text()


def claim_review(client, claim):
    url = f"http://testserver{claim.get_absolute_url()}"
    html = get_html(client, claim.get_absolute_url())
    (review,) = extruct.extract(html, base_url=url, syntaxes=["json-ld"])["json-ld"]
    assert review["@type"] == "ClaimReview"
    return review


def test_claim_review_names_who_first_made_the_claim_and_when(client, demo_data):
    from claims.models import Claim

    claim = Claim.objects.get(slug="stalin-approved-invasion")

    reviewed = claim_review(client, claim)["itemReviewed"]

    # Its first appearance: the Stalin–Kim telegrams, written 1949–1953 (EDTF "1949/1953").
    assert reviewed["firstAppearance"]["name"].startswith("Telegrams between Stalin and Kim")
    assert reviewed["author"] == [
        {"@type": "Person", "name": "Joseph Stalin"},
        {"@type": "Person", "name": "Kim Il Sung"},
    ]
    assert reviewed["datePublished"] == "1949/1953"


def test_claim_review_gives_uncertain_dates_as_iso_8601(client):
    claim = korean_war_claim()
    memoir = claim.evidence.get(source__slug="khrushchev-remembers").source
    memoir.date = "1970~"
    memoir.save()

    review = claim_review(client, claim)

    dates = {
        work["name"]: work.get("datePublished") for work in review["itemReviewed"]["appearance"]
    }
    assert dates["Khrushchev Remembers"] == "1970"  # "about 1970": ISO has no "about"
    assert dates["Stalin–Kim telegrams"] == "1950-01/1950-05"
    assert re.fullmatch(r"\d{4}-\d{2}-\d{2}", review["datePublished"])


def test_claim_review_leaves_out_the_author_of_a_claim_first_made_anonymously(client):
    claim = korean_war_claim()

    reviewed = claim_review(client, claim)["itemReviewed"]

    assert reviewed["firstAppearance"]["name"] == "Stalin–Kim telegrams"  # no creators
    assert "author" not in reviewed
    assert reviewed["datePublished"] == "1950-01/1950-05"


def test_a_source_page_has_link_preview_tags_of_its_own(client):
    korean_war_claim()
    source = make_source("A source of no claim")  # not public: no page
    assert client.get(source.get_absolute_url()).status_code == 404

    html = get_html(client, "/sources/khrushchev-remembers/")

    tags = open_graph(html, "http://testserver/sources/khrushchev-remembers/")
    assert tags["og:title"] == "Khrushchev Remembers"
    assert tags["og:url"] == "http://testserver/sources/khrushchev-remembers/"
