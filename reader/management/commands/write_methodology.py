"""Write docs/methodology.md from the strength module, as the methodology page shows it."""

from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand
from django.template.loader import render_to_string

from reader.views.claims import methodology_context

DEFAULT_PATH = Path(settings.BASE_DIR) / "docs" / "methodology.md"


def render_methodology():
    """The Markdown text of docs/methodology.md, from the same data as /methodology/."""
    text = render_to_string("reader/methodology.md", methodology_context())
    return text.strip() + "\n"


class Command(BaseCommand):
    help = (
        "Write docs/methodology.md from claims/strength.py, so the document says what the "
        "code does. With --check, only report whether the file is up to date."
    )

    def add_arguments(self, parser):
        parser.add_argument("--path", type=Path, default=DEFAULT_PATH, help="Where to write.")
        parser.add_argument(
            "--check",
            action="store_true",
            help="Write nothing; exit with status 1 when the file is out of date.",
        )

    def handle(self, *args, path, check, **options):
        text = render_methodology()
        current = path.read_text(encoding="utf-8") if path.exists() else None
        if check:
            if current != text:
                self.stderr.write(self.style.ERROR(f"{path} is out of date."))
                raise SystemExit(1)
            self.stdout.write(self.style.SUCCESS(f"{path} is up to date."))
            return
        if current == text:
            self.stdout.write(self.style.SUCCESS(f"{path} was already up to date."))
            return
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        self.stdout.write(self.style.SUCCESS(f"Wrote {path}."))
