"""Import and export of claims and their evidence (django-import-export resources; see
intake/resources.py for what every import shares).

An imported claim enters as a draft: the status is not a column that can be imported
(the export shows it), and only the workflow (claims/workflow.py) moves a claim on.
Evidence names its claim and source by slug; each claim's strength is recomputed as its
evidence is saved, as for evidence entered by hand. A row that would change a published
claim or its evidence is refused: such a change is made on the claim's page, where it is
reviewed or logged for readers (claims/review.py). Unchanged rows of published claims,
as in a file exported and imported again, pass.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from import_export.fields import Field

from claims.models import Claim, Evidence, Topic
from intake.resources import CuratedResource, SlugsWidget, SlugWidget
from provenance.models import Agent, Source
from provenance.resources import choice_field, edtf_field, text_field


class PublishedClaimGuard:
    """Refuses a row that changes a published claim; called only for rows that change
    something (import-export skips unchanged rows before validating)."""

    def claim_of(self, instance):
        return instance

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        claim = self.claim_of(instance)
        refusal = claim.unreviewed_change_refusal() if claim and claim.pk else None
        if refusal:
            errors = dict(import_validation_errors or {})
            errors.setdefault(NON_FIELD_ERRORS, []).append(ValidationError(refusal))
            import_validation_errors = errors
        super().validate_instance(instance, import_validation_errors, validate_unique)


class ClaimResource(PublishedClaimGuard, CuratedResource):
    slug = text_field("slug")
    statement = text_field("statement")
    summary = text_field("summary")
    date = edtf_field()
    subjects = Field(
        attribute="subjects", column_name="subjects", widget=SlugsWidget(Agent, noun="agent")
    )
    topics = Field(
        attribute="topics", column_name="topics", widget=SlugsWidget(Topic, noun="topic")
    )
    curator_note = text_field("curator_note")
    status = Field(attribute="status", column_name="status", readonly=True)
    strength_level = Field(attribute="strength_level", column_name="strength", readonly=True)

    required_columns = ("slug", "statement")

    class Meta:
        model = Claim
        name = "Claims"
        import_id_fields = ["slug"]
        fields = [
            "slug", "statement", "summary", "date", "subjects", "topics", "curator_note",
            "status", "strength_level",
        ]  # fmt: skip

    def before_save_instance(self, claim, row, **kwargs):
        if claim.pk is None:
            claim.status = Claim.Status.DRAFT


class EvidenceResource(PublishedClaimGuard, CuratedResource):
    claim = Field(attribute="claim", column_name="claim", widget=SlugWidget(Claim, noun="claim"))
    source = Field(
        attribute="source", column_name="source", widget=SlugWidget(Source, noun="source")
    )
    stance = choice_field("stance", Evidence.Stance.choices)
    directness = choice_field(
        "directness", Evidence.Directness.choices, blank=Evidence.Directness.DIRECT
    )
    quotation = text_field("quotation")
    locator = text_field("locator")
    note = text_field("note")

    required_columns = ("claim", "source", "stance")

    class Meta:
        model = Evidence
        name = "Evidence"
        import_id_fields = ["claim", "source"]
        fields = ["claim", "source", "stance", "directness", "quotation", "locator", "note"]

    def claim_of(self, evidence):
        return evidence.claim if evidence.claim_id else None
