"""Recompute the stored strength assessment of every claim."""

import sys

from django.core.management.base import BaseCommand
from django.db import transaction

from claims import services
from claims.models import Claim


class Command(BaseCommand):
    help = (
        "Recompute the stored strength assessment of every claim (or of the claims named "
        "by slug). With --dry-run, report what would change and write nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument("slugs", nargs="*", help="Only these claims (by slug).")
        parser.add_argument(
            "--dry-run", action="store_true", help="Report what would change; write nothing."
        )
        parser.add_argument(
            "--batch-size", type=int, default=500, help="Claims per transaction (default 500)."
        )

    def handle(self, *args, slugs, dry_run, batch_size, **options):
        claims = Claim.objects.order_by("pk")
        if slugs:
            claims = claims.filter(slug__in=slugs)
            missing = set(slugs) - set(claims.values_list("slug", flat=True))
            if missing:
                self.stderr.write(
                    self.style.ERROR(f"No claim with the slug: {', '.join(sorted(missing))}.")
                )
                sys.exit(2)
        total = claims.count()
        changes, done = [], 0
        ids = list(claims.values_list("pk", flat=True))
        for start in range(0, total, batch_size):
            batch = Claim.objects.filter(pk__in=ids[start : start + batch_size]).order_by("pk")
            with transaction.atomic():
                for claim in batch:
                    assessment = services.claim_assess(claim=claim, save=False)
                    before = claim.strength_level
                    if (
                        before != assessment.level.value
                        or abs(claim.support_score - assessment.support) > 1e-9
                        or abs(claim.contradiction_score - assessment.contradiction) > 1e-9
                    ):
                        changes.append((claim.slug, before, assessment.level.value))
                    if not dry_run:
                        services.claim_store_assessment(claim=claim, assessment=assessment)
                    done += 1
            self.stderr.write(f"\r{done}/{total} claims assessed", ending="")
        if total:
            self.stderr.write("")
        for slug, before, after in changes:
            self.stdout.write(f"{slug}: {before} → {after}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            self.style.SUCCESS(f"{total} claims assessed; {len(changes)} {verb}.")
        )
