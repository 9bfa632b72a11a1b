"""Recompute the stored strength assessment of every claim."""

import sys
import time

from django.core.management.base import BaseCommand

from claims import assessment
from claims.models import Claim
from claims.public_figures import public_figures_store


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
            "--batch-size",
            type=int,
            default=1000,
            help="Claims read, assessed and written together, per transaction (default 1000).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=1,
            help=(
                "Processes to assess in (PostgreSQL only; default 1). The assessment is "
                "CPU-bound: use the number of cores for a large archive."
            ),
        )

    def handle(self, *args, slugs, dry_run, batch_size, jobs, **options):
        if batch_size < 1 or jobs < 1:
            self.stderr.write(self.style.ERROR("--batch-size and --jobs must be at least 1."))
            sys.exit(2)
        claims = Claim.objects.order_by("pk")
        if slugs:
            claims = claims.filter(slug__in=slugs)
            missing = set(slugs) - set(claims.values_list("slug", flat=True))
            if missing:
                self.stderr.write(
                    self.style.ERROR(f"No claim with the slug: {', '.join(sorted(missing))}.")
                )
                sys.exit(2)
        started = time.monotonic()
        ids = list(claims.values_list("pk", flat=True))
        changes = assessment.claims_assess(
            ids,
            batch_size=batch_size,
            dry_run=dry_run,
            jobs=jobs,
            on_batch=lambda done, total: self.stderr.write(
                f"\r{done}/{total} claims assessed", ending=""
            ),
        )
        if ids:
            self.stderr.write("")
        if not dry_run and not slugs:
            assessment.settle_claims_table()  # every claim row was rewritten
        if not dry_run:
            public_figures_store()
        for change in changes:
            self.stdout.write(f"{change.slug}: {change.before} → {change.after}")
        verb = "would change" if dry_run else "changed"
        self.stdout.write(
            self.style.SUCCESS(
                f"{len(ids)} claims assessed; {len(changes)} {verb} "
                f"({time.monotonic() - started:.1f} s)."
            )
        )
