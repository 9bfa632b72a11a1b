"""One command from nothing to a running demo."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import services
from claims.models import Claim

DEMO_USERNAME = "demo-curator"


class Command(BaseCommand):
    help = (
        "Set up and run the demo: migrate the database, load the demo fixtures, compute "
        "every claim's assessment, create a demo curator account (printing its password) "
        "and start the development server. Refuses to create the account when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-server", action="store_true", help="Prepare the database, then stop."
        )
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where to serve the demo."
        )

    def handle(self, *args, no_server, addrport, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo creates an account with a printed password, so it runs only with "
                "DEBUG on. Unset DEBUG (or set DEBUG=1) on a machine that is not public."
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        with transaction.atomic():
            call_command("loaddata", "demo", verbosity=0)
        # Fixture loads recompute on commit; recompute here too so the demo is right
        # whatever state the database was in.
        services.claims_reassess(Claim.objects.all())
        self.stdout.write(f"Demo data loaded: {Claim.objects.published().count()} public claims.")
        password = self.create_demo_curator()
        self.stdout.write(
            self.style.SUCCESS(
                f"Curator account for the admin at http://{addrport}/admin/ — "
                f"user name: {DEMO_USERNAME}  password: {password}"
            )
        )
        if no_server:
            return
        self.stdout.write(self.style.SUCCESS(f"Readers' pages at http://{addrport}/"))
        call_command("runserver", addrport, use_reloader=False)

    def create_demo_curator(self):
        password = secrets.token_urlsafe(12)
        user, _ = get_user_model().objects.get_or_create(username=DEMO_USERNAME)
        user.is_staff = True
        user.set_password(password)
        user.save()
        user.user_permissions.set(
            Permission.objects.filter(content_type__app_label__in=["claims", "provenance"])
        )
        return password
