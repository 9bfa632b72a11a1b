"""Reading reference-manager libraries (Zotero's export formats: CSL-JSON, BibTeX, RIS)
as rows of sources, for the same import with preview as a spreadsheet of sources
(provenance/resources.py: SourceResource matches each row to a source already recorded
by DOI, ISBN, or title and year, and its creators to agents by name).

Each reader is a django-import-export format: it turns the file into a tablib Dataset
with SourceResource's columns. A file that cannot be parsed raises ValueError with a
message for the curator.
"""

import json
import re

import bibtexparser
import rispy
import tablib
from bibtexparser import middlewares
from import_export.formats.base_formats import Format

COLUMNS = [
    "title",
    "kind",
    "date",
    "creators",
    "language",
    "description",
    "url",
    "publication_details",
    "doi",
    "isbn",
    "archival_reference",
]

# Reference types to source kinds; anything else is "other".
CSL_KINDS = {
    "article": "article",
    "article-journal": "article",
    "article-magazine": "article",
    "article-newspaper": "news_report",
    "book": "book",
    "chapter": "article",
    "dataset": "dataset",
    "interview": "interview",
    "letter": "letter",
    "manuscript": "other",
    "motion_picture": "recording",
    "broadcast": "recording",
    "paper-conference": "conference_paper",
    "personal_communication": "letter",
    "report": "report",
    "song": "recording",
    "speech": "conference_paper",
}
BIBTEX_KINDS = {
    "article": "article",
    "book": "book",
    "inbook": "article",
    "incollection": "article",
    "inproceedings": "conference_paper",
    "conference": "conference_paper",
    "techreport": "report",
    "report": "report",
    "dataset": "dataset",
}
RIS_KINDS = {
    "JOUR": "article",
    "MGZN": "article",
    "EJOUR": "article",
    "NEWS": "news_report",
    "BOOK": "book",
    "EBOOK": "book",
    "CHAP": "article",
    "ECHAP": "article",
    "CONF": "conference_paper",
    "CPAPER": "conference_paper",
    "RPRT": "report",
    "GOVDOC": "report",
    "DATA": "dataset",
    "AGGR": "dataset",
    "PCOMM": "letter",
    "SOUND": "recording",
    "VIDEO": "recording",
    "MPCT": "recording",
    "ART": "photograph",
}


def edtf_from_parts(year, month=None, day=None):
    """EDTF from a year, month and day as reference managers give them ("1993", 1, 13)."""
    year_text = str(year or "").strip()
    if not re.fullmatch(r"-?\d{1,4}", year_text):
        return ""
    text = f"{int(year_text):04d}"
    for part in (month, day):
        part = str(part or "").strip()
        if not part.isdigit() or not 1 <= int(part) <= 31:
            break
        text += f"-{int(part):02d}"
    return text


def edtf_from_text(written):
    """EDTF from a written date: '1993-01-13', '1993/01/13/', '1993-01', '1993'."""
    parts = [part for part in re.split(r"[-/ ]", str(written or "").strip()) if part]
    if not parts:
        return ""
    return edtf_from_parts(*parts[:3])


def joined(*parts, separator=", "):
    return separator.join(str(part).strip() for part in parts if part and str(part).strip())


def creators_text(people):
    """[(name, role), ...] as the creators column reads them."""
    return "; ".join(f"{name} ({role})" for name, role in people if name.strip())


def isbn_or_blank(value):
    """The first ISBN in a field that may hold several, or an ISSN (which is not one)."""
    for candidate in re.split(r"[;,\s]+", str(value or "")):
        digits = re.sub(r"[^0-9Xx]", "", candidate)
        if len(digits) in (10, 13):
            return digits.upper()
    return ""


def dataset_of(records):
    dataset = tablib.Dataset(headers=COLUMNS)
    for record in records:
        dataset.append([record.get(column, "") for column in COLUMNS])
    return dataset


class ReferenceFormat(Format):
    """A reference-manager library, read as text."""

    title = ""
    extension = ""

    def __init__(self, encoding=None):
        self.encoding = encoding or "utf-8-sig"

    def get_title(self):
        return self.title

    def get_extension(self):
        return self.extension

    def is_binary(self):
        return False

    def get_read_mode(self):
        return "r"

    def can_import(self):
        return True

    def create_dataset(self, in_stream):
        if isinstance(in_stream, bytes):
            in_stream = in_stream.decode(self.encoding)
        return dataset_of(self.records(in_stream))

    def records(self, text):
        raise NotImplementedError


class CSLJSON(ReferenceFormat):
    title = "CSL-JSON (Zotero)"
    extension = "json"

    def records(self, text):
        try:
            items = json.loads(text)
        except json.JSONDecodeError as error:
            raise ValueError(f"not valid JSON: {error}") from None
        if isinstance(items, dict):
            items = [items]
        if not isinstance(items, list) or not all(isinstance(item, dict) for item in items):
            raise ValueError("CSL-JSON is a list of references, each an object")
        return [self.record(item) for item in items]

    @staticmethod
    def name(person):
        if person.get("literal"):
            return person["literal"]
        return joined(person.get("family"), person.get("given"))

    @staticmethod
    def date(value):
        if not isinstance(value, dict):
            return ""
        parts = value.get("date-parts") or []
        ends = [edtf_from_parts(*part[:3]) for part in parts if part]
        ends = [end for end in ends if end]
        if len(ends) >= 2 and ends[0] != ends[1]:
            return f"{ends[0]}/{ends[1]}"
        if ends:
            return ends[0]
        return edtf_from_text(value.get("raw") or value.get("literal"))

    def record(self, item):
        people = []
        for key, role in (
            ("author", "author"),
            ("editor", "editor"),
            ("translator", "translator"),
            ("recipient", "recipient"),
            ("compiler", "compiler"),
        ):
            people += [(self.name(person), role) for person in item.get(key) or []]
        return {
            "title": item.get("title", ""),
            "kind": CSL_KINDS.get(item.get("type"), "other"),
            "date": self.date(item.get("issued")),
            "creators": creators_text(people),
            "language": item.get("language", ""),
            "description": item.get("abstract", ""),
            "url": item.get("URL", ""),
            "publication_details": joined(
                item.get("container-title"),
                joined(item.get("publisher-place"), item.get("publisher"), separator=": "),
                item.get("volume") and f"vol. {item['volume']}",
                item.get("issue") and f"no. {item['issue']}",
                item.get("page") and f"pp. {item['page']}",
            ),
            "doi": item.get("DOI", ""),
            "isbn": isbn_or_blank(item.get("ISBN")),
            "archival_reference": joined(item.get("archive"), item.get("archive_location")),
        }


class BibTeX(ReferenceFormat):
    title = "BibTeX"
    extension = "bib"

    def records(self, text):
        library = bibtexparser.parse_string(
            text,
            append_middleware=[
                middlewares.LatexDecodingMiddleware(),
                middlewares.MonthIntMiddleware(True),
                middlewares.SeparateCoAuthors(),
            ],
        )
        if library.failed_blocks:
            first = library.failed_blocks[0]
            line = getattr(first, "start_line", None)
            where = f" near line {line + 1}" if isinstance(line, int) else ""
            count = len(library.failed_blocks)
            raise ValueError(f"{count} entr{'y' if count == 1 else 'ies'} could not be read{where}")
        if not library.entries:
            raise ValueError("no references found")
        return [self.record(entry) for entry in library.entries]

    def record(self, entry):
        fields = {key.lower(): field.value for key, field in entry.fields_dict.items()}

        def names(key):
            value = fields.get(key) or []
            return [value] if isinstance(value, str) else value

        people = [(name, "author") for name in names("author")]
        people += [(name, "editor") for name in names("editor")]
        people += [(name, "translator") for name in names("translator")]
        date = edtf_from_text(fields.get("date")) or edtf_from_parts(
            fields.get("year"), fields.get("month"), fields.get("day")
        )
        return {
            "title": str(fields.get("title", "")).strip("{} "),
            "kind": BIBTEX_KINDS.get(entry.entry_type.lower(), "other"),
            "date": date,
            "creators": creators_text(people),
            "language": fields.get("language", ""),
            "description": fields.get("abstract", ""),
            "url": fields.get("url", ""),
            "publication_details": joined(
                fields.get("journal") or fields.get("journaltitle") or fields.get("booktitle"),
                joined(fields.get("address"), fields.get("publisher"), separator=": "),
                fields.get("volume") and f"vol. {fields['volume']}",
                fields.get("number") and f"no. {fields['number']}",
                fields.get("pages") and f"pp. {fields['pages']}",
            ),
            "doi": fields.get("doi", ""),
            "isbn": isbn_or_blank(fields.get("isbn")),
            "archival_reference": "",
        }


class RIS(ReferenceFormat):
    title = "RIS"
    extension = "ris"

    def records(self, text):
        try:
            entries = rispy.loads(text, skip_unknown_tags=True)
        except Exception as error:  # rispy raises IOError and others on malformed files
            raise ValueError(f"not a RIS file: {error}") from None
        if not entries:
            raise ValueError("no references found")
        return [self.record(entry) for entry in entries]

    def record(self, entry):
        people = [
            (name, "author") for name in entry.get("authors", []) + entry.get("first_authors", [])
        ]
        if entry.get("type_of_reference") in {"BOOK", "EBOOK"}:
            people += [(name, "editor") for name in entry.get("secondary_authors", [])]
        people += [(name, "translator") for name in entry.get("translated_author", []) or []]
        pages = joined(entry.get("start_page"), entry.get("end_page"), separator="–")
        urls = entry.get("urls") or []
        return {
            "title": entry.get("title") or entry.get("primary_title", ""),
            "kind": RIS_KINDS.get(entry.get("type_of_reference", ""), "other"),
            "date": edtf_from_text(entry.get("date")) or edtf_from_text(entry.get("year")),
            "creators": creators_text(people),
            "language": entry.get("language", ""),
            "description": entry.get("abstract", ""),
            "url": urls[0] if urls else "",
            "publication_details": joined(
                entry.get("journal_name") or entry.get("secondary_title"),
                joined(entry.get("place_published"), entry.get("publisher"), separator=": "),
                entry.get("volume") and f"vol. {entry['volume']}",
                entry.get("number") and f"no. {entry['number']}",
                pages and f"pp. {pages}",
            ),
            "doi": entry.get("doi", ""),
            "isbn": isbn_or_blank(entry.get("issn")),
            "archival_reference": joined(entry.get("name_of_database"), entry.get("call_number")),
        }


REFERENCE_FORMATS = [CSLJSON, BibTeX, RIS]
