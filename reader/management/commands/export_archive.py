"""Write the whole public archive as open data and publish it as the download."""

import tempfile
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.template.defaultfilters import filesizeformat

from reader import archive, cache


class Command(BaseCommand):
    help = (
        "Write every public record as CSV and JSON Lines, one file per table, with a "
        "Frictionless datapackage.json and a zip of them all, into DIRECTORY (a temporary "
        "one if none is given), and publish the zip as the download at "
        "/download/corroborate-archive.zip, replacing the previous one. Only what is "
        "public goes in (claims/visibility.py). Run it after loading data and on a "
        "schedule (docs/deployment.md)."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "directory", nargs="?", type=Path, help="Where to write the files and the zip."
        )
        parser.add_argument(
            "--no-publish",
            action="store_true",
            help="Write the files and the zip only; leave the published download as it is.",
        )

    def handle(self, *args, directory, no_publish, **options):
        if directory is not None and directory.exists() and not directory.is_dir():
            raise CommandError(f"{directory} is a file, not a directory.")
        if directory is None and no_publish:
            raise CommandError("Give a directory with --no-publish: nothing would be kept.")
        with tempfile.TemporaryDirectory() as scratch:
            try:
                written = archive.write_archive(directory or Path(scratch))
                archive.zip_archive(written)
            except OSError as error:
                raise CommandError(f"Could not write the archive: {error}") from None
            rows = ", ".join(f"{count} {name}" for name, count in written.rows.items())
            self.stdout.write(f"Wrote {rows}.")
            if directory is not None:
                self.stdout.write(f"Files and zip in {written.directory}.")
            if not no_publish:
                name = archive.publish(written)
                # The download page says when the file was made and how large it is.
                cache.changed({})
                size = filesizeformat(written.zip_path.stat().st_size)
                self.stdout.write(self.style.SUCCESS(f"Published the download ({size}): {name}"))
            else:
                self.stdout.write(self.style.SUCCESS("Written; the download was left as it was."))
