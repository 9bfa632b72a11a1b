"""The one-command demo: what a demonstrator runs first."""

import io

import pytest
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
