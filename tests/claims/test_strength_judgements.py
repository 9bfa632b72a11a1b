"""How the method judges sources as historians do: the credibility of a source's content
apart from its authenticity, sources nobody has assessed yet, corroboration before
Strong, verification findings, and as-of views that count a source only from the
latest day its public date allows."""

import dataclasses
from datetime import date, timedelta
from types import SimpleNamespace

from hypothesis import given, settings
from hypothesis import strategies as st

from claims import assessment
from claims.strength import (
    ADMIRALTY_CREDIBILITY,
    ADMIRALTY_RELIABILITY,
    AUTHENTICITY_WEIGHT,
    CREDIBILITY_WEIGHT,
    LEVEL_CORRESPONDENCE,
    LEVELS_BY_RANK,
    Access,
    Authenticity,
    Credibility,
    Directness,
    EvidenceFacts,
    Level,
    Proximity,
    SourceFacts,
    Stance,
    assess,
    method_description,
)
from provenance import dates
from provenance.models import Source

QUICK = settings(max_examples=80, deadline=None)


def source(key, proximity=Proximity.CONTEMPORANEOUS, **fields):
    fields.setdefault("access_now", Access.PUBLISHED)
    fields.setdefault("authenticity_now", Authenticity.ACCEPTED)
    fields.setdefault("access_changes", ((date(1950, 1, 1), fields["access_now"]),))
    return SourceFacts(key=key, title=key.title(), proximity=proximity, **fields)


def supports(key, source_key, directness=Directness.DIRECT):
    return EvidenceFacts(key, source_key, Stance.SUPPORTS, directness)


def level_of(*sources, citations=(), as_of=None):
    evidence = [supports(index, item.key) for index, item in enumerate(sources)]
    return assess(evidence, {item.key: item for item in sources}, citations, as_of=as_of).level


# Credibility of the content, apart from authenticity


def test_a_genuine_record_whose_content_was_shown_mistaken_weighs_nothing_from_that_date():
    intercept = source(
        "intercept",
        authenticity_now=Authenticity.AUTHENTICATED,
        authenticity_changes=((date(1990, 1, 1), Authenticity.AUTHENTICATED, ""),),
        credibility_now=Credibility.MISTAKEN,
        credibility_changes=((date(2005, 12, 31), Credibility.MISTAKEN, "An NSA history"),),
    )
    before = assess(
        [supports(1, "intercept")], {"intercept": intercept}, (), as_of=date(2000, 1, 1)
    )
    after = assess([supports(1, "intercept")], {"intercept": intercept}, ())

    assert before.level == Level.STRONG  # an authenticated record, not yet faulted
    assert after.level == Level.NONE
    assert after.discounted == (1,)


def test_the_reasons_say_the_record_is_genuine_but_its_content_was_faulted_and_by_whom():
    report = source(
        "report",
        authenticity_now=Authenticity.AUTHENTICATED,
        credibility_now=Credibility.DOUBTFUL,
        credibility_changes=((date(2005, 12, 31), Credibility.DOUBTFUL, "A later inquiry"),),
    )
    reason = assess([supports(1, "report")], {"report": report}, ()).reasons[0]

    assert "authenticity authenticated" in reason
    assert "content doubtful 2005 (by A later inquiry)" in reason


def test_every_credibility_has_a_weight_and_a_grade():
    assert set(CREDIBILITY_WEIGHT) == set(Credibility) == set(ADMIRALTY_CREDIBILITY)
    assert (
        CREDIBILITY_WEIGHT[Credibility.MISTAKEN] == CREDIBILITY_WEIGHT[Credibility.RETRACTED] == 0
    )
    assert set(ADMIRALTY_RELIABILITY) == set(Authenticity)
    assert set(LEVEL_CORRESPONDENCE) == set(LEVELS_BY_RANK)


# Not yet assessed, and corroboration before Strong


def test_a_source_not_yet_assessed_weighs_less_than_an_accepted_one():
    assert (
        AUTHENTICITY_WEIGHT[Authenticity.DISPUTED]
        < AUTHENTICITY_WEIGHT[Authenticity.UNASSESSED]
        < AUTHENTICITY_WEIGHT[Authenticity.ACCEPTED]
    )


def test_before_its_first_dated_judgement_a_source_counts_as_not_yet_assessed():
    diaries = source(
        "diaries",
        authenticity_now=Authenticity.FORGED,
        authenticity_changes=((date(1983, 5, 6), Authenticity.FORGED, "Bundesarchiv findings"),),
    )
    evidence = [supports(1, "diaries")]
    before = assess(evidence, {"diaries": diaries}, (), as_of=date(1983, 5, 1))

    assert before.lines[0].best_support.authenticity == Authenticity.UNASSESSED
    assert before.level == Level.MODERATE  # one unassessed line, 0.7: never Strong alone
    assert assess(evidence, {"diaries": diaries}, ()).level == Level.NONE


def test_one_accepted_contemporaneous_record_alone_is_moderate_not_strong():
    assert level_of(source("minutes")) == Level.MODERATE


def test_one_authenticated_contemporaneous_record_alone_may_be_strong():
    authenticated = source("minutes", authenticity_now=Authenticity.AUTHENTICATED)
    assert level_of(authenticated) == Level.STRONG


def test_an_authenticated_record_whose_content_is_doubted_cannot_stand_alone():
    doubted = source(
        "minutes",
        authenticity_now=Authenticity.AUTHENTICATED,
        credibility_now=Credibility.UNCORROBORATED,
    )
    assert level_of(doubted) == Level.MODERATE  # 0.8: enough for Strong, but alone


def test_two_independent_lines_make_strong_what_one_could_not():
    assert level_of(source("minutes"), source("diary")) in (Level.STRONG, Level.ESTABLISHED)
    derived = source("copy")
    one_line = level_of(source("minutes"), derived, citations=(("copy", "minutes"),))
    assert one_line == Level.MODERATE


def test_the_methodology_states_the_corroboration_rule_and_the_grading_systems():
    description = method_description()
    strong = next(level for level in description["levels"] if level["value"] == "strong")

    assert "at least 2 independent lines" in strong["rule"]
    assert "authenticated contemporaneous record" in strong["rule"]
    assert [factor["key"] for factor in description["factors"]] == [
        "proximity",
        "authenticity",
        "credibility",
        "access",
        "directness",
    ]
    grading = description["grading"]
    assert [row["label"] for row in grading["levels"]][0] == "Established"
    assert {row["reason"] for row in grading["grade_reasons"]} >= {
        "Risk of bias",
        "Inconsistency",
        "Indirectness",
        "Imprecision",
    }


# Verification findings


def event(kind, date_text, documented_in=None):
    bounds = dates.bounds_or_none(date_text)
    return SimpleNamespace(
        kind=kind,
        date=date_text,
        date_lower=bounds.lower,
        date_upper=bounds.upper,
        documented_in_title=documented_in,
    )


def row(*events, access="published", authenticity="accepted", credibility="not_assessed", **kw):
    fields = {
        "slug": "source",
        "title": "A source",
        "kind": "memorandum",
        "proximity": "",
        "date": "",
        "date_lower": None,
        "date_upper": None,
        **kw,
    }
    fields["date_lower"] = fields["date_lower"] or dates.bounds_or_none(fields["date"]).lower
    fields["date_upper"] = fields["date_upper"] or dates.bounds_or_none(fields["date"]).upper
    record = SimpleNamespace(
        access=access, authenticity=authenticity, credibility=credibility, **fields
    )
    record.Kind, record.Proximity = Source.Kind, Source.Proximity
    record.effective_proximity = Source.effective_proximity.fget(record)
    record.custody_events = SimpleNamespace(all=lambda: list(events))
    return record


def test_with_no_dated_finding_a_source_counts_as_not_yet_assessed_in_the_past_only():
    accepted = source("minutes")
    forged = source("minutes", authenticity_now=Authenticity.FORGED)
    evidence = [supports(1, "minutes")]

    past = assess(evidence, {"minutes": accepted}, (), as_of=date(2000, 1, 1))
    assert past.lines[0].best_support.authenticity == Authenticity.UNASSESSED
    assert assess(evidence, {"minutes": accepted}, ()).lines[0].best_support.authenticity == (
        Authenticity.ACCEPTED
    )
    # Known forged now: never counted for more in the past.
    assert assess(evidence, {"minutes": forged}, (), as_of=date(2000, 1, 1)).level == Level.NONE


def test_a_published_work_with_no_dated_finding_counts_as_accepted_from_its_publication():
    # A study or a report is what it says it is from the day it appears; what may be
    # wrong with it is its content, which credibility weighs.
    for proximity in (Proximity.SCHOLARLY, Proximity.EXAMINATION, Proximity.TESTIMONY):
        study = source("study", proximity)
        past = assess([supports(1, "study")], {"study": study}, (), as_of=date(2000, 1, 1))
        assert past.lines[0].best_support.authenticity == Authenticity.ACCEPTED


def test_a_published_work_found_forged_later_counts_as_accepted_only_before_the_finding():
    memoir = source(
        "memoir",
        Proximity.TESTIMONY,
        authenticity_now=Authenticity.FORGED,
        authenticity_changes=((date(1990, 1, 1), Authenticity.FORGED, "Inquiry"),),
    )
    evidence = [supports(1, "memoir")]

    before = assess(evidence, {"memoir": memoir}, (), as_of=date(1980, 1, 1))
    assert before.lines[0].best_support.authenticity == Authenticity.ACCEPTED
    assert assess(evidence, {"memoir": memoir}, (), as_of=date(1990, 1, 2)).level == Level.NONE


def test_one_expert_examination_alone_is_moderate_and_a_second_line_makes_it_established():
    examination = source("examination", Proximity.EXAMINATION)
    confession = source("confession", Proximity.JOURNALISM)

    assert level_of(examination) == Level.MODERATE
    assert level_of(examination, confession) == Level.ESTABLISHED


def test_a_verification_takes_the_verified_source_to_its_finding_from_its_date_and_is_named():
    tape = row(
        event("published", "1975"),
        event("authenticated", "1998-03", documented_in="Voice-print analysis"),
        authenticity="authenticated",
        kind="recording",
    )
    facts = assessment.source_facts(tape)
    evidence = [supports(1, "source")]

    before = assess(evidence, {"source": facts}, (), as_of=date(1998, 3, 30))
    after = assess(evidence, {"source": facts}, (), as_of=date(1998, 3, 31))

    assert before.lines[0].best_support.authenticity == Authenticity.UNASSESSED
    assert after.lines[0].best_support.authenticity == Authenticity.AUTHENTICATED
    assert after.level == Level.STRONG
    assert "authenticity authenticated 1998 (by Voice-print analysis)" in after.reasons[0]


# Conservative as-of dates


def test_an_uncertain_release_counts_from_the_latest_day_it_allows():
    memoir = row(event("published", "1970/1971"))
    facts = assessment.source_facts(memoir)
    assert facts.access_changes == ((date(1971, 12, 31), Access.PUBLISHED),)


def test_an_uncertain_year_and_an_unspecified_digit_count_from_their_last_day():
    assert assessment.source_facts(row(event("declassified", "1974?"))).access_changes[0][0] == (
        date(1974, 12, 31)
    )
    assert assessment.source_facts(row(event("declassified", "197X"))).access_changes[0][0] == (
        date(1979, 12, 31)
    )


def test_a_published_source_without_a_release_counts_from_the_end_of_its_own_date():
    book = row(date="1970-06")
    assert assessment.source_facts(book).access_changes == ((date(1970, 6, 30), Access.PUBLISHED),)


def test_a_source_without_a_dated_release_counts_only_today():
    for unreleased in (row(access="declassified", date="1950"), row(access="published")):
        facts = assessment.source_facts(unreleased)
        evidence = [supports(1, "source")]
        assert facts.access_changes == ()
        assert assess(evidence, {"source": facts}, (), as_of=date(2020, 1, 1)).level == Level.NONE
        assert assess(evidence, {"source": facts}, ()).level != Level.NONE


def test_no_reason_names_a_release_date_that_no_record_holds():
    telegram = row(access="declassified", date="1950")
    facts = assessment.source_facts(telegram)
    reason = assess([supports(1, "source")], {"source": facts}, ()).reasons[0]
    assert "declassified, " not in reason and "declassified 1" not in reason
    assert "declassified (A source)" in reason  # what it is now, with no date claimed


RELEASE_DATES = st.sampled_from(
    ["1970", "1970-06", "1970-06-15", "1970/1971", "1970-03/1970-09", "1974?", "197X", "1970~"]
)
AS_OF_DAYS = st.integers(0, 12 * 365).map(lambda offset: date(1969, 1, 1) + timedelta(offset))


@QUICK
@given(release=RELEASE_DATES, as_of=AS_OF_DAYS)
def test_an_as_of_view_never_counts_a_source_before_the_upper_bound_of_its_public_date(
    release, as_of
):
    facts = assessment.source_facts(row(event("published", release)))
    counted = assess([supports(1, "source")], {"source": facts}, (), as_of=as_of).lines
    assert bool(counted) == (as_of >= dates.bounds_or_none(release).upper)


@QUICK
@given(
    release=RELEASE_DATES,
    later=st.integers(1, 3000),
    proximity=st.sampled_from(Proximity),
    stance=st.sampled_from([Stance.SUPPORTS, Stance.CONTRADICTS]),
    as_of=AS_OF_DAYS,
)
def test_adding_a_source_made_public_later_never_changes_an_earlier_as_of_verdict(
    release, later, proximity, stance, as_of
):
    first = assessment.source_facts(row(event("published", release)))
    before = assess([supports(1, "source")], {"source": first}, (), as_of=as_of)
    released = max(as_of, dates.bounds_or_none(release).upper) + timedelta(later)
    newcomer = SourceFacts(
        "new",
        "New",
        proximity,
        Access.PUBLISHED,
        Authenticity.ACCEPTED,
        ((released, Access.PUBLISHED),),
    )
    evidence = [supports(1, "source"), EvidenceFacts(2, "new", stance, Directness.DIRECT)]
    after = assess(evidence, {"source": first, "new": newcomer}, (), as_of=as_of)
    assert (after.level, after.support, after.contradiction) == (
        before.level,
        before.support,
        before.contradiction,
    )


FAVOURABLE_AUTHENTICITY = [Authenticity.ACCEPTED, Authenticity.AUTHENTICATED]
FAVOURABLE_CREDIBILITY = [Credibility.NOT_ASSESSED, Credibility.CONFIRMED]


@st.composite
def rising_findings(draw, values, weights):
    """Dated findings that only ever rate a source up, as (date, value, by)."""
    count = draw(st.integers(1, 3))
    days = sorted(draw(st.lists(AS_OF_DAYS, min_size=count, max_size=count, unique=True)))
    chosen = sorted(
        draw(st.lists(st.sampled_from(values), min_size=count, max_size=count)),
        key=lambda value: weights[value],
    )
    return tuple((day, value, "") for day, value in zip(days, chosen, strict=True))


@QUICK
@given(
    authenticity=rising_findings(FAVOURABLE_AUTHENTICITY, AUTHENTICITY_WEIGHT),
    credibility=rising_findings(FAVOURABLE_CREDIBILITY, CREDIBILITY_WEIGHT),
    proximity=st.sampled_from(Proximity),
    other=st.sampled_from(Proximity),
    drop=st.integers(0, 5),
    as_of=st.none() | AS_OF_DAYS,
)
def test_removing_a_finding_in_a_sources_favour_never_raises_a_verdict(
    authenticity, credibility, proximity, other, drop, as_of
):
    """For a source of supporting evidence whose findings only ever rated it up and
    whose present state is its latest finding, as curators record them."""
    record = SourceFacts(
        "record",
        "Record",
        proximity,
        Access.PUBLISHED,
        authenticity[-1][1],
        ((date(1968, 1, 1), Access.PUBLISHED),),
        authenticity,
        credibility[-1][1],
        credibility,
    )
    witness = SourceFacts(
        "witness",
        "Witness",
        other,
        Access.PUBLISHED,
        Authenticity.ACCEPTED,
        ((date(1968, 1, 1), Access.PUBLISHED),),
    )
    findings = [("authenticity_changes", index) for index in range(len(authenticity))]
    findings += [("credibility_changes", index) for index in range(len(credibility))]
    field, index = findings[drop % len(findings)]
    changes = getattr(record, field)
    fewer = dataclasses.replace(record, **{field: changes[:index] + changes[index + 1 :]})
    evidence = [supports(1, "record"), supports(2, "witness")]

    full = assess(evidence, {"record": record, "witness": witness}, (), as_of=as_of)
    less = assess(evidence, {"record": fewer, "witness": witness}, (), as_of=as_of)
    assert less.support <= full.support
    assert less.level.rank <= full.level.rank


# One wording for every page


def test_the_method_and_the_records_word_each_choice_alike():
    pairs = (
        (Proximity, Source.Proximity),
        (Access, Source.Access),
        (Authenticity, Source.Authenticity),
        (Credibility, Source.Credibility),
    )
    for method_choices, model_choices in pairs:
        assert {choice.value: choice.label for choice in method_choices} == {
            choice.value: choice.label.lower() for choice in model_choices
        }


def test_every_kind_of_source_has_a_default_closeness_and_other_weighs_least():
    for kind in Source.Kind:
        assert kind.default_proximity in Source.Proximity
    assert Source.Kind.OTHER.default_proximity == Source.Proximity.JOURNALISM
    for kind in ("letter", "transcript", "intercept", "recording", "photograph"):
        assert Source.Kind(kind).default_proximity == Source.Proximity.CONTEMPORANEOUS
    assert Source.Kind("forensic_analysis").default_proximity == Source.Proximity.EXAMINATION
