import os
import time

from django.core.management.base import BaseCommand, CommandError

from benchmarks.generator import MAX_CLAIMS, PREFIX, archive_generate
from claims.models import Claim


class Command(BaseCommand):
    help = (
        "Generate a realistic synthetic archive of N claims (about 2.5 sources and 10 "
        "evidence items each, citation chains, custody timelines, presentations, people "
        "with other names, uncertain dates) for benchmarks, then compute every claim's "
        "assessment. Slugs start with 'gen-'; the same --seed gives the same archive."
    )

    def add_arguments(self, parser):
        parser.add_argument("--claims", type=int, required=True, help="How many claims.")
        parser.add_argument("--seed", type=int, default=1, help="Random seed (default 1).")
        parser.add_argument(
            "--batch-size",
            type=int,
            default=1000,
            help="Claims per batch and per transaction (default 1000).",
        )
        parser.add_argument(
            "--jobs",
            type=int,
            default=os.cpu_count() or 1,
            help="Processes for the assessments (PostgreSQL only; default: one per core).",
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Generate in memory and report the counts; write nothing.",
        )

    def handle(self, *args, claims, seed, batch_size, jobs, dry_run, **options):
        if not 1 <= claims <= MAX_CLAIMS:
            raise CommandError(f"--claims must be between 1 and {MAX_CLAIMS:,}; got {claims}.")
        if not 1 <= batch_size <= 100_000:
            raise CommandError(f"--batch-size must be between 1 and 100,000; got {batch_size}.")
        if jobs < 1:
            raise CommandError(f"--jobs must be at least 1; got {jobs}.")
        if Claim.objects.filter(slug__startswith=f"{PREFIX}claim-").exists():
            raise CommandError(
                "This database already holds a generated archive (claims whose slug starts "
                f"with '{PREFIX}claim-'). Generate into an empty database, or flush this one."
            )
        generated = archive_generate(
            claims=claims,
            seed=seed,
            batch_size=batch_size,
            jobs=jobs,
            dry_run=dry_run,
            on_progress=self._progress,
        )
        for label, count in sorted(generated.counts.items()):
            self.stdout.write(f"  {label}: {count:,}")
        seconds = generated.writing_seconds + generated.assessing_seconds
        self.stdout.write(
            self.style.SUCCESS(
                f"Generated archive: {'would create' if dry_run else 'created'} "
                f"{sum(generated.counts.values()):,} rows in {seconds:.1f} s."
            )
        )
        if not dry_run:
            self.stdout.write(
                f"Writing took {generated.writing_seconds:.1f} s; "
                f"assessing {generated.assessing_seconds:.1f} s."
            )

    def _progress(self, verb, done, total, started):
        elapsed = time.monotonic() - started
        rate = done / elapsed if elapsed else 0
        left = (total - done) / rate if rate else 0
        self.stderr.write(
            f"\r{done:,}/{total:,} claims {verb} ({done * 100 // total}%), "
            f"{elapsed:.0f} s, about {left:.0f} s left   ",
            ending="\n" if done >= total else "",
        )
        self.stderr.flush()
