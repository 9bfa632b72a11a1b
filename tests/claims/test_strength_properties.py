"""Properties the strength assessment must hold for any evidence, checked with hypothesis.

The strategies build small random claims: a few sources with random kinds, access and
authenticity histories; evidence items on them; and acyclic citations, some through
sources that carry no evidence of their own.
"""

import dataclasses
from datetime import date, timedelta

from hypothesis import given, settings
from hypothesis import strategies as st

from claims.strength import (
    Access,
    Authenticity,
    Directness,
    EvidenceFacts,
    Proximity,
    SourceFacts,
    Stance,
    assess,
    timeline,
    what_if,
)

# Enough examples to find the corner cases, few enough to run the file in under 20 s.
QUICK = settings(max_examples=100, deadline=None)

SOURCE_KEYS = ("s0", "s1", "s2", "s3", "s4")
UNSEEN_KEYS = ("x0", "x1")  # sources that appear in citations only
NEW_KEY = 100  # evidence keys drawn by `claims` stay below it

# Strategies are built once, at import: building them inside each draw is slow.
# Dates fall on the first of a month, so that changes on the same day happen often.
days = st.integers(0, 50 * 12).map(lambda month: date(1950 + month // 12, month % 12 + 1, 1))
moments = st.none() | days  # None is today
picks = st.integers(0, 99)  # an index into whatever list a test picks from
stances = st.sampled_from(Stance)
directnesses = st.sampled_from(Directness)
access_changes = st.lists(st.tuples(days, st.sampled_from(Access)), max_size=3).map(tuple)
authenticity_changes = st.lists(st.tuples(days, st.sampled_from(Authenticity)), max_size=2).map(
    tuple
)


def sources_facts(key, *, authenticity=None):
    """Any source under `key`; always of `authenticity`, when given."""
    return st.builds(
        SourceFacts,
        key=st.just(key),
        title=st.just(f"Source {key}"),
        proximity=st.sampled_from(Proximity),
        access_now=st.sampled_from(Access),
        authenticity_now=st.just(authenticity) if authenticity else st.sampled_from(Authenticity),
        access_changes=access_changes,
        authenticity_changes=st.just(()) if authenticity else authenticity_changes,
    )


SOURCES = {key: sources_facts(key) for key in (*SOURCE_KEYS, "new")}
items_drawn = st.lists(st.tuples(picks, stances, directnesses), max_size=7)
new_items_drawn = st.lists(st.tuples(stances, directnesses), max_size=3)
citations_drawn = st.lists(st.tuples(picks, picks), max_size=6)


def pick(options, index):
    options = sorted(options)
    return options[index % len(options)]


def new_items(source_key, drawn):
    """Evidence items on `source_key` whose keys no drawn claim uses."""
    return tuple(
        EvidenceFacts(NEW_KEY + number, source_key, stance, directness)
        for number, (stance, directness) in enumerate(drawn)
    )


@st.composite
def claims(draw):
    """(evidence, sources, citations) for one claim; citations never form a cycle."""
    keys = SOURCE_KEYS[: draw(st.integers(1, len(SOURCE_KEYS)))]
    sources = {key: draw(SOURCES[key]) for key in keys}
    items = tuple(
        EvidenceFacts(key, pick(keys, index), stance, directness)
        for key, (index, stance, directness) in enumerate(draw(items_drawn))
    )
    # A source derives only from sources earlier in a random order: no cycles.
    order = draw(st.permutations(keys + UNSEEN_KEYS))
    positions = {
        tuple(sorted(index % len(order) for index in pair)) for pair in draw(citations_drawn)
    }
    citations = {(order[later], order[earlier]) for earlier, later in positions if earlier != later}
    return items, sources, tuple(sorted(citations))


def scores(assessment):
    return (assessment.level, assessment.support, assessment.contradiction)


def ignoring_left_out(assessment):
    """The assessment without the lists of items it left out, and why."""
    return dataclasses.replace(assessment, not_yet_public=(), discounted=(), without=None)


def public_on(source, day):
    changes = sorted(change for change in source.access_changes if change[0] <= day)
    return bool(changes) and changes[-1][1] != Access.CLASSIFIED


def derived_from(new_key, sources, indexes):
    """Citations saying that `new_key` derives from some of `sources`."""
    return tuple(sorted({(new_key, pick(sources, index)) for index in indexes}))


@QUICK
@given(claim=claims(), new_source=SOURCES["new"], directness=directnesses, as_of=moments)
def test_adding_an_independent_supporting_line_never_lowers_support(
    claim, new_source, directness, as_of
):
    items, sources, citations = claim
    new_item = EvidenceFacts(NEW_KEY, "new", Stance.SUPPORTS, directness)

    before = assess(items, sources, citations, as_of=as_of)
    after = assess(items + (new_item,), sources | {"new": new_source}, citations, as_of=as_of)

    assert after.support >= before.support
    assert after.contradiction == before.contradiction
    assert after.level.rank >= before.level.rank


@QUICK
@given(
    claim=claims(),
    new_source=SOURCES["new"],
    on=picks,
    cited=st.lists(picks, max_size=3),
    as_of=moments,
)
def test_adding_contradicting_evidence_never_raises_support(claim, new_source, on, cited, as_of):
    items, sources, citations = claim
    new_item = EvidenceFacts(NEW_KEY, pick([*sources, "new"], on), Stance.CONTRADICTS, "direct")

    before = assess(items, sources, citations, as_of=as_of)
    after = assess(
        items + (new_item,),
        sources | {"new": new_source},
        citations + derived_from("new", sources, cited),
        as_of=as_of,
    )

    assert after.support <= before.support


@QUICK
@given(
    claim=claims(),
    new_source=SOURCES["new"],
    new_item=st.tuples(stances, directnesses),
    on=picks,
    as_of=moments,
)
def test_a_source_deriving_from_a_counted_one_adds_no_independent_line(
    claim, new_source, new_item, on, as_of
):
    items, sources, citations = claim
    before = assess(items, sources, citations, as_of=as_of)
    counted = {item.evidence.source_key for line in before.independent_lines for item in line.items}
    if not counted:
        return

    after = assess(
        items + new_items("new", [new_item]),
        sources | {"new": new_source},
        citations + derived_from("new", counted, [on]),
        as_of=as_of,
    )

    assert len(after.independent_lines) == len(before.independent_lines)
    assert len(after.lines) == len(before.lines)


@QUICK
@given(
    claim=claims(),
    forged=sources_facts("forged", authenticity=Authenticity.FORGED),
    forged_items=new_items_drawn,
    cited=st.lists(picks, max_size=3),
    as_of=moments,
)
def test_a_forged_source_changes_nothing(claim, forged, forged_items, cited, as_of):
    items, sources, citations = claim

    before = assess(items, sources, citations, as_of=as_of)
    after = assess(
        items + new_items("forged", forged_items),
        sources | {"forged": forged},
        citations + derived_from("forged", sources, cited),
        as_of=as_of,
    )

    assert ignoring_left_out(after) == ignoring_left_out(before)


@QUICK
@given(claim=claims(), data=st.data(), as_of=moments)
def test_the_result_is_the_same_whatever_the_order_of_the_input(claim, data, as_of):
    items, sources, citations = claim
    shuffled_items = data.draw(st.permutations(items))
    shuffled_keys = data.draw(st.permutations(list(sources)))
    shuffled_citations = data.draw(st.permutations(citations))

    assert assess(
        shuffled_items,
        {key: sources[key] for key in shuffled_keys},
        shuffled_citations,
        as_of=as_of,
    ) == assess(items, sources, citations, as_of=as_of)


@QUICK
@given(claim=claims(), day=days)
def test_the_assessment_as_of_a_date_ignores_evidence_not_yet_public(claim, day):
    items, sources, citations = claim
    public_items = tuple(item for item in items if public_on(sources[item.source_key], day))

    assessment = assess(items, sources, citations, as_of=day)

    assert set(assessment.not_yet_public) == {item.key for item in items} - {
        item.key for item in public_items
    }
    assert ignoring_left_out(assessment) == ignoring_left_out(
        assess(public_items, sources, citations, as_of=day)
    )


@QUICK
@given(
    claim=claims(),
    later=SOURCES["new"],
    later_items=new_items_drawn,
    cited=st.lists(picks, max_size=3),
    day=days,
)
def test_a_source_released_after_the_date_changes_nothing_on_that_date(
    claim, later, later_items, cited, day
):
    items, sources, citations = claim
    released_later = tuple(
        (max(changed, day + timedelta(days=1)), access) for changed, access in later.access_changes
    )
    later_items = new_items("new", later_items)

    before = assess(items, sources, citations, as_of=day)
    after = assess(
        items + later_items,
        sources | {"new": dataclasses.replace(later, access_changes=released_later)},
        citations + derived_from("new", sources, cited),
        as_of=day,
    )

    assert ignoring_left_out(after) == ignoring_left_out(before)
    assert len(after.not_yet_public) == len(before.not_yet_public) + len(later_items)


@QUICK
@given(claim=claims(), index=picks, as_of=moments)
def test_setting_a_source_aside_equals_removing_its_evidence_but_keeping_its_citations(
    claim, index, as_of
):
    items, sources, citations = claim
    set_aside = pick(sources, index)
    remaining = tuple(item for item in items if item.source_key != set_aside)

    without = assess(items, sources, citations, as_of=as_of, without=set_aside)

    assert without.without == set_aside
    assert ignoring_left_out(without) == ignoring_left_out(
        assess(remaining, sources, citations, as_of=as_of)
    )


@QUICK
@given(claim=claims(), index=picks, as_of=moments)
def test_setting_a_source_aside_equals_finding_it_forged(claim, index, as_of):
    items, sources, citations = claim
    set_aside = pick(sources, index)
    forged = dataclasses.replace(
        sources[set_aside], authenticity_now=Authenticity.FORGED, authenticity_changes=()
    )

    without = assess(items, sources, citations, as_of=as_of, without=set_aside)
    with_forgery = assess(items, sources | {set_aside: forged}, citations, as_of=as_of)

    assert ignoring_left_out(without) == ignoring_left_out(with_forgery)


@QUICK
@given(
    claim=claims(),
    new_source=SOURCES["new"],
    context=st.lists(st.tuples(picks, directnesses), min_size=1, max_size=3),
    cited=st.lists(picks, min_size=1, max_size=3),
    as_of=moments,
)
def test_context_evidence_never_changes_the_scores(claim, new_source, context, cited, as_of):
    items, sources, citations = claim
    # The first context item is on a new source drawing on existing ones: the case
    # where context could wrongly join two lines.
    context_items = tuple(
        EvidenceFacts(
            NEW_KEY + number,
            "new" if number == 0 else pick(sources, index),
            Stance.CONTEXT,
            directness,
        )
        for number, (index, directness) in enumerate(context)
    )

    before = assess(items, sources, citations, as_of=as_of)
    after = assess(
        items + context_items,
        sources | {"new": new_source},
        citations + derived_from("new", sources, cited),
        as_of=as_of,
    )

    assert scores(after) == scores(before)
    assert len(after.independent_lines) == len(before.independent_lines)


@QUICK
@given(claim=claims(), as_of=moments)
def test_scores_stay_between_nothing_and_certainty(claim, as_of):
    assessment = assess(*claim, as_of=as_of)

    assert 0 <= assessment.support <= 1
    assert 0 <= assessment.contradiction <= 1
    assert (assessment.level.rank == 0) == (assessment.independent_lines == ())
    assert len(assessment.reasons) == len(assessment.independent_lines)


@settings(QUICK, max_examples=50)
@given(claim=claims())
def test_each_timeline_step_is_the_assessment_on_its_date_and_differs_from_the_last(claim):
    steps = timeline(*claim)

    assert steps[0].date is None
    assert steps[0].assessment.independent_lines == ()
    for previous, step in zip(steps, steps[1:], strict=False):
        assert step.date is not None
        assert previous.date is None or previous.date < step.date
        assert step.assessment == assess(*claim, as_of=step.date)
        assert scores(step.assessment) != scores(previous.assessment)


@QUICK
@given(claim=claims(), as_of=moments)
def test_each_what_if_equals_assessing_with_that_source_set_aside(claim, as_of):
    items, sources, citations = claim

    for outcome in what_if(items, sources, citations, as_of=as_of):
        assert outcome.assessment_without == assess(
            items, sources, citations, as_of=as_of, without=outcome.source_key
        )
