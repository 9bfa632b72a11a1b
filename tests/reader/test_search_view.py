"""One search box across published claims, sources and people: full-text search with
ranking, from PostgreSQL's stored documents or SQLite's FTS5 index, other names found
either way."""

import re

import pytest
from django.urls import reverse

from claims.models import Claim
from provenance.models import AgentName, Citation, Source
from reader import search
from tests import builders
from tests.builders import assert_headings_in_order, get_html, make_claim, make_public, section

pytestmark = pytest.mark.django_db


SEARCH = reverse("provenance:search")


# Search finds only public sources and people (claims/visibility.py): each one here has
# a published claim resting on it, about nothing searched for.


def make_source(title, **fields):
    source = builders.make_source(title, **fields)
    make_public(source)
    return source


def make_agent(name, **fields):
    agent = builders.make_agent(name, **fields)
    make_public(agent)
    return agent


def titles_in(html, heading_id):
    """The linked titles of one section, in the order shown."""
    return re.findall(
        r'<p class="results__title"><a href="[^"]+">([^<]+)</a>', section(html, heading_id)
    )


# The page


def test_an_empty_search_shows_the_form_with_a_hint_and_no_results(client):
    html = get_html(client, SEARCH, {"q": "   "})

    assert '<label for="search-q">Search claims, sources and people</label>' in html
    assert "“Mao Tse-tung” finds Mao Zedong" in html
    assert "result" not in html.split('id="search-hint"')[1]


def test_a_search_longer_than_the_limit_gets_a_clear_message(client):
    html = get_html(client, SEARCH, {"q": "stalin " * 40})

    assert 'role="alert"' in html
    assert "characters long, and the limit is 200" in html
    assert 'id="claims-heading"' not in html


def test_control_characters_in_a_search_are_ignored(client):
    make_claim("Stalin approved the invasion")

    html = get_html(client, SEARCH, {"q": "Sta\x00lin\x07"})

    assert "1 result for “Stalin”" in html


def test_results_come_in_three_sections_with_counts_and_links(client):
    stalin = builders.make_agent("Joseph Stalin", description="Soviet leader.")
    claim = make_claim("Stalin approved the invasion of South Korea", subjects=[stalin])
    source = make_source("Stalin to Kim Il Sung", kind=Source.Kind.TELEGRAM)

    html = get_html(client, SEARCH, {"q": "Stalin"})

    assert "3 results for “Stalin”" in html
    assert '<a href="#claims">Claims (1)</a>' in html
    assert '<a href="#sources">Sources (1)</a>' in html
    assert '<a href="#people">People and organisations (1)</a>' in html
    assert claim.get_absolute_url() in section(html, "claims-heading")
    assert source.get_absolute_url() in section(html, "sources-heading")
    assert stalin.get_absolute_url() in section(html, "people-heading")
    assert_headings_in_order(html)


def test_each_result_has_a_snippet_with_the_words_marked(client):
    make_claim(
        "Stalin approved the invasion",
        summary="Khrushchev wrote that Kim pressed Stalin for permission again and again.",
    )

    claims = section(get_html(client, SEARCH, {"q": "permission"}), "claims-heading")

    assert "<mark>permission</mark>" in claims


def test_a_search_that_matches_nothing_says_so(client):
    make_claim("Stalin approved the invasion")

    html = get_html(client, SEARCH, {"q": "Quemoy"})

    assert "0 results for “Quemoy”" in html
    assert "Nothing matches." in html


def test_the_query_is_escaped_wherever_it_is_shown(client):
    make_claim("A <b>bold</b> claim", summary="With <script>alert(1)</script> inside.")

    html = get_html(client, SEARCH, {"q": "<script>alert(1)</script>"})

    assert "<script>alert(1)</script>" not in html
    assert "&lt;script&gt;" in html


@pytest.mark.parametrize(
    ("searched", "named"), [("Mao Zedong", "Mao Tse-tung"), ("Mao Tse-tung", "Mao Zedong")]
)
def test_a_person_is_found_by_any_of_their_names(client, searched, named):
    mao = make_agent(named, other_names=[searched])
    make_agent("Zhou Enlai")

    people = section(get_html(client, SEARCH, {"q": searched}), "people-heading")

    assert mao.get_absolute_url() in people
    assert f"also {searched}" in people
    assert "Zhou Enlai" not in people


def test_a_source_is_found_by_a_word_of_its_description(client):
    report = make_source(
        "On the Korean War", kind=Source.Kind.REPORT, description="Prepared for Brezhnev."
    )

    assert report.get_absolute_url() in section(
        get_html(client, SEARCH, {"q": "Brezhnev"}), "sources-heading"
    )


def test_only_the_best_results_are_shown_with_the_full_count(client):
    for number in range(search.RESULTS_PER_SECTION + 5):
        make_source(f"Telegram number {number}", kind=Source.Kind.TELEGRAM)

    sources = section(get_html(client, SEARCH, {"q": "telegram"}), "sources-heading")

    assert f"({search.RESULTS_PER_SECTION + 5})" in sources
    assert sources.count('class="results__title"') == search.RESULTS_PER_SECTION
    assert f"Showing the best {search.RESULTS_PER_SECTION} of" in sources


def test_a_search_that_finds_more_than_the_cap_says_more_than(client, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES_PER_SECTION", 5)
    for number in range(8):
        make_source(f"Telegram number {number}", kind=Source.Kind.TELEGRAM)
    make_agent("Telegram courier")  # and the claim about him, found by his name

    html = get_html(client, SEARCH, {"q": "telegram"})
    sources = section(html, "sources-heading")

    assert "More than 7 results for “telegram”" in html
    assert '<a href="#sources">Sources (more than 5)</a>' in html
    assert 'Sources <span class="count">(more than 5)</span>' in sources
    assert sources.count('class="results__title"') == 5
    assert "More than 5 match. These are the best 5 of the first 5 found" in sources
    assert '<a href="#people">People and organisations (1)</a>' in html


def test_a_search_that_finds_exactly_the_cap_gives_the_exact_count(client, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES_PER_SECTION", 5)
    for number in range(5):
        make_source(f"Telegram number {number}", kind=Source.Kind.TELEGRAM)

    html = get_html(client, SEARCH, {"q": "telegram"})

    assert "5 results for “telegram”" in html
    assert "more than" not in html.lower()


def test_drafts_take_no_place_among_the_matches_ranked(client, monkeypatch):
    monkeypatch.setattr(search, "CANDIDATES_PER_SECTION", 3)
    for number in range(5):
        make_claim(f"Korea draft {number}", status=Claim.Status.DRAFT)
    make_claim("Korea in review", status=Claim.Status.IN_REVIEW)
    published = [make_claim(f"Korea published {number}") for number in range(2)]

    html = get_html(client, SEARCH, {"q": "Korea"})

    assert 'Claims <span class="count">(2)</span>' in section(html, "claims-heading")
    assert titles_in(html, "claims-heading") == [claim.statement for claim in published]


def test_counts_in_the_thousands_have_separators():
    assert search.Section(results=[], count=1000, more=True).count_label == "more than 1,000"
    assert search.Section(results=[], count=1000).count_label == "1,000"


@pytest.mark.parametrize("query", ["-Mao", "-Mao -Stalin", "!!!", '"" or', '-"Mao Zedong"'])
def test_a_search_with_no_word_to_look_for_gets_a_clear_message(client, query):
    make_claim("Stalin approved the invasion")

    html = get_html(client, SEARCH, {"q": query})

    assert 'role="alert"' in html
    assert "has no word to look for" in html
    assert 'id="claims-heading"' not in html


@pytest.mark.parametrize(("items", "cap"), [(1, 1000), (30, 1000), (30, 5)])
def test_a_search_runs_six_queries_however_many_results(
    client, django_assert_num_queries, monkeypatch, items, cap
):
    monkeypatch.setattr(search, "CANDIDATES_PER_SECTION", cap)
    make_claim("Korea claim")
    make_source("Korea source", kind=Source.Kind.REPORT)
    for number in range(items):
        expert = builders.make_agent(f"Korea expert {number}", other_names=[f"Koreanist {number}"])
        make_claim(f"What expert {number} found", subjects=[expert])
        make_source(f"Paper {number}", kind=Source.Kind.ARTICLE, creators=[expert])

    with django_assert_num_queries(6):
        # 1 published claims: the first matches by their words and by their subjects'
        #   names, each up to the cap, ranked, with their count
        # 2 which subject's name matched, for every claim shown found only by it
        # 3 sources: as 1, by their creators' names
        # 4 as 2, for the sources
        # 5 people and organisations (other names included): as 1
        # 6 the other names of the people shown
        html = get_html(client, SEARCH, {"q": "Korea"})

    found = 1 + items
    assert f"Claims ({found if found <= cap else f'more than {cap}'})" in html
    assert f"Sources ({found if found <= cap else f'more than {cap}'})" in html
    assert "Matched by name:" in html


def test_a_search_that_finds_nothing_through_a_name_runs_four_queries(
    client, django_assert_num_queries
):
    for number in range(3):
        make_claim(f"Korea claim {number}")
        make_source(f"Korea source {number}", kind=Source.Kind.REPORT)
        make_agent(f"Expert {number}", description="Writes on Korea.")

    with django_assert_num_queries(4):
        # 1 claims, 2 sources, 3 people, 4 their other names, as above; no claim or
        # source was found only through a name, so nothing asks which
        html = get_html(client, SEARCH, {"q": "Korea"})

    assert "Claims (3)" in html
    assert "Matched by name:" not in html


# Claims and sources found by the names of the people they are about or by


def test_a_claim_is_found_by_another_name_of_its_subject_and_says_which(client):
    mao = builders.make_agent("Mao Zedong", other_names=["Mao Tse-tung"])
    claim = make_claim("Mao gave his approval in May 1950", subjects=[mao])

    claims = section(get_html(client, SEARCH, {"q": "Mao Tse-tung"}), "claims-heading")

    assert claim.get_absolute_url() in claims
    assert (
        "Matched by name: “<mark>Mao Tse-tung</mark>”, a transliteration of "
        f'<a href="{mao.get_absolute_url()}">Mao Zedong</a>, its subject.'
    ) in claims


def test_a_source_is_found_by_another_name_of_its_creator_with_their_role(client):
    stalin = builders.make_agent("Joseph Stalin")
    AgentName.objects.create(agent=stalin, name="Filippov", kind=AgentName.Kind.PSEUDONYM)
    telegram = make_source(
        "Cipher telegram of 14 May 1950", kind=Source.Kind.TELEGRAM, creators=[(stalin, "sender")]
    )

    sources = section(get_html(client, SEARCH, {"q": "Filippov"}), "sources-heading")

    assert telegram.get_absolute_url() in sources
    assert (
        "“<mark>Filippov</mark>”, a pseudonym of "
        f'<a href="{stalin.get_absolute_url()}">Joseph Stalin</a>, its sender.'
    ) in sources


def test_a_claim_is_found_by_its_subjects_own_name(client):
    stalin = builders.make_agent("Joseph Stalin", other_names=["Iosif Stalin"])
    claim = make_claim("The Soviet leader approved the attack", subjects=[stalin])

    claims = section(get_html(client, SEARCH, {"q": "Joseph Stalin"}), "claims-heading")

    assert claim.get_absolute_url() in claims
    assert (
        f'Matched by name: <a href="{stalin.get_absolute_url()}"><mark>Joseph Stalin</mark></a>'
        ", its subject."
    ) in claims


def test_a_claim_found_by_its_own_words_ranks_above_one_found_by_a_subjects_name(client):
    mao = builders.make_agent("Mao Zedong", other_names=["Mao Tse-tung"])
    make_claim("Mao gave his approval in May 1950", subjects=[mao])
    make_claim("Mao Tse-tung was told in advance", summary="So the AP report wrote.")

    html = get_html(client, SEARCH, {"q": "Mao Tse-tung"})

    assert titles_in(html, "claims-heading") == [
        "Mao Tse-tung was told in advance",
        "Mao gave his approval in May 1950",
    ]
    assert section(html, "claims-heading").count("Matched by name:") == 1


def test_a_subjects_description_does_not_find_the_claims_about_them(client):
    peng = builders.make_agent("Peng Dehuai", description="Commanded the Chinese Volunteers.")
    make_claim("Peng crossed the Yalu in October 1950", subjects=[peng])

    html = get_html(client, SEARCH, {"q": "Volunteers"})

    assert peng.get_absolute_url() in section(html, "people-heading")
    assert titles_in(html, "claims-heading") == []


def test_words_spread_over_two_of_a_subjects_names_do_not_find_the_claim(client):
    mao = builders.make_agent("Mao Zedong", other_names=["Chairman Mao"])
    make_claim("Mao gave his approval in May 1950", subjects=[mao])

    html = get_html(client, SEARCH, {"q": "Chairman Zedong"})

    assert titles_in(html, "claims-heading") == []


def test_drafts_and_sources_nobody_relies_on_are_not_found_through_a_name(client):
    mao = builders.make_agent("Mao Zedong", other_names=["Mao Tse-tung"])
    make_claim("Mao drafted a reply", subjects=[mao], status=Claim.Status.DRAFT)
    make_claim("Mao reviewed the plan", subjects=[mao], status=Claim.Status.IN_REVIEW)
    builders.make_source("Mao to Stalin, unpublished", creators=[mao])

    html = get_html(client, SEARCH, {"q": "Mao Tse-tung"})

    assert "0 results for “Mao Tse-tung”" in html
    assert "drafted" not in html
    assert "unpublished" not in html


def test_a_source_public_only_through_its_copy_is_found_through_its_creators_name(client):
    mao = builders.make_agent("Mao Zedong", other_names=["Mao Tse-tung"])
    original = builders.make_source("Mao to Stalin, 1 October 1950", creators=[mao])
    builders.cite(make_source("Russian copy"), original, kind=Citation.Kind.COPIES)
    withheld = builders.make_source("Mao to Kim, withheld", creators=[mao])
    draft_copy = builders.make_source("Copy for a draft")
    builders.cite(draft_copy, withheld, kind=Citation.Kind.COPIES)
    builders.add_evidence(make_claim("A draft", status=Claim.Status.DRAFT), draft_copy)

    html = get_html(client, SEARCH, {"q": "Mao Tse-tung"})

    assert titles_in(html, "sources-heading") == ["Mao to Stalin, 1 October 1950"]
    assert "withheld" not in html


def test_searches_one_after_another_each_find_and_name_their_own_matches(client):
    # Each search runs SQL compiled for the first: nothing of one may stay in the next.
    mao = builders.make_agent("Mao Zedong", other_names=["Mao Tse-tung"])
    stalin = builders.make_agent("Joseph Stalin", other_names=["Filippov"])
    make_claim("Mao gave his approval in May 1950", subjects=[mao])
    make_claim("Stalin approved the attack", subjects=[stalin])
    make_source("Cipher telegram", kind=Source.Kind.TELEGRAM, creators=[(stalin, "sender")])
    make_source("Letter to Moscow", creators=[mao])

    first = get_html(client, SEARCH, {"q": "Filippov"})
    second = get_html(client, SEARCH, {"q": "Mao Tse-tung"})

    assert titles_in(first, "claims-heading") == ["Stalin approved the attack"]
    assert titles_in(first, "sources-heading") == ["Cipher telegram"]
    assert "“<mark>Filippov</mark>”, a transliteration of" in section(first, "sources-heading")
    assert titles_in(second, "claims-heading") == ["Mao gave his approval in May 1950"]
    assert titles_in(second, "sources-heading") == ["Letter to Moscow"]
    assert "“<mark>Mao Tse-tung</mark>”, a transliteration of" in section(second, "sources-heading")
    assert "Filippov" not in section(second, "sources-heading")


# Ranking and query syntax


def test_a_match_in_the_statement_ranks_above_one_in_the_summary(client):
    make_claim("Kim visited Moscow", summary="He asked for the telegram to be sent.")
    make_claim("A telegram gave approval", summary="Sent in January.")

    assert titles_in(get_html(client, SEARCH, {"q": "telegram"}), "claims-heading") == [
        "A telegram gave approval",
        "Kim visited Moscow",
    ]


def test_a_name_ranks_above_a_mention_in_a_description(client):
    make_agent("Nikita Khrushchev")
    make_agent("Strobe Talbott", description="Translated the memoirs of Khrushchev.")

    assert titles_in(get_html(client, SEARCH, {"q": "Khrushchev"}), "people-heading") == [
        "Nikita Khrushchev",
        "Strobe Talbott",
    ]


def test_search_matches_other_forms_of_a_word(client):
    claim = make_claim("Stalin approved the invasion")

    assert claim.get_absolute_url() in section(
        get_html(client, SEARCH, {"q": "approves"}), "claims-heading"
    )


def test_search_understands_phrases_and_exclusions(client):
    make_source("Stalin to Kim Il Sung", kind=Source.Kind.TELEGRAM)
    make_source("Kim Il Sung to Stalin", kind=Source.Kind.TELEGRAM)
    make_source("Mao to Kim Il Sung", kind=Source.Kind.TELEGRAM)

    assert titles_in(get_html(client, SEARCH, {"q": '"Stalin to Kim"'}), "sources-heading") == [
        "Stalin to Kim Il Sung"
    ]
    assert titles_in(get_html(client, SEARCH, {"q": "Kim -Mao"}), "sources-heading") == [
        "Kim Il Sung to Stalin",
        "Stalin to Kim Il Sung",
    ]


def test_search_needs_every_word_somewhere(client):
    make_source("Stalin to Kim Il Sung", kind=Source.Kind.TELEGRAM)
    make_source("Stalin to Mao", kind=Source.Kind.TELEGRAM)

    assert titles_in(get_html(client, SEARCH, {"q": "Stalin Kim"}), "sources-heading") == [
        "Stalin to Kim Il Sung"
    ]


def test_search_offers_alternatives_with_or_each_with_its_exclusions(client):
    make_source("Stalin to Kim Il Sung", kind=Source.Kind.TELEGRAM)
    make_source("Mao to Kim Il Sung", kind=Source.Kind.TELEGRAM)
    make_source("Kim Il Sung to Mao", kind=Source.Kind.TELEGRAM)

    def found(query):
        return titles_in(get_html(client, SEARCH, {"q": query}), "sources-heading")

    assert found("Stalin or Mao -Sung") == ["Stalin to Kim Il Sung"]
    assert sorted(found('Stalin or "Il Sung to Mao"')) == [
        "Kim Il Sung to Mao",
        "Stalin to Kim Il Sung",
    ]


def test_common_words_in_a_search_need_not_be_in_the_record(client):
    make_source("Stalin, Mao: a telegram", kind=Source.Kind.TELEGRAM)

    html = get_html(client, SEARCH, {"q": "the telegram of Stalin and Mao"})

    assert titles_in(html, "sources-heading") == ["Stalin, Mao: a telegram"]


def test_a_search_for_common_words_only_finds_nothing(client):
    make_claim("The invasion was approved")

    html = get_html(client, SEARCH, {"q": "the was"})

    assert "0 results for “the was”" in html


# The snippet


def test_snippet_starts_near_the_first_match_and_marks_every_word():
    text = ("Filler words here. " * 30) + "Stalin gave orders that Kim's desires be met."

    passage = search.snippet(text, ("stalin", "kim"))

    assert passage.startswith("… ")
    assert "<mark>Stalin</mark> gave orders that <mark>Kim</mark>" in passage
    assert len(passage) < search.SNIPPET_LENGTH + 60


def test_snippet_escapes_the_text_and_marks_only_the_words():
    passage = search.snippet("Use <b> & <i> for kim", ("kim", "b"))

    assert passage == "Use &lt;b&gt; &amp; &lt;i&gt; for <mark>kim</mark>"


def test_query_words_leave_out_websearch_syntax():
    assert search.query_words('"Stalin to Kim" or -Mao, Korea!') == (
        "Stalin",
        "to",
        "Kim",
        "Korea",
    )
