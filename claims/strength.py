"""How strong is the evidence for a claim? The strength assessment, in one place.

This module is pure: it knows nothing of Django or the database. The ORM layer turns
sources, evidence and citations into the small frozen records below and calls
`assess()`, `timeline()` or `what_if()`. The public methodology page is rendered from
`method_description()`, so the page and the code cannot disagree.

The method in plain words
-------------------------

1. Every evidence item gets a weight between 0 and 1: the product of five factors,
   each looked up in a table below.
   - Proximity: how close the source is to the events. A record made at the time
     (a telegram, minutes, an order, a diary) counts most, and so does an expert's
     direct examination of the object a claim is about; then an official report
     written later from the records; then a participant's memoir or testimony; then
     scholarly work; journalism and tertiary works least.
   - Authenticity: an authenticated source counts fully, an accepted one nearly so,
     one nobody has assessed yet less, a disputed or doubtful one much less; a forged
     source counts for nothing.
   - Credibility of its content, apart from its authenticity: a genuine record can
     be shown mistaken, misread or retracted, and then counts for nothing; content
     found uncorroborated or doubtful counts less.
   - Access: a source anyone can inspect (published, open in an archive,
     declassified) counts fully; a lost source, or one known only because others
     cite it, counts less; a classified source is not public and is not counted.
   - Directness: a direct statement counts more than indirect or circumstantial
     evidence.
2. Items whose sources derive from one another (one quotes, summarises, translates,
   copies or cites another, directly or through intermediaries) form one *line of
   evidence*. Two sources that rest on a common root are one line too: two memoirs
   repeating one newspaper are one line, not two. A line counts once, at the weight of
   its best member, separately for support and for contradiction.
   A source that relays two independent lines (a news report quoting both an
   archival report and a memoir) does not make them dependent on each other: it
   joins one of them, the heaviest, where it adds least, and is counted once.
3. Support and contradiction are each combined over the independent lines as
   1 - (1 - w1) x (1 - w2) x ...: every further independent line closes part of the
   remaining gap, and no number of weak lines ever reaches certainty on its own.
4. The two scores give a level (see `Level` and `LEVEL_THRESHOLDS`). Strong and
   Established need corroboration: at least two independent supporting lines. One
   line alone reaches Strong only when its best item is an authenticated
   contemporaneous record whose content nobody has faulted.

Over time: every source becomes public on a date (the first dated change of its
access; an uncertain date counts from the latest day it allows), and its
authenticity and credibility may change on dated occasions too. Before the first
dated judgement of its authenticity, a record purporting to be of its time counts as
not yet assessed, and a work published under its makers' names as accepted (see
`presumed_authenticity`); a judgement never counts in the past for more than it
does today. `assess(as_of=...)`
uses the state of every source on that date and leaves out evidence that was not yet
public; `timeline()` lists the dates on which the assessment changed. A source with
no dated access history counts only in the present-day assessment, because nobody
can say since when it has been public.

What if: `assess(without=key)` sets one source aside as if it had proved forged. Its
evidence no longer counts, but its citation links still join the sources that derive
from it, because their dependence on it is a fact about them. `what_if()` does this
for every source the verdict rests on.

Arithmetic is exact (fractions), so the result is the same whatever the order of the
input and a score that reaches a threshold on paper reaches it in the code.
"""

from __future__ import annotations

import dataclasses
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from enum import StrEnum
from fractions import Fraction
from functools import cache
from math import prod

from provenance.graph import reachable
from provenance.words import ACCESS, AUTHENTICITY, CREDIBILITY, PROXIMITY, choice


class _LabelledChoice(StrEnum):
    """A short snake_case value with a plain-words label, reusable as TextChoices.

    `words` are the label as it starts a line, as the admin and the public pages show
    it; `label` is the same inside a sentence ("best: participant testimony or memoir").
    """

    def __new__(cls, value: str, words: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member._words = words
        return member

    @property
    def words(self) -> str:
        return self._words

    @property
    def label(self) -> str:
        return self._words[:1].lower() + self._words[1:]


class Proximity(_LabelledChoice):
    """How close a source stands to the events it describes."""

    CONTEMPORANEOUS = choice("contemporaneous", PROXIMITY)
    EXAMINATION = choice("examination", PROXIMITY)
    OFFICIAL_RETROSPECTIVE = choice("official_retrospective", PROXIMITY)
    TESTIMONY = choice("testimony", PROXIMITY)
    SCHOLARLY = choice("scholarly", PROXIMITY)
    JOURNALISM = choice("journalism", PROXIMITY)


class Access(_LabelledChoice):
    """Whether a source can be inspected."""

    PUBLISHED = choice("published", ACCESS)
    OPEN = choice("open", ACCESS)
    DECLASSIFIED = choice("declassified", ACCESS)
    CITED_ONLY = choice("cited_only", ACCESS)
    CLASSIFIED = choice("classified", ACCESS)
    LOST = choice("lost", ACCESS)


class Authenticity(_LabelledChoice):
    """What is known of a source's genuineness."""

    AUTHENTICATED = choice("authenticated", AUTHENTICITY)
    ACCEPTED = choice("accepted", AUTHENTICITY)
    UNASSESSED = choice("unassessed", AUTHENTICITY)
    DISPUTED = choice("disputed", AUTHENTICITY)
    DOUBTFUL = choice("doubtful", AUTHENTICITY)
    FORGED = choice("forged", AUTHENTICITY)


class Credibility(_LabelledChoice):
    """Whether what the source says is true, apart from whether it is genuine."""

    CONFIRMED = choice("confirmed", CREDIBILITY)
    NOT_ASSESSED = choice("not_assessed", CREDIBILITY)
    UNCORROBORATED = choice("uncorroborated", CREDIBILITY)
    DOUBTFUL = choice("doubtful", CREDIBILITY)
    MISTAKEN = choice("mistaken", CREDIBILITY)
    RETRACTED = choice("retracted", CREDIBILITY)


class Stance(_LabelledChoice):
    """How an evidence item bears on its claim."""

    SUPPORTS = "supports", "Supports"
    CONTRADICTS = "contradicts", "Contradicts"
    CONTEXT = "context", "Context only"


class Directness(_LabelledChoice):
    """Whether the source states the claim or only points towards it."""

    DIRECT = "direct", "Direct statement"
    INDIRECT = "indirect", "Indirect or circumstantial"


class Level(StrEnum):
    """The verdict shown on a claim's badge. Sort by `rank`, not by value."""

    def __new__(cls, value: str, label: str, meaning: str):
        member = str.__new__(cls, value)
        member._value_ = value
        member._label = label
        member._meaning = meaning
        return member

    ESTABLISHED = (
        "established",
        "Established",
        "Independent lines of strong evidence agree, and nothing of weight contradicts it.",
    )
    STRONG = (
        "strong",
        "Strong",
        "Good evidence supports it, and nothing of equal weight contradicts it.",
    )
    MODERATE = (
        "moderate",
        "Moderate",
        "Some solid evidence supports it, but not enough to call it strong.",
    )
    WEAK = (
        "weak",
        "Weak",
        "Little evidence bears on it and what there is is weak: treat it as unconfirmed.",
    )
    CONTESTED = (
        "contested",
        "Contested",
        "Strong evidence points both ways, so the question is open.",
    )
    CONTRADICTED = (
        "contradicted",
        "Contradicted",
        "The weight of the evidence is against it.",
    )
    NONE = (
        "none",
        "No evidence recorded",
        "No public evidence for or against it has been recorded yet.",
    )

    @property
    def label(self) -> str:
        return self._label

    @property
    def meaning(self) -> str:
        """One sentence for readers on what the level says about the claim."""
        return self._meaning

    @property
    def rank(self) -> int:
        """0 for no evidence up to 6 for established; see `LEVELS_BY_RANK`."""
        return LEVELS_BY_RANK.index(self)


# From least to most reliable. No evidence is lowest: there is nothing to go on.
# A contradicted claim has evidence, pointing against it; a contested one has strong
# evidence both ways, which still leaves it less safe to rely on than a claim with
# weak evidence that nothing contradicts.
LEVELS_BY_RANK: tuple[Level, ...] = (
    Level.NONE,
    Level.CONTRADICTED,
    Level.CONTESTED,
    Level.WEAK,
    Level.MODERATE,
    Level.STRONG,
    Level.ESTABLISHED,
)

PROXIMITY_WEIGHT: dict[Proximity, float] = {
    Proximity.CONTEMPORANEOUS: 1.0,
    # For a claim about a thing itself (is this diary forged, is this skull a hoax), an
    # expert's examination of it observes the thing as a record made at the time
    # observes its events. Alone it is still one line, never Strong without another.
    Proximity.EXAMINATION: 1.0,
    Proximity.OFFICIAL_RETROSPECTIVE: 0.8,
    Proximity.TESTIMONY: 0.55,
    Proximity.SCHOLARLY: 0.4,
    Proximity.JOURNALISM: 0.25,
}

AUTHENTICITY_WEIGHT: dict[Authenticity, float] = {
    Authenticity.AUTHENTICATED: 1.0,
    Authenticity.ACCEPTED: 0.9,
    Authenticity.UNASSESSED: 0.7,
    Authenticity.DISPUTED: 0.5,
    Authenticity.DOUBTFUL: 0.25,
    Authenticity.FORGED: 0.0,
}

# Content taken at face value until someone faults it; content shown mistaken or
# retracted counts for nothing, however genuine the record.
CREDIBILITY_WEIGHT: dict[Credibility, float] = {
    Credibility.CONFIRMED: 1.0,
    Credibility.NOT_ASSESSED: 1.0,
    Credibility.UNCORROBORATED: 0.8,
    Credibility.DOUBTFUL: 0.5,
    Credibility.MISTAKEN: 0.0,
    Credibility.RETRACTED: 0.0,
}

# The nearest grade of the NATO/Admiralty system: source reliability (A–F) for
# authenticity, information credibility (1–6) for the content. Shown on the
# methodology page beside the weights; the method uses only the weights.
ADMIRALTY_RELIABILITY: dict[Authenticity, str] = {
    Authenticity.AUTHENTICATED: "A (completely reliable)",
    Authenticity.ACCEPTED: "B (usually reliable)",
    Authenticity.UNASSESSED: "F (reliability cannot be judged)",
    Authenticity.DISPUTED: "C–D (fairly reliable to not usually reliable)",
    Authenticity.DOUBTFUL: "E (unreliable)",
    Authenticity.FORGED: "E (unreliable), and excluded",
}
ADMIRALTY_CREDIBILITY: dict[Credibility, str] = {
    Credibility.CONFIRMED: "1 (confirmed by other sources)",
    Credibility.NOT_ASSESSED: "6 (truth cannot be judged)",
    Credibility.UNCORROBORATED: "3 (possibly true)",
    Credibility.DOUBTFUL: "4 (doubtful)",
    Credibility.MISTAKEN: "5 (improbable), and excluded",
    Credibility.RETRACTED: "5 (improbable), and excluded",
}

# Classified sources are not public: they are left out before weighing (see
# `not_yet_public`), so their weight of zero is never multiplied in.
ACCESS_WEIGHT: dict[Access, float] = {
    Access.PUBLISHED: 1.0,
    Access.OPEN: 1.0,
    Access.DECLASSIFIED: 1.0,
    Access.LOST: 0.8,
    Access.CITED_ONLY: 0.6,
    Access.CLASSIFIED: 0.0,
}

DIRECTNESS_WEIGHT: dict[Directness, float] = {
    Directness.DIRECT: 1.0,
    Directness.INDIRECT: 0.6,
}


# Each level beside GRADE's certainty of evidence and the words of estimative
# probability of ICD 203. Approximate: the method weighs evidence and does not
# compute a probability, so these say which words a reader used to them would use.
LEVEL_CORRESPONDENCE: dict[Level, tuple[str, str]] = {
    Level.ESTABLISHED: ("High", "almost certain (95–99%)"),
    Level.STRONG: ("Moderate", "very likely (80–95%)"),
    Level.MODERATE: ("Low", "likely (55–80%)"),
    Level.WEAK: ("Very low", "no estimate: too little evidence"),
    Level.CONTESTED: ("Very low, rated down for inconsistency", "roughly even chance (45–55%)"),
    Level.CONTRADICTED: ("— (the evidence is against it)", "unlikely (20–45%) or less"),
    Level.NONE: ("—", "no estimate"),
}

# GRADE's reasons to rate the certainty of evidence down, and where each lives here.
GRADE_REASONS: tuple[tuple[str, str], ...] = (
    (
        "Risk of bias",
        "authenticity, the credibility of the content, and closeness to the events "
        "weigh every item",
    ),
    (
        "Inconsistency",
        "contradicting lines are scored apart; strong evidence both ways is Contested",
    ),
    ("Indirectness", "indirect or circumstantial evidence weighs less than a direct statement"),
    (
        "Imprecision",
        "one line alone is at most Moderate unless it is an authenticated contemporaneous "
        "record, and Established needs two independent lines",
    ),
    (
        "Publication bias",
        "not weighed: the archive records what curators found, and says so",
    ),
)


@dataclass(frozen=True)
class LevelThresholds:
    """Where the support and contradiction scores (0 to 1) change the level."""

    established_support: float
    established_lines: int
    established_contradiction_below: float
    strong_support: float
    strong_lines: int
    moderate_support: float
    contradicted: float
    contested_support: float


LEVEL_THRESHOLDS = LevelThresholds(
    established_support=0.9,
    established_lines=2,
    established_contradiction_below=0.2,
    strong_support=0.75,
    strong_lines=2,
    moderate_support=0.5,
    contradicted=0.5,
    contested_support=0.5,
)


# Inputs


@dataclass(frozen=True)
class SourceFacts:
    """What the assessment needs to know about one source.

    `access_changes`, `authenticity_changes` and `credibility_changes` are dated
    changes, in any order; the last two may name, third, the title of the source
    that documents the finding. As of a date, the source's access is the latest
    change on or before it; with none, the source was not yet public. Its
    authenticity and credibility are likewise the latest change on or before the
    date; with none, they are as now when the source has no such history at all, and
    not yet assessed otherwise.
    """

    key: str
    title: str
    proximity: Proximity
    access_now: Access
    authenticity_now: Authenticity
    access_changes: tuple[tuple[date, Access], ...] = ()
    authenticity_changes: tuple[tuple, ...] = ()
    credibility_now: Credibility = Credibility.NOT_ASSESSED
    credibility_changes: tuple[tuple, ...] = ()


@dataclass(frozen=True)
class EvidenceFacts:
    """How one source bears on the claim being assessed."""

    key: str | int
    source_key: str
    stance: Stance
    directness: Directness


# Results


@dataclass(frozen=True)
class ItemWeight:
    """One counted evidence item, its source's state and the factors of its weight."""

    evidence: EvidenceFacts
    title: str
    proximity: Proximity
    access: Access
    access_since: date | None
    authenticity: Authenticity
    proximity_weight: float
    access_weight: float
    authenticity_weight: float
    directness_weight: float
    weight: float
    credibility: Credibility = Credibility.NOT_ASSESSED
    credibility_weight: float = 1.0
    # The dated findings behind the authenticity and credibility, when recorded:
    # (date, title of the source documenting it, or "").
    authenticity_finding: tuple | None = None
    credibility_finding: tuple | None = None

    @property
    def bears(self) -> bool:
        """Whether the item counts towards support or contradiction."""
        return self.evidence.stance != Stance.CONTEXT

    @property
    def factors(self) -> tuple[float, ...]:
        """The five factor weights whose product is `weight`."""
        return (
            self.proximity_weight,
            self.access_weight,
            self.authenticity_weight,
            self.credibility_weight,
            self.directness_weight,
        )

    @property
    def explanation(self) -> str:
        """The weight worked out, e.g. "memoir or testimony 0.55 × published 1 × ..."."""
        factors = (
            (self.proximity.label, self.proximity_weight),
            (self.access.label, self.access_weight),
            (self.authenticity.label, self.authenticity_weight),
            (f"content {self.credibility.label}", self.credibility_weight),
            (self.evidence.directness.label, self.directness_weight),
        )
        worked = " × ".join(f"{label} {_number(weight)}" for label, weight in factors)
        return f"{worked} = {_number(self.weight)}"

    @property
    def description(self) -> str:
        """The source in a few words, e.g. "memoir or testimony, published 1970"."""
        parts = [self.proximity.label, _access_phrase(self.access, self.access_since)]
        if self.authenticity != Authenticity.ACCEPTED:
            parts.append(
                _finding_phrase(
                    f"authenticity {self.authenticity.label}", self.authenticity_finding
                )
            )
        if self.credibility != Credibility.NOT_ASSESSED:
            parts.append(
                _finding_phrase(f"content {self.credibility.label}", self.credibility_finding)
            )
        if self.evidence.directness == Directness.INDIRECT:
            parts.append("indirect")
        return ", ".join(parts)


@dataclass(frozen=True)
class Line:
    """Evidence items whose sources depend on one another, counted once.

    `key` is the first (in sort order) source at the root of the line's citations.
    Items are ordered from heaviest to lightest. A line may hold supporting,
    contradicting and context items at once.
    """

    key: str
    items: tuple[ItemWeight, ...]
    support_weight: float
    contradiction_weight: float
    best_support: ItemWeight | None
    best_contradiction: ItemWeight | None

    @property
    def bears(self) -> bool:
        """Whether the line counts (it is not context only)."""
        return self.best_support is not None or self.best_contradiction is not None

    @property
    def source_keys(self) -> tuple[str, ...]:
        return tuple(sorted({item.evidence.source_key for item in self.items}))


@dataclass(frozen=True)
class Assessment:
    """The verdict on one claim, as of a date (None: today), with its reasons.

    `lines` come heaviest first (by the larger of their support and contradiction
    weights), and `reasons` hold one sentence for each line that counts, in the
    same order.

    `not_yet_public` holds the keys of evidence items whose source was not public at
    that time (classified, or not yet released); `discounted` those whose source is
    forged or was set aside. Neither appears in `lines`.
    """

    level: Level
    support: float
    contradiction: float
    lines: tuple[Line, ...]
    reasons: tuple[str, ...]
    summary: str
    not_yet_public: tuple[str | int, ...]
    discounted: tuple[str | int, ...]
    as_of: date | None
    without: str | None = None

    @property
    def supporting_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.best_support is not None)

    @property
    def contradicting_lines(self) -> tuple[Line, ...]:
        return tuple(line for line in self.lines if line.best_contradiction is not None)

    @property
    def independent_lines(self) -> tuple[Line, ...]:
        """The lines that count, leaving out lines of context only."""
        return tuple(line for line in self.lines if line.bears)


@dataclass(frozen=True)
class TimelineStep:
    """The assessment from `date` on. The first step, dated None, is before any source
    of the claim's evidence was public."""

    date: date | None
    assessment: Assessment


@dataclass(frozen=True)
class WhatIf:
    """The assessment if one source were set aside as if it had proved forged."""

    source_key: str
    title: str
    assessment_without: Assessment
    changes_level: bool


# The assessment


def assess(
    evidence: Iterable[EvidenceFacts],
    sources: Mapping[str, SourceFacts],
    citations: Iterable[tuple[str, str]],
    *,
    as_of: date | None = None,
    without: str | None = None,
) -> Assessment:
    """Assess the evidence for one claim, today or as of a date.

    `citations` are (deriving source, source it derives from) pairs; they may name
    sources without evidence, and a cycle in them is tolerated. `without` sets one
    source aside as if it had proved forged.
    """
    derives_from = _derivation_map(citations)
    weighed: list[ItemWeight] = []
    not_yet_public: list[str | int] = []
    discounted: list[str | int] = []
    for item in sorted(evidence, key=_evidence_order):
        source = _source_of(item, sources)
        state = _state_of(source, as_of)
        if state is None:
            not_yet_public.append(item.key)
            continue
        weight = _weigh(item, source, state)
        if item.source_key == without or weight.weight == 0:
            discounted.append(item.key)
            continue
        weighed.append(weight)

    return _assessment(
        _lines_of(weighed, derives_from),
        not_yet_public=tuple(not_yet_public),
        discounted=tuple(discounted),
        as_of=as_of,
        without=without,
    )


def _assessment(lines, *, not_yet_public, discounted, as_of, without, reasons_known=None):
    """Score grouped lines and put the verdict into words. `reasons_known` maps the
    id() of lines whose reason is already written (by an earlier assessment, whose
    line objects these are) to it: by identity, since hashing a line hashes every item
    in it, over and over in a claim's what-ifs."""
    reasons_known = reasons_known or {}
    support = _combine(_exact_line_weight(line, Stance.SUPPORTS) for line in lines)
    contradiction = _combine(_exact_line_weight(line, Stance.CONTRADICTS) for line in lines)
    level = _level(lines, support, contradiction)
    return Assessment(
        level=level,
        support=float(support),
        contradiction=float(contradiction),
        lines=lines,
        reasons=tuple(reasons_known.get(id(line)) or _reason(line) for line in lines if line.bears),
        summary=_summary(level, lines),
        not_yet_public=not_yet_public,
        discounted=discounted,
        as_of=as_of,
        without=without,
    )


def timeline(
    evidence: Iterable[EvidenceFacts],
    sources: Mapping[str, SourceFacts],
    citations: Iterable[tuple[str, str]],
) -> tuple[TimelineStep, ...]:
    """The dated steps at which the assessment changed, oldest first.

    The candidate dates are the dates of every access or authenticity change of the
    claim's sources; a date becomes a step when the level or either score changes.
    The first step, dated None, is the state before any of them (no evidence public).

    Dated steps only: the present-day assessment (`assess()` without `as_of`) can
    differ from the last step when some source has no dated access history, so a
    page compares the two and shows "now" separately when they differ.
    """
    evidence = tuple(evidence)
    citations = tuple(citations)
    dates = sorted(_change_dates(evidence, sources))
    first_day = dates[0] if dates else date.min
    before = assess(evidence, sources, citations, as_of=_day_before(first_day))
    steps = [TimelineStep(date=None, assessment=before)]
    for day in dates:
        assessment = assess(evidence, sources, citations, as_of=day)
        if _differs(assessment, steps[-1].assessment):
            steps.append(TimelineStep(date=day, assessment=assessment))
    return tuple(steps)


def what_if(
    evidence: Iterable[EvidenceFacts],
    sources: Mapping[str, SourceFacts],
    citations: Iterable[tuple[str, str]],
    *,
    as_of: date | None = None,
) -> tuple[WhatIf, ...]:
    """For every source the verdict rests on, the assessment without it.

    Sources whose removal lowers the verdict most come first (lowest level, then
    lowest support, then highest contradiction, then source key).
    """
    evidence = tuple(evidence)
    citations = tuple(citations)
    current = assess(evidence, sources, citations, as_of=as_of)
    counted = sorted(
        {item.evidence.source_key for line in current.lines for item in line.items if item.bears}
    )
    local = _removable_locally(current, citations)
    outcomes = []
    for key in counted:
        if key in local:
            without = _without_locally(current, key, evidence)
        else:
            without = assess(evidence, sources, citations, as_of=as_of, without=key)
        outcomes.append(
            WhatIf(
                source_key=key,
                title=sources[key].title,
                assessment_without=without,
                changes_level=without.level != current.level,
            )
        )
    return tuple(
        sorted(
            outcomes,
            key=lambda outcome: (
                outcome.assessment_without.level.rank,
                outcome.assessment_without.support,
                -outcome.assessment_without.contradiction,
                outcome.source_key,
            ),
        )
    )


def _removable_locally(current: Assessment, citations) -> set[str]:
    """Sources whose setting aside changes only their own line, so that the what-if
    can rescore the lines instead of regrouping them: no other evidence source
    derives from them, and they either derive from another counted source (they
    joined a line without shaping it) or are the only source of their line."""
    derives_from = _derivation_map(citations)
    in_lines = {item.evidence.source_key for line in current.lines for item in line.items}
    ancestry = {key: reachable(key, derives_from) for key in in_lines}
    with_descendants = set().union(*ancestry.values()) if ancestry else set()
    local = set()
    for line in current.lines:
        line_sources = line.source_keys
        for key in line_sources:
            if key in with_descendants:
                continue
            if ancestry[key] & in_lines or line_sources == (key,):
                local.add(key)
    return local


def _without_locally(current: Assessment, key: str, evidence) -> Assessment:
    """`current` rescored with the source `key` set aside, for a source that
    `_removable_locally` found changes nothing but its own line."""
    lines, reasons_known, set_aside = [], {}, []
    reasons = {
        id(line): reason
        for line, reason in zip(current.independent_lines, current.reasons, strict=True)
    }
    for line in current.lines:
        kept = [item for item in line.items if item.evidence.source_key != key]
        set_aside += [item.evidence.key for item in line.items if item.evidence.source_key == key]
        if len(kept) == len(line.items):
            lines.append(line)
            if id(line) in reasons:
                reasons_known[id(line)] = reasons[id(line)]
        elif kept:
            lines.append(_line(line.key, kept))
    order = {item.key: index for index, item in enumerate(sorted(evidence, key=_evidence_order))}
    discounted = tuple(sorted((*current.discounted, *set_aside), key=order.__getitem__))
    return _assessment(
        _sorted_lines(lines),
        not_yet_public=current.not_yet_public,
        discounted=discounted,
        as_of=current.as_of,
        without=key,
        reasons_known=reasons_known,
    )


def method_description() -> dict:
    """The method as structured data, for the methodology page and docs.

    Built from the same constants `assess()` uses. Lists and dicts of plain strings
    and numbers only, so it renders in a template or serialises to JSON as it is.
    """
    thresholds = LEVEL_THRESHOLDS
    return {
        "factors": [
            _factor(
                "proximity",
                "Closeness to the events",
                "How close the source stands to what it describes.",
                PROXIMITY_WEIGHT,
            ),
            _factor(
                "authenticity",
                "Authenticity",
                "What is known of the source's genuineness. A forged source counts for nothing.",
                AUTHENTICITY_WEIGHT,
            ),
            _factor(
                "credibility",
                "Credibility of the content",
                "Whether what the source says is true, apart from whether it is genuine: a "
                "genuine record shown mistaken, misread or retracted counts for nothing.",
                CREDIBILITY_WEIGHT,
            ),
            _factor(
                "access",
                "Access",
                "Whether the source can be inspected. A classified source is not public "
                "and is not counted at all.",
                ACCESS_WEIGHT,
            ),
            _factor(
                "directness",
                "Directness",
                "Whether the source states the claim or only points towards it.",
                DIRECTNESS_WEIGHT,
            ),
        ],
        "item_weight": (
            "Each evidence item weighs the product of its five factors, a number "
            "between 0 and 1. Context-only items are shown but never counted."
        ),
        "lines": (
            "Items whose sources derive from one another, directly or through other "
            "sources, or that rest on a common source, form one line of evidence. A "
            "line counts once, at the weight of its best item, separately for support "
            "and for contradiction. A source that relays two independent lines (a news "
            "report quoting both an archival report and a memoir) does not make them "
            "dependent on each other: it joins the heavier of them, where it adds "
            "least, and is counted once."
        ),
        "combination": (
            "Support combines the supporting lines as 1 − (1 − w₁) × (1 − w₂) × …, "
            "where w is each line's weight: every further independent line closes part "
            "of the remaining gap. Contradiction combines the contradicting lines the "
            "same way."
        ),
        "levels": [
            {
                "value": level.value,
                "label": level.label,
                "meaning": level.meaning,
                "rule": _rule(level),
                "rank": level.rank,
            }
            for level in reversed(LEVELS_BY_RANK)
        ],
        "thresholds": dataclasses.asdict(thresholds),
        "grading": {
            "levels": [
                {"label": level.label, "grade": grade, "icd203": words}
                for level in reversed(LEVELS_BY_RANK)
                for grade, words in [LEVEL_CORRESPONDENCE[level]]
            ],
            "reliability": [
                {"label": value.label, "grade": grade}
                for value, grade in ADMIRALTY_RELIABILITY.items()
            ],
            "credibility": [
                {"label": value.label, "grade": grade}
                for value, grade in ADMIRALTY_CREDIBILITY.items()
            ],
            "grade_reasons": [{"reason": reason, "here": here} for reason, here in GRADE_REASONS],
        },
        "as_of": (
            "The assessment can be made as of any date: each source counts from the "
            "date it became public, with the authenticity and credibility it had on "
            "that date. Before the first dated judgement of its authenticity, a "
            "record that purports to be of its time (minutes, a diary, remains) counts "
            "as not yet assessed, since nobody can call it genuine until someone has "
            "examined it; a work published under its makers' names (a report, a memoir, "
            "a study, an examination) counts as accepted from its publication, since "
            "what may be wrong with it is its content. No judgement counts in the past "
            "for more than it does today. An uncertain date counts from the latest "
            "day it allows: a release dated 1970/1971 counts from 31 December 1971. "
            "A source with no dated release counts only in today's assessment, unless "
            "it is published and dated, when it counts from the end of its own date."
        ),
        "what_if": (
            "Setting one source aside, as if it had proved forged, shows which "
            "sources the verdict rests on. The sources that derive from it still form "
            "one line, because their dependence on it does not go away."
        ),
    }


# Source state on a date


@dataclass(frozen=True)
class _SourceState:
    access: Access
    access_since: date | None
    authenticity: Authenticity
    credibility: Credibility = Credibility.NOT_ASSESSED
    authenticity_finding: tuple | None = None
    credibility_finding: tuple | None = None


def state_on(source: SourceFacts, as_of: date | None = None) -> _SourceState | None:
    """The source's access, authenticity and credibility today or on a date, with
    since when and on which findings; None while it is not public."""
    return _state_of(source, as_of)


def _state_of(source: SourceFacts, as_of: date | None) -> _SourceState | None:
    """The source's access and authenticity on a date, or None if it was not public."""
    if as_of is None:
        access = source.access_now
        since = _since(source.access_changes, access)
    else:
        access_history = _history_until(source.access_changes, as_of)
        if not access_history:
            return None
        access = access_history[-1][1]
        since = _since(access_history, access)
    if access == Access.CLASSIFIED:
        return None
    authenticity, authenticity_finding = _judgement(
        source.authenticity_changes,
        source.authenticity_now,
        presumed_authenticity(source.proximity),
        as_of,
        AUTHENTICITY_WEIGHT,
    )
    credibility, credibility_finding = _judgement(
        source.credibility_changes,
        source.credibility_now,
        Credibility.NOT_ASSESSED,
        as_of,
        CREDIBILITY_WEIGHT,
    )
    return _SourceState(
        access=access,
        access_since=since,
        authenticity=authenticity,
        credibility=credibility,
        authenticity_finding=authenticity_finding,
        credibility_finding=credibility_finding,
    )


def presumed_authenticity(proximity: Proximity) -> Authenticity:
    """What a source's authenticity is taken to be before any dated finding on it.

    A record that purports to be of its time (minutes, a diary, remains) is what
    external criticism examines: nobody can say it is genuine until someone has
    looked. A work published under its makers' names (a report, a memoir, a study,
    an examination, an article) is accepted as what it says it is from its
    publication; what may be wrong with it is its content, which credibility weighs.
    """
    if proximity == Proximity.CONTEMPORANEOUS:
        return Authenticity.UNASSESSED
    return Authenticity.ACCEPTED


def _judgement(changes, now, before_any, as_of: date | None, weights):
    """A source's authenticity or credibility on a date, with the dated finding it
    rests on as (date, title of the source documenting it or ""), if one does.

    Today it is as recorded now. As of a date it is the latest finding on or before
    it; before its first finding it is `before_any` (what is presumed of such a
    source), and with no dated finding at all, nobody can say since when it has been
    as now, so it counts as presumed, or as now where that weighs less (a source known
    forged never counted for more in the past than it does today)."""
    ordered = sorted(changes)
    if as_of is None:
        value = now
        history = ordered
    else:
        history = [change for change in ordered if change[0] <= as_of]
        if history:
            value = history[-1][1]
        elif ordered:
            value = before_any
        else:
            value = min((before_any, now), key=lambda choice: weights[choice])
    finding = None
    if history and history[-1][1] == value:
        latest = history[-1]
        finding = (latest[0], latest[2] if len(latest) > 2 else "")
    return value, finding


def _history_until(changes, as_of: date) -> list:
    return [change for change in sorted(changes) if change[0] <= as_of]


def _since(changes, access: Access) -> date | None:
    """When the source's current access began, if its latest change is to that access."""
    ordered = sorted(changes)
    if not ordered or ordered[-1][1] != access:
        return None
    since = ordered[-1][0]
    for day, value in reversed(ordered):
        if value != access:
            break
        since = day
    return since


def _weigh(item: EvidenceFacts, source: SourceFacts, state: _SourceState) -> ItemWeight:
    factors = (
        PROXIMITY_WEIGHT[source.proximity],
        ACCESS_WEIGHT[state.access],
        AUTHENTICITY_WEIGHT[state.authenticity],
        CREDIBILITY_WEIGHT[state.credibility],
        DIRECTNESS_WEIGHT[item.directness],
    )
    return ItemWeight(
        evidence=item,
        title=source.title,
        proximity=source.proximity,
        access=state.access,
        access_since=state.access_since,
        authenticity=state.authenticity,
        proximity_weight=factors[0],
        access_weight=factors[1],
        authenticity_weight=factors[2],
        credibility=state.credibility,
        credibility_weight=factors[3],
        directness_weight=factors[4],
        weight=float(_exact_product(factors)),
        authenticity_finding=state.authenticity_finding,
        credibility_finding=state.credibility_finding,
    )


# The factors come from a few small tables, so their exact values and products repeat
# endlessly across lines, timelines and what-ifs: cached, each is worked out once
# instead of in every assessment of every what-if.
@cache
def _exact(number: float) -> Fraction:
    """The decimal a weight was written as (0.55, not the nearest binary float)."""
    return Fraction(str(number))


@cache
def _exact_product(factors: tuple[float, ...]) -> Fraction:
    return prod((_exact(factor) for factor in factors), start=Fraction(1))


def _exact_weight(item: ItemWeight) -> Fraction:
    return _exact_product(item.factors)


# Lines of evidence


class _Forest:
    """Union-find over source keys; each set's representative is its smallest key."""

    def __init__(self) -> None:
        self._parent: dict[str, str] = {}

    def add(self, key: str) -> None:
        self._parent.setdefault(key, key)

    def find(self, key: str) -> str:
        root = key
        while self._parent[root] != root:
            root = self._parent[root]
        while self._parent[key] != root:
            self._parent[key], key = root, self._parent[key]
        return root

    def union(self, first: str, second: str) -> None:
        self.add(first)
        self.add(second)
        roots = sorted((self.find(first), self.find(second)))
        self._parent[roots[1]] = roots[0]

    def groups(self) -> dict[str, list[str]]:
        members: dict[str, list[str]] = defaultdict(list)
        for key in sorted(self._parent):
            members[self.find(key)].append(key)
        return members


def _derivation_map(citations: Iterable[tuple[str, str]]) -> dict[str, set[str]]:
    derives_from: dict[str, set[str]] = defaultdict(set)
    for deriving, derived_from in citations:
        if deriving != derived_from:
            derives_from[deriving].add(derived_from)
    return derives_from


def _lines_of(weighed: list[ItemWeight], derives_from: Mapping[str, set[str]]) -> tuple[Line, ...]:
    """Group the counted items into lines of evidence.

    Among the sources with bearing (supporting or contradicting) items, an *original*
    derives from none of the others; a *derivative* derives, directly or not, from at
    least one of them (the AP report that relays the 1966 report). Originals that
    derive from one another's roots, or share a root, form one line: two memoirs
    repeating one newspaper are one line. A derivative joins a line of an original it
    draws on, never joining two lines: a news report that relays two independent
    sources does not make them dependent on each other. When it draws on several
    lines it joins the heaviest, where it can add least.

    A source with context items only joins the line of a source it derives from or
    that derives from it, or that shares a root with it, but never joins two lines
    together: context must not change the scores. Context sources with no such line
    form lines of their own in the same way.
    """
    bearing_keys = {item.evidence.source_key for item in weighed if item.bears}
    ancestry = {key: reachable(key, derives_from) for key in sorted(bearing_keys)}
    derivatives = {key for key, ancestors in ancestry.items() if ancestors & bearing_keys}
    originals = sorted(bearing_keys - derivatives)

    bearing = _Forest()
    for key in originals:
        bearing.add(key)
        for ancestor in ancestry[key]:
            bearing.union(key, ancestor)
    line_of: dict[str, str] = {}
    # Every source in a line's group, its uncounted roots too: a derivative may reach
    # a line through a root it shares with it.
    line_of_member: dict[str, str] = {}
    for members in bearing.groups().values():
        key = _line_key(members, derives_from)
        for member in members:
            line_of_member[member] = key
            if member in bearing_keys:
                line_of[member] = key

    # The heaviest line in each stance: a derivative joins the line it adds least to
    # in the stances it bears, so a contradiction elsewhere never draws a supporting
    # derivative out of its supporting line (and the other way round).
    best_weight: dict[tuple[str, Stance], Fraction] = defaultdict(Fraction)
    stances_of: dict[str, set[Stance]] = defaultdict(set)
    for item in weighed:
        if not item.bears:
            continue
        stances_of[item.evidence.source_key].add(item.evidence.stance)
        line = line_of.get(item.evidence.source_key)
        if line is not None:
            weight_key = (line, item.evidence.stance)
            best_weight[weight_key] = max(best_weight[weight_key], _exact_weight(item))
    for key in sorted(derivatives):
        stances = sorted(stances_of[key])
        drawn_on = sorted(
            {line_of_member[source] for source in ancestry[key] if source in line_of_member},
            key=lambda line: (-max(best_weight[line, stance] for stance in stances), line),
        )
        # Derivatives whose counted ancestors are all derivatives too can only come
        # from a cycle in the citations; such a source stands as its own line.
        line_of[key] = line_of_member[key] = drawn_on[0] if drawn_on else key

    context = _Forest()
    for key in sorted({item.evidence.source_key for item in weighed} - line_of.keys()):
        ancestors = reachable(key, derives_from)
        lines_drawn_on = sorted(line_of[source] for source in ancestors if source in line_of)
        if lines_drawn_on:
            line_of[key] = lines_drawn_on[0]
        else:
            context.add(key)
            for ancestor in ancestors:
                context.union(key, ancestor)
    for members in context.groups().values():
        for member in members:
            line_of[member] = _line_key(members, derives_from)

    by_line: dict[str, list[ItemWeight]] = defaultdict(list)
    for item in weighed:
        by_line[line_of[item.evidence.source_key]].append(item)
    return _sorted_lines(_line(key, items) for key, items in by_line.items())


def _sorted_lines(lines: Iterable[Line]) -> tuple[Line, ...]:
    """Heaviest first."""
    return tuple(
        sorted(
            lines,
            key=lambda line: (
                -max(line.support_weight, line.contradiction_weight),
                -line.support_weight,
                line.key,
            ),
        )
    )


def _line_key(members: list[str], derives_from: Mapping[str, set[str]]) -> str:
    """The first source at the root of the line (the first member, if a cycle has none)."""
    roots = [member for member in members if not derives_from.get(member)]
    return min(roots or members)


def _line(key: str, items: list[ItemWeight]) -> Line:
    items = sorted(items, key=lambda item: (-_exact_weight(item), _evidence_order(item.evidence)))
    best_support = _first(items, Stance.SUPPORTS)
    best_contradiction = _first(items, Stance.CONTRADICTS)
    return Line(
        key=key,
        items=tuple(items),
        support_weight=best_support.weight if best_support else 0.0,
        contradiction_weight=best_contradiction.weight if best_contradiction else 0.0,
        best_support=best_support,
        best_contradiction=best_contradiction,
    )


def _first(items: list[ItemWeight], stance: Stance) -> ItemWeight | None:
    return next((item for item in items if item.evidence.stance == stance), None)


# Scores and level


def _exact_line_weight(line: Line, stance: Stance) -> Fraction:
    best = line.best_support if stance == Stance.SUPPORTS else line.best_contradiction
    return _exact_weight(best) if best else Fraction(0)


def _combine(line_weights: Iterable[Fraction]) -> Fraction:
    """1 − Π(1 − w): each independent line closes part of the remaining gap.

    Multiplied out as whole numbers and reduced once: Fraction arithmetic would reduce
    after every step, and those reductions are what made claims with many lines slow."""
    gap_numerator = gap_denominator = 1
    for weight in line_weights:
        gap_numerator *= weight.denominator - weight.numerator
        gap_denominator *= weight.denominator
    return 1 - Fraction(gap_numerator, gap_denominator)


def _level(lines: tuple[Line, ...], support: Fraction, contradiction: Fraction) -> Level:
    thresholds = LEVEL_THRESHOLDS
    supporting_lines = sum(1 for line in lines if line.best_support is not None)
    if not any(line.bears for line in lines):
        return Level.NONE
    if contradiction >= _exact(thresholds.contradicted):
        if support >= _exact(thresholds.contested_support):
            return Level.CONTESTED
        return Level.CONTRADICTED
    if (
        support >= _exact(thresholds.established_support)
        and supporting_lines >= thresholds.established_lines
        and contradiction < _exact(thresholds.established_contradiction_below)
    ):
        return Level.ESTABLISHED
    if support >= _exact(thresholds.strong_support) and (
        supporting_lines >= thresholds.strong_lines or _stands_alone(lines)
    ):
        return Level.STRONG
    if support >= _exact(thresholds.moderate_support):
        return Level.MODERATE
    return Level.WEAK


def _stands_alone(lines: tuple[Line, ...]) -> bool:
    """Whether one line may be Strong without corroboration: its best supporting item
    is an authenticated contemporaneous record whose content nobody has faulted."""
    best = [line.best_support for line in lines if line.best_support is not None]
    return any(
        item.proximity == Proximity.CONTEMPORANEOUS
        and item.authenticity == Authenticity.AUTHENTICATED
        and item.credibility in (Credibility.CONFIRMED, Credibility.NOT_ASSESSED)
        for item in best
    )


def _rule(level: Level) -> str:
    """The rule for a level in words, with the thresholds as percentages."""
    thresholds = LEVEL_THRESHOLDS
    contradicted = _percent(thresholds.contradicted)
    return {
        Level.ESTABLISHED: (
            f"Support of at least {_percent(thresholds.established_support)} from at least "
            f"{thresholds.established_lines} independent lines, and contradiction below "
            f"{_percent(thresholds.established_contradiction_below)}."
        ),
        Level.STRONG: (
            f"Support of at least {_percent(thresholds.strong_support)} from at least "
            f"{thresholds.strong_lines} independent lines, or from one line whose best item "
            f"is an authenticated contemporaneous record whose content nobody has faulted; "
            f"and contradiction below {contradicted}."
        ),
        Level.MODERATE: (
            f"Support of at least {_percent(thresholds.moderate_support)}, and contradiction "
            f"below {contradicted}."
        ),
        Level.WEAK: (
            f"Some evidence, but support below {_percent(thresholds.moderate_support)} and "
            f"contradiction below {contradicted}."
        ),
        Level.CONTESTED: (
            f"Contradiction of at least {contradicted}, and support of at least "
            f"{_percent(thresholds.contested_support)}."
        ),
        Level.CONTRADICTED: (
            f"Contradiction of at least {contradicted}, and support below "
            f"{_percent(thresholds.contested_support)}."
        ),
        Level.NONE: "No public evidence for or against.",
    }[level]


# Words


_ACCESS_SINCE = {
    Access.PUBLISHED: "published {year}",
    Access.OPEN: "open in an archive since {year}",
    Access.DECLASSIFIED: "declassified {year}",
    Access.CITED_ONLY: "cited only, since {year}",
    Access.LOST: "lost since {year}",
    Access.CLASSIFIED: "classified since {year}",
}


def _finding_phrase(words: str, finding: tuple | None) -> str:
    """ "authenticity authenticated 1994 (by Forensic report)", or the words alone."""
    if finding is None:
        return words
    day, by = finding
    return f"{words} {day.year}" + (f" (by {by})" if by else "")


def _access_phrase(access: Access, since: date | None) -> str:
    if since is None:
        return access.label
    return _ACCESS_SINCE[access].format(year=since.year)


def _reason(line: Line) -> str:
    """One line in plain words, e.g. "Supports: memoir or testimony, published 1970 (…)"."""
    parts = []
    named = set()
    for verb, best in (("supports", line.best_support), ("contradicts", line.best_contradiction)):
        if best is not None:
            parts.append(f"{verb}: {best.description} ({best.title})")
            named.add(best.evidence.source_key)
    others = len(set(line.source_keys) - named)
    if others:
        parts.append(f"{others} more {_plural(others, 'source', 'sources')} in the same line")
    reason = "; ".join(parts)
    return reason[0].upper() + reason[1:]


def _summary(level: Level, lines: tuple[Line, ...]) -> str:
    """The badge's one-line reason, e.g. "Strong: 2 independent lines support it (…)."."""
    if level == Level.NONE:
        return f"{level.label}."
    support = _lines_phrase(
        [line.best_support for line in lines if line.best_support is not None],
        verbs=("supports", "support"),
        nothing="nothing supports it",
    )
    contradiction = _lines_phrase(
        [line.best_contradiction for line in lines if line.best_contradiction is not None],
        verbs=("contradicts", "contradict"),
        nothing="none contradicts it",
    )
    return f"{level.label}: {support}; {contradiction}."


def _lines_phrase(best_items: list[ItemWeight], *, verbs: tuple[str, str], nothing: str) -> str:
    if not best_items:
        return nothing
    count = len(best_items)
    best = max(best_items, key=_exact_weight)
    lines = _plural(count, "independent line", "independent lines")
    return f"{count} {lines} {_plural(count, *verbs)} it (best: {best.proximity.label})"


def _plural(count: int, singular: str, plural: str) -> str:
    return singular if count == 1 else plural


def _percent(number: float) -> str:
    return f"{_number(number * 100)}%"


def _number(number: float) -> str:
    """0.55 as "0.55", 1.0 as "1", 0.135 as "0.135": no float noise."""
    return f"{round(number, 4):g}"


def _factor(key: str, name: str, explanation: str, weights: Mapping) -> dict:
    return {
        "key": key,
        "name": name,
        "explanation": explanation,
        "weights": [
            {"value": choice.value, "label": choice.label, "weight": weight}
            for choice, weight in weights.items()
        ],
    }


# Plumbing


def _evidence_order(item: EvidenceFacts) -> tuple:
    # Keys may be ints (database ids) or strings; never compare one with the other.
    return (isinstance(item.key, str), item.key, item.source_key, item.stance, item.directness)


def _source_of(item: EvidenceFacts, sources: Mapping[str, SourceFacts]) -> SourceFacts:
    try:
        return sources[item.source_key]
    except KeyError:
        raise ValueError(
            f"Evidence {item.key!r} names source {item.source_key!r}, which was not given."
        ) from None


def _change_dates(
    evidence: Iterable[EvidenceFacts], sources: Mapping[str, SourceFacts]
) -> set[date]:
    dates = set()
    for item in evidence:
        source = _source_of(item, sources)
        for changes in (
            source.access_changes,
            source.authenticity_changes,
            source.credibility_changes,
        ):
            dates.update(change[0] for change in changes)
    return dates


def _day_before(day: date) -> date:
    return day - timedelta(days=1) if day > date.min else day


def _differs(later: Assessment, earlier: Assessment) -> bool:
    return (later.level, later.support, later.contradiction) != (
        earlier.level,
        earlier.support,
        earlier.contradiction,
    )
