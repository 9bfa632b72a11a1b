"""Pages of the claim list that cost the same at the first claim and the last.

A page is read *after* (or *before*) a claim named in the URL: the next page holds the
claims that follow it in the list's order, found as one range over an index
(`(keys) > (the claim's keys)`) instead of counting past every earlier claim with
OFFSET, which reads past them all even over a covering index, so the last page cost
the most; counting every match grows with the archive too. A page after a claim costs
the same anywhere.

- `?after=<slug>`: the page after that claim; `?before=<slug>`: the page before it;
  `?page=last`: the last page (read from the end). Each link is a plain URL, so it can
  be bookmarked and shared. A cursor must name a published claim: a draft's slug
  would otherwise tell where its strength or date falls. A claim that has since left
  the list, or a cursor that is not a slug at all, starts the list again, and the page
  says so.
- `?page=<n>` (the numbered pages of old links) still works, by OFFSET; a number
  that is not plain digits 1 to 999,999 gives the first page.
- The total is counted up to `COUNT_LIMIT` matches: beyond that the page says "more
  than 10,000", which costs a bounded scan however large the archive grows.
"""

import re
from dataclasses import dataclass

from django.db.models import BooleanField, Func, Value

from claims.models import Claim

COUNT_LIMIT = 10_000
# Beyond any list; a larger number would only make a long OFFSET scan.
MAX_PAGE_NUMBER = 999_999
# ASCII only: "²" and "١" pass str.isdigit, and int() refuses the first.
_PAGE_NUMBER = re.compile(r"[0-9]{1,6}")
# What Django's <slug:> accepts; anything else (a NUL: PostgreSQL refuses the query)
# names no claim.
_SLUG = re.compile(r"[-a-zA-Z0-9_]{1,255}")


def page_number(text):
    """The number `?page=` asks for, or None (the first page) when it is not one."""
    if text and _PAGE_NUMBER.fullmatch(text) and 0 < int(text) <= MAX_PAGE_NUMBER:
        return int(text)
    return None


class RowComparison(Func):
    """`(a, b, c) > (x, y, z)`: rows compared as a whole, which PostgreSQL and SQLite
    both evaluate as one range of an index on (a, b, c)."""

    output_field = BooleanField()

    def __init__(self, keys, values, *, operator):
        self.width, self.operator = len(keys), operator
        super().__init__(*keys, *values)

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression in self.get_source_expressions():
            sql, expression_params = compiler.compile(expression)
            parts.append(sql)
            params.extend(expression_params)
        left, right = ", ".join(parts[: self.width]), ", ".join(parts[self.width :])
        return f"(({left}) {self.operator} ({right}))", params


@dataclass(frozen=True)
class Page:
    """One page of claims, and the links around it (None where there is no page)."""

    claims: list
    total: int
    total_is_capped: bool
    after: str | None  # the slug to read the next page after
    before: str | None  # the slug to read the previous page before
    cursor_missing: bool = False

    @property
    def count_limit(self):
        return COUNT_LIMIT

    @property
    def has_next(self):
        return self.after is not None

    @property
    def has_previous(self):
        return self.before is not None

    @property
    def has_other_pages(self):
        return self.has_next or self.has_previous


def _cursor_keys(sort, slug):
    """The sort keys of the published claim `slug` names, or None."""
    if not _SLUG.fullmatch(slug):
        return None
    keys = Claim.objects.published().filter(slug=slug).order_by().values_list(*sort.keys)[:1]
    row = next(iter(keys), None)
    return list(row) if row is not None else None


def _after(sort, keys, *, reverse=False):
    """The condition for claims after (or, reversed, before) a row of keys."""
    forwards = sort.descending == reverse
    values = [Value(value) for value in keys]
    return RowComparison(sort.keys, values, operator=">" if forwards else "<")


def count(queryset):
    """How many claims match, counted up to COUNT_LIMIT + 1 (one query)."""
    return queryset.order_by()[: COUNT_LIMIT + 1].count()


def claim_page(queryset, sort, *, size, after=None, before=None, number=None, last=False):
    """The page of `queryset` (published claims, filtered) in `sort`'s order (3 queries:
    the count, the cursor claim's keys when there is a cursor, the page)."""
    total = count(queryset)
    capped = total > COUNT_LIMIT
    cursor = after or before
    keys = _cursor_keys(sort, cursor) if cursor else None
    missing = bool(cursor) and keys is None
    if keys is None:
        after = before = None

    if before:
        rows = list(
            queryset.filter(_after(sort, keys, reverse=True)).order_by(
                *sort.ordering(reverse=True)
            )[: size + 1]
        )
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return _page(rows, total, capped, more_after=True, more_before=more_before)
    if last:
        rows = list(queryset.order_by(*sort.ordering(reverse=True))[: size + 1])
        more_before = len(rows) > size
        rows = rows[:size][::-1]
        return _page(rows, total, capped, more_after=False, more_before=more_before)
    if after:
        rows = list(queryset.filter(_after(sort, keys)).order_by(*sort.ordering())[: size + 1])
        return _page(rows[:size], total, capped, more_after=len(rows) > size, more_before=True)
    start = (number - 1) * size if number else 0
    rows = list(queryset.order_by(*sort.ordering())[start : start + size + 1])
    if start and not rows:
        # An old numbered link past the end (the list has shrunk): the last page.
        return claim_page(queryset, sort, size=size, last=True)
    return _page(
        rows[:size],
        total,
        capped,
        more_after=len(rows) > size,
        more_before=start > 0,
        missing=missing,
    )


def _page(rows, total, capped, *, more_after, more_before, missing=False):
    return Page(
        claims=rows,
        total=total,
        total_is_capped=capped,
        after=rows[-1].slug if rows and more_after else None,
        before=rows[0].slug if rows and more_before else None,
        cursor_missing=missing,
    )


CURSOR_PARAMETERS = ("page", "after", "before")


def without_position(query):
    """A copy of a QueryDict without the page parameters: a new filter starts at the
    beginning of the list."""
    query = query.copy()
    for name in CURSOR_PARAMETERS:
        query.pop(name, None)
    return query


def page_links(page, query):
    """The query strings ("?…") of the first, previous, next and last pages around
    `page`, keeping every filter in `query` (None where there is no such page)."""

    def link(**position):
        kept = without_position(query)
        for name, value in position.items():
            kept[name] = value
        encoded = kept.urlencode()
        return f"?{encoded}" if encoded else "?"

    return {
        "first": link() if page.has_previous else None,
        "previous": link(before=page.before) if page.has_previous else None,
        "next": link(after=page.after) if page.has_next else None,
        "last": link(page="last") if page.has_next else None,
    }
