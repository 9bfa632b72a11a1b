"""Undoing an import from the list of imports: everything it added goes, everything it
changed comes back as it was, in one step, and only when nothing was changed since."""

import pytest
import reversion

from claims.models import Claim, Evidence
from intake.models import ImportRun
from intake.services import deletion_batches
from provenance.models import Agent, AgentName, Source, SourceCreator
from tests.builders import make_agent, make_claim, make_source, messages_of
from tests.intake.uploads import csv_bytes, import_file, page_text

pytestmark = pytest.mark.django_db


def undo(client, run):
    return client.post(f"/admin/intake/importrun/{run.pk}/undo/")


def test_undo_deletes_what_the_import_added_and_puts_back_what_it_changed(curator_client):
    stalin = make_agent("Joseph Stalin", slug="stalin", description="Soviet leader.")
    AgentName.objects.create(agent=stalin, name="Iosif Dzhugashvili")
    rows = [
        {"slug": "stalin", "name": "Joseph Stalin", "description": "General Secretary.",
         "other_names": "Stalin"},
        {"slug": "kim-il-sung", "name": "Kim Il Sung", "description": "", "other_names": ""},
    ]  # fmt: skip
    import_file(curator_client, "provenance/agent", "people.csv", csv_bytes(rows))
    assert Agent.objects.get(slug="stalin").description == "General Secretary."

    response = undo(curator_client, ImportRun.objects.get())

    assert response.status_code == 302
    assert list(Agent.objects.values_list("slug", flat=True)) == ["stalin"]
    stalin.refresh_from_db()
    assert stalin.description == "Soviet leader."
    assert list(stalin.other_names.values_list("name", flat=True)) == ["Iosif Dzhugashvili"]
    assert ImportRun.objects.get().undone_at is not None
    assert any("was undone" in message for message in messages_of(response))


def test_undo_of_sources_removes_the_people_their_creators_column_added(curator_client):
    rows = [{"slug": "memoir", "title": "Memoir", "kind": "memoir", "date": "1970",
             "creators": "Khrushchev, Nikita (author)"}]  # fmt: skip
    import_file(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))
    assert Agent.objects.get().sort_name == "Khrushchev, Nikita"

    undo(curator_client, ImportRun.objects.get())

    assert not Source.objects.exists()
    assert not SourceCreator.objects.exists()
    assert not Agent.objects.exists()


def test_undo_of_evidence_restores_the_claims_strength(curator_client):
    claim = make_claim("Stalin approved the attack.", slug="claim", status=Claim.Status.DRAFT)
    make_source("Telegram", slug="telegram", kind=Source.Kind.TELEGRAM, date="1950")
    rows = [{"claim": "claim", "source": "telegram", "stance": "supports"}]
    import_file(curator_client, "claims/evidence", "evidence.csv", csv_bytes(rows))

    undo(curator_client, ImportRun.objects.get())

    claim.refresh_from_db()
    assert not Evidence.objects.exists()
    assert claim.strength_level == Claim.Level.NONE


def test_the_undo_asks_for_confirmation_first(curator_client):
    import_file(
        curator_client, "provenance/agent", "people.csv", csv_bytes([{"slug": "a", "name": "A"}])
    )
    run = ImportRun.objects.get()

    page = curator_client.get(f"/admin/intake/importrun/{run.pk}/undo/")

    assert "Yes, undo this import" in page_text(page)
    assert "deletes the 1 record it added" in page_text(page)
    assert Agent.objects.exists()


def test_undo_is_refused_when_a_record_was_changed_since(curator_client, curator):
    import_file(
        curator_client, "provenance/agent", "people.csv", csv_bytes([{"slug": "a", "name": "A"}])
    )
    with reversion.create_revision():
        agent = Agent.objects.get(slug="a")
        agent.description = "Added by hand later."
        agent.save()
        reversion.set_user(curator)

    response = undo(curator_client, ImportRun.objects.get())

    assert any("was changed after the import" in message for message in messages_of(response))
    assert Agent.objects.get(slug="a").description == "Added by hand later."
    assert ImportRun.objects.get().undone_at is None


def test_undo_is_refused_when_something_added_since_uses_an_imported_record(curator_client):
    rows = [{"slug": "memoir", "title": "Memoir", "kind": "memoir", "date": "1970"}]
    import_file(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))
    Evidence.objects.create(
        claim=make_claim("A claim", slug="c"), source=Source.objects.get(), stance="supports"
    )

    response = undo(curator_client, ImportRun.objects.get())

    assert any("now used elsewhere" in message for message in messages_of(response))
    assert Source.objects.exists()


def test_an_import_is_undone_once(curator_client):
    import_file(
        curator_client, "provenance/agent", "people.csv", csv_bytes([{"slug": "a", "name": "A"}])
    )
    run = ImportRun.objects.get()
    undo(curator_client, run)

    response = undo(curator_client, run)

    assert any("already undone" in message for message in messages_of(response))


def test_another_curator_cannot_undo_an_import_but_an_editor_can(
    curator_client, client, editor, django_user_model
):
    from tests.conftest import staff_member_of

    import_file(
        curator_client, "provenance/agent", "people.csv", csv_bytes([{"slug": "a", "name": "A"}])
    )
    run = ImportRun.objects.get()
    other = staff_member_of(django_user_model, "other-curator", "Curators")
    client.force_login(other)

    refused = undo(client, run)
    assert any("Only the curator who made an import" in m for m in messages_of(refused))
    assert Agent.objects.exists()

    client.force_login(editor)
    undo(client, run)
    assert not Agent.objects.exists()


def test_the_list_of_imports_shows_who_imported_what_and_when(curator_client):
    import_file(
        curator_client, "provenance/agent", "people.csv", csv_bytes([{"slug": "a", "name": "A"}])
    )

    page = page_text(curator_client.get("/admin/intake/importrun/"))

    assert "people.csv" in page and "curator" in page and "Undo…" in page


def test_undo_puts_back_the_creators_an_import_replaced(curator_client):
    khrushchev = make_agent("Nikita Khrushchev", slug="khrushchev")
    talbott = make_agent("Strobe Talbott", slug="talbott")
    memoir = make_source(
        "Khrushchev Remembers", slug="memoir", kind=Source.Kind.MEMOIR, date="1970",
        creators=[khrushchev, (talbott, "translator")],
    )  # fmt: skip
    rows = [{"slug": "memoir", "title": "Khrushchev Remembers", "kind": "memoir",
             "date": "1970", "creators": "khrushchev (author)"}]  # fmt: skip
    import_file(curator_client, "provenance/source", "sources.csv", csv_bytes(rows))
    assert memoir.creator_roles.count() == 1

    undo(curator_client, ImportRun.objects.get())

    assert [(c.agent.slug, c.role) for c in memoir.creator_roles.all()] == [
        ("khrushchev", "author"),
        ("talbott", "translator"),
    ]


def test_an_undo_that_would_change_a_claim_published_since_is_refused(curator_client):
    claim = make_claim("Stalin approved the attack.", slug="claim", status=Claim.Status.DRAFT)
    make_source("Telegram", slug="telegram", kind=Source.Kind.TELEGRAM, date="1950")
    rows = [{"claim": "claim", "source": "telegram", "stance": "supports"}]
    import_file(curator_client, "claims/evidence", "evidence.csv", csv_bytes(rows))
    Claim.objects.filter(pk=claim.pk).update(status=Claim.Status.PUBLISHED)

    response = undo(curator_client, ImportRun.objects.get())

    assert "since published" in " ".join(messages_of(response))
    assert Evidence.objects.filter(claim=claim).count() == 1
    assert ImportRun.objects.get().undone_at is None


def test_undo_deletes_each_kind_of_record_before_the_kinds_it_refers_to():
    added = [["provenance.agent", 1], ["provenance.source", 2], ["provenance.sourcecreator", 3],
             ["provenance.source", 4], ["provenance.sourcecreator", 5]]  # fmt: skip

    batches = deletion_batches(added)

    assert [(model, pks) for model, pks in batches] == [
        (SourceCreator, [3, 5]),
        (Source, [2, 4]),
        (Agent, [1]),
    ]


def test_undo_deletes_one_record_at_a_time_newest_first_when_a_kind_refers_to_itself():
    added = [["claims.topic", 1], ["claims.topic", 2], ["claims.claim", 3]]

    batches = deletion_batches(added)

    assert [(model._meta.model_name, pks) for model, pks in batches] == [
        ("claim", [3]),
        ("topic", [2]),
        ("topic", [1]),
    ]
