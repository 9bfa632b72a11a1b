"""What the pages about sources, people and events list, and how they page.

Every list on these pages that grows with the archive is shown a page at a time, each
with its own page parameter; only published claims ever appear in them.
"""

from django.core.paginator import Paginator
from django.db.models import F, Prefetch

from claims.models import Claim, Presentation
from provenance.models import Agent, Source

PUBLISHED = Claim.Status.PUBLISHED


def by_date(*fields):
    """Oldest first, undated last on every database, then by the given fields."""
    return (F("date_lower").asc(nulls_last=True), *fields)


# What a listing shows of each record, and no more: a claim's stored timeline and
# what-if are a few kilobytes of JSON each, and the planner's time grows with every
# column asked for, so the wide rows of a full select would cost most of the page.
LISTED_CLAIM = ("slug", "statement", "strength_level")
LISTED_SOURCE = ("slug", "title", "kind", "date")
LISTED_EVENT = ("slug", "name", "date", "place")


def listed(prefix, fields):
    return [f"{prefix}__{field}" for field in fields]


def published_presentations():
    """Presentations of evidence for published claims, with what a listing shows but
    their sources: see `presentations_page`."""
    return (
        Presentation.objects.filter(evidence__claim__status=PUBLISHED)
        .select_related("evidence__claim", "event")
        .only(
            "date",
            "note",
            "reported_in",
            "evidence__stance",
            "evidence__source",
            *listed("evidence__claim", LISTED_CLAIM),
            *listed("event", LISTED_EVENT),
        )
        .prefetch_related(Prefetch("presenters", queryset=Agent.objects.only("slug", "name")))
    )


# Every list on these pages that grows with the archive (a busy person presented
# thousands of pieces of evidence) is shown a page at a time, each list with its own
# page parameter so that one can be paged through while the others stay put and any
# page of any list can be bookmarked: /people/stalin/?claims-page=3. What belongs to
# the record itself (a source's creators and custody, a person's names and
# affiliations, an event's organisers) is short and shown whole.
PER_PAGE = 20
# Far beyond any list; a larger number would overflow the database's OFFSET.
MAX_PAGE = 100_000


def list_page(request, queryset, *, name, count=None):
    """One page of a long list, with the exact count of the whole list, chosen by the
    `<name>-page` parameter. A page number that is not a number gives the first page,
    one out of range the last: an old bookmark to a list that has since shrunk still
    shows something sensible. `count` counts the list where the queryset's own count
    would read more rows than it needs."""
    parameter = f"{name}-page"
    paginator = Paginator(queryset, PER_PAGE)
    if count is not None:
        paginator.count = count()
    page = paginator.get_page(request.GET.get(parameter))
    page.parameter = parameter
    page.object_list = list(page.object_list)  # read here, with its prefetches
    return page


class UncountedPage:
    """One page of a list too long to count on every request: the presentations of a
    busy person or event. Counting the ones for published claims would read every one
    of thousands of rows; a page reads one row more than it shows, to know whether
    there is a next. It answers what a Paginator's page does, except the count."""

    paginator = None

    def __init__(self, queryset, *, number, parameter):
        self.number, self.parameter = number, parameter
        start = (number - 1) * PER_PAGE
        rows = list(queryset[start : start + PER_PAGE + 1])
        self.object_list = rows[:PER_PAGE]
        self._more = len(rows) > PER_PAGE

    def __len__(self):
        return len(self.object_list)

    def __iter__(self):
        return iter(self.object_list)

    def has_next(self):
        return self._more

    def has_previous(self):
        return self.number > 1

    def has_other_pages(self):
        return self.has_next() or self.has_previous()

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1

    def start_index(self):
        return (self.number - 1) * PER_PAGE + 1

    def end_index(self):
        return self.start_index() + len(self.object_list) - 1

    def is_past_the_end(self):
        """A page number beyond the list (from an old bookmark or a typo)."""
        return self.number > 1 and not self.object_list


def uncounted_page(request, queryset, *, name):
    """One page of a long list, without its count, chosen by the `<name>-page`
    parameter; a page number that is not a whole number above 0 gives the first."""
    parameter = f"{name}-page"
    try:
        number = min(max(1, int(request.GET.get(parameter, 1))), MAX_PAGE)
    except ValueError:
        number = 1
    return UncountedPage(queryset, number=number, parameter=parameter)


def presentations_page(request, queryset, *, name):
    """A page of presentations, each given the source of its evidence and the source
    that reported it, both read in one query for the whole page. Joined into the
    page's own query they made it a join of seven tables, which PostgreSQL took longer
    to plan than to run."""
    page = uncounted_page(request, queryset, name=name)
    presentations = page.object_list
    wanted = {presentation.evidence.source_id for presentation in presentations}
    wanted |= {presentation.reported_in_id for presentation in presentations}
    wanted.discard(None)
    sources = Source.objects.only(*LISTED_SOURCE).in_bulk(wanted)
    for presentation in presentations:
        presentation.evidence.source = sources[presentation.evidence.source_id]
        presentation.reported_in = sources.get(presentation.reported_in_id)
    return page
