"""Citations of public sources for readers and reference managers: the Chicago note
to copy, BibTeX, RIS and CSL-JSON files, and what the source page's head says to
Zotero's connector (Highwire Press `citation_*` tags, schema.org JSON-LD).

Every format starts from one gathering, `cited(source, creator_roles)`: the source's
people and organisations by role, in their citation order. Each kind of source has
its type in every format in one table, `KIND_TYPES`. Dates are EDTF
(provenance/dates.py) and go into each format as it takes them: CSL date-parts with
ranges, seasons and circa; RIS DA with the date in words after it; BibTeX `year`
and biblatex's EDTF `date`.

Curator text is escaped for each format: BibTeX's special characters, braces
included, become LaTeX commands that keep the braces balanced; RIS values are kept
on one line, since a newline would end the tag.
"""

import json
import re
from collections import defaultdict
from dataclasses import dataclass

import bibtexparser
import rispy
from bibtexparser.library import Library
from bibtexparser.model import Entry, Field
from rispy.writer import RisWriter

from provenance import dates
from provenance.models import Source, SourceCreator

Kind = Source.Kind
Role = SourceCreator.Role


@dataclass(frozen=True)
class KindTypes:
    """One kind of source in each format: BibTeX entry type, RIS TY, CSL type, the
    Zotero item type (DC.type on the page, which Zotero's connector reads) and the
    schema.org type."""

    bibtex: str
    ris: str
    csl: str
    zotero: str
    schema: str


# Letters and telegrams are correspondence; records that were never published
# (memoranda, minutes, diaries, intercepts) are manuscripts, as reference managers
# file an archive's papers.
KIND_TYPES = {
    Kind.TELEGRAM: KindTypes("misc", "PCOMM", "personal_communication", "letter", "Message"),
    Kind.LETTER: KindTypes("misc", "PCOMM", "personal_communication", "letter", "Message"),
    Kind.REPORT: KindTypes("techreport", "RPRT", "report", "report", "Report"),
    Kind.MEMORANDUM: KindTypes(
        "unpublished", "MANSCPT", "manuscript", "manuscript", "CreativeWork"
    ),
    Kind.MINUTES: KindTypes("unpublished", "MANSCPT", "manuscript", "manuscript", "CreativeWork"),
    Kind.TRANSCRIPT: KindTypes(
        "unpublished", "MANSCPT", "manuscript", "manuscript", "CreativeWork"
    ),
    Kind.INTERCEPT: KindTypes("unpublished", "MANSCPT", "manuscript", "manuscript", "CreativeWork"),
    Kind.DIARY: KindTypes("unpublished", "MANSCPT", "manuscript", "manuscript", "CreativeWork"),
    Kind.RECORDING: KindTypes("misc", "SOUND", "song", "audioRecording", "MediaObject"),
    Kind.PHOTOGRAPH: KindTypes("misc", "ART", "graphic", "artwork", "Photograph"),
    Kind.MEMOIR: KindTypes("book", "BOOK", "book", "book", "Book"),
    Kind.INTERVIEW: KindTypes("misc", "PCOMM", "interview", "interview", "CreativeWork"),
    Kind.BOOK: KindTypes("book", "BOOK", "book", "book", "Book"),
    Kind.ARTICLE: KindTypes(
        "article", "JOUR", "article-journal", "journalArticle", "ScholarlyArticle"
    ),
    Kind.FORENSIC_ANALYSIS: KindTypes("techreport", "RPRT", "report", "report", "Report"),
    Kind.NEWS_REPORT: KindTypes(
        "article", "NEWS", "article-newspaper", "newspaperArticle", "NewsArticle"
    ),
    Kind.CONFERENCE_PAPER: KindTypes(
        "inproceedings", "CPAPER", "paper-conference", "conferencePaper", "ScholarlyArticle"
    ),
    Kind.DATASET: KindTypes("misc", "DATA", "dataset", "dataset", "Dataset"),
    Kind.OTHER: KindTypes("misc", "GEN", "article", "document", "CreativeWork"),
}


# The gathering every format starts from


@dataclass(frozen=True)
class CitedSource:
    """A source with its creators by role, each role's agents in citation order."""

    source: object
    by_role: dict

    def agents(self, *roles):
        return [agent for role in roles for agent in self.by_role.get(role, ())]

    def names(self, *roles):
        return [agent.name for agent in self.agents(*roles)]

    @property
    def authors(self):
        """Who wrote or sent it: the authors of every format."""
        return self.agents(Role.AUTHOR, Role.SENDER)

    @property
    def compilers(self):
        """Its compilers, less an archive that compiled the file: that one is named
        once, as the archive."""
        archive = self.source.archive.name if self.source.archive_id else None
        return [agent for agent in self.agents(Role.COMPILER) if agent.name != archive]

    @property
    def is_archival(self):
        """Held in an archive or known by an archival reference: an archival document."""
        return bool(self.source.archive_id or self.source.archival_reference)

    @property
    def types(self):
        return KIND_TYPES[Kind(self.source.kind)]


def cited(source, creator_roles):
    """The one gathering of a source's creators, for the Chicago note and the files.
    `creator_roles` are its SourceCreator rows with their agents, in order."""
    by_role = defaultdict(list)
    for role in creator_roles:
        by_role[role.role].append(role.agent)
    return CitedSource(source, dict(by_role))


# The Chicago note


def chicago_note(*, source, creator_roles):
    """A Chicago-style note for the source, as plain text to copy:

    Nikita Khrushchev, Khrushchev Remembers, trans. Strobe Talbott (Boston: Little,
    Brown, 1970).
    Joseph Stalin to Kim Il Sung, “Ciphered telegram,” 30 January 1950, f. 45, op. 1,
    d. 346, Archive of the President of the Russian Federation.

    Books and memoirs have their publication details in parentheses. An archival
    document (one with an archive or a reference) has its quoted title, its date of
    creation, reference and archive, then "published in" any later printing; anything
    else has its quoted title, publication details and date.
    """
    work = cited(source, creator_roles)
    head = _names(work.names(Role.AUTHOR, Role.SENDER))
    if head and work.names(Role.RECIPIENT):
        head = f"{head} to {_names(work.names(Role.RECIPIENT))}"
    editors, compilers = work.names(Role.EDITOR), [agent.name for agent in work.compilers]
    if not head and editors:
        head, editors = f"{_names(editors)}, {'eds.' if len(editors) > 1 else 'ed.'}", []
    elif not head and compilers:
        head, compilers = f"{_names(compilers)}, {'comps.' if len(compilers) > 1 else 'comp.'}", []

    book = source.kind in (Source.Kind.BOOK, Source.Kind.MEMOIR)
    parts = [head] if head else []
    parts.append(source.title if book else f"“{source.title}”")
    if work.names(Role.TRANSLATOR):
        parts.append(f"trans. {_names(work.names(Role.TRANSLATOR))}")
    if editors:
        parts.append(f"ed. {_names(editors)}")
    if compilers:
        parts.append(f"comp. {_names(compilers)}")
    details = source.publication_details
    date = source.date_in_words
    archive = source.archive.name if source.archive else ""
    if book and details:
        parts[-1] += f" ({details})"
        date_said = bool(source.date_lower and str(source.date_lower.year) in details)
        parts += [] if date_said else [date]
        parts += [source.archival_reference, archive]
    elif source.archival_reference or archive:
        # An archival document: its own date of creation, then where it is held; a
        # later printing comes last, so its years are not read as the document's.
        parts += [date, source.archival_reference, archive]
        parts += [f"published in {details}"] if details else []
    else:
        date_said = bool(details and source.date_lower and str(source.date_lower.year) in details)
        parts += [details] if details else []
        parts += [] if date_said else [date]
    parts.append(f"https://doi.org/{source.doi}" if source.doi else source.url)
    note = ", ".join(part for part in parts if part)
    # American punctuation: the comma after a quoted title goes inside the quotes.
    return note.replace("”, ", ",” ") + "."


def _names(names):
    if len(names) <= 2:
        return " and ".join(names)
    return f"{', '.join(names[:-1])}, and {names[-1]}"


# Names and dates as the formats take them


def inverted_name(agent):
    """ "Stalin, Joseph" for a person whose sortable name is written so; otherwise the
    name as it is (organisations, and people known by one name)."""
    if not agent.is_organisation and ", " in (agent.sort_name or ""):
        return agent.sort_name
    return agent.name


def _csl_name(agent):
    if not agent.is_organisation and ", " in (agent.sort_name or ""):
        family, given = agent.sort_name.split(", ", 1)
        return {"family": family, "given": given}
    return {"literal": agent.name}


def _parts(day):
    return [part for part in day if part is not None]


def csl_date(text):
    """A CSL-JSON date: date-parts (two for a range), season, circa; None if blank."""
    ends = dates.ends(text)
    if ends is None or ends.start is None:
        return None
    parts = [_parts(ends.start)]
    if ends.end is not None and not ends.is_single:
        parts.append(_parts(ends.end))
    date = {"date-parts": parts}
    if ends.season:
        # CSL knows the four seasons, 1 to 4; EDTF numbers them 21 to 24.
        date["season"] = (ends.season - 21) % 4 + 1
    if ends.approximate:
        date["circa"] = True
    return date


def _slashed(day):
    """YYYY/MM/DD to the precision given: Highwire's and RIS's order."""
    year, month, day_of_month = day
    return "/".join(
        [f"{year:04d}"]
        + ([f"{month:02d}"] if month else [])
        + ([f"{day_of_month:02d}"] if day_of_month else [])
    )


def highwire_date(text):
    """citation_date: the first day as precise as written ("1950/01", "1966")."""
    ends = dates.ends(text)
    return _slashed(ends.start) if ends and ends.start else ""


def ris_date(text):
    """RIS DA: "YYYY/MM/DD/other", the other part the date in words where the first
    day alone would say too little (a range, an approximate or uncertain date)."""
    ends = dates.ends(text)
    if ends is None or ends.start is None:
        return ""
    year, month, day = ends.start
    exact = ends.is_single and not (ends.approximate or ends.uncertain or ends.season)
    other = "" if exact else dates.describe(text)
    return f"{year:04d}/{f'{month:02d}' if month else ''}/{f'{day:02d}' if day else ''}/{other}"


def _iso(day):
    year, month, day_of_month = day
    return "-".join(
        [f"{year:04d}"]
        + ([f"{month:02d}"] if month else [])
        + ([f"{day_of_month:02d}"] if day_of_month else [])
    )


def bibtex_dates(text):
    """BibTeX's `year` (a span of years as 1949--1953) and biblatex's `date`, which
    reads EDTF: the ends as written, with ~ ? % for approximate and uncertain."""
    ends = dates.ends(text)
    if ends is None or ends.start is None:
        return {}
    first = ends.start[0]
    last = ends.end[0] if ends.end else None
    year = str(first) if last in (None, first) else f"{first}--{last}"
    mark = {(True, True): "%", (True, False): "~", (False, True): "?"}.get(
        (ends.approximate, ends.uncertain), ""
    )
    if ends.season:
        date = f"{first:04d}-{ends.season}{mark}"
    elif ends.is_single:
        date = _iso(ends.start) + mark
    else:
        date = f"{_iso(ends.start)}{mark}/{_iso(ends.end) + mark if ends.end else '..'}"
    return {"year": year, "date": date}


def schema_dates(text):
    """What schema.org can take of the date: an ISO date to the precision written for
    a single date, and an ISO 8601 interval as temporalCoverage for a range."""
    ends = dates.ends(text)
    if ends is None or ends.start is None or ends.season:
        return {}
    if ends.is_single:
        return {"dateCreated": _iso(ends.start)}
    end = _iso(ends.end) if ends.end else ".."
    return {"temporalCoverage": f"{_iso(ends.start)}/{end}"}


# BibTeX

# Every character BibTeX or LaTeX reads as markup, as the LaTeX command for itself.
# The braces become commands with balanced braces of their own: a lone "{" in a
# curator's text would otherwise swallow the rest of the file.
_BIBTEX_ESCAPES = str.maketrans(
    {
        "\\": r"\textbackslash{}",
        "{": r"\textbraceleft{}",
        "}": r"\textbraceright{}",
        "%": r"\%",
        "&": r"\&",
        "#": r"\#",
        "$": r"\$",
        "_": r"\_",
        "~": r"\textasciitilde{}",
        "^": r"\textasciicircum{}",
    }
)


def bibtex_text(text):
    return " ".join(str(text).split()).translate(_BIBTEX_ESCAPES)


def _bibtex_names(agents):
    # A name without a comma ("Kim Il Sung", an organisation) goes in braces, so that
    # BibTeX does not split it into first and last names.
    names = (inverted_name(agent) for agent in agents)
    return " and ".join(
        bibtex_text(name) if ", " in name else f"{{{bibtex_text(name)}}}" for name in names
    )


def bibtex_entry(work, *, page_url):
    source, types = work.source, work.types
    fields = {
        "author": _bibtex_names(work.authors),
        "editor": _bibtex_names(work.agents(Role.EDITOR) + work.compilers),
        "translator": _bibtex_names(work.agents(Role.TRANSLATOR)),
        # In braces twice, so that no style lower-cases the names in a title.
        "title": f"{{{bibtex_text(source.title)}}}",
        **bibtex_dates(source.date),
        "publisher": _bibtex_names(work.agents(Role.PUBLISHER)),
        "institution": _bibtex_names(
            [agent for agent in work.authors if agent.is_organisation]
            if types.bibtex == "techreport"
            else []
        ),
        "howpublished": bibtex_text(source.publication_details),
        "note": bibtex_text(_archival_note(work)),
        "language": bibtex_text(source.language),
        "doi": bibtex_text(source.doi),
        "isbn": bibtex_text(source.isbn),
        "url": bibtex_text(source.url or page_url),
        "abstract": bibtex_text(source.description),
    }
    return Entry(
        types.bibtex,
        _key(source.slug),
        [Field(name, value) for name, value in fields.items() if value],
    )


def _key(slug):
    return re.sub(r"[^A-Za-z0-9_:-]", "", slug) or "source"


def _archival_note(work):
    """Where an archival document is held: its reference, then its archive."""
    source = work.source
    archive = source.archive.name if source.archive_id else ""
    return ", ".join(part for part in (source.archival_reference, archive) if part)


def bibtex(works, *, page_url):
    """A BibTeX file of the sources (`page_url(source)` gives a source's page)."""
    library = Library([bibtex_entry(work, page_url=page_url(work.source)) for work in works])
    return bibtexparser.write_string(library)


# RIS


class _RisWriter(RisWriter):
    """rispy's writer without its numbered line before each reference, which no
    reference manager expects."""

    def set_header(self, count):
        return ""


def ris_text(text):
    """One line: a newline inside a value would end its tag."""
    return " ".join(str(text).split())


def ris_record(work, *, page_url):
    source, types = work.source, work.types

    def names(agents):
        return [ris_text(inverted_name(agent)) for agent in agents]

    # A letter's second names are its recipients; anything else's, its editors.
    if types.ris == "PCOMM":
        second = names(work.agents(Role.RECIPIENT))
    else:
        second = names(work.agents(Role.EDITOR) + work.compilers)
    ends = dates.ends(source.date)
    urls = [url for url in (source.url, page_url) if url]
    record = {
        "type_of_reference": types.ris,
        "title": ris_text(source.title),
        "authors": names(work.authors),
        "secondary_authors": second,
        "subsidiary_authors": names(work.agents(Role.TRANSLATOR)),
        "year": str(ends.start[0]) if ends and ends.start else "",
        "date": ris_date(source.date),
        "publisher": "; ".join(names(work.agents(Role.PUBLISHER))),
        # Zotero reads DB as the archive and AN as the place in it.
        "name_of_database": ris_text(source.archive.name) if source.archive_id else "",
        "accession_number": ris_text(source.archival_reference),
        "language": ris_text(source.language),
        "doi": ris_text(source.doi),
        "issn": ris_text(source.isbn),
        "urls": urls,
        "abstract": ris_text(source.description),
        "notes": [ris_text(source.publication_details)] if source.publication_details else [],
    }
    return {name: value for name, value in record.items() if value}


def ris(works, *, page_url):
    return rispy.dumps(
        [ris_record(work, page_url=page_url(work.source)) for work in works],
        implementation=_RisWriter,
    )


# CSL-JSON


def csl_item(work, *, page_url):
    source, types = work.source, work.types
    item = {
        "id": source.slug,
        "type": types.csl,
        "title": source.title,
        "author": [_csl_name(agent) for agent in work.authors],
        "recipient": [_csl_name(agent) for agent in work.agents(Role.RECIPIENT)],
        "editor": [_csl_name(agent) for agent in work.agents(Role.EDITOR)],
        "compiler": [_csl_name(agent) for agent in work.compilers],
        "translator": [_csl_name(agent) for agent in work.agents(Role.TRANSLATOR)],
        "issued": csl_date(source.date),
        "publisher": "; ".join(work.names(Role.PUBLISHER)),
        "archive": source.archive.name if source.archive_id else "",
        "archive_location": source.archival_reference,
        "language": source.language,
        "DOI": source.doi,
        "ISBN": source.isbn,
        "URL": source.url or page_url,
        "abstract": source.description,
        "note": source.publication_details,
    }
    return {name: value for name, value in item.items() if value}


def csl_json(works, *, page_url):
    items = [csl_item(work, page_url=page_url(work.source)) for work in works]
    return json.dumps(items, ensure_ascii=False, indent=2)


# What the source page's head says


def highwire_tags(work):
    """(name, content) pairs for the source page's <meta> tags: Highwire Press's
    citation_* tags, which Zotero and Google Scholar read, and the Dublin Core type
    and coverage from which Zotero's connector takes the item type and the place
    in the archive."""
    source = work.source
    date = highwire_date(source.date)
    tags = [("citation_title", source.title)]
    tags += [("citation_author", inverted_name(agent)) for agent in work.authors]
    tags += [("citation_date", date), ("citation_publication_date", date)]
    tags += [("citation_publisher", agent.name) for agent in work.agents(Role.PUBLISHER)]
    tags += [
        ("citation_language", source.language),
        ("citation_doi", source.doi),
        ("citation_isbn", source.isbn),
        ("citation_public_url", source.url),
        ("citation_abstract", source.description),
        ("DC.type", work.types.zotero),
        ("DC.coverage", _archival_note(work)),
    ]
    return [(name, content) for name, content in tags if content]


def json_ld(work, *, page_url, agent_url):
    """schema.org for the source: an ArchiveComponent (as well as its kind's type)
    for an archival document, with its holding archive and reference."""
    source, types = work.source, work.types

    def agent(record):
        return {
            "@type": "Organization" if record.is_organisation else "Person",
            "name": record.name,
            "url": agent_url(record),
        }

    def people(records):
        found = [agent(record) for record in records]
        return found[0] if len(found) == 1 else found

    kind_type = types.schema
    # An archival document is an ArchiveComponent, and its kind's type as well where
    # that says more than CreativeWork (which ArchiveComponent already is).
    schema_types = [kind_type]
    if work.is_archival:
        schema_types = ["ArchiveComponent"] + ([kind_type] if kind_type != "CreativeWork" else [])
    data = {
        "@context": "https://schema.org",
        "@type": schema_types[0] if len(schema_types) == 1 else schema_types,
        "@id": page_url,
        "url": source.url or page_url,
        "name": source.title,
        "genre": Kind(source.kind).label,
        "author": people(work.authors),
        "recipient": people(work.agents(Role.RECIPIENT)) if kind_type == "Message" else None,
        "editor": people(work.agents(Role.EDITOR) + work.compilers),
        "translator": people(work.agents(Role.TRANSLATOR)),
        "publisher": people(work.agents(Role.PUBLISHER)),
        **schema_dates(source.date),
        "inLanguage": source.language,
        "description": source.description,
        "isbn": source.isbn if kind_type == "Book" else None,
        "sameAs": f"https://doi.org/{source.doi}" if source.doi else None,
    }
    if source.archive_id:
        data["holdingArchive"] = {
            "@type": "ArchiveOrganization",
            "name": source.archive.name,
            "url": agent_url(source.archive),
        }
    if source.archival_reference:
        data["identifier"] = {
            "@type": "PropertyValue",
            "name": "Archival reference",
            "value": source.archival_reference,
        }
        data["itemLocation"] = _archival_note(work)
    return {name: value for name, value in data.items() if value}
