"""The shapes the read API answers in (reader/api.py), as django-ninja schemas: they
make its OpenAPI document, and tests/reader/test_api_schema.py checks every answer
against that document.

`ClaimOut` is the shape of /claims/<slug>.json, promised in docs/api.md: keys are only
ever added. Addresses are absolute; `url` is always the record's page for readers,
`api_url` its answer here, and `web_address` a record's own address elsewhere.
"""

from datetime import datetime

from ninja import Schema


class Error(Schema):
    error: str
    parameter: str | None = None


# References to other records


class AgentRef(Schema):
    slug: str
    name: str
    url: str


class SourceRef(Schema):
    slug: str
    title: str
    kind: str
    url: str
    date: str | None
    date_words: str | None


class EventRef(Schema):
    slug: str
    name: str
    url: str


class TopicRef(Schema):
    slug: str
    name: str
    url: str


class ClaimRef(Schema):
    slug: str
    statement: str
    url: str
    api_url: str
    level_code: str


class DateOut(Schema):
    edtf: str | None
    words: str | None
    lower: str | None
    upper: str | None


# A claim, as /claims/<slug>.json (docs/api.md)


class Level(Schema):
    level: str
    level_code: str
    support: float
    contradiction: float


class AssessmentOut(Level):
    summary: str
    reasons: list[str]
    as_of: str | None


class StepOut(Level):
    date: str | None
    words: str


class Factor(Schema):
    value: str
    weight: float


class Factors(Schema):
    proximity: Factor
    access: Factor
    authenticity: Factor
    directness: Factor


class PresentationOut(Schema):
    date: str | None
    date_words: str | None
    presenters: list[AgentRef]
    event: EventRef | None
    reported_in: SourceRef | None


class ItemOut(Schema):
    stance: str
    directness: str
    weight: float
    factors: Factors
    explanation: str
    quotation: str
    locator: str
    source: SourceRef
    presentations: list[PresentationOut]


class LineOut(Schema):
    key: str
    support_weight: float
    contradiction_weight: float
    items: list[ItemOut]


class NotCountedOut(Schema):
    source: SourceRef
    reason: str


class WhatIfOut(Level):
    without: SourceRef
    changes_level: bool


class CorrectionOut(Schema):
    at: datetime
    kind: str
    label: str
    reason: str
    level_before: str | None
    level_after: str | None
    url: str


class ClaimOut(Schema):
    statement: str
    slug: str
    url: str
    status: str
    summary: str
    date: DateOut
    assessment: AssessmentOut
    timeline: list[StepOut]
    lines: list[LineOut]
    not_counted: list[NotCountedOut]
    what_if: list[WhatIfOut]
    corrections: list[CorrectionOut]
    subjects: list[AgentRef]
    topics: list[TopicRef]


# The claim list


class ClaimSummary(ClaimRef):
    summary: str
    date: DateOut
    level: str
    support: float
    contradiction: float
    topics: list[TopicRef]
    updated_at: datetime


class ClaimPage(Schema):
    """A page of the claim list, as /claims/ pages it: `next` reads the claims after the
    last one here, `previous` those before the first, whatever changed meanwhile."""

    count: int
    count_is_capped: bool
    first: str | None
    previous: str | None
    next: str | None
    last: str | None
    results: list[ClaimSummary]


# Lists of the other records: pages in slug order, without a count


class SourceSummary(SourceRef):
    api_url: str


class AgentSummary(AgentRef):
    kind: str
    api_url: str
    date: str | None
    date_words: str | None


class EventSummary(EventRef):
    api_url: str
    date: str | None
    date_words: str | None
    place: str


class TopicOut(TopicRef):
    """A topic; `url` is the claim list on it, `claims_api_url` the same list here."""

    api_url: str
    claims_api_url: str
    description: str
    parent: TopicRef | None


class TopicDetail(TopicOut):
    children: list[TopicRef]


class SourceList(Schema):
    next: str | None
    results: list[SourceSummary]


class AgentList(Schema):
    next: str | None
    results: list[AgentSummary]


class EventList(Schema):
    next: str | None
    results: list[EventSummary]


class TopicList(Schema):
    next: str | None
    results: list[TopicOut]


# Lists inside a record: pages of 20, each with its own `<name>-page` parameter, as on
# the record's page


class Paged(Schema):
    page: int
    next_page: int | None
    previous_page: int | None


class CountedPaged(Paged):
    count: int
    pages: int


class EvidenceOfSource(Schema):
    claim: ClaimRef
    stance: str
    locator: str


class CitationOut(Schema):
    source: SourceRef
    kind: str
    locator: str


class EvidencePage(CountedPaged):
    results: list[EvidenceOfSource]


class CitationPage(CountedPaged):
    results: list[CitationOut]


class ClaimRefPage(CountedPaged):
    results: list[ClaimRef]


class SourceRefPage(CountedPaged):
    results: list[SourceRef]


class EventRefPage(CountedPaged):
    results: list[EventRef]


class PresentedOut(Schema):
    date: str | None
    date_words: str | None
    claim: ClaimRef
    stance: str
    source: SourceRef
    presenters: list[AgentRef]
    event: EventRef | None
    reported_in: SourceRef | None


class PresentedPage(Paged):
    results: list[PresentedOut]


class CustodyOut(Schema):
    """One step of a source's custody. `access`, `authenticity` and `credibility` are
    what the source has from this step on, where the step changes it (else null): the
    source's history of each, as the strength method reads it."""

    kind: str
    label: str
    date: str | None
    date_words: str | None
    agents: list[AgentRef]
    event: EventRef | None
    note: str
    reference: str
    documented_in: SourceRef | None
    documented_in_title: str | None
    access: str | None
    authenticity: str | None
    credibility: str | None


class CustodyAtEvent(Schema):
    kind: str
    label: str
    date: str | None
    date_words: str | None
    note: str
    source: SourceRef
    agents: list[AgentRef]


class CustodyAtEventPage(CountedPaged):
    results: list[CustodyAtEvent]


class CreatorOut(Schema):
    agent: AgentRef
    role: str


class StatusOut(Schema):
    """What a source has now, and the date of the record it has had it since (EDTF,
    null where no dated record says)."""

    value: str
    label: str
    since: str | None


# Records


class SourceDetail(SourceSummary):
    date_detail: DateOut
    proximity: str
    language: str
    description: str
    access: StatusOut
    authenticity: StatusOut
    credibility: StatusOut
    archive: AgentRef | None
    archival_reference: str
    web_address: str
    publication_details: str
    doi: str
    isbn: str
    creators: list[CreatorOut]
    custody: list[CustodyOut]
    claims: EvidencePage
    cites: CitationPage
    cited_by: CitationPage


class OtherName(Schema):
    name: str
    kind: str
    note: str


class AffiliationOut(Schema):
    organisation: AgentRef
    role: str
    date: str | None
    date_words: str | None


class AgentDetail(AgentSummary):
    sort_name: str
    description: str
    date_detail: DateOut
    wikidata_id: str
    viaf_id: str
    other_names: list[OtherName]
    affiliations: list[AffiliationOut]
    claims: ClaimRefPage
    sources: SourceRefPage
    presented: PresentedPage
    events: EventRefPage
    held: SourceRefPage


class EventDetail(EventSummary):
    date_detail: DateOut
    description: str
    web_address: str
    organisers: list[AgentRef]
    presented: PresentedPage
    custody: CustodyAtEventPage
