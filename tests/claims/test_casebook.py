"""The casebook (fixtures/casebook.json): four real cases beyond the Korean War, judged by
the strength method today and as of the dates on which the evidence changed.

Each case test names, in one line, the verdict historians have settled on and where it
is stated, and pins the method's answer today and as of the dates on which the evidence
changed. Today the method agrees with the historians on all four. In the past views it
is slower than they were: a single examination, however decisive, is one line and
reaches only Moderate until a second, independent line corroborates it.
"""

import datetime
import json
from pathlib import Path

import pytest
from django.core.management import call_command

from claims import assessment
from claims.models import Claim
from claims.strength import Level
from provenance.models import CustodyEvent, Source

REPO = Path(__file__).resolve().parents[2]
CASEBOOK = REPO / "fixtures" / "casebook.json"
DEMO = REPO / "fixtures" / "demo.json"

CASE_SLUGS = (
    "katyn-nkvd-not-germany",
    "hitler-diaries-are-forgeries",
    "piltdown-man-is-a-forgery",
    "protocols-are-a-plagiarised-fabrication",
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def casebook(django_capture_on_commit_callbacks):
    """The casebook loaded as the demo command loads it, with its claims assessed when
    the load commits."""
    with django_capture_on_commit_callbacks(execute=True):
        call_command("loaddata", "casebook", verbosity=0)


def level(slug, as_of=None):
    claim = Claim.objects.get(slug=slug)
    return assessment.claim_facts(claim).assess(as_of=as_of).level


def on(text):
    return datetime.date.fromisoformat(text)


# Katyn


def test_katyn_is_established_today_and_was_contested_while_the_burdenko_report_stood(
    casebook,
):
    # Historians' verdict: the NKVD shot the prisoners in April–May 1940 on the Politburo's
    # order of 5 March 1940 (TASS statement, 13 April 1990; "Package No. 1", 14 October 1992).
    slug = "katyn-nkvd-not-germany"

    # 1950: the German-sponsored medical commission's examination of the graves (indirect,
    # 0.54) against the Burdenko report (an official report, 0.72): strong evidence both
    # ways, Contested, as the question stood outside the Soviet Union until 1990.
    assert level(slug, on("1950-01-01")) == Level.CONTESTED
    assert level(slug, on("1990-04-12")) == Level.CONTESTED
    # The Soviet admission shows the Burdenko report mistaken and is a second line beside
    # the commission's: Strong.
    assert level(slug, on("1990-04-14")) == Level.STRONG
    # The Politburo's order and Shelepin's note, primary records released and accepted on
    # 14 October 1992: four independent lines.
    assert level(slug, on("1992-10-15")) == Level.ESTABLISHED
    assert level(slug) == Level.ESTABLISHED


def test_the_burdenko_report_weighs_nothing_once_it_is_shown_mistaken(casebook):
    facts = assessment.claim_facts(Claim.objects.get(slug="katyn-nkvd-not-germany"))

    before, after = facts.assess(as_of=on("1990-04-12")), facts.assess(as_of=on("1990-04-14"))

    assert before.contradiction > 0.5
    assert after.contradiction == 0


# The Hitler Diaries


def test_the_hitler_diaries_are_established_forgeries_once_the_forger_confessed(casebook):
    # Historians' verdict: forgeries by Konrad Kujau, exposed on 6 May 1983 by the
    # Bundesarchiv's expert group (Hitler Diaries, Wikipedia; Historical Dictionary of German
    # Intelligence).
    slug = "hitler-diaries-are-forgeries"

    assert level(slug, on("1983-04-22")) == Level.NONE
    # Trevor-Roper's article in The Times vouches for them (0.36 against the claim).
    assert level(slug, on("1983-04-24")) == Level.WEAK
    # Published, doubted and retracted by Trevor-Roper himself: Stern's announcement is
    # what is left against the claim.
    assert level(slug, on("1983-05-01")) == Level.WEAK
    # The expert group's examination voids Stern and Trevor-Roper and is one line (0.9):
    # Moderate, since one line is never Strong without corroboration however decisive.
    assert level(slug, on("1983-05-07")) == Level.MODERATE
    # Kujau's confession, reported on 28 May 1983, is a second, independent line.
    assert level(slug, on("1983-05-29")) == Level.ESTABLISHED
    assert level(slug) == Level.ESTABLISHED


def test_the_exposure_is_documented_by_the_bundesarchiv_finding(casebook):
    exposure = CustodyEvent.objects.get(source__slug="hitler-diaries", kind="exposed_as_forgery")

    assert exposure.documented_in.slug == "bundesarchiv-finding-hitler-diaries-1983"
    assert exposure.documented_in.kind == Source.Kind.FORENSIC_ANALYSIS
    assert exposure.date == "1983-05-06"


# Piltdown Man


def test_piltdown_man_is_an_established_forgery_since_its_second_examination(casebook):
    # Historians' verdict: a forgery, an orang-utan's jaw with a modern human cranium,
    # exposed in November 1953 by Weiner, Oakley and Le Gros Clark and traced to Charles
    # Dawson in 2016 (De Groote et al., Royal Society Open Science, doi:10.1098/rsos.160328).
    slug = "piltdown-man-is-a-forgery"

    # 1913: the remains (unassessed, indirect) and Dawson and Woodward's paper stand
    # against the claim, below the contradiction threshold.
    assert level(slug, on("1913-01-01")) == Level.WEAK
    # The 1953 examination voids the remains and the paper and is one line (0.9): Moderate.
    assert level(slug, on("1954-01-01")) == Level.MODERATE
    # The 2016 re-examination is a second, independent line.
    assert level(slug, on("2017-01-01")) == Level.ESTABLISHED
    assert level(slug) == Level.ESTABLISHED


# The Protocols of the Elders of Zion


def test_the_protocols_are_an_established_fabrication_since_the_bern_judgment(casebook):
    # Historians' verdict: a fabrication plagiarised from Joly's Dialogue in Hell, exposed by
    # Philip Graves in The Times, 16–18 August 1921 (US Holocaust Memorial Museum).
    slug = "protocols-are-a-plagiarised-fabrication"

    # 1910: the text itself, purporting to be minutes and not yet assessed, counts against
    # the claim, below the contradiction threshold.
    assert level(slug, on("1910-01-01")) == Level.WEAK
    # Graves's articles set the passages side by side: a textual examination, one line.
    assert level(slug, on("1921-09-01")) == Level.MODERATE
    # The Bern judgment of 14 May 1935 is a second, independent line.
    assert level(slug, on("1935-06-01")) == Level.ESTABLISHED
    assert level(slug) == Level.ESTABLISHED


# The casebook as data


def casebook_entries():
    return json.loads(CASEBOOK.read_text(encoding="utf-8"))


def test_the_casebook_shares_no_slug_with_the_demo():
    def slugs(entries):
        return {(e["model"], e["fields"]["slug"]) for e in entries if "slug" in e["fields"]}

    demo = json.loads(DEMO.read_text(encoding="utf-8"))

    assert not slugs(casebook_entries()) & slugs(demo)


def test_the_casebook_loads_beside_the_demo_and_twice_without_changing(
    django_capture_on_commit_callbacks,
):
    def load():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("loaddata", "demo", "casebook", verbosity=0)
        return dict(Claim.objects.values_list("slug", "strength_level"))

    once = load()
    counts = (Source.objects.count(), CustodyEvent.objects.count())

    assert load() == once
    assert (Source.objects.count(), CustodyEvent.objects.count()) == counts
    assert {"katyn-nkvd-not-germany", "stalin-approved-invasion"} <= set(once)


def test_every_casebook_claim_is_published_with_its_stored_verdict(casebook):
    for claim in Claim.objects.filter(slug__in=CASE_SLUGS):
        assert claim.status == Claim.Status.PUBLISHED
        assert claim.strength_level == level(claim.slug)


def test_the_casebook_holds_the_four_cases(casebook):
    assert set(Claim.objects.values_list("slug", flat=True)) == set(CASE_SLUGS)


def test_every_casebook_source_names_its_reference(casebook):
    for source in Source.objects.all():
        assert source.url or source.publication_details, source.slug
        assert source.description, source.slug


def test_every_judgement_in_the_casebook_says_where_it_is_documented(casebook):
    judgements = [
        "authenticated",
        "accepted",
        "doubted",
        "exposed_as_forgery",
        "content_confirmed",
        "shown_mistaken",
        "retracted",
    ]
    for event in CustodyEvent.objects.filter(kind__in=judgements):
        assert event.reference or event.documented_in_id, (event.source.slug, event.kind)
