"""Examples of the strength assessment, starting with the two demo claims."""

from datetime import date

import pytest

from claims.strength import (
    ACCESS_WEIGHT,
    AUTHENTICITY_WEIGHT,
    CREDIBILITY_WEIGHT,
    DIRECTNESS_WEIGHT,
    LEVEL_THRESHOLDS,
    LEVELS_BY_RANK,
    PROXIMITY_WEIGHT,
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
    timeline,
    what_if,
)

# Builders


def source(
    key,
    proximity=Proximity.SCHOLARLY,
    *,
    access=Access.PUBLISHED,
    authenticity=Authenticity.ACCEPTED,
    released=None,
    access_changes=(),
    authenticity_changes=(),
):
    """A source; `released` is a shorthand for one dated change to `access`."""
    if released is not None:
        access_changes = ((released, access),)
    return SourceFacts(
        key=key,
        title=key.replace("-", " ").title(),
        proximity=proximity,
        access_now=access,
        authenticity_now=authenticity,
        access_changes=tuple(access_changes),
        authenticity_changes=tuple(authenticity_changes),
    )


def evidence(key, source_key, stance=Stance.SUPPORTS, directness=Directness.DIRECT):
    return EvidenceFacts(key=key, source_key=source_key, stance=stance, directness=directness)


def by_key(*sources):
    return {source.key: source for source in sources}


# The demo: "Stalin approved North Korea's attack"

TELEGRAMS = source(
    "telegrams",
    Proximity.CONTEMPORANEOUS,
    access=Access.DECLASSIFIED,
    authenticity=Authenticity.AUTHENTICATED,
    access_changes=(
        (date(1993, 1, 13), Access.CITED_ONLY),
        (date(1994, 6, 1), Access.DECLASSIFIED),
    ),
)
REPORT_1966 = source(
    "report-1966",
    Proximity.OFFICIAL_RETROSPECTIVE,
    access=Access.DECLASSIFIED,
    released=date(1993, 1, 13),
)
KHRUSHCHEV_REMEMBERS = source(
    "khrushchev-remembers",
    Proximity.TESTIMONY,
    authenticity=Authenticity.AUTHENTICATED,
    released=date(1970, 1, 1),
    authenticity_changes=(
        (date(1970, 1, 1), Authenticity.DISPUTED),
        (date(1974, 1, 1), Authenticity.AUTHENTICATED),
    ),
)
AP_1993 = source("ap-1993", Proximity.JOURNALISM, released=date(1993, 1, 13))

STALIN_SOURCES = by_key(TELEGRAMS, REPORT_1966, KHRUSHCHEV_REMEMBERS, AP_1993)
STALIN_EVIDENCE = (
    evidence("telegrams-approve", "telegrams"),
    evidence("report-approves", "report-1966"),
    evidence("khrushchev-approves", "khrushchev-remembers"),
    evidence("ap-reports", "ap-1993", directness=Directness.INDIRECT),
)
STALIN_CITATIONS = (("report-1966", "telegrams"), ("ap-1993", "report-1966"))


def assess_stalin(**options):
    return assess(STALIN_EVIDENCE, STALIN_SOURCES, STALIN_CITATIONS, **options)


def test_stalin_claim_grows_from_suspicion_to_established_over_the_decades():
    steps = timeline(STALIN_EVIDENCE, STALIN_SOURCES, STALIN_CITATIONS)

    assert [(step.date, step.assessment.level) for step in steps] == [
        (None, Level.NONE),
        (date(1970, 1, 1), Level.WEAK),
        (date(1974, 1, 1), Level.MODERATE),
        (date(1993, 1, 13), Level.STRONG),
    ]
    # The report, a work published under its makers' names, counts as accepted from its
    # release (0.72). The telegrams, records of their time with no dated finding, count
    # as not yet assessed in the past (0.7), below the report in the same line, so their
    # release in 1994 changes nothing; today, as recorded, they are authenticated, and
    # the claim Established.
    assert [step.assessment.support for step in steps] == pytest.approx(
        [0, 0.275, 0.55, 1 - 0.28 * 0.45]
    )
    assert assess_stalin().level == Level.ESTABLISHED


def test_stalin_claim_before_1970_has_every_item_not_yet_public():
    before = timeline(STALIN_EVIDENCE, STALIN_SOURCES, STALIN_CITATIONS)[0].assessment

    assert before.lines == ()
    assert len(before.not_yet_public) == 4
    assert before.summary == "No evidence recorded."


def test_disputed_memoir_is_weak_and_says_so():
    assessment = assess_stalin(as_of=date(1972, 5, 1))

    assert assessment.level == Level.WEAK
    assert assessment.reasons == (
        "Supports: participant testimony or memoir, published 1970, authenticity disputed "
        "1970 (Khrushchev Remembers)",
    )
    assert set(assessment.not_yet_public) == {"telegrams-approve", "report-approves", "ap-reports"}


def test_report_telegrams_and_ap_are_one_line_beside_the_memoir_from_1993_on():
    for day in (date(1993, 1, 13), date(1994, 6, 1), None):
        assessment = assess_stalin(as_of=day)

        assert len(assessment.lines) == 2
        assert {line.source_keys for line in assessment.lines} == {
            ("ap-1993", "report-1966", "telegrams"),
            ("khrushchev-remembers",),
        }


def test_stalin_claim_in_1993_rests_on_the_report_with_the_telegrams_cited_only():
    assessment = assess_stalin(as_of=date(1993, 1, 13))
    report_line = assessment.lines[0]

    assert report_line.key == "telegrams"
    assert report_line.best_support.evidence.source_key == "report-1966"
    # The report and the AP's story, published works, are accepted from their release
    # (0.9): report 0.8 x 0.9, the AP 0.25 x 0.9 x indirect 0.6. The telegrams, records of
    # their time nobody had yet examined, are not yet assessed (0.7) and cited only (0.6).
    assert [item.weight for item in report_line.items] == pytest.approx([0.72, 0.42, 0.135])
    assert assessment.summary == (
        "Strong: 2 independent lines support it (best: official retrospective report); "
        "none contradicts it."
    )
    assert assessment.reasons[0] == (
        "Supports: official retrospective report, declassified 1993 (Report 1966); "
        "2 more sources in the same line"
    )


def test_stalin_claim_now_is_established_by_the_declassified_telegrams():
    assessment = assess_stalin()

    assert assessment.level == Level.ESTABLISHED
    assert assessment.as_of is None
    assert assessment.lines[0].best_support.description == (
        "contemporaneous record, declassified 1994, authenticity authenticated"
    )


def test_without_the_1966_report_the_telegrams_carry_its_line():
    outcomes = {
        outcome.source_key: outcome
        for outcome in what_if(STALIN_EVIDENCE, STALIN_SOURCES, STALIN_CITATIONS)
    }
    without_report = outcomes["report-1966"].assessment_without

    assert without_report.level == Level.ESTABLISHED
    assert not outcomes["report-1966"].changes_level
    assert {line.source_keys for line in without_report.lines} == {
        ("ap-1993", "telegrams"),
        ("khrushchev-remembers",),
    }
    assert without_report.discounted == ("report-approves",)


def test_what_if_lists_first_the_source_whose_loss_hurts_most():
    outcomes = what_if(STALIN_EVIDENCE, STALIN_SOURCES, STALIN_CITATIONS)

    assert [(outcome.source_key, outcome.assessment_without.level) for outcome in outcomes] == [
        ("telegrams", Level.STRONG),
        ("khrushchev-remembers", Level.STRONG),
        ("ap-1993", Level.ESTABLISHED),
        ("report-1966", Level.ESTABLISHED),
    ]
    assert outcomes[0].title == "Telegrams"


def test_in_1993_the_verdict_rests_most_on_the_memoir():
    outcomes = what_if(STALIN_EVIDENCE, STALIN_SOURCES, STALIN_CITATIONS, as_of=date(1993, 6, 1))

    assert outcomes[0].source_key == "khrushchev-remembers"
    assert outcomes[0].assessment_without.level == Level.MODERATE
    without_report = next(o for o in outcomes if o.source_key == "report-1966")
    # The telegrams, cited only and not yet assessed (0.42), carry the line with the
    # memoir beside it: 1 - 0.58 x 0.45 is below Strong's 75%.
    assert without_report.assessment_without.level == Level.MODERATE
    assert without_report.assessment_without.support == pytest.approx(1 - 0.58 * 0.45)


# The second demo: "China deliberately incited the 1958 crisis"


def test_a_suggestion_in_one_conference_paper_and_its_press_report_stays_weak():
    sources = by_key(
        source("pleshakov-1993", Proximity.SCHOLARLY, released=date(1993, 1, 13)),
        source("ap-1993", Proximity.JOURNALISM, released=date(1993, 1, 13)),
    )
    items = (
        evidence(1, "pleshakov-1993", directness=Directness.INDIRECT),
        evidence(2, "ap-1993", directness=Directness.INDIRECT),
    )
    assessment = assess(items, sources, [("ap-1993", "pleshakov-1993")])

    assert assessment.level.rank <= Level.WEAK.rank
    assert len(assessment.lines) == 1
    assert assessment.support == pytest.approx(0.4 * 0.9 * 0.6)


# Weights


def test_an_item_weighs_the_product_of_its_five_factors_and_shows_the_sum():
    sources = by_key(source("memoir", Proximity.TESTIMONY, authenticity=Authenticity.DISPUTED))
    item = (
        assess([evidence(1, "memoir", directness=Directness.INDIRECT)], sources, [])
        .lines[0]
        .items[0]
    )

    assert item.weight == pytest.approx(0.55 * 1.0 * 0.5 * 0.6)
    assert item.explanation == (
        "participant testimony or memoir 0.55 × published 1 × disputed 0.5 × content not "
        "assessed 1 × indirect or circumstantial 0.6 = 0.165"
    )


def test_a_source_known_only_from_citations_counts_less_than_one_that_can_be_read():
    sources = by_key(
        source("readable", Proximity.CONTEMPORANEOUS),
        source("cited", Proximity.CONTEMPORANEOUS, access=Access.CITED_ONLY),
    )

    readable = assess([evidence(1, "readable")], sources, [])
    cited = assess([evidence(1, "cited")], sources, [])

    assert cited.support < readable.support


def test_a_classified_source_is_not_counted_and_is_listed_as_not_yet_public():
    sources = by_key(source("file", Proximity.CONTEMPORANEOUS, access=Access.CLASSIFIED))

    assessment = assess([evidence(1, "file")], sources, [])

    assert assessment.level == Level.NONE
    assert assessment.not_yet_public == (1,)


def test_a_forged_source_weighs_nothing_and_is_listed_as_discounted():
    sources = by_key(source("diary", Proximity.CONTEMPORANEOUS, authenticity=Authenticity.FORGED))

    assessment = assess([evidence(1, "diary")], sources, [])

    assert assessment.level == Level.NONE
    assert assessment.lines == ()
    assert assessment.discounted == (1,)


# Lines of evidence


def test_derived_source_does_not_add_an_independent_line():
    sources = by_key(source("book"), source("review"))
    items = [evidence(1, "book"), evidence(2, "review")]

    assessment = assess(items, sources, [("review", "book")])

    assert len(assessment.lines) == 1
    assert assessment.support == pytest.approx(0.36)


def test_two_memoirs_repeating_one_newspaper_are_one_line():
    sources = by_key(
        source("memoir-a", Proximity.TESTIMONY), source("memoir-b", Proximity.TESTIMONY)
    )
    items = [evidence(1, "memoir-a"), evidence(2, "memoir-b")]
    citations = [("memoir-a", "newspaper"), ("memoir-b", "newspaper")]

    assessment = assess(items, sources, citations)

    assert len(assessment.lines) == 1
    assert assessment.lines[0].key == "newspaper"


def test_citations_are_walked_through_sources_without_evidence():
    sources = by_key(source("summary"), source("original"))
    items = [evidence(1, "summary"), evidence(2, "original")]

    assessment = assess(items, sources, [("summary", "translation"), ("translation", "original")])

    assert len(assessment.lines) == 1


def test_a_work_outside_the_claim_citing_two_sources_does_not_join_them():
    sources = by_key(source("book-a"), source("book-b"))
    items = [evidence(1, "book-a"), evidence(2, "book-b")]

    assessment = assess(items, sources, [("survey", "book-a"), ("survey", "book-b")])

    assert len(assessment.lines) == 2


def test_independent_lines_add_up_but_never_reach_certainty():
    sources = by_key(source("a"), source("b"), source("c"))
    items = [evidence(1, "a"), evidence(2, "b"), evidence(3, "c")]

    assessment = assess(items, sources, [])

    assert assessment.support == pytest.approx(1 - 0.64**3)
    assert assessment.support < 1


def test_a_citation_cycle_is_tolerated():
    sources = by_key(source("a"), source("b"))
    items = [evidence(1, "a"), evidence(2, "b")]

    assessment = assess(items, sources, [("a", "b"), ("b", "a")])

    assert len(assessment.lines) == 1
    assert assessment.lines[0].key == "a"


def test_context_evidence_is_shown_in_its_line_but_not_counted():
    sources = by_key(source("telegram", Proximity.CONTEMPORANEOUS), source("biography"))
    items = [evidence(1, "telegram"), evidence(2, "biography", Stance.CONTEXT)]

    assessment = assess(items, sources, [("biography", "telegram")])

    assert len(assessment.lines) == 1
    assert [item.evidence.key for item in assessment.lines[0].items] == [1, 2]
    assert assessment.support == pytest.approx(0.9)


def test_context_evidence_never_joins_two_lines():
    sources = by_key(source("a"), source("b"), source("survey"))
    items = [evidence(1, "a"), evidence(2, "b"), evidence(3, "survey", Stance.CONTEXT)]

    assessment = assess(items, sources, [("survey", "a"), ("survey", "b")])

    assert len(assessment.independent_lines) == 2
    assert assessment.lines[0].source_keys == ("a", "survey")


def test_context_evidence_alone_is_no_evidence_for_or_against():
    sources = by_key(source("atlas"))

    assessment = assess([evidence(1, "atlas", Stance.CONTEXT)], sources, [])

    assert assessment.level == Level.NONE
    assert len(assessment.lines) == 1
    assert assessment.independent_lines == ()
    assert assessment.reasons == ()


# Levels


def test_a_single_line_is_at_most_strong_however_good_the_record():
    sources = by_key(
        source("order", Proximity.CONTEMPORANEOUS, authenticity=Authenticity.AUTHENTICATED)
    )

    assessment = assess([evidence(1, "order")], sources, [])

    assert assessment.support == 1.0
    assert assessment.level == Level.STRONG


def test_strong_evidence_both_ways_is_contested():
    sources = by_key(
        source("for", Proximity.CONTEMPORANEOUS), source("against", Proximity.CONTEMPORANEOUS)
    )
    items = [evidence(1, "for"), evidence(2, "against", Stance.CONTRADICTS)]

    assessment = assess(items, sources, [])

    assert assessment.level == Level.CONTESTED
    assert assessment.summary == (
        "Contested: 1 independent line supports it (best: contemporaneous record); "
        "1 independent line contradicts it (best: contemporaneous record)."
    )


def test_strong_evidence_against_and_little_for_is_contradicted():
    sources = by_key(
        source("rumour", Proximity.JOURNALISM), source("minutes", Proximity.CONTEMPORANEOUS)
    )
    items = [evidence(1, "rumour"), evidence(2, "minutes", Stance.CONTRADICTS)]

    assessment = assess(items, sources, [])

    assert assessment.level == Level.CONTRADICTED
    assert assessment.reasons[0].startswith("Contradicts: contemporaneous record")


def test_weak_evidence_against_alone_is_weak():
    sources = by_key(source("article", Proximity.JOURNALISM))

    assessment = assess([evidence(1, "article", Stance.CONTRADICTS)], sources, [])

    assert assessment.level == Level.WEAK
    assert assessment.summary.startswith(
        "Weak: nothing supports it; 1 independent line contradicts"
    )


def test_one_line_can_hold_both_support_and_contradiction():
    sources = by_key(source("letter", Proximity.CONTEMPORANEOUS), source("edition"))
    items = [evidence(1, "letter"), evidence(2, "edition", Stance.CONTRADICTS)]

    assessment = assess(items, sources, [("edition", "letter")])

    (line,) = assessment.lines
    assert line.support_weight == pytest.approx(0.9)
    assert line.contradiction_weight == pytest.approx(0.36)
    # 90% support, but from one line of an accepted (not authenticated) letter.
    assert assessment.level == Level.MODERATE


def test_levels_rank_from_no_evidence_to_established():
    assert sorted(Level, key=lambda level: level.rank) == [
        Level.NONE,
        Level.CONTRADICTED,
        Level.CONTESTED,
        Level.WEAK,
        Level.MODERATE,
        Level.STRONG,
        Level.ESTABLISHED,
    ]
    assert [level.label for level in LEVELS_BY_RANK][0] == "No evidence recorded"


# Dates


def test_a_records_authenticity_before_its_first_dated_change_is_not_yet_assessed():
    diary = source(
        "diary",
        Proximity.CONTEMPORANEOUS,
        authenticity=Authenticity.AUTHENTICATED,
        released=date(1960, 1, 1),
        authenticity_changes=((date(1965, 1, 1), Authenticity.AUTHENTICATED),),
    )

    in_1962 = assess([evidence(1, "diary")], by_key(diary), [], as_of=date(1962, 1, 1))

    assert in_1962.lines[0].items[0].authenticity == Authenticity.UNASSESSED


def test_a_source_without_a_release_date_counts_today_but_on_no_past_date():
    sources = by_key(source("book"))

    assert assess([evidence(1, "book")], sources, []).level == Level.WEAK
    assert assess([evidence(1, "book")], sources, [], as_of=date(2020, 1, 1)).level == Level.NONE
    (step,) = timeline([evidence(1, "book")], sources, [])
    assert step.date is None
    assert step.assessment.level == Level.NONE


def test_a_reclassified_source_stops_counting():
    sources = by_key(
        source(
            "file",
            Proximity.CONTEMPORANEOUS,
            access=Access.CLASSIFIED,
            access_changes=(
                (date(1991, 12, 1), Access.OPEN),
                (date(1996, 1, 1), Access.CLASSIFIED),
            ),
        )
    )
    items = [evidence(1, "file")]

    steps = timeline(items, sources, [])

    assert [(step.date, step.assessment.level) for step in steps] == [
        (None, Level.NONE),
        (date(1991, 12, 1), Level.MODERATE),
        (date(1996, 1, 1), Level.NONE),
    ]
    assert steps[1].assessment.reasons == (
        "Supports: contemporaneous record, open in an archive since 1991, authenticity not "
        "yet assessed (File)",
    )


def test_evidence_naming_a_missing_source_is_reported_clearly():
    with pytest.raises(ValueError, match="names source 'ghost'"):
        assess([evidence(1, "ghost")], {}, [])


# Labels and the methodology page


def test_enumerations_give_django_choices_with_plain_labels():
    assert [(choice.value, choice.label) for choice in Proximity] == [
        ("contemporaneous", "contemporaneous record"),
        ("examination", "direct examination of the object"),
        ("official_retrospective", "official retrospective report"),
        ("testimony", "participant testimony or memoir"),
        ("scholarly", "scholarly secondary work"),
        ("journalism", "journalism or tertiary work"),
    ]
    assert Access.CITED_ONLY.label == "cited only"
    assert Access("open").label == "open in an archive"
    assert Level.STRONG == "strong"


def test_every_choice_has_a_weight():
    for weights, choices in (
        (PROXIMITY_WEIGHT, Proximity),
        (ACCESS_WEIGHT, Access),
        (AUTHENTICITY_WEIGHT, Authenticity),
        (CREDIBILITY_WEIGHT, Credibility),
        (DIRECTNESS_WEIGHT, Directness),
    ):
        assert set(weights) == set(choices)
        assert all(0 <= weight <= 1 for weight in weights.values())


def test_methodology_shows_the_weights_the_code_uses():
    description = method_description()

    tables = {
        factor["key"]: {row["value"]: row["weight"] for row in factor["weights"]}
        for factor in description["factors"]
    }
    assert tables["proximity"] == {key.value: weight for key, weight in PROXIMITY_WEIGHT.items()}
    assert tables["access"]["cited_only"] == ACCESS_WEIGHT[Access.CITED_ONLY]
    assert description["thresholds"]["strong_support"] == LEVEL_THRESHOLDS.strong_support


def test_methodology_lists_every_level_with_its_meaning_and_rule():
    levels = method_description()["levels"]

    assert [level["value"] for level in levels] == [
        "established",
        "strong",
        "moderate",
        "weak",
        "contested",
        "contradicted",
        "none",
    ]
    established = levels[0]
    assert established["meaning"] == Level.ESTABLISHED.meaning
    assert established["rule"] == (
        "Support of at least 90% from at least 2 independent lines, and contradiction below 20%."
    )


def test_a_contradiction_on_another_root_never_draws_a_supporting_derivative_out_of_its_line():
    """Found by the property test: a news report drawing on a letter (through a shared
    root) and on a contradicted memo joined the memo's line and counted as a second
    supporting line once the memo was contradicted."""
    sources = by_key(
        source("memo", Proximity.CONTEMPORANEOUS, authenticity=Authenticity.AUTHENTICATED),
        source("letter", Proximity.CONTEMPORANEOUS),
        source("report", Proximity.CONTEMPORANEOUS, authenticity=Authenticity.AUTHENTICATED),
    )
    citations = [("letter", "root"), ("report", "memo"), ("report", "root")]
    supporting = [evidence(1, "letter"), evidence(2, "report", directness=Directness.INDIRECT)]
    before = assess(supporting, sources, citations)
    after = assess([*supporting, evidence(3, "memo", Stance.CONTRADICTS)], sources, citations)

    assert before.support == pytest.approx(0.9)
    assert after.support == pytest.approx(0.9)
    assert {line.source_keys for line in after.supporting_lines} == {("letter", "report")}
