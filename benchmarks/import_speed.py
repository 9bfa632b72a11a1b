"""Measure the admin's import at 10,000 rows and write the figures into docs/benchmarks.md.

    python benchmarks/import_speed.py [--rows 10000] [--database URL]

Without --database it migrates a fresh SQLite file in a temporary folder. It makes a
curator, 500 people, and a CSV of `--rows` sources (each with a title, kind, EDTF
date, two creators named by slug, access and authenticity), then drives the admin as a
curator does, in process through Django's test client: the preview (every row checked
in a transaction that is rolled back), the confirmed import (one transaction, one
revision), the same file again (every row unchanged, nothing written) and the undo.
Rows per second are printed, written to benchmarks/results/import.md and put in
docs/benchmarks.md under "Import speed" (benchmarks/run.py keeps that section).

Not part of the test suite: at 10,000 rows it takes minutes.
"""

import argparse
import csv
import io
import os
import platform
import re
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RESULTS = ROOT / "benchmarks" / "results"
REPORT = ROOT / "docs" / "benchmarks.md"
SECTION = "Import speed"
PEOPLE = 500
STEPS = ["preview", "import", "preview, same file again", "undo"]
KINDS = ["telegram", "report", "memorandum", "memoir", "book", "article", "news_report"]


def sources_csv(rows):
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "slug",
            "title",
            "kind",
            "date",
            "creators",
            "access",
            "authenticity",
            "archival_reference",
        ]
    )
    for i in range(rows):
        year = 1900 + i % 100
        writer.writerow(
            [
                f"bench-source-{i}",
                f"Benchmark source {i}",
                KINDS[i % len(KINDS)],
                f"{year}-{1 + i % 12:02d}" if i % 3 else f"{year}~",
                f"bench-person-{i % PEOPLE} (author); bench-person-{(i * 7 + 1) % PEOPLE} (editor)",
                "published" if i % 2 else "Declassified",
                "accepted",
                f"f. {i % 50}, op. {i % 7}, d. {i}",
            ]
        )
    return out.getvalue().encode()


def setup_django(database):
    sys.path.insert(0, str(ROOT))
    os.environ["DATABASE_URL"] = database
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    os.environ["IMPORT_MAX_ROWS"] = os.environ.get("IMPORT_MAX_ROWS", "1000000")
    os.environ["IMPORT_MAX_BYTES"] = str(200 * 1024 * 1024)
    import django

    django.setup()
    from django.core.management import call_command
    from django.test.utils import setup_test_environment

    setup_test_environment()  # the test client then keeps each response's context

    call_command("migrate", verbosity=0)


def measure(rows, on_step):
    from django.contrib.auth.models import Group, Permission, User
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.test import Client

    from claims import roles
    from intake.models import ImportRun
    from provenance.models import Agent, Source

    roles.roles_sync(group_model=Group, permission_model=Permission)
    curator, _ = User.objects.get_or_create(username="bench-curator", defaults={"is_staff": True})
    curator.groups.add(Group.objects.get(name=roles.CURATORS))
    Agent.objects.bulk_create(
        [Agent(slug=f"bench-person-{i}", name=f"Person {i}", sort_name=f"Person {i}")
         for i in range(PEOPLE)],
        ignore_conflicts=True,
    )  # fmt: skip
    client = Client()
    client.force_login(curator)
    content = sources_csv(rows)
    url = "/admin/provenance/source/import/"
    csv_choice = "0"

    figures = {}

    def timed(step, request):
        wall, cpu = time.perf_counter(), time.process_time()
        response = request()
        figures[step] = (time.perf_counter() - wall, time.process_time() - cpu)
        on_step(figures)
        return response

    def upload():
        upload = SimpleUploadedFile("sources.csv", content)
        return client.post(url, {"import_file": upload, "format": csv_choice})

    def confirm(preview):
        response = client.post(
            "/admin/provenance/source/process_import/", preview.context["confirm_form"].initial
        )
        assert response.status_code == 302, response.status_code
        return response

    preview = timed("preview", upload)
    assert preview.context.get("confirm_form") is not None, "the preview refused the file"
    assert preview.context["result"].totals["new"] == rows
    timed("import", lambda: confirm(preview))
    assert Source.objects.filter(slug__startswith="bench-source-").count() == rows
    again = timed("preview, same file again", upload)
    assert again.context["result"].totals["skip"] == rows
    run = ImportRun.objects.order_by("-id").first()
    response = timed("undo", lambda: client.post(f"/admin/intake/importrun/{run.pk}/undo/"))
    assert response.status_code == 302
    assert not Source.objects.filter(slug__startswith="bench-source-").exists()
    return figures


CPU_NOTE = {
    "sqlite": "SQLite runs in the benchmark's own process, so its CPU seconds are "
    "nearly all the work.",
    "postgresql": "PostgreSQL runs in a server process of its own, whose work the CPU "
    "seconds (the benchmark's process alone) leave out.",
}


def report(rows, figures, vendor):
    from django import get_version

    now = datetime.now(UTC)
    load = os.getloadavg()[0]
    lines = [
        f"Made by `python benchmarks/import_speed.py --rows {rows}` on {vendor} "
        f"(Django {get_version()}, Python {platform.python_version()}), "
        f"{now:%Y-%m-%d %H:%M} UTC, load average {load:.1f} at the end. "
        f"A CSV of {rows:,} sources, each with a kind, an EDTF date, two creators named by "
        "slug, access and authenticity, imported through the admin as a curator does "
        "(in process, Django's test client).",
        "",
        "| step | seconds | rows per second | CPU seconds | rows per CPU second |",
        "| --- | ---: | ---: | ---: | ---: |",
    ]
    for step, (wall, cpu) in figures.items():
        lines.append(
            f"| {step} | {wall:.1f} | {rows / wall:,.0f} | {cpu:.1f} | {rows / cpu:,.0f} |"
        )
    missing = [step for step in STEPS if step not in figures]
    if missing:
        lines += ["", f"Not measured in this run (stopped before): {', '.join(missing)}."]
    lines += [
        "",
        "The preview checks every row as the import does (model validation included) in a "
        "transaction it rolls back; the import writes the rows, their creators and one "
        "revision holding a version of each source in one transaction; the same file "
        "again finds every row unchanged and writes nothing; the undo deletes the "
        f"{rows:,} sources and their creators in one transaction. {CPU_NOTE.get(vendor, '')} Rows "
        "per CPU second is the figure to compare when the machine is shared (a load "
        "average above 2 on these 2 cores).",
    ]
    return "\n".join(lines)


def write(text, label):
    RESULTS.mkdir(exist_ok=True)
    (RESULTS / f"import-{label}.md").write_text(text + "\n")
    texts = [path.read_text().strip() for path in sorted(RESULTS.glob("import-*.md"))]
    section = "\n\n".join(texts)
    (RESULTS / "import.md").write_text(section + "\n")
    document = REPORT.read_text()
    heading = f"## {SECTION}\n"
    if heading in document:
        start = document.index(heading) + len(heading)
        end = document.find("\n## ", start)
        document = document[:start] + "\n" + section + "\n" + (document[end:] if end != -1 else "")
    else:
        marker = "\n## Closing note\n"
        at = document.find(marker)
        block = f"\n## {SECTION}\n\n{section}\n"
        document = document[:at] + block + document[at:] if at != -1 else document + block
    REPORT.write_text(re.sub(r"\n{3,}", "\n\n", document))


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=10_000)
    parser.add_argument("--database", help="a DATABASE_URL; a fresh SQLite file if left out")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as folder:
        database = args.database or f"sqlite:///{folder}/import_bench.sqlite3"
        setup_django(database)
        from django.db import connection

        label = connection.vendor

        def on_step(figures):
            text = report(args.rows, figures, label)
            write(text, label)
            print(text, flush=True)

        measure(args.rows, on_step)


if __name__ == "__main__":
    main()
