"""One search box across published claims, sources and people.

On PostgreSQL it is full-text search (``websearch_to_tsquery``, English stemming)
ranked with ``ts_rank`` over weighted fields: a claim's statement counts more than its
summary, a source's title more than its description, a person's names (every other
name and transliteration included) more than their description. Elsewhere (SQLite,
the demo) every word of the query must appear, case-insensitively, in one of the same
fields, and results whose title or name holds the whole phrase come first.

Either way an agent is found by any of its other names: "Mao Zedong" finds the agent
named "Mao Tse-tung" and the other way round. So are the claims about it and the
sources it made: a claim is found by its own words or by any name of one of its
subjects, a source by its own words or by any name of one of its creators, and a
result found only through a name says which name matched (`NameMatch`). A result
found by its own words ranks above every result found only through a name. Drafts and
claims in review are never searched, nor sources and people no published claim rests
on (claims/visibility.py).

Choices someone might otherwise undo:

- On PostgreSQL each searched table holds its weighted document in a stored
  ``search_document`` column with a GIN index (claims/migrations/0007_search_document.py,
  provenance/migrations/0003_search_documents.py): generated columns for claims and
  sources, a column kept by triggers for agents, whose document includes their other
  names. The models do not declare the columns; `StoredDocument` reads them. Computing
  the vectors per query re-parsed every matching row to rank it, and an agent's other
  names came through a subquery no index could hold.
- Each section ranks at most `CANDIDATES_PER_SECTION` matches, found in whatever order
  the index gives them, and counts no further: a word in every claim would otherwise
  rank and count all of them, in a time that grows with the archive. Up to the cap
  the ranking is the best of all matches and the count is exact; beyond it the page
  says "more than" the cap and asks for another word.
- A name matches when the whole query matches one name (the agent's own or one other
  name), never the description, nor words spread over two names: otherwise a claim
  would be "found by" a subject whose biography mentions the word. On PostgreSQL the
  agent's stored document finds the candidates through its index, and each name of
  theirs is then matched alone (`_named_agents`); matching the other names table
  first would parse every other name in the archive.
- The matches by own words and the matches through a name are found apart, each up
  to the cap, and ranked together through a UNION of the two: an OR of the two in one
  condition would leave PostgreSQL no index to use.
- Each section is one query that also counts its candidates (a window count), so a
  search costs three queries, however many results there are; one more when people
  are found (their other names), and one more for each section that shows results
  found only through a name (which name matched, for all of them at once).
"""

import re
from dataclasses import dataclass

from django.contrib.humanize.templatetags.humanize import intcomma
from django.contrib.postgres.search import (
    SearchQuery,
    SearchRank,
    SearchVector,
    SearchVectorExact,
    SearchVectorField,
)
from django.db import connection
from django.db.models import (
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    IntegerField,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.models import Claim
from claims.visibility import agent_is_public, source_is_public
from provenance.links import slug_url_maker
from provenance.models import Agent, AgentName, Source, SourceCreator

MAX_QUERY_LENGTH = 200
RESULTS_PER_SECTION = 20
CANDIDATES_PER_SECTION = 1000
SEARCH_CONFIG = "english"
SNIPPET_LENGTH = 220

# websearch syntax a reader may type: "quoted phrases", -excluded, or
_QUERY_SYNTAX = re.compile(r'["“”]')
_PUNCTUATION_AROUND_WORD = re.compile(r"^[^\w]+|[^\w]+$")


@dataclass(frozen=True)
class Section:
    """The results of one kind: the best `RESULTS_PER_SECTION` and how many matched.
    When `more` is true, more than `count` matched and `count` is the cap."""

    results: list
    count: int
    more: bool = False

    @property
    def count_label(self):
        return _count_label(self.count, more=self.more)


@dataclass(frozen=True)
class SearchResults:
    query: str
    claims: Section
    sources: Section
    agents: Section

    @property
    def count(self):
        return self.claims.count + self.sources.count + self.agents.count

    @property
    def more(self):
        """True when `count` is a lower bound: some section found more than the cap."""
        return self.claims.more or self.sources.more or self.agents.more

    @property
    def count_label(self):
        return _count_label(self.count, more=self.more)


def _count_label(count, *, more):
    """ "12", "1,000", or "more than 1,000" when the count stopped at the cap."""
    return f"more than {intcomma(count)}" if more else intcomma(count)


@dataclass(frozen=True)
class NameMatch:
    """Why a claim or a source found only through a name was found: one of its
    subjects or creators (`agent_name`, `agent_url`) is called what was searched for,
    by their own name or by `other_name`, and is linked to it as `role` ("subject",
    "author", "recipient"…)."""

    agent_name: str
    agent_url: str
    role: str
    other_name: str | None = None
    other_name_kind: str = ""

    @property
    def other_name_phrase(self):
        """ "a transliteration of", "a pseudonym of"…: what `other_name` is to the
        agent's name."""
        return OTHER_NAME_PHRASES.get(self.other_name_kind, "another name of")


OTHER_NAME_PHRASES = {
    AgentName.Kind.TRANSLITERATION: "a transliteration of",
    AgentName.Kind.ALTERNATIVE: "another name of",
    AgentName.Kind.ORIGINAL_SCRIPT: "the name in its original script of",
    AgentName.Kind.PSEUDONYM: "a pseudonym of",
}


@dataclass(frozen=True)
class _Kind:
    """How to search one kind of record: what a reader may see of it, what matches,
    how matches rank (highest first, then `order`), and which text the snippet
    quotes. Claims and sources are also reached through the agents they are linked
    to: `links` are those link rows, `link_to` their column naming the record and
    `role` what the link makes the agent ("subject", or a creator's role)."""

    queryset: object
    matches: object
    rank: object
    order: str
    text_field: str
    links: object = None
    link_to: str = ""
    role: object = None


@dataclass(frozen=True)
class _Names:
    """How a name matches the query on this database: `matches(field)` is the
    condition that the name in `field` matches, and `candidates` a condition on agents
    that every agent with a matching name meets (an indexed first sieve), or None."""

    matches: object
    candidates: object = None


def query_words(query):
    """The words of a query, without websearch syntax, for matching and highlighting."""
    words = []
    for raw in _QUERY_SYNTAX.sub(" ", query).split():
        word = _PUNCTUATION_AROUND_WORD.sub("", raw)
        if word and word.lower() != "or" and not raw.startswith("-"):
            words.append(word)
    return tuple(words)


def search(query):
    """Search published claims, sources and agents for `query` (already stripped,
    non-empty, at most MAX_QUERY_LENGTH characters, with at least one `query_words`)."""
    words = query_words(query)
    if connection.vendor == "postgresql":
        kinds, names = _postgresql_kinds(query)
    else:
        kinds, names = _fallback_kinds(query, words)
    claims, sources, agents = (
        _section(kind, words, names, limit=RESULTS_PER_SECTION, candidates=CANDIDATES_PER_SECTION)
        for kind in kinds
    )
    return SearchResults(query=query, claims=claims, sources=sources, agents=agents)


def _section(kind, words, names, *, limit, candidates):
    """Rank the first `candidates` matches, keep the best `limit`, count the candidates
    (one more than the cap, to know whether there are more), and give each result a
    `snippet` of its longer text and its `name_matches` (empty unless it was found
    only through a name)."""
    found = kind.queryset.filter(kind.matches).order_by().values("pk")[: candidates + 1]
    rank = kind.rank
    if kind.links is not None:
        through_names = kind.links.filter(agent__in=_named_agents(names)).values(kind.link_to)
        named = kind.queryset.filter(pk__in=through_names).order_by().values("pk")[: candidates + 1]
        # Each part of the UNION wraps its capped list: SQLite refuses LIMIT directly
        # inside a compound query.
        model = kind.queryset.model
        found = (
            model.objects.filter(pk__in=found)
            .order_by()
            .values("pk")
            .union(model.objects.filter(pk__in=named).order_by().values("pk"))
        )
        rank = Case(
            When(kind.matches, then=kind.rank), default=Value(-1.0), output_field=FloatField()
        )
    ranked = (
        kind.queryset.filter(pk__in=found)
        .annotate(rank=rank, found=Window(Count("pk")))
        .order_by("-rank", kind.order)[: min(limit, candidates)]
    )
    results = list(ranked)
    for result in results:
        result.snippet = snippet(getattr(result, kind.text_field), words)
        result.name_matches = []
    if kind.links is not None:
        _add_name_matches(kind, names, [result for result in results if result.rank < 0])
    count = results[0].found if results else 0
    return Section(results=results, count=min(count, candidates), more=count > candidates)


def _named_agents(names):
    """The ids of the agents whose own name or one of whose other names matches."""
    other_names = AgentName.objects.filter(names.matches("name"), agent=OuterRef("pk"))
    agents = Agent.objects.filter(names.matches("name") | Q(Exists(other_names)))
    if names.candidates is not None:
        agents = agents.filter(names.candidates)
    return agents.order_by().values("pk")


def _add_name_matches(kind, names, results):
    """Say, on each result found only through a name, which agent linked to it has
    that name, and which of their names matched (1 query for all the results)."""
    if not results:
        return
    by_pk = {result.pk: result for result in results}
    other_names = AgentName.objects.filter(names.matches("name"), agent=OuterRef("agent_id"))
    links = (
        kind.links.filter(**{f"{kind.link_to}__in": list(by_pk)}, agent__in=_named_agents(names))
        .annotate(
            link_role=kind.role,
            own_name_matches=Case(
                When(names.matches("agent__name"), then=Value(True)), default=Value(False)
            ),
            other_name=Subquery(other_names.order_by("name").values("name")[:1]),
            other_name_kind=Subquery(other_names.order_by("name").values("kind")[:1]),
        )
        .order_by(kind.link_to, "agent__sort_name", "agent__name", "agent_id")
        .values(
            kind.link_to,
            "agent__name",
            "agent__slug",
            "link_role",
            "own_name_matches",
            "other_name",
            "other_name_kind",
        )
    )
    agent_url = slug_url_maker(Agent.url_name)
    for link in links:
        own = link["own_name_matches"]
        by_pk[link[kind.link_to]].name_matches.append(
            NameMatch(
                agent_name=link["agent__name"],
                agent_url=agent_url(link["agent__slug"]),
                role=_role_label(link["link_role"]),
                other_name=None if own else link["other_name"],
                other_name_kind="" if own else link["other_name_kind"],
            )
        )


def _role_label(role):
    if role in SourceCreator.Role.values:
        return SourceCreator.Role(role).label.lower()
    return role


class StoredDocument(Expression):
    """The ``search_document`` column of the queryset's own table: a tsvector that the
    PostgreSQL migrations add and keep, and the models do not declare. It follows the
    table's alias when the query becomes a subquery."""

    output_field = SearchVectorField()

    def __init__(self, alias=None):
        super().__init__()
        self.alias = alias

    def resolve_expression(self, query=None, *args, **kwargs):
        resolved = self.copy()
        resolved.alias = query.get_initial_alias()
        return resolved

    def relabeled_clone(self, change_map):
        relabeled = self.copy()
        relabeled.alias = change_map.get(self.alias, self.alias)
        return relabeled

    def as_sql(self, compiler, connection):
        table = compiler.quote_name_unless_alias(self.alias)
        return f"{table}.{connection.ops.quote_name('search_document')}", []


# What a result shows, and no more: a claim's stored timeline and what-if are
# kilobytes of JSON that a result never reads.
def _claims():
    return Claim.objects.published().only("slug", "statement", "summary", "strength_level")


def _sources():
    return Source.objects.filter(source_is_public()).only(
        "slug", "title", "kind", "date", "description"
    )


def _agents():
    return (
        Agent.objects.filter(agent_is_public())
        .only("slug", "name", "sort_name", "kind", "date", "description")
        .prefetch_related(
            Prefetch(
                "other_names", queryset=AgentName.objects.order_by("name").only("agent", "name")
            )
        )
    )


def _claim_subjects():
    return {
        "links": Claim.subjects.through.objects.all(),
        "link_to": "claim_id",
        "role": Value("subject"),
    }


def _source_creators():
    return {"links": SourceCreator.objects.all(), "link_to": "source_id", "role": F("role")}


def _postgresql_kinds(query):
    search_query = SearchQuery(query, search_type="websearch", config=SEARCH_CONFIG)

    def kind(queryset, order, text_field, **links):
        return _Kind(
            queryset=queryset,
            matches=SearchVectorExact(StoredDocument(), search_query),
            rank=SearchRank(StoredDocument(), search_query),
            order=order,
            text_field=text_field,
            **links,
        )

    def name_matches(field):
        return SearchVectorExact(SearchVector(field, config=SEARCH_CONFIG), search_query)

    kinds = (
        kind(_claims(), "statement", "summary", **_claim_subjects()),
        kind(_sources(), "title", "description", **_source_creators()),
        kind(_agents(), "sort_name", "description"),
    )
    # An agent's stored document holds all their names (and their description).
    names = _Names(
        matches=name_matches, candidates=SearchVectorExact(StoredDocument(), search_query)
    )
    return kinds, names


def _fallback_kinds(query, words):
    """icontains over the same fields; every word must match one of them. The whole
    phrase in the title (or a name) ranks first, the phrase anywhere next."""

    def every_word_in(*fields, extra=None):
        condition = Q()
        for word in words:
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

    kinds = (
        _Kind(
            queryset=_claims(),
            matches=every_word_in("statement", "summary"),
            rank=phrase_rank(Q(statement__icontains=query), Q(summary__icontains=query)),
            order="statement",
            text_field="summary",
            **_claim_subjects(),
        ),
        _Kind(
            queryset=_sources(),
            matches=every_word_in("title", "description"),
            rank=phrase_rank(Q(title__icontains=query), Q(description__icontains=query)),
            order="title",
            text_field="description",
            **_source_creators(),
        ),
        _Kind(
            queryset=_agents(),
            matches=every_word_in("name", "description", extra=other_name_contains),
            rank=phrase_rank(
                Q(name__icontains=query) | Q(other_name_contains(query)),
                Q(description__icontains=query),
            ),
            order="sort_name",
            text_field="description",
        ),
    )
    # Every word in the one name, as every word of a record in its fields.
    names = _Names(matches=lambda field: every_word_in(field))
    return kinds, names


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
