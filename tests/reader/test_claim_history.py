"""The claim page answers "how did that change" at a glance: the verdict's history in
one line at the top, each timeline step naming the sources that moved it and why, the
chart labelling today, and the small faults of issue 16 (the not-counted notes said
once per reason, future as-of dates refused)."""

import datetime
import re

import pytest
from django.urls import reverse

from claims.models import Evidence
from provenance.models import CustodyEvent, Source
from reader.presenters import AsOfError, parse_as_of
from tests.builders import add_evidence, korean_war_claim, make_custody_event, make_source

pytestmark = pytest.mark.django_db


def html_of(client, claim, query=""):
    response = client.get(reverse("claims:detail", kwargs={"slug": claim.slug}) + query)
    assert response.status_code == 200
    return response.content.decode()


def verdict_of(html):
    return html.split('id="verdict-heading"')[1].split("</section>")[0]


def history_of(html):
    return verdict_of(html).split('class="verdict__history"')[1].split("</p>")[0]


@pytest.fixture
def claim():
    return korean_war_claim()


def test_verdict_box_tells_the_history_in_one_line_linking_each_level_to_its_date(client, claim):
    history = history_of(html_of(client, claim))

    links = re.findall(r'<a href="([^"]*)"[^>]*>([^<]*)</a>', history)
    # "No evidence recorded" before the memoir is left out; the memoir's doubt and
    # authentication fold into "Weak"; each level is linked to the page as of the day
    # it began, and today's verdict to the page itself.
    assert links == [
        ("?as_of=1970-12-31", "Weak from 1970"),
        ("?as_of=1990-12-31", "Moderate from 1990"),
        ("?as_of=1993-01-12", "Strong from 12 January 1993"),
        (claim.get_absolute_url(), "Established today"),
    ]
    assert "No evidence recorded" not in history
    assert history.count('<span aria-hidden="true">·</span>') == 3


def test_history_marks_the_level_of_an_as_of_page(client, claim):
    history = history_of(html_of(client, claim, "?as_of=1971"))

    assert '<a href="?as_of=1970-12-31" aria-current="step">Weak from 1970</a>' in history


def test_each_timeline_step_names_the_sources_that_moved_it_and_why(client, claim):
    html = html_of(client, claim)

    steps = html.split('<ol class="timeline-steps">')[1].split("</ol>")[0]
    memoir = Source.objects.get(slug="khrushchev-remembers")
    report = Source.objects.get(slug="report-1966")
    from_1970 = steps.split(">From 1970</a>")[1].split("</li>\n")[0]
    assert (
        f'<a href="{memoir.get_absolute_url()}">Khrushchev Remembers</a> '
        "published; authenticity doubted"
    ) in from_1970
    from_1993 = steps.split(">From 12 January 1993</a>")[1].split("</li>\n")[0]
    assert f'<a href="{report.get_absolute_url()}">On the Korean War' in from_1993
    assert "</a> declassified" in from_1993
    before = steps.split(">Before 1970</a>")[1].split("</li>")[0]
    assert "step-changes" not in before


def test_a_finding_names_the_source_that_documents_it(client, claim):
    memoir = Source.objects.get(slug="khrushchev-remembers")
    forensic = make_source("Forensic report on the tapes", kind=Source.Kind.FORENSIC_ANALYSIS)
    make_custody_event(memoir, CustodyEvent.Kind.DISPUTED, "2001", documented_in=forensic)

    steps = html_of(client, claim).split('<ol class="timeline-steps">')[1].split("</ol>")[0]

    assert (
        "Khrushchev Remembers</a> authenticity disputed "
        "(documented in Forensic report on the tapes)"
    ) in steps


def test_the_chart_labels_today_and_scrolls_in_a_named_focusable_region(client, claim):
    html = html_of(client, claim)

    figure = html.split('<figure class="timeline-figure">')[1].split("</figure>")[0]
    assert re.search(r'<text class="tl-today" x="[\d.]+" y="[\d.]+">today</text>', figure)
    assert 'class="timeline-scroll" tabindex="0" role="region" aria-label="' in figure
    assert "Scroll the chart sideways to see it all" in figure


def test_items_not_counted_for_one_reason_share_one_sentence_with_a_count(client, claim):
    for number in range(3):
        source = make_source(
            f"Telegram {number}",
            kind=Source.Kind.TELEGRAM,
            access=Source.Access.DECLASSIFIED,
            custody=[(CustodyEvent.Kind.DECLASSIFIED, "2000")],
        )
        add_evidence(claim, source, stance=Evidence.Stance.SUPPORTS)

    html = html_of(client, claim, "?as_of=1999")

    not_counted = html.split('id="not-counted-heading"')[1].split("</section>")[0]
    sentence = "Not yet public on 31 December 1999, so not counted as of that date"
    assert not_counted.count(sentence) == 1
    assert re.search(re.escape(sentence) + r" — \d+ sources:", not_counted)
    for number in range(3):
        assert f">Telegram {number}</a> (supports)</li>" in not_counted


@pytest.mark.parametrize("future", ["2999", "2999-01", "2027-01-01"])
def test_an_as_of_date_in_the_future_is_refused_with_a_message_and_status_400(
    client, claim, future
):
    response = client.get(claim.get_absolute_url() + f"?as_of={future}")

    html = response.content.decode()
    assert response.status_code == 400
    assert "That date could not be read." in html
    assert f"“{future}” is in the future." in html
    assert 'id="claim-statement"' in html


def test_today_and_the_period_under_way_are_allowed_and_mean_today():
    today = datetime.date(2026, 12, 7)

    assert parse_as_of("2026-12-07", today=today) == today
    assert parse_as_of("2026-12", today=today) == today
    assert parse_as_of("2026", today=today) == today
    assert parse_as_of("2025", today=today) == datetime.date(2025, 12, 31)
    with pytest.raises(AsOfError, match="in the future"):
        parse_as_of("2026-12-08", today=today)
