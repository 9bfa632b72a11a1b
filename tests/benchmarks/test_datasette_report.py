"""The Datasette comparison's table (benchmarks/datasette.py): each pair's figures, and
the ratio of ours to Datasette's, in bold where ours is slower."""

import json

from benchmarks import datasette
from reader import search_index


def row(page, ours_p50, datasette_p50):
    return {
        "page": page,
        "ours_path": "/claims/",
        "datasette_path": "/corroborate/claims_claim?status__exact=published",
        "ours": {"p50": ours_p50, "p95": ours_p50 * 2, "cpu": ours_p50 / 2},
        "datasette": {"p50": datasette_p50, "p95": datasette_p50 * 2, "cpu": 1.0},
    }


def text(*rows):
    return datasette.report(
        list(rows), requests=50, load=(1.2, 1.5), started="2026-12-07 22:00 UTC", claims=100000
    )


def test_a_page_faster_than_datasettes_has_a_plain_ratio():
    table = text(row("claim list, page 1", 5.0, 20.0))

    assert "| claim list, page 1 | 5.0 | 10.0 | 2.5 | 20.0 | 40.0 | 1.0 | 0.25 | 0.25 |" in table


def test_a_page_slower_than_datasettes_has_its_ratio_in_bold():
    table = text(row("word search", 30.0, 10.0))

    assert "| **3.00** | **3.00** |" in table


def test_the_table_says_what_was_measured_and_under_what_load():
    table = text(row("claim page", 5.0, 5.0))

    assert "100,000 claims" in table
    assert "50 requests of each page" in table
    assert "1.2 before, 1.5 after" in table
    assert "- claim page: `/claims/`; `/corroborate/claims_claim?status__exact=published`" in table


def test_the_percentiles_are_taken_as_the_benchmarks_are():
    times = [float(value) for value in range(1, 101)]

    assert datasette.summary(times) == {"p50": 50.5, "p95": 95.0}


def test_datasettes_search_is_over_published_claims_through_the_fts5_index_of_claims(tmp_path):
    path = datasette.datasette_table_path("archive", search="Kim")
    metadata = json.loads(datasette._metadata(tmp_path, "archive").read_text())

    assert path == "/archive/claims_claim?_search=Kim&status__exact=published&_size=20"
    claims = metadata["databases"]["archive"]["tables"]["claims_claim"]
    assert claims == {"fts_table": search_index.CLAIMS.name, "fts_pk": "id"}
