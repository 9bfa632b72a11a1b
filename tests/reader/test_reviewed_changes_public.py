"""Readers see only published versions: nothing of a change waiting for review reaches
any public surface, and once approved the claim's page shows the new text with a dated
entry in its corrections and updates log."""

import re

import pytest
from django.urls import reverse

from claims import review
from claims.models import Correction
from provenance.models import Source
from tests.builders import get_html, korean_war_claim, make_agent, make_source, section

pytestmark = pytest.mark.django_db

SECRET = "Zebraquokka"


@pytest.fixture
def proposal(curator):
    """A published claim with a curator's change waiting: a new statement and summary,
    a new subject and a new supporting source that no published claim rests on."""
    claim = korean_war_claim()
    witness = make_agent(f"{SECRET} Witness", slug="zebraquokka-witness")
    memoir = make_source(f"{SECRET} memoir", kind=Source.Kind.MEMOIR, date="1999")
    proposed = {
        "claim": {
            "statement": f"{SECRET} approved the invasion.",
            "summary": f"The {SECRET} question.",
            "subjects": sorted([*claim.subjects.values_list("pk", flat=True), witness.pk]),
        },
        "evidence": {
            str(claim.evidence.first().pk): {"quotation": f"{SECRET} quoted this."},
        },
        "new_evidence": [
            {
                "source": memoir.pk,
                "stance": "supports",
                "directness": "direct",
                "quotation": f"{SECRET} says so.",
                "locator": "",
                "note": "",
            }
        ],
    }
    change = review.change_propose(
        claim=claim, by=curator, proposed=proposed, reason=f"{SECRET} reason."
    )
    return claim, change, witness, memoir


def assert_hidden(response, status=200):
    assert response.status_code == status
    html = response.content.decode()
    # A search echoes the words searched for; only there may they appear.
    echoes = (f'value="{SECRET}"', f"Words: {SECRET}", f"q={SECRET}", f"Search: {SECRET}")
    for echo in (*echoes, f"for “{SECRET}”"):
        html = html.replace(echo, "")
    assert SECRET.lower() not in html.lower()


def test_nothing_of_a_waiting_change_reaches_any_public_surface(client, proposal):
    claim, _, witness, memoir = proposal
    surfaces = [
        claim.get_absolute_url(),
        claim.get_absolute_url() + "?as_of=1999",
        reverse("claims:json", kwargs={"slug": claim.slug}),
        reverse("claims:home"),
        reverse("claims:list"),
        reverse("claims:list") + f"?q={SECRET}",
        reverse("claims:feed"),
        "/sitemap.xml",
        reverse("provenance:search") + f"?q={SECRET}",
        Source.objects.get(slug="khrushchev-remembers").get_absolute_url(),
    ]
    for url in surfaces:
        assert_hidden(client.get(url))
    lookup = client.get(reverse("claims:subject_lookup"), {"q": SECRET})
    assert lookup.json()["results"] == []
    # The proposed subject and source rest on no published claim: they are not public.
    assert client.get(witness.get_absolute_url()).status_code == 404
    assert client.get(memoir.get_absolute_url()).status_code == 404


def test_the_claim_page_has_no_log_until_a_change_is_approved(client, proposal):
    claim, *_ = proposal
    html = get_html(client, claim.get_absolute_url())
    assert "Corrections and updates" not in html


def test_once_approved_the_page_shows_the_new_version_and_the_dated_log(client, proposal, editor):
    claim, change, witness, memoir = proposal

    review.change_approve(change=change, by=editor, reason="A new witness's memoir added.")

    html = get_html(client, claim.get_absolute_url())
    assert f"{SECRET} approved the invasion." in html
    assert f"{SECRET} says so." in html
    log = section(html, "corrections-heading")
    entry = Correction.objects.get(claim=claim)
    assert f'<time datetime="{entry.at:%Y-%m-%d}">' in log
    assert "Correction:</strong> A new witness&#39;s memoir added." in log
    # Now a published claim rests on them, so they are public.
    assert client.get(witness.get_absolute_url()).status_code == 200
    assert client.get(memoir.get_absolute_url()).status_code == 200


def test_the_log_names_a_verdict_change_newest_first(client, editor):
    claim = korean_war_claim()
    memoir = Source.objects.get(slug="khrushchev-remembers")
    before = claim.get_strength_level_display()
    memoir.authenticity = Source.Authenticity.FORGED
    memoir.save()
    claim.refresh_from_db()
    review.change_log_direct(
        claim=claim,
        by=editor,
        reason="The summary now says the memoir was forged.",
        kind=Correction.Kind.UPDATE,
        level_before=claim.strength_level,
    )

    log = section(get_html(client, claim.get_absolute_url()), "corrections-heading")

    update, verdict = re.split(r"<li[^>]*>", log)[1:]
    assert "Update:</strong> The summary now says the memoir was forged." in update
    assert "Verdict changed:</strong> The record of the source" in verdict
    assert f"The verdict changed from {before} to {claim.get_strength_level_display()}." in verdict
