"""The benchmark's report (benchmarks/run.py) rebuilt on a machine that has measured
only some archives: it keeps the tables measured before, and judges each large
PostgreSQL archive against the targets of its own size."""

import json
import os
import subprocess
import sys

import pytest

from benchmarks import run

KEPT_TABLE = (
    "## sqlite-100k: sqlite, 100,000 claims\n\n200 requests per page.\n\n"
    "| page | requests | p50 ms |\n| --- | ---: | ---: |\n| search | 200 | 9.0 |"
)


def page(name, p95, queries=7):
    return {
        "name": name,
        "url": "/",
        "queries": queries,
        "requests": 200,
        "p50": p95 / 2,
        "p95": p95,
        "p99": p95,
        "sql": 1.0,
        "ratio": 2.0,
    }


def result(label, claims, pages):
    return {
        "label": label,
        "vendor": "postgresql",
        "claims": claims,
        "requests": 200,
        "started": "2026-12-07T22:00:00+00:00",
        "load_before": [1.0],
        "load_after": [1.1],
        "pages": pages,
        "explain": [],
        "bytes": 12 * 1024**3,
        "machine": "AMD EPYC, 2 cores",
        "versions": {"python": "3.11.7", "django": "5.2", "sqlite": "3.40"},
    }


@pytest.fixture
def report(tmp_path, monkeypatch):
    document = tmp_path / "benchmarks.md"
    document.write_text(
        "# Benchmarks\n\n- Machine: an earlier run's\n\n"
        f"{KEPT_TABLE}\n\n"
        "## Targets (PostgreSQL, 100,000 claims)\n\n| search p95 | 90 ms |\n\n"
        "## Demo fixture load\n\n| pg | 1.81 s |\n"
    )
    results = tmp_path / "results"
    results.mkdir()
    monkeypatch.setattr(run, "REPORT", document)
    monkeypatch.setattr(run, "RESULTS", results)
    monkeypatch.setattr(run, "ROOT", tmp_path)
    return document, results


def test_a_report_rebuilt_with_no_results_keeps_every_measurement(report):
    document, _ = report

    run.report()

    text = document.read_text()
    assert "- Machine: an earlier run's" in text
    assert KEPT_TABLE in text
    assert "## Targets (PostgreSQL, 100,000 claims)\n\n| search p95 | 90 ms |" in text
    assert "## Demo fixture load\n\n| pg | 1.81 s |" in text


def test_the_tables_not_measured_here_are_kept_beside_the_new_ones(report):
    document, results = report
    small = result("pg-1k", 1_000, [page("search", 10), page("claim list", 8)])
    large = result("pg-1m", 1_000_000, [page("search", 140), page("claim list", 45, queries=9)])
    for measured in (small, large):
        (results / f"{measured['label']}.json").write_text(json.dumps(measured))

    run.report()

    text = document.read_text()
    assert KEPT_TABLE in text
    assert "## Targets (PostgreSQL, 100,000 claims)\n\n| search p95 | 90 ms |" in text
    assert "## Demo fixture load\n\n| pg | 1.81 s |" in text
    assert "- Machine: an earlier run's" not in text  # the header describes this run's machine
    assert "on AMD EPYC, 2 cores. The database took 12.0 GiB on disk." in text
    # Sorted by database, then size: the new PostgreSQL tables before the kept SQLite one.
    assert text.index("## pg-1k:") < text.index("## pg-1m:") < text.index("## sqlite-100k:")
    targets = text.split("## Targets (PostgreSQL, 1,000,000 claims)")[1]
    assert "| search p95 | 140 ms | < 100 ms | **missed** |" in targets
    assert "| claim list p95, worst page (claim list) | 45 ms | < 50 ms | met |" in targets
    assert "differ: claim list (7 → 9)" in targets


def test_one_page_is_measured_alone_and_nothing_is_kept(tmp_path):
    """`--page` measures only the pages named, prints them, and leaves the results and
    the report as they were; a name that is no page's is refused with the list."""
    database = f"sqlite:///{tmp_path / 'archive.sqlite3'}"
    environment = {**os.environ, "DATABASE_URL": database}
    for command in (["migrate", "-v0"], ["generate_archive", "--claims", "30"]):
        subprocess.run(
            [sys.executable, "manage.py", *command],
            cwd=run.ROOT,
            env=environment,
            check=True,
            capture_output=True,
        )
    label = "test-one-page"
    report_before = run.REPORT.read_text()

    def measured(*names):
        pages = [argument for name in names for argument in ("--page", name)]
        return subprocess.run(
            [
                sys.executable,
                "benchmarks/run.py",
                "--database",
                f"{label}={database}",
                "--requests",
                "3",
                "--seconds-per-page",
                "1",
                *pages,
            ],
            cwd=run.ROOT,
            capture_output=True,
            text=True,
        )

    search = measured("search")
    assert search.returncode == 0, search.stderr
    assert f"{label}: search: p50" in search.stderr
    assert f"{label}: home" not in search.stderr
    assert not (run.RESULTS / f"{label}.json").exists()
    assert run.REPORT.read_text() == report_before

    unknown = measured("search", "the moon")
    assert unknown.returncode != 0
    assert "No page is called the moon. The pages are: home; claim list, page 1;" in unknown.stderr
