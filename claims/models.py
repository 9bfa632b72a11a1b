"""What is asserted and how evidence bears on it: claims, topics, evidence items and
their presentations, and the moves of each claim through the workflow (see
claims/workflow.py). The claim stores its current strength assessment (see
claims/strength.py for the method and claims/assessment.py for when it is recomputed).
"""

import reversion
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxLengthValidator
from django.db import models
from django.db.models.functions import Now
from django.urls import reverse
from django.utils import timezone

from claims import strength
from provenance import dates
from provenance.links import slug_url
from provenance.models import Agent, DatedModel, Event, SlugNaturalKeyManager, Source

QUOTATION_MAX_LENGTH = 5000


@reversion.register()
class Topic(models.Model):
    """A subject for browsing, optionally under a broader one (Korean War under Cold War)."""

    slug = models.SlugField(max_length=120, unique=True)
    name = models.CharField(max_length=200)
    parent = models.ForeignKey(
        "self", on_delete=models.PROTECT, null=True, blank=True, related_name="children"
    )
    description = models.TextField(blank=True)

    objects = SlugNaturalKeyManager()

    class Meta:
        ordering = ["name"]

    def __str__(self):
        return self.name

    def get_absolute_url(self):
        return reverse("claims:list") + f"?topic={self.slug}"

    def natural_key(self):
        return (self.slug,)

    def clean(self):
        ancestor = self.parent
        while ancestor is not None:
            if ancestor.pk == self.pk:
                raise ValidationError({"parent": "A topic cannot sit under itself."})
            ancestor = ancestor.parent


class ClaimQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Claim.Status.PUBLISHED)

    def get_by_natural_key(self, slug):
        return self.get(slug=slug)


@reversion.register(
    follow=["evidence", "transitions", "corrections"], exclude=["assessment_detail"]
)
class Claim(DatedModel):
    """A statement that can be true or false, with the stored assessment of the
    evidence for it."""

    class Status(models.TextChoices):
        DRAFT = "draft", "Draft"
        IN_REVIEW = "in_review", "In review"
        PUBLISHED = "published", "Published"

    class Level(models.TextChoices):
        # The values and words are the strength module's (claims.strength.Level): the
        # badge on public pages and the admin's choices read the same.
        ESTABLISHED = strength.Level.ESTABLISHED.value, strength.Level.ESTABLISHED.label
        STRONG = strength.Level.STRONG.value, strength.Level.STRONG.label
        MODERATE = strength.Level.MODERATE.value, strength.Level.MODERATE.label
        WEAK = strength.Level.WEAK.value, strength.Level.WEAK.label
        CONTESTED = strength.Level.CONTESTED.value, strength.Level.CONTESTED.label
        CONTRADICTED = strength.Level.CONTRADICTED.value, strength.Level.CONTRADICTED.label
        NONE = strength.Level.NONE.value, strength.Level.NONE.label

    slug = models.SlugField(
        max_length=160,
        unique=True,
        help_text="Short name used in the claim's address, e.g. stalin-approved-invasion.",
    )
    statement = models.CharField(
        max_length=500,
        help_text=(
            "One sentence that can be true or false: 'Stalin approved North Korea's attack on "
            "South Korea before June 1950.'"
        ),
    )
    summary = models.TextField(
        blank=True, help_text="A short paragraph for readers: the question and why it matters."
    )
    subjects = models.ManyToManyField(
        Agent, blank=True, related_name="claims_about", help_text="Who the claim is about."
    )
    topics = models.ManyToManyField(Topic, blank=True, related_name="claims")
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    featured = models.BooleanField(default=False, help_text="Show on the home page.")
    curator_note = models.TextField(
        blank=True, help_text="Shown to readers under the assessment, signed by the editors."
    )

    strength_level = models.CharField(
        max_length=20, choices=Level.choices, default=Level.NONE, editable=False
    )
    strength_rank = models.SmallIntegerField(default=0, editable=False)
    support_score = models.FloatField(default=0.0, editable=False)
    contradiction_score = models.FloatField(default=0.0, editable=False)
    assessed_at = models.DateTimeField(null=True, blank=True, editable=False)
    # Today's strength timeline and what-if, as claims.assessment.claims_assess stores
    # them, with the key of the facts they were worked out from: a stale key means
    # they are worked out again on the next read. Not kept in the history.
    assessment_detail = models.JSONField(null=True, blank=True, editable=False)

    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True, db_default=Now())
    updated_at = models.DateTimeField(auto_now=True, db_index=True, db_default=Now())

    objects = ClaimQuerySet.as_manager()

    class Meta:
        ordering = ["statement"]
        permissions = [("publish_claim", "Can publish and unpublish claims")]
        indexes = [
            models.Index(fields=["status", "strength_rank"], name="claims_claim_status_strength"),
            models.Index(fields=["status", "updated_at"], name="claims_claim_status_updated"),
            models.Index(fields=["status", "date_lower"], name="claims_claim_status_date"),
            # The admin's claim list, in the model's order (and newest first among
            # claims stated alike): its first page without sorting every claim.
            models.Index(fields=["statement", "-id"], name="claims_claim_statement_order"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(support_score__gte=0, support_score__lte=1),
                name="claims_claim_support_in_unit_range",
            ),
            models.CheckConstraint(
                condition=models.Q(contradiction_score__gte=0, contradiction_score__lte=1),
                name="claims_claim_contradiction_in_unit_range",
            ),
        ]

    def __str__(self):
        return self.statement

    def get_absolute_url(self):
        return slug_url("claims:detail", self.slug)

    def natural_key(self):
        return (self.slug,)

    @property
    def is_public(self):
        return self.status == self.Status.PUBLISHED

    def unreviewed_change_refusal(self):
        """Why a tool that changes records in bulk (an import's undo) may not change this
        claim, or None: a published claim changes only through review (claims/review.py)."""
        if self.is_public:
            return (
                f"“{self}” is published: change it on the claim's page, where the change "
                "is reviewed or logged for readers with its reason."
            )
        return None


class EvidenceManager(models.Manager):
    def get_by_natural_key(self, claim_slug, source_slug):
        return self.get(claim__slug=claim_slug, source__slug=source_slug)


@reversion.register(follow=["presentations"])
class Evidence(models.Model):
    """How one source bears on one claim."""

    # The values and words are the strength module's, which writes them into the
    # weights it explains on claim pages.

    class Stance(models.TextChoices):
        SUPPORTS = strength.Stance.SUPPORTS.value, strength.Stance.SUPPORTS.words
        CONTRADICTS = strength.Stance.CONTRADICTS.value, strength.Stance.CONTRADICTS.words
        CONTEXT = strength.Stance.CONTEXT.value, strength.Stance.CONTEXT.words

    class Directness(models.TextChoices):
        DIRECT = strength.Directness.DIRECT.value, strength.Directness.DIRECT.words
        INDIRECT = strength.Directness.INDIRECT.value, strength.Directness.INDIRECT.words

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="evidence")
    source = models.ForeignKey(Source, on_delete=models.PROTECT, related_name="evidence")
    stance = models.CharField(
        max_length=20,
        choices=Stance.choices,
        help_text=(
            "Does the passage support the statement or contradict it? 'Context only': it helps "
            "to read the evidence but bears on neither side, and is shown but never counted."
        ),
    )
    directness = models.CharField(
        max_length=20,
        choices=Directness.choices,
        default=Directness.DIRECT,
        help_text="Does the source state the claim itself, or only something that points to it?",
    )
    quotation = models.TextField(
        blank=True,
        validators=[MaxLengthValidator(QUOTATION_MAX_LENGTH)],
        help_text="The relevant passage, quoted exactly.",
    )
    locator = models.CharField(
        max_length=200, blank=True, help_text="Where the passage is: page, folio, paragraph."
    )
    note = models.TextField("curator's note", blank=True)
    updated_at = models.DateTimeField(auto_now=True, db_default=Now())

    objects = EvidenceManager()

    class Meta:
        ordering = ["claim", "stance", "id"]
        verbose_name_plural = "evidence"
        constraints = [
            models.UniqueConstraint(
                fields=["claim", "source"], name="claims_evidence_unique_source"
            )
        ]

    def __str__(self):
        return f"{self.source} {self.get_stance_display().lower()} “{self.claim}”"

    def natural_key(self):
        return (self.claim.slug, self.source.slug)

    natural_key.dependencies = ["claims.claim", "provenance.source"]

    def unreviewed_change_refusal(self):
        return self.claim.unreviewed_change_refusal()


class PresentationManager(models.Manager):
    def get_by_natural_key(self, claim_slug, source_slug, date):
        return self.get(
            evidence__claim__slug=claim_slug, evidence__source__slug=source_slug, date=date
        )


@reversion.register()
class Presentation(DatedModel):
    """Who presented a piece of evidence, where and when, and where that was reported:
    Weathersby and Holloway presented the 1966 report at the CWIHP conference, reported
    by AP on 13 January 1993."""

    evidence = models.ForeignKey(Evidence, on_delete=models.CASCADE, related_name="presentations")
    presenters = models.ManyToManyField(
        Agent,
        related_name="presentations",
        help_text="Who made the evidence known: the historians who announced or published it.",
    )
    event = models.ForeignKey(
        Event, on_delete=models.PROTECT, null=True, blank=True, related_name="presentations"
    )
    reported_in = models.ForeignKey(
        Source,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="reported_presentations",
        help_text="The source that reported the presentation, e.g. the AP report.",
    )
    note = models.TextField(blank=True)

    objects = PresentationManager()

    class Meta:
        ordering = ["date_lower", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["evidence", "date"], name="claims_presentation_unique_date"
            )
        ]

    def __str__(self):
        where = f" at {self.event}" if self.event_id else ""
        return f"Presented{where}, {self.date_in_words or 'date unknown'}"

    def natural_key(self):
        return (*self.evidence.natural_key(), self.date)

    natural_key.dependencies = ["claims.evidence"]

    def clean(self):
        # On a new evidence item's form the item is not saved yet, but the inline form
        # has already linked this presentation to it.
        linked = self.evidence_id or Presentation.evidence.is_cached(self)
        source = self.evidence.source if linked and self.evidence.source_id else None
        if not (source and self.date):
            return
        mine, theirs = dates.bounds_or_none(self.date), dates.bounds_or_none(source.date)
        if mine.upper and theirs.lower and mine.upper < theirs.lower:
            raise ValidationError(
                {
                    "date": (
                        f"Presented {dates.describe(self.date)}, before the source existed "
                        f"({dates.describe(source.date)})."
                    )
                }
            )


@reversion.register()
class ClaimTransition(models.Model):
    """One move of a claim through the workflow (claims/workflow.py): from where to where,
    who moved it, when and why. Written only by the workflow; never edited."""

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="transitions")
    from_status = models.CharField(max_length=20, choices=Claim.Status.choices)
    to_status = models.CharField(max_length=20, choices=Claim.Status.choices)
    # PROTECT: who moved a claim stays on record; deactivate an account, don't delete it.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="claim_transitions"
    )
    at = models.DateTimeField(default=timezone.now, db_index=True)
    reason = models.TextField(blank=True)

    class Meta:
        ordering = ["claim", "at", "id"]
        verbose_name = "workflow move"
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(from_status=models.F("to_status")),
                name="claims_claimtransition_changes_status",
            ),
            models.CheckConstraint(
                condition=~models.Q(to_status="draft") | ~models.Q(reason=""),
                name="claims_claimtransition_reason_for_draft",
            ),
        ]

    def __str__(self):
        return (
            f"{self.get_from_status_display()} → {self.get_to_status_display()} "
            f"by {self.by}, {self.at:%Y-%m-%d %H:%M}"
        )


class PublicFigure(models.Model):
    """One of the home page's counts of what is public (published claims, and the
    sources, people and events behind them), as last counted.

    Counting them goes over the whole archive, so readers never count: the writes
    that can change them store them again (claims/public_figures.py), and the home
    page reads them (`reader.selectors.public_counts`).
    """

    name = models.CharField(max_length=20, primary_key=True)
    value = models.PositiveIntegerField()
    counted_at = models.DateTimeField()

    def __str__(self):
        return f"{self.name}: {self.value} (counted {self.counted_at:%Y-%m-%d %H:%M})"


class AssessmentMethod(models.Model):
    """The version of the strength method (a hash of claims/strength.py) that the stored
    assessments were worked out by. `migrate` compares it with the code's and, when
    they differ, recomputes every claim (claims/signals.py), so a deployment that
    changes the method never leaves old verdicts on the site."""

    key = models.CharField(max_length=64)
    assessed_at = models.DateTimeField()

    def __str__(self):
        return f"method {self.key}, claims assessed {self.assessed_at:%Y-%m-%d %H:%M}"


# The proposal an entry approved is left out: it goes with a deleted claim, and a
# recovered claim gets its log back without it.
@reversion.register(exclude=["change"])
class Correction(models.Model):
    """One entry of a published claim's public log of corrections and updates: what
    kind of change, when, and why in a line, as the IFCN Code of Principles asks.
    Written by claims/review.py when an editor's change or an approved proposal alters
    a published claim, and when new evidence changes its verdict; never edited."""

    class Kind(models.TextChoices):
        CORRECTION = "correction", "Correction"
        UPDATE = "update", "Update"
        VERDICT = "verdict", "Verdict changed"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="corrections")
    at = models.DateTimeField(default=timezone.now)
    kind = models.CharField(max_length=20, choices=Kind.choices)
    reason = models.CharField(max_length=300)
    # The verdict before and after, where the change moved it.
    level_before = models.CharField(max_length=20, choices=Claim.Level.choices, blank=True)
    level_after = models.CharField(max_length=20, choices=Claim.Level.choices, blank=True)
    # Who made or approved it; empty where new evidence on a source changed the verdict.
    by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="claim_corrections",
    )
    change = models.ForeignKey(
        "PendingChange",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="corrections",
        help_text="The curator's proposal this entry approved, if any.",
    )

    class Meta:
        ordering = ["claim", "at", "id"]
        indexes = [models.Index(fields=["claim", "at"], name="claims_correction_claim_at")]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(reason=""), name="claims_correction_has_reason"
            )
        ]

    def __str__(self):
        return f"{self.get_kind_display()} of “{self.claim}”, {self.at:%Y-%m-%d}: {self.reason}"

    @property
    def at_second(self):
        """When, to the second, as readers and programs are told: a backup's JSON keeps
        milliseconds only, and a recovered or restored log must read the same."""
        return self.at.replace(microsecond=0)

    @property
    def verdict_changed(self):
        return bool(
            self.level_before and self.level_after and self.level_before != self.level_after
        )

    @property
    def verdict_words(self):
        """The change of verdict in a sentence, as the claim's page and feed give it, or
        "" where the verdict did not move."""
        if not self.verdict_changed:
            return ""
        return (
            f"The verdict changed from {self.get_level_before_display()} to "
            f"{self.get_level_after_display()}."
        )


class PendingChange(models.Model):
    """A curator's change to a published claim or its evidence, held for an editor's
    review (claims/review.py). `proposed` holds only what changes, `base` what the
    claim and its evidence said when it was proposed: the public page keeps showing
    the published version, and approving a proposal made against a claim that has
    changed since is refused."""

    class Status(models.TextChoices):
        PENDING = "pending", "Waiting for review"
        APPROVED = "approved", "Approved"
        REJECTED = "rejected", "Rejected"

    claim = models.ForeignKey(Claim, on_delete=models.CASCADE, related_name="pending_changes")
    proposed = models.JSONField()
    base = models.JSONField()
    kind = models.CharField(
        max_length=20, choices=Correction.Kind.choices[:2], default=Correction.Kind.CORRECTION
    )
    reason = models.CharField(max_length=300)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.PENDING)
    proposed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="proposed_changes"
    )
    proposed_at = models.DateTimeField(default=timezone.now)
    decided_by = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="decided_changes",
    )
    decided_at = models.DateTimeField(null=True, blank=True)
    decision_note = models.TextField(blank=True)

    class Meta:
        ordering = ["proposed_at", "id"]
        indexes = [
            models.Index(fields=["status", "proposed_at"], name="claims_pendingchange_queue")
        ]
        constraints = [
            # One proposal at a time per claim: a second would be made against a
            # version the first is about to replace.
            models.UniqueConstraint(
                fields=["claim"],
                condition=models.Q(status="pending"),
                name="claims_pendingchange_one_open_per_claim",
            )
        ]

    def __str__(self):
        return (
            f"Change to “{self.claim}” proposed by {self.proposed_by}, "
            f"{self.proposed_at:%Y-%m-%d %H:%M} ({self.get_status_display().lower()})"
        )
