"""The picture of where the evidence comes from (reader/derivations.py): on a claim
page the sources behind it grouped into its independent lines, on a source page what
it derives from and what derives from it; public sources only; drawn by Graphviz's
`dot` as SVG whose boxes link to the sources' pages, and in words when `dot` cannot
draw it."""

import datetime
import logging
import re

import pytest

from claims import assessment
from claims.models import Claim, Evidence
from provenance.models import Citation, Source
from reader import derivations, presenters, selectors
from reader.views.sources import picture_for_page
from tests.builders import (
    add_evidence,
    cite,
    get_html,
    korean_war_claim,
    make_claim,
    make_presentation,
    make_public,
    make_source,
    page,
    section,
)

pytestmark = pytest.mark.django_db


def claim_picture(claim, *, as_of=None):
    """The picture as the claim page builds it, from the page's own reads."""
    evidence = selectors.evidence_for_page(claim)
    links = selectors.citation_links({item.source_id for item in evidence})
    facts = assessment.facts_from(evidence, links)
    return presenters.build_report(claim, evidence, facts, links, as_of=as_of).picture


def group_of(picture, key):
    return next(group.label for group in picture.groups if key in group.keys)


def edges(picture):
    return {(edge.citing, edge.cited, edge.kind) for edge in picture.edges}


def source(slug):
    return Source.objects.get(slug=slug)


@pytest.fixture
def claim():
    """The Korean War claim: the memoir, the 1966 report and the telegrams it
    summarises; the memoir quotes a diary that is no evidence itself; and a rebuttal
    that contradicts the claim, a line of its own."""
    claim = korean_war_claim()
    diary = make_source("A diarist's notes", slug="diary", kind=Source.Kind.DIARY)
    cite(source("khrushchev-remembers"), diary, kind=Citation.Kind.QUOTES)
    rebuttal = make_source("A rebuttal", slug="rebuttal", kind=Source.Kind.ARTICLE)
    add_evidence(claim, rebuttal, stance=Evidence.Stance.CONTRADICTS)
    return Claim.objects.get(pk=claim.pk)


# On a claim page


def test_a_claims_picture_holds_its_evidence_and_what_that_derives_from(claim):
    picture = claim_picture(claim)

    assert set(picture.nodes) == {
        "khrushchev-remembers",
        "diary",
        "report-1966",
        "telegrams",
        "rebuttal",
    }
    # The AP report only reported a presentation: it is no evidence, and not drawn.
    assert "ap-1993-01-13" not in picture.nodes
    assert edges(picture) == {
        ("report-1966", "telegrams", "summarises"),
        ("khrushchev-remembers", "diary", "quotes"),
    }
    assert [(edge.kind_label, node.key) for edge, node in picture.derivations("report-1966")] == [
        ("summarises", "telegrams")
    ]
    assert picture.nodes["report-1966"].path == "/sources/report-1966/"


def test_a_claims_picture_marks_the_roots_and_what_each_source_is(claim):
    nodes = claim_picture(claim).nodes

    assert {key for key, node in nodes.items() if node.is_root} == {
        "telegrams",
        "diary",
        "rebuttal",
    }
    assert nodes["report-1966"].all_marks == ["evidence for"]
    assert nodes["telegrams"].all_marks == ["evidence for", "root"]
    assert nodes["diary"].all_marks == ["root"]
    assert nodes["rebuttal"].description == "A rebuttal (evidence against, root)"


def test_a_claims_picture_groups_its_sources_by_independent_line(claim):
    picture = claim_picture(claim)
    report_line = group_of(picture, "report-1966")
    memoir_line = group_of(picture, "khrushchev-remembers")

    # The report and the telegrams it summarises are one line; the memoir and the
    # diary it quotes another; the rebuttal is the one line against.
    assert group_of(picture, "telegrams") == report_line
    assert group_of(picture, "diary") == memoir_line
    assert {report_line, memoir_line} == {"Evidence for, line 1", "Evidence for, line 2"}
    assert group_of(picture, "rebuttal") == "Evidence against, line 1"
    assert picture.clustered


def test_a_source_relaying_two_lines_joins_one_and_points_to_both():
    claim = korean_war_claim()
    relay = make_source("A news report relaying both", slug="relay", kind=Source.Kind.NEWS_REPORT)
    cite(relay, source("report-1966"), kind=Citation.Kind.SUMMARISES)
    cite(relay, source("khrushchev-remembers"), kind=Citation.Kind.CITES)
    add_evidence(claim, relay)

    picture = claim_picture(Claim.objects.get(pk=claim.pk))

    lines = {group_of(picture, "report-1966"), group_of(picture, "khrushchev-remembers")}
    assert len(lines) == 2
    assert group_of(picture, "relay") in lines
    assert {
        ("relay", "report-1966", "summarises"),
        ("relay", "khrushchev-remembers", "cites"),
    } <= edges(picture)


def test_a_claims_picture_as_of_a_date_sets_what_was_not_yet_public_apart():
    picture = claim_picture(korean_war_claim(), as_of=datetime.date(1969, 12, 31))

    assert set(picture.nodes) == {"khrushchev-remembers", "report-1966", "telegrams"}
    assert {group_of(picture, key) for key in picture.nodes} == {"Not counted"}
    assert picture.nodes["report-1966"].all_marks == ["evidence for", "not counted"]


def test_no_source_that_only_a_draft_rests_on_is_in_a_claims_picture(client, claim):
    secret = make_source("A draft's secret source", slug="secret")
    cite(secret, source("report-1966"), kind=Citation.Kind.COPIES)
    add_evidence(make_claim("A draft", status=Claim.Status.DRAFT), secret)

    assert "secret" not in claim_picture(claim).nodes
    assert "secret source" not in page(client, claim)


# On a source page


def test_a_source_pages_picture_holds_what_it_derives_from_and_what_derives_from_it():
    korean_war_claim()
    book = make_source("A history of the war", slug="book")
    cite(book, source("report-1966"), kind=Citation.Kind.QUOTES)
    review = make_source("A review of the history", slug="review")
    cite(review, book, kind=Citation.Kind.CITES)
    make_public(review)

    picture = picture_for_page(source("report-1966"))

    assert list(picture.nodes) == ["report-1966", "telegrams", "book", "review"]
    assert edges(picture) == {
        ("report-1966", "telegrams", "summarises"),
        ("book", "report-1966", "quotes"),
        ("review", "book", "cites"),
    }
    assert [group.label for group, _nodes in picture.listed_groups()] == [
        "This source",
        "What it derives from",
        "What derives from it",
    ]
    assert picture.nodes["report-1966"].all_marks == ["this source"]
    assert picture.nodes["telegrams"].all_marks == ["root"]
    assert not picture.clustered and not picture.shortened


def test_a_source_pages_picture_leaves_out_sources_no_published_claim_rests_on():
    korean_war_claim()
    secret = make_source("A draft's secret source", slug="secret")
    cite(secret, source("report-1966"), kind=Citation.Kind.COPIES)
    add_evidence(make_claim("A draft", status=Claim.Status.DRAFT), secret)
    # Public only as the report of a presentation, and derived from the report through
    # a source that is not public: nothing public connects it to the report.
    unpublished = make_source("An unpublished translation", slug="unpublished")
    cite(unpublished, source("report-1966"), kind=Citation.Kind.TRANSLATES)
    newsletter = make_source("A newsletter", slug="newsletter")
    cite(newsletter, unpublished, kind=Citation.Kind.COPIES)
    make_presentation(
        add_evidence(make_claim("Another claim"), make_source("Paper")), reported_in=newsletter
    )

    picture = picture_for_page(source("report-1966"))

    assert set(picture.nodes) == {"report-1966", "telegrams"}
    assert edges(picture) == {("report-1966", "telegrams", "summarises")}


def test_a_source_with_many_relations_shows_the_nearest():
    korean_war_claim()
    below = source("report-1966")
    for number in range(derivations.MOST_RELATED + 5):
        later = make_source(f"Later {number:02}", slug=f"later-{number:02}")
        cite(later, below)
        below = later
    make_public(below)

    picture = picture_for_page(source("report-1966"))

    assert picture.shortened
    assert len(picture.nodes) == derivations.MOST_RELATED + 1
    assert "telegrams" in picture.nodes and "later-00" in picture.nodes
    assert f"later-{derivations.MOST_RELATED + 4:02}" not in picture.nodes


def test_a_source_page_with_no_relations_has_no_picture(client):
    lonely = make_source("A lonely memo", slug="lonely")
    make_public(lonely)

    assert 'id="provenance-heading"' not in page(client, lonely)


# Drawn


@pytest.fixture
def nasty_claim():
    """A claim resting on a source whose title a curator typed with markup, quotes
    and backslashes in it, deriving from another."""
    claim = korean_war_claim()
    nasty = make_source('</text><script>alert("x")</script> & \\N \\G <b>bold</b>', slug="nasty")
    cite(nasty, source("report-1966"), kind=Citation.Kind.TRANSLATES)
    add_evidence(claim, nasty)
    return Claim.objects.get(pk=claim.pk)


def drawing_of(html):
    match = re.search(r'<svg [^>]*class="provenance-svg".*?</svg>', html, re.S)
    assert match, "no drawing on the page"
    return match.group(0)


def test_the_drawing_links_each_box_to_its_sources_page(client, claim, needs_dot):
    drawing = drawing_of(section(page(client, claim), "provenance-heading"))

    links = re.findall(r'<a href="([^"]+)">\s*<title>([^<]+)</title>', drawing)
    assert sorted(links) == [
        ("/sources/diary/", "A diarist's notes (root)"),
        ("/sources/khrushchev-remembers/", "Khrushchev Remembers (evidence for)"),
        ("/sources/rebuttal/", "A rebuttal (evidence against, root)"),
        (
            "/sources/report-1966/",
            "On the Korean War, 1950–53, and the armistice negotiations (evidence for)",
        ),
        ("/sources/telegrams/", "Stalin–Kim telegrams (evidence for, root)"),
    ]
    # Named for screen readers by the heading; the lines and derivations have titles.
    assert 'role="group" aria-labelledby="provenance-heading"' in drawing
    assert "<title>Evidence against, line 1</title>" in drawing
    assert "<title>Khrushchev Remembers quotes A diarist's notes</title>" in drawing
    assert "xlink" not in drawing and " id=" not in drawing


def test_every_title_in_the_drawing_is_escaped(client, nasty_claim, needs_dot):
    html = page(client, nasty_claim)
    drawing = drawing_of(html)

    assert "<script" not in html.replace('<script type="application/ld+json">', "")
    assert "&lt;/text&gt;&lt;script&gt;" in drawing
    assert "<b>" not in drawing
    # Backslashes are text, not Graphviz's escapes for the node's or graph's name.
    assert "\\N \\G" in drawing


def test_the_picture_is_in_words_too(client, claim):
    words = section(page(client, claim), "provenance-heading").split('class="derivations__words"')[
        1
    ]

    assert (
        '<a href="/sources/report-1966/">On the Korean War, 1950–53, and the armistice '
        'negotiations</a> <span class="muted">(evidence for)</span>: summarises '
        '<a href="/sources/telegrams/">Stalin–Kim telegrams</a>'
    ) in words
    assert "Evidence against, line 1" in words


def test_without_dot_the_page_shows_the_words_and_says_so_in_the_log_once(
    client, claim, monkeypatch, caplog
):
    monkeypatch.setattr(derivations, "DOT_COMMAND", "/nonexistent/dot")
    monkeypatch.setattr(derivations, "_dot_missing_logged", False)

    with caplog.at_level(logging.WARNING, logger="reader.derivations"):
        first = page(client, claim)
        page(client, source("report-1966"))

    picture = section(first, "provenance-heading")
    assert "provenance-svg" not in picture
    assert '<a href="/sources/telegrams/">Stalin–Kim telegrams</a>' in picture
    assert "and links to its page" not in picture  # the caption says nothing of boxes
    assert [record.getMessage() for record in caplog.records].count(
        "Graphviz's '/nonexistent/dot' is not installed: pages show the provenance "
        "picture in words only (apt-get install graphviz)."
    ) == 1


def test_a_drawing_that_takes_too_long_leaves_the_words(client, claim, monkeypatch):
    monkeypatch.setattr(derivations, "DOT_TIMEOUT_SECONDS", 0.000_001)

    picture = section(page(client, claim), "provenance-heading")

    assert "provenance-svg" not in picture
    assert '<a href="/sources/telegrams/">Stalin–Kim telegrams</a>' in picture


def test_too_many_sources_to_draw_are_listed_in_words():
    nodes = {
        f"s{number}": derivations.Node(f"s{number}", f"Source {number}", f"/sources/s{number}/")
        for number in range(derivations.MOST_DRAWN + 1)
    }
    picture = derivations.Picture(
        "Many", nodes, [], [derivations.Group("All", list(nodes))], clustered=False
    )

    assert derivations.draw(picture, labelled_by="heading") is None
    assert len(picture.listed_groups()[0][1]) == derivations.MOST_DRAWN + 1


def test_a_drawing_is_kept_until_what_it_draws_changes(client, claim, monkeypatch, needs_dot):
    drawn = []
    read_drawing = derivations._for_the_page
    monkeypatch.setattr(
        derivations,
        "_for_the_page",
        lambda *args, **kwargs: drawn.append(1) or read_drawing(*args, **kwargs),
    )

    def drawing_as_of(year):
        return drawing_of(get_html(client, claim.get_absolute_url(), {"as_of": year}))

    first = drawing_as_of("2024")
    # Another page with the same picture: the drawing kept is used again.
    assert drawing_as_of("2025") == first
    assert len(drawn) == 1
    # A curator retitles a source: the page is rendered anew, with a new drawing.
    Source.objects.filter(slug="diary").update(title="A diarist's journal")
    source("diary").save()
    assert "A diarist's journal (root)" in drawing_as_of("2024")
    assert len(drawn) == 2


def test_a_failing_cache_costs_a_drawing_not_the_page(client, claim, monkeypatch, needs_dot):
    from reader import cache as page_cache

    def refused(*args, **kwargs):
        raise ConnectionRefusedError("the cache is down")

    monkeypatch.setattr(page_cache, "health", page_cache._CacheHealth())
    monkeypatch.setattr(page_cache.cache, "get", refused)
    monkeypatch.setattr(page_cache.cache, "set", refused)

    assert derivations.draw(claim_picture(claim), labelled_by="heading") is not None
    assert page_cache.health.skipping()


def test_on_a_source_page_its_own_box_says_it_is_this_page(client, claim, needs_dot):
    html = section(page(client, source("report-1966")), "provenance-heading")

    assert '<a href="/sources/report-1966/" aria-current="page">' in drawing_of(html)
    assert '<a href="/sources/report-1966/" aria-current="page">On the Korean War' in html
    assert '<a href="/sources/telegrams/" aria-current' not in html
