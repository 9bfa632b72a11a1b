"""The archive generator makes a realistic archive, fast: the proportions of a real one,
citation chains without cycles, dates with their bounds, a mix of states and levels,
and every claim's stored assessment the one the claim page would compute."""

import io
import re
import statistics
from collections import Counter, defaultdict

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import transaction

from benchmarks.generator import generated_bounds
from claims import assessment
from claims.models import Claim, Evidence, Presentation, Topic
from provenance import dates
from provenance.models import Agent, AgentName, Citation, CustodyEvent, Event, Source

pytestmark = pytest.mark.django_db

CLAIMS = 150


def generate(claims=CLAIMS, *args):
    out, err = io.StringIO(), io.StringIO()
    call_command("generate_archive", "--claims", str(claims), *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


@pytest.fixture(scope="class")
def archive(django_db_setup, django_db_blocker):
    """One archive for all the tests of a class, rolled back after them: each test
    runs in a savepoint inside this transaction."""
    with django_db_blocker.unblock(), transaction.atomic():
        yield generate(CLAIMS, "--seed", "7", "--batch-size", "40")
        transaction.set_rollback(True)


DATED = [Agent, Event, Source, CustodyEvent, Claim, Presentation]


class TestAGeneratedArchive:
    """Checks on one generated archive of 150 claims."""

    def test_an_archive_has_about_two_and_a_half_sources_and_ten_evidence_items_per_claim(
        self, archive
    ):
        assert Claim.objects.count() == CLAIMS
        assert 2.0 <= Source.objects.count() / CLAIMS <= 3.0
        assert 7 <= Evidence.objects.count() / CLAIMS <= 13
        # Sources are shared: most bear on more than one claim.
        claims_per_source = Evidence.objects.values("source").distinct().count()
        assert Evidence.objects.count() / claims_per_source > 3

    def test_an_archive_has_people_with_other_names_events_topics_custody_and_presentations(
        self, archive
    ):
        assert Agent.objects.filter(kind=Agent.Kind.PERSON).exists()
        assert Agent.objects.filter(kind=Agent.Kind.ORGANISATION).exists()
        assert AgentName.objects.count() > Agent.objects.count() * 0.2
        assert Event.objects.exists() and Topic.objects.filter(parent__isnull=False).exists()
        assert CustodyEvent.objects.count() / Source.objects.count() > 1.5
        kinds = set(CustodyEvent.objects.values_list("kind", flat=True))
        assert {"created", "declassified", "published", "authenticated", "disputed"} <= kinds
        assert Presentation.objects.filter(event__isnull=False, presenters__isnull=False).exists()
        assert Presentation.objects.filter(reported_in__isnull=False).exists()

    def test_some_claims_have_fifty_evidence_items_for_the_long_claim_page(self, archive):
        assert Claim.objects.get(slug="gen-claim-000050").evidence.count() == 50

    def test_citations_form_chains_several_links_deep_and_never_a_cycle(self, archive):
        derives_from = defaultdict(set)
        for citing, cited in Citation.objects.values_list("citing_id", "cited_id"):
            derives_from[citing].add(cited)
        # Every source cites only sources generated before it, so no cycle can form.
        assert all(cited < citing for citing, parents in derives_from.items() for cited in parents)

        depth = {}

        def depth_of(source):
            if source not in depth:
                depth[source] = 1 + max((depth_of(p) for p in derives_from[source]), default=-1)
            return depth[source]

        deepest = max(depth_of(source) for source in list(derives_from))
        assert deepest >= 3
        cited_often = Citation.objects.values("cited").distinct().count()
        assert cited_often < Citation.objects.count()  # some roots are shared

    @pytest.mark.parametrize("model", DATED, ids=lambda model: model.__name__)
    def test_every_date_has_its_bounds_filled(self, archive, model):
        rows = model.objects.exclude(date="")
        assert rows.exists()
        assert not rows.filter(date_lower__isnull=True).exists()
        assert not rows.filter(date_upper__isnull=True).exists()

    def test_the_generated_bounds_are_those_the_date_module_gives(self, archive):
        # One date of every shape the generator writes (the edtf parser is too slow to
        # check them all).
        shapes = {}
        for model in DATED:
            for text, lower, upper in model.objects.values_list("date", "date_lower", "date_upper"):
                shape = re.sub(r"\d", "9", text)
                shapes.setdefault(shape, (text, lower, upper))
        assert len(shapes) >= 8
        for text, lower, upper in shapes.values():
            expected = dates.bounds_or_none(text)
            assert (lower, upper) == (expected.lower, expected.upper), text
            assert generated_bounds(text) == (expected.lower, expected.upper), text

    def test_claims_come_in_every_workflow_state_and_many_strength_levels(self, archive):
        statuses = Counter(Claim.objects.values_list("status", flat=True))
        assert set(statuses) == {"draft", "in_review", "published"}
        assert statuses["published"] > CLAIMS * 0.7
        assert len(set(Claim.objects.values_list("strength_level", flat=True))) >= 5

    def test_every_claim_has_the_assessment_the_claim_page_would_compute(self, archive):
        assert not Claim.objects.filter(assessed_at__isnull=True).exists()
        sample = Claim.objects.order_by("pk")[::7]
        for claim in sample:
            expected = assessment.claim_facts(claim).assess()
            assert claim.strength_level == expected.level.value, claim.slug
            assert claim.strength_rank == expected.level.rank
            assert claim.support_score == pytest.approx(expected.support, abs=1e-12)
            assert claim.contradiction_score == pytest.approx(expected.contradiction, abs=1e-12)

    def test_generated_slugs_are_prefixed_and_progress_is_shown(self, archive):
        out, err = archive
        for model in (Claim, Source, Agent, Event, Topic):
            assert not model.objects.exclude(slug__startswith="gen-").exists()
        assert f"{CLAIMS:,}/{CLAIMS:,} claims generated" in err
        assert "claims assessed" in err
        assert "Generated archive" in out

    def test_a_curator_can_add_records_after_a_generated_archive(self, archive):
        # Generated rows carry explicit ids; the id sequences must have moved past them.
        source = Source.objects.create(slug="new-report", title="New report", kind="report")
        claim = Claim.objects.create(slug="new-claim", statement="Something happened.")
        Evidence.objects.create(claim=claim, source=source, stance=Evidence.Stance.SUPPORTS)
        assert Claim.objects.get(slug="new-claim").strength_level != "none"

    def test_evidence_per_claim_varies_like_a_real_archive(self, archive):
        per_claim = [claim.evidence.count() for claim in Claim.objects.all()]
        assert min(per_claim) <= 2 and max(per_claim) >= 30
        assert statistics.median(per_claim) < statistics.mean(per_claim)  # a long tail


def fingerprint():
    return (
        list(Claim.objects.order_by("slug").values_list("slug", "statement", "status", "date")),
        list(
            Evidence.objects.order_by("claim__slug", "source__slug").values_list(
                "claim__slug", "source__slug", "stance", "directness"
            )
        ),
        sorted(Citation.objects.values_list("citing__slug", "cited__slug")),
        list(Claim.objects.order_by("slug").values_list("strength_level", flat=True)),
    )


def archive_of_seed(seed):
    with transaction.atomic():
        generate(20, "--seed", str(seed))
        made = fingerprint()
        transaction.set_rollback(True)
    return made


def test_the_same_seed_gives_the_same_archive_and_another_seed_another():
    first = archive_of_seed(3)
    assert archive_of_seed(3) == first
    assert archive_of_seed(4) != first


def test_a_dry_run_counts_rows_and_writes_nothing():
    out, _ = generate(10, "--dry-run")
    assert "would create" in out
    assert not Claim.objects.exists() and not Source.objects.exists()


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (["--claims", "0"], "--claims must be between 1"),
        (["--claims", "-5"], "--claims must be between 1"),
        (["--claims", "ten"], "invalid int value"),
        (["--claims", "10", "--batch-size", "0"], "--batch-size must be between 1"),
        (["--claims", "10", "--jobs", "0"], "--jobs must be at least 1"),
        ([], "the following arguments are required: --claims"),
    ],
)
def test_bad_arguments_are_refused_with_a_clear_message(arguments, message):
    with pytest.raises(CommandError, match=re.escape(message)):
        call_command("generate_archive", *arguments, stdout=io.StringIO(), stderr=io.StringIO())
    assert not Claim.objects.exists()


def test_generating_twice_into_one_database_is_refused():
    generate(5)
    with pytest.raises(CommandError, match="already holds a generated archive"):
        generate(5)


def test_reassess_agrees_with_the_claim_page_on_a_generated_archive():
    generate(40, "--seed", "11")
    Claim.objects.update(strength_level="none", strength_rank=0, support_score=0)
    out = io.StringIO()
    call_command("reassess", "--batch-size", "7", stdout=out, stderr=io.StringIO())
    assert "40 claims assessed" in out.getvalue()
    for claim in Claim.objects.all():
        assert claim.strength_level == assessment.claim_facts(claim).assess().level
