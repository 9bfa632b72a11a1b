"""One search box across published claims, sources and people.

On PostgreSQL it is full-text search (``websearch_to_tsquery``, English stemming)
ranked with ``ts_rank`` over weighted fields: a claim's statement counts more than its
summary, a source's title more than its description, a person's names (every other
name and transliteration included) more than their description. Elsewhere (SQLite,
the demo) every word of the query must appear, case-insensitively, in one of the same
fields, and results whose title or name holds the whole phrase come first.

Either way an agent is found by any of its other names: "Mao Zedong" finds the agent
named "Mao Tse-tung" and the other way round. Drafts and claims in review are never
searched.

Choices someone might otherwise undo:

- The vectors are computed per query, without a stored column or a GIN index: the
  catalogue is thousands of rows, not millions, and an expression index would only be
  used if the query repeated its exact expression. Add one with the query when the
  benchmark says so.
- Each section runs one query that also counts its matches (a window count), so a
  search costs three queries (four when people are found: their other names), however
  many results there are.
"""

import re
from dataclasses import dataclass

from django.contrib.postgres.aggregates import StringAgg
from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    F,
    IntegerField,
    OuterRef,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.models import Claim
from provenance.models import Agent, AgentName, Source

MAX_QUERY_LENGTH = 200
RESULTS_PER_SECTION = 20
SEARCH_CONFIG = "english"
SNIPPET_LENGTH = 220

# websearch syntax a reader may type: "quoted phrases", -excluded, or
_QUERY_SYNTAX = re.compile(r'["“”]')
_PUNCTUATION_AROUND_WORD = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Section:
    """The results of one kind: the first `RESULTS_PER_SECTION` and how many matched."""

    results: list
    count: int


@dataclass(frozen=True)
class SearchResults:
    query: str
    claims: Section
    sources: Section
    agents: Section

    @property
    def count(self):
        return self.claims.count + self.sources.count + self.agents.count


def query_words(query):
    """The words of a query, without websearch syntax, for matching and highlighting."""
    words = []
    for raw in _QUERY_SYNTAX.sub(" ", query).split():
        word = _PUNCTUATION_AROUND_WORD.sub("", raw)
        if word and word.lower() != "or" and not raw.startswith("-"):
            words.append(word)
    return tuple(words)


def search(query, *, limit=RESULTS_PER_SECTION):
    """Search published claims, sources and agents for `query` (already stripped,
    non-empty, at most MAX_QUERY_LENGTH characters)."""
    words = query_words(query)
    if connection.vendor == "postgresql":
        querysets = _postgresql_querysets(query)
    else:
        querysets = _fallback_querysets(query, words)
    claims, sources, agents = (
        _section(queryset.annotate(total=Window(Count("pk")))[:limit], words, text_field)
        for queryset, text_field in zip(
            querysets, ("summary", "description", "description"), strict=True
        )
    )
    return SearchResults(query=query, claims=claims, sources=sources, agents=agents)


def _section(queryset, words, text_field):
    """Run one section's query; each result gets a `snippet` of its longer text."""
    results = list(queryset)
    for result in results:
        result.snippet = snippet(getattr(result, text_field), words)
    return Section(results=results, count=results[0].total if results else 0)


def _other_names():
    """An agent's other names, joined by spaces, as a subquery (NULL when there are none)."""
    return Subquery(
        AgentName.objects.filter(agent=OuterRef("pk"))
        .order_by()
        .values("agent")
        .annotate(names=StringAgg("name", delimiter=" "))
        .values("names")[:1]
    )


def _agents():
    return Agent.objects.prefetch_related("other_names")


def _postgresql_querysets(query):
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)

    def vector(*weighted):
        combined = None
        for expression, weight in weighted:
            part = SearchVector(expression, weight=weight, config=SEARCH_CONFIG)
            combined = part if combined is None else combined + part
        return combined

    def ranked(queryset, document):
        return (
            queryset.annotate(document=document)
            .filter(document=search_query)
            .annotate(rank=SearchRank(F("document"), search_query))
        )

    claims = ranked(
        Claim.objects.published(), vector(("statement", "A"), ("summary", "B"))
    ).order_by("-rank", "statement")
    sources = ranked(Source.objects.all(), vector(("title", "A"), ("description", "B"))).order_by(
        "-rank", "title"
    )
    agents = ranked(
        _agents(),
        vector(("name", "A"), (_other_names(), "A"), ("description", "C")),
    ).order_by("-rank", "sort_name")
    return claims, sources, agents


def _fallback_querysets(query, words):
    """icontains over the same fields; every word must match one of them. The whole
    phrase in the title (or a name) ranks first, the phrase anywhere next."""

    def every_word_in(*fields, extra=None):
        condition = Q()
        for word in words or (query,):
            either = Q()
            for field in fields:
                either |= Q(**{f"{field}__icontains": word})
            if extra is not None:
                either |= Q(extra(word))
            condition &= either
        return condition

    def phrase_rank(title_match, anywhere_match):
        return Case(
            When(title_match, then=Value(2)),
            When(anywhere_match, then=Value(1)),
            default=Value(0),
            output_field=IntegerField(),
        )

    def other_name_contains(text):
        return Exists(AgentName.objects.filter(agent=OuterRef("pk"), name__icontains=text))

    claims = (
        Claim.objects.published()
        .filter(every_word_in("statement", "summary"))
        .annotate(
            rank=phrase_rank(
                Q(statement__icontains=query),
                Q(summary__icontains=query),
            )
        )
        .order_by("-rank", "statement")
    )
    sources = (
        Source.objects.filter(every_word_in("title", "description"))
        .annotate(rank=phrase_rank(Q(title__icontains=query), Q(description__icontains=query)))
        .order_by("-rank", "title")
    )
    agents = (
        _agents()
        .filter(every_word_in("name", "description", extra=other_name_contains))
        .annotate(
            rank=phrase_rank(
                Q(name__icontains=query) | Q(other_name_contains(query)),
                Q(description__icontains=query),
            )
        )
        .order_by("-rank", "sort_name")
    )
    return claims, sources, agents


def snippet(text, words, *, length=SNIPPET_LENGTH):
    """A passage of `text` around the first word of the query it contains, HTML-escaped,
    with the query's words marked. The start of the text when no word is in it."""
    text = " ".join((text or "").split())
    if not text:
        return ""
    pattern = _words_pattern(words)
    match = pattern.search(text) if pattern else None
    start = 0
    if match and match.start() > length // 3:
        start = text.rfind(" ", 0, match.start() - length // 3) + 1
    end = start + length
    if end < len(text):
        end = text.rfind(" ", start, end) if " " in text[start:end] else end
    passage = text[start:end]
    marked = _mark(passage, pattern)
    prefix = "… " if start > 0 else ""
    suffix = " …" if end < len(text) else ""
    return mark_safe(f"{prefix}{marked}{suffix}")


def _words_pattern(words):
    words = sorted({word for word in words if len(word) > 1}, key=len, reverse=True)
    if not words:
        return None
    return re.compile("|".join(re.escape(word) for word in words), re.IGNORECASE)


def _mark(text, pattern):
    if pattern is None:
        return escape(text)
    pieces, position = [], 0
    for match in pattern.finditer(text):
        pieces.append(escape(text[position : match.start()]))
        pieces.append(f"<mark>{escape(match.group())}</mark>")
        position = match.end()
    pieces.append(escape(text[position:]))
    return "".join(pieces)
