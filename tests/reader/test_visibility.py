"""One visibility rule (claims/visibility.py) on every public surface: a source, a
person or an organisation, an event or a topic that only an unpublished claim rests
on appears nowhere a reader can look; publishing the claim makes each appear, and
unpublishing hides it again.

Every record only the unpublished claim reaches carries a word found nowhere else, so
a leak anywhere (a name, a title, a link) is caught by looking for that word.
"""

import pytest
from django.core.cache import cache
from django.urls import reverse

from claims import visibility
from claims.models import Claim
from claims.public_figures import count_public
from provenance.models import CustodyEvent, Source
from tests.builders import (
    add_evidence,
    cite,
    make_affiliation,
    make_agent,
    make_claim,
    make_custody_event,
    make_event,
    make_organisation,
    make_presentation,
    make_source,
    make_topic,
)

pytestmark = pytest.mark.django_db

SECRET = "Xylofant"
ALOOF = "Aloofwick"  # two affiliations away from the claim: never public


@pytest.fixture(params=[Claim.Status.DRAFT, Claim.Status.IN_REVIEW])
def world(request):
    """A published claim with its public records, and an unpublished claim that rests
    on records of every kind in every way the models allow, some of them linked to the
    public records too."""
    # What is public already.
    institute = make_organisation("Public Institute")
    conference = make_event("Public Conference", date="1993")
    public_source = make_source("Public Report", kind=Source.Kind.REPORT, date="1966")
    published = make_claim("A published claim", subjects=[institute])
    make_presentation(add_evidence(published, public_source), date="1993", event=conference)

    # What only the unpublished claim rests on.
    def secret(name):
        return f"{SECRET} {name}"

    parent_topic = make_topic(secret("broad topic"))
    topic = make_topic(secret("topic"), parent=parent_topic)
    subject = make_agent(secret("Subject"))
    presenter = make_agent(secret("Presenter"))
    creator = make_agent(secret("Author"))
    custodian = make_agent(secret("Custodian"))
    archive = make_organisation(secret("Archive"))
    organiser = make_organisation(secret("Organiser"))
    event = make_event(secret("Meeting"), date="1994", organisers=[organiser])
    custody_place = make_event(secret("Declassification Commission"), date="1992")
    evidence_source = make_source(
        secret("memorandum"), kind=Source.Kind.MEMORANDUM, creators=[creator]
    )
    cited = make_source(secret("telegram"), kind=Source.Kind.TELEGRAM, archive=archive)
    cited_further = make_source(secret("draft of the telegram"), kind=Source.Kind.TELEGRAM)
    news = make_source(secret("news report"), kind=Source.Kind.NEWS_REPORT)
    cite(evidence_source, cited)
    cite(cited, cited_further)
    cite(evidence_source, public_source)  # the public report is cited by a secret source
    make_custody_event(
        evidence_source,
        CustodyEvent.Kind.DECLASSIFIED,
        "1992",
        agents=[custodian],
        event=custody_place,
    )
    # On the public pages too: at the public conference, and organised or held by the
    # public institute.
    make_custody_event(evidence_source, CustodyEvent.Kind.PRESENTED, "1993", event=conference)
    event.organisers.add(institute)
    cited_further.archive = institute
    cited_further.save()
    make_affiliation(presenter, institute, role="fellow")
    society = make_organisation(secret("Society"))
    make_affiliation(presenter, society, role="member")
    make_affiliation(society, make_organisation(f"{ALOOF} Federation"), role="member")

    unpublished = make_claim(
        secret("approved it"),
        status=request.param,
        subjects=[subject],
        topics=[topic],
    )
    make_presentation(
        add_evidence(unpublished, evidence_source),
        presenters=[presenter],
        date="1994",
        event=event,
        reported_in=news,
    )
    records = {
        "source": [evidence_source, cited, cited_further, news],
        "agent": [subject, presenter, creator, custodian, archive, organiser, society],
        "event": [event, custody_place],
    }
    return {
        "published": published,
        "unpublished": unpublished,
        "institute": institute,
        "conference": conference,
        "public_source": public_source,
        "records": records,
        "topics": [topic, parent_topic],
    }


def get(client, url, data=None):
    cache.clear()
    # A subject typed that names one agent is redirected to the list about them.
    response = client.get(url, data, follow=True)
    assert response.status_code == 200, url
    return response.content.decode()


def public_surfaces(client, world):
    """Every public page a record could show on, and what each shows, the query a
    reader typed taken out where the page repeats it."""
    pages = {
        "home": get(client, reverse("claims:home")),
        "list": get(client, reverse("claims:list")),
        "published claim": get(client, world["published"].get_absolute_url()),
        "published claim JSON": get(
            client, reverse("claims:json", kwargs={"slug": world["published"].slug})
        ),
        "public source": get(client, world["public_source"].get_absolute_url()),
        "public institute": get(client, world["institute"].get_absolute_url()),
        "public conference": get(client, world["conference"].get_absolute_url()),
        "feed": get(client, reverse("claims:feed")),
        "sitemap": get(client, reverse("claims:sitemap")),
    }
    for word in (SECRET, "Xylo", f"{SECRET} Subject", ALOOF):
        pages[f"search {word}"] = get(client, reverse("provenance:search"), {"q": word}).replace(
            word, ""
        )
        pages[f"subjects {word}"] = get(client, reverse("claims:subject_lookup"), {"q": word})
        pages[f"subjects {word}"] = pages[f"subjects {word}"].replace(f'"query": "{word}"', "")
        listed = get(client, reverse("claims:list"), {"subject": word})
        pages[f"list about {word}"] = listed.replace(f'value="{word}"', "").replace(f"“{word}”", "")
    return pages


def record_pages(client, world):
    return {
        record: client.get(record.get_absolute_url()).status_code
        for kind in world["records"].values()
        for record in kind
    }


def assert_hidden(client, world):
    for status in record_pages(client, world).values():
        assert status == 404
    for name, html in public_surfaces(client, world).items():
        assert SECRET not in html, name
        assert ALOOF not in html, name
    assert not visibility.public_topics().filter(name__contains=SECRET).exists()


def set_status(claim, status, capture):
    with capture(execute=True):
        claim.status = status
        claim.save()


def test_records_only_an_unpublished_claim_rests_on_appear_nowhere_until_it_is_published(
    client, world, django_capture_on_commit_callbacks
):
    unpublished, records = world["unpublished"], world["records"]
    hidden_status = unpublished.status
    set_status(unpublished, hidden_status, django_capture_on_commit_callbacks)  # store counts
    counts_before = count_public()

    assert_hidden(client, world)
    assert counts_before == {"claims": 1, "sources": 1, "people": 1, "events": 1}

    set_status(unpublished, Claim.Status.PUBLISHED, django_capture_on_commit_callbacks)

    assert set(record_pages(client, world).values()) == {200}
    pages = public_surfaces(client, world)
    for kind in records.values():
        for record in kind:
            assert record.get_absolute_url() in pages["sitemap"], record
    source_page, institute, conference = (
        pages["public source"],
        pages["public institute"],
        pages["public conference"],
    )
    # Each list on the public pages names the record now public.
    evidence_source, _, cited_further, _ = records["source"]
    subject, presenter, *_, society = records["agent"]
    event, _ = records["event"]
    assert evidence_source.get_absolute_url() in source_page  # cited by
    assert presenter.get_absolute_url() in institute  # members
    assert event.get_absolute_url() in institute  # events organised
    assert cited_further.get_absolute_url() in institute  # held
    assert evidence_source.get_absolute_url() in conference  # custody there
    assert society.get_absolute_url() in get(client, presenter.get_absolute_url())
    assert f"{SECRET} Subject" in pages[f"subjects {SECRET}"]
    assert evidence_source.get_absolute_url() in pages[f"search {SECRET}"]
    assert presenter.get_absolute_url() in pages[f"search {SECRET}"]
    for topic in world["topics"]:
        assert f'value="{topic.slug}"' in pages["list"]
    assert count_public() == {
        "claims": 2,
        "sources": 1 + len(records["source"]),
        "people": 1 + len(records["agent"]),
        "events": 1 + len(records["event"]),
    }
    assert f"<strong>{1 + len(records['agent'])}</strong> people" in pages["home"]
    # Only the organisations of those public for another reason.
    assert ALOOF not in "".join(pages.values())

    set_status(unpublished, hidden_status, django_capture_on_commit_callbacks)

    assert_hidden(client, world)
    assert count_public() == counts_before
    assert "<strong>1</strong> person or organisation" in get(client, reverse("claims:home"))
