"""The stored assessment stays true to the evidence: it is recomputed whenever the
evidence, a source behind it, its custody or a citation changes, and on command."""

import io

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from claims import strength
from claims.models import Claim, Evidence
from provenance.models import Citation, CustodyEvent, Source
from tests.builders import korean_war_claim

pytestmark = pytest.mark.django_db


@pytest.fixture
def claim():
    return Claim.objects.create(
        slug="stalin-approved",
        statement="Stalin approved the attack.",
        status=Claim.Status.PUBLISHED,
    )


def add_source(slug, *, kind=Source.Kind.REPORT, date="1966", **fields):
    source = Source.objects.create(slug=slug, title=slug, kind=kind, date=date, **fields)
    return source


def support(claim, source, **fields):
    return Evidence.objects.create(
        claim=claim, source=source, stance=Evidence.Stance.SUPPORTS, **fields
    )


def stored(claim):
    claim.refresh_from_db()
    return claim.strength_level, round(claim.support_score, 4)


def test_a_new_claim_has_no_evidence_recorded(claim):
    assert stored(claim) == ("none", 0)


def test_adding_evidence_recomputes_the_claim(claim):
    support(claim, add_source("report"))
    level, score = stored(claim)
    assert level != "none" and score > 0
    assert claim.assessed_at is not None


def test_deleting_evidence_recomputes_the_claim(claim):
    evidence = support(claim, add_source("report"))
    evidence.delete()
    assert stored(claim) == ("none", 0)


def test_marking_a_source_forged_in_the_admin_recomputes_its_claims(claim, admin_client):
    report = add_source("report", authenticity=Source.Authenticity.ACCEPTED)
    support(claim, report)
    assert stored(claim)[1] > 0
    form = {
        "title": report.title,
        "slug": report.slug,
        "kind": report.kind,
        "proximity": "",
        "date": report.date,
        "language": "",
        "description": "",
        "archive": "",
        "archival_reference": "",
        "url": "",
        "access": report.access,
        "authenticity": "forged",
        "credibility": "not_assessed",
        "publication_details": "",
        "doi": "",
        "isbn": "",
    }
    for prefix in ("creator_roles", "citations_made", "custody_events"):
        form.update({f"{prefix}-TOTAL_FORMS": "0", f"{prefix}-INITIAL_FORMS": "0"})
    response = admin_client.post(reverse("admin:provenance_source_change", args=[report.pk]), form)
    assert response.status_code == 302
    assert stored(claim) == ("none", 0)


def test_a_custody_event_that_disputes_a_source_lowers_its_claims(claim):
    memoir = add_source(
        "memoir", kind=Source.Kind.MEMOIR, date="1970", authenticity=Source.Authenticity.DISPUTED
    )
    support(claim, memoir)
    disputed = stored(claim)[1]
    memoir.authenticity = Source.Authenticity.AUTHENTICATED
    memoir.save()
    assert stored(claim)[1] > disputed


def test_a_citation_that_joins_two_lines_lowers_support(claim):
    report, telegrams = (
        add_source("report"),
        add_source("telegrams", kind=Source.Kind.TELEGRAM, date="1950"),
    )
    support(claim, report)
    support(claim, telegrams)
    two_lines = stored(claim)[1]
    citation = Citation.objects.create(citing=report, cited=telegrams)
    one_line = stored(claim)[1]
    assert one_line < two_lines
    citation.delete()
    assert stored(claim)[1] == two_lines


def test_a_change_to_a_root_source_reaches_claims_resting_on_what_derives_from_it(claim):
    telegrams = add_source("telegrams", kind=Source.Kind.TELEGRAM, date="1950")
    report = add_source("report")
    Citation.objects.create(citing=report, cited=telegrams)
    support(claim, report)
    before = stored(claim)
    CustodyEvent.objects.create(source=telegrams, kind=CustodyEvent.Kind.CREATED, date="1950")
    # The claim is reassessed (nothing changed in its level, but it was looked at).
    assert stored(claim) == before


def test_the_reassess_command_reports_what_a_dry_run_would_change(claim):
    support(claim, add_source("report"))
    Claim.objects.filter(pk=claim.pk).update(strength_level="none", support_score=0)
    out = io.StringIO()
    call_command("reassess", "--dry-run", stdout=out, stderr=io.StringIO())
    assert "stalin-approved: none →" in out.getvalue()
    assert "1 would change" in out.getvalue()
    assert stored(claim) == ("none", 0)
    call_command("reassess", stdout=io.StringIO(), stderr=io.StringIO())
    assert stored(claim)[0] != "none"


def test_the_reassess_command_names_an_unknown_slug_and_exits_with_an_error(claim):
    err = io.StringIO()
    with pytest.raises(SystemExit) as exit_info:
        call_command("reassess", "no-such-claim", stdout=io.StringIO(), stderr=err)
    assert exit_info.value.code == 2
    assert "no-such-claim" in err.getvalue()


@pytest.mark.parametrize(
    ("model_choices", "pure_enum"),
    [
        (Source.Proximity, strength.Proximity),
        (Source.Access, strength.Access),
        (Source.Authenticity, strength.Authenticity),
        (Source.Credibility, strength.Credibility),
        (Evidence.Stance, strength.Stance),
        (Evidence.Directness, strength.Directness),
        (Claim.Level, strength.Level),
    ],
)
def test_model_choices_and_the_strength_module_name_the_same_values_in_the_same_words(
    model_choices, pure_enum
):
    assert set(model_choices.values) == {member.value for member in pure_enum}
    # What a curator picks in the admin is what the claim pages' weights say, in the
    # middle of a sentence.
    for member in pure_enum:
        label = model_choices(member.value).label
        assert member.label in (label, label[0].lower() + label[1:])


@pytest.mark.django_db(transaction=True)
def test_a_full_reassessment_leaves_the_claims_table_vacuumed_on_postgresql(claim):
    from django.db import connection

    if connection.vendor != "postgresql":
        pytest.skip("VACUUM is PostgreSQL's; SQLite has no visibility map to settle")
    call_command("reassess", stdout=io.StringIO(), stderr=io.StringIO())
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_stat_clear_snapshot()")
        cursor.execute(
            "SELECT last_vacuum FROM pg_stat_user_tables WHERE relname = %s",
            [Claim._meta.db_table],
        )
        assert cursor.fetchone()[0] is not None


def test_migrate_reassesses_every_claim_when_the_method_changed():
    from django.core.management.sql import emit_post_migrate_signal

    from claims import assessment
    from claims.models import AssessmentMethod

    korean = korean_war_claim()
    level = Claim.objects.get(pk=korean.pk).strength_level
    Claim.objects.filter(pk=korean.pk).update(strength_level="none", assessment_detail=None)
    AssessmentMethod.objects.update_or_create(
        pk=1, defaults={"key": "an older strength.py", "assessed_at": timezone.now()}
    )

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    stored = Claim.objects.get(pk=korean.pk)
    assert stored.strength_level == level
    assert stored.assessment_detail["key"] == assessment.facts_key(assessment.claim_facts(korean))
    assert AssessmentMethod.objects.get().key == assessment.METHOD_KEY


def test_migrate_leaves_the_assessments_alone_when_the_method_is_the_same():
    from django.core.management.sql import emit_post_migrate_signal

    from claims import assessment
    from claims.models import AssessmentMethod

    korean = korean_war_claim()
    Claim.objects.filter(pk=korean.pk).update(strength_level="none")
    AssessmentMethod.objects.update_or_create(
        pk=1, defaults={"key": assessment.METHOD_KEY, "assessed_at": timezone.now()}
    )

    emit_post_migrate_signal(verbosity=0, interactive=False, db="default")

    assert Claim.objects.get(pk=korean.pk).strength_level == "none"
