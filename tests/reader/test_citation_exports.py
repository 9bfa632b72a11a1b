"""Citations for reference managers: each public source, and every source behind a
published claim, as BibTeX, RIS and CSL-JSON, each read back by a real parser; and
what the source page's head tells Zotero's connector (Highwire tags, Dublin Core
type, schema.org JSON-LD), read with extruct and lxml."""

import json
import warnings

import bibtexparser
import extruct
import lxml.html
import pytest
import rispy
from bibtexparser.middlewares import LatexDecodingMiddleware
from citeproc import Citation as CslCitation
from citeproc import CitationItem, CitationStylesBibliography, CitationStylesStyle, formatter
from citeproc.source.json import CiteProcJSON
from django.urls import reverse
from pylatexenc.latex2text import LatexNodes2Text, MacroTextSpec, get_default_latex_context_db

from claims.models import Claim
from provenance.models import Source, SourceCreator
from reader.exports import citations
from tests.builders import (
    add_evidence,
    cite,
    make_agent,
    make_claim,
    make_organisation,
    make_source,
)

pytestmark = pytest.mark.django_db

DEMO_CLAIM = "stalin-approved-invasion"
TELEGRAM = "telegram-8600-vyshinsky-to-mao-1950-05-14"


def source_file(client, slug, format, *, status=200):
    response = client.get(reverse(f"provenance:source_{format}", kwargs={"slug": slug}))
    assert response.status_code == status
    return response


def claim_file(client, slug, format, *, status=200):
    response = client.get(reverse(f"claims:sources_{format}", kwargs={"slug": slug}))
    assert response.status_code == status
    return response


def latex_decoder():
    """pylatexenc's decoder, taught three LaTeX text commands it lacks (standard in
    LaTeX's text companion encoding) that the export writes for { } and ^."""
    context = get_default_latex_context_db()
    context.add_context_category(
        "text-companion",
        prepend=True,
        macros=[
            MacroTextSpec("textbraceleft", "{"),
            MacroTextSpec("textbraceright", "}"),
            MacroTextSpec("textasciicircum", "^"),
        ],
    )
    return LatexNodes2Text(latex_context=context)


def bibliography(csl_items):
    """The items rendered by citeproc-py in the Harvard style it ships, one string each."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # citeproc-py warns of CSL fields it does not use
        style = CitationStylesStyle("harvard-cite-them-right", validate=False)
        rendered = CitationStylesBibliography(style, CiteProcJSON(csl_items), formatter.plain)
        for item in csl_items:
            rendered.register(CslCitation([CitationItem(item["id"])]))
        return [str(entry) for entry in rendered.bibliography()]


@pytest.fixture
def archival_telegram():
    """A telegram held in an archive, under a reference, sent by one person for
    another, to a third, on one day."""
    archive = make_organisation("RGASPI")
    stalin = make_agent("Joseph Stalin", sort_name="Stalin, Joseph")
    vyshinsky = make_agent("Andrei Vyshinsky", sort_name="Vyshinsky, Andrei")
    mao = make_agent("Mao Zedong")
    telegram = make_source(
        "Ciphered telegram No. 8600",
        slug="telegram-8600",
        kind=Source.Kind.TELEGRAM,
        date="1950-05-14",
        archive=archive,
        archival_reference="f. 558, op. 11, d. 334",
        language="Russian",
        creators=[
            (stalin, SourceCreator.Role.AUTHOR),
            (vyshinsky, SourceCreator.Role.SENDER),
            (mao, SourceCreator.Role.RECIPIENT),
        ],
    )
    add_evidence(make_claim("Stalin left the decision to Mao and Kim."), telegram)
    return telegram


# One table of types


def test_every_kind_of_source_has_a_type_in_every_format():
    assert set(citations.KIND_TYPES) == set(Source.Kind)
    for types in citations.KIND_TYPES.values():
        assert all((types.bibtex, types.ris, types.csl, types.zotero, types.schema))


# A source's files


def test_an_archival_telegram_reads_back_as_bibtex_with_its_authors_date_and_archive(
    client, archival_telegram
):
    response = source_file(client, "telegram-8600", "bibtex")

    assert response["Content-Type"] == "application/x-bibtex; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="telegram-8600.bib"'
    library = bibtexparser.parse_string(response.content.decode())
    assert not library.failed_blocks
    [entry] = library.entries
    assert (entry.entry_type, entry.key) == ("misc", "telegram-8600")
    assert entry["author"] == "Stalin, Joseph and Vyshinsky, Andrei"
    assert entry["title"] == "{Ciphered telegram No. 8600}"
    assert (entry["year"], entry["date"]) == ("1950", "1950-05-14")
    assert entry["note"] == "f. 558, op. 11, d. 334, RGASPI"
    assert entry["url"] == "http://testserver/sources/telegram-8600/"


def test_an_archival_telegram_reads_back_as_ris_with_its_recipient_archive_and_place_in_it(
    client, archival_telegram
):
    response = source_file(client, "telegram-8600", "ris")

    assert response["Content-Type"] == "application/x-research-info-systems; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="telegram-8600.ris"'
    [record] = rispy.loads(response.content.decode())
    assert record["type_of_reference"] == "PCOMM"
    assert record["authors"] == ["Stalin, Joseph", "Vyshinsky, Andrei"]
    assert record["secondary_authors"] == ["Mao Zedong"]
    assert (record["year"], record["date"]) == ("1950", "1950/05/14/")
    assert record["name_of_database"] == "RGASPI"
    assert record["accession_number"] == "f. 558, op. 11, d. 334"
    assert record["language"] == "Russian"


def test_an_archival_telegram_as_csl_json_renders_in_a_bibliography(client, archival_telegram):
    response = source_file(client, "telegram-8600", "csl")

    assert response["Content-Type"] == "application/vnd.citationstyles.csl+json; charset=utf-8"
    assert response["Content-Disposition"] == 'attachment; filename="telegram-8600.csl.json"'
    [item] = json.loads(response.content)
    assert item["type"] == "personal_communication"
    assert item["author"][0] == {"family": "Stalin", "given": "Joseph"}
    assert item["recipient"] == [{"literal": "Mao Zedong"}]
    assert (item["archive"], item["archive_location"]) == ("RGASPI", "f. 558, op. 11, d. 334")
    [entry] = bibliography([item])
    assert "Stalin, J." in entry and "Ciphered telegram No. 8600" in entry and "1950" in entry


def test_curators_braces_percent_signs_and_newlines_survive_each_format(client):
    title = "The {draft} of 50% & more_\\ ~ $ # ^ }"
    source = make_source(
        title,
        slug="odd-text",
        kind=Source.Kind.MEMORANDUM,
        description="First line.\nTY  - JOUR\n\nER  - ",
        publication_details="Printed {twice",
    )
    add_evidence(make_claim("An odd memorandum."), source)

    bib = source_file(client, "odd-text", "bibtex").content.decode()
    library = bibtexparser.parse_string(
        bib, append_middleware=[LatexDecodingMiddleware(decoder=latex_decoder())]
    )
    assert not library.failed_blocks
    [entry] = library.entries
    assert entry["title"] == title  # the outer case-keeping braces are decoded too
    assert entry["howpublished"] == "Printed {twice"

    [record] = rispy.loads(source_file(client, "odd-text", "ris").content.decode())
    assert record["type_of_reference"] == "MANSCPT"
    assert record["abstract"] == "First line. TY - JOUR ER -"

    [item] = json.loads(source_file(client, "odd-text", "csl").content)
    assert item["title"] == title
    assert item["abstract"] == "First line.\nTY  - JOUR\n\nER  - "


def test_a_source_only_a_draft_rests_on_has_no_citation_files(client):
    source = make_source("Draft-only notes", slug="draft-only", kind=Source.Kind.DIARY)
    add_evidence(make_claim("Not yet published.", status=Claim.Status.DRAFT), source)

    for format in ("bibtex", "ris", "csl"):
        source_file(client, "draft-only", format, status=404)
        source_file(client, "no-such-source", format, status=404)


def test_a_source_file_is_read_in_two_queries_and_served_from_the_cache(
    client, archival_telegram, django_assert_num_queries
):
    with django_assert_num_queries(2):
        # 1 the public source with its holding archive
        # 2 its creators with their agents
        first = source_file(client, "telegram-8600", "ris")
    with django_assert_num_queries(0):
        second = source_file(client, "telegram-8600", "ris")

    assert (first["X-Cache"], second["X-Cache"]) == ("miss", "hit")
    assert second["Content-Disposition"] == first["Content-Disposition"]
    assert second["Content-Type"] == first["Content-Type"]


# The sources behind a claim


def test_the_files_of_a_claim_hold_its_evidence_what_that_derives_from_and_the_reports(
    client, demo_data
):
    bib = claim_file(client, DEMO_CLAIM, "bibtex")
    ris = claim_file(client, DEMO_CLAIM, "ris")
    csl = claim_file(client, DEMO_CLAIM, "csl")

    assert bib["Content-Disposition"] == f'attachment; filename="{DEMO_CLAIM}-sources.bib"'
    library = bibtexparser.parse_string(bib.content.decode())
    assert not library.failed_blocks
    keys = {entry.key for entry in library.entries}
    # Its evidence; the telegram No. 8600 answers; the AP report of the presentation.
    assert {"report-1966", "stalin-kim-telegrams", TELEGRAM, "khrushchev-remembers"} <= keys
    assert {"roshchin-to-filippov-1950-05-13", "ap-1993-01-13"} <= keys
    records = rispy.loads(ris.content.decode())
    assert {record["title"] for record in records} == {
        entry["title"].strip("{}") for entry in library.entries
    }
    items = json.loads(csl.content)
    assert {item["id"] for item in items} == keys
    rendered = bibliography(items)
    assert len(rendered) == len(keys)
    assert any(entry.startswith("Khrushchev, N. (1970) Khrushchev Remembers") for entry in rendered)


def test_a_report_compiled_by_its_archive_names_the_archive_once(client, demo_data):
    library = bibtexparser.parse_string(claim_file(client, DEMO_CLAIM, "bibtex").content.decode())
    report = library.entries_dict["report-1966"]

    assert report.entry_type == "techreport"
    assert report["author"] == report["institution"] == "{Soviet Ministry of Foreign Affairs}"
    assert "editor" not in report
    assert report["note"] == "Soviet Foreign Ministry archive"


def test_a_name_without_a_comma_stays_whole_in_bibtex(client, demo_data):
    library = bibtexparser.parse_string(claim_file(client, DEMO_CLAIM, "bibtex").content.decode())

    assert library.entries_dict["stalin-kim-telegrams"]["author"] == (
        "Stalin, Joseph and {Kim Il Sung}"
    )


def test_a_draft_claim_or_a_bad_address_has_no_citation_files(client):
    source = make_source("Notes", slug="notes")
    add_evidence(make_claim("A draft.", slug="a-draft", status=Claim.Status.DRAFT), source)

    for format in ("bibtex", "ris", "csl"):
        claim_file(client, "a-draft", format, status=404)
        claim_file(client, "no-such-claim", format, status=404)


def test_the_files_of_a_claim_are_read_in_six_queries(client, django_assert_num_queries):
    archive = make_organisation("Archive")
    root = make_source("Telegrams", kind=Source.Kind.TELEGRAM, creators=[make_agent("Stalin")])
    report = make_source("Report", kind=Source.Kind.REPORT, archive=archive)
    cite(report, root)
    news = make_source("News", kind=Source.Kind.NEWS_REPORT)
    claim = make_claim("Stalin approved.")
    add_evidence(claim, report, presentations=[{"reported_in": news}])

    with django_assert_num_queries(6):
        # 1 the published claim
        # 2 its evidence
        # 3 the sources that reported presentations of its evidence
        # 4 the citations walked from its sources to the roots
        # 5 the sources with their holding archives
        # 6 their creators with their agents
        response = claim_file(client, claim.slug, "ris")
    assert {record["title"] for record in rispy.loads(response.content.decode())} == {
        "Telegrams",
        "Report",
        "News",
    }


# Dates


@pytest.mark.parametrize(
    ("edtf", "csl", "ris", "bibtex", "highwire"),
    [
        (
            "1950-05-14",
            {"date-parts": [[1950, 5, 14]]},
            "1950/05/14/",
            ("1950", "1950-05-14"),
            "1950/05/14",
        ),
        (
            "1950-03/1950-04",
            {"date-parts": [[1950, 3], [1950, 4]]},
            "1950/03//March–April 1950",
            ("1950", "1950-03/1950-04"),
            "1950/03",
        ),
        (
            "1949/1953",
            {"date-parts": [[1949], [1953]]},
            "1949///1949–1953",
            ("1949--1953", "1949/1953"),
            "1949",
        ),
        (
            "1958-08~",
            {"date-parts": [[1958, 8]], "circa": True},
            "1958/08//about August 1958",
            ("1958", "1958-08~"),
            "1958/08",
        ),
        (
            "1993-23",
            {"date-parts": [[1993]], "season": 3},
            "1993///autumn 1993",
            ("1993", "1993-23"),
            "1993",
        ),
        (
            "195X",
            {"date-parts": [[1950], [1959]]},
            "1950///the 1950s",
            ("1950--1959", "1950/1959"),
            "1950",
        ),
    ],
)
def test_an_edtf_date_goes_into_each_format_as_it_takes_it(edtf, csl, ris, bibtex, highwire):
    assert citations.csl_date(edtf) == csl
    assert citations.ris_date(edtf) == ris
    assert citations.bibtex_dates(edtf) == dict(zip(("year", "date"), bibtex, strict=True))
    assert citations.highwire_date(edtf) == highwire


def test_a_range_renders_as_a_range_in_a_bibliography():
    item = {
        "id": "telegrams",
        "type": "personal_communication",
        "title": "Telegrams",
        "author": [{"family": "Stalin", "given": "Joseph"}],
        "issued": citations.csl_date("1949/1953"),
    }

    [entry] = bibliography([item])

    assert "1949" in entry and "1953" in entry


# The source page's head


def head_meta(html):
    document = lxml.html.fromstring(html)
    return [
        (meta.get("name"), meta.get("content")) for meta in document.xpath("//head/meta[@name]")
    ]


def test_a_source_page_tells_zotero_the_item_type_authors_date_archive_and_place(
    client, archival_telegram
):
    html = client.get(archival_telegram.get_absolute_url()).content.decode()

    meta = head_meta(html)
    assert ("citation_title", "Ciphered telegram No. 8600") in meta
    assert [content for name, content in meta if name == "citation_author"] == [
        "Stalin, Joseph",
        "Vyshinsky, Andrei",
    ]
    assert ("citation_date", "1950/05/14") in meta
    assert ("citation_language", "Russian") in meta
    found = extruct.extract(html, base_url="http://testserver/", syntaxes=["dublincore", "json-ld"])
    dublin_core = {
        element["name"]: element["content"] for element in found["dublincore"][0]["elements"]
    }
    assert dublin_core["DC.type"] == "letter"
    assert dublin_core["DC.coverage"] == "f. 558, op. 11, d. 334, RGASPI"
    [work] = found["json-ld"]
    assert work["@type"] == ["ArchiveComponent", "Message"]
    assert work["@id"] == "http://testserver/sources/telegram-8600/"
    assert work["holdingArchive"]["name"] == "RGASPI"
    assert work["identifier"]["value"] == "f. 558, op. 11, d. 334"
    assert work["dateCreated"] == "1950-05-14"
    assert [author["name"] for author in work["author"]] == ["Joseph Stalin", "Andrei Vyshinsky"]
    assert work["recipient"]["name"] == "Mao Zedong"


def test_a_book_page_is_a_book_with_its_publisher_and_a_range_as_temporal_coverage(client):
    publisher = make_organisation("Little, Brown")
    book = make_source(
        "Khrushchev Remembers",
        kind=Source.Kind.MEMOIR,
        date="1970/1971",
        creators=[
            (make_agent("Nikita Khrushchev", sort_name="Khrushchev, Nikita"), "author"),
            (publisher, SourceCreator.Role.PUBLISHER),
        ],
        isbn="9780316831406",
    )
    add_evidence(make_claim("Stalin did not dissuade Kim."), book)

    html = client.get(book.get_absolute_url()).content.decode()

    meta = head_meta(html)
    assert ("citation_publisher", "Little, Brown") in meta
    assert ("citation_isbn", "9780316831406") in meta
    assert ("DC.type", "book") in meta
    [work] = extruct.extract(html, base_url="http://testserver/", syntaxes=["json-ld"])["json-ld"]
    assert work["@type"] == "Book"
    assert work["publisher"]["name"] == "Little, Brown"
    assert work["temporalCoverage"] == "1970/1971"
    assert "holdingArchive" not in work


def test_a_source_page_links_its_citation_files_in_its_head_and_its_text(client, archival_telegram):
    html = client.get(archival_telegram.get_absolute_url()).content.decode()
    document = lxml.html.fromstring(html)

    alternates = {
        link.get("type"): link.get("href")
        for link in document.xpath("//head/link[@rel='alternate']")
    }
    expected = {
        "application/x-bibtex": "/sources/telegram-8600.bib",
        "application/x-research-info-systems": "/sources/telegram-8600.ris",
        "application/vnd.citationstyles.csl+json": "/sources/telegram-8600.csl.json",
    }
    assert expected.items() <= alternates.items()
    visible = {
        link.text_content(): link.get("href") for link in document.xpath("//main//a[@download]")
    }
    assert visible == {
        "BibTeX": expected["application/x-bibtex"],
        "RIS": expected["application/x-research-info-systems"],
        "CSL-JSON": expected["application/vnd.citationstyles.csl+json"],
    }


def test_a_claim_page_links_the_files_of_its_sources_and_its_provenance(client, archival_telegram):
    claim = Claim.objects.get()
    document = lxml.html.fromstring(client.get(claim.get_absolute_url()).content)

    alternates = {
        (link.get("type"), link.get("href"), link.get("title"))
        for link in document.xpath("//head/link[@rel='alternate']")
    }
    slug = claim.slug
    assert {(citations_type, href) for citations_type, href, _title in alternates} >= {
        ("application/x-bibtex", f"/claims/{slug}.bib"),
        ("application/x-research-info-systems", f"/claims/{slug}.ris"),
        ("application/vnd.citationstyles.csl+json", f"/claims/{slug}.csl.json"),
        ("text/turtle", f"/claims/{slug}.prov.ttl"),
    }
    assert ("application/json", f"/claims/{slug}.prov.json", "PROV-JSON") in alternates
    visible = {link.get("href") for link in document.xpath("//main//a")}
    assert {
        f"/claims/{slug}.bib",
        f"/claims/{slug}.prov.ttl",
        f"/claims/{slug}.prov.json",
    } <= visible


def test_a_draft_claims_preview_offers_no_files(curator_client):
    claim = make_claim("A draft claim.", status=Claim.Status.DRAFT)
    html = curator_client.get(claim.get_absolute_url()).content.decode()

    assert ".bib" not in html and ".prov.ttl" not in html
