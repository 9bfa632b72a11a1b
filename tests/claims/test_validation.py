"""Bad input gets a clear message on the form, never a server error: malformed and
impossible dates, declassification before creation, presentation before the source
existed, citation cycles, evidence without a source or stance, duplicate slugs, invalid
addresses, over-long quotations; and random text in every date and text field."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims.models import QUOTATION_MAX_LENGTH, Claim, Evidence, Presentation, Topic
from provenance.models import Affiliation, Agent, Citation, CustodyEvent, Event, Source
from tests.builders import admin_url, form_data, korean_war_claim

pytestmark = pytest.mark.django_db


def empty_inlines(data, *prefixes):
    """Management forms for inlines the data does not fill."""
    for prefix in prefixes:
        data.setdefault(f"{prefix}-TOTAL_FORMS", "0")
        data.setdefault(f"{prefix}-INITIAL_FORMS", "0")
    return data


def source_data(**overrides):
    data = {
        "title": "A memorandum",
        "slug": "a-memorandum",
        "kind": "memorandum",
        "date": "1950-06-25",
        "access": "published",
        "authenticity": "accepted",
        **overrides,
    }
    return empty_inlines(data, "creator_roles", "citations_made", "custody_events")


def claim_data(**overrides):
    data = {
        "statement": "Kim Il Sung pressed Stalin for permission.",
        "slug": "kim-pressed",
        "date": "1949/1950",
        **overrides,
    }
    return empty_inlines(data, "evidence")


def agent_data(**overrides):
    data = {"name": "Kathryn Weathersby", "slug": "weathersby", "kind": "person", **overrides}
    return empty_inlines(data, "other_names", "affiliations")


def event_data(**overrides):
    return {"name": "A conference", "slug": "a-conference", "date": "1993-01", **overrides}


def errors_of(response):
    """{field: [messages]} of the main form and every inline form on the page."""
    assert response.status_code == 200, "a form with errors comes back as the form page"
    errors = {k: list(v) for k, v in response.context["adminform"].form.errors.items()}
    for inline in response.context.get("inline_admin_formsets", []):
        for form in inline.formset.forms:
            for field, messages in form.errors.items():
                errors.setdefault(f"{inline.formset.prefix}.{field}", []).extend(messages)
        errors.setdefault("__inline__", []).extend(inline.formset.non_form_errors())
    return errors


@pytest.mark.parametrize(
    "date, says",
    [
        ("1950-13-01", "there is no month 13"),
        ("1950-02-30", "February 1950 has only 28 days"),
        ("1950-06-31", "June 1950 has only 30 days"),
        ("25 June 1950", "not a date we can read"),
        ("1966/1950", "it ends before it starts"),
        ("2999", "has not come yet"),
    ],
)
def test_a_malformed_or_impossible_source_date_is_explained_with_examples(
    curator_client, date, says
):
    response = curator_client.post(admin_url(Source, "add"), source_data(date=date))
    [message] = errors_of(response)["date"]
    assert says in message
    assert not Source.objects.exists()


@pytest.mark.parametrize(
    "model, data",
    [(Claim, claim_data), (Agent, agent_data), (Event, event_data)],
    ids=["claim", "agent", "event"],
)
def test_every_dated_form_refuses_a_malformed_date(curator_client, model, data):
    response = curator_client.post(admin_url(model, "add"), data(date="1950-13-45"))
    assert "there is no month 13" in errors_of(response)["date"][0]
    assert not model.objects.exists()


def test_declassification_before_the_source_was_created_is_refused_in_the_source_form(
    curator_client,
):
    data = source_data(
        date="1966",
        **{
            "custody_events-TOTAL_FORMS": "1",
            "custody_events-0-kind": "declassified",
            "custody_events-0-date": "1960",
        },
    )
    response = curator_client.post(admin_url(Source, "add"), data)
    [message] = errors_of(response)["custody_events.date"]
    assert message == "Declassified 1960 is before the source was created (1966)."
    assert not Source.objects.exists()


def test_moving_a_sources_date_after_its_declassification_is_refused(curator_client):
    korean_war_claim(status=Claim.Status.DRAFT)
    report = Source.objects.get(slug="report-1966")  # declassified 13 January 1993
    data = form_data(curator_client.get(admin_url(Source, "change", report.pk)))
    data["date"] = "1995"
    response = curator_client.post(admin_url(Source, "change", report.pk), data)
    assert "before the source was created" in errors_of(response)["custody_events.date"][0]
    assert Source.objects.get(pk=report.pk).date == "1966-08-09"


def test_a_status_changing_custody_event_needs_a_date(curator_client):
    korean_war_claim(status=Claim.Status.DRAFT)
    report = Source.objects.get(slug="report-1966")
    response = curator_client.post(
        admin_url(CustodyEvent, "add"), {"source": report.pk, "kind": "published", "date": ""}
    )
    assert "Give a date" in errors_of(response)["date"][0]


def test_presentation_before_the_source_existed_is_refused(curator_client):
    evidence = korean_war_claim(status=Claim.Status.DRAFT).evidence.get(source__slug="report-1966")
    response = curator_client.post(
        admin_url(Presentation, "add"),
        {"evidence": evidence.pk, "presenters": [Agent.objects.first().pk], "date": "1955"},
    )
    assert errors_of(response)["date"] == [
        "Presented 1955, before the source existed (9 August 1966)."
    ]


@pytest.mark.parametrize("cycle_length", [1, 2, 3])
def test_a_citation_cycle_of_any_length_is_refused(curator_client, cycle_length):
    chain = [
        Source.objects.create(slug=f"s{i}", title=f"Source {i}", kind="report", date="1960")
        for i in range(cycle_length)
    ]
    for citing, cited in zip(chain, chain[1:], strict=False):
        Citation.objects.create(citing=citing, cited=cited)
    response = curator_client.post(
        admin_url(Citation, "add"),
        {"citing": chain[-1].pk, "cited": chain[0].pk, "kind": "cites"},
    )
    [message] = errors_of(response)["cited"]
    assert "cannot derive from itself" in message or "would make a circle" in message
    assert Citation.objects.count() == cycle_length - 1


def test_a_citation_cycle_is_refused_in_the_source_form_too(curator_client):
    korean_war_claim(status=Claim.Status.DRAFT)  # the report summarises the telegrams
    telegrams = Source.objects.get(slug="telegrams")
    report = Source.objects.get(slug="report-1966")
    data = form_data(curator_client.get(admin_url(Source, "change", telegrams.pk)))
    data.update(
        {
            "citations_made-TOTAL_FORMS": "1",
            "citations_made-0-cited": str(report.pk),
            "citations_made-0-kind": "cites",
        }
    )
    response = curator_client.post(admin_url(Source, "change", telegrams.pk), data)
    assert "would make a circle" in errors_of(response)["citations_made.cited"][0]


@pytest.mark.parametrize(
    "missing, says", [("source", "This field is required."), ("stance", "This field is required.")]
)
def test_evidence_without_a_source_or_a_stance_is_refused_on_the_claim_form(
    curator_client, missing, says
):
    korean_war_claim(slug="other", status=Claim.Status.DRAFT)
    report = Source.objects.get(slug="report-1966")
    evidence = {
        "evidence-TOTAL_FORMS": "1",
        "evidence-INITIAL_FORMS": "0",
        "evidence-0-source": str(report.pk),
        "evidence-0-stance": "supports",
        "evidence-0-directness": "direct",
        "evidence-0-quotation": "Stalin agreed.",
    }
    evidence[f"evidence-0-{missing}"] = ""
    response = curator_client.post(admin_url(Claim, "add"), claim_data(**evidence))
    assert errors_of(response)[f"evidence.{missing}"] == [says]
    assert not Claim.objects.filter(slug="kim-pressed").exists()


def test_the_same_source_twice_on_one_claim_is_refused(curator_client):
    korean_war_claim(slug="other", status=Claim.Status.DRAFT)
    report = Source.objects.get(slug="report-1966")
    evidence = {"evidence-TOTAL_FORMS": "2", "evidence-INITIAL_FORMS": "0"}
    for i in (0, 1):
        evidence.update(
            {
                f"evidence-{i}-source": str(report.pk),
                f"evidence-{i}-stance": "supports",
                f"evidence-{i}-directness": "direct",
            }
        )
    response = curator_client.post(admin_url(Claim, "add"), claim_data(**evidence))
    assert "duplicate" in " ".join(errors_of(response)["__inline__"]).lower()


@pytest.mark.parametrize(
    "model, data, existing",
    [
        (
            Claim,
            claim_data,
            lambda: korean_war_claim(slug="kim-pressed", status=Claim.Status.DRAFT),
        ),
        (
            Source,
            source_data,
            lambda: Source.objects.create(slug="a-memorandum", title="M", kind="memorandum"),
        ),
        (Agent, agent_data, lambda: Agent.objects.create(slug="weathersby", name="K. W.")),
        (Event, event_data, lambda: Event.objects.create(slug="a-conference", name="C")),
        (
            Topic,
            lambda: {"name": "Korean War", "slug": "korean-war"},
            lambda: Topic.objects.create(slug="korean-war", name="K"),
        ),
    ],
    ids=["claim", "source", "agent", "event", "topic"],
)
def test_a_duplicate_slug_is_refused(curator_client, model, data, existing):
    existing()
    response = curator_client.post(admin_url(model, "add"), data())
    assert "already exists" in errors_of(response)["slug"][0]


@pytest.mark.parametrize("url", ["not an address", "javascript:alert(1)", "http://"])
def test_an_invalid_web_address_is_refused(curator_client, url):
    response = curator_client.post(admin_url(Source, "add"), source_data(url=url))
    assert errors_of(response)["url"] == ["Enter a valid URL."]
    response = curator_client.post(admin_url(Event, "add"), event_data(url=url))
    assert errors_of(response)["url"] == ["Enter a valid URL."]


def test_a_quotation_over_the_maximum_length_is_refused(curator_client):
    evidence = korean_war_claim(status=Claim.Status.DRAFT).evidence.get(source__slug="report-1966")
    data = {
        "claim": evidence.claim_id,
        "source": evidence.source_id,
        "stance": "supports",
        "directness": "direct",
        "quotation": "x" * (QUOTATION_MAX_LENGTH + 1),
        "presentations-TOTAL_FORMS": "0",
        "presentations-INITIAL_FORMS": "0",
    }
    response = curator_client.post(admin_url(Evidence, "change", evidence.pk), data)
    [message] = errors_of(response)["quotation"]
    assert f"at most {QUOTATION_MAX_LENGTH} characters" in message
    data["quotation"] = "x" * QUOTATION_MAX_LENGTH
    assert curator_client.post(admin_url(Evidence, "change", evidence.pk), data).status_code == 302


def test_an_affiliation_with_a_person_is_refused(curator_client):
    person = Agent.objects.create(slug="holloway", name="David Holloway")
    other = Agent.objects.create(slug="weathersby", name="Kathryn Weathersby")
    response = curator_client.post(
        admin_url(Affiliation, "add"), {"agent": person.pk, "organisation": other.pk, "role": "x"}
    )
    assert errors_of(response)["organisation"]


def test_a_topic_under_itself_is_refused(curator_client):
    top = Topic.objects.create(slug="cold-war", name="Cold War")
    child = Topic.objects.create(slug="korean-war", name="Korean War", parent=top)
    response = curator_client.post(
        admin_url(Topic, "change", top.pk),
        {"name": "Cold War", "slug": "cold-war", "parent": child.pk, "description": ""},
    )
    assert errors_of(response)["parent"] == ["A topic cannot sit under itself."]


# Random input: a form error or a success, never a server error.

ODD_TEXT = st.one_of(
    st.text(max_size=200),
    st.sampled_from(
        [
            "",
            " ",
            "\x00",
            "1950-13-45",
            "1950-02-29",
            "9999-12-31",
            "0000",
            "-1950",
            "1950/..",
            "../1950",
            "1950~/1960?",
            "195X",
            "Y170000002",
            "{1950,1951,1952}",
            "[1950..1960]",
            "1950-21",
            "%1950",
            "<script>alert(1)</script>",
            "' OR 1=1 --",
            "x" * 1000,
            "🙂" * 50,
        ]
    ),
)

FORMS = {
    "source": (Source, source_data, ["date", "title", "description", "archival_reference"]),
    "claim": (Claim, claim_data, ["date", "statement", "summary", "curator_note"]),
    "agent": (Agent, agent_data, ["date", "name", "sort_name", "description"]),
    "event": (Event, event_data, ["date", "name", "place", "description"]),
}


@pytest.mark.parametrize("form", list(FORMS))
def test_random_text_in_date_and_text_fields_gets_a_form_error_or_success(form, curator):
    model, data, fields = FORMS[form]
    browser = Client(raise_request_exception=False)
    browser.force_login(curator)
    counter = iter(range(10**6))

    @settings(
        max_examples=30,
        deadline=None,
        suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
    )
    @given(values=st.fixed_dictionaries({field: ODD_TEXT for field in fields}))
    def post_random(values):
        response = browser.post(
            admin_url(model, "add"), data(slug=f"random-{next(counter)}", **values)
        )
        assert response.status_code in (200, 302), response.status_code
        if response.status_code == 200:
            assert errors_of(response), "a form page that comes back says what is wrong"

    post_random()
