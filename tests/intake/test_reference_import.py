"""Importing a reference manager's library (Zotero's CSL-JSON, BibTeX and RIS exports)
as sources, with the same preview as a spreadsheet: creators matched to the people
already recorded (by any of their names), and duplicates found by DOI, ISBN, or title
and year."""

import json

import pytest

from provenance.models import Agent, Source
from tests.builders import make_agent, make_source
from tests.intake.uploads import confirm, import_file, page_text, preview

pytestmark = pytest.mark.django_db

CSL = [
    {
        "id": "weathersby1993",
        "type": "article-journal",
        "title": "Soviet Aims in Korea and the Origins of the Korean War, 1945–1950",
        "author": [{"family": "Weathersby", "given": "Kathryn"}],
        "container-title": "CWIHP Working Paper",
        "issue": "8",
        "issued": {"date-parts": [[1993, 11]]},
        "DOI": "10.5555/cwihp.8",
        "URL": "https://www.wilsoncenter.org/publication/soviet-aims-korea",
    },
    {
        "id": "khrushchev1970",
        "type": "book",
        "title": "Khrushchev Remembers",
        "author": [{"family": "Khrushchev", "given": "Nikita"}],
        "translator": [{"family": "Talbott", "given": "Strobe"}],
        "publisher": "Little, Brown",
        "publisher-place": "Boston",
        "issued": {"date-parts": [["1970"]]},
        "ISBN": "978-0-316-83140-6",
    },
]

BIBTEX = r"""
@book{goncharov1993,
  author = {Goncharov, Sergei N. and Lewis, John W. and Xue, Litai},
  title = {Uncertain Partners: Stalin, Mao, and the Korean War},
  publisher = {Stanford University Press},
  address = {Stanford},
  year = {1993},
  isbn = {0804721157},
}
@article{weathersby1995,
  author = {Weathersby, Kathryn},
  title = {New Russian Documents on the Korean War},
  journal = {Cold War International History Project Bulletin},
  number = {6--7},
  year = {1995},
  month = {dec},
  doi = {10.5555/cwihp.b6},
}
"""

RIS = """TY  - NEWS
AU  - Ap
TI  - Soviet papers show Stalin approved invasion
T2  - The New York Times
DA  - 1993/01/13/
PY  - 1993
UR  - https://example.org/ap-1993
ER  -

TY  - BOOK
AU  - Mao Tse-tung
TI  - Selected Works
PY  - 1965
SN  - 7119003490
ER  -
""".replace("ER  -\n", "ER  - \n")  # RIS ends each record with "ER  - "


def test_csl_json_previews_and_imports_sources_with_their_creators(curator_client):
    weathersby = make_agent("Kathryn Weathersby", slug="weathersby")
    content = json.dumps(CSL).encode()

    response = preview(
        curator_client, "provenance/source", "library.json", content,
        file_format="CSL-JSON (Zotero)",
    )  # fmt: skip
    assert "2 new, 0 updated" in page_text(response)
    assert not Source.objects.exists()
    confirm(curator_client, "provenance/source", response)

    article = Source.objects.get(doi="10.5555/cwihp.8")
    assert article.kind == Source.Kind.ARTICLE and article.date == "1993-11"
    assert [c.agent for c in article.creator_roles.all()] == [weathersby]
    book = Source.objects.get(isbn="9780316831406")
    assert book.publication_details == "Boston: Little, Brown"
    assert [(c.agent.name, c.role) for c in book.creator_roles.all()] == [
        ("Nikita Khrushchev", "author"),
        ("Strobe Talbott", "translator"),
    ]
    assert book.slug == "khrushchev-remembers-1970"


def test_importing_the_same_library_again_changes_nothing(curator_client):
    content = json.dumps(CSL).encode()
    import_file(curator_client, "provenance/source", "library.json", content,
                file_format="CSL-JSON (Zotero)")  # fmt: skip

    response = preview(curator_client, "provenance/source", "library.json", content,
                       file_format="CSL-JSON (Zotero)")  # fmt: skip

    assert "0 new, 0 updated, 2 unchanged" in page_text(response)
    assert Source.objects.count() == 2 and Agent.objects.count() == 3


def test_duplicates_are_found_by_doi_isbn_or_title_and_year(curator_client):
    by_doi = make_source("Soviet aims (typed by hand)", slug="by-doi", doi="10.5555/CWIHP.8")
    by_isbn = make_source("KR", slug="by-isbn", isbn="9780316831406")
    by_title = make_source("Selected Works", slug="by-title", date="1965")
    records = [
        *CSL,
        {"type": "book", "title": "selected works", "issued": {"date-parts": [[1965]]}},
    ]

    response = preview(
        curator_client, "provenance/source", "library.json", json.dumps(records).encode(),
        file_format="CSL-JSON (Zotero)",
    )  # fmt: skip

    assert "0 new, 3 updated" in page_text(response)
    confirm(curator_client, "provenance/source", response)
    assert Source.objects.count() == 3
    by_doi.refresh_from_db()
    assert by_doi.title.startswith("Soviet Aims in Korea")
    assert by_isbn.slug == Source.objects.get(isbn="9780316831406").slug
    assert by_title.slug == "by-title"


def test_bibtex_imports_entries_with_every_author(curator_client):
    import_file(curator_client, "provenance/source", "library.bib", BIBTEX.encode(),
                file_format="BibTeX")  # fmt: skip

    book = Source.objects.get(isbn="0804721157")
    assert book.title == "Uncertain Partners: Stalin, Mao, and the Korean War"
    assert book.date == "1993" and book.kind == Source.Kind.BOOK
    assert [c.agent.name for c in book.creator_roles.all()] == [
        "Sergei N. Goncharov",
        "John W. Lewis",
        "Litai Xue",
    ]
    article = Source.objects.get(doi="10.5555/cwihp.b6")
    assert article.date == "1995-12"


def test_ris_matches_a_creator_by_another_of_their_names(curator_client):
    mao = make_agent("Mao Zedong", slug="mao", other_names=["Mao Tse-tung"])

    import_file(curator_client, "provenance/source", "library.ris", RIS.encode(),
                file_format="RIS")  # fmt: skip

    works = Source.objects.get(title="Selected Works")
    assert [c.agent for c in works.creator_roles.all()] == [mao]
    assert works.isbn == "7119003490"
    news = Source.objects.get(kind=Source.Kind.NEWS_REPORT)
    assert news.date == "1993-01-13" and news.publication_details == "The New York Times"


def test_a_malformed_library_gets_a_clear_message(curator_client):
    response = preview(curator_client, "provenance/source", "library.json", b"[{not json",
                       file_format="CSL-JSON (Zotero)")  # fmt: skip

    assert response.status_code == 200
    assert "could not be read as CSL-JSON (Zotero)" in page_text(response)
    assert "not valid JSON" in page_text(response)


def test_a_reference_with_an_impossible_date_is_refused_on_its_date(curator_client):
    records = [{"type": "book", "title": "Undated", "issued": {"date-parts": [[1993, 2, 30]]}}]

    response = preview(curator_client, "provenance/source", "library.json",
                       json.dumps(records).encode(), file_format="CSL-JSON (Zotero)")  # fmt: skip

    assert list(response.context["result"].invalid_rows[0].field_specific_errors) == ["date"]
