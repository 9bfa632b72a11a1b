"""Keep every claim's stored assessment true to its evidence.

A claim is recomputed, inside the same transaction, whenever its evidence, a source
behind it, a custody event of such a source or a citation between such sources is
saved or deleted, from the admin or from code. Fixture loads (raw saves, where related
rows may not exist yet) are collected and recomputed once when the load commits. When
new findings about a source move a published claim's verdict, the claim's public log
says so (claims/review.py).
"""

from django.db import transaction
from django.db.models.signals import m2m_changed, post_delete, post_migrate, post_save
from django.dispatch import receiver
from django.utils import timezone

from claims import assessment, review
from claims.models import AssessmentMethod, Claim, Evidence, Presentation
from claims.public_figures import public_figures_recount_on_commit
from provenance.models import (
    Affiliation,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

_pending_raw_sources = set()
_pending_raw_claims = set()


def _reassess_after_raw_load():
    source_ids, claim_ids = set(_pending_raw_sources), set(_pending_raw_claims)
    _pending_raw_sources.clear()
    _pending_raw_claims.clear()
    if not (source_ids or claim_ids):
        return
    # Each batch commits on its own: a claim deleted since the load is skipped.
    affected = set(assessment.claims_of_sources(source_ids).values_list("claim_id", flat=True))
    assessment.claims_assess(sorted(claim_ids | affected))


def _defer_raw(*, source_id=None, claim_id=None):
    # A callback for every raw save: the first to run after the commit does the work
    # and the rest find nothing pending. Registering only once per batch would strand
    # the batch when a load rolls back and its callbacks are dropped.
    transaction.on_commit(_reassess_after_raw_load)
    if source_id:
        _pending_raw_sources.add(source_id)
    if claim_id:
        _pending_raw_claims.add(claim_id)


@receiver([post_save, post_delete], sender=Evidence, dispatch_uid="claims_reassess_evidence")
def reassess_claim_of_evidence(sender, instance, raw=False, **kwargs):
    if raw:
        _defer_raw(claim_id=instance.claim_id)
        return
    claim = Claim.objects.filter(pk=instance.claim_id).first()
    if claim is not None:
        assessment.claim_assess(claim=claim)


@receiver(post_save, sender=Source, dispatch_uid="claims_reassess_source")
def reassess_claims_of_source(sender, instance, raw=False, created=False, **kwargs):
    if created:
        return  # a new source bears on no claim yet
    if raw:
        _defer_raw(source_id=instance.pk)
        return
    review.verdict_changes_log(
        assessment.claims_assess_for_sources({instance.pk}),
        cause=f"The record of the source “{instance.title}” was revised.",
    )


@receiver([post_save, post_delete], sender=CustodyEvent, dispatch_uid="claims_reassess_custody")
def reassess_claims_of_custody_event(sender, instance, raw=False, created=None, **kwargs):
    if raw:
        _defer_raw(source_id=instance.source_id)
        return
    changes = assessment.claims_assess_for_sources({instance.source_id})
    if changes:
        title = Source.objects.filter(pk=instance.source_id).values_list("title", flat=True)
        what = f"{instance.get_kind_display().lower()}, {instance.date_in_words or 'undated'}"
        done = "withdrawn from" if created is None else "recorded in"
        review.verdict_changes_log(
            changes, cause=f"New finding {done} the record of “{title.first()}”: {what}."
        )


@receiver([post_save, post_delete], sender=Citation, dispatch_uid="claims_reassess_citation")
def reassess_claims_of_citation(sender, instance, raw=False, created=None, **kwargs):
    if raw:
        _defer_raw(source_id=instance.citing_id)
        return
    changes = assessment.claims_assess_for_sources({instance.citing_id})
    if changes:
        titles = dict(
            Source.objects.filter(pk__in=[instance.citing_id, instance.cited_id]).values_list(
                "pk", "title"
            )
        )
        citing, cited = titles.get(instance.citing_id), titles.get(instance.cited_id)
        done = "is no longer counted as deriving" if created is None else "was found to derive"
        review.verdict_changes_log(changes, cause=f"“{citing}” {done} from “{cited}”.")


# What is public changes with a claim's status, its evidence, presentations and
# subjects, and every other link claims/visibility.py follows: creators, citations,
# a source's archive, custody events with their agents and events, organisers,
# affiliations.
@receiver([post_save, post_delete], sender=Claim, dispatch_uid="claims_count_claim")
@receiver([post_save, post_delete], sender=Evidence, dispatch_uid="claims_count_evidence")
@receiver([post_save, post_delete], sender=Presentation, dispatch_uid="claims_count_presentation")
@receiver([post_save, post_delete], sender=SourceCreator, dispatch_uid="claims_count_creator")
@receiver([post_save, post_delete], sender=Citation, dispatch_uid="claims_count_citation")
@receiver([post_save, post_delete], sender=Source, dispatch_uid="claims_count_source")
@receiver([post_save, post_delete], sender=CustodyEvent, dispatch_uid="claims_count_custody")
@receiver([post_save, post_delete], sender=Affiliation, dispatch_uid="claims_count_affiliation")
def count_public_again(sender, **kwargs):
    public_figures_recount_on_commit()


@receiver(m2m_changed, sender=Claim.subjects.through, dispatch_uid="claims_count_subjects")
@receiver(
    m2m_changed, sender=Presentation.presenters.through, dispatch_uid="claims_count_presenters"
)
@receiver(
    m2m_changed, sender=CustodyEvent.agents.through, dispatch_uid="claims_count_custody_agents"
)
@receiver(m2m_changed, sender=Event.organisers.through, dispatch_uid="claims_count_organisers")
def count_public_again_after_links(sender, action, **kwargs):
    if action.startswith("post_"):
        public_figures_recount_on_commit()


@receiver(post_migrate, dispatch_uid="claims_reassess_when_the_method_changed")
def reassess_when_the_method_changed(sender, using="default", verbosity=1, stdout=None, **kwargs):
    """After `migrate`: if the stored assessments were worked out by another version
    of the strength method, recompute every claim with this one."""
    if sender.name != "claims":
        return
    stored = AssessmentMethod.objects.using(using).filter(pk=1).first()
    if stored is not None and stored.key == assessment.METHOD_KEY:
        return
    claim_ids = list(Claim.objects.using(using).order_by("pk").values_list("pk", flat=True))
    if claim_ids and verbosity and stdout is not None:
        stdout.write(f"The strength method changed: reassessing {len(claim_ids)} claims.\n")
    assessment.claims_assess(claim_ids)
    if claim_ids:
        assessment.settle_claims_table()  # every claim row was rewritten
    AssessmentMethod.objects.using(using).update_or_create(
        pk=1, defaults={"key": assessment.METHOD_KEY, "assessed_at": timezone.now()}
    )
