"""The filters of the public claim list. The URL holds the whole state, so a filtered
list can be shared; every active filter can be removed on its own.

Parameters: `level` (repeatable), `topic` (slug; includes topics up to two levels
below it), `subject` (agent slug), `source_kind` (claims with evidence from a source
of that kind), `from` and `to` (years; claims whose claimed date overlaps them), `q`
(words in the statement or summary) and `sort`.
"""

import datetime

import django_filters
from django import forms
from django.db.models import Exists, OuterRef, Q

from claims.models import Claim, Evidence, Topic
from provenance.models import Agent, Source

SORTS = {
    "updated": ("Recently updated", ("-updated_at", "pk")),
    "strongest": (
        "Strongest evidence first",
        ("-strength_rank", "-support_score", "statement", "pk"),
    ),
    "weakest": ("Weakest evidence first", ("strength_rank", "support_score", "statement", "pk")),
    "earliest": ("Claimed date, earliest first", ("date_lower", "statement", "pk")),
    "latest": ("Claimed date, latest first", ("-date_upper", "statement", "pk")),
    "statement": ("Statement, A to Z", ("statement", "pk")),
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


class YearInput(forms.NumberInput):
    input_type = "number"


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
    )
    topic = django_filters.ChoiceFilter(
        label="Topic", method="filter_topic", empty_label="Any topic"
    )
    subject = django_filters.ChoiceFilter(
        label="About (person or organisation)", method="filter_subject", empty_label="Anyone"
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
        choices=[(key, label) for key, (label, _) in SORTS.items()],
        method="sort_by",
        empty_label=None,
    )

    class Meta:
        model = Claim
        fields = []

    def __init__(self, data=None, *args, **kwargs):
        super().__init__(data, *args, **kwargs)
        # Read the choices once (one query each), not at every rendering or check.
        self.filters["topic"].extra["choices"] = [
            (slug, name)
            for slug, name in Topic.objects.order_by("name").values_list("slug", "name")
        ]
        self.filters["subject"].extra["choices"] = [
            (slug, name)
            for slug, name in Agent.objects.filter(
                Exists(
                    Claim.subjects.through.objects.filter(
                        agent=OuterRef("pk"), claim__status=Claim.Status.PUBLISHED
                    )
                )
            )
            .order_by("sort_name", "name")
            .values_list("slug", "name")
        ]

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if not self.form.cleaned_data.get("sort"):
            queryset = queryset.order_by(*SORTS[DEFAULT_SORT][1])
        return queryset

    def filter_words(self, queryset, name, value):
        for word in value.split()[:10]:
            queryset = queryset.filter(Q(statement__icontains=word) | Q(summary__icontains=word))
        return queryset

    def filter_topic(self, queryset, name, value):
        topics = Topic.objects.filter(
            Q(slug=value) | Q(parent__slug=value) | Q(parent__parent__slug=value)
        )
        return queryset.filter(
            Exists(Claim.topics.through.objects.filter(claim=OuterRef("pk"), topic__in=topics))
        )

    def filter_subject(self, queryset, name, value):
        return queryset.filter(
            Exists(Claim.subjects.through.objects.filter(claim=OuterRef("pk"), agent__slug=value))
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
        return queryset.order_by(*SORTS.get(value, SORTS[DEFAULT_SORT])[1])

    def chips(self):
        """The active filters, each with what removing it leaves of the query.

        A list of dicts: `name` (the parameter), `value` (for repeatable ones),
        `label` ("Strength: Strong")."""
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
                    {"name": name, "value": item, "label": f"{title}: {labels[item]}"}
                    for item in value
                ]
                continue
            shown = (
                dict(self.form.fields[name].choices).get(value, value)
                if name
                in (
                    "topic",
                    "subject",
                    "source_kind",
                )
                else value
            )
            if name in ("from", "to"):
                shown = int(value)
            chips.append({"name": name, "value": None, "label": f"{title}: {shown}"})
        return chips


# The parameter names readers see.
ClaimFilter.base_filters = {
    {"year_from": "from", "year_to": "to"}.get(name, name): value
    for name, value in ClaimFilter.base_filters.items()
}
