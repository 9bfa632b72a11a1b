"""What the public claim pages say, built from data already read (no queries here).

`ClaimReport` gathers, for one claim and one date (today or `?as_of=`), the verdict,
the evidence grouped into independent lines for and against, the strength timeline
with its SVG geometry and its text alternative, and the what-if. The HTML page, its
JSON-LD and the JSON view all read one report, so they cannot disagree.

Choices someone might otherwise undo:

- `?as_of=1969` means the end of 1969 (31 December), and `?as_of=1969-06` the end of
  June: "as the evidence stood in 1969" includes everything public during 1969.
- The schema.org rating gives every level a number of its own, 1–6 in the levels'
  order of reliability (see `RATING_VALUES`). "No evidence recorded" has no number:
  the rating then carries only its name and explanation,
  because a number would claim a verdict that was never reached.
"""

import calendar
import datetime
import json
import re
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils.safestring import mark_safe

from claims import strength
from claims.assessment import status_changes
from provenance import dates
from provenance.graph import reachable
from reader import derivations
from reader.cache import record_key

SITE_NAME = "Corroborate"

# schema.org reviewRating.ratingValue for each level: its rank, so no two levels share
# a number and the order is the levels' own.
RATING_VALUES = {level: level.rank or None for level in strength.LEVELS_BY_RANK}
BEST_RATING = max(level.rank for level in strength.LEVELS_BY_RANK)

_AS_OF = re.compile(r"^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?$")


class AsOfError(ValueError):
    """A malformed ?as_of= value; the message is written for readers."""


def parse_as_of(text, *, today=None):
    """Read `?as_of=`: YYYY, YYYY-MM or YYYY-MM-DD, meaning the last day of that
    period, or today for the period under way. Blank gives None (today). Raises
    AsOfError with a reader's message, also for a period that has not begun: nobody
    can say how the evidence will stand."""
    today = today or datetime.date.today()
    text = (text or "").strip()
    if not text:
        return None
    match = _AS_OF.match(text)
    if not match:
        raise AsOfError(
            f"“{text[:40]}” is not a date this page can read. Write a year (1969), a month "
            "(1969-12) or a day (1969-12-31)."
        )
    year, month, day = (int(part) if part else None for part in match.groups())
    try:
        if month is None:
            first, last = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
        elif day is None:
            first = datetime.date(year, month, 1)
            last = datetime.date(year, month, calendar.monthrange(year, month)[1])
        else:
            first = last = datetime.date(year, month, day)
    except (ValueError, calendar.IllegalMonthError):
        raise AsOfError(
            f"“{text}” is not a date in the calendar. Write a year (1969), a month (1969-12) "
            "or a day (1969-12-31)."
        ) from None
    if first > today:
        raise AsOfError(
            f"“{text}” is in the future. Write a date up to today ({day_words(today)})."
        )
    return min(last, today)


def day_words(day):
    return f"{day.day} {dates.MONTHS[day.month - 1]} {day.year}" if day else ""


# The report


@dataclass
class ItemView:
    """One evidence item as shown: the model row and its weighing."""

    evidence: object  # claims.models.Evidence, with source and presentations prefetched
    weighed: strength.ItemWeight

    @property
    def source(self):
        return self.evidence.source

    @property
    def stance(self):
        return self.weighed.evidence.stance

    @property
    def presentations(self):
        return self.evidence.presentations.all()

    @property
    def authors(self):
        """Who wrote or sent the source (other roles are on the source's page)."""
        return [
            role.agent
            for role in self.source.creator_roles.all()
            if role.role in ("author", "sender")
        ]

    @property
    def recipients(self):
        return [role.agent for role in self.source.creator_roles.all() if role.role == "recipient"]


@dataclass
class LineView:
    number: int
    line: strength.Line
    items: list
    links: list
    weight: float
    also_other_way: bool

    @property
    def lead_title(self):
        """The heaviest source of the line on this side, naming the line."""
        return self.items[0].source.title if self.items else ""

    @property
    def more_sources(self):
        return len(self.items) - 1


@dataclass
class ChangeView:
    """One source's change of status on a step's day, in words ("declassified")."""

    source: object
    words: str


@dataclass
class StepView:
    date: datetime.date | None
    words: str
    assessment: strength.Assessment
    as_of_param: str
    shown: bool = False
    is_today: bool = False
    when: str = ""  # "from 1970", "before 1970", "today": the words after the level
    changes: list = field(default_factory=list)


@dataclass
class HistoryView:
    """One entry of the verdict's history line: a level and since when."""

    level: object
    when: str
    as_of_param: str
    is_today: bool
    shown: bool


@dataclass
class WhatIfView:
    source: object
    outcome: strength.WhatIf

    @property
    def level(self):
        return self.outcome.assessment_without.level


@dataclass
class NotCountedView:
    evidence: object
    reason: str


@dataclass
class NotCountedGroup:
    """Items left out for one reason, so the reason is said once."""

    reason: str
    items: list

    @property
    def heading(self):
        """The reason once, with how many it covers, introducing their list."""
        return f"{self.reason.rstrip('.')} — {len(self.items)} sources:"


@dataclass
class ClaimReport:
    claim: object
    as_of: datetime.date | None
    assessment: strength.Assessment
    today: strength.Assessment
    for_lines: list
    against_lines: list
    context_items: list
    not_counted: list
    steps: list
    what_ifs: list
    svg: dict
    appearances: list = field(default_factory=list)
    subjects: list = field(default_factory=list)
    topics: list = field(default_factory=list)
    # Its public log of corrections and updates, newest first (claims.Correction).
    corrections: list = field(default_factory=list)
    picture: object = None  # reader.derivations.Picture: the sources behind the lines
    # The surrogate keys of every record the report shows (reader/cache.py).
    shown: frozenset = frozenset()

    @property
    def as_of_words(self):
        return day_words(self.as_of)

    @property
    def history(self):
        """The timeline in one line for the verdict box: each change of level from the
        first evidence on ("No evidence recorded" before it is left out), steps that
        keep the level folded into the first."""
        entries = []
        for step in self.steps:
            level = step.assessment.level
            if entries and entries[-1].level == level:
                entries[-1].shown = entries[-1].shown or step.shown
                continue
            if not entries and level == strength.Level.NONE:
                continue
            entries.append(
                HistoryView(level, step.when, step.as_of_param, step.is_today, step.shown)
            )
        return entries

    @property
    def not_counted_groups(self):
        """The items not counted, grouped by reason in the order the reasons come."""
        groups = {}
        for view in self.not_counted:
            groups.setdefault(view.reason, NotCountedGroup(view.reason, [])).items.append(view)
        return list(groups.values())

    @property
    def differs_from_today(self):
        return self.as_of is not None and (
            self.assessment.level != self.today.level
            or self.assessment.support != self.today.support
            or self.assessment.contradiction != self.today.contradiction
        )


def build_report(
    claim,
    evidence,
    facts,
    links,
    *,
    as_of=None,
    today=None,
    detail=None,
    subjects=(),
    topics=(),
    corrections=(),
):
    """The report on `claim` as of a date (None: today).

    `evidence` are the claim's evidence items with sources, custody events, creators
    and presentations (reader/records.py); `facts` the strength facts built from them;
    `links` the citation links of their sources (`provenance.graph.Link`); `detail`,
    when given, today's (timeline, what-if) as stored (claims.assessment.claim_detail),
    used instead of working them out. A what-if as of another day is always worked
    out. `subjects` and `topics` are whom and what the claim is about
    (selectors.subjects_and_topics_for_page).
    """
    today = today or datetime.date.today()
    current = facts.assess()
    assessment = facts.assess(as_of=as_of) if as_of else current
    by_pk = {item.pk: item for item in evidence}
    sources = {item.source.slug: item.source for item in evidence}

    for_lines, against_lines, context_items = [], [], []
    for line in assessment.lines:
        line_links = _links_within(line, links)
        views = [ItemView(by_pk[item.evidence.key], item) for item in line.items]
        context_items += [view for view in views if view.stance == strength.Stance.CONTEXT]
        if line.best_support is not None:
            for_lines.append(
                LineView(
                    number=len(for_lines) + 1,
                    line=line,
                    items=[v for v in views if v.stance == strength.Stance.SUPPORTS],
                    links=line_links,
                    weight=line.support_weight,
                    also_other_way=line.best_contradiction is not None,
                )
            )
        if line.best_contradiction is not None:
            against_lines.append(
                LineView(
                    number=len(against_lines) + 1,
                    line=line,
                    items=[v for v in views if v.stance == strength.Stance.CONTRADICTS],
                    links=line_links,
                    weight=line.contradiction_weight,
                    also_other_way=line.best_support is not None,
                )
            )

    not_counted = [
        NotCountedView(by_pk[key], _not_public_reason(by_pk[key].source, as_of))
        for key in assessment.not_yet_public
    ] + [
        NotCountedView(
            by_pk[key],
            _discounted_reason(
                by_pk[key].source,
                assessment,
                strength.state_on(facts.sources[by_pk[key].source.slug], as_of),
            ),
        )
        for key in assessment.discounted
    ]

    timeline, today_what_if = detail if detail is not None else (facts.timeline(), None)
    if as_of is not None or today_what_if is None:
        outcomes = facts.what_if(as_of=as_of)
    else:
        outcomes = today_what_if
    steps = _steps(timeline, current, evidence, as_of=as_of, today=today)
    what_ifs = [WhatIfView(sources.get(outcome.source_key), outcome) for outcome in outcomes]
    counted_supporting = {view.source.pk: view.source for line in for_lines for view in line.items}
    appearances = sorted(
        counted_supporting.values(),
        key=lambda source: (source.date_lower or datetime.date.max, source.title),
    )
    report = ClaimReport(
        claim=claim,
        as_of=as_of,
        assessment=assessment,
        today=current,
        for_lines=for_lines,
        against_lines=against_lines,
        context_items=context_items,
        not_counted=not_counted,
        steps=steps,
        what_ifs=what_ifs,
        svg=timeline_svg(steps, as_of=as_of, today=today),
        appearances=appearances,
        subjects=list(subjects),
        topics=list(topics),
        corrections=list(corrections),
    )
    report.picture = derivations.claim_picture(report, evidence, links)
    report.shown = shown_keys(claim, evidence, links, subjects=subjects, topics=topics)
    return report


def shown_keys(claim, evidence, links, *, subjects, topics):
    """The surrogate keys of what a claim's page, JSON, files and feed show: the claim,
    whom and what it is about, its sources with their makers, the sources they derive
    from, and the events, presenters and reports of its presentations."""
    keys = {record_key("claim", claim.pk)}
    keys.update(record_key("agent", agent.pk) for agent in subjects)
    keys.update(record_key("topic", topic.pk) for topic in topics)
    for item in evidence:
        keys.add(record_key("source", item.source.pk))
        keys.update(record_key("agent", role.agent.pk) for role in item.source.creator_roles)
        for presentation in item.presentations:
            if presentation.event is not None:
                keys.add(record_key("event", presentation.event.pk))
            if presentation.reported_in is not None:
                keys.add(record_key("source", presentation.reported_in.pk))
            keys.update(record_key("agent", agent.pk) for agent in presentation.presenters)
    for link in links:
        keys.update((record_key("source", link.citing_id), record_key("source", link.cited_id)))
    return frozenset(keys)


def _links_within(line, links):
    """The citations that make a line one line: those on a path from one of its
    sources to a source that two or more of them derive from (or that is one of them
    and another derives from it). Citations to sources only one of them draws on
    join nothing and are left out."""
    derives_from = {}
    for link in links:
        derives_from.setdefault(link.citing_slug, set()).add(link.cited_slug)
    reach = {key: reachable(key, derives_from) | {key} for key in line.source_keys}
    shared = {
        node
        for node in set().union(*reach.values())
        if sum(node in reached for reached in reach.values()) >= 2
    }
    on_paths = set().union(*reach.values())
    return [link for link in links if link.cited_slug in shared and link.citing_slug in on_paths]


def _not_public_reason(source, as_of):
    if as_of is None:
        return "Not public: the source is still classified, so it is not counted."
    return f"Not yet public on {day_words(as_of)}, so not counted as of that date."


def _discounted_reason(source, assessment, state):
    if assessment.without == source.slug:
        return "Set aside for the what-if."
    if state is not None and state.credibility in (
        strength.Credibility.MISTAKEN,
        strength.Credibility.RETRACTED,
    ):
        return f"Weighs nothing: its content was {state.credibility.label}."
    return "Weighs nothing: the source was judged a forgery."


# The timeline


def _steps(timeline, current, evidence, *, as_of, today):
    changes = _changes_by_day(evidence)
    words = _change_words(changes)
    steps = []
    dated = [step for step in timeline if step.date is not None]
    for step in timeline:
        moved = []
        if step.date is None:
            if dated:
                first = dated[0].date
                when = f"before {words.get(first, day_words(first))}"
                before = first - datetime.timedelta(days=1) if first > datetime.date.min else None
                param = before.isoformat() if before else ""
            else:
                when, param = "throughout", ""
        else:
            when = f"from {words.get(step.date, day_words(step.date))}"
            param = step.date.isoformat()
            moved = _change_views(changes.get(step.date, ()))
        label = when[0].upper() + when[1:]
        steps.append(StepView(step.date, label, step.assessment, param, when=when, changes=moved))
    last = steps[-1].assessment if steps else None
    if last is None or (last.level, last.support, last.contradiction) != (
        current.level,
        current.support,
        current.contradiction,
    ):
        steps.append(
            StepView(
                None,
                "Today",
                current,
                "",
                is_today=True,
                when="today",
            )
        )
    _mark_shown(steps, as_of)
    return steps


def _mark_shown(steps, as_of):
    """Mark the step that the page shows: the last one on or before `as_of`."""
    if not steps:
        return
    if as_of is None:
        steps[-1].shown = True
        return
    shown = steps[0]
    for step in steps:
        if step.date is not None and step.date <= as_of:
            shown = step
    shown.shown = True


def _changes_by_day(evidence):
    """Each day from which a source's status changed (claims.assessment's one rule),
    with the (source, change) pairs of that day, each source once."""
    by_day = {}
    seen = set()
    for item in evidence:
        source = item.source
        if source.pk in seen:
            continue
        seen.add(source.pk)
        for change in status_changes(source):
            by_day.setdefault(change.day, []).append((source, change))
    return by_day


def _change_words(changes):
    """For each day in `changes`, the date in words as the curator wrote it ("1970",
    "about August 1958"), preferring the least precise wording when several changes
    count from one day."""
    candidates = {}
    for day, pairs in changes.items():
        for _source, change in pairs:
            dated = change.record
            span = day - (dated.date_lower or day)
            best = candidates.get(day)
            if best is None or span > best[0]:
                candidates[day] = (span, dates.describe(dated.date))
    return {day: words for day, (_, words) in candidates.items()}


# What a change of status did to a source, in words after its title.
CHANGE_WORDS = {
    ("access", "published"): "published",
    ("access", "declassified"): "declassified",
    ("access", "open"): "opened in an archive",
    ("access", "cited_only"): "described or cited elsewhere",
    ("access", "classified"): "classified",
    ("access", "lost"): "lost",
    ("authenticity", "authenticated"): "authenticated",
    ("authenticity", "accepted"): "accepted as genuine",
    ("authenticity", "disputed"): "authenticity disputed",
    ("authenticity", "doubtful"): "authenticity doubted",
    ("authenticity", "forged"): "exposed as a forgery",
    ("credibility", "confirmed"): "content confirmed by independent evidence",
    ("credibility", "uncorroborated"): "content found uncorroborated",
    ("credibility", "doubtful"): "content doubted",
    ("credibility", "mistaken"): "content shown mistaken or misread",
    ("credibility", "retracted"): "retracted by its author",
}


def _change_views(pairs):
    """One view per source, its changes of the day joined ("published; authenticity
    disputed")."""
    by_source = {}
    for source, change in pairs:
        words = CHANGE_WORDS.get((change.what, change.value), f"{change.what}: {change.value}")
        if change.finding:
            words += f" (documented in {change.finding})"
        by_source.setdefault(source.pk, (source, []))[1].append(words)
    return [ChangeView(source, "; ".join(words)) for source, words in by_source.values()]


SVG_WIDTH = 640
SVG_LEFT = 150
SVG_RIGHT = 52  # room for the "today" label beside the last dot
SVG_TOP = 16
SVG_ROW = 22
SVG_BOTTOM = 40


def timeline_svg(steps, *, as_of, today):
    """Geometry for the step chart: one row per level (by rank), time across.
    Everything the template draws is computed here, in user units of the viewBox."""
    levels = list(strength.LEVELS_BY_RANK)
    rows = len(levels)
    height = SVG_TOP + SVG_ROW * (rows - 1) + SVG_BOTTOM
    axis_y = SVG_TOP + SVG_ROW * (rows - 1) + 10
    dated = [step.date for step in steps if step.date is not None]
    end_year = _year_fraction(today)
    if dated:
        first = _year_fraction(dated[0])
        span = max(end_year - first, 1.0)
        start_year = first - max(span * 0.12, 1.0)
    else:
        start_year = end_year - 10
    if as_of is not None:
        start_year = min(start_year, _year_fraction(as_of) - 1)
        end_year = max(end_year, _year_fraction(as_of) + 1)
    plot_width = SVG_WIDTH - SVG_LEFT - SVG_RIGHT

    def x_of(year):
        return round(SVG_LEFT + (year - start_year) / (end_year - start_year) * plot_width, 1)

    def y_of(level):
        return SVG_TOP + SVG_ROW * (rows - 1 - level.rank)

    chart_steps = [step for step in steps if not step.is_today]
    today_step = next((step for step in steps if step.is_today), None)
    points = []
    for index, step in enumerate(chart_steps):
        x_start = x_of(start_year if step.date is None else _year_fraction(step.date))
        following = chart_steps[index + 1].date if index + 1 < len(chart_steps) else None
        x_end = x_of(_year_fraction(following) if following else end_year)
        points.append((x_start, x_end, y_of(step.assessment.level), step))
    path = []
    for index, (x_start, x_end, y, _step) in enumerate(points):
        path.append(f"{'M' if index == 0 else 'L'}{x_start} {y}")
        path.append(f"L{x_end} {y}")
    if today_step is not None and points:
        # The present-day verdict also counts undated sources: a last step at the end.
        x_end = points[-1][1]
        path.append(f"L{x_end} {y_of(today_step.assessment.level)}")
    used = {step.assessment.level for step in steps}
    labels = [
        {"y": y_of(level) + 4, "text": level.label, "used": level in used} for level in levels
    ]
    year_ticks = []
    last_x = -100
    for x_start, _x_end, _y, step in points:
        if step.date is None:
            continue
        if x_start - last_x >= 34:
            year_ticks.append({"x": x_start, "text": str(step.date.year)})
            last_x = x_start
    dots = [
        {"x": x_start, "y": y, "shown": step.shown}
        for x_start, _x_end, y, step in points
        if step.date is not None
    ]
    if today_step is not None and points:
        dots.append(
            {
                "x": points[-1][1],
                "y": y_of(today_step.assessment.level),
                "shown": today_step.shown,
            }
        )
    marker = x_of(_year_fraction(as_of)) if as_of else None
    # The line's end is the present: its dot carries the word, not just a shape.
    today_label = None
    if points:
        end_level = (today_step or points[-1][3]).assessment.level
        today_label = {"x": points[-1][1] + 9, "y": y_of(end_level) + 4}
    return {
        "width": SVG_WIDTH,
        "height": height,
        "left": SVG_LEFT,
        "right": SVG_WIDTH - SVG_RIGHT,
        "axis_y": axis_y,
        "tick_y": axis_y + 18,
        "path": " ".join(path),
        "labels": labels,
        "rows": [{"y": y_of(level)} for level in levels],
        "year_ticks": year_ticks,
        "dots": dots,
        "marker": marker,
        "today_label": today_label,
    }


def _year_fraction(day):
    if day in (None, datetime.date.min):
        return 1.0
    start = datetime.date(day.year, 1, 1)
    length = 366 if calendar.isleap(day.year) else 365
    return day.year + (day - start).days / length


# JSON-LD and JSON


def absolute(request, path):
    return request.build_absolute_uri(path)


def claim_review(report, request):
    """The schema.org ClaimReview for the claim as it stands today."""
    claim, assessment = report.claim, report.today
    level = assessment.level
    rating = {
        "@type": "Rating",
        "alternateName": level.label,
        "ratingExplanation": assessment.summary,
    }
    if RATING_VALUES[level] is not None:
        rating.update(ratingValue=RATING_VALUES[level], bestRating=BEST_RATING, worstRating=1)
    item_reviewed = {"@type": "Claim"}
    works = [_creative_work(source, request) for source in report.appearances]
    if works:
        # The claim was first made where it first appeared: its makers and date are
        # those of the earliest counted source (report.appearances is in date order).
        first = works[0]
        item_reviewed["firstAppearance"] = first
        item_reviewed["appearance"] = works
        for known in ("author", "datePublished"):
            if known in first:
                item_reviewed[known] = first[known]
    published = claim.published_at or claim.assessed_at or claim.updated_at
    review = {
        "@context": "https://schema.org",
        "@type": "ClaimReview",
        "url": absolute(request, claim.get_absolute_url()),
        "claimReviewed": claim.statement,
        "reviewRating": rating,
        "itemReviewed": item_reviewed,
        "author": {
            "@type": "Organization",
            "name": SITE_NAME,
            "url": absolute(request, reverse("claims:home")),
        },
    }
    if published:
        review["datePublished"] = published.date().isoformat()
    return review


def _creative_work(source, request):
    work = {
        "@type": "CreativeWork",
        "name": source.title,
        "url": source.url or absolute(request, source.get_absolute_url()),
    }
    published = dates.iso8601(source.date)
    if published:
        work["datePublished"] = published
    authors = [
        {
            "@type": "Organization" if role.agent.is_organisation else "Person",
            "name": role.agent.name,
        }
        for role in source.creator_roles.all()
        if role.role in ("author", "sender")
    ]
    if authors:
        work["author"] = authors if len(authors) > 1 else authors[0]
    return work


_JSON_SCRIPT_ESCAPES = {ord(">"): "\\u003E", ord("<"): "\\u003C", ord("&"): "\\u0026"}


def json_ld_script(data):
    """A <script type="application/ld+json"> element that no string inside can close
    early (the escaping of Django's json_script)."""
    # Compact: with `indent`, json.dumps runs its pure-Python encoder instead of the C
    # one, for a block only programs read.
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":")).translate(
        _JSON_SCRIPT_ESCAPES
    )
    return mark_safe(f'<script type="application/ld+json">\n{text}\n</script>')  # noqa: S308


def _score(number):
    return round(float(number), 4)


def _level_json(assessment):
    return {
        "level": assessment.level.label,
        "level_code": assessment.level.value,
        "support": _score(assessment.support),
        "contradiction": _score(assessment.contradiction),
    }


def source_json(source, request):
    return {
        "slug": source.slug,
        "title": source.title,
        "kind": source.kind,
        "url": absolute(request, source.get_absolute_url()),
        "date": source.date or None,
        "date_words": dates.describe(source.date) or None,
    }


def agent_json(agent, request):
    return {
        "slug": agent.slug,
        "name": agent.name,
        "url": absolute(request, agent.get_absolute_url()),
    }


def _item_json(view, request):
    weighed = view.weighed
    evidence = view.evidence
    return {
        "stance": weighed.evidence.stance.value,
        "directness": weighed.evidence.directness.value,
        "weight": _score(weighed.weight),
        "factors": {
            "proximity": {"value": weighed.proximity.value, "weight": weighed.proximity_weight},
            "access": {"value": weighed.access.value, "weight": weighed.access_weight},
            "authenticity": {
                "value": weighed.authenticity.value,
                "weight": weighed.authenticity_weight,
            },
            "directness": {
                "value": weighed.evidence.directness.value,
                "weight": weighed.directness_weight,
            },
        },
        "explanation": weighed.explanation,
        "quotation": evidence.quotation,
        "locator": evidence.locator,
        "source": source_json(evidence.source, request),
        "presentations": [
            {
                "date": presentation.date or None,
                "date_words": presentation.date_in_words or None,
                "presenters": [
                    agent_json(agent, request) for agent in presentation.presenters.all()
                ],
                "event": (
                    {
                        "slug": presentation.event.slug,
                        "name": presentation.event.name,
                        "url": absolute(request, presentation.event.get_absolute_url()),
                    }
                    if presentation.event
                    else None
                ),
                "reported_in": (
                    source_json(presentation.reported_in, request)
                    if presentation.reported_in
                    else None
                ),
            }
            for presentation in view.presentations
        ],
    }


def claim_json(report, request):
    """The claim for programs; the shape is documented in docs/api.md."""
    claim, assessment = report.claim, report.assessment
    by_pk = {}
    for line in report.for_lines + report.against_lines:
        for view in line.items:
            by_pk[view.evidence.pk] = view
    for view in report.context_items:
        by_pk[view.evidence.pk] = view
    lines = []
    for line in assessment.lines:
        lines.append(
            {
                "key": line.key,
                "support_weight": _score(line.support_weight),
                "contradiction_weight": _score(line.contradiction_weight),
                "items": [_item_json(by_pk[item.evidence.key], request) for item in line.items],
            }
        )
    return {
        "statement": claim.statement,
        "slug": claim.slug,
        "url": absolute(request, claim.get_absolute_url()),
        "status": claim.status,
        "summary": claim.summary,
        "date": {
            "edtf": claim.date or None,
            "words": claim.date_in_words or None,
            "lower": claim.date_lower.isoformat() if claim.date_lower else None,
            "upper": claim.date_upper.isoformat() if claim.date_upper else None,
        },
        "assessment": {
            **_level_json(assessment),
            "summary": assessment.summary,
            "reasons": list(assessment.reasons),
            "as_of": report.as_of.isoformat() if report.as_of else None,
        },
        "timeline": [
            {
                "date": step.date.isoformat() if step.date else None,
                "words": step.words,
                **_level_json(step.assessment),
            }
            for step in report.steps
            if not step.is_today
        ],
        "lines": lines,
        "not_counted": [
            {"source": source_json(view.evidence.source, request), "reason": view.reason}
            for view in report.not_counted
        ],
        "what_if": [
            {
                "without": source_json(view.source, request),
                **_level_json(view.outcome.assessment_without),
                "changes_level": view.outcome.changes_level,
            }
            for view in report.what_ifs
        ],
        "corrections": [
            {
                "at": entry.at_second.isoformat(),
                "kind": entry.kind,
                "label": entry.get_kind_display(),
                "reason": entry.reason,
                "level_before": entry.level_before or None,
                "level_after": entry.level_after or None,
                "url": absolute(request, f"{claim.get_absolute_url()}#correction-{entry.pk}"),
            }
            for entry in report.corrections
        ],
        "subjects": [agent_json(agent, request) for agent in report.subjects],
        "topics": [
            {
                "slug": topic.slug,
                "name": topic.name,
                "url": absolute(request, topic.get_absolute_url()),
            }
            for topic in report.topics
        ],
    }
