"""An import's queries grow by a fixed number per row, whatever the size of the file:
the work that would grow with the whole file (which pages each saved row moves, which
person a creator's slug names) is done once per file."""

import pytest
from django.contrib.contenttypes.models import ContentType
from django.db import connection
from django.test.utils import CaptureQueriesContext

from intake.models import ImportRun
from provenance.models import Source
from tests.builders import make_agent
from tests.intake.uploads import confirm, csv_bytes, preview

pytestmark = pytest.mark.django_db


def sources(count):
    return csv_bytes(
        [
            {
                "slug": f"telegram-{number}",
                "title": f"Telegram {number}",
                "kind": "telegram",
                "date": f"1950-{1 + number % 12:02d}",
                "creators": "stalin (author); molotov (editor)",
                "access": "published",
                "authenticity": "accepted",
            }
            for number in range(count)
        ]
    )


def queries(do):
    with CaptureQueriesContext(connection) as captured:
        response = do()
    return response, len(captured.captured_queries)


def import_queries(client, count):
    """The queries of the preview, the confirmed import and the undo of `count` new
    sources."""
    url = "provenance/source"
    ContentType.objects.clear_cache()  # the history's look-ups are then the same each time
    shown, in_preview = queries(lambda: preview(client, url, f"{count}.csv", sources(count)))
    assert shown.context["result"].totals["new"] == count
    _, in_import = queries(lambda: confirm(client, url, shown))
    assert Source.objects.count() == count
    run = ImportRun.objects.latest("id")
    _, in_undo = queries(lambda: client.post(f"/admin/intake/importrun/{run.pk}/undo/"))
    assert not Source.objects.exists()
    return in_preview, in_import, in_undo


def test_each_new_source_row_costs_the_same_queries_however_long_the_file(curator_client):
    make_agent("Joseph Stalin", slug="stalin")
    make_agent("Vyacheslav Molotov", slug="molotov")
    short = import_queries(curator_client, 3)
    long = import_queries(curator_client, 9)
    per_row = [(b - a) / 6 for a, b in zip(short, long, strict=True)]

    # Preview, per row: the savepoint and its release around the row; the source named
    # by the slug; one with the same title and year; the slug's uniqueness (model
    # validation); the source and its two creators written. The creators' people are
    # looked up once per file.
    # Import: the same. The history's versions are written together at the end, and
    # a new source has no creators, citations or custody events for them to follow.
    # Undo: nothing per row: each kind of record is deleted in one query-set delete.
    assert per_row == [8, 8, 0]
