"""Production settings pass `check --deploy`; production refuses to start without a
secret key; curator text is inert on every public page; the admin login locks after
repeated failures with a clear message; every response carries the security headers."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from claims import workflow
from claims.models import Claim, Evidence, Presentation, Topic
from provenance.models import (
    Affiliation,
    Agent,
    AgentName,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

PAYLOAD = "<script>alert(1)</script>"
MANAGE = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]


def production_env(tmp_path, **overrides):
    env = {
        key: value
        for key, value in os.environ.items()
        # The test suite's own settings (conftest allows async-unsafe ORM calls for the
        # browser tests) are not production's.
        if key
        not in {
            "DATABASE_URL",
            "REDIS_URL",
            "SECURE_SSL_REDIRECT",
            "DJANGO_SETTINGS_MODULE",
            "DJANGO_ALLOW_ASYNC_UNSAFE",
        }
    }
    env.update(
        DEBUG="0",
        SECRET_KEY=secrets.token_urlsafe(50),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{tmp_path / 'db.sqlite3'}",
    )
    env.update(overrides)
    return {key: value for key, value in env.items() if value is not None}


def test_check_deploy_is_clean_under_production_settings(tmp_path):
    result = subprocess.run(
        [*MANAGE, "check", "--deploy", "--fail-level", "WARNING"],
        env=production_env(tmp_path),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip() == "System check identified no issues (0 silenced)."


def test_production_settings_are_hardened(tmp_path):
    code = (
        "from django.conf import settings as s; print(s.SECURE_SSL_REDIRECT, "
        "s.SECURE_HSTS_SECONDS >= 31536000, s.SECURE_HSTS_INCLUDE_SUBDOMAINS, "
        "s.SESSION_COOKIE_SECURE, s.CSRF_COOKIE_SECURE, s.SECURE_PROXY_SSL_HEADER)"
    )
    result = subprocess.run(
        [*MANAGE, "shell", "-c", code],
        env=production_env(tmp_path, SECURE_PROXY_SSL_HEADER="HTTP_X_FORWARDED_PROTO"),
        capture_output=True,
        text=True,
    )
    assert result.stdout.strip().splitlines()[-1] == (
        "True True True True True ('HTTP_X_FORWARDED_PROTO', 'https')"
    )


def test_production_refuses_to_start_without_a_secret_key(tmp_path):
    result = subprocess.run(
        [*MANAGE, "check"],
        env=production_env(tmp_path, SECRET_KEY=None),
        capture_output=True,
        text=True,
    )
    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    assert result.stderr.strip() == (
        "Cannot start: SECRET_KEY must be set when DEBUG is off. Generate one with: "
        "python -c 'import secrets; print(secrets.token_urlsafe(50))'"
    )


def test_with_no_environment_at_all_the_demo_settings_run(tmp_path):
    env = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp")}
    result = subprocess.run([*MANAGE, "check"], env=env, capture_output=True, text=True)
    assert result.returncode == 0, result.stderr


@pytest.mark.django_db
def test_every_response_carries_the_security_headers(client):
    response = client.get(reverse("claims:home"))
    policy = response.headers["Content-Security-Policy"]
    assert "default-src 'self'" in policy
    assert "script-src 'self'" in policy
    assert "frame-ancestors 'none'" in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert response.headers["Referrer-Policy"] == "same-origin"
    assert response.headers["X-Frame-Options"] == "DENY"


# Curator text is inert.


@pytest.fixture
def everything_hostile(editor):
    """A published claim and everything behind it, with the payload in every text field
    a curator fills in."""
    org = Agent.objects.create(
        slug="org",
        kind="organisation",
        name=f"Archive {PAYLOAD}",
        sort_name=f"Archive {PAYLOAD}",
        description=PAYLOAD,
    )
    person = Agent.objects.create(
        slug="person", name=f"Person {PAYLOAD}", sort_name=PAYLOAD, description=PAYLOAD
    )
    AgentName.objects.create(agent=person, name=f"Alias {PAYLOAD}", note=PAYLOAD)
    Affiliation.objects.create(agent=person, organisation=org, role=PAYLOAD, date="1993")
    event = Event.objects.create(
        slug="event",
        name=f"Conference {PAYLOAD}",
        place=PAYLOAD,
        description=PAYLOAD,
        date="1993-01-12/1993-01-15",
    )
    event.organisers.add(org)
    cited = Source.objects.create(
        slug="cited", title=f"Telegram {PAYLOAD}", kind="telegram", date="1950", description=PAYLOAD
    )
    source = Source.objects.create(
        slug="source",
        title=f"Report {PAYLOAD}",
        kind="report",
        date="1966",
        description=PAYLOAD,
        language=PAYLOAD,
        archive=org,
        archival_reference=PAYLOAD,
        publication_details=PAYLOAD,
    )
    SourceCreator.objects.create(source=source, agent=person, role="author")
    Citation.objects.create(citing=source, cited=cited, locator=PAYLOAD, note=PAYLOAD)
    custody = CustodyEvent.objects.create(
        source=source,
        kind="declassified",
        date="1993-01-13",
        event=event,
        note=PAYLOAD,
        reference=PAYLOAD,
    )
    custody.agents.add(person)
    topic = Topic.objects.create(slug="topic", name=f"Topic {PAYLOAD}", description=PAYLOAD)
    claim = Claim.objects.create(
        slug="claim",
        statement=f"Stalin approved {PAYLOAD}",
        summary=PAYLOAD,
        curator_note=PAYLOAD,
        date="1950",
        status=Claim.Status.IN_REVIEW,
    )
    claim.subjects.add(person)
    claim.topics.add(topic)
    for item_source in (source, cited):
        evidence = Evidence.objects.create(
            claim=claim,
            source=item_source,
            stance="supports",
            quotation=PAYLOAD,
            locator=PAYLOAD,
            note=PAYLOAD,
        )
    presentation = Presentation.objects.create(
        evidence=evidence, event=event, date="1993-01-13", reported_in=source, note=PAYLOAD
    )
    presentation.presenters.add(person)
    workflow.claim_publish(claim=claim, by=editor)
    return claim


PUBLIC_PAGES = [
    ("claims:home", []),
    ("claims:list", []),
    ("claims:detail", ["claim"]),
    ("claims:json", ["claim"]),
    ("claims:feed", []),
    ("provenance:source", ["source"]),
    ("provenance:source", ["cited"]),
    ("provenance:agent", ["person"]),
    ("provenance:agent", ["org"]),
    ("provenance:event", ["event"]),
    ("provenance:search", []),
]


@pytest.mark.django_db
@pytest.mark.parametrize("name, args", PUBLIC_PAGES, ids=[f"{n}-{a}" for n, a in PUBLIC_PAGES])
def test_a_script_in_curator_text_is_inert_on_every_public_page(name, args, everything_hostile):
    url = reverse(name, args=args)
    reader = Client()
    for query in ({}, {"q": "alert"}, {"q": "script"}, {"q": PAYLOAD}):
        if query and name not in {"provenance:search", "claims:list"}:
            continue
        response = reader.get(url, query)
        assert response.status_code == 200, url
        text = response.content.decode()
        if name == "claims:json":
            # Data, not a page: JSON that browsers must not sniff as HTML.
            assert response.headers["Content-Type"].startswith("application/json")
            assert response.headers["X-Content-Type-Options"] == "nosniff"
            assert response.json()["statement"] == f"Stalin approved {PAYLOAD}"
            return
        assert PAYLOAD not in text, f"{url} {query} renders curator text as HTML"
        assert "<script>alert" not in text
    if not name.endswith(("json", "feed")):
        assert "&lt;script&gt;alert(1)&lt;/script&gt;" in text, "the text is shown, escaped"


# Login throttling.


@pytest.mark.django_db
def test_the_admin_login_locks_after_repeated_failures_with_a_clear_message(curator):
    browser = Client(REMOTE_ADDR="203.0.113.9")
    login = reverse("admin:login")
    for _ in range(settings.AXES_FAILURE_LIMIT - 1):
        response = browser.post(login, {"username": "curator", "password": "wrong"})
        assert response.status_code == 200
        assert "Please enter the correct username and password" in response.text

    locked = browser.post(login, {"username": "curator", "password": "wrong"})
    assert locked.status_code == 429
    assert "Sign-in locked for now" in locked.text
    assert f"{settings.AXES_FAILURE_LIMIT} failed attempts to sign in as “curator”" in locked.text

    # Even the right password is refused until the lock is lifted.
    still = browser.post(login, {"username": "curator", "password": "a-long-curator-password"})
    assert still.status_code == 429
    assert "_auth_user_id" not in browser.session


@pytest.mark.django_db
def test_a_locked_account_is_locked_only_from_the_guessing_address(curator):
    guesser = Client(REMOTE_ADDR="203.0.113.9")
    for _ in range(settings.AXES_FAILURE_LIMIT):
        guesser.post(reverse("admin:login"), {"username": "curator", "password": "wrong"})
    curator_at_work = Client(REMOTE_ADDR="198.51.100.7")
    response = curator_at_work.post(
        reverse("admin:login"),
        {"username": "curator", "password": "a-long-curator-password", "next": "/admin/"},
    )
    assert response.status_code == 302
