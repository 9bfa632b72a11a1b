"""The citation graph: which sources derive from which. Every walk of it is here.

In the database, one recursive query each (a common table expression, the same on
SQLite and PostgreSQL), whatever the depth of the chains:
- `ancestor_links`: every citation reachable from some sources towards their roots;
- `descendant_ids`: some sources and every source that derives from them;
- `descendant_links`: every citation reachable from some sources towards the
  sources that derive from them (a source page's picture);
- `would_make_a_circle`: the check that keeps the graph free of cycles;
- `DerivesInto`: a condition for querysets, true of a source when it or a source
  deriving from it is among some others (claims/visibility.py: a source is public
  when a published claim rests on it through the chain).

In memory, for the strength method and the pages alike: `reachable` and
`links_reachable_from`. The models are imported where the database is read, so the
pure strength method can import this module without Django set up.
"""

from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from django.db import connections, router
from django.db.models import BooleanField, Expression, F, Subquery

# Ids per IN (...) list: SQLite allows 32,766 parameters in a statement.
IN_CHUNK = 5000


@dataclass(frozen=True)
class Link:
    """One citation: the citing source derives from the cited one."""

    citing_id: int
    cited_id: int
    kind: str
    citing_slug: str
    citing_title: str
    cited_slug: str
    cited_title: str

    @property
    def kind_label(self):
        from provenance.models import Citation

        return Citation.Kind(self.kind).label


def chunks(ids, size=IN_CHUNK):
    """Ids in order, `size` at a time: short enough lists for any IN (...)."""
    ids = sorted(ids)
    for start in range(0, len(ids), size):
        yield ids[start : start + size]


def _walk_sql(count, *, towards_roots):
    from provenance.models import Citation, Source

    citation, source = Citation._meta.db_table, Source._meta.db_table
    placeholders = ", ".join(["%s"] * count)
    start, step = ("citing_id", "w.cited_id") if towards_roots else ("cited_id", "w.citing_id")
    joined = "citing_id" if towards_roots else "cited_id"
    # The walk collects the citations themselves, each generation found through the
    # index on the joined column; each source's slug and title is then looked up by
    # its key. PostgreSQL cannot estimate a recursive result, and joining the whole
    # walk to the sources made it hash the source table instead.
    return f"""
        WITH RECURSIVE walk(citing_id, cited_id, kind) AS (
            SELECT c.citing_id, c.cited_id, c.kind FROM {citation} c
            WHERE c.{start} IN ({placeholders})
            UNION
            SELECT c.citing_id, c.cited_id, c.kind FROM {citation} c
            JOIN walk w ON c.{joined} = {step}
        )
        SELECT w.citing_id, w.cited_id, w.kind,
               (SELECT s.slug FROM {source} s WHERE s.id = w.citing_id),
               (SELECT s.title FROM {source} s WHERE s.id = w.citing_id),
               (SELECT s.slug FROM {source} s WHERE s.id = w.cited_id),
               (SELECT s.title FROM {source} s WHERE s.id = w.cited_id)
        FROM walk w
    """  # noqa: S608 (table names come from the models; values are parameters)


def _walk(source_ids, *, towards_roots, using):
    links = set()
    with connections[using].cursor() as cursor:
        for chunk in chunks({int(pk) for pk in source_ids}):
            cursor.execute(_walk_sql(len(chunk), towards_roots=towards_roots), chunk)
            links.update(Link(*row) for row in cursor.fetchall())
    return sorted(links, key=lambda link: (link.citing_slug, link.cited_slug))


def ancestor_links(source_ids: Iterable[int], *, using=None) -> list[Link]:
    """Every citation reachable from these sources towards their roots, ordered by
    the citing and then the cited slug (one query per 5,000 sources). Read from the
    replica when there is one, unless `using` says otherwise."""
    from provenance.models import Citation

    return _walk(source_ids, towards_roots=True, using=using or router.db_for_read(Citation))


def descendant_ids(source_ids: Iterable[int], *, using=None) -> set[int]:
    """These sources and every source that derives from them, directly or not: a
    change to a root changes every line of evidence that reaches it. Read from the
    primary: writes ask."""
    from provenance.models import Citation

    source_ids = {int(pk) for pk in source_ids}
    links = _walk(source_ids, towards_roots=False, using=using or router.db_for_write(Citation))
    return source_ids | {link.citing_id for link in links}


def descendant_links(source_ids: Iterable[int], *, using=None) -> list[Link]:
    """Every citation reachable from these sources towards the sources deriving from
    them, ordered as `ancestor_links` orders (one query per 5,000 sources). Read from
    the replica when there is one: pages ask."""
    from provenance.models import Citation

    return _walk(source_ids, towards_roots=False, using=using or router.db_for_read(Citation))


def would_make_a_circle(*, citing_id: int, cited_id: int, using=None) -> bool:
    """True when a citation from `citing_id` to `cited_id` would close a cycle: the
    cited source is the citing one, or already derives from it (one query)."""
    if citing_id == cited_id:
        return True
    from provenance.models import Citation

    using = using or router.db_for_write(Citation)
    return any(link.cited_id == citing_id for link in ancestor_links({cited_id}, using=using))


class DerivesInto(Expression):
    """True of a source when it, or a source deriving from it directly or not, is
    among `targets` (a queryset of source ids). `source` names the column holding the
    source's id in the query filtered ("pk" on sources, "source" on their creators).

    A correlated recursive walk from that one source towards the sources citing it,
    stopped at the first one found among the targets: a page asking about a few
    sources walks only their descendants, never the whole graph.
    """

    conditional = True
    output_field = BooleanField()

    def __init__(self, source, targets):
        super().__init__()
        self.source = F(source) if isinstance(source, str) else source
        self.targets = targets if isinstance(targets, Subquery) else Subquery(targets)

    def get_source_expressions(self):
        return [self.source, self.targets]

    def set_source_expressions(self, expressions):
        self.source, self.targets = expressions

    def _compiled(self, compiler, connection):
        from provenance.models import Citation

        citation = connection.ops.quote_name(Citation._meta.db_table)
        source_sql, source_params = compiler.compile(self.source)
        targets_sql, targets_params = compiler.compile(self.targets)
        return citation, source_sql, targets_sql, (*source_params, *targets_params)

    def as_sql(self, compiler, connection):
        citation, source_sql, targets_sql, params = self._compiled(compiler, connection)
        sql = (
            "EXISTS (WITH RECURSIVE derived(id) AS ("
            f"SELECT {source_sql} UNION "
            f"SELECT c.citing_id FROM {citation} c JOIN derived d ON c.cited_id = d.id) "
            f"SELECT 1 FROM derived WHERE derived.id IN {targets_sql})"
        )
        return sql, params

    def as_sqlite(self, compiler, connection):
        # SQLite lists every target before the first "IN" (all the sources of
        # published evidence: a second at 100,000 claims); asked of each source walked
        # to, the targets' own query finds it through an index.
        citation, source_sql, targets_sql, params = self._compiled(compiler, connection)
        sql = (
            "EXISTS (WITH RECURSIVE derived(id) AS ("
            f"SELECT {source_sql} UNION "
            f"SELECT c.citing_id FROM {citation} c JOIN derived d ON c.cited_id = d.id), "
            f"target(id) AS {targets_sql} "
            "SELECT 1 FROM derived WHERE EXISTS "
            "(SELECT 1 FROM target WHERE target.id = derived.id))"
        )
        return sql, params


# In memory


def reachable(start, parents_of: Mapping) -> set:
    """Every node reachable from `start` through `parents_of` (a mapping of a node to
    the nodes it derives from), not counting `start` itself. Safe with cycles."""
    seen: set = set()
    waiting = [start]
    while waiting:
        for parent in parents_of.get(waiting.pop(), ()):
            if parent not in seen:
                seen.add(parent)
                waiting.append(parent)
    seen.discard(start)
    return seen


def parents_by_citing(links: Iterable[Link]) -> dict[int, list[Link]]:
    """Each citing source's links, by its id."""
    parents: dict[int, list[Link]] = {}
    for link in links:
        parents.setdefault(link.citing_id, []).append(link)
    return parents


def links_reachable_from(
    source_ids: Iterable[int], parents: Mapping[int, list[Link]]
) -> list[Link]:
    """The links walked from these sources to their roots, from `parents_by_citing`
    of a set of links that holds them (such as the ancestors of a larger set)."""
    found, seen, waiting = [], set(), list(source_ids)
    while waiting:
        pk = waiting.pop()
        if pk in seen:
            continue
        seen.add(pk)
        for link in parents.get(pk, ()):
            found.append(link)
            waiting.append(link.cited_id)
    return found
