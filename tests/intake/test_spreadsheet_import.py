"""Importing people, sources, citations, custody events, claims and evidence from
spreadsheets in the admin: the preview, the checks, and what is written."""

import pytest
import tablib
from reversion.models import Revision

from claims.models import Claim, Evidence
from intake.models import ImportRun
from provenance.models import Agent, Citation, CustodyEvent, Source
from tests.builders import make_agent, make_claim, make_organisation, make_source, messages_of
from tests.intake.uploads import confirm, csv_bytes, import_file, page_text, preview

pytestmark = pytest.mark.django_db

PEOPLE = [
    {
        "slug": "mao-zedong",
        "kind": "person",
        "name": "Mao Zedong",
        "sort_name": "",
        "date": "1893-12-26/1976-09-09",
        "description": "Chairman of the Chinese Communist Party.",
        "wikidata_id": "Q5816",
        "viaf_id": "",
        "other_names": "Mao Tse-tung; 毛泽东",
    },
    {
        "slug": "cwihp",
        "kind": "Organisation",
        "name": "Cold War International History Project",
        "sort_name": "",
        "date": "1991/",
        "description": "",
        "wikidata_id": "",
        "viaf_id": "",
        "other_names": "CWIHP",
    },
]


def test_the_preview_shows_each_row_and_writes_nothing(curator_client):
    response = preview(curator_client, "provenance/agent", "people.csv", csv_bytes(PEOPLE))

    text = page_text(response)
    assert "2 new, 0 updated, 0 unchanged" in text
    assert "Mao Zedong" in text and "Cold War International History Project" in text
    assert response.context["confirm_form"] is not None
    assert not Agent.objects.exists()


def test_a_confirmed_import_writes_people_with_their_other_names(curator_client):
    response = import_file(curator_client, "provenance/agent", "people.csv", csv_bytes(PEOPLE))

    assert response.status_code == 302
    mao = Agent.objects.get(slug="mao-zedong")
    assert sorted(mao.other_names.values_list("name", flat=True)) == ["Mao Tse-tung", "毛泽东"]
    assert mao.date_lower.year == 1893 and mao.sort_name == "Mao Zedong"
    assert Agent.objects.get(slug="cwihp").kind == Agent.Kind.ORGANISATION
    assert any("Imported people.csv: 2 new" in message for message in messages_of(response))


def test_a_bad_row_is_refused_naming_its_row_column_and_reason_and_nothing_is_written(
    curator_client,
):
    rows = [dict(PEOPLE[0]), dict(PEOPLE[1])]
    rows[1]["date"] = "sometime in the nineties"

    response = preview(curator_client, "provenance/agent", "people.csv", csv_bytes(rows))

    assert response.context.get("confirm_form") is None
    invalid = response.context["result"].invalid_rows
    assert [row.number for row in invalid] == [2]
    assert list(invalid[0].field_specific_errors) == ["date"]
    assert "1 row refused" in page_text(response)
    assert not Agent.objects.exists()


def test_importing_the_same_file_again_changes_nothing(curator_client):
    content = csv_bytes(PEOPLE)
    import_file(curator_client, "provenance/agent", "people.csv", content)
    revisions = Revision.objects.count()

    response = preview(curator_client, "provenance/agent", "people.csv", content)
    assert "0 new, 0 updated, 2 unchanged" in page_text(response)
    confirm(curator_client, "provenance/agent", response)

    assert Revision.objects.count() == revisions
    assert ImportRun.objects.count() == 1
    assert Agent.objects.count() == 2


def test_a_changed_row_updates_the_record_it_names(curator_client):
    import_file(curator_client, "provenance/agent", "people.csv", csv_bytes(PEOPLE))
    rows = [dict(PEOPLE[0], description="Chinese leader.", other_names="Mao Tse-tung")]

    response = preview(curator_client, "provenance/agent", "people.csv", csv_bytes(rows))
    assert "0 new, 1 updated" in page_text(response)
    confirm(curator_client, "provenance/agent", response)

    mao = Agent.objects.get(slug="mao-zedong")
    assert mao.description == "Chinese leader."
    assert list(mao.other_names.values_list("name", flat=True)) == ["Mao Tse-tung"]


def test_an_import_is_one_revision_signed_by_whoever_imported_it(curator_client, curator):
    import_file(curator_client, "provenance/agent", "people.csv", csv_bytes(PEOPLE))

    run = ImportRun.objects.get()
    assert run.revision.user == curator
    agent_ids = {str(pk) for pk in Agent.objects.values_list("pk", flat=True)}
    assert agent_ids <= set(run.revision.version_set.values_list("object_id", flat=True))
    assert "Imported people.csv" in run.revision.get_comment()
    assert (run.new, run.updated, run.unchanged) == (2, 0, 0)


def test_an_import_of_sources_keeps_a_version_of_each_source_and_each_creator(curator_client):
    make_agent("Nikita Khrushchev", slug="khrushchev")
    rows = [{"slug": "memoir", "title": "Khrushchev Remembers", "kind": "memoir",
             "date": "1970", "creators": "khrushchev (author)"}]  # fmt: skip
    import_file(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))
    memoir = Source.objects.get(slug="memoir")
    creator = memoir.creator_roles.get()

    versions = ImportRun.objects.get().revision.version_set
    assert {(v.content_type.model, v.object_id) for v in versions.all()} == {
        ("source", str(memoir.pk)),
        ("sourcecreator", str(creator.pk)),
    }
    # Changed by a second import, the source's version still carries its creator.
    rows[0]["title"] = "Khrushchev Remembers: The Last Testament"
    import_file(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))
    versions = ImportRun.objects.latest("id").revision.version_set
    assert {v.content_type.model for v in versions.all()} == {"source", "sourcecreator"}


def test_sources_import_with_creators_archive_dates_and_status(curator_client):
    make_agent("Nikita Khrushchev", slug="khrushchev", other_names=["Хрущёв"])
    make_organisation("Archive of the President of the Russian Federation", slug="apfr")
    rows = [
        {
            "slug": "khrushchev-remembers",
            "title": "Khrushchev Remembers",
            "kind": "Memoir",
            "date": "1970",
            "creators": "Хрущёв (author); Strobe Talbott (translator)",
            "archive": "",
            "archival_reference": "",
            "access": "published",
            "authenticity": "disputed",
        },
        {
            "slug": "report-1966",
            "title": "Report on the Korean War",
            "kind": "report",
            "date": "1966-08-09",
            "creators": "",
            "archive": "Archive of the President of the Russian Federation",
            "archival_reference": "f. 3, op. 65, d. 826",
            "access": "Declassified",
            "authenticity": "authenticated",
        },
    ]

    import_file(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))

    memoir = Source.objects.get(slug="khrushchev-remembers")
    assert [(c.agent.name, c.role) for c in memoir.creator_roles.all()] == [
        ("Nikita Khrushchev", "author"),
        ("Strobe Talbott", "translator"),
    ]
    assert memoir.kind == Source.Kind.MEMOIR and memoir.authenticity == "disputed"
    report = Source.objects.get(slug="report-1966")
    assert report.archive.slug == "apfr" and report.access == Source.Access.DECLASSIFIED
    assert str(report.date_lower) == "1966-08-09"


def test_a_source_naming_an_unknown_archive_or_kind_is_refused_on_those_columns(curator_client):
    rows = [{"slug": "x", "title": "X", "kind": "pamphlet", "archive": "nowhere", "date": "1950"}]

    response = preview(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))

    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert set(errors) == {"kind", "archive"}
    assert "“pamphlet” is not one of" in errors["kind"][0]
    assert "No organisation has the slug “nowhere”" in errors["archive"][0]


def test_a_future_source_date_is_refused_by_the_models_own_rule(curator_client):
    rows = [{"slug": "x", "title": "X", "kind": "book", "date": "2999"}]

    response = preview(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))

    assert "has not come yet" in page_text(response)
    assert not Source.objects.exists()


def test_citations_and_custody_events_import_by_the_slugs_of_their_sources(curator_client):
    report = make_source("Report", slug="report", kind=Source.Kind.REPORT, date="1966")
    telegrams = make_source("Telegrams", slug="telegrams", kind=Source.Kind.TELEGRAM, date="1950")
    make_agent("Kathryn Weathersby", slug="weathersby")

    import_file(
        curator_client,
        "provenance/citation",
        "citations.csv",
        csv_bytes([{"citing": "report", "cited": "telegrams", "kind": "summarises"}]),
    )
    import_file(
        curator_client,
        "provenance/custodyevent",
        "custody.csv",
        csv_bytes(
            [
                {"source": "report", "kind": "declassified", "date": "1993-01", "agents": ""},
                {"source": "report", "kind": "presented", "date": "1993-01-13",
                 "agents": "weathersby"},
            ]
        ),
    )  # fmt: skip

    assert Citation.objects.get().cited == telegrams
    assert report.custody_events.count() == 2
    presented = CustodyEvent.objects.get(kind="presented")
    assert list(presented.agents.values_list("slug", flat=True)) == ["weathersby"]


def test_a_citation_that_would_make_a_circle_is_refused(curator_client):
    a = make_source("A", slug="a")
    b = make_source("B", slug="b")
    Citation.objects.create(citing=a, cited=b)

    response = preview(
        curator_client,
        "provenance/citation",
        "citations.csv",
        csv_bytes([{"citing": "b", "cited": "a", "kind": "cites"}]),
    )

    assert "would make a circle" in page_text(response)
    assert Citation.objects.count() == 1


def test_imported_claims_enter_as_drafts_whatever_their_status_column_says(curator_client):
    make_agent("Joseph Stalin", slug="stalin")
    rows = [
        {"slug": "stalin-approved", "statement": "Stalin approved the attack.",
         "subjects": "stalin", "status": "published"},
    ]  # fmt: skip

    import_file(curator_client, "claims/claim", "claims.csv", csv_bytes(rows))

    new = Claim.objects.get(slug="stalin-approved")
    assert new.status == Claim.Status.DRAFT
    assert list(new.subjects.values_list("slug", flat=True)) == ["stalin"]


def test_a_row_changing_a_published_claim_or_its_evidence_is_refused(curator_client):
    """Such a change is made on the claim's page, where it is reviewed and logged."""
    claim = make_claim("Already published", slug="published-one")
    make_source("Telegram", slug="telegram")
    claims = [{"slug": "published-one", "statement": "Already published, reworded."}]
    evidence = [{"claim": "published-one", "source": "telegram", "stance": "supports"}]

    for path, rows in (("claims/claim", claims), ("claims/evidence", evidence)):
        response = preview(curator_client, path, "rows.csv", csv_bytes(rows))

        invalid = response.context["result"].invalid_rows
        assert [row.number for row in invalid] == [1]
        assert "is published: change it on the claim" in page_text(response)
        assert response.context.get("confirm_form") is None

    claim.refresh_from_db()
    assert claim.statement == "Already published" and not claim.evidence.exists()


def test_unchanged_rows_of_published_claims_import_again(curator_client):
    make_claim("Already published", slug="published-one")
    rows = [{"slug": "published-one", "statement": "Already published"}]

    response = preview(curator_client, "claims/claim", "claims.csv", csv_bytes(rows))

    assert not response.context["result"].invalid_rows
    assert "0 new, 0 updated, 1 unchanged" in page_text(response)


def test_imported_evidence_sets_the_claims_strength(curator_client):
    claim = make_claim(
        "Stalin approved the attack.", slug="stalin-approved", status=Claim.Status.DRAFT
    )
    make_source("Telegram", slug="telegram", kind=Source.Kind.TELEGRAM, date="1950-01-30",
                authenticity=Source.Authenticity.AUTHENTICATED)  # fmt: skip
    rows = [
        {"claim": "stalin-approved", "source": "telegram", "stance": "Supports",
         "directness": "direct", "quotation": "I am ready to help.", "locator": "p. 1"}
    ]  # fmt: skip

    import_file(curator_client, "claims/evidence", "evidence.csv", csv_bytes(rows))

    claim.refresh_from_db()
    assert Evidence.objects.get().quotation == "I am ready to help."
    assert claim.strength_level != Claim.Level.NONE


def test_evidence_naming_an_unknown_claim_is_refused_on_the_claim_column(curator_client):
    make_source("Telegram", slug="telegram")
    rows = [{"claim": "no-such-claim", "source": "telegram", "stance": "supports"}]

    response = preview(curator_client, "claims/evidence", "evidence.csv", csv_bytes(rows))

    errors = response.context["result"].invalid_rows[0].field_specific_errors
    assert errors["claim"] == ["No claim has the slug “no-such-claim”."]


@pytest.mark.parametrize("file_format", ["xlsx", "ods"])
def test_spreadsheets_import_like_csv(curator_client, file_format):
    dataset = tablib.Dataset(headers=list(PEOPLE[0]))
    for row in PEOPLE:
        dataset.append(list(row.values()))
    content = dataset.export(file_format)

    import_file(
        curator_client, "provenance/agent", f"people.{file_format}", content,
        file_format=file_format,
    )  # fmt: skip

    assert Agent.objects.get(slug="mao-zedong").other_names.count() == 2


def test_a_spreadsheet_date_cell_is_read_as_the_date_it_shows(curator_client):
    import datetime

    dataset = tablib.Dataset(headers=["slug", "title", "kind", "date"])
    dataset.append(["telegram", "Telegram", "telegram", datetime.datetime(1950, 1, 30)])
    dataset.append(["report", "Report", "report", 1966])

    import_file(curator_client, "provenance/source", "s.xlsx", dataset.export("xlsx"),
                file_format="xlsx")  # fmt: skip

    assert Source.objects.get(slug="telegram").date == "1950-01-30"
    assert Source.objects.get(slug="report").date == "1966"


def test_a_file_not_in_utf8_gets_a_clear_message(curator_client):
    content = csv_bytes([{"slug": "jose", "name": "José Martí"}], encoding="latin-1")

    response = preview(curator_client, "provenance/agent", "people.csv", content)

    assert response.status_code == 200
    assert "not in UTF-8" in page_text(response)


def test_a_file_with_wrong_columns_names_them(curator_client):
    content = csv_bytes([{"slug": "x", "fullname": "X"}])

    response = preview(curator_client, "provenance/agent", "people.csv", content)

    text = page_text(response)
    assert "missing column “name”" in text and "unknown column “fullname”" in text
    assert "Traceback" not in text


def test_a_file_with_too_many_rows_is_refused(curator_client, settings):
    settings.IMPORT_MAX_ROWS = 3
    rows = [{"slug": f"p{i}", "name": f"P {i}"} for i in range(4)]

    response = preview(curator_client, "provenance/agent", "people.csv", csv_bytes(rows))

    assert "This file has 4 rows; an import takes up to 3" in page_text(response)


def test_a_file_too_large_is_refused_before_it_is_read(curator_client, settings):
    settings.IMPORT_MAX_BYTES = 100
    rows = [{"slug": f"p{i}", "name": f"Person {i}"} for i in range(20)]

    response = preview(curator_client, "provenance/agent", "people.csv", csv_bytes(rows))

    assert "an import takes files up to 100" in page_text(response)


def test_a_file_that_is_not_a_spreadsheet_gets_a_clear_message(curator_client):
    response = preview(
        curator_client, "provenance/agent", "people.xlsx", b"not a workbook", file_format="xlsx"
    )

    assert response.status_code == 200
    assert "could not be read as xlsx" in page_text(response)


def test_only_those_who_may_add_and_change_can_import(client, django_user_model):
    from django.contrib.auth.models import Permission

    viewer = django_user_model.objects.create_user("viewer", password="x", is_staff=True)
    viewer.user_permissions.add(Permission.objects.get(codename="view_agent"))
    client.force_login(viewer)

    assert client.get("/admin/provenance/agent/import/").status_code == 403
    assert b"import_link" not in client.get("/admin/provenance/agent/").content


def test_the_import_page_is_offered_on_the_list(curator_client):
    page = curator_client.get("/admin/provenance/source/")

    assert b"/admin/provenance/source/import/" in page.content
    assert b"Recover deleted" in page.content


def test_a_preview_leaves_nothing_in_the_history(curator_client):
    preview(curator_client, "provenance/agent", "people.csv", csv_bytes(PEOPLE))

    assert not Revision.objects.exists()
    assert not ImportRun.objects.exists()


def test_confirming_the_same_preview_twice_imports_once_and_explains(curator_client):
    response = preview(curator_client, "provenance/agent", "people.csv", csv_bytes(PEOPLE))
    confirm(curator_client, "provenance/agent", response)

    again = confirm(curator_client, "provenance/agent", response)

    assert again.status_code == 302
    assert any("already confirmed" in message for message in messages_of(again))
    assert Agent.objects.count() == 2
    assert ImportRun.objects.count() == 1
