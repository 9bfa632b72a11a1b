"""A bad fixture stops loaddata with one message naming the file, the record and the
field, and loads nothing from it."""

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command

from claims.models import Claim
from provenance.models import Citation, Source

pytestmark = pytest.mark.django_db

GOOD_SOURCE = {
    "model": "provenance.source",
    "fields": {
        "slug": "report-1966",
        "title": "On the Korean War",
        "kind": "report",
        "date": "1966",
    },
}


def source(slug, **fields):
    base = {"slug": slug, "title": slug.title(), "kind": "telegram", "date": "1950"}
    return {"model": "provenance.source", "fields": {**base, **fields}}


def load(tmp_path, records, name="x.json"):
    path = tmp_path / name
    path.write_text(json.dumps(records))
    call_command("loaddata", str(path), verbosity=0)


@pytest.mark.parametrize(
    "record, names",
    [
        (
            source("telegram-1950", date="1950-13-45"),
            ["record 2", "provenance.source 'telegram-1950'", "field 'date'", "no month 13"],
        ),
        (
            source("telegram-1950", kind="papyrus"),
            ["record 2", "provenance.source 'telegram-1950'", "field 'kind'", "'papyrus'"],
        ),
        (
            source("telegram-1950", url="not a web address"),
            ["provenance.source 'telegram-1950'", "field 'url'", "Enter a valid URL."],
        ),
        (
            source("telegram-1950", title=""),
            ["provenance.source 'telegram-1950'", "field 'title'", "cannot be blank"],
        ),
        (
            source("Not A Slug!"),
            ["provenance.source 'Not A Slug!'", "field 'slug'"],
        ),
    ],
    ids=["impossible-date", "unknown-kind", "bad-url", "no-title", "bad-slug"],
)
def test_a_bad_record_stops_the_load_naming_file_record_and_field(tmp_path, record, names):
    with pytest.raises(CommandError) as raised:
        load(tmp_path, [GOOD_SOURCE, record])
    message = str(raised.value)
    assert "x.json, " in message
    for name in names:
        assert name in message
    assert message.endswith("Nothing was loaded.")
    assert not Source.objects.exists()  # not even the good record before it


def test_a_declassification_before_creation_in_a_fixture_is_refused(tmp_path):
    custody = {
        "model": "provenance.custodyevent",
        "fields": {"source": ["report-1966"], "kind": "declassified", "date": "1960"},
    }
    with pytest.raises(CommandError, match=r"field 'date': Declassified 1960 is before the source"):
        load(tmp_path, [GOOD_SOURCE, custody])
    assert not Source.objects.exists()


def test_a_citation_cycle_in_a_fixture_is_refused(tmp_path):
    records = [
        source("a"),
        source("b"),
        {"model": "provenance.citation", "fields": {"citing": ["a"], "cited": ["b"]}},
        {"model": "provenance.citation", "fields": {"citing": ["b"], "cited": ["a"]}},
    ]
    with pytest.raises(CommandError) as raised:
        load(tmp_path, records)
    assert "record 4, provenance.citation 'b', 'a', field 'cited'" in str(raised.value)
    assert "would make a circle" in str(raised.value)
    assert not Citation.objects.exists()


def test_evidence_without_a_stance_in_a_fixture_is_refused(tmp_path):
    records = [
        GOOD_SOURCE,
        {"model": "claims.claim", "fields": {"slug": "c", "statement": "A claim."}},
        {"model": "claims.evidence", "fields": {"claim": ["c"], "source": ["report-1966"]}},
    ]
    with pytest.raises(CommandError, match=r"claims.evidence 'c', 'report-1966', field 'stance'"):
        load(tmp_path, records)
    assert not Claim.objects.exists()


def test_a_link_to_a_record_that_does_not_exist_is_named(tmp_path):
    records = [{"model": "claims.evidence", "fields": {"claim": ["nope"], "source": ["nope"]}}]
    with pytest.raises(CommandError, match=r"x.json: .*Evidence has no claim"):
        load(tmp_path, records)


def test_a_file_that_is_not_json_is_named(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('[{"model": "provenance.source", ')
    with pytest.raises(CommandError, match="broken.json"):
        call_command("loaddata", str(path), verbosity=0)


def test_the_date_bounds_are_derived_from_the_edtf_text_on_load(tmp_path):
    load(tmp_path, [source("telegram", date="1950-03/1950-04", date_lower="1900-01-01")])
    telegram = Source.objects.get(slug="telegram")
    assert (str(telegram.date_lower), str(telegram.date_upper)) == ("1950-03-01", "1950-04-30")


def test_from_the_command_line_a_bad_fixture_prints_one_line_and_fails(tmp_path):
    fixture = tmp_path / "bad.json"
    fixture.write_text(json.dumps([GOOD_SOURCE, source("telegram-1950", date="1950-13-45")]))
    env = {
        **os.environ,
        "DATABASE_URL": f"sqlite:///{tmp_path / 'db.sqlite3'}",
        "DJANGO_SETTINGS_MODULE": "config.settings",
    }
    manage = [sys.executable, str(Path(settings.BASE_DIR) / "manage.py")]
    subprocess.run([*manage, "migrate", "-v0"], env=env, check=True, capture_output=True)

    result = subprocess.run(
        [*manage, "loaddata", str(fixture)], env=env, capture_output=True, text=True
    )

    assert result.returncode == 1
    assert "Traceback" not in result.stderr
    [line] = result.stderr.strip().splitlines()
    assert line.startswith(f"CommandError: {fixture}, record 2, provenance.source 'telegram-1950'")
    count = subprocess.run(
        [
            *manage,
            "shell",
            "-c",
            "from provenance.models import Source; print(Source.objects.count())",
        ],
        env=env,
        capture_output=True,
        text=True,
    )
    assert count.stdout.strip().splitlines()[-1] == "0"
