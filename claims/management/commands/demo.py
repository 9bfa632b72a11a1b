"""One command from nothing to a running demo."""

import secrets

from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group, Permission
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from claims import assessment, roles
from claims.models import Claim

# One account per role, so a demonstrator can show both sides of the workflow.
DEMO_ACCOUNTS = {"demo-curator": roles.CURATORS, "demo-editor": roles.EDITORS}


class Command(BaseCommand):
    help = (
        "Set up and run the demo: migrate the database, load the demo fixtures, compute "
        "every claim's assessment, record a first version of every record (so history and "
        "recovery work from the start), write the whole-archive download, create a demo "
        "curator and a demo editor account (printing their passwords) and start the "
        "development server. Run again, it keeps "
        "the accounts' passwords (and everyone signed in stays signed in) unless given "
        "--reset-passwords. Refuses to create the accounts when DEBUG is off."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--no-server", action="store_true", help="Prepare the database, then stop."
        )
        parser.add_argument(
            "--reset-passwords",
            action="store_true",
            help="Give demo accounts that already exist new passwords (signing them out).",
        )
        parser.add_argument(
            "addrport", nargs="?", default="127.0.0.1:8000", help="Where to serve the demo."
        )

    def handle(self, *args, no_server, reset_passwords, addrport, **options):
        if not settings.DEBUG:
            raise CommandError(
                "The demo creates accounts with printed passwords, so it runs only with "
                "DEBUG on. Unset DEBUG (or set DEBUG=1) on a machine that is not public."
            )
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database migrated.")
        with transaction.atomic():
            call_command("loaddata", "demo", "casebook", verbosity=0)
        # Fixture loads recompute on commit; recompute here too so the demo is right
        # whatever state the database was in.
        assessment.claims_assess(Claim.objects.values_list("pk", flat=True))
        self.stdout.write(f"Demo data loaded: {Claim.objects.published().count()} public claims.")
        call_command(
            "createinitialrevisions", comment="Loaded from the demo fixtures.", verbosity=0
        )
        roles.roles_sync(group_model=Group, permission_model=Permission)
        call_command("export_archive", verbosity=0, stdout=self.stdout)
        for username, role in DEMO_ACCOUNTS.items():
            password = self.create_demo_account(username, role, reset_password=reset_passwords)
            said = (
                f"password: {password}"
                if password
                else "password unchanged (--reset-passwords gives a new one)"
            )
            self.stdout.write(
                self.style.SUCCESS(
                    f"{role[:-1]} account for the admin at http://{addrport}/admin/ — "
                    f"user name: {username}  {said}"
                )
            )
        if no_server:
            return
        self.stdout.write(self.style.SUCCESS(f"Readers' pages at http://{addrport}/"))
        call_command("runserver", addrport, use_reloader=False)

    def create_demo_account(self, username, role, *, reset_password):
        """The account's new password, or None where it kept its own: a new password
        changes the session hash, which signs out everyone using the account."""
        user, created = get_user_model().objects.get_or_create(username=username)
        password = None
        if created or reset_password or not user.has_usable_password():
            password = secrets.token_urlsafe(12)
            user.set_password(password)
        user.is_staff = True
        user.save()
        user.user_permissions.clear()
        user.groups.set([Group.objects.get(name=role)])
        return password
