"""One search box across published claims, sources and people.

It is full-text search with English stemming, ranked over weighted fields: a claim's
statement counts more than its summary, a source's title more than its description,
a person's names (every other name and transliteration included) more than their
description. A query reads as PostgreSQL's ``websearch_to_tsquery`` reads it: every
word must match, "quoted phrases" match as phrases, -words are excluded, and `or`
offers alternatives; common English words (the, of, to…) are left out. PostgreSQL
searches stored documents and ranks with ``ts_rank``; SQLite searches its FTS5 index
(reader/search_index.py) and ranks with ``bm25`` over the same fields and weights.

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
  would be "found by" a subject whose biography mentions the word. On PostgreSQL each
  name column has a GIN index of its own (provenance/migrations/0008), and the agents
  matched by their own name and by an other name are found apart and joined
  (`_SeparateNames`), then read as one array before their links (`_named`): as one
  OR under the agent's stored document, a word in every description had every
  agent's names parsed, and every claim's subjects walked. On SQLite the FTS5 index's
  two name columns are the first sieve (`_Names.candidates`).
- The matches by own words and the matches through a name are found apart, each up
  to the cap, and ranked together through a UNION of the two: an OR of the two in one
  condition would leave PostgreSQL no index to use.
- On SQLite, bm25 ranks a match only in the statement whose FTS5 cursor found it,
  and works out each word's rarity from its whole posting list, once per cursor: a
  rank asked for record by record, in a condition or a subquery, would read every
  posting list once per record. So each section is one statement
  (`_indexed_section`) whose first part reads the index, ranking each match as it is
  found, up to the cap; the matches through a name are added with a rank below any
  match; and the records are joined to that list last. It is raw SQL that embeds the
  visibility rule and the names' conditions compiled from the same querysets as on
  PostgreSQL: Django joins no table it has no model for.
- On both databases those statements, and the one saying which name matched, are
  compiled once for every search, with a stand-in where each search puts its query
  (`_Compiled`): Django took longer to compile them than SQLite to run them, and on
  PostgreSQL, with the visibility rule, a third of the page's time. A
  source found through a name is checked by the visibility rule on its link's column
  (`link_visible`), not through its own row, which hundreds of them read for nothing.
- Each section is one query that also counts its candidates (a window count), so a
  search costs three queries, however many results there are; one more when people
  are found (their other names), and one more for each section that shows results
  found only through a name (which name matched, for all of them at once).
"""

import functools
import json
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
    BooleanField,
    Case,
    Count,
    Exists,
    Expression,
    F,
    FloatField,
    Func,
    OuterRef,
    Prefetch,
    Q,
    Subquery,
    Value,
    When,
    Window,
)
from django.db.models.expressions import RawSQL
from django.utils.html import escape
from django.utils.safestring import mark_safe

from claims.models import Claim
from claims.visibility import agent_is_public, source_is_public
from provenance.links import slug_url_maker
from provenance.models import Agent, AgentName, Source, SourceCreator
from reader import search_index

MAX_QUERY_LENGTH = 200
RESULTS_PER_SECTION = 20
CANDIDATES_PER_SECTION = 1000
SEARCH_CONFIG = "english"
SNIPPET_LENGTH = 220

# A term of a query as websearch_to_tsquery reads it: "-" to exclude it, then a
# "quoted phrase" (the closing quote optional) or a word. Curly quotes are punctuation.
_TERM = re.compile(r'(?P<minus>-*)(?:"(?P<phrase>[^"]*)"?|(?P<word>[^\s"]+))')
_CURLY_QUOTES = re.compile(r"[“”]")
_PUNCTUATION_AROUND_WORD = re.compile(r"^[^\w]+|[^\w]+$")
# What SQLite's FTS5 tokenizer (unicode61) takes for a word.
_INDEX_TOKEN = re.compile(r"[^\W_]+")

# PostgreSQL's English stop words (tsearch_data/english.stop), which it leaves out of
# documents and queries; SQLite's index keeps them, so its queries leave them out.
_STOP_WORDS = """
    i me my myself we our ours ourselves you your yours yourself yourselves he him his
    himself she her hers herself it its itself they them their theirs themselves what
    which who whom this that these those am is are was were be been being have has had
    having do does did doing a an the and but if or because as until while of at by
    for with about against between into through during before after above below to
    from up down in out on off over under again further then once here there when
    where why how all any both each few more most other some such no nor not only own
    same so than too very s t can will just don should now
"""
STOP_WORDS = frozenset(_STOP_WORDS.split())


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
    quotes. On SQLite `index` is its FTS5 table and `matches` the FTS5 query (or
    `_EXPRESSION` in its place), and `rank` is not used. Claims and sources are also
    reached through the agents they are linked to: `links` are those link rows,
    `link_to` their column naming the record, `role` what the link makes the agent
    ("subject", or a creator's role) and `link_visible` the condition on a link that a
    reader may see the record it names (the same rule as `queryset`'s). `prefetch` are
    the lookups a result's template reads."""

    queryset: object
    matches: object
    order: str
    text_field: str
    rank: object = None
    index: search_index.Document | None = None
    links: object = None
    link_to: str = ""
    role: object = None
    link_visible: object = None
    prefetch: tuple = ()


@dataclass(frozen=True)
class _Names:
    """How a name matches the query on this database: `own(prefix)` is the condition
    that the agent at `prefix` ("" or "agent__") is called so by their own name,
    `other` the condition on an other name (AgentName) that it matches, and
    `candidates` a condition on agents that every agent with a matching name meets
    (an indexed first sieve), or None."""

    own: object
    other: object
    candidates: object = None

    @functools.cached_property
    def agents(self):
        """The ids of the agents whose own name or one of whose other names matches."""
        other_names = AgentName.objects.filter(self.other, agent=OuterRef("pk"))
        agents = Agent.objects.filter(self.own("") | Q(Exists(other_names)))
        if self.candidates is not None:
            agents = agents.filter(self.candidates)
        return agents.order_by().values("pk")


class _SeparateNames(_Names):
    """`_Names` whose agents are found by own name and by other name apart, then
    joined (PostgreSQL): each condition then takes its own index (provenance migration
    0008), where together, under one OR, the planner parsed every candidate's names."""

    @functools.cached_property
    def agents(self):
        own = Agent.objects.filter(self.own(""))
        other = AgentName.objects.filter(self.other)
        return own.order_by().values("pk").union(other.order_by().values("agent_id"))


@dataclass(frozen=True)
class _Term:
    text: str
    excluded: bool


def _alternatives(query):
    """The terms of a query, as websearch_to_tsquery reads them: one list of terms
    for each alternative that `or` separates."""
    alternatives = [[]]
    for term in _TERM.finditer(_CURLY_QUOTES.sub(" ", query)):
        if term["word"] is not None and term["word"].lower() == "or" and not term["minus"]:
            alternatives.append([])
        else:
            text = term["phrase"] if term["word"] is None else term["word"]
            alternatives[-1].append(_Term(text, excluded=bool(term["minus"])))
    return alternatives


def query_words(query):
    """The words a query looks for (none of its syntax, nor its excluded terms), for
    highlighting; empty when it looks for nothing."""
    words = []
    for terms in _alternatives(query):
        for term in terms:
            if not term.excluded:
                words.extend(_PUNCTUATION_AROUND_WORD.sub("", raw) for raw in term.text.split())
    return tuple(word for word in words if word)


def index_query(query):
    """The query in FTS5's syntax, or None when it looks for nothing but stop words
    and punctuation. Each term is a quoted string, so nothing a reader types (NEAR,
    AND, *, ^, a column name) is read as FTS5's syntax; as websearch_to_tsquery does,
    the terms of an alternative must all match but the excluded ones, and an
    alternative with nothing to look for is dropped."""
    alternatives = []
    for terms in _alternatives(query):
        wanted = [_index_string(term.text) for term in terms if not term.excluded]
        unwanted = [_index_string(term.text) for term in terms if term.excluded]
        wanted, unwanted = [text for text in wanted if text], [text for text in unwanted if text]
        if not wanted:
            continue
        expression = " AND ".join(wanted)
        if unwanted:
            expression = f"({expression}) NOT ({' OR '.join(unwanted)})"
        alternatives.append(f"({expression})")
    return " OR ".join(alternatives) or None


def _index_string(text):
    """`text` as an FTS5 string (a phrase of its words), or "" when it holds no word
    but stop words: FTS5 finds nothing for such a phrase, PostgreSQL ignores it."""
    if all(word.lower() in STOP_WORDS for word in _INDEX_TOKEN.findall(text)):
        return ""
    # A NUL would end the string early; a quote inside one is doubled.
    return '"' + text.replace("\x00", "").replace('"', '""') + '"'


def search(query):
    """Search published claims, sources and agents for `query` (already stripped,
    non-empty, at most MAX_QUERY_LENGTH characters, with at least one `query_words`)."""
    words = query_words(query)
    limit, candidates = RESULTS_PER_SECTION, CANDIDATES_PER_SECTION
    postgresql = connection.vendor == "postgresql"
    expression = query if postgresql else index_query(query)
    if expression is None:
        nothing = Section(results=[], count=0)
        return SearchResults(query=query, claims=nothing, sources=nothing, agents=nothing)
    compiled = _compiled_kinds(postgresql=postgresql, limit=limit, candidates=candidates)
    found = [
        (
            indexed.kind,
            indexed.section.results(indexed.kind, expression=expression),
            functools.partial(indexed.add_name_matches, expression),
        )
        for indexed in compiled
    ]
    claims, sources, agents = (
        _section(kind, results, words, add_name_matches=add_name_matches, candidates=candidates)
        for kind, results, add_name_matches in found
    )
    return SearchResults(query=query, claims=claims, sources=sources, agents=agents)


def _section(kind, results, words, *, add_name_matches, candidates):
    """The section of `results`, the best matches of the first `candidates` found,
    ranked, each with the number of candidates `found` (one more than the cap, to know
    whether there are more): each result gets a `snippet` of its longer text and its
    `name_matches` (empty unless it was found only through a name)."""
    for result in results:
        result.snippet = snippet(getattr(result, kind.text_field), words)
        result.name_matches = []
    if kind.links is not None:
        add_name_matches([result for result in results if result.rank < 0])
    count = results[0].found if results else 0
    return Section(results=results, count=min(count, candidates), more=count > candidates)


def _ranked(kind, names, *, limit, candidates):
    """The best `limit` of the first `candidates` matches, each with its `rank` and
    the number of candidates `found`, as Django's query (PostgreSQL)."""
    found = kind.queryset.filter(kind.matches).order_by().values("pk")[: candidates + 1]
    rank = kind.rank
    model = kind.queryset.model
    if kind.links is not None:
        named = _named(kind, names, candidates=candidates)
        # Each part of the UNION wraps its capped list, as Django compiles a LIMIT
        # inside a compound query only where every database takes it.
        found = (
            model.objects.filter(pk__in=found)
            .order_by()
            .values("pk")
            .union(model.objects.filter(pk__in=named).order_by().values("pk"))
        )
        rank = Case(
            When(kind.matches, then=kind.rank), default=Value(-1.0), output_field=FloatField()
        )
    # `found` holds only what a reader may see: checking the rule again here would
    # double the query's planning, which for agents takes longer than running it. It
    # is read first, as one array: given `IN (found)`, the planner would rather sort
    # every record by rank and stop at the limit, not knowing the window count reads
    # them all.
    return (
        model.objects.only(*_SHOWN[model])
        .filter(_InArray(F("pk"), Subquery(found)))
        .annotate(rank=rank, found=Window(Count("pk")))
        .order_by("-rank", kind.order)[: min(limit, candidates)]
    )


class _InArray(Func):
    """`field = ANY(ARRAY(subquery))`: the subquery run once, before the query, as
    an InitPlan (PostgreSQL)."""

    arg_joiner = " = ANY(ARRAY"
    template = "%(expressions)s)"
    output_field = BooleanField()


def _named(kind, names, *, candidates):
    """The records found through a name of an agent linked to them, up to the cap."""
    # The agents first, as one array: given `IN (agents)`, the planner would rather walk
    # every link in the record's order, checking each agent, to stop at the cap.
    agents = _InArray(F("agent_id"), Subquery(names.agents))
    through_names = kind.links.filter(agents).values(kind.link_to)
    return kind.queryset.filter(pk__in=through_names).order_by().values("pk")[: candidates + 1]


# Stand-ins for the query (SQLite: its FTS5 expression) and for a list of ids while the
# SQL of a search is compiled, once for every search (`_Compiled`); a search puts its
# own in their place. No query holds a NUL: the search page drops control characters
# (reader/views/search.py), and `_index_string` drops it.
_EXPRESSION = "\x00expression\x00"
_IDS = "\x00ids\x00"


@dataclass(frozen=True)
class _Compiled:
    """A statement compiled once, whose parameters hold `_EXPRESSION` and `_IDS`.
    Compiling the names' conditions, the visibility rule and the name matches' query
    took Django longer than either database takes to run them."""

    sql: str
    params: tuple

    @classmethod
    def of(cls, queryset):
        sql, params = _sql(queryset)
        return cls(sql, tuple(params))

    def bind(self, *, expression, ids=()):
        ids = json.dumps(list(ids))
        return [
            param.replace(_EXPRESSION, expression).replace(_IDS, ids)
            if isinstance(param, str)
            else param
            for param in self.params
        ]

    def results(self, kind, *, expression):
        model = kind.queryset.model
        records = model.objects.raw(self.sql, self.bind(expression=expression))
        return list(records.prefetch_related(*kind.prefetch))

    def rows(self, *, expression, ids):
        with connection.cursor() as cursor:
            cursor.execute(self.sql, self.bind(expression=expression, ids=ids))
            columns = [column[0] for column in cursor.description]
            return [dict(zip(columns, row, strict=True)) for row in cursor.fetchall()]


@dataclass(frozen=True)
class _CompiledKind:
    """A kind searched, with its statements compiled: `section` finds and ranks the
    results (`_indexed_section` on SQLite, `_ranked` on PostgreSQL), `name_matches`
    says which name matched."""

    kind: _Kind
    section: _Compiled
    name_matches: _Compiled | None

    def add_name_matches(self, expression, results):
        """Say, on each result found only through a name, which agent linked to it has
        that name, and which of their names matched (1 query for all the results)."""
        if not results:
            return
        links = self.name_matches.rows(expression=expression, ids=[result.pk for result in results])
        _name_matches_add(self.kind, results, links)


@functools.cache
def _compiled_kinds(*, postgresql, limit, candidates):
    """The kinds searched, their statements compiled for every search with this
    `limit` and cap of `candidates`: on PostgreSQL `_ranked` finds and ranks, on SQLite
    `_indexed_section`; `_name_links` over a JSON list of ids says which name matched."""
    if postgresql:
        kinds, names = _postgresql_kinds(_EXPRESSION)
        ids = RawSQL("SELECT value::bigint FROM json_array_elements_text(%s::json)", (_IDS,))
    else:
        kinds, names = _sqlite_kinds(_EXPRESSION)
        ids = RawSQL("SELECT value FROM json_each(%s)", (_IDS,))

    def section(kind):
        if postgresql:
            return _Compiled.of(_ranked(kind, names, limit=limit, candidates=candidates))
        return _indexed_section(kind, names, limit=limit, candidates=candidates)

    return tuple(
        _CompiledKind(
            kind=kind,
            section=section(kind),
            name_matches=(
                None if kind.links is None else _Compiled.of(_name_links(kind, names, ids))
            ),
        )
        for kind in kinds
    )


def _indexed_section(kind, names, *, limit, candidates):
    """`_ranked` on SQLite, in one statement: the first `candidates` matches the FTS5
    index finds among the records a reader may see, each ranked by bm25 as it is
    found; then, for claims and sources, those found only through a name, ranked
    below them; then the best `limit` of all, with the fields a result shows."""
    model = kind.queryset.model
    index, table = kind.index.name, model._meta.db_table
    quote = connection.ops.quote_name
    visible, visible_params = _visible(kind.queryset, f"{index}.rowid")
    parts = [
        f"own (id, rank) AS MATERIALIZED (SELECT {index}.rowid,"
        f" -bm25({index}, {kind.index.bm25_weights()}) FROM {index}"
        f" WHERE {index} MATCH %s AND EXISTS ({visible}) LIMIT %s)"
    ]
    params = [kind.matches, *visible_params, candidates + 1]
    found = "SELECT id, rank FROM own"
    if kind.links is not None:
        named, named_params = _sql(
            kind.links.filter(Q(agent__in=names.agents) & kind.link_visible)
            .order_by()
            .values(kind.link_to)
            .distinct()[: candidates + 1]
        )
        parts.append(f"named (id) AS ({named})")
        params.extend(named_params)
        found += " UNION ALL SELECT id, -1.0 FROM named WHERE id NOT IN (SELECT id FROM own)"
    # Counted apart, and only the best joined to their rows: a count over every row
    # of the join sorted every candidate's text to keep `limit` of them.
    parts.append(f"found (id, rank) AS MATERIALIZED ({found})")
    fields = [model._meta.pk, *(model._meta.get_field(name) for name in _SHOWN[model])]
    columns = ", ".join(f"{quote(table)}.{quote(field.column)}" for field in fields)
    pk = f"{quote(table)}.{quote(model._meta.pk.column)}"
    order = f"{quote(table)}.{quote(model._meta.get_field(kind.order).column)}"
    parts.append(
        f"best (id, rank) AS (SELECT found.id, found.rank FROM found JOIN {quote(table)}"
        f" ON {pk} = found.id ORDER BY found.rank DESC, {order}, {pk} LIMIT %s)"
    )
    sql = (
        f"WITH {', '.join(parts)} SELECT {columns}, best.rank AS rank,"
        f" (SELECT COUNT(*) FROM found) AS found FROM best JOIN {quote(table)} ON {pk} = best.id"
        f" ORDER BY best.rank DESC, {order}, {pk}"
    )
    params.append(min(limit, candidates))
    return _Compiled(sql, tuple(params))


def _sql(queryset):
    return queryset.query.get_compiler(using=queryset.db).as_sql()


@functools.cache
def _visible(records, ref):
    """SQL true when the record whose id is `ref` (SQL) is one of `records` (what a
    reader may see: `_claims()`, `_sources()` or `_agents()`). Compiled once: it is
    the same for every search, and compiling the rule for sources and agents costs more
    than a search."""
    return _sql(records.filter(pk=RawSQL(ref, ())).order_by().values("pk"))


def _name_links(kind, names, records):
    """The links of `records` (ids, or an expression giving them) to the agents with a
    matching name, with which of their names matched, in the order they are shown."""
    other_names = AgentName.objects.filter(names.other, agent=OuterRef("agent_id"))
    return (
        kind.links.filter(**{f"{kind.link_to}__in": records}, agent__in=names.agents)
        .annotate(
            link_role=kind.role,
            own_name_matches=Case(
                When(names.own("agent__"), then=Value(True)), default=Value(False)
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


def _name_matches_add(kind, results, links):
    by_pk = {result.pk: result for result in results}
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
    try:
        return SourceCreator.Role(role).label.lower()
    except ValueError:  # "subject"
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


# What a reader may see of each kind, with the fields a result shows and no more (a
# claim's stored timeline and what-if are kilobytes of JSON that a result never
# reads). Each is built once, as a generic view's queryset is: the visibility rule for
# agents takes longer to build than a search takes, and every use chains a new
# queryset from it, so none is ever evaluated.
_SHOWN = {
    Claim: ("slug", "statement", "summary", "strength_level"),
    Source: ("slug", "title", "kind", "date", "description"),
    Agent: ("slug", "name", "sort_name", "kind", "date", "description"),
}


@functools.cache
def _claims():
    return Claim.objects.published().only(*_SHOWN[Claim])


@functools.cache
def _sources():
    return Source.objects.filter(source_is_public()).only(*_SHOWN[Source])


@functools.cache
def _agents():
    return Agent.objects.filter(agent_is_public()).only(*_SHOWN[Agent])


def _other_names():
    return Prefetch(
        "other_names", queryset=AgentName.objects.order_by("name").only("agent", "name")
    )


def _claim_subjects():
    return {
        "links": Claim.subjects.through.objects.all(),
        "link_to": "claim_id",
        "role": Value("subject"),
        "link_visible": Q(Exists(_claims().filter(pk=OuterRef("claim_id")))),
    }


def _source_creators():
    return {
        "links": SourceCreator.objects.all(),
        "link_to": "source_id",
        "role": F("role"),
        # The rule read from the link's column: through the source's own row, each of
        # hundreds of sources found through a name read that row for nothing.
        "link_visible": source_is_public("source"),
    }


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
        kind(_agents(), "sort_name", "description", prefetch=(_other_names(),)),
    )
    names = _SeparateNames(
        own=lambda prefix: name_matches(f"{prefix}name"), other=name_matches("name")
    )
    return kinds, names


def _sqlite_kinds(expression):
    """The same kinds searched through the FTS5 index for `expression` (`index_query`)."""

    def kind(queryset, index, order, text_field, **links):
        return _Kind(
            queryset=queryset,
            matches=expression,
            index=index,
            order=order,
            text_field=text_field,
            **links,
        )

    def indexed(document, query):
        """The ids of the records whose row of `document` matches `query`."""
        return RawSQL(f"SELECT rowid FROM {document.name} WHERE {document.name} MATCH %s", (query,))

    kinds = (
        kind(_claims(), search_index.CLAIMS, "statement", "summary", **_claim_subjects()),
        kind(_sources(), search_index.SOURCES, "title", "description", **_source_creators()),
        kind(
            _agents(), search_index.AGENTS, "sort_name", "description", prefetch=(_other_names(),)
        ),
    )
    # The agent's own name is one column of their row, each other name a row of its own
    # table; the two name columns together are the first sieve.
    names = _Names(
        own=lambda prefix: Q(
            **{f"{prefix}pk__in": indexed(search_index.AGENTS, f"name : ({expression})")}
        ),
        other=Q(pk__in=indexed(search_index.OTHER_NAMES, expression)),
        candidates=Q(pk__in=indexed(search_index.AGENTS, f"{{name other_names}} : ({expression})")),
    )
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


@functools.lru_cache(maxsize=64)  # one search marks every result with the same words
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
