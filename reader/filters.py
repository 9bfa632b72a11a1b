"""The filters of the public claim list. The URL holds the whole state, so a filtered
list can be shared; every active filter can be removed on its own.

Parameters: `level` (repeatable), `topic` (slug; includes topics up to two levels
below it), `subject` (an agent's slug; a name or another name typed without
JavaScript is looked up and the list redirects to the slug), `source_kind` (claims
with evidence from a source of that kind), `from` and `to` (years; claims whose
claimed date overlaps them), `q` (words in the statement or summary) and `sort`.
Pagination is reader/pagination.py's.

The subject is a text box, not a list of everyone: every person a published claim
is about would be an option, read and rendered on every page of the list.
Readers type a name; static/js/subject-lookup.js suggests people from
/subjects.json (reader/views/lookups.py), and without JavaScript the name typed is
resolved when the form is sent.
"""

import datetime
from dataclasses import dataclass

import django_filters
from django import forms
from django.db.models import Case, Exists, F, IntegerField, OuterRef, Q, Value, When
from django.db.models.functions import Coalesce

from claims.models import Claim, Evidence
from claims.visibility import agent_is_public, public_topics
from provenance.models import Agent, AgentName, Source
from reader import selectors
from reader.pagination import without_position

# Each order is one row of keys compared as a whole, in one direction, so that the
# page after a claim is a single range over one index (reader/pagination.py, the
# claims migration 0008). Ties in a descending order therefore run Z to A. Claims
# without a date sort after every dated one, both ways.
NO_DATE_EARLIEST = datetime.date.max
NO_DATE_LATEST = datetime.date.min


@dataclass(frozen=True)
class Sort:
    label: str
    keys: tuple
    descending: bool = False

    def ordering(self, *, reverse=False):
        """The ORDER BY expressions; `reverse` reads the order from its end."""
        descending = self.descending != reverse
        return [key.desc() if descending else key.asc() for key in self.keys]


SORTS = {
    "updated": Sort("Recently updated", (F("updated_at"), F("pk")), descending=True),
    "strongest": Sort(
        "Strongest evidence first",
        (F("strength_rank"), F("support_score"), F("statement"), F("pk")),
        descending=True,
    ),
    "weakest": Sort(
        "Weakest evidence first",
        (F("strength_rank"), F("support_score"), F("statement"), F("pk")),
    ),
    "earliest": Sort(
        "Claimed date, earliest first",
        (Coalesce("date_lower", Value(NO_DATE_EARLIEST)), F("statement"), F("pk")),
    ),
    "latest": Sort(
        "Claimed date, latest first",
        (Coalesce("date_upper", Value(NO_DATE_LATEST)), F("statement"), F("pk")),
        descending=True,
    ),
    "statement": Sort("Statement, A to Z", (F("statement"), F("pk"))),
}
DEFAULT_SORT = "updated"

# Shown in the chips of active filters, in this order.
CHIP_NAMES = {
    "q": "Words",
    "level": "Strength",
    "topic": "Topic",
    "subject": "About",
    "source_kind": "Source kind",
    "from": "From",
    "to": "To",
}
SUBJECT_SUGGESTIONS = 8
SUBJECT_CANDIDATES = 300
SUBJECT_MIN_LENGTH = 2
SUBJECT_MAX_LENGTH = 200


def _is_a_published_subject():
    return Exists(
        Claim.subjects.through.objects.filter(
            agent=OuterRef("pk"), claim__status=Claim.Status.PUBLISHED
        )
    )


def matching_subjects(text, *, limit=SUBJECT_SUGGESTIONS):
    """People and organisations some published claim is about whose name, sort name
    or another name holds `text` (ignoring case), names that start with it first
    (2 queries). Each has `other_name`: the other name that matched, or None."""
    if not text:
        return []
    other_names = AgentName.objects.filter(name__icontains=text)
    starts = Case(
        When(Q(name__istartswith=text) | Q(sort_name__istartswith=text), then=0),
        default=1,
        output_field=IntegerField(),
    )
    order = ("starts", "sort_name", "name", "pk")
    # The best-placed few hundred names first, then which of them claims are about:
    # asked of every agent at once, PostgreSQL hashed every published claim's
    # subjects to keep a few dozen.
    candidates = (
        Agent.objects.filter(
            Q(name__icontains=text)
            | Q(sort_name__icontains=text)
            | Q(pk__in=other_names.values("agent_id"))
        )
        .annotate(starts=starts)
        .order_by(*order)
        .values("pk")[:SUBJECT_CANDIDATES]
    )
    agents = list(
        Agent.objects.filter(pk__in=candidates)
        .filter(_is_a_published_subject())
        .annotate(starts=starts)
        .order_by(*order)
        .only("slug", "name", "kind")[:limit]
    )
    needing_other_name = [agent.pk for agent in agents if text.lower() not in agent.name.lower()]
    matched = {}
    if needing_other_name:
        for agent_id, name in (
            other_names.filter(agent__in=needing_other_name)
            .order_by("name")
            .values_list("agent_id", "name")
        ):
            matched.setdefault(agent_id, name)
    for agent in agents:
        agent.other_name = matched.get(agent.pk)
    return agents


def resolve_subject(text):
    """The agent `text` names, or None with the agents the reader may have meant.

    A slug names its agent. Otherwise a name, sort name or other name, ignoring case;
    when several agents share it, the one some published claim is about wins if only
    one is. Returns (agent, None, []) when found, else (None, reason, choices) with
    reason "several" (choices: those called so) or "unknown" (choices: similar names).
    """
    # Only public people and organisations (claims/visibility.py): a name a draft alone
    # is about must not come back in the chip or among the choices.
    agent = Agent.objects.filter(Q(slug=text) & agent_is_public()).only("slug", "name").first()
    if agent:
        return agent, None, []
    named = list(
        Agent.objects.filter(agent_is_public())
        .filter(
            Q(name__iexact=text)
            | Q(sort_name__iexact=text)
            | Exists(AgentName.objects.filter(agent=OuterRef("pk"), name__iexact=text))
        )
        .annotate(is_subject=_is_a_published_subject())
        .order_by("-is_subject", "sort_name", "name", "pk")
        .only("slug", "name", "kind")[:SUBJECT_SUGGESTIONS]
    )
    subjects = [agent for agent in named if agent.is_subject]
    if len(named) == 1 or len(subjects) == 1:
        return (subjects or named)[0], None, []
    if named:
        for agent in named:
            agent.other_name = None  # all are called so: no other name to show
        return None, "several", named
    return None, "unknown", matching_subjects(text)


class YearInput(forms.NumberInput):
    input_type = "number"


class SubjectInput(forms.TextInput):
    """A text box for a name; the lookup script turns it into a combobox."""

    def __init__(self):
        super().__init__(
            attrs={
                "autocomplete": "off",
                "spellcheck": "false",
                "data-subject-lookup": "",
                "aria-describedby": "id_subject_help",
            }
        )


class ClaimFilterForm(forms.Form):
    """Resolves the subject typed to an agent (`subject_agent`), or says why it
    cannot, keeping the agents the reader may have meant (`subject_choices`)."""

    subject_agent = None
    subject_choices = ()

    def clean_subject(self):
        text = " ".join((self.cleaned_data.get("subject") or "").split())
        if not text:
            return ""
        agent, reason, choices = resolve_subject(text)
        self.subject_choices = choices
        if reason == "several":
            raise forms.ValidationError(
                f"Several people or organisations are called “{text}”: choose one below."
            )
        if reason == "unknown":
            hint = (
                "Did you mean one of those below?"
                if choices
                else "Check the spelling, or try another name they are known by."
            )
            raise forms.ValidationError(
                f"No person or organisation called “{text}” is recorded. {hint}"
            )
        self.subject_agent = agent
        return agent


class ClaimFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label="Words in the claim",
        method="filter_words",
        widget=forms.TextInput(attrs={"type": "search"}),
    )
    level = django_filters.MultipleChoiceFilter(
        label="Strength of the evidence",
        field_name="strength_level",
        choices=Claim.Level.choices,
        widget=forms.CheckboxSelectMultiple,
        # One column of the claim itself: no join, so no duplicates to remove (with
        # DISTINCT the count compared every column of every matching claim).
        distinct=False,
    )
    topic = django_filters.ChoiceFilter(
        label="Topic", method="filter_topic", empty_label="Any topic"
    )
    subject = django_filters.CharFilter(
        label="About (person or organisation)",
        method="filter_subject",
        max_length=SUBJECT_MAX_LENGTH,
        widget=SubjectInput(),
    )
    source_kind = django_filters.ChoiceFilter(
        label="With evidence from",
        choices=Source.Kind.choices,
        method="filter_source_kind",
        empty_label="Any kind of source",
    )
    # Renamed "from" and "to" below: ?from=1945&to=1953 (Python keywords cannot name
    # attributes here).
    year_from = django_filters.NumberFilter(
        label="From year", method="filter_from", min_value=1, max_value=9999, widget=YearInput
    )
    year_to = django_filters.NumberFilter(
        label="To year", method="filter_to", min_value=1, max_value=9999, widget=YearInput
    )
    sort = django_filters.ChoiceFilter(
        label="Sort by",
        choices=[(key, sort.label) for key, sort in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Claim
        fields = []
        form = ClaimFilterForm

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Read the choices once (one query), not at every rendering or check.
        self.filters["topic"].extra["choices"] = [
            (slug, name)
            for slug, name in public_topics().order_by("name").values_list("slug", "name")
        ]

    @property
    def order(self):
        """The Sort the list is in: the default when none, or an invalid one, is asked.
        The filtered queryset is unordered: the paginator orders it, from either end."""
        self.form.is_valid()
        return SORTS[self.form.cleaned_data.get("sort") or DEFAULT_SORT]

    def filter_words(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(statement__icontains=word) | Q(summary__icontains=word))
        return queryset

    def filter_topic(self, queryset, name, value):
        return selectors.claims_under_topic(queryset, value)

    def filter_subject(self, queryset, name, value):
        return queryset.filter(
            Exists(Claim.subjects.through.objects.filter(claim=OuterRef("pk"), agent=value))
        )

    def filter_source_kind(self, queryset, name, value):
        return queryset.filter(
            Exists(Evidence.objects.filter(claim=OuterRef("pk"), source__kind=value))
        )

    def filter_from(self, queryset, name, value):
        return queryset.filter(date_upper__gte=datetime.date(int(value), 1, 1))

    def filter_to(self, queryset, name, value):
        return queryset.filter(date_lower__lte=datetime.date(int(value), 12, 31))

    def sort_by(self, queryset, name, value):
        return queryset

    def options(self, name):
        """(value, label, chosen) for each choice of a select or checkbox field, the
        empty choice first where there is one. The template writes the options out
        itself: Django's widgets render a template per option, a cost every page of
        the list would pay even for these few dozen."""
        field = self.form.fields[name]
        chosen = set(self.data.getlist(name)) if self.data else set()
        if name == "sort" and not chosen & set(SORTS):
            chosen = {DEFAULT_SORT}
        return [(value, label, str(value) in chosen) for value, label in field.choices]

    @property
    def subject_agent(self):
        """The agent the list is filtered by, or None."""
        self.form.is_valid()
        return self.form.subject_agent

    @property
    def subject_choices(self):
        """The agents a subject the reader typed may have meant, when it named none."""
        self.form.is_valid()
        return self.form.subject_choices

    def subject_text(self):
        """What the subject box shows: the agent's name, or what the reader typed."""
        agent = self.subject_agent
        if agent is not None:
            return agent.name
        return self.data.get("subject", "") if self.data else ""

    def canonical_subject(self):
        """The slug to put in the URL when the reader typed a name that found one
        agent (so the address names the agent, whatever it was typed as), else None."""
        agent = self.subject_agent
        if agent is not None and self.data.get("subject") != agent.slug:
            return agent.slug
        return None

    def chips(self):
        """The active filters, each with the link that removes it.

        A list of dicts: `name` (the parameter), `label` ("Strength: Strong") and
        `href`: the same query without that filter (or that one of its values) and
        without the position in the list, since what is left starts a new list."""
        if not self.is_bound or not hasattr(self.form, "cleaned_data"):
            return []
        data = self.form.cleaned_data
        chips = []
        for name, title in CHIP_NAMES.items():
            value = data.get(name)
            if value in (None, "", []):
                continue
            if name == "level":
                labels = dict(Claim.Level.choices)
                chips += [
                    {
                        "name": name,
                        "label": f"{title}: {labels[item]}",
                        "href": self._query_without(name, item),
                    }
                    for item in value
                ]
                continue
            if name in ("topic", "source_kind"):
                shown = dict(self.form.fields[name].choices).get(value, value)
            elif name == "subject":
                shown = value.name
            elif name in ("from", "to"):
                shown = int(value)
            else:
                shown = value
            chips.append(
                {"name": name, "label": f"{title}: {shown}", "href": self._query_without(name)}
            )
        return chips

    def _query_without(self, name, value=None):
        query = without_position(self.data)
        kept = [item for item in query.getlist(name) if value is not None and item != value]
        query.setlist(name, kept)
        if not kept:
            query.pop(name)
        encoded = query.urlencode()
        return f"?{encoded}" if encoded else "?"


# The parameter names readers see.
ClaimFilter.base_filters = {
    {"year_from": "from", "year_to": "to"}.get(name, name): value
    for name, value in ClaimFilter.base_filters.items()
}
