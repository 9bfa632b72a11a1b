"""Import and export of people and organisations, sources, citations and custody events
(django-import-export resources; see intake/resources.py for what every import shares).

Columns hold what a curator writes in the admin: slugs name linked records, choices may
be written as their value or their label, dates in EDTF. Two columns are not model
fields: an agent's `other_names` ("Mao Tse-tung; 毛泽东") and a source's `creators`
("Khrushchev, Nikita (author); strobe-talbott (translator)"), each separated by
semicolons. A creator is named by slug, name, sort name or any of the agent's other
names; a name that matches nobody adds a new person.
"""

import re

from django.core.exceptions import ValidationError
from django.db.models import Q
from django.utils.text import slugify
from import_export.fields import Field

from intake.resources import (
    ChoiceWidget,
    CuratedResource,
    EDTFWidget,
    SlugsWidget,
    SlugWidget,
    TextWidget,
    text,
)
from provenance import dates
from provenance.models import (
    Agent,
    AgentName,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

SEPARATOR = ";"
CREATOR_PATTERN = re.compile(r"^(?P<who>.+?)\s*(?:\((?P<role>[^()]+)\))?$")


def split_list(value):
    return [item.strip() for item in text(value).split(SEPARATOR) if item.strip()]


def unique_slug(base, model, *, max_length=120):
    """A slug from `base` that no record of `model` has yet."""
    stem = (slugify(base) or "untitled")[: max_length - 6].strip("-")
    slug, number = stem, 2
    while model._default_manager.filter(slug=slug).exists():
        slug, number = f"{stem}-{number}", number + 1
    return slug


def agents_named(written):
    """The agents a curator may mean by `written`: its slug, else its name, sort name
    or one of its other names, in any case."""
    by_slug = list(Agent.objects.filter(slug=written))
    if by_slug:
        return by_slug
    names = {written, person_from_name(written, slug="").name}
    query = Q()
    for name in names:
        query |= (
            Q(name__iexact=name) | Q(sort_name__iexact=name) | Q(other_names__name__iexact=name)
        )
    return list(Agent.objects.filter(query).distinct()[:3])


def person_from_name(written, *, slug=None):
    """A new person for a name nobody has: "Family, Given" becomes the name "Given
    Family" sorted under "Family, Given"."""
    family, comma, given = written.partition(",")
    if comma and given.strip():
        name, sort_name = f"{given.strip()} {family.strip()}", written
    else:
        name, sort_name = written, ""
    return Agent(
        slug=unique_slug(name, Agent) if slug is None else slug, name=name, sort_name=sort_name
    )


def edtf_field(column="date"):
    return Field(attribute="date", column_name=column, widget=EDTFWidget())


def choice_field(attribute, choices, *, blank=None):
    return Field(
        attribute=attribute, column_name=attribute, widget=ChoiceWidget(choices, blank=blank)
    )


def text_field(attribute):
    return Field(attribute=attribute, column_name=attribute, widget=TextWidget())


class AgentResource(CuratedResource):
    slug = text_field("slug")
    kind = choice_field("kind", Agent.Kind.choices, blank=Agent.Kind.PERSON)
    name = text_field("name")
    sort_name = text_field("sort_name")
    date = edtf_field()
    description = text_field("description")
    wikidata_id = text_field("wikidata_id")
    viaf_id = text_field("viaf_id")
    other_names = Field(column_name="other_names")

    required_columns = ("slug", "name")

    class Meta:
        model = Agent
        name = "People and organisations"
        import_id_fields = ["slug"]
        fields = [
            "slug", "kind", "name", "sort_name", "date", "description",
            "wikidata_id", "viaf_id", "other_names",
        ]  # fmt: skip

    def dehydrate_other_names(self, agent):
        if agent.pk is None:
            return ""
        return "; ".join(sorted(name.name for name in agent.other_names.all()))

    def read_extra_columns(self, agent, row):
        if not agent.sort_name:
            agent.sort_name = agent.name  # as Agent.save does, so an unchanged row is unchanged
        if "other_names" in row:
            agent._other_names = sorted(set(split_list(row["other_names"])))
        return {}

    def skip_row(self, agent, original, row, import_validation_errors=None):
        wanted = getattr(agent, "_other_names", None)
        if wanted is not None and wanted != sorted(split_list(self.dehydrate_other_names(agent))):
            return False
        return super().skip_row(agent, original, row, import_validation_errors)

    def after_save_instance(self, agent, row, **kwargs):
        wanted = getattr(agent, "_other_names", None)
        if wanted is None:
            return
        agent.other_names.exclude(name__in=wanted).delete()
        have = set(agent.other_names.values_list("name", flat=True))
        for name in wanted:
            if name not in have:
                AgentName.objects.create(agent=agent, name=name)


class SourceResource(CuratedResource):
    """Sources with their creators. A row names a source by its slug; a row without a
    slug, or with one no source has, is matched to a source already recorded with the
    same DOI, ISBN, or title and year, so a reference library imported twice (or a
    source entered by hand first) is updated rather than duplicated."""

    slug = text_field("slug")
    title = text_field("title")
    kind = choice_field("kind", Source.Kind.choices, blank=Source.Kind.OTHER)
    proximity = choice_field("proximity", Source.Proximity.choices, blank="")
    date = edtf_field()
    language = text_field("language")
    description = text_field("description")
    creators = Field(column_name="creators")
    archive = Field(
        attribute="archive",
        column_name="archive",
        widget=SlugWidget(
            Agent,
            noun="organisation",
            also=("name",),
            queryset=Agent.objects.filter(kind=Agent.Kind.ORGANISATION),
        ),
    )
    archival_reference = text_field("archival_reference")
    access = choice_field("access", Source.Access.choices, blank=Source.Access.PUBLISHED)
    authenticity = choice_field(
        "authenticity", Source.Authenticity.choices, blank=Source.Authenticity.ACCEPTED
    )
    credibility = choice_field(
        "credibility", Source.Credibility.choices, blank=Source.Credibility.NOT_ASSESSED
    )
    url = text_field("url")
    publication_details = text_field("publication_details")
    doi = text_field("doi")
    isbn = text_field("isbn")

    required_columns = ("title",)

    class Meta:
        model = Source
        name = "Sources"
        import_id_fields = ["slug"]
        fields = [
            "slug", "title", "kind", "proximity", "date", "language", "description",
            "creators", "archive", "archival_reference", "access", "authenticity",
            "credibility", "url", "publication_details", "doi", "isbn",
        ]  # fmt: skip

    def before_import(self, dataset, **kwargs):
        if dataset.headers and "slug" not in [text(header) for header in dataset.headers]:
            dataset.append_col([""] * len(dataset), header="slug")
        super().before_import(dataset, **kwargs)

    def before_import_row(self, row, **kwargs):
        slug = text(row.get("slug"))
        found = self.get_queryset().filter(slug=slug).first() if slug else None
        if found is None:
            found = self.same_source(row)
            if found is not None:
                row["slug"] = found.slug
            elif not slug:
                title, year = text(row.get("title")), self.year(row)
                row["slug"] = unique_slug(f"{title} {year or ''}", Source) if title else ""
        # The source this row names is known now: get_instance need not look again.
        self._row_source = (text(row.get("slug")), found)

    def get_instance(self, instance_loader, row):
        slug, found = self.__dict__.pop("_row_source", (None, None))
        if slug is not None and slug == text(row.get("slug")):
            return found
        return super().get_instance(instance_loader, row)

    @staticmethod
    def year(row):
        bounds = dates.bounds_or_none(text(row.get("date")))
        return bounds.lower.year if bounds.lower else None

    def same_source(self, row):
        """The source already recorded that this row describes, if any."""
        doi = normalise_doi(text(row.get("doi")))
        if doi:
            found = Source.objects.filter(doi__iexact=doi).first()
            if found:
                return found
        isbn = normalise_isbn(text(row.get("isbn")))
        if isbn:
            found = Source.objects.filter(isbn__in={isbn, text(row.get("isbn"))}).first()
            if found:
                return found
        title, year = text(row.get("title")), self.year(row)
        if title and year:
            return Source.objects.filter(title__iexact=title, date_lower__year=year).first()
        return None

    def import_instance(self, source, row, **kwargs):
        if "doi" in row:
            row["doi"] = normalise_doi(text(row["doi"]))
        super().import_instance(source, row, **kwargs)

    def agents_named(self, who):
        # One look-up per name and import: a library names the same people often. Only
        # matches are kept, so a person added by an earlier row is found by later ones.
        known = self.__dict__.setdefault("_agents_named", {})
        if who not in known:
            found = agents_named(who)
            if not found:
                return found
            known[who] = found
        return known[who]

    def dehydrate_creators(self, source):
        if source.pk is None:
            return ""
        return "; ".join(
            f"{role.agent.slug} ({role.role})"
            for role in source.creator_roles.select_related("agent")
        )

    def read_extra_columns(self, source, row):
        if "creators" not in row:
            return {}
        creators, problems, roles = (
            [],
            [],
            dict((label.lower(), value) for value, label in SourceCreator.Role.choices),
        )
        roles.update({value: value for value in SourceCreator.Role.values})
        for entry in split_list(row["creators"]):
            match = CREATOR_PATTERN.match(entry)
            who, role = match["who"].strip(), (match["role"] or "author").strip().lower()
            if role not in roles:
                problems.append(
                    f"“{role}” is not a role; write one of: {', '.join(SourceCreator.Role.values)}."
                )
                continue
            agents = self.agents_named(who)
            if len(agents) > 1:
                slugs = ", ".join(agent.slug for agent in agents)
                problems.append(f"“{who}” names more than one agent ({slugs}): write the slug.")
                continue
            creator = agents[0] if agents else None
            if any(c == (creator, roles[role]) for c in creators if creator is not None):
                continue
            creators.append((creator or who, roles[role]))
        source._creators = creators
        if problems:
            return {"creators": ValidationError(" ".join(problems))}
        return {}

    def skip_row(self, source, original, row, import_validation_errors=None):
        wanted = getattr(source, "_creators", None)
        if wanted is not None:
            if any(isinstance(agent, str) for agent, _ in wanted):
                return False  # someone new to add
            have = (
                []
                if source.pk is None
                else list(source.creator_roles.values_list("agent_id", "role"))
            )
            if have != [(agent.pk, role) for agent, role in wanted]:
                return False
        return super().skip_row(source, original, row, import_validation_errors)

    def before_save_instance(self, source, row, **kwargs):
        source._is_new = source.pk is None

    def after_save_instance(self, source, row, **kwargs):
        wanted = getattr(source, "_creators", None)
        if wanted is None:
            return
        pairs = []
        for agent, role in wanted:
            if isinstance(agent, str):
                agent = person_from_name(agent)
                agent.save()
            pairs.append((agent, role))
        if source._is_new:
            # Nothing to compare with: the common case of an import, in fewer queries.
            for position, (agent, role) in enumerate(pairs):
                SourceCreator.objects.create(
                    source=source, agent=agent, role=role, position=position
                )
            return
        keep = Q(pk__in=[])
        for agent, role in pairs:
            keep |= Q(agent=agent, role=role)
        source.creator_roles.exclude(keep).delete()
        for position, (agent, role) in enumerate(pairs):
            SourceCreator.objects.update_or_create(
                source=source, agent=agent, role=role, defaults={"position": position}
            )


def normalise_doi(doi):
    """ "https://doi.org/10.1000/X" and "doi:10.1000/X" are the DOI 10.1000/X."""
    doi = re.sub(r"^(https?://(dx\.)?doi\.org/|doi:\s*)", "", doi.strip(), flags=re.I)
    return doi


def normalise_isbn(isbn):
    return re.sub(r"[^0-9Xx]", "", isbn).upper()


class CitationResource(CuratedResource):
    citing = Field(
        attribute="citing", column_name="citing", widget=SlugWidget(Source, noun="source")
    )
    cited = Field(attribute="cited", column_name="cited", widget=SlugWidget(Source, noun="source"))
    kind = choice_field("kind", Citation.Kind.choices, blank=Citation.Kind.CITES)
    locator = text_field("locator")
    note = text_field("note")

    required_columns = ("citing", "cited")

    class Meta:
        model = Citation
        name = "Citations"
        import_id_fields = ["citing", "cited"]
        fields = ["citing", "cited", "kind", "locator", "note"]


class CustodyEventResource(CuratedResource):
    source = Field(
        attribute="source", column_name="source", widget=SlugWidget(Source, noun="source")
    )
    kind = choice_field("kind", CustodyEvent.Kind.choices)
    date = edtf_field()
    agents = Field(
        attribute="agents", column_name="agents", widget=SlugsWidget(Agent, noun="agent")
    )
    event = Field(attribute="event", column_name="event", widget=SlugWidget(Event, noun="event"))
    documented_in = Field(
        attribute="documented_in",
        column_name="documented_in",
        widget=SlugWidget(Source, noun="source"),
    )
    reference = text_field("reference")
    note = text_field("note")

    required_columns = ("source", "kind", "date")

    class Meta:
        model = CustodyEvent
        name = "Custody events"
        import_id_fields = ["source", "kind", "date"]
        fields = ["source", "kind", "date", "agents", "event", "documented_in", "reference", "note"]
