"""Plain builders for per-test data, and the few helpers for reading the pages that
data appears on: the public pages, and the admin's forms and messages.

Each builder takes what a test cares about, by keyword, and fills in the rest with one
default. Slugs come from the title or name, made unique with a counter, unless a test
gives one. Saving evidence, presentations, custody events and citations fires the
project's signals, so every claim's stored assessment is current.
"""

import itertools
import re

from django.contrib.messages import get_messages
from django.urls import reverse
from django.utils import timezone
from django.utils.text import slugify

from claims.models import Claim, Evidence, Presentation, Topic
from provenance.models import (
    Affiliation,
    Agent,
    AgentName,
    Citation,
    CustodyEvent,
    Event,
    Source,
    SourceCreator,
)

_counter = itertools.count(1)


def _slug(text):
    return f"{slugify(text)[:100]}-{next(_counter)}"


def make_agent(name, *, kind=Agent.Kind.PERSON, other_names=(), slug=None, **fields):
    """`other_names` are recorded as transliterations."""
    agent = Agent.objects.create(slug=slug or _slug(name), name=name, kind=kind, **fields)
    for other in other_names:
        AgentName.objects.create(agent=agent, name=other, kind=AgentName.Kind.TRANSLITERATION)
    return agent


def make_organisation(name, **fields):
    return make_agent(name, kind=Agent.Kind.ORGANISATION, **fields)


def make_affiliation(agent, organisation, *, role="", date=""):
    return Affiliation.objects.create(agent=agent, organisation=organisation, role=role, date=date)


def make_topic(name, *, parent=None):
    return Topic.objects.create(slug=_slug(name), name=name, parent=parent)


def make_event(name, *, date="", organisers=(), slug=None, **fields):
    event = Event.objects.create(slug=slug or _slug(name), name=name, date=date, **fields)
    event.organisers.set(organisers)
    return event


def make_source(
    title, *, kind=Source.Kind.BOOK, date="", creators=(), custody=(), slug=None, **fields
):
    """`creators` are agents (authors) or (agent, role) pairs, in citation order;
    `custody` is a list of (CustodyEvent.Kind, EDTF date) pairs."""
    source = Source.objects.create(
        slug=slug or _slug(title), title=title, kind=kind, date=date, **fields
    )
    for position, creator in enumerate(creators):
        agent, role = creator if isinstance(creator, tuple) else (creator, "author")
        SourceCreator.objects.create(source=source, agent=agent, role=role, position=position)
    for custody_kind, when in custody:
        make_custody_event(source, custody_kind, when)
    return source


def make_custody_event(source, kind, date, *, agents=(), **fields):
    event = CustodyEvent.objects.create(source=source, kind=kind, date=date, **fields)
    event.agents.set(agents)
    return event


def cite(citing, cited, *, kind=Citation.Kind.CITES, **fields):
    return Citation.objects.create(citing=citing, cited=cited, kind=kind, **fields)


def make_claim(
    statement,
    *,
    status=Claim.Status.PUBLISHED,
    subjects=(),
    topics=(),
    published_at=None,
    slug=None,
    **fields,
):
    """A published claim is stamped as published now unless `published_at` is given."""
    if status == Claim.Status.PUBLISHED and published_at is None:
        published_at = timezone.now()
    claim = Claim.objects.create(
        slug=slug or _slug(statement),
        statement=statement,
        status=status,
        published_at=published_at,
        **fields,
    )
    claim.subjects.set(subjects)
    claim.topics.set(topics)
    return claim


def add_evidence(claim, source, *, stance=Evidence.Stance.SUPPORTS, presentations=(), **fields):
    """`presentations` are dicts of `make_presentation` arguments. The claim is reloaded
    afterwards, so it carries the assessment the evidence produced."""
    evidence = Evidence.objects.create(claim=claim, source=source, stance=stance, **fields)
    for presentation in presentations:
        make_presentation(evidence, **presentation)
    claim.refresh_from_db()
    return evidence


def make_presentation(evidence, *, presenters=(), date="", event=None, reported_in=None, **fields):
    presentation = Presentation.objects.create(
        evidence=evidence, date=date, event=event, reported_in=reported_in, **fields
    )
    presentation.presenters.set(presenters)
    return presentation


def make_public(*records):
    """Have one published claim rest on each record, so that the rule of
    claims/visibility.py makes it public: a source as its evidence, a person or an
    organisation as its subject, an event as where its evidence was presented. Returns
    the claim."""
    claim = make_claim(f"A claim resting on records {next(_counter)}")
    for record in records:
        if isinstance(record, Source):
            add_evidence(claim, record)
        elif isinstance(record, Agent):
            claim.subjects.add(record)
        elif isinstance(record, Event):
            source = make_source(f"Paper read at {record.name}", kind=Source.Kind.CONFERENCE_PAPER)
            make_presentation(add_evidence(claim, source), event=record)
        else:
            raise TypeError(f"No published claim can rest on {record!r}.")
    return claim


def korean_war_claim(
    *, status=Claim.Status.PUBLISHED, statement=None, slug=None, with_evidence=True
):
    """The worked example in small: a memoir public from 1970 and doubted then,
    authenticated in 1990; a 1966 report declassified and presented in January 1993,
    reported by AP; the telegrams the report summarises, declassified in 1994.

    The people, the conference and the sources have fixed slugs ("report-1966",
    "telegrams", "kathryn-weathersby", "cwihp-moscow-1993" …), and a second claim built in
    the same test rests on the same records. `with_evidence=False` gives the claim
    without its evidence."""
    stalin = _existing(Agent, "joseph-stalin") or make_agent("Joseph Stalin", slug="joseph-stalin")
    weathersby = _existing(Agent, "kathryn-weathersby") or make_agent(
        "Kathryn Weathersby", slug="kathryn-weathersby"
    )
    holloway = _existing(Agent, "david-holloway") or make_agent(
        "David Holloway", slug="david-holloway"
    )
    khrushchev = _existing(Agent, "nikita-khrushchev") or make_agent(
        "Nikita Khrushchev", slug="nikita-khrushchev"
    )
    conference = _existing(Event, "cwihp-moscow-1993") or make_event(
        "CWIHP conference on Cold War history",
        slug="cwihp-moscow-1993",
        date="1993-01-12/1993-01-15",
        place="Russian Academy of Sciences, Moscow",
    )
    memoir = _existing(Source, "khrushchev-remembers") or make_source(
        "Khrushchev Remembers",
        slug="khrushchev-remembers",
        kind=Source.Kind.MEMOIR,
        date="1970",
        creators=[khrushchev],
        authenticity=Source.Authenticity.AUTHENTICATED,
        custody=[
            (CustodyEvent.Kind.PUBLISHED, "1970"),
            (CustodyEvent.Kind.DOUBTED, "1970"),
            (CustodyEvent.Kind.AUTHENTICATED, "1990"),
        ],
        url="https://example.org/khrushchev-remembers",
    )
    telegrams = _existing(Source, "telegrams") or make_source(
        "Stalin–Kim telegrams",
        slug="telegrams",
        kind=Source.Kind.TELEGRAM,
        date="1950-01/1950-05",
        access=Source.Access.DECLASSIFIED,
        custody=[
            (CustodyEvent.Kind.CLASSIFIED, "1950"),
            (CustodyEvent.Kind.DECLASSIFIED, "1994"),
        ],
    )
    report = _existing(Source, "report-1966")
    if report is None:
        report = make_source(
            "On the Korean War, 1950–53, and the armistice negotiations",
            slug="report-1966",
            kind=Source.Kind.REPORT,
            date="1966-08-09",
            access=Source.Access.DECLASSIFIED,
            custody=[
                (CustodyEvent.Kind.CLASSIFIED, "1966-08-09"),
                (CustodyEvent.Kind.DECLASSIFIED, "1993-01-12"),
            ],
        )
        cite(report, telegrams, kind=Citation.Kind.SUMMARISES)
    ap_report = _existing(Source, "ap-1993-01-13") or make_source(
        "Historians say Stalin approved the invasion",
        slug="ap-1993-01-13",
        kind=Source.Kind.NEWS_REPORT,
        date="1993-01-13",
    )
    claim = make_claim(
        statement or "Stalin approved North Korea's attack on South Korea before June 1950",
        slug=slug,
        status=status,
        date="1950-01/1950-06",
        subjects=[stalin],
        summary="Did Stalin give Kim Il Sung his approval for the invasion?",
        curator_note="The telegrams confirm what the 1966 report summarised.",
    )
    if not with_evidence:
        return claim
    add_evidence(
        claim,
        memoir,
        quotation="Stalin did not try to dissuade him.",
        locator="p. 368",
    )
    add_evidence(
        claim,
        report,
        quotation="Stalin gave his consent to the proposal of Kim Il Sung.",
        locator="p. 2",
        presentations=[
            {
                "presenters": [weathersby, holloway],
                "event": conference,
                "date": "1993-01-12",
                "reported_in": ap_report,
            }
        ],
    )
    add_evidence(claim, telegrams, quotation="I am ready to help him in this matter.")
    claim.refresh_from_db()
    return claim


def _existing(model, slug):
    return model.objects.filter(slug=slug).first()


def get_html(client, url, data=None, *, status=200):
    """The HTML of a page, which must answer `status`; `data` is the query string."""
    response = client.get(url, data)
    assert response.status_code == status, (url, response.status_code)
    return response.content.decode()


def page(client, record):
    """The HTML of a record's public page, which must answer 200."""
    return get_html(client, record.get_absolute_url())


def section(html, heading_id):
    """The part of a page from a section's heading to the end of that section."""
    return html.split(f'id="{heading_id}"')[1].split("</section>")[0]


def heading_levels(html):
    """The levels of the headings of a page, in order: [1, 2, 2, 3, 2]."""
    return [int(level) for level in re.findall(r"<h([1-6])[\s>]", html)]


def assert_headings_in_order(html):
    """One h1 first, and no level skipped on the way down."""
    levels = heading_levels(html)
    assert levels[0] == 1 and levels.count(1) == 1, levels
    for before, after in itertools.pairwise(levels):
        assert after <= before + 1, levels


def admin_url(model, view, *args):
    return reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_{view}", args=args)


def form_data(response):
    """The POST data a browser would send back from an admin change (or add, revert,
    recover) form page, unchanged."""
    data = {}
    context = response.context
    forms = [context["adminform"].form]
    formsets = [inline.formset for inline in context.get("inline_admin_formsets", [])]
    while formsets:
        formset = formsets.pop(0)
        management = formset.management_form
        for name in management.fields:
            data[management.add_prefix(name)] = management[name].value()
        forms += formset.forms
        # Inlines within inlines (django-nested-admin): a claim's evidence items each
        # carry their presentations.
        for form in formset.forms:
            formsets += getattr(form, "nested_formsets", [])
    for form in forms:
        for name in form.fields:
            value = form[name].value()
            key = form.add_prefix(name)
            if value is None:
                continue
            if isinstance(value, bool):
                if value:
                    data[key] = "on"
                continue
            if isinstance(value, list | tuple):
                data[key] = [str(item) for item in value]
            else:
                data[key] = str(value)
    return data


def messages_of(response):
    """The messages the admin showed after a request, as text."""
    return [str(message) for message in get_messages(response.wsgi_request)]


def log_correction(claim, editor, reason, *, kind="correction"):
    """An entry in a published claim's public log, as an editor's direct change writes it."""
    from claims import review

    return review.change_log_direct(
        claim=claim, by=editor, reason=reason, kind=kind, level_before=claim.strength_level
    )
