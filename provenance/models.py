"""Where evidence comes from: agents, events, sources, citations between sources and the
custody timeline of each source.

This app knows nothing of claims. Every model that the demo fixtures use has a natural
key (slugs, or the natural keys of its parents), so loading a fixture twice updates in
place instead of duplicating.

Every model is registered with django-reversion: a source's versions carry its creators,
citations and custody events, an agent's its other names and affiliations, so a deleted
one comes back whole.
"""

import datetime

import reversion
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.functions import Now

from provenance import dates
from provenance.links import slug_url
from provenance.words import ACCESS, AUTHENTICITY, CREDIBILITY, PROXIMITY, choice

EDTF_HELP = (
    "Write the date in EDTF: 1950-06-25, 1950-06, 1950, a range such as 1950-03/1950-04, "
    "about: 1958-08~, uncertain: 1950-05-13?, a decade: 195X."
)


class DatedModel(models.Model):
    """A record with an uncertain historical date: the EDTF text is what curators
    write; the lower and upper bounds are derived from it so lists can be sorted
    and filtered by date."""

    date = models.CharField(
        "date (EDTF)",
        max_length=64,
        blank=True,
        validators=[dates.validate_edtf],
        help_text=EDTF_HELP,
    )
    date_lower = models.DateField(null=True, blank=True, editable=False, db_index=True)
    date_upper = models.DateField(null=True, blank=True, editable=False, db_index=True)

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        self.fill_date_bounds()
        super().save(*args, **kwargs)

    def fill_date_bounds(self):
        self.date = (self.date or "").strip()
        bounds = dates.bounds_or_none(self.date)
        self.date_lower, self.date_upper = bounds.lower, bounds.upper

    @property
    def date_in_words(self):
        return dates.describe(self.date)


class SlugNaturalKeyManager(models.Manager):
    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


slug_field_help = "Short name used in the address of the public page, e.g. khrushchev-remembers."


@reversion.register(follow=["other_names", "affiliations"])
class Agent(DatedModel):
    """A person or an organisation: who made, held, presented or is the subject of
    evidence (PROV's agent)."""

    class Kind(models.TextChoices):
        PERSON = "person", "Person"
        ORGANISATION = "organisation", "Organisation"

    slug = models.SlugField(max_length=120, unique=True, help_text=slug_field_help)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.PERSON)
    name = models.CharField(max_length=200, help_text="The name as readers know it: Mao Zedong.")
    # The same date as every dated record's, but here it is a span of a life, which a
    # curator would not guess from "date".
    date = models.CharField(
        "dates of life or existence (EDTF)",
        max_length=64,
        blank=True,
        validators=[dates.validate_edtf],
        help_text=(
            "For a person, birth to death; for an organisation, founding to dissolution. "
            "Write them in EDTF: 1878/1953, 1893-12-26/1976-09-09, still living or still in "
            "existence: 1929/.., birth year uncertain: 1912?/1990. Leave blank if unknown."
        ),
    )
    sort_name = models.CharField(
        max_length=200,
        blank=True,
        help_text="How the name is alphabetised: 'Stalin, Joseph'. Left blank, the name is used.",
    )
    description = models.TextField(
        blank=True, help_text="One or two sentences: who they were, as relevant to the evidence."
    )
    wikidata_id = models.CharField(
        "Wikidata QID",
        max_length=20,
        blank=True,
        validators=[RegexValidator(r"^Q[1-9][0-9]*$", "A Wikidata QID looks like Q855.")],
    )
    viaf_id = models.CharField(
        "VIAF ID",
        max_length=30,
        blank=True,
        validators=[RegexValidator(r"^[0-9]+$", "A VIAF ID is a number, e.g. 101787139.")],
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["sort_name", "name"]
        indexes = [models.Index(fields=["sort_name", "name"], name="prov_agent_sort_name")]
        # The public pages' words; "agent" is PROV's, and no historian's.
        verbose_name = "person or organisation"
        verbose_name_plural = "people and organisations"

    def __str__(self):
        return self.name

    def save(self, *args, **kwargs):
        if not self.sort_name:
            self.sort_name = self.name
        super().save(*args, **kwargs)

    url_name = "provenance:agent"

    def get_absolute_url(self):
        return slug_url(self.url_name, self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_organisation(self):
        return self.kind == self.Kind.ORGANISATION


class AgentNameManager(models.Manager):
    def get_by_natural_key(self, agent_slug, name):
        return self.get(agent__slug=agent_slug, name=name)


@reversion.register()
class AgentName(models.Model):
    """Another name for an agent: a transliteration, a former or a short name. Search
    finds the agent by any of them ("Mao Tse-tung" finds Mao Zedong)."""

    class Kind(models.TextChoices):
        TRANSLITERATION = "transliteration", "Transliteration"
        ALTERNATIVE = "alternative", "Alternative name"
        ORIGINAL_SCRIPT = "original_script", "Name in original script"
        PSEUDONYM = "pseudonym", "Pseudonym or code name"

    agent = models.ForeignKey(
        Agent,
        on_delete=models.CASCADE,
        related_name="other_names",
        verbose_name="person or organisation",
    )
    name = models.CharField(max_length=200)
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.ALTERNATIVE)
    note = models.CharField(
        max_length=200, blank=True, help_text="E.g. 'Wade–Giles', 'Stalin's signature in cables'."
    )

    objects = AgentNameManager()

    class Meta:
        ordering = ["agent", "name"]
        constraints = [
            models.UniqueConstraint(fields=["agent", "name"], name="prov_agentname_unique_name")
        ]
        indexes = [models.Index(fields=["name"], name="prov_agentname_name")]
        verbose_name = "other name"
        verbose_name_plural = "other names of people and organisations"

    def __str__(self):
        return self.name

    def natural_key(self):
        return (*self.agent.natural_key(), self.name)

    natural_key.dependencies = ["provenance.agent"]


class AffiliationManager(models.Manager):
    def get_by_natural_key(self, agent_slug, organisation_slug, role):
        return self.get(agent__slug=agent_slug, organisation__slug=organisation_slug, role=role)


@reversion.register()
class Affiliation(DatedModel):
    """An agent's place in an organisation: Weathersby at Florida State University."""

    agent = models.ForeignKey(
        Agent,
        on_delete=models.CASCADE,
        related_name="affiliations",
        verbose_name="person or organisation",
    )
    organisation = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="members",
        limit_choices_to={"kind": Agent.Kind.ORGANISATION},
    )
    role = models.CharField(max_length=200, blank=True, help_text="E.g. 'historian', 'organiser'.")

    objects = AffiliationManager()

    class Meta:
        ordering = ["agent", "date_lower", "organisation"]
        constraints = [
            models.UniqueConstraint(
                fields=["agent", "organisation", "role"], name="prov_affiliation_unique_role"
            ),
            models.CheckConstraint(
                condition=~Q(agent=models.F("organisation")), name="prov_affiliation_not_self"
            ),
        ]

    def __str__(self):
        role = f" ({self.role})" if self.role else ""
        return f"{self.agent} — {self.organisation}{role}"

    def natural_key(self):
        return (self.agent.slug, self.organisation.slug, self.role)

    natural_key.dependencies = ["provenance.agent"]

    def clean(self):
        if self.organisation_id and self.organisation.kind != Agent.Kind.ORGANISATION:
            raise ValidationError({"organisation": "Choose an organisation, not a person."})
        if self.agent_id and self.agent_id == self.organisation_id:
            raise ValidationError(
                {"organisation": "A person or organisation cannot be affiliated with itself."}
            )


@reversion.register()
class Event(DatedModel):
    """A dated, placed happening where evidence was presented or made: the CWIHP
    conference in Moscow, 12–15 January 1993."""

    slug = models.SlugField(max_length=120, unique=True, help_text=slug_field_help)
    name = models.CharField(max_length=300)
    place = models.CharField(
        max_length=300, blank=True, help_text="E.g. 'Russian Academy of Sciences, Moscow'."
    )
    description = models.TextField(blank=True)
    organisers = models.ManyToManyField(Agent, blank=True, related_name="organised_events")
    url = models.URLField("web address", blank=True, max_length=500)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["date_lower", "name"]

    def __str__(self):
        return self.name

    url_name = "provenance:event"

    def get_absolute_url(self):
        return slug_url(self.url_name, self.slug)

    def natural_key(self):
        return (self.slug,)


@reversion.register(follow=["creator_roles", "citations_made", "custody_events"])
class Source(DatedModel):
    """A document or artefact that evidence is drawn from."""

    class Kind(models.TextChoices):
        TELEGRAM = "telegram", "Telegram or cable"
        LETTER = "letter", "Letter or correspondence"
        REPORT = "report", "Report"
        MEMORANDUM = "memorandum", "Memorandum"
        MINUTES = "minutes", "Minutes or record of conversation"
        TRANSCRIPT = "transcript", "Transcript"
        INTERCEPT = "intercept", "Intercept or signals report"
        DIARY = "diary", "Diary"
        RECORDING = "recording", "Audio or film recording"
        PHOTOGRAPH = "photograph", "Photograph"
        MEMOIR = "memoir", "Memoir"
        INTERVIEW = "interview", "Interview"
        BOOK = "book", "Book"
        ARTICLE = "article", "Article"
        FORENSIC_ANALYSIS = "forensic_analysis", "Expert or forensic analysis"
        NEWS_REPORT = "news_report", "News report"
        CONFERENCE_PAPER = "conference_paper", "Conference paper"
        DATASET = "dataset", "Dataset"
        OTHER = "other", "Other"

        @property
        def default_proximity(self):
            return KIND_PROXIMITY[self]

    # The words of these four are provenance/words.py's, which the strength method
    # writes into the weights it explains on claim pages.

    class Proximity(models.TextChoices):
        # The values are the strength module's (claims.strength.Proximity); a test
        # keeps the two in step.
        CONTEMPORANEOUS = choice("contemporaneous", PROXIMITY)
        EXAMINATION = choice("examination", PROXIMITY)
        OFFICIAL_RETROSPECTIVE = choice("official_retrospective", PROXIMITY)
        TESTIMONY = choice("testimony", PROXIMITY)
        SCHOLARLY = choice("scholarly", PROXIMITY)
        JOURNALISM = choice("journalism", PROXIMITY)

    class Access(models.TextChoices):
        PUBLISHED = choice("published", ACCESS)
        OPEN = choice("open", ACCESS)
        DECLASSIFIED = choice("declassified", ACCESS)
        CITED_ONLY = choice("cited_only", ACCESS)
        CLASSIFIED = choice("classified", ACCESS)
        LOST = choice("lost", ACCESS)

        @property
        def custody_kind(self):
            """The custody event by which a source comes to have this access."""
            return ACCESS_CUSTODY[self]

    class Authenticity(models.TextChoices):
        AUTHENTICATED = choice("authenticated", AUTHENTICITY)
        ACCEPTED = choice("accepted", AUTHENTICITY)
        UNASSESSED = choice("unassessed", AUTHENTICITY)
        DISPUTED = choice("disputed", AUTHENTICITY)
        DOUBTFUL = choice("doubtful", AUTHENTICITY)
        FORGED = choice("forged", AUTHENTICITY)

    class Credibility(models.TextChoices):
        # Whether what the source says is true, apart from whether it is genuine: a
        # genuine record can be mistaken, misread or retracted. The values are the
        # strength module's (claims.strength.Credibility); a test keeps them in step.
        CONFIRMED = choice("confirmed", CREDIBILITY)
        NOT_ASSESSED = choice("not_assessed", CREDIBILITY)
        UNCORROBORATED = choice("uncorroborated", CREDIBILITY)
        DOUBTFUL = choice("doubtful", CREDIBILITY)
        MISTAKEN = choice("mistaken", CREDIBILITY)
        RETRACTED = choice("retracted", CREDIBILITY)

    slug = models.SlugField(max_length=120, unique=True, help_text=slug_field_help)
    title = models.CharField(max_length=500)
    kind = models.CharField(
        max_length=20,
        choices=Kind.choices,
        help_text=(
            "What the document or artefact is. Its closeness to events follows from the kind "
            "unless you set it below."
        ),
    )
    proximity = models.CharField(
        "closeness to events",
        max_length=30,
        choices=Proximity.choices,
        blank=True,
        help_text=(
            "How close the source stands to what it describes. Left blank, it follows the kind: "
            "telegrams, minutes, memoranda and diaries are contemporaneous records; reports are "
            "official retrospective reports; memoirs and interviews are testimony; books, "
            "articles, papers and datasets scholarly work; news reports journalism."
        ),
    )
    creators = models.ManyToManyField(
        Agent, through="SourceCreator", related_name="created_sources", blank=True
    )
    language = models.CharField(
        max_length=60, blank=True, help_text="The language of the original, e.g. 'Russian'."
    )
    description = models.TextField(blank=True, help_text="What the source is and what it covers.")
    archive = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="held_sources",
        limit_choices_to={"kind": Agent.Kind.ORGANISATION},
        verbose_name="holding archive",
    )
    archival_reference = models.CharField(
        max_length=300,
        blank=True,
        help_text=(
            "Fond/opis/delo/list or the archive's own call number, e.g. f. 558, op. 11, d. 334."
        ),
    )
    access = models.CharField(
        "access now",
        max_length=20,
        choices=Access.choices,
        default=Access.PUBLISHED,
        help_text=(
            "Can a reader inspect it today? 'Cited only': described elsewhere but not available "
            "to inspect. Say since when beside it: the strength timeline counts a source from "
            "the date it became public. Earlier changes go in the custody timeline below."
        ),
    )
    authenticity = models.CharField(
        "authenticity now",
        max_length=20,
        choices=Authenticity.choices,
        default=Authenticity.ACCEPTED,
        help_text=(
            "Is it what it claims to be? Record when it was disputed, authenticated or exposed "
            "as custody events below, with the source that documents each finding."
        ),
    )
    credibility = models.CharField(
        "credibility of its content now",
        max_length=20,
        choices=Credibility.choices,
        default=Credibility.NOT_ASSESSED,
        help_text=(
            "Is what it says true, whether or not it is genuine? A genuine intercept can be "
            "misread, a genuine report mistaken. Record when this was judged as custody "
            "events below."
        ),
    )
    url = models.URLField("web address", blank=True, max_length=500)
    publication_details = models.CharField(
        max_length=500,
        blank=True,
        help_text="Publisher, place, journal, issue and pages, e.g. 'Boston: Little, Brown, 1970'.",
    )
    doi = models.CharField(
        "DOI",
        max_length=200,
        blank=True,
        validators=[RegexValidator(r"^10\.\d{4,9}/\S+$", "A DOI looks like 10.1000/xyz123.")],
    )
    isbn = models.CharField(
        "ISBN",
        max_length=20,
        blank=True,
        validators=[
            RegexValidator(
                r"^(97[89])?[0-9]{9}[0-9Xx]$|^[0-9-]{10,17}[0-9Xx]$",
                "An ISBN has 10 or 13 digits, e.g. 9780316831406.",
            )
        ],
    )
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["date_lower", "title"]
        indexes = [models.Index(fields=["kind"], name="prov_source_kind")]

    def __str__(self):
        return self.title

    url_name = "provenance:source"

    def get_absolute_url(self):
        return slug_url(self.url_name, self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def effective_proximity(self):
        if self.proximity:
            return self.Proximity(self.proximity)
        return self.Kind(self.kind).default_proximity

    def clean(self):
        bounds = dates.bounds_or_none(self.date)
        if bounds.lower and bounds.lower > datetime.date.today():
            raise ValidationError(
                {
                    "date": f"{dates.describe(self.date)} has not come yet: a source is made "
                    "before it can be recorded."
                }
            )


KIND_PROXIMITY = {
    Source.Kind.TELEGRAM: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.LETTER: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.MEMORANDUM: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.MINUTES: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.TRANSCRIPT: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.INTERCEPT: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.DIARY: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.RECORDING: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.PHOTOGRAPH: Source.Proximity.CONTEMPORANEOUS,
    Source.Kind.REPORT: Source.Proximity.OFFICIAL_RETROSPECTIVE,
    Source.Kind.MEMOIR: Source.Proximity.TESTIMONY,
    Source.Kind.INTERVIEW: Source.Proximity.TESTIMONY,
    Source.Kind.BOOK: Source.Proximity.SCHOLARLY,
    Source.Kind.ARTICLE: Source.Proximity.SCHOLARLY,
    Source.Kind.CONFERENCE_PAPER: Source.Proximity.SCHOLARLY,
    Source.Kind.DATASET: Source.Proximity.SCHOLARLY,
    Source.Kind.FORENSIC_ANALYSIS: Source.Proximity.EXAMINATION,
    Source.Kind.NEWS_REPORT: Source.Proximity.JOURNALISM,
    # Nothing is known of an unclassified kind: it weighs least until a curator says
    # how close it stands to the events.
    Source.Kind.OTHER: Source.Proximity.JOURNALISM,
}


class SourceCreatorManager(models.Manager):
    def get_by_natural_key(self, source_slug, agent_slug, role):
        return self.get(source__slug=source_slug, agent__slug=agent_slug, role=role)


@reversion.register()
class SourceCreator(models.Model):
    """Who made a source, and how: author, recipient, translator, editor, compiler."""

    class Role(models.TextChoices):
        AUTHOR = "author", "Author"
        SENDER = "sender", "Sender"
        RECIPIENT = "recipient", "Recipient"
        TRANSLATOR = "translator", "Translator"
        EDITOR = "editor", "Editor"
        COMPILER = "compiler", "Compiler"
        PUBLISHER = "publisher", "Publisher"

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="creator_roles")
    agent = models.ForeignKey(
        Agent,
        on_delete=models.PROTECT,
        related_name="source_roles",
        verbose_name="person or organisation",
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.AUTHOR)
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in the citation.")

    objects = SourceCreatorManager()

    class Meta:
        ordering = ["source", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "agent", "role"], name="prov_sourcecreator_unique_role"
            )
        ]
        verbose_name = "creator of a source"
        verbose_name_plural = "creators of sources"

    def __str__(self):
        return f"{self.agent} ({self.get_role_display().lower()})"

    def natural_key(self):
        return (self.source.slug, self.agent.slug, self.role)

    natural_key.dependencies = ["provenance.source", "provenance.agent"]


class CitationManager(models.Manager):
    def get_by_natural_key(self, citing_slug, cited_slug):
        return self.get(citing__slug=citing_slug, cited__slug=cited_slug)


@reversion.register()
class Citation(models.Model):
    """A directed link: the citing source derives from the cited one. The 1966 report
    summarises the Stalin–Kim telegrams. There are no cycles."""

    class Kind(models.TextChoices):
        QUOTES = "quotes", "quotes"
        SUMMARISES = "summarises", "summarises"
        TRANSLATES = "translates", "translates"
        COPIES = "copies", "copies"
        CITES = "cites", "cites"

    citing = models.ForeignKey(
        Source,
        on_delete=models.CASCADE,
        related_name="citations_made",
        help_text="The source that derives from the other.",
    )
    cited = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        related_name="citations_received",
        verbose_name="derives from",
        help_text="The source it quotes, summarises, translates, copies or cites.",
    )
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.CITES)
    locator = models.CharField(
        max_length=200, blank=True, help_text="Where in the citing source: page, paragraph."
    )
    note = models.TextField(blank=True)

    objects = CitationManager()

    class Meta:
        ordering = ["citing", "cited"]
        constraints = [
            models.UniqueConstraint(fields=["citing", "cited"], name="prov_citation_unique_pair"),
            models.CheckConstraint(
                condition=~Q(citing=models.F("cited")), name="prov_citation_not_self"
            ),
        ]

    def __str__(self):
        return f"{self.citing} {self.get_kind_display()} {self.cited}"

    def natural_key(self):
        return (self.citing.slug, self.cited.slug)

    natural_key.dependencies = ["provenance.source"]

    def clean(self):
        if not (self.citing_id and self.cited_id):
            return
        if self.citing_id == self.cited_id:
            raise ValidationError({"cited": "A source cannot derive from itself."})
        from provenance.graph import would_make_a_circle

        if would_make_a_circle(citing_id=self.citing_id, cited_id=self.cited_id):
            cited = Source.objects.get(pk=self.cited_id)
            raise ValidationError(
                {
                    "cited": (
                        f"This would make a circle: “{cited}” already derives, directly or "
                        f"through other sources, from “{Source.objects.get(pk=self.citing_id)}”."
                    )
                }
            )


class CustodyEventManager(models.Manager):
    def get_by_natural_key(self, source_slug, kind, date):
        return self.get(source__slug=source_slug, kind=kind, date=date)


@reversion.register()
class CustodyEvent(DatedModel):
    """One step in a source's provenance timeline: created, classified, declassified,
    published, authenticated… Access and authenticity events drive the strength
    timeline: a source counts as evidence from the date it became public."""

    class Kind(models.TextChoices):
        CREATED = "created", "Created"
        CLASSIFIED = "classified", "Classified"
        DECLASSIFIED = "declassified", "Declassified"
        DISCOVERED = "discovered", "Discovered or opened in an archive"
        CITED = "cited", "Described or cited elsewhere"
        PUBLISHED = "published", "Published"
        TRANSLATED = "translated", "Translated"
        PRESENTED = "presented", "Presented"
        AUTHENTICATED = "authenticated", "Authenticated"
        ACCEPTED = "accepted", "Accepted as genuine"
        DISPUTED = "disputed", "Disputed"
        DOUBTED = "doubted", "Doubted"
        EXPOSED_AS_FORGERY = "exposed_as_forgery", "Exposed as a forgery"
        CONTENT_CONFIRMED = "content_confirmed", "Content confirmed by independent evidence"
        CONTENT_UNCORROBORATED = "content_uncorroborated", "Content found uncorroborated"
        CONTENT_DOUBTED = "content_doubted", "Content doubted"
        SHOWN_MISTAKEN = "shown_mistaken", "Content shown mistaken or misread"
        RETRACTED = "retracted", "Retracted by its author"
        LOST = "lost", "Lost"

        @property
        def access(self):
            """The access a source has from this event on, or None."""
            return CUSTODY_ACCESS.get(self)

        @property
        def authenticity(self):
            """The authenticity a source has from this event on, or None."""
            return CUSTODY_AUTHENTICITY.get(self)

        @property
        def credibility(self):
            """The credibility of its content a source has from this event on, or None."""
            return CUSTODY_CREDIBILITY.get(self)

    source = models.ForeignKey(Source, on_delete=models.CASCADE, related_name="custody_events")
    kind = models.CharField(max_length=30, choices=Kind.choices)
    agents = models.ManyToManyField(
        Agent,
        blank=True,
        related_name="custody_events",
        verbose_name="people and organisations",
        help_text="Who did it: the archive that declassified it, the expert who examined it.",
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="custody_events"
    )
    note = models.TextField(blank=True, validators=[MaxLengthValidator(5000)])
    reference = models.CharField(
        max_length=500, blank=True, help_text="Where this is documented: a publication, a stamp."
    )
    documented_in = models.ForeignKey(
        "Source",
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="findings",
        verbose_name="finding documented in",
        help_text=(
            "For an authentication, exposure or judgement of content: the source that records "
            "the finding (a forensic report, a commission's findings, an archive's provenance "
            "check). Its title is named in the reasons readers see."
        ),
    )

    objects = CustodyEventManager()

    class Meta:
        ordering = ["source", "date_lower", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["source", "kind", "date"], name="prov_custodyevent_unique_kind_date"
            )
        ]

    def __str__(self):
        when = self.date_in_words or "date unknown"
        return f"{self.get_kind_display()}, {when}"

    @property
    def documented_in_title(self):
        """The title of the source that documents this finding, if one does."""
        return self.documented_in.title if self.documented_in_id else None

    def natural_key(self):
        return (self.source.slug, self.kind, self.date)

    natural_key.dependencies = ["provenance.source"]

    def clean(self):
        if self.documented_in_id and self.documented_in_id == self.source_id:
            raise ValidationError(
                {"documented_in": "A finding about a source is documented in another source."}
            )
        changes_status = any(self.kind in kinds for kinds in CUSTODY_STATUS)
        if changes_status and not self.date:
            raise ValidationError(
                {"date": "Give a date (even a year): the strength timeline needs it."}
            )
        # On a new source's form the source is not saved yet: it has no id, but the
        # inline form has already linked this event to it.
        linked = self.source_id or CustodyEvent.source.is_cached(self)
        source = self.source if linked else None
        if not (source and self.date and self.kind != self.Kind.CREATED):
            return
        mine = dates.bounds_or_none(self.date)
        theirs = dates.bounds_or_none(source.date)
        if mine.upper and theirs.lower and mine.upper < theirs.lower:
            raise ValidationError(
                {
                    "date": (
                        f"{self.get_kind_display()} {dates.describe(self.date)} is before the "
                        f"source was created ({dates.describe(source.date)})."
                    )
                }
            )


CUSTODY_ACCESS = {
    CustodyEvent.Kind.CLASSIFIED: Source.Access.CLASSIFIED,
    CustodyEvent.Kind.DECLASSIFIED: Source.Access.DECLASSIFIED,
    CustodyEvent.Kind.DISCOVERED: Source.Access.OPEN,
    CustodyEvent.Kind.CITED: Source.Access.CITED_ONLY,
    CustodyEvent.Kind.PUBLISHED: Source.Access.PUBLISHED,
    CustodyEvent.Kind.LOST: Source.Access.LOST,
}
ACCESS_CUSTODY = {access: kind for kind, access in CUSTODY_ACCESS.items()}
CUSTODY_AUTHENTICITY = {
    CustodyEvent.Kind.AUTHENTICATED: Source.Authenticity.AUTHENTICATED,
    CustodyEvent.Kind.ACCEPTED: Source.Authenticity.ACCEPTED,
    CustodyEvent.Kind.DISPUTED: Source.Authenticity.DISPUTED,
    CustodyEvent.Kind.DOUBTED: Source.Authenticity.DOUBTFUL,
    CustodyEvent.Kind.EXPOSED_AS_FORGERY: Source.Authenticity.FORGED,
}
CUSTODY_CREDIBILITY = {
    CustodyEvent.Kind.CONTENT_CONFIRMED: Source.Credibility.CONFIRMED,
    CustodyEvent.Kind.CONTENT_UNCORROBORATED: Source.Credibility.UNCORROBORATED,
    CustodyEvent.Kind.CONTENT_DOUBTED: Source.Credibility.DOUBTFUL,
    CustodyEvent.Kind.SHOWN_MISTAKEN: Source.Credibility.MISTAKEN,
    CustodyEvent.Kind.RETRACTED: Source.Credibility.RETRACTED,
}
# The custody events that change what the strength method reads of a source.
CUSTODY_STATUS = (CUSTODY_ACCESS, CUSTODY_AUTHENTICITY, CUSTODY_CREDIBILITY)
