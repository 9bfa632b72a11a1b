"""The one-command demo: what a demonstrator runs first."""

import io
import re

import pytest
from django.contrib.auth import get_user_model
from django.core.management import CommandError, call_command

from claims.models import Claim

pytestmark = pytest.mark.django_db(transaction=True)


def test_the_demo_loads_the_claims_assessed_and_prints_both_accounts(settings):
    settings.DEBUG = True
    out = io.StringIO()

    call_command("demo", "--no-server", stdout=out)

    assert "Demo data loaded: 13 public claims." in out.getvalue()
    assert "user name: demo-curator  password: " in out.getvalue()
    assert "user name: demo-editor  password: " in out.getvalue()
    assert Claim.objects.get(slug="stalin-approved-invasion").strength_level == "established"


def test_the_demo_refuses_to_run_with_debug_off(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError, match="runs only with DEBUG on"):
        call_command("demo", "--no-server", stdout=io.StringIO())
    assert not Claim.objects.exists()


def printed_passwords(output):
    """{user name: password} as the demo printed them; accounts it left alone are absent."""
    return dict(re.findall(r"user name: (\S+)  password: (\S+)", output))


def test_running_the_demo_again_keeps_the_passwords_unless_told_to_reset_them(settings):
    settings.DEBUG = True
    first = io.StringIO()
    call_command("demo", "--no-server", stdout=first)
    passwords = printed_passwords(first.getvalue())
    assert set(passwords) == {"demo-curator", "demo-editor"}

    again = io.StringIO()
    call_command("demo", "--no-server", stdout=again)
    assert printed_passwords(again.getvalue()) == {}
    assert again.getvalue().count("password unchanged (--reset-passwords gives a new one)") == 2
    curator = get_user_model().objects.get(username="demo-curator")
    assert curator.check_password(passwords["demo-curator"])

    reset = io.StringIO()
    call_command("demo", "--no-server", "--reset-passwords", stdout=reset)
    new_passwords = printed_passwords(reset.getvalue())
    curator.refresh_from_db()
    assert not curator.check_password(passwords["demo-curator"])
    assert curator.check_password(new_passwords["demo-curator"])
