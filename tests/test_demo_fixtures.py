"""The demo fixtures (fixtures/demo.json): the worked example of the AP report of
13 January 1993 and the sources around it.

They must load into any database, twice or beside other records, without duplicating or
failing; every record must pass the models' own validation; every passage they quote
from the AP report must be in it word for word, in the paragraph its locator names; and
the assessments they give must be the ones the demo is there to show.

The AP text is kept beside the fixtures (fixtures/sources/ap-1993-01-13.txt) so that these
tests never depend on anything outside the repository. Paragraphs are counted from
"MOSCOW (AP) _ Two American historians…" as paragraph 1; the headline and dateline above
it are not paragraphs.
"""

import datetime
import json
import re
from collections import Counter
from pathlib import Path

import pytest
from django.apps import apps
from django.core.management import call_command

from claims import assessment, strength
from claims.models import Claim, Evidence, Presentation
from provenance import dates
from provenance.models import Agent, CustodyEvent, Event, Source

REPO = Path(__file__).resolve().parents[1]
FIXTURE = REPO / "fixtures" / "demo.json"
AP_TEXT = REPO / "fixtures" / "sources" / "ap-1993-01-13.txt"
SHARED_AP_TEXT = REPO.parent / "shared" / "facts" / "ap-1993-01-13-stalin-approved-korean-war.txt"
AP_SLUG = "ap-1993-01-13"
AP_LOCATOR = re.compile(r"^(?:AP report of 13 January 1993, )?para\. (\d+)$")
APPS = ("provenance", "claims")

pytestmark = pytest.mark.django_db


def fixture_entries():
    return json.loads(FIXTURE.read_text(encoding="utf-8"))


def ap_body():
    text = AP_TEXT.read_text(encoding="utf-8")
    return text[text.index("MOSCOW (AP)") :]


def ap_paragraphs():
    return [paragraph.strip() for paragraph in re.split(r"\n\s*\n", ap_body()) if paragraph.strip()]


@pytest.fixture
def load_demo(django_capture_on_commit_callbacks):
    """Load the demo as a demonstrator would: in its own transaction, with the claims
    reassessed when it commits. (Leaving the commit callbacks unrun would also leave the
    signal handlers' pending work behind for the next test.)"""

    def load():
        with django_capture_on_commit_callbacks(execute=True):
            call_command("loaddata", "demo", verbosity=0)

    return load


def row_counts():
    """Rows in every table of both apps, many-to-many tables included."""
    return {
        model._meta.label_lower: model._default_manager.count()
        for app in APPS
        for model in apps.get_app_config(app).get_models(include_auto_created=True)
    }


# Loading


def test_the_demo_holds_the_worked_example_of_the_1993_report(load_demo):
    load_demo()

    assert Claim.objects.count() >= 9
    assert Source.objects.count() >= 8
    assert Agent.objects.count() >= 15
    assert Event.objects.count() >= 1
    assert set(
        CustodyEvent.objects.filter(source__slug="report-1966").values_list("kind", flat=True)
    ) >= {"created", "declassified", "presented", "translated", "published"}


def test_every_record_in_the_fixture_becomes_exactly_one_row(load_demo):
    load_demo()
    in_fixture = Counter(entry["model"] for entry in fixture_entries())

    for label, count in in_fixture.items():
        assert apps.get_model(label).objects.count() == count, label


def assessments():
    return dict(Claim.objects.values_list("slug", "strength_level"))


def test_loading_the_demo_twice_adds_no_rows_and_changes_no_verdict(load_demo):
    load_demo()
    once, verdicts = row_counts(), assessments()
    load_demo()

    assert row_counts() == once
    assert assessments() == verdicts


def test_loading_the_demo_beside_other_records_keeps_them_and_adds_no_duplicates(load_demo):
    someone = Agent.objects.create(slug="someone-else", name="Someone Else")
    diary = Source.objects.create(
        slug="someone-elses-diary", title="A diary", kind=Source.Kind.DIARY, date="1951"
    )
    claim = Claim.objects.create(
        slug="someone-elses-claim", statement="Something else happened.", date="1951"
    )
    Evidence.objects.create(claim=claim, source=diary, stance=Evidence.Stance.SUPPORTS)
    before = row_counts()

    load_demo()
    load_demo()

    in_fixture = Counter(entry["model"] for entry in fixture_entries())
    for label, count in in_fixture.items():
        assert row_counts()[label] == before[label] + count, label
    someone.refresh_from_db()
    diary.refresh_from_db()
    claim.refresh_from_db()
    assert (someone.name, diary.title, claim.statement) == (
        "Someone Else",
        "A diary",
        "Something else happened.",
    )
    assert claim.evidence.get().source == diary


def test_the_demo_holds_only_published_claims(load_demo):
    load_demo()

    assert not Claim.objects.exclude(status=Claim.Status.PUBLISHED).exists()


# Validation


def test_every_record_in_the_demo_passes_the_models_validation(load_demo):
    load_demo()

    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            for instance in model._default_manager.all():
                instance.full_clean()


def test_every_dated_record_carries_the_bounds_of_its_edtf_date(load_demo):
    load_demo()

    for app in APPS:
        for model in apps.get_app_config(app).get_models():
            if not any(field.name == "date_lower" for field in model._meta.fields):
                continue
            for instance in model._default_manager.all():
                bounds = dates.bounds_or_none(instance.date)
                assert (instance.date_lower, instance.date_upper) == (
                    bounds.lower,
                    bounds.upper,
                ), f"{model._meta.label} {instance}: {instance.date!r}"


def test_a_once_secret_source_says_when_it_was_released_or_that_nobody_knows(load_demo):
    """A source with a 'classified' custody event and no later release counts only today;
    its note must say so, so that a curator does not 'fix' it with an invented date."""
    load_demo()
    releases = {"declassified", "published", "discovered", "cited"}

    for source in Source.objects.filter(custody_events__kind="classified").distinct():
        kinds = set(source.custody_events.values_list("kind", flat=True))
        if not kinds & releases:
            note = source.custody_events.get(kind="classified").note
            assert "not recorded" in note or "not known" in note, source.slug


# Quotations


def test_every_quotation_of_the_ap_report_is_verbatim_in_the_paragraph_its_locator_names():
    paragraphs = ap_paragraphs()
    checked = 0

    for entry in fixture_entries():
        fields = entry["fields"]
        if entry["model"] != "claims.evidence" or not fields["quotation"]:
            continue
        match = AP_LOCATOR.match(fields["locator"])
        assert match, f"{fields['claim']} / {fields['source']}: {fields['locator']!r}"
        if fields["source"] != [AP_SLUG]:
            assert fields["locator"].startswith("AP report"), fields["locator"]
        number = int(match.group(1))
        assert 1 <= number <= len(paragraphs)
        assert fields["quotation"] in paragraphs[number - 1], (number, fields["quotation"])
        checked += 1

    assert checked >= 15


def test_every_passage_in_double_quotation_marks_in_the_fixture_text_is_the_ap_reports():
    """Notes, descriptions and summaries put AP wording in “double” marks and anything
    else (titles, stamps, code names) in ‘single’ ones."""
    body = ap_body()
    passages = []
    for entry in fixture_entries():
        for value in entry["fields"].values():
            if isinstance(value, str):
                passages += re.findall(r"“(.+?)”", value)

    assert passages
    for passage in passages:
        assert passage in body, passage


def test_the_ap_report_has_eighteen_paragraphs_from_moscow_to_pleshakov():
    paragraphs = ap_paragraphs()

    assert len(paragraphs) == 18
    assert paragraphs[0].startswith("MOSCOW (AP) _ Two American historians")
    assert paragraphs[-1].startswith("Pleshakov suggested")


def test_the_copy_of_the_ap_report_matches_the_checked_facts():
    if not SHARED_AP_TEXT.exists():
        pytest.skip(f"the shared facts are not beside this clone ({SHARED_AP_TEXT})")

    assert AP_TEXT.read_bytes() == SHARED_AP_TEXT.read_bytes()


def test_the_1966_report_is_presented_by_weathersby_and_holloway_as_reported_by_the_ap(load_demo):
    load_demo()
    presentation = Presentation.objects.get(
        evidence__claim__slug="stalin-approved-invasion", evidence__source__slug="report-1966"
    )

    assert presentation.date == "1993-01-13"
    assert presentation.event.slug == "cwihp-moscow-1993"
    assert presentation.reported_in.slug == AP_SLUG
    assert set(presentation.presenters.values_list("slug", flat=True)) == {
        "kathryn-weathersby",
        "david-holloway",
    }


# Assessments


def test_stalins_approval_of_the_invasion_is_strong_or_established(demo_data):
    claim = Claim.objects.get(slug="stalin-approved-invasion")

    assert claim.strength_level in {Claim.Level.STRONG, Claim.Level.ESTABLISHED}
    assert claim.featured


def test_before_the_1993_conference_stalins_approval_rested_on_the_memoir_alone(demo_data):
    facts = assessment.claim_facts(Claim.objects.get(slug="stalin-approved-invasion"))
    in_1969 = facts.assess(as_of=datetime.date(1969, 12, 31))
    in_1992 = facts.assess(as_of=datetime.date(1992, 12, 31))
    in_1993 = facts.assess(as_of=datetime.date(1993, 1, 13))

    assert in_1969.level == strength.Level.NONE
    assert in_1992.level.rank < strength.Level.STRONG.rank
    assert {item.evidence.source_key for line in in_1992.lines for item in line.items} == {
        "khrushchev-remembers"
    }
    assert in_1993.support > in_1992.support


def test_chinas_deliberate_incitement_of_1958_is_only_a_weak_suggestion(demo_data):
    claim = Claim.objects.get(slug="china-incited-1958-crisis")

    assert claim.strength_level == Claim.Level.WEAK
    assert "suggestion, not a finding" in claim.curator_note
    assert set(claim.evidence.values_list("directness", flat=True)) == {
        Evidence.Directness.INDIRECT
    }


def test_every_demo_claim_has_its_assessment_computed_after_loading(demo_data):
    assert not Claim.objects.filter(assessed_at__isnull=True).exists()
    assert not Claim.objects.filter(strength_level=Claim.Level.NONE).exists()
