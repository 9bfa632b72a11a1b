"""The whole-archive download: every public record as CSV and JSON Lines with a
Frictionless Data Package, read back by the `frictionless` package; nothing that only
a draft rests on; and the page and the stable address that offer it."""

import csv
import io
import json
import zipfile

import pytest
from django.core.management import CommandError, call_command
from frictionless import Package, validate

from claims.models import Claim
from provenance.models import CustodyEvent, Source
from reader import archive
from tests.builders import (
    add_evidence,
    get_html,
    korean_war_claim,
    make_agent,
    make_claim,
    make_custody_event,
    make_event,
    make_presentation,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db

SECRET = "Quokkafjord"


def export(directory, *args):
    out = io.StringIO()
    call_command("export_archive", str(directory), *args, stdout=out)
    return out.getvalue()


def read_csv(directory, table):
    with open(directory / f"{table}.csv", encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def read_jsonl(directory, table):
    with open(directory / f"{table}.jsonl", encoding="utf-8") as handle:
        return [json.loads(line) for line in handle]


def everything_written(directory):
    return "\n".join(
        path.read_text(encoding="utf-8")
        for path in sorted(directory.iterdir())
        if path.suffix in (".csv", ".jsonl", ".json")
    )


@pytest.fixture
def world():
    """A published claim and a draft. The draft has a source, a subject, a presenter,
    an event and a topic of its own, each carrying a word found nowhere else, and
    shares one source with the published claim."""
    published = korean_war_claim()
    secret_topic = make_topic(f"{SECRET} studies")
    draft = make_claim(
        f"The {SECRET} memorandum shows Stalin opposed the invasion",
        summary=f"Unreviewed: {SECRET}.",
        status=Claim.Status.DRAFT,
        subjects=[make_agent(f"{SECRET} Subject")],
    )
    draft.topics.add(secret_topic)
    own_source = make_source(
        f"The {SECRET} memorandum",
        kind=Source.Kind.MEMORANDUM,
        date="1950-04",
        creators=[make_agent(f"{SECRET} Author")],
    )
    make_presentation(
        add_evidence(draft, own_source),
        presenters=[make_agent(f"{SECRET} Presenter")],
        date="1995",
        event=make_event(f"{SECRET} colloquium", date="1995"),
    )
    add_evidence(draft, Source.objects.get(slug="report-1966"), quotation=f"{SECRET} quote")
    return {"published": published, "draft": draft, "own_source": own_source}


def test_the_archive_is_a_frictionless_data_package_whose_every_resource_validates(
    tmp_path, demo_data
):
    export(tmp_path / "out", "--no-publish")

    report = validate(str(tmp_path / "out" / "datapackage.json"))

    assert report.valid, report.flatten(["rowNumber", "fieldName", "type", "note"])
    names = {table.name for table in archive.TABLES}
    validated = {task.name for task in report.tasks}
    assert validated == names | {f"{name}-jsonl" for name in names}
    package = Package(str(tmp_path / "out" / "datapackage.json"))
    assert package.licenses[0]["name"] == "CC-BY-4.0"
    assert package.created.endswith("Z")
    claims = package.get_resource("claims")
    assert claims.schema.primary_key == ["slug"]
    evidence = package.get_resource("evidence").schema
    assert {"fields": ["source"], "reference": {"resource": "sources", "fields": ["slug"]}} in [
        key for key in evidence.foreign_keys
    ]
    rows = claims.read_rows()
    assert len(rows) == Claim.objects.published().count()
    stalin = next(row for row in rows if row["slug"] == "stalin-approved-invasion")
    assert stalin["strength_level"] == "established"
    assert (
        stalin["date_lower"].isoformat()
        == Claim.objects.get(slug="stalin-approved-invasion").date_lower.isoformat()
    )


def test_the_csv_and_the_json_lines_of_a_table_hold_the_same_rows(tmp_path):
    korean_war_claim()
    export(tmp_path, "--no-publish")

    for table in archive.TABLES:
        from_csv = read_csv(tmp_path, table.name)
        from_jsonl = read_jsonl(tmp_path, table.name)
        assert len(from_csv) == len(from_jsonl), table.name
        for csv_row, json_row in zip(from_csv, from_jsonl, strict=True):
            as_text = {
                key: ""
                if value is None
                else str(value).lower()
                if isinstance(value, bool)
                else str(value)
                for key, value in json_row.items()
            }
            assert csv_row == as_text, table.name


def test_nothing_only_a_draft_rests_on_is_in_the_archive(tmp_path, world):
    export(tmp_path, "--no-publish")

    assert SECRET not in everything_written(tmp_path)
    assert [row["slug"] for row in read_csv(tmp_path, "claims")] == [world["published"].slug]
    sources = {row["slug"] for row in read_csv(tmp_path, "sources")}
    assert "report-1966" in sources  # shared with the published claim
    assert world["own_source"].slug not in sources
    evidence = read_csv(tmp_path, "evidence")
    assert {row["claim"] for row in evidence} == {world["published"].slug}
    agents = {row["slug"] for row in read_csv(tmp_path, "agents")}
    assert {"joseph-stalin", "kathryn-weathersby", "nikita-khrushchev"} <= agents


def test_a_link_to_a_record_that_is_not_public_is_left_empty(tmp_path):
    claim = korean_war_claim()
    unpublished_finding = make_source("A forensic report nobody relies on", date="1991")
    make_custody_event(
        Source.objects.get(slug="khrushchev-remembers"),
        CustodyEvent.Kind.CONTENT_CONFIRMED,
        "1991",
        documented_in=unpublished_finding,
    )
    grandparent = make_topic("History")
    parent = make_topic("Cold War", parent=grandparent)
    child = make_topic("Korean War", parent=parent)
    leaf = make_topic("Outbreak", parent=child)
    claim.topics.add(leaf)
    export(tmp_path, "--no-publish")

    (confirmed,) = [
        row for row in read_csv(tmp_path, "custody_events") if row["kind"] == "content_confirmed"
    ]
    assert confirmed["documented_in"] == ""
    assert confirmed["documented_in_title"] == "A forensic report nobody relies on"
    topics = {row["slug"]: row["parent"] for row in read_csv(tmp_path, "topics")}
    # Public: the claim's topic and the two above it; the third above is not.
    assert topics == {leaf.slug: child.slug, child.slug: parent.slug, parent.slug: ""}


def test_the_archive_is_read_in_one_query_per_table(tmp_path, django_assert_num_queries):
    korean_war_claim()
    # One SELECT per table, streamed from its cursor; the savepoint and its release
    # around them, as the test already runs in a transaction.
    with django_assert_num_queries(len(archive.TABLES) + 2):
        archive.write_archive(tmp_path)


def test_the_command_publishes_the_zip_that_the_download_address_serves(client, tmp_path):
    korean_war_claim()

    output = export(tmp_path / "files")

    assert "Published the download" in output
    response = client.get("/download/corroborate-archive.zip")
    assert response.status_code == 200
    assert response["Content-Type"] == "application/zip"
    assert 'filename="corroborate-archive.zip"' in response["Content-Disposition"]
    with zipfile.ZipFile(io.BytesIO(b"".join(response.streaming_content))) as served:
        names = set(served.namelist())
        descriptor = json.loads(served.read("corroborate-archive/datapackage.json"))
    assert "corroborate-archive/claims.csv" in names
    assert "corroborate-archive/claims.jsonl" in names
    assert descriptor["name"] == "corroborate-archive"


def test_the_download_page_says_when_the_file_was_made_and_how_large_it_is(client, tmp_path):
    korean_war_claim()
    export(tmp_path / "files")
    download = archive.latest_download()

    html = get_html(client, "/download/")

    assert 'href="/download/corroborate-archive.zip"' in html
    assert f'datetime="{download.created.isoformat()}"' in html
    assert "KB)" in html
    assert "claim_subjects" in html


def test_writing_the_archive_again_replaces_the_download(tmp_path, media_root):
    korean_war_claim()
    first = archive.write_archive(tmp_path / "one")
    archive.zip_archive(first)
    archive.publish(first)
    second = archive.write_archive(
        tmp_path / "two", created=first.created.replace(year=first.created.year + 1)
    )
    archive.zip_archive(second)
    archive.publish(second)

    stored = list((media_root / "downloads").iterdir())

    assert [path.name for path in stored] == [archive.stored_name(second.created).split("/")[1]]
    assert archive.latest_download().created == second.created


def test_without_a_download_the_page_says_so_and_the_file_address_answers_404(client):
    html = get_html(client, "/download/")

    assert "No archive file has been written on this server yet" in html
    assert 'href="/download/corroborate-archive.zip"' not in html
    response = client.get("/download/corroborate-archive.zip")
    assert response.status_code == 404


def test_the_footer_of_every_page_links_to_the_download(client):
    korean_war_claim()

    html = get_html(client, "/")

    assert '<a href="/download/">Download the archive</a>' in html


def test_a_directory_that_is_a_file_gets_a_clear_message(tmp_path):
    path = tmp_path / "taken"
    path.write_text("")

    with pytest.raises(CommandError, match="is a file, not a directory"):
        call_command("export_archive", str(path), stdout=io.StringIO())
