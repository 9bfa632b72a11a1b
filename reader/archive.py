"""The whole public archive as open data: every public record, one table per kind of
record, as CSV and as JSON Lines, described by a Frictionless Data Package
(`datapackage.json`: each table's fields and types, primary and foreign keys, the
licence and when it was made), and the same in one zip file.

Only what is public goes in, by the one visibility rule (claims/visibility.py): the
published claims, the sources, people, organisations, events and topics a published
claim rests on, and the links between them where both ends are public. A link to a
record that is not public is left empty (a topic's broader topic three levels above
any published claim; the source documenting a custody finding, whose title the pages
name, is given by its title).

Records are named by their slugs, as their pages are (`/sources/<slug>/`); the links
between them by the slugs of both ends, and the rows that have no natural name
(presentations, custody events, other names, affiliations) by their ids in this
database. A blank text field is written as empty in CSV and as null in JSON: both say
"not recorded".

The tables are read one query each, in one transaction (a repeatable-read snapshot on
PostgreSQL, so the tables agree with one another), and streamed: rows are written as
they come from the database cursor (`iterator()`), so an archive of any size is
written in a fixed amount of memory.

`publish` stores the zip through Django's default storage under a name with the time
it was made, then removes older ones: the download page and its stable address
(`/download/corroborate-archive.zip`, reader/views/downloads.py) serve the newest.
Readers never write it: `manage.py export_archive` does (docs/deployment.md).
"""

from __future__ import annotations

import csv
import datetime
import json
import re
import zipfile
from dataclasses import dataclass, field
from pathlib import Path

from django.conf import settings
from django.core.files import File
from django.core.files.storage import default_storage
from django.db import connection, transaction
from django.db.models import Case, F, When

from claims import visibility
from claims.models import Claim, Evidence, Presentation
from provenance.models import Affiliation, AgentName, Citation, CustodyEvent, Event, SourceCreator

PACKAGE_NAME = "corroborate-archive"
DOWNLOADS = "downloads"
_STORED_NAME = re.compile(rf"^{PACKAGE_NAME}-(\d{{8}}T\d{{6}}Z)\.zip$")
CHUNK_SIZE = 2000
PUBLISHED = Claim.Status.PUBLISHED


@dataclass(frozen=True)
class Column:
    """One field of a table: its name in the files, the ORM lookup it is read from,
    its Frictionless type and what it means."""

    name: str
    lookup: object  # a field path ("claim__slug") or an expression
    type: str
    description: str
    required: bool = False


@dataclass(frozen=True)
class Table:
    name: str
    title: str
    description: str
    columns: tuple[Column, ...]
    primary_key: tuple[str, ...]
    # (columns here, resource, columns there)
    foreign_keys: tuple[tuple[tuple[str, ...], str, tuple[str, ...]], ...] = ()
    rows: object = field(default=None, repr=False)  # () -> queryset of the public rows

    def queryset(self):
        # Computed columns under names of their own: "parent" is also a model field.
        expressions = {
            f"exported_{column.name}": column.lookup
            for column in self.columns
            if not isinstance(column.lookup, str)
        }
        lookups = [
            column.lookup if isinstance(column.lookup, str) else f"exported_{column.name}"
            for column in self.columns
        ]
        return self.rows().annotate(**expressions).order_by(*self.order).values_list(*lookups)

    @property
    def order(self):
        return [
            next(column.lookup for column in self.columns if column.name == key)
            for key in self.primary_key
        ]


def _slug(name, lookup, what):
    return Column(name, lookup, "string", f"The slug of {what}.", required=True)


def _public_or_empty(lookup, condition):
    """The value of `lookup` where `condition` holds, else null."""
    return Case(When(condition, then=F(lookup)), default=None)


def _date_columns(what):
    return (
        Column("date", "date", "string", f"When {what}, in EDTF as the curators wrote it."),
        Column("date_lower", "date_lower", "date", "The earliest day the date can mean."),
        Column("date_upper", "date_upper", "date", "The latest day the date can mean."),
    )


TABLES = (
    Table(
        "claims",
        "Claims",
        "The published claims, each with the strength of the evidence for it as last "
        "assessed (the method: /methodology/). A claim's page is /claims/<slug>/.",
        (
            _slug("slug", "slug", "the claim"),
            Column("statement", "statement", "string", "The claim: one sentence.", True),
            Column("summary", "summary", "string", "The question and why it matters."),
            *_date_columns("the claimed thing happened"),
            Column("strength_level", "strength_level", "string", "The strength of the evidence."),
            Column("support_score", "support_score", "number", "Support, 0 to 1."),
            Column("contradiction_score", "contradiction_score", "number", "Contradiction, 0–1."),
            Column("assessed_at", "assessed_at", "datetime", "When the strength was worked out."),
            Column("curator_note", "curator_note", "string", "The editors' note to readers."),
            Column("featured", "featured", "boolean", "Shown on the home page."),
            Column("published_at", "published_at", "datetime", "When it was last published."),
            Column("updated_at", "updated_at", "datetime", "When the record last changed."),
        ),
        ("slug",),
        rows=lambda: Claim.objects.published(),
    ),
    Table(
        "claim_subjects",
        "Who each claim is about",
        "The people and organisations each published claim is about.",
        (_slug("claim", "claim__slug", "the claim"), _slug("agent", "agent__slug", "the agent")),
        ("claim", "agent"),
        ((("claim",), "claims", ("slug",)), (("agent",), "agents", ("slug",))),
        rows=lambda: Claim.subjects.through.objects.filter(claim__status=PUBLISHED),
    ),
    Table(
        "claim_topics",
        "Each claim's topics",
        "The topics each published claim is filed under.",
        (_slug("claim", "claim__slug", "the claim"), _slug("topic", "topic__slug", "the topic")),
        ("claim", "topic"),
        ((("claim",), "claims", ("slug",)), (("topic",), "topics", ("slug",))),
        rows=lambda: Claim.topics.through.objects.filter(claim__status=PUBLISHED),
    ),
    Table(
        "topics",
        "Topics",
        "Topics for browsing, each optionally under a broader one. The claims on a topic: "
        "/claims/?topic=<slug>.",
        (
            _slug("slug", "slug", "the topic"),
            Column("name", "name", "string", "The topic's name.", True),
            Column(
                "parent",
                _public_or_empty("parent__slug", visibility.topic_is_public("parent")),
                "string",
                "The slug of the broader topic, where that is public too.",
            ),
            Column("description", "description", "string", "What the topic covers."),
        ),
        ("slug",),
        ((("parent",), "topics", ("slug",)),),
        rows=lambda: visibility.public_topics(),
    ),
    Table(
        "evidence",
        "Evidence",
        "How each source bears on each published claim.",
        (
            _slug("claim", "claim__slug", "the claim"),
            _slug("source", "source__slug", "the source"),
            Column("stance", "stance", "string", "supports, contradicts or context.", True),
            Column("directness", "directness", "string", "direct or indirect.", True),
            Column("quotation", "quotation", "string", "The relevant passage, quoted exactly."),
            Column("locator", "locator", "string", "Where the passage is: page, folio."),
            Column("note", "note", "string", "The curators' note."),
            Column("updated_at", "updated_at", "datetime", "When the item last changed."),
        ),
        ("claim", "source"),
        ((("claim",), "claims", ("slug",)), (("source",), "sources", ("slug",))),
        rows=lambda: Evidence.objects.filter(claim__status=PUBLISHED),
    ),
    Table(
        "presentations",
        "Presentations",
        "Who presented a piece of evidence, where and when, and where that was reported.",
        (
            Column("id", "pk", "integer", "The presentation's id in this archive.", True),
            _slug("claim", "evidence__claim__slug", "the claim of the evidence presented"),
            _slug("source", "evidence__source__slug", "the source of the evidence presented"),
            *_date_columns("it was presented"),
            Column("event", "event__slug", "string", "The slug of the event, if any."),
            Column("reported_in", "reported_in__slug", "string", "The source that reported it."),
            Column("note", "note", "string", "A note."),
        ),
        ("id",),
        (
            (("claim", "source"), "evidence", ("claim", "source")),
            (("event",), "events", ("slug",)),
            (("reported_in",), "sources", ("slug",)),
        ),
        rows=lambda: Presentation.objects.filter(evidence__claim__status=PUBLISHED),
    ),
    Table(
        "presentation_presenters",
        "Presenters",
        "Who presented each presentation's evidence.",
        (
            Column("presentation", "presentation_id", "integer", "The presentation's id.", True),
            _slug("agent", "agent__slug", "the presenter"),
        ),
        ("presentation", "agent"),
        ((("presentation",), "presentations", ("id",)), (("agent",), "agents", ("slug",))),
        rows=lambda: Presentation.presenters.through.objects.filter(
            presentation__evidence__claim__status=PUBLISHED
        ),
    ),
    Table(
        "sources",
        "Sources",
        "The documents and artefacts the evidence is drawn from, and those they derive "
        "from. A source's page is /sources/<slug>/.",
        (
            _slug("slug", "slug", "the source"),
            Column("title", "title", "string", "The title.", True),
            Column("kind", "kind", "string", "telegram, report, memoir, book…", True),
            Column("proximity", "proximity", "string", "Closeness to events, if set by hand."),
            *_date_columns("it was made"),
            Column("language", "language", "string", "The language of the original."),
            Column("description", "description", "string", "What it is and covers."),
            Column("archive", "archive__slug", "string", "The slug of the holding archive."),
            Column("archival_reference", "archival_reference", "string", "Fond/opis/delo…"),
            Column("access", "access", "string", "Can a reader inspect it today?", True),
            Column("authenticity", "authenticity", "string", "Is it what it claims to be?", True),
            Column("credibility", "credibility", "string", "Is what it says true?", True),
            Column("url", "url", "string", "Its web address."),
            Column("publication_details", "publication_details", "string", "Publisher…"),
            Column("doi", "doi", "string", "DOI."),
            Column("isbn", "isbn", "string", "ISBN."),
            Column("updated_at", "updated_at", "datetime", "When the record last changed."),
        ),
        ("slug",),
        ((("archive",), "agents", ("slug",)),),
        rows=lambda: visibility.public_sources(),
    ),
    Table(
        "source_creators",
        "Who made each source",
        "The makers of each source and their roles, in citation order.",
        (
            _slug("source", "source__slug", "the source"),
            _slug("agent", "agent__slug", "the maker"),
            Column("role", "role", "string", "author, sender, recipient, translator…", True),
            Column("position", "position", "integer", "Order in the citation."),
        ),
        ("source", "agent", "role"),
        ((("source",), "sources", ("slug",)), (("agent",), "agents", ("slug",))),
        rows=lambda: SourceCreator.objects.filter(visibility.source_is_public("source")),
    ),
    Table(
        "citations",
        "Citations",
        "Each source that derives from another: quotes, summarises, translates, copies or "
        "cites it.",
        (
            _slug("citing", "citing__slug", "the source that derives"),
            _slug("cited", "cited__slug", "the source it derives from"),
            Column(
                "kind", "kind", "string", "quotes, summarises, translates, copies, cites.", True
            ),
            Column("locator", "locator", "string", "Where in the citing source."),
            Column("note", "note", "string", "A note."),
        ),
        ("citing", "cited"),
        ((("citing",), "sources", ("slug",)), (("cited",), "sources", ("slug",))),
        rows=lambda: Citation.objects.filter(
            visibility.source_is_public("citing") & visibility.source_is_public("cited")
        ),
    ),
    Table(
        "custody_events",
        "Custody events",
        "Each source's provenance timeline: created, classified, declassified, published, "
        "authenticated, disputed…",
        (
            Column("id", "pk", "integer", "The event's id in this archive.", True),
            _slug("source", "source__slug", "the source"),
            Column("kind", "kind", "string", "What happened.", True),
            *_date_columns("it happened"),
            Column("event", "event__slug", "string", "The slug of the event it was part of."),
            Column("note", "note", "string", "A note."),
            Column("reference", "reference", "string", "Where this is documented."),
            Column(
                "documented_in",
                _public_or_empty(
                    "documented_in__slug", visibility.source_is_public("documented_in")
                ),
                "string",
                "The slug of the source recording the finding, where that source is public.",
            ),
            Column(
                "documented_in_title",
                "documented_in__title",
                "string",
                "The title of the source recording the finding.",
            ),
        ),
        ("id",),
        (
            (("source",), "sources", ("slug",)),
            (("event",), "events", ("slug",)),
            (("documented_in",), "sources", ("slug",)),
        ),
        rows=lambda: CustodyEvent.objects.filter(visibility.source_is_public("source")),
    ),
    Table(
        "custody_event_agents",
        "Who took part in each custody event",
        "The people and organisations of each custody event.",
        (
            Column("custody_event", "custodyevent_id", "integer", "The custody event's id.", True),
            _slug("agent", "agent__slug", "the agent"),
        ),
        ("custody_event", "agent"),
        ((("custody_event",), "custody_events", ("id",)), (("agent",), "agents", ("slug",))),
        rows=lambda: CustodyEvent.agents.through.objects.filter(
            visibility.source_is_public("custodyevent__source")
        ),
    ),
    Table(
        "agents",
        "People and organisations",
        "Who made, held, presented or is the subject of the evidence. A page: /people/<slug>/.",
        (
            _slug("slug", "slug", "the person or organisation"),
            Column("kind", "kind", "string", "person or organisation.", True),
            Column("name", "name", "string", "The name as readers know it.", True),
            Column("sort_name", "sort_name", "string", "How the name is alphabetised."),
            *_date_columns("they lived or existed"),
            Column("description", "description", "string", "Who they were."),
            Column("wikidata_id", "wikidata_id", "string", "Wikidata QID."),
            Column("viaf_id", "viaf_id", "string", "VIAF ID."),
            Column("updated_at", "updated_at", "datetime", "When the record last changed."),
        ),
        ("slug",),
        rows=lambda: visibility.public_agents(),
    ),
    Table(
        "agent_names",
        "Other names",
        "Transliterations, alternative names, names in the original script, pseudonyms.",
        (
            Column("id", "pk", "integer", "The name's id in this archive.", True),
            _slug("agent", "agent__slug", "the person or organisation"),
            Column("name", "name", "string", "The other name.", True),
            Column("kind", "kind", "string", "transliteration, alternative…", True),
            Column("note", "note", "string", "E.g. Wade–Giles."),
        ),
        ("id",),
        ((("agent",), "agents", ("slug",)),),
        rows=lambda: AgentName.objects.filter(visibility.agent_is_public("agent")),
    ),
    Table(
        "affiliations",
        "Affiliations",
        "A person's or organisation's place in an organisation, where both are public.",
        (
            Column("id", "pk", "integer", "The affiliation's id in this archive.", True),
            _slug("agent", "agent__slug", "the member"),
            _slug("organisation", "organisation__slug", "the organisation"),
            Column("role", "role", "string", "E.g. historian."),
            *_date_columns("it held"),
        ),
        ("id",),
        ((("agent",), "agents", ("slug",)), (("organisation",), "agents", ("slug",))),
        rows=lambda: Affiliation.objects.filter(
            visibility.agent_is_public("agent") & visibility.agent_is_public("organisation")
        ),
    ),
    Table(
        "events",
        "Events",
        "Dated, placed happenings where evidence was presented or made. A page: /events/<slug>/.",
        (
            _slug("slug", "slug", "the event"),
            Column("name", "name", "string", "The event's name.", True),
            *_date_columns("it took place"),
            Column("place", "place", "string", "Where."),
            Column("description", "description", "string", "What it was."),
            Column("url", "url", "string", "Its web address."),
            Column("updated_at", "updated_at", "datetime", "When the record last changed."),
        ),
        ("slug",),
        rows=lambda: visibility.public_events(),
    ),
    Table(
        "event_organisers",
        "Organisers",
        "Who organised each event.",
        (
            _slug("event", "event__slug", "the event"),
            _slug("agent", "agent__slug", "the organiser"),
        ),
        ("event", "agent"),
        ((("event",), "events", ("slug",)), (("agent",), "agents", ("slug",))),
        rows=lambda: Event.organisers.through.objects.filter(visibility.event_is_public("event")),
    ),
)


# Writing


def _csv_value(value):
    if value is None or value == "":
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


def _json_value(value):
    if value is None or value == "":
        return None
    if isinstance(value, datetime.date | datetime.datetime):
        return value.isoformat()
    return value


@dataclass
class Written:
    """What `write_archive` wrote: where, when, and how many rows per table."""

    directory: Path
    created: datetime.datetime
    rows: dict[str, int]
    zip_path: Path | None = None


def write_archive(directory, *, created=None):
    """Write every public table as CSV and JSON Lines into `directory`, with
    datapackage.json; one query per table, in one snapshot."""
    directory = Path(directory)
    directory.mkdir(parents=True, exist_ok=True)
    created = (created or datetime.datetime.now(tz=datetime.UTC)).replace(microsecond=0)
    rows = {}
    # Only when the command opens the transaction: a level is set before its first query.
    snapshot = connection.vendor == "postgresql" and not connection.in_atomic_block
    with transaction.atomic():
        if snapshot:
            # Every table read from the same snapshot, so foreign keys hold across them.
            with connection.cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ READ ONLY")
        for table in TABLES:
            rows[table.name] = _write_table(table, directory)
    descriptor = package_descriptor(created)
    (directory / "datapackage.json").write_text(
        json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return Written(directory, created, rows)


def _write_table(table, directory):
    names = [column.name for column in table.columns]
    count = 0
    with (
        open(directory / f"{table.name}.csv", "w", encoding="utf-8", newline="") as csv_file,
        open(directory / f"{table.name}.jsonl", "w", encoding="utf-8") as jsonl_file,
    ):
        writer = csv.writer(csv_file, lineterminator="\n")
        writer.writerow(names)
        for row in table.queryset().iterator(chunk_size=CHUNK_SIZE):
            writer.writerow([_csv_value(value) for value in row])
            record = dict(zip(names, map(_json_value, row), strict=True))
            jsonl_file.write(json.dumps(record, ensure_ascii=False) + "\n")
            count += 1
    return count


def _schema(table, *, suffix):
    fields = []
    for column in table.columns:
        described = {"name": column.name, "type": column.type, "description": column.description}
        if column.required:
            described["constraints"] = {"required": True}
        fields.append(described)
    return {
        "fields": fields,
        "primaryKey": list(table.primary_key),
        "foreignKeys": [
            {
                "fields": list(mine),
                "reference": {"resource": f"{resource}{suffix}", "fields": list(theirs)},
            }
            for mine, resource, theirs in table.foreign_keys
        ],
        "missingValues": [""],
    }


def package_descriptor(created):
    """The Frictionless Data Package descriptor: each table twice, as CSV and as JSON
    Lines (the same rows), each with its table schema."""
    resources = []
    for suffix, extension, mediatype in (
        ("", "csv", "text/csv"),
        ("-jsonl", "jsonl", "application/jsonl"),
    ):
        for table in TABLES:
            resource = {
                "name": f"{table.name}{suffix}",
                "title": table.title,
                "description": table.description,
                "path": f"{table.name}.{extension}",
                "profile": "tabular-data-resource",
                "format": extension,
                "mediatype": mediatype,
                "encoding": "utf-8",
                "schema": _schema(table, suffix=suffix),
            }
            if extension == "csv":
                resource["dialect"] = {"delimiter": ",", "header": True}
            resources.append(resource)
    return {
        "profile": "tabular-data-package",
        "name": PACKAGE_NAME,
        "title": f"{settings.SITE_NAME}: the public archive",
        "description": (
            "Every public record of the site: the published claims and the strength of the "
            "evidence for each, their evidence, the sources behind it with their custody "
            "events and citations, the people, organisations, events and topics. Each "
            "table is given as CSV and as JSON Lines. Drafts and claims in review, and "
            "records only they rest on, are not included."
        ),
        "created": created.isoformat().replace("+00:00", "Z"),
        "licenses": [settings.ARCHIVE_LICENSE],
        "resources": resources,
    }


def zip_archive(written):
    """The written directory's files in one zip beside them, in a folder of the
    package's name."""
    path = written.directory / f"{PACKAGE_NAME}.zip"
    members = [f"{table.name}.{ext}" for ext in ("csv", "jsonl") for table in TABLES]
    with zipfile.ZipFile(path, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        for name in ("datapackage.json", *members):
            archive.write(written.directory / name, f"{PACKAGE_NAME}/{name}")
    written.zip_path = path
    return path


# Publishing and finding the download


def stored_name(created):
    return f"{DOWNLOADS}/{PACKAGE_NAME}-{created:%Y%m%dT%H%M%SZ}.zip"


def publish(written, *, storage=None):
    """Store the zip as the download readers get, then remove the older ones: the
    newest name is taken as soon as it is complete, so a reader never gets half a
    file."""
    storage = storage or default_storage
    with open(written.zip_path, "rb") as handle:
        name = storage.save(stored_name(written.created), File(handle))
    for older in _stored(storage):
        if older.name != name:
            storage.delete(older.name)
    return name


@dataclass(frozen=True)
class Download:
    name: str
    created: datetime.datetime
    size: int


def _stored(storage):
    try:
        _folders, files = storage.listdir(DOWNLOADS)
    except FileNotFoundError:
        return []
    found = []
    for filename in files:
        match = _STORED_NAME.match(filename)
        if match:
            made = datetime.datetime.strptime(match.group(1), "%Y%m%dT%H%M%SZ")
            found.append(Download(f"{DOWNLOADS}/{filename}", made.replace(tzinfo=datetime.UTC), 0))
    return sorted(found, key=lambda download: download.created)


def latest_download(*, storage=None):
    """The newest stored download, with its size, or None if none was ever written."""
    storage = storage or default_storage
    stored = _stored(storage)
    if not stored:
        return None
    newest = stored[-1]
    return Download(newest.name, newest.created, storage.size(newest.name))
