"""Rebuild the search's FTS5 index on SQLite from the records (reader/search_index.py)."""

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import DEFAULT_DB_ALIAS, connections, transaction

from reader import search_index


class Command(BaseCommand):
    help = (
        "Rebuild the search index on SQLite from the claims, sources and people, and put "
        "back any of its triggers that a migration dropped. Triggers keep the index in "
        "step with every write, so this is for an index that was written around them. "
        "PostgreSQL keeps its search documents itself and needs nothing."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--database", default=DEFAULT_DB_ALIAS, help="Which database (default: default)."
        )
        parser.add_argument(
            "--dry-run",
            action="store_true",
            help="Report how many records each table of the index would hold; write nothing.",
        )

    def handle(self, *args, database, dry_run, **options):
        connection = connections[database]
        if connection.vendor != "sqlite":
            self.stdout.write(
                f"The {connection.vendor} database keeps its search documents itself "
                "(generated columns and triggers): there is no index to rebuild."
            )
            return
        with connection.cursor() as cursor:
            if not search_index.index_installed(cursor):
                raise CommandError(
                    "This database has no search index yet: run `manage.py migrate` first."
                )
            if dry_run:
                for document in search_index.DOCUMENTS:
                    cursor.execute(f"SELECT count(*) FROM {document.table}")
                    self.stdout.write(f"  {document.name}: {cursor.fetchone()[0]:,} rows")
                self.stdout.write(self.style.SUCCESS("Dry run: nothing written."))
                return
            started = time.monotonic()
            with transaction.atomic(using=database):
                restored = search_index.triggers_restore(cursor)
                written = search_index.index_rebuild(cursor)
        for name, count in written.items():
            self.stdout.write(f"  {name}: {count:,} rows")
        if restored:
            self.stdout.write(f"  restored {len(restored)} triggers: {', '.join(restored)}")
        self.stdout.write(
            self.style.SUCCESS(f"Rebuilt the search index in {time.monotonic() - started:.1f} s.")
        )
